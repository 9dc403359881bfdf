package fabrique

import (
	"context"
	"time"
)

// RegPending is the state of a registration by ranked choices that waits for
// the allocation of places, once registration closes.
const RegPending RegistrationStatus = "pending"

// Allocation is how an event gives out the seats of its workshops.
type Allocation string

// Modes of allocation.
const (
	AllocFirstCome  Allocation = "first_come" // the workshop chosen, in order of arrival
	AllocPreference Allocation = "preference" // 1–3 ranked choices, allocated when registration closes
)

// Allocations lists the modes of allocation.
var Allocations = []Allocation{AllocFirstCome, AllocPreference}

// What a participant agrees to, shown next to the consent box.
const (
	ConsentPurpose   = "Vos nom, adresse électronique, catégorie et organisation servent uniquement à organiser cet événement : confirmer votre inscription, vous envoyer l'invitation et ses mises à jour, préparer la feuille d'émargement et compter la participation par catégorie. Ils ne sont transmis à aucun tiers."
	ConsentRetention = "Ces données sont conservées un an après la fin de l'événement, puis supprimées. Vous pouvez annuler votre inscription à tout moment avec le lien personnel reçu par courriel."
)

// RegistrationSettings are the registration rules of one event.
type RegistrationSettings struct {
	EventID     int64      `json:"event_id"`
	Allocation  Allocation `json:"allocation"`
	ClosesAt    *time.Time `json:"closes_at"`             // registration closes then (and at the start of the event)
	Review      bool       `json:"review_before_sending"` // messages wait for staff to release them
	AllocatedAt *time.Time `json:"allocated_at"`          // read-only: when the ranked choices were allocated
}

// Validate checks settings.
func (s *RegistrationSettings) Validate() error {
	var p Problems
	if s.EventID <= 0 {
		p.Add("event_id", "l'événement est obligatoire")
	}
	OneOf(&p, "allocation", s.Allocation, Allocations, true)
	return p.Err()
}

// RegistrationRequest is what a person sends to register for an event.
type RegistrationRequest struct {
	Name         string   `json:"name"`
	Email        string   `json:"email"`
	Category     Category `json:"category"`
	Organisation string   `json:"organisation"`
	WorkshopID   *int64   `json:"workshop_id"` // the workshop wanted (allocation first_come)
	Choices      []int64  `json:"choices"`     // 1–3 ranked workshops (allocation preference)
	Consent      bool     `json:"consent"`     // agreement to ConsentPurpose and ConsentRetention
}

// Validate checks a registration request on its own; the store checks it
// against the event.
func (r *RegistrationRequest) Validate() error {
	var p Problems
	p.Name("name", r.Name)
	p.Email("email", r.Email, true)
	OneOf(&p, "category", r.Category, Categories, true)
	p.Line("organisation", r.Organisation, MaxName)
	p.Ref("workshop_id", r.WorkshopID)
	p.Refs("choices", r.Choices, 3)
	if r.WorkshopID != nil && len(r.Choices) > 0 {
		p.Add("choices", "indiquez soit un atelier, soit vos choix classés, pas les deux")
	}
	if !r.Consent {
		p.Add("consent", "votre accord sur l'usage de vos données est nécessaire pour vous inscrire")
	}
	return p.Err()
}

// RegistrationReceipt answers a registration. The private token is never
// part of it: it is sent by email only, which proves the address.
type RegistrationReceipt struct {
	// RegistrationID is for the store's callers and tests: the public
	// answer holds no id, so that it does not tell a known address from a
	// new one.
	RegistrationID  int64              `json:"-"`
	Status          RegistrationStatus `json:"status"`
	WorkshopID      *int64             `json:"workshop_id"`
	WaitingPosition int                `json:"waiting_position"` // 1 for the first waiting, 0 when not waiting
	Message         string             `json:"message"`          // French, for the person
	Token           string             `json:"-"`                // the private token, for the store's callers and tests
	Known           bool               `json:"-"`                // the address was already registered (for tests; never answered)
}

// WorkshopSeats describes a workshop offered to participants.
type WorkshopSeats struct {
	ID         int64  `json:"id"`
	Number     int    `json:"number"`
	Title      string `json:"title"`
	Room       string `json:"room"`
	Capacity   int    `json:"capacity"`
	Registered int    `json:"registered"`
	Waiting    int    `json:"waiting"`
	SeatsLeft  int    `json:"seats_left"`
}

// RegistrationForm is what the registration page of an event shows.
type RegistrationForm struct {
	EventID          int64           `json:"event_id"`
	Title            string          `json:"title"`
	When             string          `json:"when"` // « mardi 21 juin 2016 de 17 h 30 à 20 h 15 »
	Allocation       Allocation      `json:"allocation"`
	Open             bool            `json:"open"`
	ClosesAt         *time.Time      `json:"closes_at"`
	SeatsLeft        int             `json:"seats_left"` // -1: no limit
	Categories       []Category      `json:"categories"`
	Workshops        []WorkshopSeats `json:"workshops"`
	ConsentPurpose   string          `json:"consent_purpose"`
	ConsentRetention string          `json:"consent_retention"`
}

