package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"fabrique/internal/demo"
	"fabrique/internal/fabrique"
	"fabrique/internal/outbox"
	"fabrique/internal/sqlite"
)

// thirdParty creates an association and the account of its correspondent.
func thirdParty(t *testing.T, st *sqlite.Store) (email, password string) {
	t.Helper()
	ctx := fabrique.WithUser(context.Background(), fabrique.System)
	org := &fabrique.Organisation{Name: "Association Lille en commun", Kind: fabrique.OrgCivilSociety}
	if err := st.Organisations().Create(ctx, org); err != nil {
		t.Fatal(err)
	}
	u := &fabrique.User{Email: "relais@lille-en-commun.example", Name: "Inès Relais", Role: fabrique.RoleOrganiser, OrganisationID: &org.ID}
	if err := st.Users().CreateUser(ctx, u, "mot-de-passe-relais"); err != nil {
		t.Fatal(err)
	}
	return u.Email, "mot-de-passe-relais"
}

// queued lists the outbox messages of a kind.
func queued(t *testing.T, st *sqlite.Store, kind string) []*fabrique.OutboxMessage {
	t.Helper()
	ctx := fabrique.WithUser(context.Background(), fabrique.System)
	p, err := st.Outbox().ListOutbox(ctx, fabrique.ListOptions{Filters: map[string]string{"kind": kind}})
	if err != nil {
		t.Fatal(err)
	}
	return p.Items
}

var declaredSession = url.Values{"title": {"Ministère ouvert #3"}, "venue_id": {"1"}, "plenary_room_id": {"1"}, "room_ids": {"2", "3"},
	"date": {"2027-06-08"}, "start_time": {"17:30"}, "capacity": {"20"},
	"w1_title": {"Évaluer les politiques publiques"}, "w1_commitment_id": {"4"}, "w1_room_id": {"2"}, "w1_facilitator_id": {"2"},
	"w2_title": {"Les registres de données"}, "w3_title": {"Le climat"}, "notes": {"Salle Pierre Mendès-France réservée."}}

