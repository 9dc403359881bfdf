package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"slices"

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

// visiblePeople is the SQL form of the people a user may see: every contact
// for administrators and organisers (another organisation's by name and
// organisation only: presentPerson), and the participants registered with
// the organiser's organisation; a facilitator only themself.
func visiblePeople(u *fabrique.User) (string, []any, error) {
	switch {
	case u == nil:
		return "", nil, errAnonymous
	case u.Is(fabrique.RoleAdmin):
		return "", nil, nil
	case u.Is(fabrique.RoleOrganiser) && u.OrganisationID != nil:
		return "t.kind = 'contact' OR t.owner_organisation_id = ?", []any{*u.OrganisationID}, nil
	case u.Is(fabrique.RoleFacilitator) && u.PersonID != nil:
		return "t.id = ?", []any{*u.PersonID}, nil
	}
	return "0", nil, nil
}

// readablePeople is the SQL form of the policy's reads of contacts and
// participants: the rows a user may read whole, email included.
func readablePeople(u *fabrique.User) (string, []any) {
	switch {
	case u.Is(fabrique.RoleAdmin):
		return "", nil
	case u.Is(fabrique.RoleOrganiser) && u.OrganisationID != nil:
		org := *u.OrganisationID
		return "t.owner_organisation_id = ? OR (t.kind = 'contact' AND t.organisation_id = ?)", []any{org, org}
	case u.Is(fabrique.RoleFacilitator) && u.PersonID != nil:
		return "t.id = ?", []any{*u.PersonID}
	}
	return "0", nil
}

// presentPerson keeps, of a person the user may not read whole, what a
// picker shows: name, organisation, category and function.
func presentPerson(u *fabrique.User, v *fabrique.Person) {
	if fabrique.Can(u, v.PolicyObject(), fabrique.ActRead, v.Owner()) {
		return
	}
	v.Email, v.Topics, v.Availability = "", []string{}, []fabrique.Window{}
}

// writePeople asks the policy for the person before and after the change.
// A new person is a contact unless said otherwise, managed by the
// organisation of the organiser who creates it; kind and owner never change.
func writePeople(_ context.Context, _ *sql.Tx, u *fabrique.User, old, v *fabrique.Person) error {
	if u == nil {
		return errAnonymous
	}
	if v != nil {
		if err := settlePersonOwner(u, old, v); err != nil {
			return err
		}
	}
	for _, x := range []*fabrique.Person{old, v} {
		if x == nil {
			continue
		}
		what := "modifier la fiche de cette personne"
		if x.Kind == fabrique.PersonParticipant {
			what = "modifier un participant"
		}
		if err := authorize(u, x.PolicyObject(), fabrique.ActChange, x.Owner(), what); err != nil {
			return err
		}
	}
	// A contact is attached to the organiser's own organisation (a
	// participant's organisation is only where they work).
	if v != nil && v.Kind == fabrique.PersonContact && v.OrganisationID != nil && !u.Is(fabrique.RoleAdmin) && !u.OrgIs(*v.OrganisationID) &&
		(old == nil || old.OrganisationID == nil || *old.OrganisationID != *v.OrganisationID) {
		return forbidden("rattacher une personne à une autre organisation que la vôtre")
	}
	return nil
}

// settlePersonOwner fills the kind and the owner of a new person and keeps
// those of a stored one.
func settlePersonOwner(u *fabrique.User, old, v *fabrique.Person) error {
	if old == nil {
		if v.Kind == "" {
			v.Kind = fabrique.PersonContact
		}
		if !u.Is(fabrique.RoleAdmin) {
			if v.OwnerOrganisationID != nil && !u.OrgIs(*v.OwnerOrganisationID) {
				return fabrique.Invalid("owner_organisation_id", "une fiche créée par un organisateur est gérée par son organisation")
			}
			v.OwnerOrganisationID = u.OrganisationID
		}
		return nil
	}
	var p fabrique.Problems
	switch {
	case v.Kind == "":
		v.Kind = old.Kind
	case v.Kind != old.Kind:
		p.Add("kind", "la nature d'une fiche (contact ou participant) ne change pas")
	}
	switch {
	case v.OwnerOrganisationID == nil:
		v.OwnerOrganisationID = old.OwnerOrganisationID
	case old.OwnerOrganisationID == nil || *v.OwnerOrganisationID != *old.OwnerOrganisationID:
		p.Add("owner_organisation_id", "l'organisation qui gère une fiche ne change pas")
	}
	return p.Err()
}

