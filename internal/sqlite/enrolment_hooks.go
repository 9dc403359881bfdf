package sqlite

import (
	"context"
	"database/sql"
	"strconv"
	"unicode"

	"fabrique/internal/fabrique"
)

// watchChanges makes every change of time or place of an event, a phase, a
// programme item or a workshop queue the updated invitations (and a
// cancelled event the cancellations) in the transaction of the change,
// after the repository has written it.
func (s *Store) watchChanges() {
	s.events.afterUpdate = chainAfter(s.events.afterUpdate, eventChanged(s.db))
	s.phases.afterUpdate = chainAfter(s.phases.afterUpdate, phaseChanged(s.db))
	s.items.afterUpdate = chainAfter(s.items.afterUpdate, itemChanged(s.db))
	s.workshops.afterUpdate = chainAfter(s.workshops.afterUpdate, workshopChanged(s.db))
	// Registrations written through the generic API follow the rules of
	// registration (enrolment_generic.go).
	s.registrations.beforeUpdate = s.db.registrationLeaving
	s.registrations.afterUpdate = s.db.registrationWritten
	s.registrations.afterCreate = func(ctx context.Context, tx *sql.Tx, v *fabrique.Registration) error {
		return s.db.registrationWritten(ctx, tx, nil, v)
	}
	s.registrations.beforeDelete = func(ctx context.Context, tx *sql.Tx, old *fabrique.Registration) error {
		return s.db.registrationLeaving(ctx, tx, old, nil)
	}
}

type afterFunc[T any] func(ctx context.Context, tx *sql.Tx, old, v *T) error

func chainAfter[T any](first, then afterFunc[T]) func(context.Context, *sql.Tx, *T, *T) error {
	return func(ctx context.Context, tx *sql.Tx, old, v *T) error {
		if first != nil {
			if err := first(ctx, tx, old, v); err != nil {
				return err
			}
		}
		return then(ctx, tx, old, v)
	}
}

func samePtr(a, b *int64) bool {
	return (a == nil && b == nil) || (a != nil && b != nil && *a == *b)
}

// keyOf returns the calendar item holding what happens in phase (0: none).
func keyOf(ctx context.Context, tx *sql.Tx, ev *eventInfo, phase int64) (string, error) {
	items, err := calendarItems(ctx, tx, ev)
	if err != nil {
		return "", err
	}
	for _, it := range items {
		if it.PhaseID == 0 || it.PhaseID == phase {
			return it.Key, nil
		}
	}
	return "", nil
}

func eventChanged(db *DB) afterFunc[fabrique.Event] {
	return func(ctx context.Context, tx *sql.Tx, old, v *fabrique.Event) error {
		placed := samePtr(old.VenueID, v.VenueID) && old.OnlineURL == v.OnlineURL
		moved := !old.Start.Equal(v.Start) || !old.End.Equal(v.End) || !placed
		cancelled := old.Status != fabrique.EventCancelled && v.Status == fabrique.EventCancelled
		// A larger capacity (0: no limit of its own) frees seats for the waiting list.
		grown := old.Capacity > 0 && (v.Capacity == 0 || v.Capacity > old.Capacity) && v.Status == fabrique.EventPublished
		if v.Capacity > 0 && (old.Capacity == 0 || v.Capacity < old.Capacity) {
			registered, err := seatedCount(ctx, tx, "event_id", v.ID)
			if err != nil {
				return err
			}
			if v.Capacity < registered {
				return fabrique.Invalid("capacity", "%d personnes sont inscrites à cet événement : sa capacité ne peut pas être plus petite ; annulez d'abord des inscriptions", registered)
			}
		}
		if (!moved && !cancelled && !grown) || old.Status != fabrique.EventPublished {
			return nil
		}
		ev, q, err := db.eventQueue(ctx, tx, v.ID)
		if err != nil {
			return err
		}
		if cancelled {
			if err := forgetChanges(ctx, tx, ev.ID); err != nil { // releases.go: the cancellation says it all
				return err
			}
			return cancelEvent(q, ev)
		}
		if !moved {
			return promote(q, ev)
		}
		keys := map[string]bool{}
		items, err := calendarItems(ctx, tx, ev)
		if err != nil {
			return err
		}
		shifted := !old.Start.Equal(v.Start) // the programme moved with the start (event_shift.go)
		for _, it := range items {
			// A forum's items have their own times: only a change of place or of start concerns them.
			keys[it.Key] = it.PhaseID == 0 || !placed || shifted
		}
		var said []string
		if !old.Start.Equal(v.Start) || !old.End.Equal(v.End) {
			said = append(said, describeSpan(old.Start, old.End, v.Start, v.End))
		}
		if !placed {
			place, err := describePlace(ctx, tx, v)
			if err != nil {
				return err
			}
			said = append(said, place)
		}
		for _, what := range said {
			if err := q.record(ev, keys, nil, what); err != nil {
				return err
			}
		}
		if !grown {
			return nil
		}
		return promote(q, ev)
	}
}

