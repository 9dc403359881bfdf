package fabrique

import (
	"context"
	"time"
)

// Personal data (RGPD): what is held about a participant, its erasure on
// request, and the anonymisation of participants once an event's
// retention period is over (minutes, contributions without their authors,
// and counts by category are kept).

// DefaultRetentionMonths is how long after an event ends its participants'
// personal data are kept, unless the event says otherwise.
const DefaultRetentionMonths = 12

// MaxRetentionMonths bounds the retention an event may set (three years).
const MaxRetentionMonths = 36

// AnonymousName replaces the name of a participant whose data were erased.
const AnonymousName = "Participant·e anonymisé·e"

// PersonalData is everything fabrique holds about one person as a
// participant, as given to them (or to staff on their request).
type PersonalData struct {
	GeneratedAt   time.Time          `json:"generated_at"`
	Person        PersonRecord       `json:"person"`
	Registrations []RegistrationData `json:"registrations"`
	Contributions []ContributionData `json:"contributions"`
	Messages      []MessageData      `json:"messages"`
	Subscriptions []SubscriptionData `json:"subscriptions"` // the commitments whose status changes they are told of
	Processing    string             `json:"processing"`    // why and how long, in French
}

// PersonRecord is the person as stored.
type PersonRecord struct {
	ID           int64     `json:"id"`
	Name         string    `json:"name"`
	Email        string    `json:"email"`
	Category     Category  `json:"category"`
	Organisation string    `json:"organisation,omitempty"`
	Role         string    `json:"role,omitempty"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
}

// SubscriptionData is a commitment whose status changes the person asked
// to be told of (issue 17).
type SubscriptionData struct {
	CommitmentID int64     `json:"commitment_id"`
	PlanID       int64     `json:"plan_id"`
	Number       string    `json:"number"`
	Title        string    `json:"title"`
	CreatedAt    time.Time `json:"created_at"`
}

// RegistrationData is one registration of the person, with its consent.
type RegistrationData struct {
	ID               int64              `json:"id"`
	EventID          int64              `json:"event_id"`
	EventTitle       string             `json:"event_title"`
	EventEnd         time.Time          `json:"event_end"`
	Status           RegistrationStatus `json:"status"`
	Workshop         string             `json:"workshop,omitempty"`
	Choices          []int64            `json:"choices"`
	Organisation     string             `json:"organisation,omitempty"`
	Consent          bool               `json:"consent"`
	ConsentAt        *time.Time         `json:"consent_at"`
	ConsentText      string             `json:"consent_text,omitempty"`
	CreatedAt        time.Time          `json:"created_at"`
	UpdatedAt        time.Time          `json:"updated_at"`
	RetainedUntil    time.Time          `json:"retained_until"` // anonymised after this instant
	CalendarEntries  int                `json:"calendar_entries"`
	PrivateLinkCount int                `json:"private_links"`
}

// ContributionData is a contribution recorded with the person as author.
type ContributionData struct {
	ID         int64     `json:"id"`
	WorkshopID int64     `json:"workshop_id"`
	Category   string    `json:"category"`
	Text       string    `json:"text"`
	Author     string    `json:"author"`
	CreatedAt  time.Time `json:"created_at"`
}

// MessageData is a message of the outbox addressed to the person.
type MessageData struct {
	ID        int64       `json:"id"`
	EventID   int64       `json:"event_id"`
	Kind      string      `json:"kind"`
	Method    string      `json:"method"`
	State     OutboxState `json:"state"`
	Recipient string      `json:"recipient"`
	CreatedAt time.Time   `json:"created_at"`
	SentAt    *time.Time  `json:"sent_at"`
}

// Erasure reports what an erasure or a purge did.
type Erasure struct {
	Registrations int      `json:"registrations"` // registrations anonymised (cancelled first when still to come)
	Cancelled     int      `json:"cancelled"`     // of which seats freed in events to come
	Contributions int      `json:"contributions"` // contributions whose author was removed
	Messages      int      `json:"messages"`      // messages deleted from the outbox
	CancelsSent   int      `json:"cancels_sent"`  // calendar cancellations queued for items still to come
	Files         int      `json:"files"`         // .eml files deleted (written when no SMTP server is set)
	People        int      `json:"people"`        // person records deleted
	Kept          []string `json:"kept"`          // what was kept, and why (French)
}

// Retention is an event's retention period of personal data.
type Retention struct {
	EventID    int64      `json:"event_id"`
	Months     int        `json:"months"`      // after the end of the event
	EventEnd   time.Time  `json:"event_end"`   // read-only
	PurgeAfter time.Time  `json:"purge_after"` // read-only: EventEnd + Months
	PurgedAt   *time.Time `json:"purged_at"`   // read-only: the last anonymisation of the event's participants
}

// Validate checks the period.
func (r *Retention) Validate() error {
	var p Problems
	if r.Months < 1 || r.Months > MaxRetentionMonths {
		p.Add("months", "une durée entre 1 et %d mois est attendue", MaxRetentionMonths)
	}
	return p.Err()
}

// Processing is one entry of the register of processing activities
// (article 30 of the GDPR): what is kept, why, how long, who sees it.
type Processing struct {
	Name       string   `json:"name"`
	Purpose    string   `json:"purpose"`
	LegalBasis string   `json:"legal_basis"`
	Data       []string `json:"data"`
	People     string   `json:"people"` // whose data
	Retention  string   `json:"retention"`
	Recipients []string `json:"recipients"` // who can see them
	Safeguards []string `json:"safeguards"`
}

// PrivacyService gives participants and administrators their rights over
// personal data, and anonymises what the retention periods no longer allow.
type PrivacyService interface {
	// ParticipantData returns everything held about the person of a private link.
	ParticipantData(ctx context.Context, token string) (*PersonalData, error)
	// EraseParticipant erases the person of a private link (the link then stops working).
	EraseParticipant(ctx context.Context, token string) (*Erasure, error)
	// PersonData returns everything held about a person (administrators).
	PersonData(ctx context.Context, personID int64) (*PersonalData, error)
	// ErasePerson erases a person's participant data on their request (administrators).
	ErasePerson(ctx context.Context, personID int64) (*Erasure, error)
	// Retention reads an event's retention period (staff of the event).
	Retention(ctx context.Context, eventID int64) (*Retention, error)
	// SetRetention changes it (administrators; organisers of the host).
	SetRetention(ctx context.Context, r *Retention) error
	// Purge anonymises the participants of every event whose retention ended before now.
	Purge(ctx context.Context, now time.Time) (*Erasure, error)
}
