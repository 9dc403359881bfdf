package web_test

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"fabrique/internal/sqlite"
	"fabrique/internal/web"
)

// TestTheAPIRefusesWhatItCannotRead: the small edges of the API answer a
// problem naming the parameter, never a 500 nor an empty list.
func TestTheAPIRefusesWhatItCannotRead(t *testing.T) {
	s, _ := newServer(t)
	tests := []struct {
		name   string
		role   string
		url    string
		status int
		field  string
		detail string
	}{
		{"an unknown event kind is named with the kinds allowed", anonymous, "/api/v1/events?kind=nope", 400, "kind", "open_ministry"},
		{"an unknown event status is named with the statuses allowed", anonymous, "/api/v1/events?status=nope", 400, "status", "published"},
		{"an unknown registration status is named", admin, "/api/v1/registrations?status=nope", 400, "status", "waiting"},
		{"an unknown outbox state is named", admin, "/api/v1/outbox?state=nope", 400, "state", "doubt"},
		{"a search of 50,000 characters is refused, not a 500", anonymous, "/api/v1/events?q=" + strings.Repeat("%25a", 50000/2), 400, "q", "200 caractères au plus (reçu 50000)"},
		{"a query of many short parameters is refused as a whole", anonymous, "/api/v1/events?" + strings.Repeat("x=1&", 2000), 400, "", "dépassent 4096 octets"},
		{"a long search is named", anonymous, "/api/v1/events?q=" + strings.Repeat("a", 201), 400, "q", "200 caractères au plus"},
		{"a long value on a page is refused too", anonymous, "/?x=" + strings.Repeat("a", 300), 400, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := call(t, s, tt.role, "GET", tt.url, "")
			if w.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", w.Code, tt.status, w.Body)
			}
			if strings.HasPrefix(tt.url, "/?") {
				return // a French page
			}
			p := problemOf(t, w)
			if tt.field != "" && (len(p.Errors) != 1 || p.Errors[0].Field != tt.field) {
				t.Errorf("errors %+v do not name %q", p.Errors, tt.field)
			}
			if !strings.Contains(p.Detail, tt.detail) {
				t.Errorf("detail %q does not say %q", p.Detail, tt.detail)
			}
		})
	}
	t.Run("a known kind still filters", func(t *testing.T) {
		w := call(t, s, anonymous, "GET", "/api/v1/events?kind=open_ministry", "")
		if w.Code != 200 || !strings.Contains(w.Body.String(), "Ministère ouvert #1") {
			t.Errorf("%d %s", w.Code, w.Body)
		}
	})
	t.Run("a body that is not JSON is 415", func(t *testing.T) {
		req := httptest.NewRequest("POST", "/api/v1/venues", strings.NewReader("name=Salle"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Authorization", "Bearer "+tokens[admin])
		w := httptest.NewRecorder()
		s.ServeHTTP(w, req)
		p := problemOf(t, w)
		if w.Code != 415 || !strings.Contains(p.Detail, "application/json") {
			t.Errorf("%d %+v", w.Code, p)
		}
	})
	t.Run("holidays are civil dates in a list", func(t *testing.T) {
		w := call(t, s, anonymous, "GET", "/api/v1/holidays?year=2027", "")
		var page struct {
			Items []struct{ Date, Name string } `json:"items"`
			Total int                           `json:"total"`
		}
		if err := json.Unmarshal(w.Body.Bytes(), &page); err != nil || w.Code != 200 {
			t.Fatalf("%d %v %s", w.Code, err, w.Body)
		}
		found := false
		for _, h := range page.Items {
			if h.Date == "2027-03-29" && h.Name == "Lundi de Pâques" {
				found = true
			}
		}
		if !found || page.Total != len(page.Items) || page.Total < 11 {
			t.Errorf("Easter Monday 2027 (2027-03-29) missing: %s", w.Body)
		}
	})
	t.Run("a registration created by staff answers choices as a list", func(t *testing.T) {
		w := call(t, s, admin, "POST", "/api/v1/registrations", `{"event_id":1,"person_id":1,"status":"registered","consent":true}`)
		if w.Code != 201 || !strings.Contains(w.Body.String(), `"choices":[]`) {
			t.Errorf("%d %s", w.Code, w.Body)
		}
	})
	t.Run("speaker_ids is refused for a Ministère ouvert", func(t *testing.T) {
		w := call(t, s, admin, "POST", "/api/v1/events/from-format", `{"format":"open_ministry","title":"Ministère ouvert #2","host_organisation_id":1,"venue_id":1,"date":"2027-03-02","speaker_ids":[1]}`)
		p := problemOf(t, w)
		if w.Code != 422 || len(p.Errors) != 1 || p.Errors[0].Field != "speaker_ids" {
			t.Errorf("%d %+v", w.Code, p)
		}
	})
}

// TestHealthReportsTheOutbox: a supervisor reads the database and the
// outbox's queue; the metrics are for administrators on the main address.
func TestHealthReportsTheOutbox(t *testing.T) {
	s, st := newServer(t)
	var h struct {
		Status   string `json:"status"`
		Database string `json:"database"`
		Outbox   *struct {
			Due              int  `json:"due"`
			OldestDueSeconds int  `json:"oldest_due_seconds"`
			Doubt            int  `json:"doubt"`
			Stuck            bool `json:"stuck"`
		} `json:"outbox"`
	}
	read := func() {
		t.Helper()
		w := call(t, s, anonymous, "GET", "/healthz", "")
		if w.Code != 200 {
			t.Fatalf("healthz: %d %s", w.Code, w.Body)
		}
		if err := json.Unmarshal(w.Body.Bytes(), &h); err != nil || h.Outbox == nil {
			t.Fatalf("healthz: %v %s", err, w.Body)
		}
	}
	db := rawDB(t, st)
	if _, err := db.Exec(`DELETE FROM outbox`); err != nil {
		t.Fatal(err)
	}
	read()
	if h.Status != "ok" || h.Database != "ok" || h.Outbox.Due != 0 || h.Outbox.Stuck {
		t.Errorf("an empty outbox: %+v %+v", h, h.Outbox)
	}
	// A message due an hour ago and a doubt.
	if _, err := db.Exec(`INSERT INTO outbox (event_id, recipient, recipient_name, item_uid, sequence, method, kind, state, batch, attempts, next_attempt_at, last_error, smtp_reply, payload, created_at, updated_at)
		VALUES (1, 'a@exemple.fr', 'A', 'u1', 0, 'REQUEST', 'invitation', 'pending', '', 0, ?, '', '', '{}', ?, ?),
		       (1, 'b@exemple.fr', 'B', 'u2', 0, 'REQUEST', 'invitation', 'doubt', '', 1, ?, '', '', '{}', ?, ?)`,
		hourAgo(), hourAgo(), hourAgo(), hourAgo(), hourAgo(), hourAgo()); err != nil {
		t.Fatal(err)
	}
	read()
	if h.Status != "outbox_stuck" || h.Outbox.Due < 1 || h.Outbox.OldestDueSeconds < 3500 || h.Outbox.Doubt != 1 || !h.Outbox.Stuck {
		t.Errorf("stuck: %+v %+v", h, *h.Outbox)
	}
	for role, want := range map[string]int{anonymous: 401, orgSERE: 403, admin: 200} {
		w := call(t, s, role, "GET", "/metrics", "")
		if w.Code != want {
			t.Errorf("/metrics as %s: %d, want %d", role, w.Code, want)
		}
		if want == 200 {
			body := w.Body.String()
			for _, m := range []string{`fabrique_outbox_messages{state="doubt"} 1`, `fabrique_registrations{status="registered"} 1`,
				`fabrique_http_requests_total{route="/healthz",method="GET",status="200"} 2`,
				`fabrique_http_request_duration_seconds_count{route="/healthz"} 2`, "fabrique_outbox_oldest_due_seconds 3"} {
				if !strings.Contains(body, m) {
					t.Errorf("metrics lack %s:\n%s", m, body)
				}
			}
			if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/plain; version=0.0.4") {
				t.Errorf("Content-Type %q", ct)
			}
		}
	}
}

