package fabrique

import (
	"context"
	"time"
)

// Plan is an event with its phases, programme and workshops, as a format
// template proposes it, written in one transaction.
type Plan struct {
	Event  Event
	Phases []Phase
	Items  []PlanItem
}

// PlanItem is a programme item of a plan, with the phase it belongs to (by
// kind, "" for none) and its workshops.
type PlanItem struct {
	Item      ProgrammeItem
	Phase     PhaseKind
	Workshops []Workshop
}

// Series is a recurring series of events (a monthly point d'étape).
type Series struct {
	ID        int64     `json:"id"`
	Title     string    `json:"title"`
	Rule      string    `json:"rule"` // RFC 5545 RRULE
	CreatedAt time.Time `json:"created_at"`
}

// WorkshopAssignment is what the assignment gives one workshop.
type WorkshopAssignment struct {
	WorkshopID     int64   `json:"workshop_id"`
	RoomID         *int64  `json:"room_id"`
	FacilitatorIDs []int64 `json:"facilitator_ids"`
}

// AssignmentData is what an assignment of an event's workshops needs from
// the store: the event's workshops with their times, the candidate rooms and
// facilitators, and what they already do elsewhere.
type AssignmentData struct {
	Event       *Event
	Workshops   []*Workshop
	ItemTimes   map[int64]Window // programme item id → its time
	Commitments map[int64]*Commitment
	Rooms       []*Room
	People      []*Person
	Carries     map[int64][]string // person id → numbers of the commitments their organisation carries
	RoomBusy    map[int64][]Window // room id → uses by other workshops and items
	PersonBusy  map[int64][]Window // person id → other facilitations and talks
}

// SchedulingService plans events: formats written in one transaction,
// conflicts and their exceptions, and the data of the automatic assignment.
type SchedulingService interface {
	// CreatePlans writes plans (one event each), in a series when series is
	// not nil; everything or nothing.
	CreatePlans(ctx context.Context, plans []*Plan, series *Series) error
	// Conflicts lists the conflicts of an event, waived ones marked.
	Conflicts(ctx context.Context, eventID int64) ([]Conflict, error)
	// AddException waives a conflict of an event with a reason.
	AddException(ctx context.Context, x *RuleException) error
	// DeleteException removes an exception.
	DeleteException(ctx context.Context, eventID, id int64) error
	// AssignmentData gathers what an assignment of the event needs.
	AssignmentData(ctx context.Context, eventID int64) (*AssignmentData, error)
	// ApplyAssignment writes rooms and facilitators to workshops of the event.
	ApplyAssignment(ctx context.Context, eventID int64, as []WorkshopAssignment) error
}
