package fabrique

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// ConflictKind names a rule of planning that is broken.
type ConflictKind string

// Kinds of conflicts.
const (
	ConflictRoomDoubleBooked    ConflictKind = "room_double_booked"
	ConflictPersonDoubleBooked  ConflictKind = "person_double_booked"
	ConflictPersonUnavailable   ConflictKind = "person_unavailable"
	ConflictRoomTooSmall        ConflictKind = "room_too_small"
	ConflictOnlineWithoutLink   ConflictKind = "online_without_link"
	ConflictInPersonWithoutRoom ConflictKind = "in_person_without_room"
	ConflictPhaseMissing        ConflictKind = "phase_missing"
	ConflictPhaseOrder          ConflictKind = "phase_order"
	ConflictPhaseDuration       ConflictKind = "phase_duration"
	ConflictWorkshopCount       ConflictKind = "workshop_count"
	ConflictNoControversy       ConflictKind = "no_controversy"
	ConflictLaunchSpeakers      ConflictKind = "launch_speakers"
	ConflictOutsideEvent        ConflictKind = "outside_event"
)

// ConflictKinds lists the kinds of conflicts.
var ConflictKinds = []ConflictKind{ConflictRoomDoubleBooked, ConflictPersonDoubleBooked, ConflictPersonUnavailable, ConflictRoomTooSmall,
	ConflictOnlineWithoutLink, ConflictInPersonWithoutRoom, ConflictPhaseMissing, ConflictPhaseOrder, ConflictPhaseDuration,
	ConflictWorkshopCount, ConflictNoControversy, ConflictLaunchSpeakers, ConflictOutsideEvent}

// Ref names an object involved in a conflict.
type Ref struct {
	Type  string `json:"type"` // event, phase, programme_item, workshop, room, person
	ID    int64  `json:"id"`
	Label string `json:"label"`
}

// Conflict is a broken rule, explained in French, with the objects involved.
// A conflict waived by a recorded exception does not block publication.
type Conflict struct {
	Kind      ConflictKind   `json:"kind"`
	Key       string         `json:"key"` // stable: what an exception names
	Message   string         `json:"message"`
	Objects   []Ref          `json:"objects"`
	Waived    bool           `json:"waived"`
	Exception *RuleException `json:"exception,omitempty"`
}

// RuleException waives one conflict of an event, with a reason.
type RuleException struct {
	ID        int64        `json:"id"`
	EventID   int64        `json:"event_id"`
	Kind      ConflictKind `json:"kind"`
	Key       string       `json:"key"`
	Reason    string       `json:"reason"`
	CreatedBy string       `json:"created_by"`
	CreatedAt time.Time    `json:"created_at"`
}

// Validate checks an exception.
func (x *RuleException) Validate() error {
	var p Problems
	p.Name("key", x.Key)
	p.text("reason", x.Reason, true, MaxShort, false)
	if len([]rune(strings.TrimSpace(x.Reason))) < 10 && !p.Has("reason") {
		p.Add("reason", "expliquez en une phrase (10 caractères au moins) pourquoi la règle peut être levée")
	}
	return p.Err()
}

// Booking is a use of rooms and people during a span of time: a programme
// item or a workshop, of this event or of another one.
type Booking struct {
	EventID    int64
	EventTitle string
	Ref        Ref // the item or workshop
	Start, End time.Time
	RoomID     *int64
	PersonIDs  []int64
}

// Snapshot is everything the rules of one event need: the event, its parts,
// the rooms and people they use, and the bookings of other events that
// overlap it in time.
type Snapshot struct {
	Event      *Event
	Phases     []*Phase
	Items      []*ProgrammeItem
	Workshops  []*Workshop
	Rooms      map[int64]*Room
	People     map[int64]*Person
	Others     []Booking
	Exceptions []*RuleException
}

// Limits of the Forum Open d'État method (seed 002), with the tolerance
// the service accepts around the durations it states.
const (
	MinForumWorkshops = 2
	MaxForumWorkshops = 4
	MinLaunchSpeakers = 3
	MaxLaunchSpeakers = 5
)

// phaseRule is the accepted duration of a phase: days (counted on the
// calendar, first and last included) or minutes.
type phaseRule struct {
	minDays, maxDays, minMinutes, maxMinutes int
	method                                   string
}

var phaseRules = map[PhaseKind]phaseRule{
	PhaseInvestigation: {minDays: 10, maxDays: 16, method: "2 semaines (entre 10 et 16 jours)"},
	PhaseLaunch:        {minMinutes: 60, maxMinutes: 120, method: "1 h 30 (entre 1 h et 2 h)"},
	PhaseForum:         {minMinutes: 150, maxMinutes: 210, method: "3 h (entre 2 h 30 et 3 h 30)"},
	PhaseDeepening:     {minDays: 12, maxDays: 30, method: "2 à 4 semaines (entre 12 et 30 jours)"},
}

