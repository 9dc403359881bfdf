package web_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"io"
	"mime/quotedprintable"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fabrique/internal/fabrique"
	"fabrique/internal/mail"
	"fabrique/internal/outbox"
	"fabrique/internal/sqlite"
)

// drainToFiles sends the due messages as .eml files into outbox/ beside
// the database, as `fabrique serve` does without SMTP server.
func drainToFiles(t *testing.T, st *sqlite.Store) string {
	t.Helper()
	dir := filepath.Join(filepath.Dir(st.DB().Path()), "outbox")
	d, err := mail.NewDirSender(dir)
	if err != nil {
		t.Fatal(err)
	}
	w := outbox.New(st.Queue(), d, outbox.Config{BaseURL: "http://fabrique.test", Backoff: func(int) time.Duration { return 0 }})
	if err := w.Drain(context.Background()); err != nil {
		t.Fatal(err)
	}
	return dir
}

// filesFor lists the .eml files of dir addressed to email.
func filesFor(t *testing.T, dir, email string) []string {
	t.Helper()
	names, _ := filepath.Glob(filepath.Join(dir, "*.eml"))
	var out []string
	for _, n := range names {
		b, err := os.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(b), email) {
			out = append(out, filepath.Base(n))
		}
	}
	return out
}

func TestAnErasureRemovesEverythingAndCancelsTheAgenda(t *testing.T) {
	s, st := newServer(t)
	register := func(name, email string) {
		t.Helper()
		if w := call(t, s, anonymous, "POST", "/api/v1/events/2/register", `{"name":"`+name+`","email":"`+email+`","category":"citizen","workshop_id":7,"consent":true}`); w.Code != 201 {
			t.Fatalf("register: %d %s", w.Code, w.Body)
		}
	}
	const email = "effacee@exemple.fr"
	register("Eva Effacée", email)
	register("Paul Témoin", "temoin@exemple.fr")
	link := mailedLinks(drainOutbox(t, st, 0))[email][0]
	// Without SMTP server, the messages of the person are .eml files.
	register("Eva Effacée", email) // a reminder, written as a file
	dir := drainToFiles(t, st)
	if files := filesFor(t, dir, email); len(files) != 1 {
		t.Fatalf("the person's files before erasure: %v", files)
	}
	register("Eva Effacée", "EFFACEE@exemple.fr") // within 10 minutes: nothing more; then a change that stays pending
	if w := call(t, s, anonymous, "POST", "/api/v1/p/"+link+"/workshop", `{"workshop_id":6}`); w.Code != 200 {
		t.Fatalf("change of workshop: %d %s", w.Code, w.Body)
	}

	w := call(t, s, anonymous, "POST", "/api/v1/p/"+link+"/erase", "")
	var e fabrique.Erasure
	if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil || w.Code != 200 {
		t.Fatalf("erase: %d %s", w.Code, w.Body)
	}
	t.Run("the .eml files and the messages not yet sent are gone, the witness's stay", func(t *testing.T) {
		if files := filesFor(t, dir, email); len(files) != 0 || e.Files != 1 {
			t.Errorf("files left %v, %d deleted", files, e.Files)
		}
		page, err := st.Outbox().ListOutbox(staffCtx(), fabrique.ListOptions{Limit: 100, Filters: map[string]string{"recipient": email}})
		if err != nil || page.Total != 2 {
			t.Fatalf("messages to the person: %v %d", err, page.Total)
		}
		for _, m := range page.Items {
			if m.Method != fabrique.MethodCancel || m.Kind != fabrique.MsgErased || m.RegistrationID != nil || m.State != fabrique.OutboxPending {
				t.Errorf("left for the person: %s %s %s registration %v", m.Method, m.Kind, m.State, m.RegistrationID)
			}
		}
	})
	t.Run("the person's calendar gets a CANCEL for each item still held, without any link", func(t *testing.T) {
		srv := drainOutbox(t, st, 0)
		var cancels int
		for _, m := range srv.Messages() {
			if m.To[0] != email {
				continue
			}
			body := mailBody(m)
			text, _ := io.ReadAll(quotedprintable.NewReader(strings.NewReader(body)))
			if strings.Contains(body, "METHOD:CANCEL") && strings.Contains(string(text), "effacées à votre demande") {
				cancels++
			}
			if strings.Contains(body, "/p/") {
				t.Errorf("a message after erasure carries a link:\n%s", body)
			}
		}
		if cancels != 2 || e.CancelsSent != 2 {
			t.Errorf("%d cancellations received, %d queued (the forum's launch and forum day)", cancels, e.CancelsSent)
		}
		if cells := countRows(t, st, `SELECT COUNT(*) FROM outbox WHERE lower(recipient) = ? OR recipient_name LIKE '%Effacée%'`, email); cells != 0 {
			t.Errorf("%d outbox rows still hold the person once the cancellations are sent", cells)
		}
	})
	if w := call(t, s, anonymous, "GET", "/api/v1/p/"+link, ""); w.Code != 404 {
		t.Errorf("the link after erasure: %d", w.Code)
	}
}

// countRows runs a COUNT query on the store's file.
func countRows(t *testing.T, st *sqlite.Store, query string, args ...any) int {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+st.DB().Path()+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestTheRetentionPurgeRemovesTheEmlFiles checks that the anonymisation
// at the end of an event's retention also deletes the .eml files written
// for its participants (without SMTP server), as an erasure does.
func TestTheRetentionPurgeRemovesTheEmlFiles(t *testing.T) {
	s, st := newServer(t)
	const email = "retention@exemple.fr"
	if w := call(t, s, anonymous, "POST", "/api/v1/events/2/register", `{"name":"Rita Tention","email":"`+email+`","category":"citizen","workshop_id":7,"consent":true}`); w.Code != 201 {
		t.Fatalf("register: %d %s", w.Code, w.Body)
	}
	dir := drainToFiles(t, st)
	before := filesFor(t, dir, email) // one invitation per calendar item of the forum
	if len(before) == 0 {
		t.Fatal("no .eml file written for the participant")
	}
	sys := fabrique.WithUser(context.Background(), fabrique.System)
	r, err := st.Privacy().Retention(sys, 2)
	if err != nil {
		t.Fatal(err)
	}
	e, err := st.Privacy().Purge(sys, r.PurgeAfter.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if files := filesFor(t, dir, email); len(files) != 0 || e.Files != len(before) || e.Registrations < 1 {
		t.Errorf("after the purge: files left %v, %d deleted, %d registrations anonymised", files, e.Files, e.Registrations)
	}
}
