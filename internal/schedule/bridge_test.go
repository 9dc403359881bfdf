package schedule

import (
	"strings"
	"testing"
	"time"

	"fabrique/internal/fabrique"
)

func bday(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 18, 0, 0, 0, fabrique.Paris)
}

func TestBridge(t *testing.T) {
	for _, c := range []struct {
		name    string
		d       time.Time
		holiday string
	}{
		{"the Friday after Ascension", bday(2028, time.May, 26), "Ascension"},
		{"the Monday before a Tuesday 1st of May", bday(2029, time.April, 30), "Fête du Travail"},
		{"the Friday after a Thursday New Year's Day", bday(2026, time.January, 2), "Jour de l'an"},
		{"the Monday before a Tuesday 14 July", bday(2026, time.July, 13), "Fête nationale"},
		{"an ordinary Friday", bday(2028, time.June, 2), ""},
		{"an ordinary Monday", bday(2026, time.July, 6), ""},
		{"the holiday itself is not a bridge", bday(2028, time.May, 25), ""},
		{"a Friday after a Wednesday holiday", bday(2026, time.July, 17), ""}, // 15 August 2029 is a Wednesday; 17 July 2026 is plain
	} {
		t.Run(c.name, func(t *testing.T) {
			h, ok := Bridge(c.d)
			if ok != (c.holiday != "") || h.Name != c.holiday {
				t.Errorf("Bridge(%s) = %q, %v; want %q", fabrique.FrenchDate(c.d), h.Name, ok, c.holiday)
			}
		})
	}
}

func TestBridgesAreNeverProposed(t *testing.T) {
	venue := int64(1)
	t.Run("a holiday is refused with the next day that is not a bridge", func(t *testing.T) {
		_, _, err := Build(FormatRequest{Format: fabrique.EventOpenMinistry, HostOrganisationID: 1, VenueID: &venue, Date: "2028-05-25"})
		f := fabrique.ErrorFields(err)
		if len(f) == 0 || f[0].Field != "date" || !strings.Contains(f[0].Message, "lundi 29 mai 2028") {
			t.Fatalf("want the date refused with lundi 29 mai 2028 proposed, got %v", err)
		}
	})
	t.Run("a bridge chosen on purpose is accepted with a warning", func(t *testing.T) {
		r := FormatRequest{Format: fabrique.EventOpenMinistry, HostOrganisationID: 1, VenueID: &venue, Date: "2028-05-26"}
		if _, _, err := Build(r); err != nil {
			t.Fatal(err)
		}
		w := r.Warnings()
		if len(w) != 1 || !strings.Contains(w[0], "vendredi 26 mai 2028 est un jour de pont") || !strings.Contains(w[0], "Ascension") {
			t.Errorf("warnings %q", w)
		}
		r.Date = "2028-06-02"
		if w := r.Warnings(); len(w) != 0 {
			t.Errorf("an ordinary day warns %q", w)
		}
	})
	t.Run("a forum's launch and forum day are never on a bridge", func(t *testing.T) {
		// 10 May 2028 + 15 days is Ascension; the Friday after is a bridge.
		plans, _, err := Build(FormatRequest{Format: fabrique.EventForum, Title: "Forum", HostOrganisationID: 1, VenueID: &venue, Date: "2028-05-10", DeepeningWeeks: 2})
		if err != nil {
			t.Fatal(err)
		}
		for _, ph := range plans[0].Phases {
			if _, b := Bridge(ph.Start); b && (ph.Kind == fabrique.PhaseLaunch || ph.Kind == fabrique.PhaseForum) {
				t.Errorf("the %s falls on the bridge of %s", ph.Kind, fabrique.FrenchDate(ph.Start))
			}
			if ph.Kind == fabrique.PhaseLaunch && fabrique.FrenchDate(ph.Start) != "lundi 29 mai 2028" {
				t.Errorf("launch on %s, want lundi 29 mai 2028", fabrique.FrenchDate(ph.Start))
			}
		}
	})
	t.Run("a progress review that falls on a bridge moves and says why", func(t *testing.T) {
		plans, _, err := Build(FormatRequest{Format: fabrique.EventProgressReview, HostOrganisationID: 1, VenueID: &venue, OnlineURL: "https://webinaire.numerique.gouv.fr/pe",
			Date: "2028-05-01", Weekday: "vendredi", WeekOfMonth: 4, Occurrences: 1})
		if err != nil {
			t.Fatal(err)
		}
		if got := fabrique.FrenchDate(plans[0].Event.Start); got != "lundi 29 mai 2028" || !strings.Contains(plans[0].Event.Description, "jour de pont") {
			t.Errorf("moved to %s: %s", got, plans[0].Event.Description)
		}
	})
}
