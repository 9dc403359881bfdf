package fabrique

import (
	"strings"
	"testing"
	"time"
)

func paris(day, hh, mm int) time.Time { return time.Date(2027, time.January, day, hh, mm, 0, 0, Paris) }

// openMinistry is a small valid snapshot: two workshops 18:20–19:20 in two rooms.
func openMinistry() *Snapshot {
	venue := int64(1)
	return &Snapshot{
		Event: &Event{ID: 1, Kind: EventOpenMinistry, Title: "Ministère ouvert #2", VenueID: &venue, Status: EventDraft},
		Items: []*ProgrammeItem{
			{ID: 10, EventID: 1, Kind: ItemOpening, Title: "Ouverture", Start: paris(5, 18, 0), End: paris(5, 18, 20), RoomID: ptr(3), SpeakerIDs: []int64{100}},
			{ID: 11, EventID: 1, Kind: ItemWorkshops, Title: "Ateliers", Start: paris(5, 18, 20), End: paris(5, 19, 20)},
		},
		Workshops: []*Workshop{
			{ID: 20, EventID: 1, ItemID: 11, Title: "Atelier 1", RoomID: ptr(1), Capacity: 20, FacilitatorIDs: []int64{101}},
			{ID: 21, EventID: 1, ItemID: 11, Title: "Atelier 2", RoomID: ptr(2), Capacity: 20, FacilitatorIDs: []int64{102}},
		},
		Rooms:  map[int64]*Room{1: {ID: 1, Name: "Salle B", Capacity: 25}, 2: {ID: 2, Name: "Salle 109", Capacity: 25}, 3: {ID: 3, Name: "Salle de Marbre", Capacity: 120}},
		People: map[int64]*Person{100: {ID: 100, Name: "Laure de la Bretèche"}, 101: {ID: 101, Name: "Simon Chignard"}, 102: {ID: 102, Name: "Sarah Labelle"}},
	}
}

// forum is a valid forum snapshot: four phases, three workshops, four speakers.
func forum() *Snapshot {
	s := openMinistry()
	s.Event.Kind = EventForum
	s.Event.OnlineURL = "https://webinaire.numerique.gouv.fr/f"
	s.Phases = []*Phase{
		{ID: 1, Kind: PhaseInvestigation, Start: paris(4, 9, 0), End: paris(15, 18, 0)},
		{ID: 2, Kind: PhaseLaunch, Start: paris(19, 18, 0), End: paris(19, 19, 30)},
		{ID: 3, Kind: PhaseForum, Start: paris(28, 14, 0), End: paris(28, 17, 0)},
		{ID: 4, Kind: PhaseDeepening, Start: paris(29, 9, 0), End: time.Date(2027, 2, 12, 18, 0, 0, 0, Paris)},
	}
	s.Items = append(s.Items, &ProgrammeItem{ID: 12, EventID: 1, PhaseID: ptr(2), Kind: ItemRoundTable, Title: "Table ronde", Start: paris(19, 18, 0), End: paris(19, 19, 30), Online: true, SpeakerIDs: []int64{100, 101, 102}})
	s.Workshops = append(s.Workshops, &Workshop{ID: 22, EventID: 1, ItemID: 11, Title: "Controverses", RoomID: ptr(3), Capacity: 20, FacilitatorIDs: []int64{100}, Controversy: true})
	return s
}

func kinds(cs []Conflict) string {
	var out []string
	for _, c := range cs {
		out = append(out, string(c.Kind))
	}
	return strings.Join(out, ",")
}

