package sqlite

import (
	"context"
	"database/sql"
	"errors"

	"fabrique/internal/fabrique"
)

var errAnonymous = &fabrique.Error{Code: fabrique.EUNAUTHORIZED, Message: "Authentification requise : connectez-vous, ou fournissez un jeton d'API (en-tête Authorization: Bearer …)."}

func forbidden(what string) error {
	return fabrique.Errorf(fabrique.EFORBIDDEN, "Votre rôle ne vous permet pas %s.", fabrique.De(what))
}

// staffOnly refuses anonymous visitors.
func staffOnly(u *fabrique.User) (string, []any, error) {
	if u == nil {
		return "", nil, errAnonymous
	}
	return "", nil, nil
}

// authorize asks the policy (fabrique.Policy) whether u may do act on an
// object of owner o; what names the action in the refusal.
func authorize(u *fabrique.User, obj fabrique.Object, act fabrique.Action, o fabrique.Owner, what string) error {
	switch {
	case fabrique.Can(u, obj, act, o):
		return nil
	case u == nil:
		return errAnonymous
	}
	switch o.Ownership(u) {
	case fabrique.OtherOrg:
		return forbidden(what + " : cela appartient à une autre organisation")
	case fabrique.DITPOrg:
		return forbidden(what + " : cela appartient à la DITP")
	}
	return forbidden(what)
}

// hostOwner is the owner of an event and of what belongs to it.
func hostOwner(host int64) fabrique.Owner { return fabrique.Owner{Orgs: []int64{host}} }

// adminWrites is the write rule of reference data: administrators only.
func adminWrites[T any](what string) func(context.Context, *sql.Tx, *fabrique.User, *T, *T) error {
	return func(_ context.Context, _ *sql.Tx, u *fabrique.User, _, _ *T) error {
		return authorize(u, fabrique.ObjReference, fabrique.ActChange, fabrique.Owner{Shared: true}, what)
	}
}

// eventVisible is the condition on an events row (alias e) for the user:
// published events for everyone, plus their organisation's events for an
// organiser and the events of their workshops for a facilitator.
func eventVisible(alias string, u *fabrique.User) (string, []any) {
	switch {
	case u.Is(fabrique.RoleAdmin):
		return "", nil
	case u.Is(fabrique.RoleOrganiser) && u.OrganisationID != nil:
		return alias + ".status = 'published' OR " + alias + ".host_organisation_id = ?", []any{*u.OrganisationID}
	case u.Is(fabrique.RoleFacilitator) && u.PersonID != nil:
		return alias + ".status = 'published' OR " + alias + ".id IN (SELECT w.event_id FROM workshops w JOIN workshop_facilitators f ON f.workshop_id = w.id WHERE f.person_id = ?)", []any{*u.PersonID}
	}
	return alias + ".status = 'published'", nil
}

// visibleThroughEvent restricts rows with an event_id to visible events.
func visibleThroughEvent(u *fabrique.User) (string, []any, error) {
	cond, args := eventVisible("e", u)
	if cond == "" {
		return "", nil, nil
	}
	return "t.event_id IN (SELECT e.id FROM events e WHERE " + cond + ")", args, nil
}

// eventHost returns the host organisation of an event, 0 when it does not exist.
func eventHost(ctx context.Context, tx *sql.Tx, eventID int64) (int64, error) {
	var host int64
	err := tx.QueryRowContext(ctx, `SELECT host_organisation_id FROM events WHERE id = ?`, eventID).Scan(&host)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return host, err
}

// organiserOf checks that u may change each of the given events (a
// missing event is left to the reference check).
func organiserOf(ctx context.Context, tx *sql.Tx, u *fabrique.User, what string, eventIDs ...int64) error {
	if u == nil {
		return errAnonymous
	}
	if !fabrique.Allowed(u.Role, fabrique.ObjEvent, fabrique.ActChange, fabrique.OwnOrg) {
		return forbidden(what)
	}
	for _, id := range eventIDs {
		host, err := eventHost(ctx, tx, id)
		if err != nil {
			return err
		}
		if host == 0 {
			continue
		}
		if err := authorize(u, fabrique.ObjEvent, fabrique.ActChange, hostOwner(host), what+" d'un événement"); err != nil {
			return err
		}
	}
	return nil
}

// eventScoped is the write rule of everything belonging to an event.
func eventScoped[T any](what string, eventID func(*T) int64) func(context.Context, *sql.Tx, *fabrique.User, *T, *T) error {
	return func(ctx context.Context, tx *sql.Tx, u *fabrique.User, old, v *T) error {
		var ids []int64
		for _, x := range []*T{old, v} {
			if x != nil {
				ids = append(ids, eventID(x))
			}
		}
		return organiserOf(ctx, tx, u, what, ids...)
	}
}
