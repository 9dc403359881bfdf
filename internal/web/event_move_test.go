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
// the event; nothing is sent until the host publishes the changes, then
// each participant gets one update per calendar item they hold (the launch
// and the forum day), not one per item moved, saying what changed.
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
	if n := updates(); len(n) != len(before) || n["lea@exemple.fr"] != before["lea@exemple.fr"] {
		t.Fatalf("updates sent before the changes were published: %v", n)
	}
	w = call(t, s, orgForum, "GET", "/api/v1/events/2/changes", "")
	var p fabrique.PendingChanges
	if err := json.Unmarshal(w.Body.Bytes(), &p); err != nil || len(p.Changes) != 1 || p.Participants != 2 {
		t.Fatalf("pending changes: %d %s", w.Code, w.Body)
	}
	if want := "La date passe du lundi 4 janvier 2027 à 9 h 00 au lundi 11 janvier 2027 à 9 h 00."; p.Changes[0].Description != want {
		t.Errorf("the change is described as %q, want %q", p.Changes[0].Description, want)
	}
	if w := call(t, s, orgOther, "POST", "/api/v1/events/2/changes/release", ""); w.Code != 403 && w.Code != 404 {
		t.Errorf("another ministry's organiser releases: %d", w.Code)
	}
	if w := call(t, s, orgForum, "POST", "/api/v1/events/2/changes/release", ""); w.Code != 200 || !strings.Contains(w.Body.String(), `"participants":2`) {
		t.Fatalf("release: %d %s", w.Code, w.Body)
	}
	after := updates()
	for _, p := range []string{"lea@exemple.fr", "noe@exemple.fr"} {
		if n := after[p] - before[p]; n != 2 {
			t.Errorf("%s got %d updates, want 2 (the launch and the forum day)", p, n)
		}
	}
}