func TestConflicts(t *testing.T) {
	tests := []struct {
		name    string
		snap    func() *Snapshot
		kinds   string
		message string // a part of the first conflict's message
	}{
		{"a valid evening has no conflict", openMinistry, "", ""},
		{"a valid forum has no conflict", forum, "", ""},
		{"two workshops in one room at once", func() *Snapshot { s := openMinistry(); s.Workshops[1].RoomID = ptr(1); return s },
			"room_double_booked", "La salle « Salle B » est occupée deux fois le mardi 5 janvier 2027 de 18 h 20 à 19 h 20 : « Atelier 1 » et « Atelier 2 »."},
		{"a room used by another event at the same time", func() *Snapshot {
			s := openMinistry()
			s.Others = []Booking{{EventID: 9, EventTitle: "Forum sur le climat", Ref: Ref{Type: "workshop", ID: 90, Label: "Atelier climat"}, Start: paris(5, 19, 0), End: paris(5, 20, 0), RoomID: ptr(2)}}
			return s
		}, "room_double_booked", "« Atelier climat » (événement « Forum sur le climat »)"},
		{"a facilitator in two workshops at once", func() *Snapshot { s := openMinistry(); s.Workshops[1].FacilitatorIDs = []int64{101}; return s },
			"person_double_booked", "Simon Chignard est attendu·e à deux endroits à la fois"},
		{"a speaker outside their availability", func() *Snapshot {
			s := openMinistry()
			s.People[100].Availability = []Window{{Start: paris(5, 9, 0), End: paris(5, 18, 0)}}
			return s
		}, "person_unavailable", "Laure de la Bretèche n'a pas indiqué de disponibilité le mardi 5 janvier 2027 de 18 h 00 à 18 h 20"},
		{"a room smaller than its workshop", func() *Snapshot { s := openMinistry(); s.Workshops[0].Capacity = 30; return s },
			"room_too_small", "La salle « Salle B » (25 places) est trop petite pour l'atelier « Atelier 1 » (30 places)."},
		{"an online item without a link", func() *Snapshot { s := openMinistry(); s.Items[0].Online = true; return s },
			"online_without_link", "« Ouverture » a lieu en ligne"},
		{"an in-person item without a room", func() *Snapshot { s := openMinistry(); s.Items[0].RoomID = nil; return s },
			"in_person_without_room", "« Ouverture » a lieu sur place mais n'a pas de salle."},
		{"an in-person workshop without a room", func() *Snapshot { s := openMinistry(); s.Workshops[0].RoomID = nil; return s },
			"in_person_without_room", "L'atelier « Atelier 1 » a lieu sur place"},
		{"a forum without its deepening phase", func() *Snapshot { s := forum(); s.Phases = s.Phases[:3]; return s },
			"phase_missing", "Le forum n'a pas de phase d'approfondissement"},
		{"an investigation of three weeks", func() *Snapshot {
			s := forum()
			s.Phases[0].Start = paris(1, 9, 0)
			s.Phases[0].End = paris(21, 18, 0)
			return s
		},
			"phase_duration,phase_order", "La phase d'investigation dure 21 jours : la méthode prévoit 2 semaines (entre 10 et 16 jours)."},
		{"a forum of five hours", func() *Snapshot { s := forum(); s.Phases[2].End = paris(28, 19, 0); return s },
			"phase_duration", "La phase de forum dure 5 h 00 : la méthode prévoit 3 h"},
		{"a forum with five workshops", func() *Snapshot {
			s := forum()
			for i := 0; i < 2; i++ {
				s.Workshops = append(s.Workshops, &Workshop{ID: int64(30 + i), ItemID: 11, Title: "Atelier en plus", Capacity: 10})
			}
			return s
		}, "in_person_without_room,in_person_without_room,workshop_count", ""},
		{"a forum without a controversy workshop", func() *Snapshot { s := forum(); s.Workshops[2].Controversy = false; return s },
			"no_controversy", "Aucun atelier du forum n'est consacré aux controverses"},
		{"a launch with two speakers", func() *Snapshot { s := forum(); s.Items[2].SpeakerIDs = []int64{101, 102}; return s },
			"launch_speakers", "Le lancement réunit 2 intervenants : la méthode en prévoit entre 3 et 5."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cs := DetectConflicts(tt.snap())
			if got := kinds(cs); got != tt.kinds {
				t.Fatalf("kinds = %q, want %q (%+v)", got, tt.kinds, cs)
			}
			if tt.message != "" && !strings.Contains(cs[0].Message, tt.message) {
				t.Errorf("message %q does not say %q", cs[0].Message, tt.message)
			}
			for _, c := range cs {
				if len(c.Objects) == 0 || c.Key == "" {
					t.Errorf("conflict without objects or key: %+v", c)
				}
			}
		})
	}
}

func TestAnExceptionWaivesExactlyItsConflict(t *testing.T) {
	s := openMinistry()
	s.Workshops[0].Capacity, s.Workshops[1].Capacity = 30, 30
	cs := DetectConflicts(s)
	if len(Blocking(cs)) != 2 {
		t.Fatalf("blocking = %d", len(Blocking(cs)))
	}
	s.Exceptions = []*RuleException{{Key: cs[0].Key, Reason: "Dix chaises ajoutées dans la salle."}}
	cs = DetectConflicts(s)
	if len(Blocking(cs)) != 1 || !cs[0].Waived || cs[0].Exception.Reason != "Dix chaises ajoutées dans la salle." || cs[1].Waived {
		t.Errorf("after the exception: %+v", cs)
	}
}
