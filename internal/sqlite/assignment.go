package sqlite

import (
	"context"
	"database/sql"

	"fabrique/internal/fabrique"
)

// AssignmentData gathers, for a user who may change the event, what an assignment of an event's workshops needs:
// its workshops and their times, the rooms of its venue, the candidate
// facilitators (people who gave availability windows, and those already
// facilitating here), and what rooms and people do elsewhere at the time.
func (sc *Scheduling) AssignmentData(ctx context.Context, eventID int64) (*fabrique.AssignmentData, error) {
	s := sc.s
	d := &fabrique.AssignmentData{ItemTimes: map[int64]fabrique.Window{}, Commitments: map[int64]*fabrique.Commitment{},
		Carries: map[int64][]string{}, RoomBusy: map[int64][]fabrique.Window{}, PersonBusy: map[int64][]fabrique.Window{}}
	err := s.db.inReadTx(ctx, func(tx *sql.Tx) error {
		ev, err := sc.visibleEvent(ctx, tx, eventID)
		if err != nil {
			return err
		}
		// Even a proposal (dry run) is for those who may change the event.
		if err := s.events.canWrite(ctx, tx, fabrique.UserFrom(ctx), ev, ev); err != nil {
			return err
		}
		d.Event = ev
		snap, err := sc.snapshot(ctx, tx, ev)
		if err != nil {
			return err
		}
		d.Workshops = snap.Workshops
		for _, it := range snap.Items {
			d.ItemTimes[it.ID] = fabrique.Window{Start: it.Start, End: it.End}
		}
		commitments, err := s.commitments.query(ctx, tx, " WHERE t.id IN (SELECT commitment_id FROM workshop_commitments WHERE workshop_id IN (SELECT id FROM workshops WHERE event_id = ?))", ev.ID)
		if err != nil {
			return err
		}
		for _, c := range commitments {
			d.Commitments[c.ID] = c
		}
		if ev.VenueID != nil {
			if d.Rooms, err = s.rooms.query(ctx, tx, " WHERE t.venue_id = ? ORDER BY t.capacity, t.name, t.id", *ev.VenueID); err != nil {
				return err
			}
		}
		if d.People, err = s.people.query(ctx, tx, ` WHERE t.availability <> '[]' OR t.id IN
			(SELECT f.person_id FROM workshop_facilitators f JOIN workshops w ON w.id = f.workshop_id WHERE w.event_id = ?) ORDER BY t.name, t.id`, ev.ID); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT p.id, c.number FROM people p
			JOIN commitment_carriers k ON k.organisation_id = p.organisation_id JOIN commitments c ON c.id = k.commitment_id ORDER BY p.id, c.id`)
		if err != nil {
			return err
		}
		for rows.Next() {
			var pid int64
			var number string
			if err := rows.Scan(&pid, &number); err != nil {
				rows.Close()
				return err
			}
			d.Carries[pid] = append(d.Carries[pid], number)
		}
		rows.Close()
		// Other events' uses, and this event's programme items that hold a
		// room or a speaker (a plenary room, a speaker at the opening).
		busy := snap.Others
		for _, it := range snap.Items {
			if it.RoomID != nil || len(it.SpeakerIDs) > 0 {
				busy = append(busy, fabrique.Booking{Start: it.Start, End: it.End, RoomID: it.RoomID, PersonIDs: it.SpeakerIDs})
			}
		}
		for _, b := range busy {
			w := fabrique.Window{Start: b.Start, End: b.End}
			if b.RoomID != nil {
				d.RoomBusy[*b.RoomID] = append(d.RoomBusy[*b.RoomID], w)
			}
			for _, p := range b.PersonIDs {
				d.PersonBusy[p] = append(d.PersonBusy[p], w)
			}
		}
		return rows.Err()
	})
	return d, err
}

// ApplyAssignment writes the rooms and facilitators given to workshops of
// the event, keeping what was already set, in one transaction.
func (sc *Scheduling) ApplyAssignment(ctx context.Context, eventID int64, as []fabrique.WorkshopAssignment) error {
	s := sc.s
	return s.db.inTx(ctx, func(tx *sql.Tx) error {
		for _, a := range as {
			w, err := s.workshops.visibleForWrite(ctx, tx, a.WorkshopID)
			if err != nil {
				return err
			}
			if w.EventID != eventID {
				return fabrique.Invalid("workshop_id", "l'atelier n° %d n'appartient pas à cet événement", a.WorkshopID)
			}
			if w.RoomID == nil {
				w.RoomID = a.RoomID
			}
			seen := map[int64]bool{}
			for _, p := range w.FacilitatorIDs {
				seen[p] = true
			}
			for _, p := range a.FacilitatorIDs {
				if !seen[p] && len(w.FacilitatorIDs) < w.FacilitatorsNeeded {
					w.FacilitatorIDs = append(w.FacilitatorIDs, p)
					seen[p] = true
				}
			}
			if _, err := s.workshops.updateTx(ctx, tx, w); err != nil {
				return err
			}
		}
		return nil
	})
}
