package web_test

import (
	"encoding/json"
	"strings"
	"testing"

	"fabrique/internal/fabrique"
)

// TestMovingAnEventMovesItsProgrammeAndTellsEachParticipantOnce moves
// the demo forum by a week: its phases and programme items move with it
// (the round table stays at 18:00, a week later), no item falls outside
// the event, and each participant gets one update per calendar item they
// hold (the launch and the forum day), not one per item moved.
func TestMovingAnEventMovesItsProgrammeAndTellsEachParticipantOnce(t *testing.T) {
	s, _ := newServer(t)
	for _, p := range []string{"lea@exemple.fr", "noe@exemple.fr"} {
		if w := call(t, s, anonymous, "POST", "/api/v1/events/2/register", `{"name":"Participante","email":"`+p+`","category":"citizen","workshop_id":7,"consent":true}`); w.Code != 201 {
			t.Fatalf("register: %d %s", w.Code, w.Body)
		}
	}
	updates := func() map[string]int {
		t.Helper()
		w := call(t, s, admin, "GET", "/api/v1/outbox?event_id=2&limit=500", "")
		var page struct{ Items []fabrique.OutboxMessage }
		if err := json.Unmarshal(w.Body.Bytes(), &page); err != nil {
			t.Fatal(err)
		}
		n := map[string]int{}
		for _, m := range page.Items {
			if m.Kind == fabrique.MsgUpdate {
				n[m.Recipient]++
			}
		}
		return n
	}
	before := updates()

	w := call(t, s, orgForum, "PATCH", "/api/v1/events/2", `{"start":"2027-01-11T09:00:00+01:00","end":"2027-02-19T18:00:00+01:00"}`)
	if w.Code != 200 {
		t.Fatalf("move: %d %s", w.Code, w.Body)
	}
	w = call(t, s, orgForum, "GET", "/api/v1/events/2/programme?limit=500", "")
	var items struct{ Items []fabrique.ProgrammeItem }
	json.Unmarshal(w.Body.Bytes(), &items)
	found := false
	for _, it := range items.Items {
		if strings.HasPrefix(it.Title, "Table ronde de lancement") {
			found = true
			if got := fabrique.FrenchDate(it.Start) + " " + fabrique.FrenchTime(it.Start); got != "mardi 26 janvier 2027 18 h 00" {
				t.Errorf("the round table is now on %s, want a week later at the same time", got)
			}
		}
	}
	if !found {
		t.Fatal("no round table in the programme")
	}
	w = call(t, s, orgForum, "GET", "/api/v1/events/2/phases", "")
	if !strings.Contains(w.Body.String(), `"start":"2027-02-04T14:00:00+01:00"`) {
		t.Errorf("the forum phase did not move a week: %s", w.Body)
	}
	if c := call(t, s, orgForum, "GET", "/api/v1/events/2/conflicts", "").Body.String(); strings.Contains(c, "outside_event") {
		t.Errorf("moving the event left parts outside it: %s", c)
	}
	after := updates()
	for _, p := range []string{"lea@exemple.fr", "noe@exemple.fr"} {
		if n := after[p] - before[p]; n != 2 {
			t.Errorf("%s got %d updates, want 2 (the launch and the forum day)", p, n)
		}
	}
}