// venueOwner is the owner of a venue: its host organisation, or the DITP.
func venueOwner(v *fabrique.Venue) fabrique.Owner { return fabrique.OrgOwner(v.HostOrganisationID) }

// writeVenue asks the policy for the venue before and after the change.
func writeVenue(_ context.Context, _ *sql.Tx, u *fabrique.User, old, v *fabrique.Venue) error {
	for _, x := range []*fabrique.Venue{old, v} {
		if x == nil {
			continue
		}
		if err := authorize(u, fabrique.ObjVenue, fabrique.ActChange, venueOwner(x), "modifier ce lieu"); err != nil {
			return err
		}
	}
	return nil
}

// roomOwner reads the owner of a room: the host of its venue.
func roomOwner(ctx context.Context, tx *sql.Tx, roomID int64) (fabrique.Owner, bool, error) {
	var host sql.NullInt64
	err := tx.QueryRowContext(ctx, `SELECT v.host_organisation_id FROM rooms r JOIN venues v ON v.id = r.venue_id WHERE r.id = ?`, roomID).Scan(&host)
	if errors.Is(err, sql.ErrNoRows) {
		return fabrique.Owner{}, false, nil
	} else if err != nil {
		return fabrique.Owner{}, false, err
	}
	if !host.Valid {
		return fabrique.Owner{}, true, nil
	}
	return hostOwner(host.Int64), true, nil
}

// writeRoom: the rule of the room's venue.
func writeRoom(ctx context.Context, tx *sql.Tx, u *fabrique.User, old, v *fabrique.Room) error {
	for _, x := range []*fabrique.Room{old, v} {
		if x == nil {
			continue
		}
		var host sql.NullInt64
		err := tx.QueryRowContext(ctx, `SELECT host_organisation_id FROM venues WHERE id = ?`, x.VenueID).Scan(&host)
		if errors.Is(err, sql.ErrNoRows) {
			if u == nil {
				return errAnonymous
			}
			continue
		} else if err != nil {
			return err
		}
		var o fabrique.Owner
		if host.Valid {
			o = hostOwner(host.Int64)
		}
		if err := authorize(u, fabrique.ObjVenue, fabrique.ActChange, o, "modifier les salles de ce lieu"); err != nil {
			return err
		}
	}
	return nil
}

// bookVenue refuses an event at a venue its organiser may not use (one of
// another organisation); a venue kept as it was is not checked again. A
// relay workshop declared for an event (a declaration its host or the DITP
// accepts) may also be held at the venue of that event's host.
func bookVenue(ctx context.Context, tx *sql.Tx, u *fabrique.User, oldID, newID *int64, parent *int64) error {
	if newID == nil || (oldID != nil && *oldID == *newID) {
		return nil
	}
	var host sql.NullInt64
	err := tx.QueryRowContext(ctx, `SELECT host_organisation_id FROM venues WHERE id = ?`, *newID).Scan(&host)
	if errors.Is(err, sql.ErrNoRows) {
		return nil // the reference check names it
	} else if err != nil {
		return err
	}
	var o fabrique.Owner
	if host.Valid {
		o = hostOwner(host.Int64)
		if parent != nil && declaring(ctx) {
			if ph, err := eventHost(ctx, tx, *parent); err != nil {
				return err
			} else if ph == host.Int64 {
				return nil
			}
		}
	}
	if !fabrique.Can(u, fabrique.ObjVenue, fabrique.ActUse, o) {
		return fabrique.Invalid("venue_id", "le lieu n° %d appartient à une autre organisation : choisissez un lieu de la vôtre ou un lieu partagé", *newID)
	}
	return nil
}