// CalendarItem is one item of a calendar: a Ministère ouvert evening, or the
// launch or the forum day of a forum.
type CalendarItem struct {
	Key         string    `json:"key"` // event-12, phase-4
	UID         string    `json:"uid"`
	Sequence    int       `json:"sequence"`
	Title       string    `json:"title"`
	Start       time.Time `json:"start"`
	End         time.Time `json:"end"`
	When        string    `json:"when"`
	Location    string    `json:"location"`
	Description string    `json:"description"`
	URL         string    `json:"url,omitempty"`
	Status      string    `json:"status,omitempty"` // CANCELLED for a cancelled event
}

// Agenda is what a participant's private page shows.
type Agenda struct {
	// RegistrationID is for the store's callers and tests: the public
	// answer holds no id, so that it does not tell a known address from a
	// new one.
	RegistrationID  int64              `json:"-"`
	Name            string             `json:"name"`
	Email           string             `json:"email"`
	Status          RegistrationStatus `json:"status"`
	WaitingPosition int                `json:"waiting_position"`
	EventID         int64              `json:"event_id"`
	EventTitle      string             `json:"event_title"`
	EventStatus     EventStatus        `json:"event_status"`
	When            string             `json:"when"`
	Workshop        *WorkshopSeats     `json:"workshop"`
	Choices         []int64            `json:"choices"`
	Items           []CalendarItem     `json:"items"`     // the items they attend (empty unless registered)
	Workshops       []WorkshopSeats    `json:"workshops"` // where they may move
	CanChange       bool               `json:"can_change"`
}

// WorkshopChange asks to move a participant to another workshop; with Wait,
// a full workshop puts them on its waiting list (and frees their seat).
type WorkshopChange struct {
	WorkshopID int64 `json:"workshop_id"`
	Wait       bool  `json:"wait"`
}

// AllocationReport tells how ranked choices were allocated.
type AllocationReport struct {
	EventID      int64 `json:"event_id"`
	Participants int   `json:"participants"`
	FirstChoice  int   `json:"first_choice"`
	SecondChoice int   `json:"second_choice"`
	ThirdChoice  int   `json:"third_choice"`
	Waiting      int   `json:"waiting"`
}

// Calendar is a named list of items, for a feed.
type Calendar struct {
	Name  string         `json:"name"`
	Items []CalendarItem `json:"items"`
}

// EnrolmentService registers participants, manages waiting lists and the
// participant's private page. Every change queues its messages in the
// outbox in the same transaction.
type EnrolmentService interface {
	// RegistrationForm describes the registration of a published event.
	RegistrationForm(ctx context.Context, eventID int64) (*RegistrationForm, error)
	// Register registers a person (anonymous); the same email twice for one
	// event is recognised and sent a new link, not duplicated.
	Register(ctx context.Context, eventID int64, req *RegistrationRequest) (*RegistrationReceipt, error)
	// AddRegistration registers a person on staff's behalf: the person is
	// created first when new (ID 0), in the same transaction, so that a
	// refused registration leaves no contact behind.
	AddRegistration(ctx context.Context, person *Person, reg *Registration) error
	// Agenda reads the registration of a private token.
	Agenda(ctx context.Context, token string) (*Agenda, error)
	// ChangeWorkshop moves the participant of a token to another workshop.
	ChangeWorkshop(ctx context.Context, token string, change WorkshopChange) (*Agenda, error)
	// CancelRegistration cancels the registration of a token.
	CancelRegistration(ctx context.Context, token string) (*Agenda, error)
	// ChangeEmail gives the participant of a token a new address: their
	// link is re-issued and mailed to the new address, the old one is told.
	ChangeEmail(ctx context.Context, token, email string) (*AddressChange, error)
	// Settings reads the registration settings of an event (staff).
	Settings(ctx context.Context, eventID int64) (*RegistrationSettings, error)
	// SetSettings writes them (administrators, organisers of the host).
	SetSettings(ctx context.Context, s *RegistrationSettings) error
	// Allocate allocates the ranked choices of an event and tells everyone.
	Allocate(ctx context.Context, eventID int64) (*AllocationReport, error)
	// AllocateDue allocates every published event by ranked choices whose
	// registration closed before now and that was not allocated yet (the
	// service runs it as the system, every minute).
	AllocateDue(ctx context.Context, now time.Time) ([]*AllocationReport, error)
	// PublicCalendar is the public programme of a published event.
	PublicCalendar(ctx context.Context, eventID int64) (*Calendar, error)
	// ParticipantCalendar is the items of the participant of a token.
	ParticipantCalendar(ctx context.Context, token string) (*Calendar, error)
	// CreateFeedToken returns a new private feed token for a facilitator
	// (administrators, organisers, or the facilitator themself).
	CreateFeedToken(ctx context.Context, personID int64) (string, error)
	// FacilitatorCalendar is the workshops of the facilitator of a feed token.
	FacilitatorCalendar(ctx context.Context, token string) (*Calendar, error)
	// Roster lists an event's registrations with their waiting ranks (staff of the host).
	Roster(ctx context.Context, eventID int64) (*Roster, error)
	// ResendInvitation sends a seated registration's invitation again, with
	// the same UID and private link (staff of the host).
	ResendInvitation(ctx context.Context, registrationID int64) error
}

// AddressChange answers a participant's change of address. The link used
// is dead afterwards: the new one goes to the new address only.
type AddressChange struct {
	Email   string `json:"email"`
	Message string `json:"message"` // French, for the person
}

// EmailChange is the body of a participant's change of address.
type EmailChange struct {
	Email string `json:"email"`
}
