package schedule

import (
	"strings"
	"testing"
	"time"

	"fabrique/internal/fabrique"
)

func programme(p *fabrique.Plan) string {
	var out []string
	for _, it := range p.Items {
		out = append(out, fabrique.FrenchTime(it.Item.Start)+"–"+fabrique.FrenchTime(it.Item.End)+" "+string(it.Item.Kind))
	}
	return strings.Join(out, " | ")
}

func TestFormats(t *testing.T) {
	venue := int64(1)
	t.Run("a Ministère ouvert at 17:30 follows the programme of 21 June 2016", func(t *testing.T) {
		plans, _, err := Build(FormatRequest{Format: fabrique.EventOpenMinistry, Title: "Ministère ouvert #1", HostOrganisationID: 1, VenueID: &venue, Date: "2016-06-21", StartTime: "17:30", Workshops: 5})
		if err != nil {
			t.Fatal(err)
		}
		want := "17 h 30–18 h 00 welcome | 18 h 00–18 h 10 opening | 18 h 10–18 h 20 presentation | 18 h 20–19 h 20 workshops | 19 h 20–19 h 40 report_back | 19 h 40–20 h 15 closing"
		if got := programme(plans[0]); got != want {
			t.Errorf("programme\n got %s\nwant %s", got, want)
		}
		if n := len(plans[0].Items[3].Workshops); n != 5 {
			t.Errorf("%d workshops", n)
		}
		if plans[0].Event.Status != fabrique.EventDraft {
			t.Errorf("a new event is a draft, not %s", plans[0].Event.Status)
		}
	})
	t.Run("a Ministère ouvert shifted to 18:00 keeps its durations", func(t *testing.T) {
		plans, _, _ := Build(FormatRequest{Format: fabrique.EventOpenMinistry, HostOrganisationID: 1, VenueID: &venue, Date: "2027-03-02", StartTime: "18:00", Workshops: 3})
		if got := programme(plans[0]); !strings.HasPrefix(got, "18 h 00–18 h 30 welcome") || !strings.HasSuffix(got, "20 h 10–20 h 45 closing") {
			t.Errorf("programme %s", got)
		}
	})
	t.Run("a forum takes about six weeks with launch and forum on working days", func(t *testing.T) {
		// 8 May 2028 is a Monday and a holiday; Ascension is 25 May 2028.
		plans, _, err := Build(FormatRequest{Format: fabrique.EventForum, Title: "Forum", HostOrganisationID: 1, VenueID: &venue, Date: "2028-05-02", DeepeningWeeks: 2})
		if err != nil {
			t.Fatal(err)
		}
		p := plans[0]
		for _, ph := range p.Phases {
			if ph.Kind == fabrique.PhaseLaunch || ph.Kind == fabrique.PhaseForum {
				if !IsWorkingDay(ph.Start) {
					t.Errorf("%s falls on %s", ph.Kind, fabrique.FrenchDate(ph.Start))
				}
			}
		}
		weeks := p.Event.End.Sub(p.Event.Start).Hours() / 24 / 7
		if weeks < 5 || weeks > 7 {
			t.Errorf("the forum lasts %.1f weeks", weeks)
		}
		snap := &fabrique.Snapshot{Event: &p.Event}
		for i := range p.Phases {
			p.Phases[i].ID = int64(i + 1)
			snap.Phases = append(snap.Phases, &p.Phases[i])
		}
		for _, c := range fabrique.DetectConflicts(snap) {
			if c.Kind == fabrique.ConflictPhaseDuration || c.Kind == fabrique.ConflictPhaseOrder {
				t.Errorf("the template breaks its own rules: %s", c.Message)
			}
		}
		ws := p.Items[2].Workshops
		if len(ws) != 3 || !ws[0].Controversy {
			t.Errorf("forum workshops %+v", ws)
		}
	})
	t.Run("a date on a public holiday is refused with the next working day that is not a bridge", func(t *testing.T) {
		_, _, err := Build(FormatRequest{Format: fabrique.EventOpenMinistry, HostOrganisationID: 1, VenueID: &venue, Date: "2027-05-06"})
		f := fabrique.ErrorFields(err)
		if len(f) != 1 || f[0].Field != "date" || !strings.Contains(f[0].Message, "Ascension") || !strings.Contains(f[0].Message, "lundi 10 mai 2027") {
			t.Errorf("error %v", err)
		}
	})
	t.Run("a monthly series on the first Tuesday skips to the next working day", func(t *testing.T) {
		plans, series, err := Build(FormatRequest{Format: fabrique.EventProgressReview, HostOrganisationID: 1, VenueID: &venue, OnlineURL: "https://webinaire.numerique.gouv.fr/pe",
			Date: "2026-12-01", Weekday: "mardi", WeekOfMonth: 1, Occurrences: 4})
		if err != nil {
			t.Fatal(err)
		}
		var days []string
		for _, p := range plans {
			days = append(days, fabrique.FrenchDate(p.Event.Start))
		}
		// The first Tuesday of December 2026 is the 1st; of January 2027 the
		// 5th; of February the 2nd; of March the 2nd.
		want := "mardi 1er décembre 2026, mardi 5 janvier 2027, mardi 2 février 2027, mardi 2 mars 2027"
		if got := strings.Join(days, ", "); got != want {
			t.Errorf("days %s", got)
		}
		if series.Rule != "FREQ=MONTHLY;BYDAY=1TU;COUNT=4" {
			t.Errorf("rule %s", series.Rule)
		}
	})
	t.Run("a series on the first Tuesday of May 2029 moves off Labour Day", func(t *testing.T) {
		plans, _, _ := Build(FormatRequest{Format: fabrique.EventProgressReview, HostOrganisationID: 1, VenueID: &venue, OnlineURL: "https://webinaire.numerique.gouv.fr/pe",
			Date: "2029-05-01", Occurrences: 1})
		if got := fabrique.FrenchDate(plans[0].Event.Start); got != "mercredi 2 mai 2029" || !strings.Contains(plans[0].Event.Description, "Fête du Travail") {
			t.Errorf("moved to %s: %s", got, plans[0].Event.Description)
		}
	})
	t.Run("a simple workshop follows the standard outline of two hours", func(t *testing.T) {
		plans, _, _ := Build(FormatRequest{Format: fabrique.EventWorkshop, Title: "Atelier données", HostOrganisationID: 1, VenueID: &venue, Date: "2027-03-03"})
		if got := programme(plans[0]); got != "14 h 00–14 h 10 welcome | 14 h 10–14 h 25 presentation | 14 h 25–15 h 40 workshops | 15 h 40–16 h 00 report_back" {
			t.Errorf("programme %s", got)
		}
	})
	t.Run("bad inputs name their field", func(t *testing.T) {
		for _, tt := range []struct {
			r     FormatRequest
			field string
		}{
			{FormatRequest{Format: "party", Date: "2027-03-02"}, "format"},
			{FormatRequest{Format: fabrique.EventOpenMinistry, Date: "2027-02-30"}, "date"},
			{FormatRequest{Format: fabrique.EventOpenMinistry, Date: "2027-03-02", StartTime: "25:00"}, "start_time"},
			{FormatRequest{Format: fabrique.EventForum, Date: "2027-03-01", Workshops: 5}, "workshops"},
			{FormatRequest{Format: fabrique.EventForum, Date: "2027-03-01", DeepeningWeeks: 6}, "deepening_weeks"},
			{FormatRequest{Format: fabrique.EventProgressReview, Date: "2027-03-01"}, "online_url"},
		} {
			_, _, err := Build(tt.r)
			if f := fabrique.ErrorFields(err); len(f) == 0 || f[0].Field != tt.field {
				t.Errorf("%+v: %v, want field %s", tt.r, err, tt.field)
			}
		}
	})
	_ = time.Second
}
