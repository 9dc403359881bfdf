package web_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

type conflictsReply struct {
	Conflicts []struct {
		Kind    string `json:"kind"`
		Key     string `json:"key"`
		Message string `json:"message"`
		Waived  bool   `json:"waived"`
	} `json:"conflicts"`
	Blocking int `json:"blocking"`
}

func getConflicts(t *testing.T, srv http.Handler, event int64) conflictsReply {
	t.Helper()
	w := call(t, srv, admin, "GET", fmt.Sprintf("/api/v1/events/%d/conflicts", event), "")
	if w.Code != 200 {
		t.Fatalf("conflicts: %d %s", w.Code, w.Body)
	}
	var r conflictsReply
	json.Unmarshal(w.Body.Bytes(), &r)
	return r
}

func TestTheDemoEventsHaveNoConflict(t *testing.T) {
	s, _ := newServer(t)
	for _, id := range []int64{1, 2} {
		if r := getConflicts(t, s, id); len(r.Conflicts) != 0 {
			t.Errorf("event %d: %+v", id, r.Conflicts)
		}
	}
}

// TestFromFormatToPublication creates a Ministère ouvert from its format,
// sees its conflicts, assigns it automatically, waives what remains and
// publishes it: the Secrétariat d'État is marked trusted by the DITP, so
// it publishes without a declaration (declaration_gate_test.go: otherwise).
func TestFromFormatToPublication(t *testing.T) {
	s, _ := newServer(t)
	if w := call(t, s, admin, "PATCH", "/api/v1/organisations/1", `{"trusted":true}`); w.Code != 200 || !strings.Contains(w.Body.String(), `"trusted":true`) {
		t.Fatalf("trust the Secrétariat d'État: %d %s", w.Code, w.Body)
	}
	w := call(t, s, orgSERE, "POST", "/api/v1/events/from-format",
		`{"format":"open_ministry","title":"Ministère ouvert #2","host_organisation_id":1,"venue_id":1,"plenary_room_id":5,"date":"2027-03-02","start_time":"17:30","workshops":3}`)
	if w.Code != 201 {
		t.Fatalf("from format: %d %s", w.Code, w.Body)
	}
	var created struct {
		Events []struct {
			ID    int64  `json:"id"`
			Start string `json:"start"`
		} `json:"events"`
	}
	json.Unmarshal(w.Body.Bytes(), &created)
	id := created.Events[0].ID
	if created.Events[0].Start != "2027-03-02T17:30:00+01:00" {
		t.Errorf("start %s", created.Events[0].Start)
	}
	r := getConflicts(t, s, id)
	if r.Blocking != 3 || r.Conflicts[0].Kind != "in_person_without_room" {
		t.Fatalf("a new evening lacks three workshop rooms: %+v", r)
	}
	w = call(t, s, orgSERE, "PATCH", fmt.Sprintf("/api/v1/events/%d", id), `{"status":"published"}`)
	p := problemOf(t, w)
	if w.Code != 409 || len(p.Errors) != 3 || !strings.Contains(p.Errors[0].Message, "n'a pas de salle") {
		t.Fatalf("publishing with conflicts: %d %+v", w.Code, p)
	}

	// A dry run proposes and writes nothing.
	w = call(t, s, orgSERE, "POST", fmt.Sprintf("/api/v1/events/%d/assignment", id), `{"dry_run":true}`)
	var proposal struct {
		Assignments []struct {
			WorkshopID     int64   `json:"workshop_id"`
			RoomID         *int64  `json:"room_id"`
			FacilitatorIDs []int64 `json:"facilitator_ids"`
		} `json:"assignments"`
		Assigned int  `json:"fully_assigned"`
		Optimal  bool `json:"optimal"`
		Gap      *int `json:"gap"`
	}
	json.Unmarshal(w.Body.Bytes(), &proposal)
	if w.Code != 200 || proposal.Assigned != 3 || !proposal.Optimal || proposal.Gap == nil || *proposal.Gap != 0 || len(proposal.Assignments) != 3 || proposal.Assignments[0].RoomID == nil || len(proposal.Assignments[0].FacilitatorIDs) != 1 {
		t.Fatalf("dry run: %d %s", w.Code, w.Body)
	}
	if r := getConflicts(t, s, id); r.Blocking != 3 {
		t.Fatalf("a dry run wrote something: %+v", r)
	}
	// The same input gives the same output; then it is saved.
	w2 := call(t, s, orgSERE, "POST", fmt.Sprintf("/api/v1/events/%d/assignment", id), `{"dry_run":false}`)
	if w2.Code != 200 || !strings.Contains(w2.Body.String(), `"dry_run":false`) {
		t.Fatalf("assignment: %d %s", w2.Code, w2.Body)
	}
	if a, b := stripDryRun(w.Body.String()), stripDryRun(w2.Body.String()); !strings.HasPrefix(b, a[:strings.Index(a, `"conflicts"`)]) {
		t.Errorf("the saved assignment differs from the proposal:\n%s\n%s", a, b)
	}
	if r := getConflicts(t, s, id); r.Blocking != 0 {
		t.Fatalf("after assignment: %+v", r)
	}
	// Make the room too small, waive it with a reason, publish.
	ws := call(t, s, admin, "GET", fmt.Sprintf("/api/v1/events/%d/workshops", id), "")
	var page struct {
		Items []struct {
			ID int64 `json:"id"`
		} `json:"items"`
	}
	json.Unmarshal(ws.Body.Bytes(), &page)
	call(t, s, orgSERE, "PATCH", fmt.Sprintf("/api/v1/workshops/%d", page.Items[0].ID), `{"capacity":200}`)
	r = getConflicts(t, s, id)
	if r.Blocking != 1 || r.Conflicts[0].Kind != "room_too_small" {
		t.Fatalf("room too small: %+v", r)
	}
	w = call(t, s, orgSERE, "POST", fmt.Sprintf("/api/v1/events/%d/exceptions", id), `{"key":"`+r.Conflicts[0].Key+`","reason":"court"}`)
	if w.Code != 422 || problemOf(t, w).Errors[0].Field != "reason" {
		t.Errorf("a reason of five letters: %d %s", w.Code, w.Body)
	}
	w = call(t, s, orgSERE, "POST", fmt.Sprintf("/api/v1/events/%d/exceptions", id), `{"key":"`+r.Conflicts[0].Key+`","reason":"La salle sera ouverte sur le couloir : 200 places debout."}`)
	if w.Code != 201 {
		t.Fatalf("exception: %d %s", w.Code, w.Body)
	}
	if r = getConflicts(t, s, id); r.Blocking != 0 || !r.Conflicts[0].Waived {
		t.Fatalf("after the exception: %+v", r)
	}
	if w = call(t, s, orgSERE, "PATCH", fmt.Sprintf("/api/v1/events/%d", id), `{"status":"published"}`); w.Code != 200 {
		t.Fatalf("publish: %d %s", w.Code, w.Body)
	}
	if w = call(t, s, anonymous, "GET", fmt.Sprintf("/api/v1/events/%d", id), ""); w.Code != 200 {
		t.Errorf("the published event is not public: %d", w.Code)
	}
}

