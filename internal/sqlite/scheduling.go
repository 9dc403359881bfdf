package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"fabrique/internal/fabrique"
)

// Scheduling implements fabrique.SchedulingService.
type Scheduling struct {
	s *Store
}

var _ fabrique.SchedulingService = (*Scheduling)(nil)

// Scheduling implements fabrique.Store.
func (s *Store) Scheduling() fabrique.SchedulingService { return &Scheduling{s: s} }

// CreatePlans writes the plans, in a series when one is given, in one transaction.
func (sc *Scheduling) CreatePlans(ctx context.Context, plans []*fabrique.Plan, series *fabrique.Series) error {
	s := sc.s
	return s.db.inTx(ctx, func(tx *sql.Tx) error {
		if series != nil {
			var p fabrique.Problems
			p.Name("title", series.Title)
			p.Name("rule", series.Rule)
			if err := p.Err(); err != nil {
				return err
			}
			now := s.db.now()
			res, err := tx.ExecContext(ctx, `INSERT INTO event_series (title, rule, created_at) VALUES (?, ?, ?)`, series.Title, series.Rule, ts(now))
			if err != nil {
				return err
			}
			series.ID, _ = res.LastInsertId()
			series.CreatedAt = now.In(fabrique.Paris)
		}
		for i, plan := range plans {
			if series != nil {
				plan.Event.SeriesID = &series.ID
			}
			if err := sc.createPlan(ctx, tx, plan); err != nil {
				if len(plans) > 1 {
					return prefixed(fmt.Sprintf("occurrences[%d].", i), err)
				}
				return err
			}
		}
		return nil
	})
}

// prefixed names the fields of a validation error inside a list.
func prefixed(prefix string, err error) error {
	fields := fabrique.ErrorFields(err)
	if len(fields) == 0 {
		return err
	}
	var p fabrique.Problems
	p.Merge(prefix, err)
	return p.Err()
}

func (sc *Scheduling) createPlan(ctx context.Context, tx *sql.Tx, plan *fabrique.Plan) error {
	s := sc.s
	if err := s.events.createTx(ctx, tx, &plan.Event); err != nil {
		return prefixed("event.", err)
	}
	phases := map[fabrique.PhaseKind]int64{}
	for i := range plan.Phases {
		plan.Phases[i].EventID = plan.Event.ID
		if err := s.phases.createTx(ctx, tx, &plan.Phases[i]); err != nil {
			return prefixed(fmt.Sprintf("phases[%d].", i), err)
		}
		phases[plan.Phases[i].Kind] = plan.Phases[i].ID
	}
	for i := range plan.Items {
		it := &plan.Items[i]
		it.Item.EventID = plan.Event.ID
		if it.Phase != "" {
			id := phases[it.Phase]
			it.Item.PhaseID = &id
		}
		if err := s.items.createTx(ctx, tx, &it.Item); err != nil {
			return prefixed(fmt.Sprintf("programme[%d].", i), err)
		}
		for j := range it.Workshops {
			it.Workshops[j].EventID, it.Workshops[j].ItemID = plan.Event.ID, it.Item.ID
			if err := s.workshops.createTx(ctx, tx, &it.Workshops[j]); err != nil {
				return prefixed(fmt.Sprintf("workshops[%d].", j), err)
			}
		}
	}
	return nil
}

// Conflicts lists the conflicts of a visible event.
func (sc *Scheduling) Conflicts(ctx context.Context, eventID int64) ([]fabrique.Conflict, error) {
	var out []fabrique.Conflict
	err := sc.s.db.inReadTx(ctx, func(tx *sql.Tx) error {
		ev, err := sc.visibleEvent(ctx, tx, eventID)
		if err != nil {
			return err
		}
		snap, err := sc.snapshot(ctx, tx, ev)
		if err != nil {
			return err
		}
		out = fabrique.DetectConflicts(snap)
		return nil
	})
	if out == nil {
		out = []fabrique.Conflict{}
	}
	return out, err
}

func (sc *Scheduling) visibleEvent(ctx context.Context, q queryer, id int64) (*fabrique.Event, error) {
	where, args, err := sc.s.events.conditions(ctx, nil)
	if err != nil {
		return nil, err
	}
	return sc.s.events.get(ctx, q, id, where, args)
}