// cancelEvent tells every participant that the event is cancelled: a
// CANCEL for what their calendar holds, a message to the others.
func cancelEvent(q *txQueue, ev *eventInfo) error {
	rows, err := q.tx.QueryContext(q.ctx, `SELECT id, status FROM registrations WHERE event_id = ? AND status <> 'cancelled' ORDER BY id`, ev.ID)
	if err != nil {
		return err
	}
	type reg struct {
		id     int64
		status fabrique.RegistrationStatus
	}
	var regs []reg
	for rows.Next() {
		var r reg
		if err := rows.Scan(&r.id, &r.status); err != nil {
			rows.Close()
			return err
		}
		regs = append(regs, r)
	}
	rows.Close()
	for _, r := range regs {
		if r.status == fabrique.RegRegistered || r.status == fabrique.RegAttended {
			err = q.withdraw(ev, r.id, fabrique.MsgEventCancel, "")
		} else {
			err = q.notice(ev, r.id, fabrique.MsgEventCancel)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func phaseChanged(db *DB) afterFunc[fabrique.Phase] {
	return func(ctx context.Context, tx *sql.Tx, old, v *fabrique.Phase) error {
		if old.Start.Equal(v.Start) && old.End.Equal(v.End) && old.Online == v.Online {
			return nil
		}
		if v.Kind != fabrique.PhaseLaunch && v.Kind != fabrique.PhaseForum {
			return nil
		}
		ev, q, err := db.eventQueue(ctx, tx, v.EventID)
		if err != nil {
			return err
		}
		what := "La phase « " + fabrique.PhaseLabels[v.Kind] + " » : " + lowerFirst(describeSpan(old.Start, old.End, v.Start, v.End))
		if old.Online != v.Online {
			what = "La phase « " + fabrique.PhaseLabels[v.Kind] + " » a désormais lieu " + map[bool]string{true: "en ligne.", false: "sur place."}[v.Online]
		}
		return q.record(ev, map[string]bool{"phase-" + itoa64(v.ID): true}, nil, what)
	}
}

func itemChanged(db *DB) afterFunc[fabrique.ProgrammeItem] {
	return func(ctx context.Context, tx *sql.Tx, old, v *fabrique.ProgrammeItem) error {
		if old.Start.Equal(v.Start) && old.End.Equal(v.End) && samePtr(old.RoomID, v.RoomID) && samePtr(old.PhaseID, v.PhaseID) {
			return nil
		}
		ev, q, err := db.eventQueue(ctx, tx, v.EventID)
		if err != nil {
			return err
		}
		keys := map[string]bool{}
		for _, phase := range []*int64{old.PhaseID, v.PhaseID} {
			var p int64
			if phase != nil {
				p = *phase
			}
			if k, err := keyOf(ctx, tx, ev, p); err != nil {
				return err
			} else if k != "" {
				keys[k] = true
			}
		}
		what := "« " + v.Title + " » : " + lowerFirst(describeSpan(old.Start, old.End, v.Start, v.End))
		if old.Start.Equal(v.Start) && old.End.Equal(v.End) {
			if what, err = describeRoom(ctx, tx, "« "+v.Title+" »", old.RoomID, v.RoomID); err != nil {
				return err
			}
		}
		return q.record(ev, keys, nil, what)
	}
}

func workshopChanged(db *DB) afterFunc[fabrique.Workshop] {
	return func(ctx context.Context, tx *sql.Tx, old, v *fabrique.Workshop) error {
		registered, err := seatedCount(ctx, tx, "workshop_id", v.ID)
		if err != nil {
			return err
		}
		if v.Capacity < registered {
			return fabrique.Invalid("capacity", "%d personnes sont inscrites à cet atelier : sa capacité ne peut pas être plus petite ; changez d'abord des inscriptions d'atelier", registered)
		}
		moved := !samePtr(old.RoomID, v.RoomID) || old.ItemID != v.ItemID
		if !moved && v.Capacity <= old.Capacity {
			return nil
		}
		ev, q, err := db.eventQueue(ctx, tx, v.EventID)
		if err != nil {
			return err
		}
		if moved {
			var phase sql.NullInt64
			if err := tx.QueryRowContext(ctx, `SELECT phase_id FROM programme_items WHERE id = ?`, v.ItemID).Scan(&phase); err != nil {
				return err
			}
			key, err := keyOf(ctx, tx, ev, phase.Int64)
			if err != nil {
				return err
			}
			what, err := describeRoom(ctx, tx, "Votre atelier", old.RoomID, v.RoomID)
			if err != nil {
				return err
			}
			if old.ItemID != v.ItemID {
				what = "Votre atelier change de créneau dans le programme."
			}
			if err := q.record(ev, map[string]bool{key: key != ""}, &v.ID, what); err != nil {
				return err
			}
		}
		if v.Capacity > old.Capacity {
			return promote(q, ev)
		}
		return nil
	}
}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }

// lowerFirst lowers the first letter of a sentence that follows « : ».
func lowerFirst(s string) string {
	for i, r := range s {
		return string(unicode.ToLower(r)) + s[i+len(string(r)):]
	}
	return s
}
