package schedule

import (
	"strings"
	"testing"

	"fabrique/internal/fabrique"
)

// TestFormatsDoNotRepeatTheWorkshopNumber checks that the workshops a
// format creates are not titled « Atelier 1 », which the pages and the kit
// then printed as « Atelier 1 : Atelier 1 ».
func TestFormatsDoNotRepeatTheWorkshopNumber(t *testing.T) {
	venue := int64(1)
	for _, r := range []FormatRequest{
		{Format: fabrique.EventOpenMinistry, HostOrganisationID: 1, VenueID: &venue, Date: "2027-03-02", Workshops: 3},
		{Format: fabrique.EventForum, Title: "Forum", HostOrganisationID: 1, VenueID: &venue, Date: "2027-03-02", Workshops: 3, DeepeningWeeks: 2},
	} {
		t.Run(string(r.Format), func(t *testing.T) {
			plans, _, err := Build(r)
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, it := range plans[0].Items {
				for _, w := range it.Workshops {
					n++
					if strings.HasPrefix(strings.ToLower(w.Title), "atelier") {
						t.Errorf("workshop %d is titled %q", w.Number, w.Title)
					}
					if w.Title == "" {
						t.Errorf("workshop %d has no title", w.Number)
					}
				}
			}
			if n != 3 {
				t.Errorf("%d workshops, want 3", n)
			}
		})
	}
}
