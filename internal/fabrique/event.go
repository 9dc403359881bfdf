package fabrique

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// EventKind is the format of an event.
type EventKind string

// Formats of events.
const (
	EventOpenMinistry   EventKind = "open_ministry"    // Ministère ouvert
	EventForum          EventKind = "open_state_forum" // Forum Open d'État
	EventWorkshop       EventKind = "simple_workshop"  // atelier de travail
	EventProgressReview EventKind = "progress_review"  // point d'étape
	EventRelayWorkshop  EventKind = "relay_workshop"   // atelier-relais
)

// EventKinds lists the formats.
var EventKinds = []EventKind{EventOpenMinistry, EventForum, EventWorkshop, EventProgressReview, EventRelayWorkshop}

// EventStatus is the publication state of an event.
type EventStatus string

// States of an event.
const (
	EventDraft     EventStatus = "draft"
	EventPublished EventStatus = "published"
	EventCancelled EventStatus = "cancelled"
)

// EventStatuses lists the states of an event.
var EventStatuses = []EventStatus{EventDraft, EventPublished, EventCancelled}

// Event is a participation event, always in Europe/Paris time.
type Event struct {
	ID                 int64       `json:"id"`
	Kind               EventKind   `json:"kind"`
	Title              string      `json:"title"`
	Theme              string      `json:"theme"`
	Description        string      `json:"description"`
	HostOrganisationID int64       `json:"host_organisation_id"`
	Status             EventStatus `json:"status"`
	VenueID            *int64      `json:"venue_id"`
	OnlineURL          string      `json:"online_url"`
	Start              time.Time   `json:"start"`
	End                time.Time   `json:"end"`
	Capacity           int         `json:"capacity"`        // 0: the sum of its workshops
	SeriesID           *int64      `json:"series_id"`       // a recurring series (points d'étape)
	ParentEventID      *int64      `json:"parent_event_id"` // a relay workshop shown in this event's programme
	CreatedAt          time.Time   `json:"created_at"`
	UpdatedAt          time.Time   `json:"updated_at"`
}

// Validate checks an event.
func (e *Event) Validate() error {
	var p Problems
	OneOf(&p, "kind", e.Kind, EventKinds, true)
	p.Name("title", e.Title)
	p.Line("theme", e.Theme, MaxName)
	p.Text("description", e.Description)
	if e.HostOrganisationID <= 0 {
		p.Add("host_organisation_id", "l'organisation hôte est obligatoire")
	}
	OneOf(&p, "status", e.Status, EventStatuses, true)
	p.Ref("venue_id", e.VenueID)
	p.URL("online_url", e.OnlineURL)
	if e.VenueID == nil && e.OnlineURL == "" {
		p.Add("venue_id", "indiquez un lieu ou, pour un événement en ligne, un lien de visioconférence")
	}
	p.Period("", e.Start, e.End)
	if !e.Start.IsZero() && !e.End.IsZero() && e.End.Sub(e.Start) > 120*24*time.Hour {
		p.Add("end", "un événement dure au plus 120 jours")
	}
	p.Range("capacity", e.Capacity, 0, 100000)
	p.Ref("series_id", e.SeriesID)
	p.Ref("parent_event_id", e.ParentEventID)
	if e.ParentEventID != nil && e.ID != 0 && *e.ParentEventID == e.ID {
		p.Add("parent_event_id", "un événement ne peut pas être son propre parent")
	}
	return p.Err()
}

// PhaseKind is a phase of a Forum Open d'État.
type PhaseKind string

// The four phases of a forum.
const (
	PhaseInvestigation PhaseKind = "investigation"
	PhaseLaunch        PhaseKind = "launch"
	PhaseForum         PhaseKind = "forum"
	PhaseDeepening     PhaseKind = "deepening"
)

// PhaseKinds lists the phases in their order.
var PhaseKinds = []PhaseKind{PhaseInvestigation, PhaseLaunch, PhaseForum, PhaseDeepening}

