package fabrique

import "context"

// MaxPageSize is the largest page a list returns.
const MaxPageSize = 500

// ListOptions selects a page of a list, filtered by named fields.
type ListOptions struct {
	Limit   int
	Offset  int
	Filters map[string]string // field name → value, as documented per entity
}

// Page is one page of a list.
type Page[T any] struct {
	Items  []*T `json:"items"`
	Total  int  `json:"total"`
	Limit  int  `json:"limit"`
	Offset int  `json:"offset"`
}

// Repository reads and writes one kind of entity. Every method checks what
// the user of the context may see and do.
type Repository[T any] interface {
	// List returns a page of the entities visible to the user.
	List(ctx context.Context, opt ListOptions) (*Page[T], error)
	// Get returns one entity, ENOTFOUND when absent or not visible.
	Get(ctx context.Context, id int64) (*T, error)
	// Create validates and stores a new entity, filling its id and stamps.
	Create(ctx context.Context, v *T) error
	// Update validates and replaces a stored entity.
	Update(ctx context.Context, v *T) error
	// Delete removes an entity; ECONFLICT when other data still refer to it.
	Delete(ctx context.Context, id int64) error
	// Filters lists the filter names List accepts.
	Filters() []string
}

// Store gives access to every entity.
type Store interface {
	ActionPlans() Repository[ActionPlan]
	Commitments() Repository[Commitment]
	Organisations() Repository[Organisation]
	People() Repository[Person]
	Venues() Repository[Venue]
	Rooms() Repository[Room]
	Events() Repository[Event]
	Phases() Repository[Phase]
	Items() Repository[ProgrammeItem]
	Workshops() Repository[Workshop]
	Registrations() Repository[Registration]
	Users() UserService
	// Accounts lets administrators manage accounts and tokens (issue 11).
	Accounts() AccountService
	Enrolments() EnrolmentService // registration, waiting lists, participant pages (issue 4)
	Outbox() OutboxService        // the messages queued for sending (issue 4)
	// Scheduling plans events from formats, lists conflicts, assigns (issue 3).
	Scheduling() SchedulingService
	// Minutes records contributions and attendance and manages the minutes (issue 5).
	Minutes() MinutesService
	// Sessions keeps the web sessions of staff accounts (issue 6).
	Sessions() SessionService
	// Partners is the community map of forums: partners to mobilise (issue 6).
	Partners() Repository[Partner]
	// Declarations are events declared to DITP and their review (issue 6).
	Declarations() DeclarationService
	// Changes gathers the changes of published events and tells them once (issue 15).
	Changes() ChangeService
	// Privacy gives access to and erases personal data, and applies retention (issue 7).
	Privacy() PrivacyService
	// FollowUp keeps the follow-up of commitments and the consultations (issue 17).
	FollowUp() FollowUpService
	// PublicVersion changes whenever what an event's public page shows changes (issue 7).
	PublicVersion(ctx context.Context, eventID int64) (string, error)
	// Ping checks that the database answers.
	Ping(ctx context.Context) error
	// Meta reads a value of the service's key/value settings ("" when unset).
	Meta(ctx context.Context, key string) (string, error)
	// SetMeta writes a setting.
	SetMeta(ctx context.Context, key, value string) error
}
