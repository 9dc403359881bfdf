package sqlite

import (
	"context"
	"database/sql"
	"slices"

	"fabrique/internal/fabrique"
)

// KitFile returns, in one snapshot, what the kit of an event prints. Only
// the staff of the event may have it: it lists the registered participants.
func (m *MinutesService) KitFile(ctx context.Context, eventID int64) (*fabrique.EventFile, error) {
	var f *fabrique.EventFile
	err := m.s.db.inReadTx(ctx, func(tx *sql.Tx) error {
		e, err := loadEventScope(ctx, tx, eventID)
		if err != nil {
			return err
		}
		u := fabrique.UserFrom(ctx)
		if err := e.mayReadStaff(u, "obtenir le kit de cet événement"); err != nil {
			return err
		}
		if f, err = m.loadFile(ctx, tx, eventID); err != nil {
			return err
		}
		if u.Is(fabrique.RoleFacilitator) {
			ownWorkshopsOnly(f, u)
		}
		return nil
	})
	return f, err
}

// ownWorkshopsOnly keeps, in the kit of a facilitator, the participants of
// the workshops they facilitate: a facilitator (often of another
// organisation) prints their own sign-in sheets and badges, not the names
// of the event's other participants.
func ownWorkshopsOnly(f *fabrique.EventFile, u *fabrique.User) {
	mine := map[int64]bool{}
	for _, w := range f.Workshops {
		if u.PersonID != nil && slices.Contains(w.FacilitatorIDs, *u.PersonID) {
			mine[w.ID] = true
		}
	}
	kept := f.Registrations[:0]
	for _, r := range f.Registrations {
		if r.WorkshopID != nil && mine[*r.WorkshopID] {
			kept = append(kept, r)
		}
	}
	f.Registrations = kept
}

// MinutesFile returns what the minutes of an event print: only the
// publishable contributions, the author named only with their consent.
func (m *MinutesService) MinutesFile(ctx context.Context, eventID int64) (*fabrique.EventFile, error) {
	var f *fabrique.EventFile
	err := m.s.db.inReadTx(ctx, func(tx *sql.Tx) error {
		if _, err := m.readableMinutes(ctx, tx, eventID); err != nil {
			return err
		}
		var err error
		if f, err = m.loadFile(ctx, tx, eventID); err != nil {
			return err
		}
		kept := f.Contributions[:0]
		for _, c := range f.Contributions {
			if !c.Publishable {
				continue
			}
			if !c.Consent {
				c.Author, c.PersonID, c.OrganisationID = "", nil, nil
			}
			kept = append(kept, c)
		}
		f.Contributions = kept
		return nil
	})
	return f, err
}

// loadFile reads the event and everything around it, through the
// repositories' own readers so that their columns stay in one place.
func (m *MinutesService) loadFile(ctx context.Context, tx *sql.Tx, eventID int64) (*fabrique.EventFile, error) {
	s := m.s
	f := &fabrique.EventFile{Rooms: map[int64]*fabrique.Room{}, People: map[int64]*fabrique.Person{},
		Organisations: map[int64]*fabrique.Organisation{}, Commitments: map[int64]*fabrique.Commitment{}, WorkshopMinutes: map[int64]*fabrique.WorkshopMinutes{}}
	events, err := s.events.query(ctx, tx, " WHERE t.id = ?", eventID)
	if err != nil {
		return nil, err
	}
	if len(events) == 0 {
		return nil, fabrique.Errorf(fabrique.ENOTFOUND, "L'événement n° %d n'existe pas.", eventID)
	}
	f.Event = events[0]
	if f.Phases, err = s.phases.query(ctx, tx, " WHERE t.event_id = ? ORDER BY t.start_at, t.id", eventID); err != nil {
		return nil, err
	}
	if f.Items, err = s.items.query(ctx, tx, " WHERE t.event_id = ? ORDER BY t.start_at, t.id", eventID); err != nil {
		return nil, err
	}
	if f.Workshops, err = s.workshops.query(ctx, tx, " WHERE t.event_id = ? ORDER BY t.number, t.id", eventID); err != nil {
		return nil, err
	}
	if f.Registrations, err = s.registrations.query(ctx, tx, " WHERE t.event_id = ? AND t.status IN ('registered', 'attended') ORDER BY t.id", eventID); err != nil {
		return nil, err
	}
	if err := fillMaps(ctx, tx, s, f, eventID); err != nil {
		return nil, err
	}
	if f.RegistrantOrganisations, err = registrantOrganisations(ctx, tx, eventID); err != nil {
		return nil, err
	}
	if f.Contributions, err = queryContributions(ctx, tx, `JOIN workshops w ON w.id = c.workshop_id WHERE w.event_id = ? ORDER BY c.id`, eventID); err != nil {
		return nil, err
	}
	for _, w := range f.Workshops {
		if f.WorkshopMinutes[w.ID], err = readWorkshopMinutes(ctx, tx, w.ID); err != nil {
			return nil, err
		}
	}
	f.Minutes, err = readEventMinutes(ctx, tx, eventID)
	return f, err
}

