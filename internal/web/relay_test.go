package web_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// TestARelayWorkshopIsShownInItsParentsProgramme: declared by a third
// party, a relay workshop appears on the public page of the event it
// belongs to once published, even though that page was cached before.
func TestARelayWorkshopIsShownInItsParentsProgramme(t *testing.T) {
	s, _ := newServer(t)
	before := call(t, s, anonymous, "GET", "/events/2", "")
	if before.Code != 200 || strings.Contains(before.Body.String(), "Ateliers-relais") {
		t.Fatalf("the forum's page before: %d", before.Code)
	}
	w := call(t, s, admin, "POST", "/api/v1/events/from-format", `{"format":"relay_workshop","title":"Atelier-relais à Lille : algorithmes et collectivités",
		"host_organisation_id":12,"online_url":"https://webinaire.numerique.gouv.fr/lille","parent_event_id":2,"date":"2027-01-21","start_time":"18:00"}`)
	var created struct {
		Events []struct{ ID int64 } `json:"events"`
	}
	json.Unmarshal(w.Body.Bytes(), &created)
	if w.Code != 201 {
		t.Fatalf("relay: %d %s", w.Code, w.Body)
	}
	id := created.Events[0].ID
	if page := call(t, s, anonymous, "GET", "/events/2", ""); strings.Contains(page.Body.String(), "Atelier-relais à Lille") {
		t.Error("a draft relay workshop is shown to the public")
	}
	if w = call(t, s, admin, "PATCH", fmt.Sprintf("/api/v1/events/%d", id), `{"status":"published"}`); w.Code != 200 {
		t.Fatalf("publish the relay: %d %s", w.Code, w.Body)
	}
	page := call(t, s, anonymous, "GET", "/events/2", "")
	if !strings.Contains(page.Body.String(), "<h2>Ateliers-relais</h2>") || !strings.Contains(page.Body.String(), "Atelier-relais à Lille : algorithmes et collectivités</a> : jeudi 21 janvier 2027 de 18 h 00 à 20 h 00") {
		t.Errorf("the forum's page does not show its relay workshop:\n%s", page.Body)
	}
}
