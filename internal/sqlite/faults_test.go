package sqlite_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fabrique/internal/fabrique"
	"fabrique/internal/sqlite"
	"fabrique/internal/web"
)

// rowCounts counts the rows of every table, to prove nothing was half written.
func rowCounts(t *testing.T, st *sqlite.Store) map[string]int {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+st.DB().Path()+"?mode=ro")
	must(t, err)
	defer db.Close()
	names, err := db.Query(`SELECT name FROM sqlite_master WHERE type = 'table' AND name <> 'public_versions'`)
	must(t, err)
	var tables []string
	for names.Next() {
		var n string
		must(t, names.Scan(&n))
		tables = append(tables, n)
	}
	names.Close()
	out := map[string]int{}
	for _, table := range tables {
		var n int
		must(t, db.QueryRow("SELECT COUNT(*) FROM "+table).Scan(&n))
		out[table] = n
	}
	return out
}

// registerThroughAPI posts a registration and returns the answer.
func registerThroughAPI(h *web.Server, f *fixture, i int) *httptest.ResponseRecorder {
	body := fmt.Sprintf(`{"name":"Participante %d","email":"p%d@exemple.fr","category":"citizen","workshop_id":%d,"consent":true}`, i, i, f.workshops[0].ID)
	req := httptest.NewRequest("POST", fmt.Sprintf("/api/v1/events/%d/register", f.event.ID), strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.RemoteAddr = fmt.Sprintf("198.51.100.%d:4000", i%250+1)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w
}

type problem struct {
	Status int    `json:"status"`
	Title  string `json:"title"`
	Detail string `json:"detail"`
}

func problemIn(t *testing.T, w *httptest.ResponseRecorder) problem {
	t.Helper()
	var p problem
	if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
		t.Fatalf("Content-Type %q: %s", ct, w.Body)
	}
	must(t, json.Unmarshal(w.Body.Bytes(), &p))
	return p
}

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func TestAFullDiskRefusesWritesClearlyAndWritesNothingHalf(t *testing.T) {
	f := newFixture(t, 0, 5000)
	h := web.New(f.st, quiet(), web.Config{})
	pages, err := f.st.DB().LimitPages(f.ctx)
	must(t, err)
	before := rowCounts(t, f.st)
	var ok int
	var refused *httptest.ResponseRecorder
	for i := range 500 {
		w := registerThroughAPI(h, f, i)
		if w.Code == 201 {
			ok++
			continue
		}
		refused = w
		break
	}
	if refused == nil {
		t.Fatalf("500 registrations fitted in %d pages", pages)
	}
	p := problemIn(t, refused)
	if refused.Code != 503 || p.Title != "Service momentanément indisponible" || !strings.Contains(p.Detail, "disque du service est plein : rien n'a été enregistré") {
		t.Errorf("the refusal: %d %+v", refused.Code, p)
	}
	after := rowCounts(t, f.st)
	if after["registrations"] != before["registrations"]+ok || after["people"] != before["people"]+ok ||
		after["participant_tokens"] != before["participant_tokens"] || after["outbox"] != before["outbox"]+ok {
		t.Errorf("%d registrations accepted, then the refused one half written?\nbefore %v\nafter  %v", ok, before, after)
	}
	if cells := holding(t, f.st, fmt.Sprintf("p%d@exemple.fr", ok)); len(cells) > 0 {
		t.Errorf("the refused registration left %v", cells)
	}
	t.Logf("%d registrations accepted in %d pages before the disk was full", ok, pages)
}

func TestALockedDatabaseRefusesWritesAfterTheBusyTimeout(t *testing.T) {
	ctx := fabrique.WithUser(context.Background(), fabrique.System)
	path := filepath.Join(t.TempDir(), "fabrique.db")
	db, err := sqlite.OpenWith(ctx, path, sqlite.Options{BusyTimeout: 300 * time.Millisecond})
	must(t, err)
	t.Cleanup(func() { db.Close() })
	st := sqlite.NewStore(db)
	f := buildFixture(t, st, ctx, 0, 50)
	h := web.New(st, quiet(), web.Config{})
	// Another process holds the write lock in a long transaction.
	other, err := sql.Open("sqlite3", "file:"+path+"?_txlock=immediate&_busy_timeout=0")
	must(t, err)
	defer other.Close()
	tx, err := other.Begin()
	must(t, err)
	_, err = tx.Exec(`INSERT INTO meta (key, value) VALUES ('maintenance', 'en cours')`)
	must(t, err)
	before := rowCounts(t, st)
	start := time.Now()
	w := registerThroughAPI(h, f, 1)
	waited := time.Since(start)
	p := problemIn(t, w)
	if w.Code != 503 || !strings.Contains(p.Detail, "base de données est occupée") || !strings.Contains(p.Detail, "rien n'a été enregistré") {
		t.Errorf("the refusal: %d %+v", w.Code, p)
	}
	if waited < 300*time.Millisecond || waited > 5*time.Second {
		t.Errorf("answered after %s, want just after the busy timeout of 300 ms", waited)
	}
	if r := registerThroughAPI(h, f, 1); r.Code != 503 {
		t.Errorf("a second attempt while locked: %d", r.Code)
	}
	must(t, tx.Rollback())
	if after := rowCounts(t, st); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Errorf("something was written:\nbefore %v\nafter  %v", before, after)
	}
	if r := registerThroughAPI(h, f, 1); r.Code != 201 {
		t.Errorf("once the lock is released: %d %s", r.Code, r.Body)
	}
}