func hourAgo() string { return time.Now().Add(-time.Hour).UTC().Format("2006-01-02T15:04:05.000000Z") }

// TestTrustedProxiesGiveTheClientsAddress: behind a trusted proxy each
// visitor has their own limit on the public forms; an untrusted
// X-Forwarded-For is ignored (a script cannot escape the limit by
// inventing addresses). The forms are posted with a wrong private link:
// refused quickly (404) once past the limit.
func TestTrustedProxiesGiveTheClientsAddress(t *testing.T) {
	_, st := newServer(t)
	post := func(s http.Handler, i int) int {
		req := httptest.NewRequest("POST", "/api/v1/p/lien-inconnu/cancel", strings.NewReader("{}"))
		req.Header.Set("Content-Type", "application/json")
		req.RemoteAddr = "10.0.0.2:41000"
		req.Header.Set("X-Forwarded-For", fmt.Sprintf("203.0.113.%d", i%250+1))
		w := httptest.NewRecorder()
		s.ServeHTTP(w, req)
		return w.Code
	}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	trusted := web.New(st, quiet, web.Config{BaseURL: "http://fabrique.test", TrustedProxies: []string{"10.0.0.0/8"}})
	for i := range 40 {
		if code := post(trusted, i); code != 404 {
			t.Fatalf("trusted proxy, visitor %d: %d (each visitor has their own limit)", i+1, code)
		}
	}
	untrusted := web.New(st, quiet, web.Config{BaseURL: "http://fabrique.test"})
	var codes []int
	for i := range 40 {
		codes = append(codes, post(untrusted, i))
	}
	if codes[29] != 404 || codes[30] != 429 {
		t.Errorf("without trusted proxies every visitor is the proxy: %v", codes)
	}
}

