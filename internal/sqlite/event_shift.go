package sqlite

import (
	"context"
	"database/sql"
	"time"

	"fabrique/internal/fabrique"
)

// shiftProgramme moves the phases and programme items of an event (and so
// its workshops, which take their item's time) with the event's start: an
// evening moved from 17:30 to 18:00, or a forum moved by a week, keeps its
// programme in place relative to its start. The shift is in Paris wall
// clock: calendar days, then the change of time of day, so that a move
// across a change of summer time keeps 18:00 at 18:00. It runs in the
// transaction of the event's update, before the conflicts are checked, and
// writes without the items' own hooks: the event's update tells the
// participants once.
func shiftProgramme(ctx context.Context, tx *sql.Tx, old, v *fabrique.Event) error {
	if old == nil || old.Start.IsZero() || v.Start.IsZero() || old.Start.Equal(v.Start) {
		return nil
	}
	shift := wallShift(old.Start, v.Start)
	for _, table := range []string{"phases", "programme_items"} {
		if err := shiftTable(ctx, tx, table, v.ID, shift); err != nil {
			return err
		}
	}
	return nil
}

// wallShift returns the function moving an instant as from moved to to:
// by the same number of calendar days and the same change of time of day.
func wallShift(from, to time.Time) func(time.Time) time.Time {
	days := civilDay(to).Sub(civilDay(from)) / (24 * time.Hour)
	clock := clockOf(to) - clockOf(from)
	return func(x time.Time) time.Time {
		d := civilDay(x).AddDate(0, 0, int(days))
		c := clockOf(x) + clock // time.Date carries what passes midnight to the next day
		return time.Date(d.Year(), d.Month(), d.Day(), int(c/time.Hour), int(c%time.Hour/time.Minute), int(c%time.Minute/time.Second), 0, fabrique.Paris)
	}
}

// civilDay is the Paris calendar day of t, as midnight UTC (days apart are
// exactly 24 hours apart there).
func civilDay(t time.Time) time.Time {
	p := t.In(fabrique.Paris)
	return time.Date(p.Year(), p.Month(), p.Day(), 0, 0, 0, 0, time.UTC)
}

// clockOf is the Paris time of day of t.
func clockOf(t time.Time) time.Duration {
	p := t.In(fabrique.Paris)
	return time.Duration(p.Hour())*time.Hour + time.Duration(p.Minute())*time.Minute + time.Duration(p.Second())*time.Second
}

// shiftTable moves the start and end of the rows of an event in table.
func shiftTable(ctx context.Context, tx *sql.Tx, table string, eventID int64, shift func(time.Time) time.Time) error {
	rows, err := tx.QueryContext(ctx, `SELECT id, start_at, end_at FROM `+table+` WHERE event_id = ?`, eventID)
	if err != nil {
		return err
	}
	type span struct {
		id         int64
		start, end time.Time
	}
	var list []span
	for rows.Next() {
		var s span
		if err := rows.Scan(&s.id, instant{&s.start}, instant{&s.end}); err != nil {
			rows.Close()
			return err
		}
		list = append(list, s)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, s := range list {
		if _, err := tx.ExecContext(ctx, `UPDATE `+table+` SET start_at = ?, end_at = ? WHERE id = ?`,
			tsOrNil(shiftOrZero(s.start, shift)), tsOrNil(shiftOrZero(s.end, shift)), s.id); err != nil {
			return err
		}
	}
	return nil
}

func shiftOrZero(t time.Time, shift func(time.Time) time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return shift(t)
}
