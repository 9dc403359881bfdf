package fabrique

import (
	"strings"
	"testing"
	"time"
)

func ptr(v int64) *int64 { return &v }

// fieldsOf returns the fields named by a validation error.
func fieldsOf(err error) []string {
	var out []string
	for _, f := range ErrorFields(err) {
		out = append(out, f.Field)
	}
	return out
}

func TestValidation(t *testing.T) {
	start := time.Date(2016, 6, 21, 18, 20, 0, 0, Paris)
	end := start.Add(time.Hour)
	goodEvent := func() *Event {
		return &Event{Kind: EventOpenMinistry, Title: "Ministère ouvert #1", HostOrganisationID: 1, Status: EventDraft, VenueID: ptr(1), Start: start, End: end}
	}
	tests := []struct {
		name   string
		value  interface{ Validate() error }
		fields []string // the fields at fault, in order; nil when valid
	}{
		{"a complete event is valid", goodEvent(), nil},
		{"an event without a title names the title", func() *Event { e := goodEvent(); e.Title = " "; return e }(), []string{"title"}},
		{"an event ending before it starts names the end", func() *Event { e := goodEvent(); e.End = start.Add(-time.Minute); return e }(), []string{"end"}},
		{"an event of an unknown kind names the kind", func() *Event { e := goodEvent(); e.Kind = "party"; return e }(), []string{"kind"}},
		{"an event with neither venue nor link names the venue", func() *Event { e := goodEvent(); e.VenueID = nil; return e }(), []string{"venue_id"}},
		{"an online event only needs its link", func() *Event {
			e := goodEvent()
			e.VenueID = nil
			e.OnlineURL = "https://webinaire.numerique.gouv.fr/x"
			return e
		}(), nil},
		{"a link that is not http is refused", func() *Event { e := goodEvent(); e.OnlineURL = "javascript:alert(1)"; return e }(), []string{"online_url"}},
		{"a title past 200 characters is refused", func() *Event { e := goodEvent(); e.Title = strings.Repeat("é", 201); return e }(), []string{"title"}},
		{"a title with a line break is refused", func() *Event { e := goodEvent(); e.Title = "a\nb"; return e }(), []string{"title"}},
		{"a plan ending on 31 February is refused", &ActionPlan{Title: "Plan", PeriodStart: "2015-07-16", PeriodEnd: "2017-02-31"}, []string{"period_end"}},
		{"a plan ending before it starts is refused", &ActionPlan{Title: "Plan", PeriodStart: "2017-07-16", PeriodEnd: "2015-07-15"}, []string{"period_end"}},
		{"an action needs its commitment", &Commitment{PlanID: 1, Number: "4.1", Title: "Action", Kind: KindAction, Status: StatusInProgress}, []string{"parent_id"}},
		{"a commitment with an unknown principle is refused", &Commitment{PlanID: 1, Number: "4", Title: "Évaluation", Kind: KindCommitment, Status: StatusInProgress, Principles: []Principle{"magic"}}, []string{"principles"}},
		{"a person with a bad email names the email", &Person{Name: "Simon Chignard", Email: "simon@", Category: CategoryPublicAgent}, []string{"email"}},
		{"an availability window backwards names its end", &Person{Name: "Sarah Labelle", Category: CategoryResearcher, Availability: []Window{{Start: end, End: start}}}, []string{"availability[0].end"}},
		{"a room needs a positive capacity", &Room{VenueID: 1, Name: "Salle B", Capacity: 0}, []string{"capacity"}},
		{"a workshop takes at most three facilitators", &Workshop{EventID: 1, ItemID: 1, Title: "Atelier", Capacity: 20, FacilitatorIDs: []int64{1, 2, 3, 4}}, []string{"facilitator_ids"}},
		{"a workshop cannot list a facilitator twice", &Workshop{EventID: 1, ItemID: 1, Title: "Atelier", Capacity: 20, FacilitatorIDs: []int64{1, 1}}, []string{"facilitator_ids"}},
		{"an organiser account needs its organisation", &User{Email: "a@b.fr", Name: "A", Role: RoleOrganiser}, []string{"organisation_id"}},
		{"a registration with an unknown status is refused", &Registration{EventID: 1, PersonID: 1, Status: "maybe"}, []string{"status"}},
		{"a phase of an unknown kind and no dates names all three", &Phase{EventID: 1, Kind: "party"}, []string{"end", "kind", "start"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.value.Validate()
			got := fieldsOf(err)
			if strings.Join(got, ",") != strings.Join(tt.fields, ",") {
				t.Fatalf("fields at fault = %v, want %v (error: %v)", got, tt.fields, err)
			}
			if err != nil {
				if ErrorCode(err) != EINVALID {
					t.Errorf("code = %s, want %s", ErrorCode(err), EINVALID)
				}
				for _, f := range ErrorFields(err) {
					if f.Message == "" {
						t.Errorf("field %s has no message", f.Field)
					}
				}
			}
		})
	}
}

func TestErrorMessagesAreFrench(t *testing.T) {
	err := (&Room{VenueID: 1, Name: "Salle B", Capacity: -3}).Validate()
	if got := ErrorFields(err)[0].Message; got != "doit être compris entre 1 et 5000 (reçu : -3)" {
		t.Errorf("message = %q", got)
	}
	if ErrorMessage(errString("boom")) == "boom" {
		t.Error("an internal error's text must not be shown to users")
	}
}

type errString string

func (e errString) Error() string { return string(e) }
