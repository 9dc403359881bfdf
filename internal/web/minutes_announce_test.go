package web_test

import (
	"context"
	"testing"

	"fabrique/internal/fabrique"
)

// TestPublishedMinutesAreLinkedAndAnnounced publishes the minutes of
// Ministère ouvert #1: its public page links to them, and each of its
// participants is told by email, once.
func TestPublishedMinutesAreLinkedAndAnnounced(t *testing.T) {
	s, st := newServer(t)
	mc := copyMinistry(t, st) // the demo's Ministère ouvert #1 has its minutes published
	ev := itoa(mc.Event)
	lacks(t, newBrowser(t, s).get("/events/"+ev), "Lire le compte rendu")
	for _, id := range mc.Workshops {
		ws := itoa(id)
		if w := call(t, s, admin, "POST", "/api/v1/workshops/"+ws+"/minutes/approve", ""); w.Code != 200 {
			t.Fatalf("approve %s: %d %s", ws, w.Code, w.Body)
		}
	}
	if w := call(t, s, orgSERE, "POST", "/api/v1/events/"+ev+"/minutes/publish", ""); w.Code != 200 {
		t.Fatalf("publish: %d %s", w.Code, w.Body)
	}
	contains(t, newBrowser(t, s).get("/events/"+ev), "Lire le compte rendu", `href="/events/`+ev+`/minutes"`, `href="/api/v1/events/`+ev+`/minutes.pdf"`)

	sys := fabrique.WithUser(context.Background(), fabrique.System)
	page, err := st.Outbox().ListOutbox(sys, fabrique.ListOptions{Limit: 500, Filters: map[string]string{"event_id": ev, "kind": fabrique.MsgMinutesPublished}})
	if err != nil {
		t.Fatal(err)
	}
	regs, err := st.Registrations().List(sys, fabrique.ListOptions{Limit: 500, Filters: map[string]string{"event_id": "1"}})
	if err != nil {
		t.Fatal(err)
	}
	seated := 0
	for _, r := range regs.Items {
		if r.Status == fabrique.RegRegistered || r.Status == fabrique.RegAttended {
			seated++
		}
	}
	if seated == 0 || page.Total != seated {
		t.Errorf("%d announcements for %d participants", page.Total, seated)
	}
	if w := call(t, s, orgSERE, "POST", "/api/v1/events/"+ev+"/minutes/publish", ""); w.Code != 200 {
		t.Fatalf("publish again: %d", w.Code)
	}
	if again, _ := st.Outbox().ListOutbox(sys, fabrique.ListOptions{Limit: 500, Filters: map[string]string{"event_id": ev, "kind": fabrique.MsgMinutesPublished}}); again.Total != page.Total {
		t.Errorf("publishing again announced again: %d messages", again.Total)
	}
}