// fillMaps reads the rooms, people, organisations and commitments the
// event refers to, and its venue and host.
func fillMaps(ctx context.Context, tx *sql.Tx, s *Store, f *fabrique.EventFile, eventID int64) error {
	rooms, err := s.rooms.query(ctx, tx, ` WHERE t.id IN (SELECT room_id FROM workshops WHERE event_id = ?) OR t.id IN (SELECT room_id FROM programme_items WHERE event_id = ?)`, eventID, eventID)
	if err != nil {
		return err
	}
	for _, r := range rooms {
		f.Rooms[r.ID] = r
	}
	people, err := s.people.query(ctx, tx, ` WHERE t.id IN (SELECT person_id FROM registrations WHERE event_id = ? AND status IN ('registered', 'attended'))
		OR t.id IN (SELECT f.person_id FROM workshop_facilitators f JOIN workshops w ON w.id = f.workshop_id WHERE w.event_id = ?)
		OR t.id IN (SELECT s.person_id FROM item_speakers s JOIN programme_items i ON i.id = s.item_id WHERE i.event_id = ?)
		OR t.id IN (SELECT c.person_id FROM contributions c JOIN workshops w ON w.id = c.workshop_id WHERE w.event_id = ?)`, eventID, eventID, eventID, eventID)
	if err != nil {
		return err
	}
	for _, p := range people {
		f.People[p.ID] = p
	}
	orgs, err := s.organisations.query(ctx, tx, "")
	if err != nil {
		return err
	}
	for _, o := range orgs {
		f.Organisations[o.ID] = o
	}
	f.Host = f.Organisations[f.Event.HostOrganisationID]
	commitments, err := s.commitments.query(ctx, tx, ` WHERE t.id IN (SELECT wc.commitment_id FROM workshop_commitments wc JOIN workshops w ON w.id = wc.workshop_id WHERE w.event_id = ?)`, eventID)
	if err != nil {
		return err
	}
	for _, c := range commitments {
		f.Commitments[c.ID] = c
	}
	if f.Event.VenueID != nil {
		venues, err := s.venues.query(ctx, tx, " WHERE t.id = ?", *f.Event.VenueID)
		if err != nil {
			return err
		}
		if len(venues) > 0 {
			f.Venue = venues[0]
		}
	}
	return nil
}

// registrantOrganisations reads the organisation each participant of the
// event typed when registering, by registration id.
func registrantOrganisations(ctx context.Context, tx *sql.Tx, eventID int64) (map[int64]string, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, organisation_name FROM registrations
		WHERE event_id = ? AND status IN ('registered', 'attended') AND organisation_name <> ''`, eventID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]string{}
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, err
		}
		out[id] = name
	}
	return out, rows.Err()
}
