package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"fabrique/internal/fabrique"
)

const manageRegistrations = "gérer les inscriptions"

// staffEvent loads an event for a staff action on its registrations.
func staffEvent(ctx context.Context, tx *sql.Tx, eventID int64) (*eventInfo, error) {
	if err := organiserOf(ctx, tx, fabrique.UserFrom(ctx), manageRegistrations, eventID); err != nil {
		return nil, err
	}
	return loadEvent(ctx, tx, eventID)
}

// Settings implements fabrique.EnrolmentService.
func (e *Enrolments) Settings(ctx context.Context, eventID int64) (*fabrique.RegistrationSettings, error) {
	var s *fabrique.RegistrationSettings
	err := e.db.inReadTx(ctx, func(tx *sql.Tx) error {
		ev, err := staffEvent(ctx, tx, eventID)
		if err != nil {
			return err
		}
		s = &ev.Settings
		return nil
	})
	return s, err
}

// SetSettings implements fabrique.EnrolmentService. The mode of allocation
// cannot change once people have registered.
func (e *Enrolments) SetSettings(ctx context.Context, s *fabrique.RegistrationSettings) error {
	if err := s.Validate(); err != nil {
		return err
	}
	return e.db.inTx(ctx, func(tx *sql.Tx) error {
		ev, err := staffEvent(ctx, tx, s.EventID)
		if err != nil {
			return err
		}
		if s.Allocation != ev.Settings.Allocation {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM registrations WHERE event_id = ? AND status <> 'cancelled'`, s.EventID).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return fabrique.Invalid("allocation", "%d personnes sont déjà inscrites : le mode d'attribution des places ne peut plus changer", n)
			}
		}
		closes := any(nil)
		if s.ClosesAt != nil {
			closes = ts(*s.ClosesAt)
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO registration_settings (event_id, allocation, closes_at, review, updated_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (event_id) DO UPDATE SET allocation = excluded.allocation, closes_at = excluded.closes_at, review = excluded.review, updated_at = excluded.updated_at`,
			s.EventID, s.Allocation, closes, s.Review, ts(e.db.now()))
		s.AllocatedAt = ev.Settings.AllocatedAt
		return err
	})
}

// pendingChoice is a registration waiting for the allocation.
type pendingChoice struct {
	id      int64
	choices []int64
}

// Allocate implements fabrique.EnrolmentService. Places go by rounds: every
// first choice that fits, in order of arrival, then second choices, then
// third ones; this gives the most first choices the capacities allow, and
// the same result for the same registrations. Those left over wait on the
// list of their first choice. Everyone receives a message.
func (e *Enrolments) Allocate(ctx context.Context, eventID int64) (*fabrique.AllocationReport, error) {
	rep := &fabrique.AllocationReport{EventID: eventID}
	err := e.db.inTx(ctx, func(tx *sql.Tx) error {
		ev, err := staffEvent(ctx, tx, eventID)
		if err != nil {
			return err
		}
		switch {
		case ev.Settings.Allocation != fabrique.AllocPreference:
			return fabrique.Errorf(fabrique.ECONFLICT, "« %s » attribue les places par ordre d'arrivée : il n'y a rien à répartir.", ev.Title)
		case ev.Settings.AllocatedAt != nil:
			return fabrique.Errorf(fabrique.ECONFLICT, "Les places de « %s » ont déjà été réparties.", ev.Title)
		case ev.Status != fabrique.EventPublished:
			return fabrique.Errorf(fabrique.ECONFLICT, "« %s » n'est pas publié : rien à répartir.", ev.Title)
		}
		q, err := e.db.newTxQueue(ctx, tx)
		if err != nil {
			return err
		}
		pending, err := pendingChoices(ctx, tx, eventID)
		if err != nil {
			return err
		}
		ws, err := seats(ctx, tx, eventID)
		if err != nil {
			return err
		}
		left, err := capacityLeft(ctx, tx, ev, ws)
		if err != nil {
			return err
		}
		assigned := allocate(pending, ws, left)
		rep.Participants = len(pending)
		for _, p := range pending {
			a, ok := assigned[p.id]
			if !ok {
				rep.Waiting++
				if err := setStatus(q, p.id, fabrique.RegWaiting, &p.choices[0]); err != nil {
					return err
				}
				if err := q.notice(ev, p.id, fabrique.MsgWaiting); err != nil {
					return err
				}
				continue
			}
			switch a.rank {
			case 0:
				rep.FirstChoice++
			case 1:
				rep.SecondChoice++
			default:
				rep.ThirdChoice++
			}
			if err := setStatus(q, p.id, fabrique.RegRegistered, &a.workshop); err != nil {
				return err
			}
			if err := q.invite(ev, p.id, fabrique.MsgInvitation, nil); err != nil {
				return err
			}
		}
		now := ts(q.now)
		_, err = tx.ExecContext(ctx, `INSERT INTO registration_settings (event_id, allocation, allocated_at, updated_at) VALUES (?, 'preference', ?, ?)
			ON CONFLICT (event_id) DO UPDATE SET allocated_at = excluded.allocated_at, updated_at = excluded.updated_at`, eventID, now, now)
		return err
	})
	if err != nil {
		return nil, err
	}
	return rep, nil
}

