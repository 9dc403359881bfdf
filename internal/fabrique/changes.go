package fabrique

import (
	"context"
	"time"
)

// Changes to a published event (its time, its place, a programme item, a
// workshop's room) are gathered, like pretalx's schedule releases: staff
// see what is pending and who will be told, and « Publier les
// modifications » tells each participant once, with what changed; or the
// changes go by themselves after a quiet delay the event sets.

// DefaultChangeDelay is the quiet delay of an event that sets none.
const DefaultChangeDelay = 15

// MaxChangeDelay is the longest quiet delay, in minutes (a day).
const MaxChangeDelay = 1440

// PendingChange is a change of a published event not yet told.
type PendingChange struct {
	ID          int64     `json:"id"`
	WorkshopID  *int64    `json:"workshop_id"` // only this workshop's participants are concerned; null: all
	Description string    `json:"description"` // what changed, in French
	CreatedAt   time.Time `json:"created_at"`
}

// PendingChanges are an event's changes waiting for their release.
type PendingChanges struct {
	EventID      int64           `json:"event_id"`
	Changes      []PendingChange `json:"changes"`
	Participants int             `json:"participants"`  // who will be told
	DelayMinutes int             `json:"delay_minutes"` // the quiet delay; 0: told at once
	ReminderDays int             `json:"reminder_days"` // days before the event its participants are reminded
	ReleaseAt    *time.Time      `json:"release_at"`    // when they go by themselves; null when none is pending
}

// DefaultReminderDays is how many days before an event its participants
// are reminded of it, when the event sets nothing.
const DefaultReminderDays = 2

// ChangeSettings is how an event tells its participants: the quiet delay
// before its changes go by themselves, and the reminder before it.
type ChangeSettings struct {
	DelayMinutes int `json:"delay_minutes"` // 0: each change is told at once
	ReminderDays int `json:"reminder_days"` // days before the event; 0: no reminder
}

// Validate checks the settings.
func (s *ChangeSettings) Validate() error {
	var p Problems
	p.Range("delay_minutes", s.DelayMinutes, 0, MaxChangeDelay)
	p.Range("reminder_days", s.ReminderDays, 0, 30)
	return p.Err()
}

// Reminder tells what a reminder before an event queued.
type Reminder struct {
	EventID      int64 `json:"event_id"`
	Participants int   `json:"participants"`
}

// ChangeRelease tells what a release sent.
type ChangeRelease struct {
	EventID      int64 `json:"event_id"`
	Changes      int   `json:"changes"`      // changes told
	Participants int   `json:"participants"` // participants told, each once per calendar item
	Messages     int   `json:"messages"`     // updates queued in the outbox
}

// ChangeService gathers the changes of published events and releases them.
type ChangeService interface {
	// PendingChanges lists an event's changes not yet told (staff of the host).
	PendingChanges(ctx context.Context, eventID int64) (*PendingChanges, error)
	// ReleaseChanges tells the participants now, once each (staff of the host).
	ReleaseChanges(ctx context.Context, eventID int64) (*ChangeRelease, error)
	// SetChangeSettings sets the event's quiet delay (staff of the host).
	SetChangeSettings(ctx context.Context, eventID int64, s *ChangeSettings) error
	// ReleaseDue releases the events whose last change is older than their
	// quiet delay (the service's own loop, as the system).
	ReleaseDue(ctx context.Context, now time.Time) ([]*ChangeRelease, error)
	// RemindDue queues, once per event, the reminder of the published events
	// starting within their reminder days (the service's own loop, as the system).
	RemindDue(ctx context.Context, now time.Time) ([]*Reminder, error)
}
