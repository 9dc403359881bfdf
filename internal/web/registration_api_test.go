package web_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"strings"
	"testing"

	goical "github.com/emersion/go-ical"

	"fabrique/internal/fabrique"
	"fabrique/internal/sqlite"
)

// registrationExpectation gives what each role gets on the routes of issue 4.
func registrationExpectation(method, path string) (url, body string, e expect, ok bool) {
	staffOnly := all(200).with(401, anonymous).with(403, facil, facilOther)
	switch method + " " + path {
	case "GET /api/v1/events/:id/registration", "GET /api/v1/events/:id/calendar.ics":
		return strings.Replace(path, ":id", "2", 1), "", publicRead, true
	case "POST /api/v1/events/:id/register":
		return "/api/v1/events/2/register", `{"name":"Léa Martin","email":"lea@exemple.fr","category":"researcher","workshop_id":6,"consent":true}`, all(201), true
	case "GET /api/v1/p/:token", "GET /api/v1/p/:token/calendar.ics", "POST /api/v1/p/:token/cancel", "GET /api/v1/feeds/:token/calendar.ics":
		return strings.NewReplacer(":token", "p_inconnu").Replace(path), "", all(404), true
	case "POST /api/v1/p/:token/workshop":
		return "/api/v1/p/p_inconnu/workshop", `{"workshop_id":6}`, all(404), true
	case "POST /api/v1/people/:id/feed-token":
		// Issue 11: another organisation's people are not reachable (404).
		return "/api/v1/people/2/feed-token", "", all(201).with(401, anonymous).with(403, facil, facilOther).with(404, orgOther, orgForum), true
	case "GET /api/v1/events/:id/registration-settings", "PUT /api/v1/events/:id/registration-settings",
		"POST /api/v1/events/:id/outbox/release", "GET /api/v1/events/:id/outbox/progress":
		return strings.Replace(path, ":id", "1", 1), "", sereWrite(200), true
	case "POST /api/v1/events/:id/allocate":
		return "/api/v1/events/1/allocate", "", sereWrite(409), true
	case "GET /api/v1/outbox":
		return path, "", staffOnly, true
	case "GET /api/v1/outbox/:id", "GET /api/v1/outbox/:id/eml", "POST /api/v1/outbox/:id/retry":
		return strings.Replace(path, ":id", "999", 1), "", staffOnly.with(404, admin, orgSERE, orgForum, orgOther), true
	}
	return "", "", nil, false
}

func TestRegistrationThroughTheAPI(t *testing.T) {
	s, st := newServer(t)
	w := call(t, s, anonymous, "POST", "/api/v1/events/2/register",
		`{"name":"Léa Martin","email":"lea@exemple.fr","category":"researcher","organisation":"Inria","workshop_id":7,"consent":true}`)
	if w.Code != 201 || strings.Contains(w.Body.String(), `"p_`) {
		t.Fatalf("register: %d %s", w.Code, w.Body)
	}
	var rec fabrique.RegistrationReceipt
	json.Unmarshal(w.Body.Bytes(), &rec)
	if rec.Status != fabrique.RegRegistered {
		t.Errorf("receipt %+v", rec)
	}
	again := call(t, s, anonymous, "POST", "/api/v1/events/2/register",
		`{"name":"Léa Martin","email":"LEA@exemple.fr","category":"researcher","workshop_id":7,"consent":true}`)
	// No enumeration: the known address is answered exactly as a newcomer
	// is (same status, same body, no id), and is mailed a reminder.
	newcomer := call(t, s, anonymous, "POST", "/api/v1/events/2/register",
		`{"name":"Noé Durand","email":"noe@exemple.fr","category":"citizen","workshop_id":7,"consent":true}`)
	if again.Code != 201 || again.Body.String() != newcomer.Body.String() || newcomer.Code != 201 || strings.Contains(again.Body.String(), "registration_id") {
		t.Errorf("second registration: %d %s\nnewcomer: %d %s", again.Code, again.Body, newcomer.Code, newcomer.Body)
	}
	w = call(t, s, admin, "GET", "/api/v1/outbox?event_id=2&state=pending", "")
	var page struct {
		Items []fabrique.OutboxMessage `json:"items"`
		Total int                      `json:"total"`
	}
	json.Unmarshal(w.Body.Bytes(), &page)
	// Launch and forum day: two invitations; then a reminder; then the newcomer's two invitations.
	if w.Code != 200 || page.Total != 5 || page.Items[4].Method != "REQUEST" || page.Items[2].Kind != fabrique.MsgReminder || page.Items[2].Recipient != "lea@exemple.fr" {
		t.Fatalf("outbox: %d %s", w.Code, w.Body)
	}
	w = call(t, s, admin, "GET", "/api/v1/outbox/"+jsonInt(page.Items[1].ID)+"/eml", "")
	if w.Code != 200 || w.Header().Get("Content-Type") != "message/rfc822" || !strings.Contains(w.Body.String(), "text/calendar") ||
		strings.Contains(w.Body.String(), "/p/p_") {
		t.Errorf("preview: %d %s", w.Code, w.Header())
	}
	w = call(t, s, orgOther, "GET", "/api/v1/outbox/"+jsonInt(page.Items[1].ID), "")
	if w.Code != 404 {
		t.Errorf("another ministry reads the message: %d", w.Code)
	}
	w = call(t, s, orgForum, "GET", "/api/v1/events/2/outbox/progress", "")
	if w.Code != 200 || !strings.Contains(w.Body.String(), `"pending":5`) {
		t.Errorf("progress: %d %s", w.Code, w.Body)
	}
	_ = st
}