// bookRoom refuses a room of another organisation's venue, unless it is
// in the event's own venue (admitted with the event); a room kept as it
// was is not checked again.
func bookRoom(ctx context.Context, tx *sql.Tx, u *fabrique.User, field string, eventID int64, oldID, newID *int64) error {
	if newID == nil || (oldID != nil && *oldID == *newID) {
		return nil
	}
	o, ok, err := roomOwner(ctx, tx, *newID)
	if err != nil || !ok {
		return err
	}
	var same int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM rooms r JOIN events e ON e.venue_id = r.venue_id WHERE r.id = ? AND e.id = ?`, *newID, eventID).Scan(&same); err != nil {
		return err
	}
	if same == 0 && !fabrique.Can(u, fabrique.ObjVenue, fabrique.ActUse, o) {
		return fabrique.Invalid(field, "la salle n° %d est dans un lieu d'une autre organisation : choisissez une salle de vos lieux ou d'un lieu partagé", *newID)
	}
	return nil
}

// writeEvent asks the policy for the event before and after the change,
// and whether its organiser may book the venue and attach it to its parent.
func writeEvent(ctx context.Context, tx *sql.Tx, u *fabrique.User, old, v *fabrique.Event) error {
	for _, x := range []*fabrique.Event{old, v} {
		if x == nil {
			continue
		}
		what := "créer ou modifier cet événement"
		if old == nil {
			what = "créer un événement"
		}
		if err := authorize(u, fabrique.ObjEvent, fabrique.ActChange, hostOwner(x.HostOrganisationID), what); err != nil {
			return err
		}
	}
	if v == nil {
		return nil
	}
	var oldVenue, oldParent *int64
	if old != nil {
		oldVenue, oldParent = old.VenueID, old.ParentEventID
	}
	if err := bookVenue(ctx, tx, u, oldVenue, v.VenueID, v.ParentEventID); err != nil {
		return err
	}
	return attachRelay(ctx, tx, u, oldParent, v)
}

// attachRelay: an event shown in the programme of another host's event
// comes through a declaration that host or the DITP accepts
// (/staff/declarations), not by naming the parent.
func attachRelay(ctx context.Context, tx *sql.Tx, u *fabrique.User, oldParent *int64, v *fabrique.Event) error {
	if v.ParentEventID == nil || (oldParent != nil && *oldParent == *v.ParentEventID) || declaring(ctx) {
		return nil
	}
	host, err := eventHost(ctx, tx, *v.ParentEventID)
	if err != nil || host == 0 || host == v.HostOrganisationID {
		return err
	}
	if !fabrique.Can(u, fabrique.ObjEvent, fabrique.ActChange, hostOwner(host)) {
		return fabrique.Invalid("parent_event_id", "l'événement n° %d est accueilli par une autre organisation : un atelier-relais s'y rattache par une déclaration (Déclarations), acceptée par l'hôte ou la DITP", *v.ParentEventID)
	}
	return nil
}

// eventScopedRooms is the write rule of programme items and workshops:
// that of their event, a room their organiser may book, and people picked
// among the staff contacts (field names the list: speaker_ids, facilitator_ids).
func eventScopedRooms[T any](what string, eventID func(*T) int64, roomID func(*T) *int64, field string, people func(*T) []int64) func(context.Context, *sql.Tx, *fabrique.User, *T, *T) error {
	scoped := eventScoped(what, eventID)
	return func(ctx context.Context, tx *sql.Tx, u *fabrique.User, old, v *T) error {
		if err := scoped(ctx, tx, u, old, v); err != nil || v == nil {
			return err
		}
		var oldRoom *int64
		var oldPeople []int64
		if old != nil {
			oldRoom, oldPeople = roomID(old), people(old)
		}
		if err := bookRoom(ctx, tx, u, "room_id", eventID(v), oldRoom, roomID(v)); err != nil {
			return err
		}
		return contactsOnly(ctx, tx, field, oldPeople, people(v))
	}
}

// contactsOnly refuses a participant picked as facilitator or speaker: the
// pickers offer staff contacts only (a participant's name belongs to their
// host). People already there are not checked again.
func contactsOnly(ctx context.Context, q queryer, field string, old, ids []int64) error {
	for _, id := range ids {
		if slices.Contains(old, id) {
			continue
		}
		var kind string
		err := q.QueryRowContext(ctx, `SELECT kind FROM people WHERE id = ?`, id).Scan(&kind)
		if errors.Is(err, sql.ErrNoRows) {
			continue // the reference check names it
		} else if err != nil {
			return err
		}
		if kind != string(fabrique.PersonContact) {
			return fabrique.Invalid(field, "la personne n° %d s'est inscrite comme participant : choisissez un animateur ou un intervenant dans la liste des contacts", id)
		}
	}
	return nil
}

type declaringKey struct{}

// withDeclaration marks the context of a declaration, the way a relay
// workshop attaches to another host's event.
func withDeclaration(ctx context.Context) context.Context {
	return context.WithValue(ctx, declaringKey{}, true)
}

func declaring(ctx context.Context) bool {
	b, _ := ctx.Value(declaringKey{}).(bool)
	return b
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

// writeRegistration is the rule of a registration: that of its event; its
// person and its event never change (staff move a participant between
// workshops, not between people); a new one is for a participant of the
// event's host or for a contact the user manages.
func writeRegistration(ctx context.Context, tx *sql.Tx, u *fabrique.User, old, v *fabrique.Registration) error {
	if u == nil {
		return errAnonymous
	}
	if old != nil && v != nil {
		var p fabrique.Problems
		if v.PersonID != old.PersonID {
			p.Add("person_id", "la personne d'une inscription ne change pas : inscrivez l'autre personne à part ; pour changer d'atelier, modifiez workshop_id")
		}
		if v.EventID != old.EventID {
			p.Add("event_id", "l'événement d'une inscription ne change pas : inscrivez la personne à l'autre événement et annulez celle-ci")
		}
		if err := p.Err(); err != nil {
			return err
		}
	}
	if err := eventScoped("gérer les inscriptions", func(v *fabrique.Registration) int64 { return v.EventID })(ctx, tx, u, old, v); err != nil {
		return err
	}
	if old == nil && v != nil {
		return registrablePerson(ctx, tx, u, v.PersonID, v.EventID)
	}
	return nil
}

// registrablePerson checks that a person may be registered by u at an
// event: a participant of the event's host, or a contact u may read.
func registrablePerson(ctx context.Context, tx *sql.Tx, u *fabrique.User, personID, eventID int64) error {
	host, err := eventHost(ctx, tx, eventID)
	if err != nil || host == 0 {
		return err
	}
	return registrablePersonAt(ctx, tx, u, personID, host)
}

// registrablePersonAt is registrablePerson for an event of the given host.
func registrablePersonAt(ctx context.Context, tx *sql.Tx, u *fabrique.User, personID, host int64) error {
	var p fabrique.Person
	err := tx.QueryRowContext(ctx, `SELECT id, kind, owner_organisation_id, organisation_id FROM people WHERE id = ?`, personID).
		Scan(&p.ID, &p.Kind, &p.OwnerOrganisationID, &p.OrganisationID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil // the reference check names it
	} else if err != nil {
		return err
	}
	switch {
	case p.Kind == fabrique.PersonParticipant && p.OwnerOrganisationID != nil && *p.OwnerOrganisationID == host:
		return nil
	case p.Kind != fabrique.PersonParticipant && fabrique.Can(u, fabrique.ObjContact, fabrique.ActRead, p.Owner()):
		return nil
	}
	return fabrique.Invalid("person_id", "la personne n° %d n'est ni un participant de l'organisation hôte ni une personne de votre organisation", personID)
}