// Phase is a phase of a forum, with its dates.
type Phase struct {
	ID        int64     `json:"id"`
	EventID   int64     `json:"event_id"`
	Kind      PhaseKind `json:"kind"`
	Start     time.Time `json:"start"`
	End       time.Time `json:"end"`
	Online    bool      `json:"online"`
	Notes     string    `json:"notes"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Validate checks a phase.
func (x *Phase) Validate() error {
	var p Problems
	if x.EventID <= 0 {
		p.Add("event_id", "l'événement est obligatoire")
	}
	OneOf(&p, "kind", x.Kind, PhaseKinds, true)
	p.Period("", x.Start, x.End)
	p.Text("notes", x.Notes)
	return p.Err()
}

// ItemKind is the kind of a programme item.
type ItemKind string

// Kinds of programme items.
const (
	ItemWelcome      ItemKind = "welcome"
	ItemOpening      ItemKind = "opening"
	ItemPresentation ItemKind = "presentation"
	ItemWorkshops    ItemKind = "workshops"
	ItemReportBack   ItemKind = "report_back"
	ItemClosing      ItemKind = "closing"
	ItemRoundTable   ItemKind = "round_table"
	ItemRestitution  ItemKind = "restitution"
	ItemPropulsion   ItemKind = "propulsion"
	ItemBreak        ItemKind = "break"
	ItemOther        ItemKind = "other"
)

// ItemKinds lists the kinds of programme items.
var ItemKinds = []ItemKind{ItemWelcome, ItemOpening, ItemPresentation, ItemWorkshops, ItemReportBack, ItemClosing, ItemRoundTable, ItemRestitution, ItemPropulsion, ItemBreak, ItemOther}

// ProgrammeItem is one part of the programme of an event or of a phase.
type ProgrammeItem struct {
	ID          int64     `json:"id"`
	EventID     int64     `json:"event_id"`
	PhaseID     *int64    `json:"phase_id"`
	Kind        ItemKind  `json:"kind"`
	Title       string    `json:"title"`
	Description string    `json:"description"`
	Start       time.Time `json:"start"`
	End         time.Time `json:"end"`
	RoomID      *int64    `json:"room_id"`
	Online      bool      `json:"online"`
	SpeakerIDs  []int64   `json:"speaker_ids"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// Validate checks a programme item.
func (x *ProgrammeItem) Validate() error {
	var p Problems
	if x.EventID <= 0 {
		p.Add("event_id", "l'événement est obligatoire")
	}
	p.Ref("phase_id", x.PhaseID)
	OneOf(&p, "kind", x.Kind, ItemKinds, true)
	p.Name("title", x.Title)
	p.Text("description", x.Description)
	p.Period("", x.Start, x.End)
	if !x.Start.IsZero() && !x.End.IsZero() && x.End.Sub(x.Start) > 24*time.Hour {
		p.Add("end", "un élément de programme dure au plus 24 heures")
	}
	p.Ref("room_id", x.RoomID)
	p.Refs("speaker_ids", x.SpeakerIDs, 20)
	return p.Err()
}

// Workshop is a workshop (atelier) held during a programme item, on 1–3
// commitments, run by 1–3 facilitators.
type Workshop struct {
	ID             int64   `json:"id"`
	EventID        int64   `json:"event_id"`
	ItemID         int64   `json:"item_id"`
	Number         int     `json:"number"`
	Title          string  `json:"title"`
	Description    string  `json:"description"`
	RoomID         *int64  `json:"room_id"`
	Capacity       int     `json:"capacity"`
	FacilitatorIDs []int64 `json:"facilitator_ids"`
	// FacilitatorsNeeded is how many facilitators the workshop needs (1–3;
	// 0 is read as 1).
	FacilitatorsNeeded int       `json:"facilitators_needed"`
	CommitmentIDs      []int64   `json:"commitment_ids"`
	Controversy        bool      `json:"controversy"`
	CreatedAt          time.Time `json:"created_at"`
	UpdatedAt          time.Time `json:"updated_at"`
}

// Validate checks a workshop (and reads a FacilitatorsNeeded of 0 as 1).
func (w *Workshop) Validate() error {
	var p Problems
	if w.FacilitatorsNeeded == 0 {
		w.FacilitatorsNeeded = 1
	}
	p.Range("facilitators_needed", w.FacilitatorsNeeded, 1, 3)
	if w.EventID <= 0 {
		p.Add("event_id", "l'événement est obligatoire")
	}
	if w.ItemID <= 0 {
		p.Add("item_id", "l'élément de programme (le créneau des ateliers) est obligatoire")
	}
	p.Range("number", w.Number, 0, 999)
	p.Name("title", w.Title)
	p.Text("description", w.Description)
	p.Ref("room_id", w.RoomID)
	p.Range("capacity", w.Capacity, 1, 5000)
	p.Refs("facilitator_ids", w.FacilitatorIDs, 3)
	p.Refs("commitment_ids", w.CommitmentIDs, 5)
	return p.Err()
}

// RegistrationStatus is the state of a registration.
type RegistrationStatus string

// States of a registration.
const (
	RegRegistered RegistrationStatus = "registered"
	RegWaiting    RegistrationStatus = "waiting"
	RegCancelled  RegistrationStatus = "cancelled"
	RegAttended   RegistrationStatus = "attended"
)

// RegistrationStatuses lists the states of a registration.
var RegistrationStatuses = []RegistrationStatus{RegRegistered, RegWaiting, RegCancelled, RegAttended, RegPending}

// Registration records a person registered to an event and, optionally, a workshop.
type Registration struct {
	ID         int64              `json:"id"`
	EventID    int64              `json:"event_id"`
	WorkshopID *int64             `json:"workshop_id"`
	PersonID   int64              `json:"person_id"`
	Status     RegistrationStatus `json:"status"`
	Choices    []int64            `json:"choices"` // ranked workshop ids, for allocation by preference
	Consent    bool               `json:"consent"`
	// Organisation is where the participant works, as they typed it (or
	// staff did): the sign-in sheet, the badges and the minutes show it.
	Organisation string    `json:"organisation"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
}

// Validate checks a registration.
func (r *Registration) Validate() error {
	var p Problems
	if r.EventID <= 0 {
		p.Add("event_id", "l'événement est obligatoire")
	}
	p.Ref("workshop_id", r.WorkshopID)
	if r.PersonID <= 0 {
		p.Add("person_id", "la personne est obligatoire")
	}
	OneOf(&p, "status", r.Status, RegistrationStatuses, true)
	p.Refs("choices", r.Choices, 3)
	p.Line("organisation", r.Organisation, MaxName)
	return p.Err()
}

// WorkshopTitle is a workshop's title without a leading « Atelier 3 : »
// that repeats its number (titles typed that way, or made by the formats
// before they stopped doing it), so that a label never reads « Atelier 3 :
// Atelier 3 : … ».
func WorkshopTitle(number int, title string) string {
	if number <= 0 {
		return title
	}
	prefix := "atelier " + strconv.Itoa(number)
	if len(title) < len(prefix) || !strings.EqualFold(title[:len(prefix)], prefix) {
		return title
	}
	rest := title[len(prefix):]
	if rest != "" && unicode.IsDigit(rune(rest[0])) { // « Atelier 12 » is not « Atelier 1 »
		return title
	}
	return strings.TrimLeft(rest, " \u00a0\u202f:–—-")
}

// PlaceholderWorkshopTitle is the title the formats give the workshops of
// a Ministère ouvert until the host names their subjects.
const PlaceholderWorkshopTitle = "Sujet à préciser"

// WorkshopLabel names a workshop: « Atelier 3 : Ouverture des données ».
func WorkshopLabel(number int, title string) string {
	title = WorkshopTitle(number, title)
	if number == 0 {
		return title
	}
	if title == "" {
		return fmt.Sprintf("Atelier %d", number)
	}
	return fmt.Sprintf("Atelier %d : %s", number, title)
}
