package sqlite

import (
	"context"
	"database/sql"
	"errors"

	"fabrique/internal/fabrique"
)

// eventScope is what the rules of contributions and minutes need to know
// of an event: its host, format, state and the facilitators of its workshops.
type eventScope struct {
	id           int64
	host         int64
	kind         fabrique.EventKind
	status       fabrique.EventStatus
	facilitators []int64 // people facilitating any workshop of the event
}

// workshopScope adds the workshop and its own facilitators.
type workshopScope struct {
	eventScope
	workshopID   int64
	number       int
	facilitators []int64
}

func loadEventScope(ctx context.Context, tx *sql.Tx, id int64) (*eventScope, error) {
	e := &eventScope{id: id}
	err := tx.QueryRowContext(ctx, `SELECT host_organisation_id, kind, status FROM events WHERE id = ?`, id).Scan(&e.host, &e.kind, &e.status)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fabrique.Errorf(fabrique.ENOTFOUND, "L'événement n° %d n'existe pas.", id)
	} else if err != nil {
		return nil, err
	}
	e.facilitators, err = readIDs(ctx, tx, `SELECT DISTINCT f.person_id FROM workshop_facilitators f JOIN workshops w ON w.id = f.workshop_id WHERE w.event_id = ?`, id)
	return e, err
}

func loadWorkshopScope(ctx context.Context, tx *sql.Tx, id int64) (*workshopScope, error) {
	w := &workshopScope{workshopID: id}
	var event int64
	err := tx.QueryRowContext(ctx, `SELECT event_id, number FROM workshops WHERE id = ?`, id).Scan(&event, &w.number)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fabrique.Errorf(fabrique.ENOTFOUND, "L'atelier n° %d n'existe pas.", id)
	} else if err != nil {
		return nil, err
	}
	e, err := loadEventScope(ctx, tx, event)
	if err != nil {
		return nil, err
	}
	w.eventScope = *e
	w.facilitators, err = readIDs(ctx, tx, `SELECT person_id FROM workshop_facilitators WHERE workshop_id = ? ORDER BY position`, id)
	return w, err
}

// owner is the event's owner for the policy: its host, and the people
// facilitating its workshops.
func (e *eventScope) owner() fabrique.Owner {
	return fabrique.Owner{Orgs: []int64{e.host}, People: e.facilitators}
}

// owner is the workshop's owner for the policy: the event's host, and the
// people facilitating THAT workshop.
func (w *workshopScope) owner() fabrique.Owner {
	return fabrique.Owner{Orgs: []int64{w.host}, People: w.facilitators}
}

// staff reports whether u may read the event's staff documents: it
// organises the event or facilitates one of its workshops.
func (e *eventScope) staff(u *fabrique.User) bool {
	return fabrique.Can(u, fabrique.ObjEvent, fabrique.ActRead, e.owner())
}

// mayRecord is the rule of contributions, attendance and summaries:
// administrators, organisers of the host, facilitators of THAT workshop.
func (w *workshopScope) mayRecord(u *fabrique.User, what string) error {
	switch {
	case u == nil:
		return errAnonymous
	case fabrique.Can(u, fabrique.ObjMinutes, fabrique.ActChange, w.owner()):
		return nil
	}
	return forbidden(what + " : seuls les animateurs de l'atelier, les organisateurs de l'événement et les administrateurs le peuvent")
}

// mayApprove: a facilitator of the workshop, or an administrator.
func (w *workshopScope) mayApprove(u *fabrique.User) error {
	switch {
	case u == nil:
		return errAnonymous
	case fabrique.Can(u, fabrique.ObjMinutes, fabrique.ActApprove, w.owner()):
		return nil
	}
	return forbidden("approuver ce compte rendu : seuls un animateur de l'atelier ou un administrateur le peuvent")
}

// mayPublish: administrators and organisers of the host.
func (e *eventScope) mayPublish(u *fabrique.User, what string) error {
	switch {
	case u == nil:
		return errAnonymous
	case fabrique.Can(u, fabrique.ObjMinutes, fabrique.ActPublish, e.owner()):
		return nil
	}
	return forbidden(what + " : seuls les organisateurs de l'événement et les administrateurs le peuvent")
}

// mayReadStaff: the staff of the event (administrators, organisers of the
// host, facilitators of its workshops).
func (e *eventScope) mayReadStaff(u *fabrique.User, what string) error {
	switch {
	case u == nil:
		return errAnonymous
	case e.staff(u):
		return nil
	}
	return forbidden(what + " : réservé aux administrateurs, aux organisateurs et aux animateurs de l'événement")
}

// eventVisibleTo reports whether u may see the event at all.
func eventVisibleTo(ctx context.Context, tx *sql.Tx, u *fabrique.User, id int64) (bool, error) {
	cond, args := eventVisible("e", u)
	q := `SELECT COUNT(*) FROM events e WHERE e.id = ?`
	if cond != "" {
		q += " AND (" + cond + ")"
	}
	var n int
	err := tx.QueryRowContext(ctx, q, append([]any{id}, args...)...).Scan(&n)
	return n > 0, err
}