// TestSlowClientsAreCutOff: a body sent a byte at a time and an idle
// keep-alive are closed by the server's timeouts.
func TestSlowClientsAreCutOff(t *testing.T) {
	_, st := newServer(t)
	s := web.New(st, slog.New(slog.NewTextHandler(io.Discard, nil)), web.Config{BaseURL: "http://fabrique.test",
		Timeouts: web.Timeouts{ReadHeader: 300 * time.Millisecond, Read: 500 * time.Millisecond, Write: 2 * time.Second, Idle: 500 * time.Millisecond}})
	srv := s.HTTPServer()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Shutdown(context.Background()) })
	closedWithin := func(conn net.Conn, d time.Duration) bool {
		conn.SetReadDeadline(time.Now().Add(d))
		_, err := io.Copy(io.Discard, conn)
		var ne net.Error
		return !(errors.As(err, &ne) && ne.Timeout()) // EOF, or reset while the client still writes: the server closed it
	}
	t.Run("a slow-loris body", func(t *testing.T) {
		conn, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		fmt.Fprint(conn, "POST /api/v1/auth/token HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{")
		start := time.Now()
		go func() {
			for range 20 {
				time.Sleep(100 * time.Millisecond)
				if _, err := conn.Write([]byte(" ")); err != nil {
					return
				}
			}
		}()
		if !closedWithin(conn, 5*time.Second) || time.Since(start) > 3*time.Second {
			t.Errorf("the slow body held the connection %v", time.Since(start))
		}
	})
	t.Run("an idle keep-alive", func(t *testing.T) {
		conn, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		fmt.Fprint(conn, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
		r, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil || r.StatusCode != 200 {
			t.Fatalf("healthz: %v", err)
		}
		io.Copy(io.Discard, r.Body)
		start := time.Now()
		if !closedWithin(conn, 5*time.Second) || time.Since(start) > 3*time.Second {
			t.Errorf("the idle connection stayed open %v", time.Since(start))
		}
	})
}