// PhaseLabels are the French names of the phases.
var PhaseLabels = map[PhaseKind]string{
	PhaseInvestigation: "investigation", PhaseLaunch: "lancement", PhaseForum: "forum", PhaseDeepening: "approfondissement",
}

// DetectConflicts applies every planning rule to a snapshot and marks the
// conflicts waived by its exceptions. The order is stable.
func DetectConflicts(s *Snapshot) []Conflict {
	d := &detector{s: s, items: map[int64]*ProgrammeItem{}}
	for _, it := range s.Items {
		d.items[it.ID] = it
	}
	d.bookings()
	d.timeRules()
	d.placeRules()
	if s.Event.Kind == EventForum {
		d.forumRules()
	}
	byKey := map[string]*RuleException{}
	for _, x := range s.Exceptions {
		byKey[x.Key] = x
	}
	for i := range d.out {
		if x, ok := byKey[d.out[i].Key]; ok {
			d.out[i].Waived, d.out[i].Exception = true, x
		}
	}
	return d.out
}

// Blocking returns the conflicts that no exception waives.
func Blocking(cs []Conflict) []Conflict {
	var out []Conflict
	for _, c := range cs {
		if !c.Waived {
			out = append(out, c)
		}
	}
	return out
}

type detector struct {
	s     *Snapshot
	items map[int64]*ProgrammeItem
	own   []Booking
	out   []Conflict
}

func (d *detector) add(kind ConflictKind, msg string, objs ...Ref) {
	keys := make([]string, len(objs))
	for i, o := range objs {
		keys[i] = o.Type + "#" + strconv.FormatInt(o.ID, 10)
	}
	sort.Strings(keys)
	d.out = append(d.out, Conflict{Kind: kind, Key: string(kind) + ":" + strings.Join(keys, ","), Message: msg, Objects: objs})
}

func (d *detector) roomRef(id int64) Ref {
	name := "n° " + strconv.FormatInt(id, 10)
	if r := d.s.Rooms[id]; r != nil {
		name = r.Name
	}
	return Ref{Type: "room", ID: id, Label: name}
}

func (d *detector) personRef(id int64) Ref {
	name := "n° " + strconv.FormatInt(id, 10)
	if p := d.s.People[id]; p != nil {
		name = p.Name
	}
	return Ref{Type: "person", ID: id, Label: name}
}

// online reports whether an item takes place online: marked so, or part of
// an event without a venue.
func (d *detector) online(it *ProgrammeItem) bool {
	return it.Online || d.s.Event.VenueID == nil
}

// bookings lists the event's own uses of rooms and people.
func (d *detector) bookings() {
	for _, it := range d.s.Items {
		if it.Kind == ItemWorkshops && it.RoomID == nil {
			continue // the slot of parallel workshops: its workshops hold the rooms
		}
		d.own = append(d.own, Booking{EventID: d.s.Event.ID, EventTitle: d.s.Event.Title, Ref: Ref{Type: "programme_item", ID: it.ID, Label: it.Title},
			Start: it.Start, End: it.End, RoomID: it.RoomID, PersonIDs: it.SpeakerIDs})
	}
	for _, w := range d.s.Workshops {
		it := d.items[w.ItemID]
		if it == nil {
			continue
		}
		d.own = append(d.own, Booking{EventID: d.s.Event.ID, EventTitle: d.s.Event.Title, Ref: Ref{Type: "workshop", ID: w.ID, Label: w.Title},
			Start: it.Start, End: it.End, RoomID: w.RoomID, PersonIDs: w.FacilitatorIDs})
	}
}

func overlap(a, b Booking) bool { return a.Start.Before(b.End) && b.Start.Before(a.End) }

func (d *detector) where(b Booking) string {
	if b.EventID == d.s.Event.ID {
		return "« " + b.Ref.Label + " »"
	}
	return "« " + b.Ref.Label + " » (événement « " + b.EventTitle + " »)"
}