func TestTheParticipantsPrivateLink(t *testing.T) {
	s, st := newServer(t)
	ws, _ := st.Workshops().List(staffCtx(), fabrique.ListOptions{Filters: map[string]string{"event_id": "2"}})
	rec, err := st.Enrolments().Register(context.Background(), 2, &fabrique.RegistrationRequest{Name: "Léa", Email: "lea@exemple.fr",
		Category: "researcher", WorkshopID: &ws.Items[0].ID, Consent: true})
	if err != nil {
		t.Fatal(err)
	}
	base := "/api/v1/p/" + rec.Token
	w := call(t, s, anonymous, "GET", base, "")
	if w.Code != 200 || !strings.Contains(w.Body.String(), `"status":"registered"`) {
		t.Fatalf("agenda: %d %s", w.Code, w.Body)
	}
	w = call(t, s, anonymous, "GET", base+"/calendar.ics", "")
	cal, err := goical.NewDecoder(bytes.NewReader(w.Body.Bytes())).Decode()
	if w.Code != 200 || err != nil || cal.Props.Get("METHOD").Value != "PUBLISH" || len(cal.Events()) != 2 {
		t.Fatalf("participant feed: %d %v %s", w.Code, err, w.Body)
	}
	w = call(t, s, anonymous, "POST", base+"/workshop", `{"workshop_id":"six"}`)
	if p := problemOf(t, w); w.Code != 422 || p.Errors[0].Field != "workshop_id" {
		t.Errorf("bad workshop: %d %+v", w.Code, p)
	}
	w = call(t, s, anonymous, "POST", base+"/workshop", `{"workshop_id":`+jsonInt(ws.Items[1].ID)+`}`)
	if w.Code != 200 || !strings.Contains(w.Body.String(), `"id":`+jsonInt(ws.Items[1].ID)) {
		t.Errorf("change: %d %s", w.Code, w.Body)
	}
	w = call(t, s, anonymous, "POST", base+"/cancel", "")
	if w.Code != 200 || !strings.Contains(w.Body.String(), `"status":"cancelled"`) {
		t.Errorf("cancel: %d %s", w.Code, w.Body)
	}
	w = call(t, s, anonymous, "GET", "/api/v1/events/2/calendar.ics", "")
	pub, err := goical.NewDecoder(bytes.NewReader(w.Body.Bytes())).Decode()
	if w.Code != 200 || err != nil || len(pub.Events()) < 4 {
		t.Errorf("public feed: %d %v", w.Code, err)
	}
	w = call(t, s, anonymous, "GET", "/api/v1/events/999/calendar.ics", "")
	if w.Code != 404 {
		t.Errorf("feed of a missing event: %d", w.Code)
	}
}

func TestBadRegistrationsNameTheFieldAndWriteNothing(t *testing.T) {
	s, st := newServer(t)
	before := countAll(t, st)
	for _, c := range []struct{ name, body, field string }{
		{"no consent", `{"name":"A","email":"a@exemple.fr","category":"citizen","workshop_id":6}`, "consent"},
		{"a bad email", `{"name":"A","email":"pas une adresse","category":"citizen","workshop_id":6,"consent":true}`, "email"},
		{"an unknown field", `{"name":"A","email":"a@exemple.fr","category":"citizen","workshop_id":6,"consent":true,"admin":true}`, "admin"},
		{"a workshop of another event", `{"name":"A","email":"a@exemple.fr","category":"citizen","workshop_id":1,"consent":true}`, "workshop_id"},
		{"a wrong type", `{"name":"A","email":"a@exemple.fr","category":"citizen","workshop_id":"6","consent":true}`, "workshop_id"},
	} {
		t.Run(c.name+" is refused", func(t *testing.T) {
			w := call(t, s, anonymous, "POST", "/api/v1/events/2/register", c.body)
			p := problemOf(t, w)
			if w.Code != 422 || len(p.Errors) == 0 || p.Errors[0].Field != c.field {
				t.Errorf("%d %+v, want 422 naming %s", w.Code, p, c.field)
			}
		})
	}
	if after := countAll(t, st); after != before {
		t.Errorf("something was written:\n%s\n%s", before, after)
	}
	if n := countTable(t, st, "outbox"); n != 0 {
		t.Errorf("%d messages queued", n)
	}
	w := call(t, s, anonymous, "POST", "/api/v1/events/1/register", `{"name":"A","email":"a@exemple.fr","category":"citizen","workshop_id":1,"consent":true}`)
	if w.Code != 409 {
		t.Errorf("registering for a past event: %d", w.Code)
	}
}

func staffCtx() context.Context { return fabrique.WithUser(context.Background(), fabrique.System) }

func jsonInt(n int64) string { b, _ := json.Marshal(n); return string(b) }

// countTable counts the rows of a table of the store's database.
func countTable(t testing.TB, st *sqlite.Store, table string) int {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+st.DB().Path()+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow("SELECT COUNT(*) FROM " + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
