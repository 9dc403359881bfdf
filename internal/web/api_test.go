package web_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

const validRoom = `{"venue_id":1,"name":"Salle 110","capacity":25,"step_free":true,"equipment":["vidéoprojecteur"]}`

func TestBadInputGetsAClearProblemAndWritesNothing(t *testing.T) {
	event := `{"kind":"open_ministry","title":"Ministère ouvert #2","host_organisation_id":1,"status":"draft","venue_id":1,"start":"2027-03-02T17:30:00+01:00","end":"2027-03-02T20:15:00+01:00"}`
	tests := []struct {
		name, method, url, body string
		status                  int
		field                   string // the field named, if any
		detail                  string // a part of the French detail
	}{
		{"malformed JSON is a 400", "POST", "/api/v1/rooms", `{"venue_id":1,`, 400, "", "JSON incomplet"},
		{"a syntax error gives its position", "POST", "/api/v1/rooms", `{"venue_id":1 "name":"x"}`, 400, "", "position"},
		{"an unknown field is named", "POST", "/api/v1/rooms", `{"venue_id":1,"name":"Salle","capacity":20,"colour":"bleu"}`, 422, "colour", ""},
		{"a wrong type is named with what was expected", "POST", "/api/v1/rooms", `{"venue_id":1,"name":"Salle","capacity":"vingt"}`, 422, "capacity", ""},
		{"a missing required field is named", "POST", "/api/v1/rooms", `{"venue_id":1,"capacity":20}`, 422, "name", ""},
		{"31 February is an impossible date", "POST", "/api/v1/events", strings.Replace(event, "2027-03-02T20:15", "2027-02-31T20:15", 1), 422, "end", "date invalide"},
		{"an end before the start is refused", "POST", "/api/v1/events", strings.Replace(event, "2027-03-02T20:15", "2027-03-02T16:15", 1), 422, "end", ""},
		{"a string past its limit is refused", "POST", "/api/v1/rooms", `{"venue_id":1,"name":"` + strings.Repeat("x", 201) + `","capacity":20}`, 422, "name", ""},
		{"a body over 1 MiB is refused", "POST", "/api/v1/rooms", `{"venue_id":1,"name":"` + strings.Repeat("x", 1<<20) + `","capacity":20}`, 413, "", "1 Mio"},
		{"a reference that does not exist is named", "POST", "/api/v1/rooms", `{"venue_id":999,"name":"Salle","capacity":20}`, 422, "venue_id", ""},
		{"an id that does not exist is a 404", "GET", "/api/v1/events/999", "", 404, "", "n° 999 n'existe pas"},
		{"an id that is not a number is a 404", "GET", "/api/v1/events/abc", "", 404, "", "Identifiant invalide"},
		{"a delete that would orphan rooms is a 409", "DELETE", "/api/v1/venues/1", "", 409, "", "5 salles"},
		{"an unknown filter is named", "GET", "/api/v1/events?colour=bleu", "", 422, "colour", ""},
		{"a bad filter value is named", "GET", "/api/v1/events?venue_id=x", "", 422, "venue_id", ""},
		{"a limit out of range is named", "GET", "/api/v1/events?limit=100000", "", 422, "limit", ""},
		{"two objects in one body are refused", "POST", "/api/v1/rooms", validRoom + validRoom, 400, "", "un seul objet"},
		{"an empty body is refused", "POST", "/api/v1/rooms", " ", 400, "", "vide"},
		{"a workshop on a programme item of another event is refused", "POST", "/api/v1/workshops", `{"event_id":2,"item_id":4,"title":"Atelier","capacity":20}`, 422, "item_id", ""},
		{"phases belong only to a forum", "POST", "/api/v1/events/1/phases", `{"kind":"launch","start":"2016-06-21T18:00:00+02:00","end":"2016-06-21T19:30:00+02:00"}`, 422, "event_id", ""},
		{"an unknown path is a 404 problem", "GET", "/api/v1/nothing", "", 404, "", "Aucune ressource"},
		{"a wrong method is a 405 problem", "POST", "/healthz", "", 405, "", "POST"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, st := newServer(t)
			before := countAll(t, st)
			w := call(t, s, admin, tt.method, tt.url, tt.body)
			if w.Code != tt.status {
				t.Fatalf("status = %d, want %d: %s", w.Code, tt.status, w.Body)
			}
			p := problemOf(t, w)
			if tt.field != "" && (len(p.Errors) == 0 || p.Errors[0].Field != tt.field || p.Errors[0].Message == "") {
				t.Errorf("errors = %+v, want field %q", p.Errors, tt.field)
			}
			if !strings.Contains(p.Detail, tt.detail) {
				t.Errorf("detail %q does not say %q", p.Detail, tt.detail)
			}
			if after := countAll(t, st); after != before {
				t.Errorf("something was written: %v → %v", before, after)
			}
		})
	}
}