func TestDeclarationsReviewedByDITP(t *testing.T) {
	s, st := newServer(t)
	org := newBrowser(t, s)
	org.signIn(demo.OrganiserEmail, demo.Password)
	ditp := signedIn(t, s)
	var page string
	t.Run("a ministry correspondent declares a Ministère ouvert, not a relay workshop", func(t *testing.T) {
		if w := org.get("/staff/declarations/new/relay_workshop"); w.Code != http.StatusForbidden {
			t.Errorf("relay form: status %d", w.Code)
		}
		contains(t, org.get("/staff/declarations/new/open_ministry"), `id="declaration-w1_commitment_id"`, `id="declaration-w1_facilitator_id"`, `id="declaration-w8_title"`, `id="declaration-room_ids"`)
		bad := cloneValues(declaredSession)
		bad.Set("date", "2027-05-06") // Ascension
		w := org.post("/staff/declarations/new/open_ministry", bad)
		if w.Code != http.StatusUnprocessableEntity {
			t.Fatalf("status %d", w.Code)
		}
		contains(t, w, `id="declaration-date-erreur"`, "Ascension", "lundi 10 mai 2027")
		w = org.post("/staff/declarations/new/open_ministry", cloneValues(declaredSession))
		if w.Code != http.StatusSeeOther {
			t.Fatalf("status %d: %s", w.Code, w.Body)
		}
		page, _, _ = strings.Cut(w.Header().Get("Location"), "?")
		contains(t, org.get(page), "Soumise pour examen", "Salle Pierre Mendès-France réservée.", "Ministère ouvert #3")
	})
	event := strings.Replace(page, "/staff/declarations/", "/staff/events/", 1)
	t.Run("the declared event cannot be published before DITP accepts it", func(t *testing.T) {
		org.get(event + "/planning")
		w := org.post(event+"/publish", nil)
		if w.Code != http.StatusConflict {
			t.Fatalf("status %d", w.Code)
		}
		contains(t, w, "déclaré à la DITP")
	})
	t.Run("DITP sees it to review and must say what to change", func(t *testing.T) {
		contains(t, ditp.get("/staff/declarations"), "Ministère ouvert #3", "Soumise pour examen")
		ditp.get(page)
		w := ditp.post(page+"/changes", url.Values{"comment": {""}})
		if w.Code != http.StatusUnprocessableEntity {
			t.Fatalf("status %d", w.Code)
		}
		contains(t, w, `id="modifications-comment-erreur"`)
		if n := len(queued(t, st, fabrique.MsgDeclarationChanges)); n != 0 {
			t.Fatalf("%d messages queued for a refused decision", n)
		}
		w = ditp.post(page+"/changes", url.Values{"comment": {"Ajoutez un atelier sur l'engagement 12, s'il vous plaît."}})
		if w.Code != http.StatusSeeOther {
			t.Fatalf("status %d: %s", w.Code, w.Body)
		}
		msgs := queued(t, st, fabrique.MsgDeclarationChanges)
		if len(msgs) != 1 || msgs[0].Recipient != demo.OrganiserEmail || msgs[0].Method != fabrique.MethodNotice || !strings.Contains(msgs[0].Payload.Summary, "engagement 12") {
			t.Fatalf("queued %+v", msgs)
		}
		r := outbox.NewRenderer("http://fabrique.test", outbox.DefaultFrom("http://fabrique.test"))
		mail, err := r.Message(msgs[0], time.Now(), true)
		if err != nil || !strings.Contains(mail.Text, "examinée par la DITP") || !strings.Contains(mail.Text, "engagement 12") || mail.Calendar != nil ||
			strings.Contains(mail.Text, "page personnelle") || strings.Contains(mail.HTML, "page personnelle") {
			t.Errorf("the email tells %q (err %v)", mail.Text, err)
		}
	})
	t.Run("the declarer sees the comment and submits again; DITP accepts", func(t *testing.T) {
		contains(t, org.get(page), "Modifications demandées", "Ajoutez un atelier sur l&#39;engagement 12")
		if w := org.post(page+"/resubmit", url.Values{"notes": {"Atelier ajouté."}}); w.Code != http.StatusSeeOther {
			t.Fatalf("resubmit: status %d", w.Code)
		}
		if w := org.post(page+"/accept", url.Values{}); w.Code != http.StatusForbidden {
			t.Errorf("an organiser accepts: status %d", w.Code)
		}
		ditp.get(page)
		if w := ditp.post(page+"/accept", url.Values{"comment": {"Merci !"}}); w.Code != http.StatusSeeOther {
			t.Fatalf("accept: status %d", w.Code)
		}
		if msgs := queued(t, st, fabrique.MsgDeclarationAccepted); len(msgs) != 1 {
			t.Fatalf("%d acceptance messages", len(msgs))
		}
		contains(t, org.get(page), "Acceptée", "peut être publié")
		org.get(event + "/planning")
		w := org.post(event+"/publish", nil)
		lacks(t, w, "déclaré à la DITP") // what may still block is the planning, not the review
	})
}

