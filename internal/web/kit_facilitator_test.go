package web_test

import (
	"strings"
	"testing"

	"fabrique/internal/fabrique"
)

// TestAFacilitatorsKitListsOnlyTheirWorkshopsParticipants: a facilitator
// (often of another organisation than the host) prints the sign-in sheets
// and badges of their own workshop; the names of the event's other
// participants stay with the host.
func TestAFacilitatorsKitListsOnlyTheirWorkshopsParticipants(t *testing.T) {
	s, st := newServer(t)
	register(t, st, 1, fabrique.RegRegistered, "Zoé Lefèvre")
	register(t, st, 3, fabrique.RegRegistered, "Jérôme Chênevert")
	for role, want := range map[string]map[string]bool{
		facil:   {"Jérôme Chênevert": true, "Zoé Lefèvre": false}, // Simon Chignard facilitates workshop 3
		orgSERE: {"Jérôme Chênevert": true, "Zoé Lefèvre": true},  // the host sees everyone
	} {
		w := call(t, s, role, "GET", "/api/v1/events/1/kit.pdf", "")
		if w.Code != 200 {
			t.Fatalf("%s: %d", role, w.Code)
		}
		text := strings.Join(pdfPages(t, w.Body.Bytes()), "\n")
		for name, listed := range want {
			if strings.Contains(text, name) != listed {
				t.Errorf("the kit of %s lists %s: %v, want %v", role, name, !listed, listed)
			}
		}
	}
}
