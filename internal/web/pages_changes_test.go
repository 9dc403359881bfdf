package web_test

import (
	"net/http"
	"net/url"
	"testing"
)

// TestTheChangesPageShowsWhatIsPendingAndPublishesIt moves the demo forum
// by a week, then opens its changes page as the demo administrator: the
// change, who will be told, « Publier les modifications »; after it, nothing
// is pending. A delay out of range is refused next to its field.
func TestTheChangesPageShowsWhatIsPendingAndPublishesIt(t *testing.T) {
	s, _ := newServer(t)
	if w := call(t, s, anonymous, "POST", "/api/v1/events/2/register", `{"name":"Léa","email":"lea@exemple.fr","category":"citizen","workshop_id":7,"consent":true}`); w.Code != 201 {
		t.Fatalf("register: %d", w.Code)
	}
	if w := call(t, s, orgForum, "PATCH", "/api/v1/events/2", `{"start":"2027-01-11T09:00:00+01:00","end":"2027-02-19T18:00:00+01:00"}`); w.Code != 200 {
		t.Fatalf("move: %d %s", w.Code, w.Body)
	}
	b := signedIn(t, s)
	contains(t, b.get("/staff/events/2"), `href="/staff/events/2/modifications"`)
	page := b.get("/staff/events/2/modifications")
	contains(t, page, "La date passe du lundi 4 janvier 2027 à 9 h 00 au lundi 11 janvier 2027 à 9 h 00.", "1 participant sera informé", "Publier les modifications")
	w := b.post("/staff/events/2/modifications/publier", url.Values{})
	if w.Code != http.StatusSeeOther {
		t.Fatalf("publish the changes: %d %s", w.Code, w.Body)
	}
	contains(t, b.get(w.Header().Get("Location")), "Les modifications sont annoncées", "Aucune modification en attente")

	w = b.post("/staff/events/2/modifications/delai", url.Values{"delay_minutes": {"5000"}})
	if w.Code != http.StatusUnprocessableEntity {
		t.Fatalf("a delay of 5000 minutes: %d", w.Code)
	}
	contains(t, w, `id="delai-delay_minutes-erreur"`, `value="5000"`)
}
