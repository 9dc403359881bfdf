package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"sort"
	"strings"
	"time"

	"fabrique/internal/fabrique"
)

// Changes implements fabrique.ChangeService: the changes of a published
// event are recorded in its transaction (record), then told to each
// participant once, with what changed, at a release.
type Changes struct {
	db *DB
}

var _ fabrique.ChangeService = (*Changes)(nil)

// Changes implements fabrique.Store.
func (s *Store) Changes() fabrique.ChangeService { return &Changes{db: s.db} }

// record keeps a change of a published event for its next release: the
// calendar items it concerns (keys set to true), the workshop whose
// participants alone it concerns (nil: all), and what changed, in French.
// An event whose quiet delay is 0 tells at once.
func (q *txQueue) record(ev *eventInfo, keys map[string]bool, workshop *int64, what string) error {
	if ev.Status != fabrique.EventPublished {
		return nil
	}
	var list []string
	for k, ok := range keys {
		if ok && k != "" {
			list = append(list, k)
		}
	}
	if len(list) == 0 {
		return nil
	}
	sort.Strings(list)
	if _, err := q.tx.ExecContext(q.ctx, `INSERT INTO event_changes (event_id, item_keys, workshop_id, description, created_at) VALUES (?, ?, ?, ?, ?)`,
		ev.ID, strings.Join(list, ","), workshop, what, tsMicro(q.now)); err != nil {
		return err
	}
	delay, err := changeDelay(q.ctx, q.tx, ev.ID)
	if err != nil || delay > 0 {
		return err
	}
	_, err = q.release(ev)
	return err
}

// changeDelay reads an event's quiet delay, in minutes.
func changeDelay(ctx context.Context, q queryer, eventID int64) (int, error) {
	s, err := changeSettings(ctx, q, eventID)
	return s.DelayMinutes, err
}

// changeSettings reads how an event tells its participants.
func changeSettings(ctx context.Context, q queryer, eventID int64) (fabrique.ChangeSettings, error) {
	s := fabrique.ChangeSettings{DelayMinutes: fabrique.DefaultChangeDelay, ReminderDays: fabrique.DefaultReminderDays}
	err := q.QueryRowContext(ctx, `SELECT delay_minutes, reminder_days FROM event_change_settings WHERE event_id = ?`, eventID).Scan(&s.DelayMinutes, &s.ReminderDays)
	if errors.Is(err, sql.ErrNoRows) {
		err = nil
	}
	return s, err
}

// pendingChange is a recorded change with its calendar items.
type pendingChange struct {
	fabrique.PendingChange
	keys []string
}