// timeRules: every phase and programme item (and so every workshop, which
// takes its item's time) lies within the event's start and end.
func (d *detector) timeRules() {
	ev := d.s.Event
	if ev.Start.IsZero() || ev.End.IsZero() {
		return
	}
	outside := func(start, end time.Time) bool {
		return !start.IsZero() && (start.Before(ev.Start) || (!end.IsZero() && end.After(ev.End)))
	}
	say := func(what string, start, end time.Time, ref Ref) {
		d.add(ConflictOutsideEvent, fmt.Sprintf("%s a lieu %s, en dehors des horaires de l'événement (%s) : déplacez-le ou changez les horaires de l'événement.",
			what, spanOrStart(start, end), FrenchSpan(ev.Start, ev.End)), ref)
	}
	for _, ph := range d.s.Phases {
		if outside(ph.Start, ph.End) {
			label := PhaseLabels[ph.Kind]
			say("La phase « "+label+" »", ph.Start, ph.End, Ref{Type: "phase", ID: ph.ID, Label: label})
		}
	}
	for _, it := range d.s.Items {
		if outside(it.Start, it.End) {
			say("« "+it.Title+" »", it.Start, it.End, Ref{Type: "programme_item", ID: it.ID, Label: it.Title})
		}
	}
}

// spanOrStart says when something happens: « le mardi 21 juin 2016 de
// 17 h 30 à 18 h 00 », or from its start alone.
func spanOrStart(start, end time.Time) string {
	if end.IsZero() || !end.After(start) {
		return "le " + FrenchDate(start) + " à " + FrenchTime(start)
	}
	s := FrenchSpan(start, end)
	if strings.HasPrefix(s, "du ") {
		return s
	}
	return "le " + s
}

// placeRules: double bookings, availability, capacities, rooms and links.
func (d *detector) placeRules() {
	pairs := func(fn func(a, b Booking)) {
		for i, a := range d.own {
			for _, b := range d.own[i+1:] {
				if overlap(a, b) {
					fn(a, b)
				}
			}
			for _, b := range d.s.Others {
				if overlap(a, b) {
					fn(a, b)
				}
			}
		}
	}
	pairs(func(a, b Booking) {
		if a.RoomID != nil && b.RoomID != nil && *a.RoomID == *b.RoomID {
			room := d.roomRef(*a.RoomID)
			d.add(ConflictRoomDoubleBooked, fmt.Sprintf("La salle « %s » est occupée deux fois le %s : %s et %s.",
				room.Label, FrenchSpan(later(a.Start, b.Start), earlier(a.End, b.End)), d.where(a), d.where(b)), room, a.Ref, b.Ref)
		}
	})
	pairs(func(a, b Booking) {
		for _, p := range a.PersonIDs {
			for _, q := range b.PersonIDs {
				if p == q {
					person := d.personRef(p)
					d.add(ConflictPersonDoubleBooked, fmt.Sprintf("%s est attendu·e à deux endroits à la fois le %s : %s et %s.",
						person.Label, FrenchSpan(later(a.Start, b.Start), earlier(a.End, b.End)), d.where(a), d.where(b)), person, a.Ref, b.Ref)
				}
			}
		}
	})
	for _, b := range d.own {
		for _, pid := range b.PersonIDs {
			p := d.s.People[pid]
			if p == nil || len(p.Availability) == 0 {
				continue
			}
			inside := false
			for _, w := range p.Availability {
				if w.Contains(Window{Start: b.Start, End: b.End}) {
					inside = true
				}
			}
			if !inside {
				d.add(ConflictPersonUnavailable, fmt.Sprintf("%s n'a pas indiqué de disponibilité le %s pour %s.",
					p.Name, FrenchSpan(b.Start, b.End), d.where(b)), d.personRef(pid), b.Ref)
			}
		}
	}
	for _, it := range d.s.Items {
		ref := Ref{Type: "programme_item", ID: it.ID, Label: it.Title}
		switch {
		case d.online(it) && d.s.Event.OnlineURL == "" && (it.Kind != ItemWorkshops || len(d.workshopsOf(it.ID)) == 0):
			d.add(ConflictOnlineWithoutLink, fmt.Sprintf("« %s » a lieu en ligne mais l'événement n'a pas de lien de visioconférence.", it.Title), ref)
		case !d.online(it) && it.RoomID == nil && it.Kind != ItemWorkshops:
			d.add(ConflictInPersonWithoutRoom, fmt.Sprintf("« %s » a lieu sur place mais n'a pas de salle.", it.Title), ref)
		}
	}
	for _, w := range d.s.Workshops {
		ref := Ref{Type: "workshop", ID: w.ID, Label: w.Title}
		it := d.items[w.ItemID]
		switch {
		case it != nil && d.online(it) && d.s.Event.OnlineURL == "":
			d.add(ConflictOnlineWithoutLink, fmt.Sprintf("L'atelier « %s » a lieu en ligne mais l'événement n'a pas de lien de visioconférence.", w.Title), ref)
		case it != nil && !d.online(it) && w.RoomID == nil:
			d.add(ConflictInPersonWithoutRoom, fmt.Sprintf("L'atelier « %s » a lieu sur place mais n'a pas de salle.", w.Title), ref)
		case w.RoomID != nil && d.s.Rooms[*w.RoomID] != nil && d.s.Rooms[*w.RoomID].Capacity < w.Capacity:
			room := d.s.Rooms[*w.RoomID]
			d.add(ConflictRoomTooSmall, fmt.Sprintf("La salle « %s » (%d places) est trop petite pour l'atelier « %s » (%d places).",
				room.Name, room.Capacity, w.Title, w.Capacity), d.roomRef(room.ID), ref)
		}
	}
}