func TestCreateReadUpdateDeleteThroughTheAPI(t *testing.T) {
	s, _ := newServer(t)
	w := call(t, s, admin, "POST", "/api/v1/venues/1/rooms", `{"name":"Salle 110","capacity":25}`)
	if w.Code != http.StatusCreated || w.Header().Get("Location") == "" {
		t.Fatalf("create: %d %s", w.Code, w.Body)
	}
	var room struct {
		ID       int64  `json:"id"`
		VenueID  int64  `json:"venue_id"`
		Name     string `json:"name"`
		Capacity int    `json:"capacity"`
	}
	json.Unmarshal(w.Body.Bytes(), &room)
	if room.VenueID != 1 || room.Name != "Salle 110" {
		t.Fatalf("created %+v", room)
	}
	loc := w.Header().Get("Location")
	if w = call(t, s, admin, "PATCH", loc, `{"capacity":30}`); w.Code != 200 || !strings.Contains(w.Body.String(), `"capacity":30`) || !strings.Contains(w.Body.String(), `"name":"Salle 110"`) {
		t.Fatalf("patch keeps the other fields: %d %s", w.Code, w.Body)
	}
	if w = call(t, s, admin, "PUT", loc, `{"venue_id":1,"name":"Salle 111","capacity":12}`); w.Code != 200 || !strings.Contains(w.Body.String(), `"name":"Salle 111"`) {
		t.Fatalf("put: %d %s", w.Code, w.Body)
	}
	if w = call(t, s, anonymous, "GET", "/api/v1/venues/1/rooms?min_capacity=12&limit=2", ""); w.Code != 200 {
		t.Fatalf("nested list: %d %s", w.Code, w.Body)
	}
	var page struct {
		Items []json.RawMessage `json:"items"`
		Total int               `json:"total"`
		Limit int               `json:"limit"`
	}
	json.Unmarshal(w.Body.Bytes(), &page)
	if page.Total != 6 || len(page.Items) != 2 || page.Limit != 2 {
		t.Errorf("page: total %d, items %d, limit %d", page.Total, len(page.Items), page.Limit)
	}
	if w = call(t, s, admin, "DELETE", loc, ""); w.Code != http.StatusNoContent {
		t.Fatalf("delete: %d %s", w.Code, w.Body)
	}
	if w = call(t, s, admin, "GET", loc, ""); w.Code != 404 {
		t.Errorf("after delete: %d", w.Code)
	}
}

func TestTimesAreParisTime(t *testing.T) {
	s, _ := newServer(t)
	w := call(t, s, anonymous, "GET", "/api/v1/events/1/programme", "")
	if !strings.Contains(w.Body.String(), `"start":"2016-06-21T18:20:00+02:00","end":"2016-06-21T19:20:00+02:00"`) {
		t.Errorf("the workshops slot is not 18:20–19:20 Paris time: %s", w.Body)
	}
}

func TestSignInGivesAToken(t *testing.T) {
	s, _ := newServer(t)
	w := call(t, s, anonymous, "POST", "/api/v1/auth/token", `{"email":"admin@fabrique.example","password":"demo-fabrique-2016"}`)
	var reply struct{ Token string }
	json.Unmarshal(w.Body.Bytes(), &reply)
	if w.Code != 201 || reply.Token == "" {
		t.Fatalf("sign in: %d %s", w.Code, w.Body)
	}
	tokens["signed-in"] = reply.Token
	defer delete(tokens, "signed-in")
	if w = call(t, s, "signed-in", "GET", "/api/v1/me", ""); w.Code != 200 || !strings.Contains(w.Body.String(), `"role":"admin"`) {
		t.Errorf("me: %d %s", w.Code, w.Body)
	}
	if w = call(t, s, anonymous, "POST", "/api/v1/auth/token", `{"email":"admin@fabrique.example","password":"wrong-password"}`); w.Code != 401 {
		t.Errorf("wrong password: %d", w.Code)
	}
	tokens["forged"] = "fab_forged"
	defer delete(tokens, "forged")
	if w = call(t, s, "forged", "GET", "/api/v1/events", ""); w.Code != 401 {
		t.Errorf("a forged token must be refused, not treated as anonymous: %d", w.Code)
	}
}

func TestHealth(t *testing.T) {
	s, _ := newServer(t)
	if w := call(t, s, anonymous, "GET", "/healthz", ""); w.Code != 200 || !strings.Contains(w.Body.String(), "ok") {
		t.Errorf("healthz: %d %s", w.Code, w.Body)
	}
}

func TestRegistrationsAreSeenOnlyByTheirStaff(t *testing.T) {
	s, _ := newServer(t)
	for role, want := range map[string]int{admin: 1, orgSERE: 1, facil: 1, orgOther: 0, orgForum: 0, facilOther: 0} {
		w := call(t, s, role, "GET", "/api/v1/registrations", "")
		var page struct{ Total int }
		json.Unmarshal(w.Body.Bytes(), &page)
		if w.Code != 200 || page.Total != want {
			t.Errorf("%s sees %d registrations (status %d), want %d", role, page.Total, w.Code, want)
		}
	}
	w := call(t, s, facil, "GET", "/api/v1/people", "")
	if strings.Contains(w.Body.String(), "camille@exemple.fr") || !strings.Contains(w.Body.String(), "Simon Chignard") {
		t.Errorf("a facilitator sees only themself among people: %s", w.Body)
	}
}
