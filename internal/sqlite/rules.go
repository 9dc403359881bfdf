package sqlite

import (
	"context"
	"database/sql"
	"errors"

	"fabrique/internal/fabrique"
)

// checkCommitment: an action hangs from a commitment of the same plan.
func checkCommitment(ctx context.Context, tx *sql.Tx, v *fabrique.Commitment) error {
	if v.ParentID == nil {
		return nil
	}
	var plan int64
	var kind string
	if err := tx.QueryRowContext(ctx, `SELECT plan_id, kind FROM commitments WHERE id = ?`, *v.ParentID).Scan(&plan, &kind); err != nil {
		return err
	}
	if plan != v.PlanID {
		return fabrique.Invalid("parent_id", "l'engagement parent appartient à un autre plan d'action")
	}
	if kind != string(fabrique.KindCommitment) {
		return fabrique.Invalid("parent_id", "le parent doit être un engagement, pas une action ou une initiative")
	}
	return nil
}

// checkPhase: phases belong to a Forum Open d'État.
func checkPhase(ctx context.Context, tx *sql.Tx, v *fabrique.Phase) error {
	var kind string
	if err := tx.QueryRowContext(ctx, `SELECT kind FROM events WHERE id = ?`, v.EventID).Scan(&kind); err != nil {
		return err
	}
	if kind != string(fabrique.EventForum) {
		return fabrique.Invalid("event_id", "seul un Forum Open d'État a des phases")
	}
	return nil
}

// checkItem: the phase of an item belongs to the same event.
func checkItem(ctx context.Context, tx *sql.Tx, v *fabrique.ProgrammeItem) error {
	if v.PhaseID == nil {
		return nil
	}
	return sameEvent(ctx, tx, "phases", *v.PhaseID, v.EventID, "phase_id", "la phase")
}

// checkWorkshop: the programme item of a workshop belongs to the same event.
func checkWorkshop(ctx context.Context, tx *sql.Tx, v *fabrique.Workshop) error {
	return sameEvent(ctx, tx, "programme_items", v.ItemID, v.EventID, "item_id", "l'élément de programme")
}

// checkRegistration: the workshop belongs to the event of the registration.
func checkRegistration(ctx context.Context, tx *sql.Tx, v *fabrique.Registration) error {
	if v.WorkshopID != nil {
		if err := sameEvent(ctx, tx, "workshops", *v.WorkshopID, v.EventID, "workshop_id", "l'atelier"); err != nil {
			return err
		}
	}
	for _, id := range v.Choices {
		var event int64
		err := tx.QueryRowContext(ctx, `SELECT event_id FROM workshops WHERE id = ?`, id).Scan(&event)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && event != v.EventID) {
			return fabrique.Invalid("choices", "l'atelier n° %d n'est pas un atelier de cet événement", id)
		} else if err != nil {
			return err
		}
	}
	return nil
}

func sameEvent(ctx context.Context, tx *sql.Tx, table string, id, eventID int64, field, label string) error {
	var event int64
	if err := tx.QueryRowContext(ctx, "SELECT event_id FROM "+table+" WHERE id = ?", id).Scan(&event); err != nil {
		return err
	}
	if event != eventID {
		return fabrique.Invalid(field, "%s n° %d appartient à un autre événement", label, id)
	}
	return nil
}

// visiblePeople: personal data are for staff; a facilitator sees only themself.
func visiblePeople(u *fabrique.User) (string, []any, error) {
	switch {
	case u == nil:
		return "", nil, errAnonymous
	case u.Is(fabrique.RoleFacilitator):
		if u.PersonID == nil {
			return "0", nil, nil
		}
		return "t.id = ?", []any{*u.PersonID}, nil
	}
	return "", nil, nil
}

// writePeople: administrators, and organisers for people of their organisation
// or without one (the facilitators and speakers they propose).
func writePeople(_ context.Context, _ *sql.Tx, u *fabrique.User, old, v *fabrique.Person) error {
	if u == nil {
		return errAnonymous
	}
	if u.Is(fabrique.RoleAdmin) {
		return nil
	}
	if !u.Is(fabrique.RoleOrganiser) {
		return forbidden("modifier les personnes")
	}
	for _, x := range []*fabrique.Person{old, v} {
		if x != nil && x.OrganisationID != nil && !u.OrgIs(*x.OrganisationID) {
			return forbidden("modifier les personnes d'une autre organisation")
		}
	}
	return nil
}

// writeVenue: administrators, and organisers for their organisation's venues.
func writeVenue(_ context.Context, _ *sql.Tx, u *fabrique.User, old, v *fabrique.Venue) error {
	if u == nil {
		return errAnonymous
	}
	if u.Is(fabrique.RoleAdmin) {
		return nil
	}
	if !u.Is(fabrique.RoleOrganiser) {
		return forbidden("modifier les lieux")
	}
	for _, x := range []*fabrique.Venue{old, v} {
		if x != nil && (x.HostOrganisationID == nil || !u.OrgIs(*x.HostOrganisationID)) {
			return forbidden("modifier un lieu qui n'est pas celui de votre organisation")
		}
	}
	return nil
}

// writeRoom: the rule of the room's venue.
func writeRoom(ctx context.Context, tx *sql.Tx, u *fabrique.User, old, v *fabrique.Room) error {
	if u == nil {
		return errAnonymous
	}
	if u.Is(fabrique.RoleAdmin) {
		return nil
	}
	if !u.Is(fabrique.RoleOrganiser) {
		return forbidden("modifier les salles")
	}
	for _, x := range []*fabrique.Room{old, v} {
		if x == nil {
			continue
		}
		var host sql.NullInt64
		err := tx.QueryRowContext(ctx, `SELECT host_organisation_id FROM venues WHERE id = ?`, x.VenueID).Scan(&host)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		} else if err != nil {
			return err
		}
		if !host.Valid || !u.OrgIs(host.Int64) {
			return forbidden("modifier les salles d'un lieu qui n'est pas celui de votre organisation")
		}
	}
	return nil
}

// writeEvent: administrators, and organisers for events their organisation hosts.
func writeEvent(_ context.Context, _ *sql.Tx, u *fabrique.User, old, v *fabrique.Event) error {
	if u == nil {
		return errAnonymous
	}
	if u.Is(fabrique.RoleAdmin) {
		return nil
	}
	if !u.Is(fabrique.RoleOrganiser) {
		return forbidden("créer ou modifier des événements")
	}
	for _, x := range []*fabrique.Event{old, v} {
		if x != nil && !u.OrgIs(x.HostOrganisationID) {
			return forbidden("créer ou modifier un événement accueilli par une autre organisation")
		}
	}
	return nil
}

// visibleRegistrations: staff only; organisers see their events', facilitators their workshops'.
func visibleRegistrations(u *fabrique.User) (string, []any, error) {
	switch {
	case u == nil:
		return "", nil, errAnonymous
	case u.Is(fabrique.RoleAdmin):
		return "", nil, nil
	case u.Is(fabrique.RoleOrganiser) && u.OrganisationID != nil:
		return "t.event_id IN (SELECT id FROM events WHERE host_organisation_id = ?)", []any{*u.OrganisationID}, nil
	case u.Is(fabrique.RoleFacilitator) && u.PersonID != nil:
		return "t.workshop_id IN (SELECT workshop_id FROM workshop_facilitators WHERE person_id = ?)", []any{*u.PersonID}, nil
	}
	return "0", nil, nil
}