func (d *detector) workshopsOf(itemID int64) []*Workshop {
	var out []*Workshop
	for _, w := range d.s.Workshops {
		if w.ItemID == itemID {
			out = append(out, w)
		}
	}
	return out
}

// forumRules: the four phases in order with their durations, 2–4 workshops
// with one on controversies, a launch with 3–5 speakers.
func (d *detector) forumRules() {
	ev := Ref{Type: "event", ID: d.s.Event.ID, Label: d.s.Event.Title}
	byKind := map[PhaseKind]*Phase{}
	for _, p := range d.s.Phases {
		byKind[p.Kind] = p
	}
	var previous *Phase
	for _, kind := range PhaseKinds {
		p := byKind[kind]
		if p == nil {
			d.add(ConflictPhaseMissing, fmt.Sprintf("Le forum n'a pas de phase d'%s : la méthode en compte quatre (investigation, lancement, forum, approfondissement).", PhaseLabels[kind]), ev)
			continue
		}
		ref := Ref{Type: "phase", ID: p.ID, Label: PhaseLabels[kind]}
		rule := phaseRules[kind]
		if rule.maxDays > 0 {
			days := int(civil(p.End).Sub(civil(p.Start)).Hours()/24+0.5) + 1
			if days < rule.minDays || days > rule.maxDays {
				d.add(ConflictPhaseDuration, fmt.Sprintf("La phase d'%s dure %d jours : la méthode prévoit %s.", PhaseLabels[kind], days, rule.method), ref)
			}
		} else {
			minutes := int(p.End.Sub(p.Start).Minutes())
			if minutes < rule.minMinutes || minutes > rule.maxMinutes {
				d.add(ConflictPhaseDuration, fmt.Sprintf("La phase %s dure %s : la méthode prévoit %s.", De(PhaseLabels[kind]), duration(minutes), rule.method), ref)
			}
		}
		if previous != nil && p.Start.Before(previous.End) {
			d.add(ConflictPhaseOrder, fmt.Sprintf("La phase %s commence avant la fin de la phase %s.", De(PhaseLabels[kind]), De(PhaseLabels[previous.Kind])),
				Ref{Type: "phase", ID: previous.ID, Label: PhaseLabels[previous.Kind]}, ref)
		}
		previous = p
	}
	n, controversy := len(d.s.Workshops), false
	for _, w := range d.s.Workshops {
		controversy = controversy || w.Controversy
	}
	if n < MinForumWorkshops || n > MaxForumWorkshops {
		d.add(ConflictWorkshopCount, fmt.Sprintf("Le forum compte %s : la méthode en prévoit entre %d et %d.", Count(n, "atelier", "ateliers"), MinForumWorkshops, MaxForumWorkshops), ev)
	}
	if n > 0 && !controversy {
		d.add(ConflictNoControversy, "Aucun atelier du forum n'est consacré aux controverses : la méthode en demande au moins un.", ev)
	}
	if launch := byKind[PhaseLaunch]; launch != nil {
		speakers := map[int64]bool{}
		for _, it := range d.s.Items {
			if it.PhaseID != nil && *it.PhaseID == launch.ID {
				for _, p := range it.SpeakerIDs {
					speakers[p] = true
				}
			}
		}
		if len(speakers) < MinLaunchSpeakers || len(speakers) > MaxLaunchSpeakers {
			d.add(ConflictLaunchSpeakers, fmt.Sprintf("Le lancement réunit %s : la méthode en prévoit entre %d et %d.", Count(len(speakers), "intervenant", "intervenants"), MinLaunchSpeakers, MaxLaunchSpeakers),
				Ref{Type: "phase", ID: launch.ID, Label: PhaseLabels[PhaseLaunch]})
		}
	}
}

func civil(t time.Time) time.Time {
	t = t.In(Paris)
	return time.Date(t.Year(), t.Month(), t.Day(), 12, 0, 0, 0, time.UTC)
}

func duration(minutes int) string {
	return fmt.Sprintf("%d h %02d", minutes/60, minutes%60)
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func earlier(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