// AllocateDue implements fabrique.EnrolmentService: registration closes at
// closes_at, or when the event starts. Each event is allocated in a
// transaction of its own, as staff would with « Répartir les
// places »; an event staff allocated in the meantime is left as it is.
func (e *Enrolments) AllocateDue(ctx context.Context, now time.Time) ([]*fabrique.AllocationReport, error) {
	var ids []int64
	err := e.db.inReadTx(ctx, func(tx *sql.Tx) error {
		var err error
		ids, err = readIDs(ctx, tx, `SELECT s.event_id FROM registration_settings s JOIN events e ON e.id = s.event_id
			WHERE s.allocation = 'preference' AND s.allocated_at IS NULL AND e.status = 'published'
			AND min(COALESCE(s.closes_at, e.start_at), e.start_at) <= ?
			ORDER BY s.event_id`, ts(now))
		return err
	})
	if err != nil {
		return nil, err
	}
	var reps []*fabrique.AllocationReport
	var errs []error
	for _, id := range ids {
		rep, err := e.Allocate(ctx, id)
		switch {
		case fabrique.ErrorCode(err) == fabrique.ECONFLICT:
			// allocated (or unpublished) since the query: nothing to do
		case err != nil:
			errs = append(errs, fmt.Errorf("event %d: %w", id, err))
		default:
			reps = append(reps, rep)
		}
	}
	return reps, errors.Join(errs...)
}

func pendingChoices(ctx context.Context, q queryer, eventID int64) ([]pendingChoice, error) {
	all, err := scanAll(ctx, q, func(rows *sql.Rows, p *pendingChoice) error {
		return rows.Scan(&p.id, jsonScan[int64]{&p.choices})
	}, `SELECT id, choices FROM registrations WHERE event_id = ? AND status = 'pending' ORDER BY created_at, id`, eventID)
	var out []pendingChoice
	for _, p := range all {
		if len(p.choices) > 0 {
			out = append(out, p)
		}
	}
	return out, err
}

type placement struct {
	workshop int64
	rank     int
}

// allocate assigns the pending registrations by rounds of choices within
// the seats left of each workshop and of the event (left < 0: no limit).
func allocate(pending []pendingChoice, ws []fabrique.WorkshopSeats, left int) map[int64]placement {
	free := map[int64]int{}
	for _, w := range ws {
		free[w.ID] = w.SeatsLeft
	}
	out := map[int64]placement{}
	for rank := 0; rank < 3; rank++ {
		for _, p := range pending {
			if _, done := out[p.id]; done || rank >= len(p.choices) || left == 0 {
				continue
			}
			if w := p.choices[rank]; free[w] > 0 {
				free[w]--
				out[p.id] = placement{workshop: w, rank: rank}
				if left > 0 {
					left--
				}
			}
		}
	}
	return out
}

