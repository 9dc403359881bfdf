package sqlite

import (
	"context"
	"database/sql"
	"time"

	"fabrique/internal/fabrique"
)

// Staff may also write registrations through the generic API
// (/api/v1/registrations): these hooks give those writes the rules of
// registration. A seat is taken only if the workshop and the event have
// one, whoever writes; the participant's calendar is told of every change
// (invitation, update, cancellation) and a freed seat goes to the first
// person waiting, in the transaction of the write.

// upcoming reports whether participants are told of changes: the event is
// published and not over.
func (ev *eventInfo) upcoming(now time.Time) bool {
	return ev.Status == fabrique.EventPublished && now.Before(ev.End)
}

func seated(s fabrique.RegistrationStatus) bool {
	return s == fabrique.RegRegistered || s == fabrique.RegAttended
}

// registrationLeaving cancels what the participant's calendar holds when a
// write takes their seat away (before the write: the message describes
// what is cancelled).
func (db *DB) registrationLeaving(ctx context.Context, tx *sql.Tx, old, v *fabrique.Registration) error {
	if !seated(old.Status) || (v != nil && seated(v.Status)) {
		return nil
	}
	ev, q, err := db.eventQueue(ctx, tx, old.EventID)
	if err != nil || !ev.upcoming(q.now) {
		return err
	}
	if err := q.withdraw(ev, old.ID, fabrique.MsgCancellation, ""); err != nil {
		return err
	}
	if v == nil { // deleted: the seat is freed before the row goes
		if err := setStatus(q, old.ID, fabrique.RegCancelled, old.WorkshopID); err != nil {
			return err
		}
		return promote(q, ev)
	}
	return nil
}

// registrationWritten checks the seats of a registration just written
// (old is nil on create) and queues what the participant must be told.
func (db *DB) registrationWritten(ctx context.Context, tx *sql.Tx, old, v *fabrique.Registration) error {
	wasSeated := old != nil && seated(old.Status)
	moved := wasSeated && seated(v.Status) && !samePtr(old.WorkshopID, v.WorkshopID)
	ev, q, err := db.eventQueue(ctx, tx, v.EventID)
	if err != nil {
		return err
	}
	if seated(v.Status) && (!wasSeated || moved) {
		if err := checkSeats(ctx, tx, ev, v); err != nil {
			return err
		}
	}
	if v.Status == fabrique.RegWaiting && (old == nil || old.Status != fabrique.RegWaiting || !samePtr(old.WorkshopID, v.WorkshopID)) {
		if err := setStatus(q, v.ID, v.Status, v.WorkshopID); err != nil { // to the end of the list
			return err
		}
	}
	if !ev.upcoming(q.now) {
		return nil // a draft, or an event over: records, nobody to tell
	}
	switch {
	case v.Status == fabrique.RegRegistered && !wasSeated:
		return q.invite(ev, v.ID, fabrique.MsgInvitation, nil)
	case moved:
		if err := q.invite(ev, v.ID, fabrique.MsgUpdate, nil); err != nil {
			return err
		}
		return promote(q, ev)
	case wasSeated && !seated(v.Status):
		if v.Status == fabrique.RegWaiting {
			if err := q.notice(ev, v.ID, fabrique.MsgWaiting); err != nil {
				return err
			}
		}
		return promote(q, ev)
	case v.Status == fabrique.RegWaiting && (old == nil || old.Status != fabrique.RegWaiting):
		return q.notice(ev, v.ID, fabrique.MsgWaiting)
	case v.Status == fabrique.RegCancelled && old != nil && old.Status != fabrique.RegCancelled:
		return q.notice(ev, v.ID, fabrique.MsgWithdrawn)
	}
	return nil
}

// checkSeats refuses a registration written with a seat its workshop or
// its event does not have (the row is written: counts include it).
func checkSeats(ctx context.Context, tx *sql.Tx, ev *eventInfo, v *fabrique.Registration) error {
	ws, err := seats(ctx, tx, ev.ID)
	if err != nil {
		return err
	}
	if v.WorkshopID != nil {
		if w := findSeat(ws, *v.WorkshopID); w != nil && w.Registered > w.Capacity {
			return fabrique.Invalid("workshop_id", "l'atelier « %s » est complet (%d places) : mettez plutôt la personne sur sa liste d'attente", w.Title, w.Capacity)
		}
	}
	limit := eventLimit(ev, ws)
	n, err := seatedCount(ctx, tx, "event_id", ev.ID)
	if err != nil {
		return err
	}
	if limit > 0 && n > limit {
		return fabrique.Invalid("status", "l'événement « %s » est complet (%d places) : mettez plutôt la personne sur la liste d'attente", ev.Title, limit)
	}
	return nil
}