func stripDryRun(s string) string {
	return strings.NewReplacer(`"dry_run":true,`, "", `"dry_run":false,`, "").Replace(s)
}

func TestAMonthlySeriesIsCreatedOnceAndMovedAlone(t *testing.T) {
	s, _ := newServer(t)
	w := call(t, s, admin, "POST", "/api/v1/events/from-format",
		`{"format":"progress_review","host_organisation_id":3,"venue_id":1,"plenary_room_id":5,"online_url":"https://webinaire.numerique.gouv.fr/pe","date":"2027-01-01","occurrences":3}`)
	var created struct {
		Events []struct {
			ID       int64  `json:"id"`
			Title    string `json:"title"`
			Start    string `json:"start"`
			SeriesID int64  `json:"series_id"`
		} `json:"events"`
		Series struct{ Rule string } `json:"series"`
	}
	json.Unmarshal(w.Body.Bytes(), &created)
	if w.Code != 201 || len(created.Events) != 3 || created.Series.Rule != "FREQ=MONTHLY;BYDAY=1TU;COUNT=3" || created.Events[0].Title != "Point d'étape — janvier 2027" {
		t.Fatalf("series: %d %s", w.Code, w.Body)
	}
	second := created.Events[1]
	if w = call(t, s, admin, "PATCH", fmt.Sprintf("/api/v1/events/%d", second.ID), `{"status":"cancelled"}`); w.Code != 200 {
		t.Fatalf("cancel one: %d %s", w.Code, w.Body)
	}
	w = call(t, s, admin, "GET", fmt.Sprintf("/api/v1/events?series_id=%d&status=draft", second.SeriesID), "")
	var page struct{ Total int }
	json.Unmarshal(w.Body.Bytes(), &page)
	if page.Total != 2 {
		t.Errorf("the other occurrences changed: %d still drafts", page.Total)
	}
}