func TestRelayWorkshopDeclaredByAThirdParty(t *testing.T) {
	s, st := newServer(t)
	email, password := thirdParty(t, st)
	b := newBrowser(t, s)
	b.signIn(email, password)
	if w := b.get("/staff/declarations/new/open_ministry"); w.Code != http.StatusForbidden {
		t.Errorf("an association declares a Ministère ouvert: status %d", w.Code)
	}
	contains(t, b.get("/staff/declarations/new/relay_workshop"), `id="declaration-parent_event_id"`)
	w := b.post("/staff/declarations/new/relay_workshop", url.Values{"title": {"Atelier-relais à Lille"}, "parent_event_id": {"2"}, "venue_id": {"2"},
		"date": {"2027-02-03"}, "start_time": {"14:00"}, "capacity": {"25"}, "room_ids": {"1"}})
	if w.Code != http.StatusUnprocessableEntity {
		t.Fatalf("a room of another venue: status %d", w.Code)
	}
	contains(t, w, `id="declaration-room_ids-erreur"`)
	w = b.post("/staff/declarations/new/relay_workshop", url.Values{"title": {"Atelier-relais à Lille"}, "parent_event_id": {"2"}, "venue_id": {"2"},
		"date": {"2027-02-03"}, "start_time": {"14:00"}, "capacity": {"25"}})
	if w.Code != http.StatusSeeOther {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	contains(t, signedIn(t, s).get("/staff/declarations"), "Atelier-relais à Lille", "Association Lille en commun")
	if w := newBrowserAs(t, s, demo.OrganiserEmail).get("/staff/declarations"); strings.Contains(w.Body.String(), "Atelier-relais à Lille") {
		t.Error("another organisation sees the declaration")
	}
}

// newBrowserAs signs in a demo account.
func newBrowserAs(t *testing.T, s http.Handler, email string) *browser {
	b := newBrowser(t, s)
	b.signIn(email, demo.Password)
	return b
}

// The review through the API (issue 15): what the pages do, with the same
// rules and messages, for a program of the DITP or of a ministry.
func TestDeclarationsReviewedThroughTheAPI(t *testing.T) {
	s, st := newServer(t)
	org := newBrowser(t, s)
	org.signIn(demo.OrganiserEmail, demo.Password)
	org.get("/staff/declarations/new/open_ministry")
	w := org.post("/staff/declarations/new/open_ministry", cloneValues(declaredSession))
	if w.Code != http.StatusSeeOther {
		t.Fatalf("declare: status %d: %s", w.Code, w.Body)
	}
	page, _, _ := strings.Cut(w.Header().Get("Location"), "?")
	id := strings.TrimPrefix(page, "/staff/declarations/")
	api := "/api/v1/declarations/" + id
	state := func(w *httptest.ResponseRecorder) string {
		t.Helper()
		var d struct {
			State   string   `json:"state"`
			Changes []string `json:"changes"`
		}
		if err := json.Unmarshal(w.Body.Bytes(), &d); err != nil {
			t.Fatalf("%d %s", w.Code, w.Body)
		}
		return d.State
	}
	if w := call(t, s, admin, "GET", "/api/v1/declarations", ""); w.Code != 200 || !strings.Contains(w.Body.String(), `"state":"submitted"`) {
		t.Fatalf("the DITP's list: %d %s", w.Code, w.Body)
	}
	if w := call(t, s, orgOther, "GET", api, ""); w.Code != 404 {
		t.Errorf("another ministry reads it: %d", w.Code)
	}
	t.Run("a decision without a comment, or with a field of its own, is refused naming the field", func(t *testing.T) {
		w := call(t, s, admin, "POST", api+"/changes", `{"comment":""}`)
		if p := problemOf(t, w); w.Code != 422 || len(p.Errors) == 0 || p.Errors[0].Field != "comment" {
			t.Errorf("empty comment: %d %+v", w.Code, p)
		}
		w = call(t, s, admin, "POST", api+"/accept", `{"commentaire":"Merci"}`)
		if p := problemOf(t, w); w.Code < 400 || w.Code >= 500 || !strings.Contains(p.Detail+fmt.Sprint(p.Errors), "commentaire") {
			t.Errorf("unknown field: %d %+v", w.Code, p)
		}
		if n := len(queued(t, st, fabrique.MsgDeclarationChanges)); n != 0 {
			t.Errorf("%d messages queued by refused decisions", n)
		}
	})
	t.Run("changes asked, resubmitted, accepted; only the DITP decides", func(t *testing.T) {
		if w := call(t, s, admin, "POST", api+"/changes", `{"comment":"Ajoutez un atelier sur l'engagement 12, s'il vous plaît."}`); w.Code != 200 || state(w) != "changes_requested" {
			t.Fatalf("changes: %d %s", w.Code, w.Body)
		}
		if n := len(queued(t, st, fabrique.MsgDeclarationChanges)); n != 1 {
			t.Errorf("%d messages to the declarer", n)
		}
		if w := call(t, s, orgSERE, "POST", api+"/accept", `{"comment":"Accepté par nous-mêmes"}`); w.Code != 403 {
			t.Errorf("the declarer accepts: %d", w.Code)
		}
		if w := call(t, s, orgSERE, "POST", api+"/resubmit", `{"notes":"Atelier ajouté."}`); w.Code != 200 || state(w) != "submitted" {
			t.Fatalf("resubmit: %d %s", w.Code, w.Body)
		}
		if w := call(t, s, admin, "POST", api+"/accept", `{"comment":"Merci !"}`); w.Code != 200 || state(w) != "accepted" {
			t.Fatalf("accept: %d %s", w.Code, w.Body)
		}
		if n := len(queued(t, st, fabrique.MsgDeclarationAccepted)); n != 1 {
			t.Errorf("%d acceptance messages", n)
		}
		contains(t, org.get(page), "Acceptée")
	})
}

// declaredOverTheAPI is the declaration of declaredSession as the API's body.
const declaredOverTheAPI = `{"event":{"format":"open_ministry","title":"Ministère ouvert #3","venue_id":1,"plenary_room_id":1,
	"date":"2027-06-08","start_time":"17:30","capacity":20},
	"workshops":[{"title":"Évaluer les politiques publiques","commitment_ids":[4],"room_id":2,"facilitator_ids":[2]},
		{"title":"Les registres de données"},{"title":"Le climat"}],
	"room_ids":[2,3],"notes":"Salle Pierre Mendès-France réservée."}`

// TestDeclaringThroughTheAPI declares over the API what the form
// declares: the event is a draft of the declarer's organisation with the
// workshops declared, under review; the refusals name their field or say
// who declares what, in French.
func TestDeclaringThroughTheAPI(t *testing.T) {
	s, st := newServer(t)
	w := call(t, s, orgSERE, "POST", "/api/v1/declarations", declaredOverTheAPI)
	if w.Code != http.StatusCreated {
		t.Fatalf("declare: %d %s", w.Code, w.Body)
	}
	var d struct {
		EventID int64  `json:"event_id"`
		State   string `json:"state"`
		Notes   string `json:"notes"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &d); err != nil || d.State != "submitted" || d.Notes != "Salle Pierre Mendès-France réservée." {
		t.Fatalf("the declaration: %v %s", err, w.Body)
	}
	if loc := w.Header().Get("Location"); loc != "/api/v1/declarations/"+strconv.FormatInt(d.EventID, 10) {
		t.Errorf("Location %q", loc)
	}
	sys := fabrique.WithUser(context.Background(), fabrique.System)
	ev, err := st.Events().Get(sys, d.EventID)
	if err != nil || ev.Status != fabrique.EventDraft || ev.HostOrganisationID != 1 || ev.Title != "Ministère ouvert #3" {
		t.Fatalf("the event declared: %v %+v", err, ev)
	}
	ws, err := st.Workshops().List(sys, fabrique.ListOptions{Limit: 20, Filters: map[string]string{"event_id": strconv.FormatInt(d.EventID, 10)}})
	if err != nil || len(ws.Items) != 3 || ws.Items[0].Title != "Évaluer les politiques publiques" {
		t.Fatalf("the workshops declared: %v %+v", err, ws)
	}
	if w := call(t, s, admin, "GET", "/api/v1/declarations/"+strconv.FormatInt(d.EventID, 10), ""); w.Code != 200 || !strings.Contains(w.Body.String(), `"state":"submitted"`) {
		t.Errorf("the DITP reads it: %d %s", w.Code, w.Body)
	}
	t.Run("a holiday, a missing place and no workshop are named", func(t *testing.T) {
		body := strings.Replace(declaredOverTheAPI, "2027-06-08", "2027-05-06", 1) // Ascension
		p := problemOf(t, call(t, s, orgSERE, "POST", "/api/v1/declarations", body))
		if p.Status != 422 || len(p.Errors) == 0 || p.Errors[0].Field != "event.date" || !strings.Contains(p.Errors[0].Message, "Ascension") {
			t.Errorf("a holiday: %+v", p)
		}
		p = problemOf(t, call(t, s, orgSERE, "POST", "/api/v1/declarations", `{"event":{"format":"open_ministry","title":"Ministère ouvert #4","date":"2027-06-08"}}`))
		fields := map[string]bool{}
		for _, e := range p.Errors {
			fields[e.Field] = true
		}
		if p.Status != 422 || !fields["workshops"] || !fields["event.venue_id"] {
			t.Errorf("no workshop, no place: %+v", p)
		}
		p = problemOf(t, call(t, s, orgSERE, "POST", "/api/v1/declarations", `{"event":{"format":"forum"}}`))
		if p.Status != 422 || p.Errors[0].Field != "event.format" {
			t.Errorf("a forum: %+v", p)
		}
		p = problemOf(t, call(t, s, orgSERE, "POST", "/api/v1/declarations", `{"event":{},"extra":1}`))
		if p.Status != 422 || len(p.Errors) != 1 || p.Errors[0].Field != "extra" {
			t.Errorf("an unknown field: %+v", p)
		}
	})
	t.Run("who declares what: a ministry no relay workshop, the DITP nothing", func(t *testing.T) {
		relay := `{"event":{"format":"relay_workshop","title":"Atelier-relais","venue_id":1,"date":"2027-06-08","start_time":"18:00","parent_event_id":2},"workshops":[]}`
		p := problemOf(t, call(t, s, orgSERE, "POST", "/api/v1/declarations", relay))
		if p.Status != 403 || !strings.Contains(p.Detail, "atelier-relais est déclaré par un tiers") {
			t.Errorf("a ministry declaring a relay workshop: %+v", p)
		}
		p = problemOf(t, call(t, s, admin, "POST", "/api/v1/declarations", declaredOverTheAPI))
		if p.Status != 403 || !strings.Contains(p.Detail, "La DITP crée directement ses événements") {
			t.Errorf("the DITP declaring: %+v", p)
		}
	})
}