// CreateFeedToken implements fabrique.EnrolmentService.
func (e *Enrolments) CreateFeedToken(ctx context.Context, personID int64) (string, error) {
	u := fabrique.UserFrom(ctx)
	switch {
	case u == nil:
		return "", errAnonymous
	case u.Is(fabrique.RoleFacilitator) && (u.PersonID == nil || *u.PersonID != personID):
		return "", forbidden("créer le lien d'agenda d'une autre personne")
	}
	token := NewSecret("f_")
	err := e.db.inTx(ctx, func(tx *sql.Tx) error {
		cond, args := readablePeople(u) // another organisation's people are not reachable
		q := `SELECT COUNT(*) FROM people t WHERE t.id = ?`
		if cond != "" {
			q += " AND (" + cond + ")"
		}
		var n int
		if err := tx.QueryRowContext(ctx, q, append([]any{personID}, args...)...).Scan(&n); err != nil {
			return err
		} else if n == 0 {
			return fabrique.Errorf(fabrique.ENOTFOUND, "La personne n° %d n'existe pas.", personID)
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO feed_tokens (hash, person_id, created_at) VALUES (?, ?, ?)`, hashToken(token), personID, ts(e.db.now()))
		return err
	})
	if err != nil {
		return "", err
	}
	return token, nil
}

// ParticipantCalendar implements fabrique.EnrolmentService.
func (e *Enrolments) ParticipantCalendar(ctx context.Context, token string) (*fabrique.Calendar, error) {
	a, err := e.Agenda(ctx, token)
	if err != nil {
		return nil, err
	}
	return &fabrique.Calendar{Name: a.EventTitle + " — mon agenda", Items: a.Items}, nil
}

// PublicCalendar implements fabrique.EnrolmentService: every programme
// item and workshop of a published event.
func (e *Enrolments) PublicCalendar(ctx context.Context, eventID int64) (*fabrique.Calendar, error) {
	var c *fabrique.Calendar
	err := e.db.inReadTx(ctx, func(tx *sql.Tx) error {
		ev, err := publishedEvent(ctx, tx, eventID)
		if err != nil {
			return err
		}
		c = &fabrique.Calendar{Name: ev.Title, Items: []fabrique.CalendarItem{}}
		return feedItems(ctx, tx, ev, `SELECT i.id, 'item', i.title, i.description, i.start_at, i.end_at, COALESCE(r.name, ''), i.online
			FROM programme_items i LEFT JOIN rooms r ON r.id = i.room_id WHERE i.event_id = ?
			UNION ALL
			SELECT w.id, 'workshop', 'Atelier ' || w.number || ' : ' || w.title, w.description, i.start_at, i.end_at, COALESCE(r.name, ''), i.online
			FROM workshops w JOIN programme_items i ON i.id = w.item_id LEFT JOIN rooms r ON r.id = w.room_id WHERE w.event_id = ?
			ORDER BY 5, 2, 1`, []any{eventID, eventID}, c)
	})
	return c, err
}

// FacilitatorCalendar implements fabrique.EnrolmentService.
func (e *Enrolments) FacilitatorCalendar(ctx context.Context, token string) (*fabrique.Calendar, error) {
	var c *fabrique.Calendar
	err := e.db.inReadTx(ctx, func(tx *sql.Tx) error {
		var personID int64
		var name string
		err := tx.QueryRowContext(ctx, `SELECT p.id, p.name FROM feed_tokens f JOIN people p ON p.id = f.person_id WHERE f.hash = ?`, hashToken(token)).Scan(&personID, &name)
		if errors.Is(err, sql.ErrNoRows) {
			return fabrique.Errorf(fabrique.ENOTFOUND, "Ce lien d'agenda est inconnu.")
		} else if err != nil {
			return err
		}
		c = &fabrique.Calendar{Name: "Ateliers animés par " + name, Items: []fabrique.CalendarItem{}}
		events, err := readIDs(ctx, tx, `SELECT DISTINCT w.event_id FROM workshops w JOIN workshop_facilitators f ON f.workshop_id = w.id
			JOIN events e ON e.id = w.event_id WHERE f.person_id = ? AND e.status <> 'draft' ORDER BY w.event_id`, personID)
		if err != nil {
			return err
		}
		for _, id := range events {
			ev, err := loadEvent(ctx, tx, id)
			if err != nil {
				return err
			}
			err = feedItems(ctx, tx, ev, `SELECT w.id, 'facilitator-workshop', 'Atelier ' || w.number || ' : ' || w.title,
				'Inscrits : ' || (SELECT COUNT(*) FROM registrations x WHERE x.workshop_id = w.id AND x.status IN ('registered', 'attended')) || ' / ' || w.capacity,
				i.start_at, i.end_at, COALESCE(r.name, ''), i.online
				FROM workshops w JOIN programme_items i ON i.id = w.item_id LEFT JOIN rooms r ON r.id = w.room_id
				JOIN workshop_facilitators f ON f.workshop_id = w.id WHERE w.event_id = ? AND f.person_id = ? ORDER BY i.start_at, w.id`, []any{id, personID}, c)
			if err != nil {
				return err
			}
		}
		return nil
	})
	return c, err
}

// feedItems appends to c the rows of query: id, kind, title, description,
// start, end, room, online.
func feedItems(ctx context.Context, tx *sql.Tx, ev *eventInfo, query string, args []any, c *fabrique.Calendar) error {
	var instance string
	if err := tx.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'instance_id'`).Scan(&instance); err != nil {
		return err
	}
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var kind, room string
		var online bool
		var it fabrique.CalendarItem
		if err := rows.Scan(&id, &kind, &it.Title, &it.Description, instant{&it.Start}, instant{&it.End}, &room, &online); err != nil {
			return err
		}
		it.Key = fmt.Sprintf("%s-%d", kind, id)
		it.UID = fmt.Sprintf("%s-%s-%d@fabrique", instance, kind, id)
		it.When = fabrique.FrenchSpan(it.Start, it.End)
		it.Title = ev.Title + " — " + it.Title
		switch {
		case online && ev.OnlineURL != "":
			it.Location = "En ligne : " + ev.OnlineURL
		case room != "":
			it.Location = room + ", " + ev.Venue + ", " + ev.fullAddress()
		case ev.Venue != "":
			it.Location = ev.Venue + ", " + ev.fullAddress()
		}
		if ev.Status == fabrique.EventCancelled {
			it.Status = "CANCELLED"
		}
		c.Items = append(c.Items, it)
	}
	return rows.Err()
}