// snapshot loads what the planning rules need for an event.
func (sc *Scheduling) snapshot(ctx context.Context, q queryer, ev *fabrique.Event) (*fabrique.Snapshot, error) {
	s := sc.s
	snap := &fabrique.Snapshot{Event: ev, Rooms: map[int64]*fabrique.Room{}, People: map[int64]*fabrique.Person{}}
	var err error
	if snap.Phases, err = s.phases.query(ctx, q, " WHERE t.event_id = ? ORDER BY t.start_at, t.id", ev.ID); err != nil {
		return nil, err
	}
	if snap.Items, err = s.items.query(ctx, q, " WHERE t.event_id = ? ORDER BY t.start_at, t.id", ev.ID); err != nil {
		return nil, err
	}
	if snap.Workshops, err = s.workshops.query(ctx, q, " WHERE t.event_id = ? ORDER BY t.number, t.id", ev.ID); err != nil {
		return nil, err
	}
	if snap.Others, err = sc.otherBookings(ctx, q, ev); err != nil {
		return nil, err
	}
	rooms, people := map[int64]bool{}, map[int64]bool{}
	for _, it := range snap.Items {
		mark(rooms, it.RoomID)
		for _, p := range it.SpeakerIDs {
			people[p] = true
		}
	}
	for _, w := range snap.Workshops {
		mark(rooms, w.RoomID)
		for _, p := range w.FacilitatorIDs {
			people[p] = true
		}
	}
	if err := loadByIDs(ctx, q, s.rooms, rooms, snap.Rooms, func(r *fabrique.Room) int64 { return r.ID }); err != nil {
		return nil, err
	}
	if err := loadByIDs(ctx, q, s.people, people, snap.People, func(p *fabrique.Person) int64 { return p.ID }); err != nil {
		return nil, err
	}
	snap.Exceptions, err = sc.exceptions(ctx, q, ev.ID)
	return snap, err
}

func mark(set map[int64]bool, id *int64) {
	if id != nil {
		set[*id] = true
	}
}

// loadByIDs reads the rows of the given ids (without visibility rules:
// they are labels of what the event itself uses).
func loadByIDs[T any](ctx context.Context, q queryer, r *resource[T], ids map[int64]bool, into map[int64]*T, id func(*T) int64) error {
	if len(ids) == 0 {
		return nil
	}
	args := make([]any, 0, len(ids))
	for k := range ids {
		args = append(args, k)
	}
	items, err := r.query(ctx, q, " WHERE t.id IN ("+placeholders(len(args))+")", args...)
	for _, v := range items {
		into[id(v)] = v
	}
	return err
}