func readChanges(ctx context.Context, q queryer, eventID int64) ([]pendingChange, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, item_keys, workshop_id, description, created_at FROM event_changes WHERE event_id = ? ORDER BY id`, eventID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []pendingChange
	for rows.Next() {
		var c pendingChange
		var keys string
		var ws sql.NullInt64
		if err := rows.Scan(&c.ID, &keys, &ws, &c.Description, instant{&c.CreatedAt}); err != nil {
			return nil, err
		}
		if ws.Valid {
			c.WorkshopID = &ws.Int64
		}
		c.keys = strings.Split(keys, ",")
		out = append(out, c)
	}
	return out, rows.Err()
}

// invited lists the registrations whose calendar holds the event, with
// their workshop: the participants a release tells.
func invited(ctx context.Context, q queryer, eventID int64) (map[int64]*int64, error) {
	rows, err := q.QueryContext(ctx, `SELECT DISTINCT r.id, r.workshop_id FROM registrations r JOIN calendar_copies c ON c.registration_id = r.id
		WHERE r.event_id = ? AND r.status IN ('registered', 'attended') AND c.invited = 1`, eventID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]*int64{}
	for rows.Next() {
		var id int64
		var ws sql.NullInt64
		if err := rows.Scan(&id, &ws); err != nil {
			return nil, err
		}
		if ws.Valid {
			w := ws.Int64
			out[id] = &w
		} else {
			out[id] = nil
		}
	}
	return out, rows.Err()
}

// concerns reports whether a change concerns a participant of workshop ws.
func (c pendingChange) concerns(ws *int64) bool {
	return c.WorkshopID == nil || (ws != nil && *ws == *c.WorkshopID)
}

// release tells every participant the pending changes that concern them:
// one update per calendar item they hold, whose SEQUENCE is raised once,
// saying what changed. The changes are then forgotten.
func (q *txQueue) release(ev *eventInfo) (*fabrique.ChangeRelease, error) {
	out := &fabrique.ChangeRelease{EventID: ev.ID}
	changes, err := readChanges(q.ctx, q.tx, ev.ID)
	if err != nil || len(changes) == 0 {
		return out, err
	}
	out.Changes = len(changes)
	bumped := map[string]bool{}
	for _, c := range changes {
		for _, k := range c.keys {
			if !bumped[k] {
				bumped[k] = true
				if err := q.bumpItem(k, ev.ID); err != nil {
					return nil, err
				}
			}
		}
	}
	regs, err := invited(q.ctx, q.tx, ev.ID)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, 0, len(regs))
	for id := range regs {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	if q.changes == nil {
		q.changes = map[int64][]string{}
	}
	before, err := outboxCount(q.ctx, q.tx, ev.ID)
	if err != nil {
		return nil, err
	}
	for _, id := range ids {
		keys := map[string]bool{}
		var said []string
		for _, c := range changes {
			if !c.concerns(regs[id]) {
				continue
			}
			for _, k := range c.keys {
				keys[k] = true
			}
			if !slices.Contains(said, c.Description) {
				said = append(said, c.Description)
			}
		}
		if len(keys) == 0 {
			continue
		}
		q.changes[id] = said
		if err := q.invite(ev, id, fabrique.MsgUpdate, keys); err != nil {
			return nil, err
		}
		out.Participants++
	}
	after, err := outboxCount(q.ctx, q.tx, ev.ID)
	if err != nil {
		return nil, err
	}
	out.Messages = after - before
	_, err = q.tx.ExecContext(q.ctx, `DELETE FROM event_changes WHERE event_id = ?`, ev.ID)
	return out, err
}

func outboxCount(ctx context.Context, q queryer, eventID int64) (int, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM outbox WHERE event_id = ?`, eventID).Scan(&n)
	return n, err
}

// forgetChanges drops an event's pending changes (a cancelled event tells
// its cancellation instead).
func forgetChanges(ctx context.Context, tx *sql.Tx, eventID int64) error {
	_, err := tx.ExecContext(ctx, `DELETE FROM event_changes WHERE event_id = ?`, eventID)
	return err
}

// mayManage checks that the user manages the event (as for its retention).
func (cs *Changes) mayManage(ctx context.Context, tx *sql.Tx, eventID int64, what string) error {
	return (&Privacy{db: cs.db}).mayManage(ctx, tx, eventID, what)
}

// PendingChanges implements fabrique.ChangeService.
func (cs *Changes) PendingChanges(ctx context.Context, eventID int64) (*fabrique.PendingChanges, error) {
	var p *fabrique.PendingChanges
	err := cs.db.inReadTx(ctx, func(tx *sql.Tx) error {
		if err := cs.mayManage(ctx, tx, eventID, "consulter les modifications à annoncer de cet événement"); err != nil {
			return err
		}
		var err error
		p, err = pending(ctx, tx, eventID)
		return err
	})
	return p, err
}

func pending(ctx context.Context, tx *sql.Tx, eventID int64) (*fabrique.PendingChanges, error) {
	p := &fabrique.PendingChanges{EventID: eventID, Changes: []fabrique.PendingChange{}}
	changes, err := readChanges(ctx, tx, eventID)
	if err != nil {
		return nil, err
	}
	s, err := changeSettings(ctx, tx, eventID)
	if err != nil {
		return nil, err
	}
	p.DelayMinutes, p.ReminderDays = s.DelayMinutes, s.ReminderDays
	regs, err := invited(ctx, tx, eventID)
	if err != nil {
		return nil, err
	}
	for _, ws := range regs {
		for _, c := range changes {
			if c.concerns(ws) {
				p.Participants++
				break
			}
		}
	}
	for _, c := range changes {
		p.Changes = append(p.Changes, c.PendingChange)
	}
	if n := len(changes); n > 0 {
		at := changes[n-1].CreatedAt.Add(time.Duration(p.DelayMinutes) * time.Minute)
		p.ReleaseAt = &at
	}
	return p, nil
}

