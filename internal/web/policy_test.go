package web_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"fabrique/internal/sqlite"
)

// camilleID is the registrant of the test template: a participant of
// Ministère ouvert #1, hosted by the Secrétariat d'État.
func camilleID(t *testing.T, st *sqlite.Store) (person, registration int64) {
	t.Helper()
	s, _ := newServerOn(st)
	w := call(t, s, admin, "GET", "/api/v1/people?email=camille@exemple.fr", "")
	var page struct {
		Items []struct{ ID int64 } `json:"items"`
	}
	json.Unmarshal(w.Body.Bytes(), &page)
	if len(page.Items) != 1 {
		t.Fatalf("Camille: %s", w.Body)
	}
	person = page.Items[0].ID
	w = call(t, s, admin, "GET", fmt.Sprintf("/api/v1/registrations?person_id=%d", person), "")
	json.Unmarshal(w.Body.Bytes(), &page)
	if len(page.Items) != 1 {
		t.Fatalf("Camille's registration: %s", w.Body)
	}
	return person, page.Items[0].ID
}

// Each attack of issue 11, tried as a hostile organiser would: refused,
// with nothing written.
func TestAttacksOfAnotherOrganisationAreRefused(t *testing.T) {
	type attack struct {
		name, role, method, url, body string
		status                        int
		field                         string // the field a 422 names
	}
	attacks := []attack{
		{"another ministry takes over a registrant's email", orgOther, "PATCH", "/api/v1/people/{camille}", `{"email":"attaquant@exemple.fr"}`, 404, ""},
		{"the forum's host takes over a registrant's email", orgForum, "PATCH", "/api/v1/people/{camille}", `{"email":"attaquant@exemple.fr"}`, 404, ""},
		{"another ministry replaces a registrant", orgOther, "PUT", "/api/v1/people/{camille}", `{"name":"Camille","email":"attaquant@exemple.fr","category":"citizen"}`, 404, ""},
		{"another ministry finds a registrant by email", orgOther, "GET", "/api/v1/people?email=camille@exemple.fr", "", 200, ""},
		{"the host moves a registration to another person", orgSERE, "PATCH", "/api/v1/registrations/{registration}", `{"person_id":2}`, 422, "person_id"},
		{"the host moves a registration to another event", orgSERE, "PATCH", "/api/v1/registrations/{registration}", `{"event_id":2}`, 422, "event_id"},
		{"an administrator moves a registration to another person", admin, "PATCH", "/api/v1/registrations/{registration}", `{"person_id":2}`, 422, "person_id"},
		{"another ministry moves a registration", orgOther, "PATCH", "/api/v1/registrations/{registration}", `{"person_id":2}`, 404, ""},
		{"another ministry registers someone else's participant", orgOther, "POST", "/api/v1/registrations", `{"event_id":1,"person_id":{camille},"status":"registered","consent":true}`, 403, ""},
		{"another ministry attaches a relay workshop to the forum", orgOther, "POST", "/api/v1/events/from-format",
			`{"format":"relay_workshop","title":"Atelier-relais de l'Intérieur","host_organisation_id":5,"online_url":"https://webinaire.numerique.gouv.fr/x","parent_event_id":2,"date":"2027-01-21","start_time":"18:00"}`, 422, "parent_event_id"},
		{"another ministry attaches a relay workshop to a published session", orgOther, "POST", "/api/v1/events/from-format",
			`{"format":"relay_workshop","title":"Atelier-relais de l'Intérieur","host_organisation_id":5,"online_url":"https://webinaire.numerique.gouv.fr/x","parent_event_id":1,"date":"2027-01-21","start_time":"18:00"}`, 422, "parent_event_id"},
		{"the forum's host books a room of the Secrétariat d'État", orgForum, "PATCH", "/api/v1/workshops/{forumWorkshop}", `{"room_id":1}`, 422, "room_id"},
		{"the forum's host books the Secrétariat d'État's venue", orgForum, "PATCH", "/api/v1/events/2", `{"venue_id":1}`, 422, "venue_id"},
		{"another ministry creates an event at the Secrétariat d'État's venue", orgOther, "POST", "/api/v1/events",
			`{"kind":"open_ministry","title":"Ministère ouvert de l'Intérieur","host_organisation_id":5,"status":"draft","venue_id":1,"start":"2027-03-02T17:30:00+01:00","end":"2027-03-02T20:15:00+01:00"}`, 422, "venue_id"},
		{"a registrant is picked as a facilitator", orgSERE, "PATCH", "/api/v1/workshops/1", `{"facilitator_ids":[{camille}]}`, 422, "facilitator_ids"},
		{"a visitor writes a body that is not even valid", anonymous, "POST", "/api/v1/events", `{"kind":`, 401, ""},
		{"a visitor patches with an invalid field", anonymous, "PATCH", "/api/v1/people/1", `{"category":"martien"}`, 401, ""},
	}
	for _, a := range attacks {
		t.Run(a.name, func(t *testing.T) {
			s, st := newServer(t)
			person, reg := camilleID(t, st)
			var forum struct {
				Items []struct{ ID int64 } `json:"items"`
			}
			json.Unmarshal(call(t, s, admin, "GET", "/api/v1/events/2/workshops", "").Body.Bytes(), &forum)
			r := strings.NewReplacer("{camille}", fmt.Sprint(person), "{registration}", fmt.Sprint(reg), "{forumWorkshop}", fmt.Sprint(forum.Items[0].ID))
			url, body := r.Replace(a.url), r.Replace(a.body)
			before := countAll(t, st)
			beforeCamille := call(t, s, admin, "GET", fmt.Sprintf("/api/v1/people/%d", person), "").Body.String()
			beforeReg := call(t, s, admin, "GET", fmt.Sprintf("/api/v1/registrations/%d", reg), "").Body.String()
			w := call(t, s, a.role, a.method, url, body)
			if w.Code != a.status {
				t.Fatalf("%s %s as %s: %d, want %d: %s", a.method, url, a.role, w.Code, a.status, w.Body)
			}
			if a.method == "GET" {
				if strings.Contains(w.Body.String(), "camille") || !strings.Contains(w.Body.String(), `"total":0`) {
					t.Errorf("the filter finds another host's registrant: %s", w.Body)
				}
			} else {
				p := problemOf(t, w)
				if a.field != "" && (len(p.Errors) == 0 || strings.TrimPrefix(p.Errors[0].Field, "event.") != a.field) { // from-format names the plan's fields
					t.Errorf("the refusal names %+v, want %s", p.Errors, a.field)
				}
				if a.status == 422 && !strings.ContainsAny(p.Errors[0].Message, "éèàç°") {
					t.Errorf("the message is not in French: %q", p.Errors[0].Message)
				}
			}
			if after := countAll(t, st); after != before {
				t.Errorf("rows changed:\n%s\n%s", before, after)
			}
			if after := call(t, s, admin, "GET", fmt.Sprintf("/api/v1/people/%d", person), "").Body.String(); after != beforeCamille {
				t.Errorf("Camille changed: %s", after)
			}
			if after := call(t, s, admin, "GET", fmt.Sprintf("/api/v1/registrations/%d", reg), "").Body.String(); after != beforeReg {
				t.Errorf("the registration changed: %s", after)
			}
		})
	}
}