// otherBookings lists the programme items and workshops of other events
// (not cancelled) that overlap the event in time, with rooms and people.
func (sc *Scheduling) otherBookings(ctx context.Context, q queryer, ev *fabrique.Event) ([]fabrique.Booking, error) {
	u := fabrique.UserFrom(ctx)
	rows, err := q.QueryContext(ctx, `
		SELECT 'programme_item', i.id, e.id, e.title, e.status, e.host_organisation_id, i.title, i.start_at, i.end_at, i.room_id
		FROM programme_items i JOIN events e ON e.id = i.event_id
		WHERE i.event_id <> ? AND e.status <> 'cancelled' AND i.start_at < ? AND i.end_at > ?
		UNION ALL
		SELECT 'workshop', w.id, e.id, e.title, e.status, e.host_organisation_id, w.title, i.start_at, i.end_at, w.room_id
		FROM workshops w JOIN programme_items i ON i.id = w.item_id JOIN events e ON e.id = w.event_id
		WHERE w.event_id <> ? AND e.status <> 'cancelled' AND i.start_at < ? AND i.end_at > ?`,
		ev.ID, ts(ev.End), ts(ev.Start), ev.ID, ts(ev.End), ts(ev.Start))
	if err != nil {
		return nil, err
	}
	var out []fabrique.Booking
	for rows.Next() {
		var b fabrique.Booking
		var status string
		var host int64
		if err := rows.Scan(&b.Ref.Type, &b.Ref.ID, &b.EventID, &b.EventTitle, &status, &host, &b.Ref.Label, instant{&b.Start}, instant{&b.End}, &b.RoomID); err != nil {
			rows.Close()
			return nil, err
		}
		if status != string(fabrique.EventPublished) && !fabrique.Can(u, fabrique.ObjEvent, fabrique.ActRead, fabrique.OrgOwner(&host)) {
			b.EventTitle, b.Ref.Label = "un événement non publié", "un créneau"
		}
		out = append(out, b)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		table, col := "item_speakers", "item_id"
		if out[i].Ref.Type == "workshop" {
			table, col = "workshop_facilitators", "workshop_id"
		}
		if out[i].PersonIDs, err = readIDs(ctx, q, "SELECT person_id FROM "+table+" WHERE "+col+" = ? ORDER BY position", out[i].Ref.ID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (sc *Scheduling) exceptions(ctx context.Context, q queryer, eventID int64) ([]*fabrique.RuleException, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, event_id, kind, key, reason, created_by, created_at FROM rule_exceptions WHERE event_id = ? ORDER BY id`, eventID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*fabrique.RuleException
	for rows.Next() {
		x := &fabrique.RuleException{}
		if err := rows.Scan(&x.ID, &x.EventID, &x.Kind, &x.Key, &x.Reason, &x.CreatedBy, instant{&x.CreatedAt}); err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, rows.Err()
}

// AddException waives a current conflict of the event, with a reason.
func (sc *Scheduling) AddException(ctx context.Context, x *fabrique.RuleException) error {
	if err := x.Validate(); err != nil {
		return err
	}
	s := sc.s
	return s.db.inTx(ctx, func(tx *sql.Tx) error {
		ev, err := s.events.visibleForWrite(ctx, tx, x.EventID)
		if err != nil {
			return err
		}
		if err := s.events.canWrite(ctx, tx, fabrique.UserFrom(ctx), ev, ev); err != nil {
			return err
		}
		// Only on an event one hosts; a relay workshop's, only the DITP (policy.go).
		if err := fabrique.WaiveGate(fabrique.UserFrom(ctx), ev.Kind == fabrique.EventRelayWorkshop || ev.ParentEventID != nil, hostOwner(ev.HostOrganisationID)); err != nil {
			return err
		}
		snap, err := sc.snapshot(ctx, tx, ev)
		if err != nil {
			return err
		}
		found := false
		for _, c := range fabrique.DetectConflicts(snap) {
			if c.Key == x.Key {
				found, x.Kind = true, c.Kind
			}
		}
		if !found {
			return fabrique.Invalid("key", "aucun conflit de cet événement n'a la clé « %s » (voir GET /api/v1/events/%d/conflicts)", x.Key, x.EventID)
		}
		now := s.db.now()
		x.CreatedBy, x.CreatedAt = fabrique.UserFrom(ctx).Email, now.In(fabrique.Paris)
		res, err := tx.ExecContext(ctx, `INSERT INTO rule_exceptions (event_id, kind, key, reason, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
			x.EventID, x.Kind, x.Key, strings.TrimSpace(x.Reason), x.CreatedBy, ts(now))
		if err != nil {
			return err
		}
		x.ID, err = res.LastInsertId()
		return err
	})
}

// DeleteException removes an exception of the event.
func (sc *Scheduling) DeleteException(ctx context.Context, eventID, id int64) error {
	s := sc.s
	return s.db.inTx(ctx, func(tx *sql.Tx) error {
		ev, err := s.events.visibleForWrite(ctx, tx, eventID)
		if err != nil {
			return err
		}
		if err := s.events.canWrite(ctx, tx, fabrique.UserFrom(ctx), ev, ev); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM rule_exceptions WHERE id = ? AND event_id = ?`, id, eventID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fabrique.Errorf(fabrique.ENOTFOUND, "L'exception n° %d n'existe pas pour cet événement.", id)
		}
		return nil
	})
}

// publishCheck refuses to publish an event whose conflicts are not all
// resolved or waived; the answer lists them.
func (sc *Scheduling) publishCheck(ctx context.Context, tx *sql.Tx, old, v *fabrique.Event) error {
	if v.Status != fabrique.EventPublished || (old != nil && old.Status == fabrique.EventPublished) {
		return nil
	}
	snap := &fabrique.Snapshot{Event: v}
	if old != nil {
		var err error
		if snap, err = sc.snapshot(ctx, tx, v); err != nil {
			return err
		}
	}
	blocking := fabrique.Blocking(fabrique.DetectConflicts(snap))
	if len(blocking) == 0 {
		return nil
	}
	e := &fabrique.Error{Code: fabrique.ECONFLICT, Message: fmt.Sprintf("Publication refusée : %s à résoudre ou à lever par une exception motivée. Rien n'a été modifié.", fabrique.Count(len(blocking), "conflit", "conflits"))}
	for _, c := range blocking {
		e.Fields = append(e.Fields, fabrique.FieldError{Field: "status", Message: c.Message})
	}
	return e
}