// ReleaseChanges implements fabrique.ChangeService.
func (cs *Changes) ReleaseChanges(ctx context.Context, eventID int64) (*fabrique.ChangeRelease, error) {
	var out *fabrique.ChangeRelease
	err := cs.db.inTx(ctx, func(tx *sql.Tx) error {
		if err := cs.mayManage(ctx, tx, eventID, "annoncer les modifications de cet événement"); err != nil {
			return err
		}
		ev, q, err := cs.db.eventQueue(ctx, tx, eventID)
		if err != nil {
			return err
		}
		out, err = q.release(ev)
		return err
	})
	return out, err
}

// SetChangeSettings implements fabrique.ChangeService.
func (cs *Changes) SetChangeSettings(ctx context.Context, eventID int64, s *fabrique.ChangeSettings) error {
	if err := s.Validate(); err != nil {
		return err
	}
	return cs.db.inTx(ctx, func(tx *sql.Tx) error {
		if err := cs.mayManage(ctx, tx, eventID, "régler l'annonce des modifications de cet événement"); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO event_change_settings (event_id, delay_minutes, reminder_days) VALUES (?, ?, ?)
			ON CONFLICT (event_id) DO UPDATE SET delay_minutes = excluded.delay_minutes, reminder_days = excluded.reminder_days`,
			eventID, s.DelayMinutes, s.ReminderDays)
		return err
	})
}

// ReleaseDue implements fabrique.ChangeService.
func (cs *Changes) ReleaseDue(ctx context.Context, now time.Time) ([]*fabrique.ChangeRelease, error) {
	var due []int64
	err := cs.db.inReadTx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT c.event_id, MAX(c.created_at), COALESCE(s.delay_minutes, ?) FROM event_changes c
			LEFT JOIN event_change_settings s ON s.event_id = c.event_id GROUP BY c.event_id ORDER BY c.event_id`, fabrique.DefaultChangeDelay)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			var last string
			var delay int
			if err := rows.Scan(&id, &last, &delay); err != nil {
				return err
			}
			t, err := time.Parse("2006-01-02T15:04:05.000000Z", last)
			if err != nil {
				return err
			}
			if !now.Before(t.Add(time.Duration(delay) * time.Minute)) {
				due = append(due, id)
			}
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	var out []*fabrique.ChangeRelease
	for _, id := range due {
		r, err := cs.ReleaseChanges(ctx, id)
		if err != nil {
			return out, err
		}
		out = append(out, r)
	}
	return out, nil
}

// RemindDue implements fabrique.ChangeService: the published events that
// start within their reminder days, and whose reminder was not sent, get
// one: a message to each registered participant with their agenda and
// their private link (whose page offers the .ics). An event over or
// cancelled gets none.
func (cs *Changes) RemindDue(ctx context.Context, now time.Time) ([]*fabrique.Reminder, error) {
	var due []int64
	err := cs.db.inReadTx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT e.id, e.start_at, COALESCE(s.reminder_days, ?) FROM events e
			LEFT JOIN event_change_settings s ON s.event_id = e.id
			WHERE e.status = 'published' AND e.start_at > ? AND e.id NOT IN (SELECT event_id FROM event_reminders)
			ORDER BY e.start_at`, fabrique.DefaultReminderDays, ts(now))
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			var start time.Time
			var days int
			if err := rows.Scan(&id, instant{&start}, &days); err != nil {
				return err
			}
			if days > 0 && !now.Before(start.AddDate(0, 0, -days)) {
				due = append(due, id)
			}
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	var out []*fabrique.Reminder
	for _, id := range due {
		r := &fabrique.Reminder{EventID: id}
		err := cs.db.inTx(ctx, func(tx *sql.Tx) error {
			res, err := tx.ExecContext(ctx, `INSERT INTO event_reminders (event_id, sent_at) VALUES (?, ?) ON CONFLICT (event_id) DO NOTHING`, id, ts(now))
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return nil // another run sent it
			}
			ev, q, err := cs.db.eventQueue(ctx, tx, id)
			if err != nil {
				return err
			}
			regs, err := readIDs(ctx, tx, `SELECT id FROM registrations WHERE event_id = ? AND status = 'registered' ORDER BY id`, id)
			if err != nil {
				return err
			}
			for _, reg := range regs {
				if err := q.notice(ev, reg, fabrique.MsgEventSoon); err != nil {
					return err
				}
			}
			r.Participants = len(regs)
			return nil
		})
		if err != nil {
			return out, err
		}
		out = append(out, r)
	}
	return out, nil
}
