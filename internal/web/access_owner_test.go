package web_test

import (
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"

	"fabrique/internal/fabrique"
)

// The every-route × every-role walk with the object's owner: each route
// naming an object is tried by every role against objects of the
// Secrétariat d'État (a contact, a registrant of its event, the
// registration, its venue, a room, its event, a workshop) and of the
// forum's host (its forum). The expected answer of each cell is
// read from the one policy (fabrique.Policy), so that the code and the
// test cannot disagree silently.

// ownedTarget is an object, its owner and how the policy names it.
type ownedTarget struct {
	name   string
	url    string
	obj    fabrique.Object
	owner  fabrique.Owner
	public bool // readable by anyone (published event, venue, room)
	staff  bool // the collection is for staff only (people, registrations)
	del    int  // what an allowed delete answers (409 when others refer to it)
	email  string
}

// me reads the account of each role through the API.
func me(t *testing.T, s *httptest.ResponseRecorder) *fabrique.User {
	t.Helper()
	var u fabrique.User
	if err := json.Unmarshal(s.Body.Bytes(), &u); err != nil {
		t.Fatal(err)
	}
	return &u
}

func getJSON(t *testing.T, w *httptest.ResponseRecorder, v any) {
	t.Helper()
	if w.Code != 200 {
		t.Fatalf("read: %d %s", w.Code, w.Body)
	}
	if err := json.Unmarshal(w.Body.Bytes(), v); err != nil {
		t.Fatal(err)
	}
}

func TestEveryObjectRouteWithEveryOwner(t *testing.T) {
	s, st := newServer(t)
	users := map[string]*fabrique.User{}
	for _, r := range roles {
		if r != anonymous {
			users[r] = me(t, call(t, s, r, "GET", "/api/v1/me", ""))
		}
	}
	person, reg := camilleID(t, st)
	var camille, contact fabrique.Person
	getJSON(t, call(t, s, admin, "GET", fmt.Sprintf("/api/v1/people/%d", person), ""), &camille)
	getJSON(t, call(t, s, admin, "GET", "/api/v1/people/2", ""), &contact)
	var registration fabrique.Registration
	getJSON(t, call(t, s, admin, "GET", fmt.Sprintf("/api/v1/registrations/%d", reg), ""), &registration)
	workshops := func(event int64) map[int64][]int64 {
		var page struct{ Items []fabrique.Workshop }
		getJSON(t, call(t, s, admin, "GET", fmt.Sprintf("/api/v1/events/%d/workshops?limit=500", event), ""), &page)
		out := map[int64][]int64{}
		for _, w := range page.Items {
			out[w.ID] = w.FacilitatorIDs
		}
		return out
	}
	facilitators := func(ws map[int64][]int64) []int64 {
		var out []int64
		for _, f := range ws {
			out = append(out, f...)
		}
		return out
	}
	var ev1, ev2 fabrique.Event
	getJSON(t, call(t, s, admin, "GET", "/api/v1/events/1", ""), &ev1)
	getJSON(t, call(t, s, admin, "GET", "/api/v1/events/2", ""), &ev2)
	var venue fabrique.Venue
	getJSON(t, call(t, s, admin, "GET", "/api/v1/venues/1", ""), &venue)
	ws1, ws2 := workshops(1), workshops(2)
	event := func(ev fabrique.Event, ws map[int64][]int64) fabrique.Owner {
		return fabrique.Owner{Orgs: []int64{ev.HostOrganisationID}, People: facilitators(ws)}
	}
	regWorkshop := *registration.WorkshopID
	targets := []ownedTarget{
		{"a contact of the Secrétariat d'État", "/api/v1/people/2", contact.PolicyObject(), contact.Owner(), false, true, 409, contact.Email},
		{"a registrant of the Secrétariat d'État's event", fmt.Sprintf("/api/v1/people/%d", person), camille.PolicyObject(), camille.Owner(), false, true, 409, camille.Email},
		{"the registration of that registrant", fmt.Sprintf("/api/v1/registrations/%d", reg), fabrique.ObjParticipant,
			fabrique.Owner{Orgs: []int64{ev1.HostOrganisationID}, People: ws1[regWorkshop]}, false, true, 204, ""},
		{"the Secrétariat d'État's venue", "/api/v1/venues/1", fabrique.ObjVenue, fabrique.OrgOwner(venue.HostOrganisationID), true, false, 409, ""},
		{"a room of that venue", "/api/v1/rooms/1", fabrique.ObjVenue, fabrique.OrgOwner(venue.HostOrganisationID), true, false, 409, ""},
		{"the Secrétariat d'État's event", "/api/v1/events/1", fabrique.ObjEvent, event(ev1, ws1), ev1.Status == fabrique.EventPublished, false, 409, ""},
		{"the forum host's forum", "/api/v1/events/2", fabrique.ObjEvent, event(ev2, ws2), ev2.Status == fabrique.EventPublished, false, 204, ""},
		{"a workshop of the published event", fmt.Sprintf("/api/v1/workshops/%d", regWorkshop), fabrique.ObjEvent, event(ev1, ws1), true, false, 409, ""},
	}
	for _, tg := range targets {
		for _, method := range []string{"GET", "PUT", "PATCH", "DELETE"} {
			for _, role := range roles {
				want := policyAnswer(users[role], method, tg)
				t.Run(tg.name+" "+method+" as "+role, func(t *testing.T) {
					s, st := newServer(t)
					body := ""
					if method == "PUT" || method == "PATCH" {
						body = readAsAdmin(t, st, tg.url)
					}
					before := countAll(t, st)
					w := call(t, s, role, method, tg.url, body)
					if w.Code != want {
						t.Fatalf("%s %s as %s: %d, want %d from the policy: %s", method, tg.url, role, w.Code, want, w.Body)
					}
					if method != "GET" && w.Code >= 400 {
						if after := countAll(t, st); after != before {
							t.Errorf("a refused %s wrote:\n%s\n%s", method, before, after)
						}
					}
					if method == "GET" && w.Code == 200 && tg.email != "" {
						readable := fabrique.Can(users[role], tg.obj, fabrique.ActRead, tg.owner)
						if hidden := strings.Contains(w.Body.String(), `"email":""`); hidden == readable {
							t.Errorf("the email is shown %v, the policy reads %v: %s", !hidden, readable, w.Body)
						}
					}
				})
			}
		}
	}
}

// policyAnswer is the status the policy gives u for method on the target.
func policyAnswer(u *fabrique.User, method string, tg ownedTarget) int {
	visible := tg.public || fabrique.Can(u, tg.obj, fabrique.ActRead, tg.owner) ||
		(tg.obj == fabrique.ObjContact && fabrique.Can(u, fabrique.ObjContact, fabrique.ActUse, tg.owner))
	if method == "GET" {
		switch {
		case visible:
			return 200
		case u == nil && tg.staff:
			return 401
		}
		return 404
	}
	switch {
	case u == nil:
		return 401
	case !visible:
		return 404
	case !fabrique.Can(u, tg.obj, fabrique.ActChange, tg.owner):
		return 403
	case method == "DELETE":
		return tg.del
	}
	return 200
}