func TestFormatErrorsNameTheField(t *testing.T) {
	s, st := newServer(t)
	before := countAll(t, st)
	w := call(t, s, admin, "POST", "/api/v1/events/from-format", `{"format":"open_ministry","host_organisation_id":1,"venue_id":1,"date":"2027-05-06"}`)
	p := problemOf(t, w)
	if w.Code != 422 || p.Errors[0].Field != "date" || !strings.Contains(p.Errors[0].Message, "Ascension") {
		t.Errorf("a holiday: %d %+v", w.Code, p)
	}
	w = call(t, s, admin, "POST", "/api/v1/events/from-format", `{"format":"open_ministry","host_organisation_id":1,"venue_id":999,"date":"2027-03-02"}`)
	if p = problemOf(t, w); w.Code != 422 || p.Errors[0].Field != "event.venue_id" {
		t.Errorf("a missing venue: %d %+v", w.Code, p)
	}
	if after := countAll(t, st); after != before {
		t.Errorf("something was written: %s", after)
	}
}

func TestAWriteThatCreatesAConflictIsAcceptedAndSaysSo(t *testing.T) {
	s, _ := newServer(t)
	// Workshop 2 of Ministère ouvert #1 moves into Salle B's neighbour, the Cantine, where workshop 1 is.
	w := call(t, s, orgSERE, "PATCH", "/api/v1/workshops/2", `{"room_id":1}`)
	var reply struct {
		RoomID    int64 `json:"room_id"`
		Conflicts []struct {
			Kind    string `json:"kind"`
			Message string `json:"message"`
		} `json:"conflicts"`
	}
	json.Unmarshal(w.Body.Bytes(), &reply)
	if w.Code != 200 || reply.RoomID != 1 || len(reply.Conflicts) != 1 || reply.Conflicts[0].Kind != "room_double_booked" ||
		!strings.Contains(reply.Conflicts[0].Message, "La salle « Cantine » est occupée deux fois le mardi 21 juin 2016 de 18 h 20 à 19 h 20") {
		t.Fatalf("the answer does not report the conflict: %d %s", w.Code, w.Body)
	}
	// What was answered can be sent back as it is.
	if w2 := call(t, s, orgSERE, "PUT", "/api/v1/workshops/2", w.Body.String()); w2.Code != 200 {
		t.Errorf("sending back the answer: %d %s", w2.Code, w2.Body)
	}
	// A registration is not part of the plan: no conflicts in its answer.
	if w3 := call(t, s, admin, "PATCH", "/api/v1/registrations/1", `{"consent":true}`); strings.Contains(w3.Body.String(), "conflicts") {
		t.Errorf("a registration answer carries conflicts: %s", w3.Body)
	}
}

func TestADateOnABridgeIsAcceptedWithAWarning(t *testing.T) {
	s, _ := newServer(t)
	warnings := func(date string) []string {
		t.Helper()
		w := call(t, s, admin, "POST", "/api/v1/events/from-format", `{"format":"open_ministry","host_organisation_id":1,"venue_id":1,"date":"`+date+`"}`)
		if w.Code != 201 {
			t.Fatalf("%s: %d %s", date, w.Code, w.Body)
		}
		var out struct {
			Warnings []string `json:"warnings"`
		}
		if err := json.Unmarshal(w.Body.Bytes(), &out); err != nil || out.Warnings == nil {
			t.Fatalf("%s: no warnings list in %s", date, w.Body)
		}
		return out.Warnings
	}
	if w := warnings("2028-05-26"); len(w) != 1 || !strings.Contains(w[0], "vendredi 26 mai 2028 est un jour de pont") {
		t.Errorf("the Friday after Ascension: warnings %q", w)
	}
	if w := warnings("2028-06-06"); len(w) != 0 {
		t.Errorf("an ordinary Tuesday: warnings %q", w)
	}
}