// What the same requests do for those the policy allows.
func TestTheHostChangesItsRegistrant(t *testing.T) {
	s, st := newServer(t)
	person, reg := camilleID(t, st)
	if w := call(t, s, orgSERE, "GET", "/api/v1/people?email=camille@exemple.fr", ""); !strings.Contains(w.Body.String(), `"total":1`) {
		t.Errorf("the host does not find its registrant: %s", w.Body)
	}
	w := call(t, s, orgSERE, "PATCH", fmt.Sprintf("/api/v1/people/%d", person), `{"name":"Camille Martin"}`)
	if w.Code != 200 || !strings.Contains(w.Body.String(), `"name":"Camille Martin"`) || !strings.Contains(w.Body.String(), `"kind":"participant"`) {
		t.Errorf("the host changes its registrant: %d %s", w.Code, w.Body)
	}
	if w := call(t, s, orgSERE, "PATCH", fmt.Sprintf("/api/v1/people/%d", person), `{"organisation_id":5}`); w.Code != 200 {
		t.Errorf("the host records where its registrant works: %d %s", w.Code, w.Body)
	}
	if w := call(t, s, orgSERE, "PATCH", fmt.Sprintf("/api/v1/people/%d", person), `{"kind":"contact"}`); w.Code != 422 || problemOf(t, w).Errors[0].Field != "kind" {
		t.Errorf("a registrant turned into a contact: %d %s", w.Code, w.Body)
	}
	if w := call(t, s, orgSERE, "PATCH", fmt.Sprintf("/api/v1/registrations/%d", reg), `{"workshop_id":2}`); w.Code != 200 {
		t.Errorf("the host moves its registrant to another workshop: %d %s", w.Code, w.Body)
	}
	// Another organisation's contact is read-only, by name, without email.
	if w := call(t, s, orgSERE, "PATCH", "/api/v1/people/2", `{"email":"jv.place@exemple.fr"}`); w.Code != 200 {
		t.Fatalf("the Secrétariat d'État gives its contact an address: %d %s", w.Code, w.Body)
	}
	w = call(t, s, orgOther, "GET", "/api/v1/people/2", "")
	if w.Code != 200 || !strings.Contains(w.Body.String(), `"name":"Jean-Vincent Placé"`) || strings.Contains(w.Body.String(), "jv.place") {
		t.Errorf("another organisation's contact: %d %s", w.Code, w.Body)
	}
	if w := call(t, s, orgOther, "GET", "/api/v1/people?email=jv.place@exemple.fr", ""); !strings.Contains(w.Body.String(), `"total":0`) {
		t.Errorf("another organisation finds a contact by its address: %s", w.Body)
	}
	if w := call(t, s, orgOther, "PATCH", "/api/v1/people/2", `{"name":"Usurpé"}`); w.Code != 403 {
		t.Errorf("another organisation changes a contact: %d %s", w.Code, w.Body)
	}
	// The relay declared by a third party, accepted by the DITP, stays the way.
	w = call(t, s, admin, "POST", "/api/v1/events/from-format", `{"format":"relay_workshop","title":"Atelier-relais à Lille",
		"host_organisation_id":12,"online_url":"https://webinaire.numerique.gouv.fr/lille","parent_event_id":2,"date":"2027-01-21","start_time":"18:00"}`)
	if w.Code != 201 {
		t.Errorf("an administrator attaches a relay workshop: %d %s", w.Code, w.Body)
	}
}