// rawDB opens the test's database file for writes the API does not make.
func rawDB(t *testing.T, st *sqlite.Store) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+st.DB().Path()+"?_busy_timeout=5000")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// TestOpenAPISaysWhatEachFieldMeans: every schema lists its required
// fields and says in one line what each field means.
func TestOpenAPISaysWhatEachFieldMeans(t *testing.T) {
	s, _ := newServer(t)
	w := call(t, s, anonymous, "GET", "/api/v1/openapi.json", "")
	var doc struct {
		Components struct {
			Schemas map[string]struct {
				Required   *[]string `json:"required"`
				Properties map[string]struct {
					Description string `json:"description"`
				} `json:"properties"`
			} `json:"schemas"`
		} `json:"components"`
		Paths map[string]map[string]struct {
			Parameters []struct {
				Name   string         `json:"name"`
				Schema map[string]any `json:"schema"`
			} `json:"parameters"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Components.Schemas) < 40 {
		t.Fatalf("only %d schemas", len(doc.Components.Schemas))
	}
	for name, sch := range doc.Components.Schemas {
		if sch.Required == nil {
			t.Errorf("%s does not list its required fields", name)
		}
		for field, p := range sch.Properties {
			if strings.TrimSpace(p.Description) == "" {
				t.Errorf("%s.%s says nothing of its meaning", name, field)
			}
		}
	}
	has := func(list *[]string, v string) bool {
		for _, x := range *list {
			if x == v {
				return true
			}
		}
		return false
	}
	fr := doc.Components.Schemas["FormatRequest"]
	if !strings.Contains(fr.Properties["capacity"].Description, "par atelier") || !has(fr.Required, "format") || !has(fr.Required, "date") {
		t.Errorf("FormatRequest: capacity %q, required %v", fr.Properties["capacity"].Description, *fr.Required)
	}
	if ev := doc.Components.Schemas["Event"]; !has(ev.Required, "title") || has(ev.Required, "id") {
		t.Errorf("Event required: %v", *ev.Required)
	}
	if _, ok := doc.Components.Schemas["assignmentReply"].Properties["fully_assigned"]; !ok {
		t.Error("the proposal's fields are not inlined in assignmentReply")
	}
	found := false
	for _, p := range doc.Paths["/api/v1/events"]["get"].Parameters {
		if p.Name == "kind" {
			found = p.Schema["enum"] != nil
		}
	}
	if !found {
		t.Error("the kind filter of /api/v1/events does not list its values")
	}
}

// TestCreatedEntitiesAnswerListsNotNull: a list field is [] in the answer
// to a create, even when the body left it out.
func TestCreatedEntitiesAnswerListsNotNull(t *testing.T) {
	s, _ := newServer(t)
	var doc struct {
		Components struct {
			Schemas map[string]struct {
				Properties map[string]struct {
					Type string `json:"type"`
				} `json:"properties"`
			} `json:"schemas"`
		} `json:"components"`
	}
	json.Unmarshal(call(t, s, anonymous, "GET", "/api/v1/openapi.json", "").Body.Bytes(), &doc)
	schemaOf := map[string]string{"/action-plans": "ActionPlan", "/commitments": "Commitment", "/organisations": "Organisation", "/people": "Person",
		"/venues": "Venue", "/rooms": "Room", "/events": "Event", "/phases": "Phase", "/programme-items": "ProgrammeItem", "/workshops": "Workshop", "/registrations": "Registration"}
	for path, body := range createBodies {
		w := call(t, s, admin, "POST", "/api/v1"+path, body)
		if w.Code != 201 {
			t.Errorf("POST %s: %d %s", path, w.Code, w.Body)
			continue
		}
		var got map[string]json.RawMessage
		json.Unmarshal(w.Body.Bytes(), &got)
		for field, p := range doc.Components.Schemas[schemaOf[path]].Properties {
			if p.Type == "array" && string(got[field]) != "" && string(got[field])[0] != '[' {
				t.Errorf("POST %s answers %s: %s", path, field, got[field])
			}
		}
	}
}
