package fabrique

import (
	"context"
	"time"
)

// Vitals are the figures a supervisor watches: the outbox's queue and the
// counts behind the service's metrics. They hold no personal data.
type Vitals struct {
	// Accounts is the number of staff accounts (0: a new database).
	Accounts int
	// Outbox counts the messages by state (every state present, 0 or more).
	Outbox map[OutboxState]int
	// Due is the number of pending messages whose attempt time has come.
	Due int
	// OldestDue is the attempt time of the oldest message due (zero: none).
	OldestDue time.Time
	// Registrations counts the registrations by status.
	Registrations map[RegistrationStatus]int
}

// VitalsReader reads the Vitals, as the system (no user is checked).
type VitalsReader interface {
	Vitals(ctx context.Context, now time.Time) (*Vitals, error)
}
