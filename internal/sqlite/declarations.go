package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"fabrique/internal/fabrique"
)

// Declarations implements fabrique.DeclarationService.
type Declarations struct {
	s *Store
}

var _ fabrique.DeclarationService = (*Declarations)(nil)

// Declarations implements fabrique.Store.
func (s *Store) Declarations() fabrique.DeclarationService { return &Declarations{s: s} }

// Kinds of organisations that declare each format.
var (
	ministryKinds   = []fabrique.OrganisationKind{fabrique.OrgMinistry, fabrique.OrgAdministration, fabrique.OrgAuthority}
	thirdPartyKinds = []fabrique.OrganisationKind{fabrique.OrgCivilSociety, fabrique.OrgLocalAuthority, fabrique.OrgResearch}
)

const declarationColumns = `d.event_id, d.kind, d.state, d.organisation_id, d.declared_by, d.declarer_name, d.declarer_email,
	d.commitment_ids, d.facilitator_ids, d.room_ids, d.notes, d.comment, d.decisions, d.decided_at, d.created_at, d.updated_at, d.submitted, d.previous`

func queryDeclarations(ctx context.Context, q queryer, where string, args ...any) ([]*fabrique.Declaration, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+declarationColumns+` FROM event_declarations d JOIN events e ON e.id = d.event_id `+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*fabrique.Declaration{}
	for rows.Next() {
		d := &fabrique.Declaration{}
		if err := rows.Scan(&d.EventID, &d.Kind, &d.State, &d.OrganisationID, &d.DeclaredBy, &d.DeclarerName, &d.DeclarerEmail,
			jsonScan[int64]{&d.CommitmentIDs}, jsonScan[int64]{&d.FacilitatorIDs}, jsonScan[int64]{&d.RoomIDs}, &d.Notes, &d.Comment,
			&d.Decisions, nullInstant{&d.DecidedAt}, instant{&d.CreatedAt}, instant{&d.UpdatedAt}, &d.Submitted, &d.Previous); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// declarationsVisible is the condition on declarations for the user:
// administrators see every one, organisers their organisation's.
func declarationsVisible(u *fabrique.User) (string, []any, error) {
	switch {
	case u == nil:
		return "", nil, errAnonymous
	case u.Is(fabrique.RoleAdmin):
		return "1", nil, nil
	case u.Is(fabrique.RoleOrganiser) && u.OrganisationID != nil:
		return "d.organisation_id = ?", []any{*u.OrganisationID}, nil
	}
	return "", nil, forbidden("consulter les déclarations d'événements")
}

// Declare implements fabrique.DeclarationService.
func (ds *Declarations) Declare(ctx context.Context, d *fabrique.Declaration, plan *fabrique.Plan) error {
	u := fabrique.UserFrom(ctx)
	if u == nil {
		return errAnonymous
	}
	if !u.Is(fabrique.RoleOrganiser) || u.OrganisationID == nil {
		return forbidden("déclarer un événement : la déclaration est faite par le correspondant d'une organisation ; la DITP crée directement ses événements")
	}
	if err := d.Validate(); err != nil {
		return err
	}
	ctx = withDeclaration(ctx) // the way a relay workshop attaches to another host's event
	return ds.s.db.inTx(ctx, func(tx *sql.Tx) error {
		var kind fabrique.OrganisationKind
		if err := tx.QueryRowContext(ctx, `SELECT kind FROM organisations WHERE id = ?`, *u.OrganisationID).Scan(&kind); err != nil {
			return err
		}
		switch {
		case d.Kind == fabrique.EventOpenMinistry && !slices.Contains(ministryKinds, kind):
			return fabrique.Errorf(fabrique.EFORBIDDEN, "Un Ministère ouvert est déclaré par le correspondant d'un ministère ou d'une administration ; une association, une collectivité ou une université déclare un atelier-relais.")
		case d.Kind == fabrique.EventRelayWorkshop && !slices.Contains(thirdPartyKinds, kind):
			return fabrique.Errorf(fabrique.EFORBIDDEN, "Un atelier-relais est déclaré par un tiers (association, collectivité territoriale, université) ; un ministère déclare un Ministère ouvert.")
		}
		if err := ds.checkRefs(ctx, tx, d, plan); err != nil {
			return err
		}
		if err := applyDeclaredWorkshops(d, plan); err != nil {
			return err
		}
		plan.Event.HostOrganisationID = *u.OrganisationID
		plan.Event.Status = fabrique.EventDraft
		if err := (&Scheduling{s: ds.s}).createPlan(ctx, tx, plan); err != nil {
			return err
		}
		now := ds.s.db.now()
		d.EventID, d.State, d.OrganisationID = plan.Event.ID, fabrique.DeclarationSubmitted, *u.OrganisationID
		d.DeclaredBy, d.DeclarerName, d.DeclarerEmail = u.ID, u.Name, u.Email
		d.CreatedAt, d.UpdatedAt = now.In(fabrique.Paris), now.In(fabrique.Paris)
		_, err := tx.ExecContext(ctx, `INSERT INTO event_declarations (event_id, kind, state, organisation_id, declared_by, declarer_name, declarer_email,
			commitment_ids, facilitator_ids, room_ids, notes, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			d.EventID, d.Kind, d.State, d.OrganisationID, d.DeclaredBy, d.DeclarerName, d.DeclarerEmail,
			jsonList(d.CommitmentIDs), jsonList(d.FacilitatorIDs), jsonList(d.RoomIDs), d.Notes, ts(now), ts(now))
		d.Event = &plan.Event
		if err != nil {
			return err
		}
		return ds.submitted(ctx, tx, d)
	})
}

// applyDeclaredWorkshops gives the plan's workshops what was declared:
// titles, commitments, rooms and facilitators (who then need no one else:
// the automatic assignment keeps what is set). The declaration's lists of
// commitments and facilitators gather the workshops' when it names none.
func applyDeclaredWorkshops(d *fabrique.Declaration, plan *fabrique.Plan) error {
	if len(d.Workshops) == 0 {
		return nil
	}
	var slot *fabrique.PlanItem
	for i := range plan.Items {
		if len(plan.Items[i].Workshops) > 0 {
			slot = &plan.Items[i]
			break
		}
	}
	if slot == nil || len(slot.Workshops) != len(d.Workshops) {
		return fabrique.Invalid("workshops", "décrivez chaque atelier du programme, ni plus ni moins (au programme : %d ; décrits : %d)", countWorkshops(slot), len(d.Workshops))
	}
	for i, dw := range d.Workshops {
		w := &slot.Workshops[i]
		w.Title, w.CommitmentIDs, w.RoomID, w.FacilitatorIDs = dw.Title, dw.CommitmentIDs, dw.RoomID, dw.FacilitatorIDs
		if len(dw.FacilitatorIDs) > w.FacilitatorsNeeded {
			w.FacilitatorsNeeded = len(dw.FacilitatorIDs)
		}
		for _, id := range dw.CommitmentIDs {
			if !slices.Contains(d.CommitmentIDs, id) {
				d.CommitmentIDs = append(d.CommitmentIDs, id)
			}
		}
		for _, id := range dw.FacilitatorIDs {
			if !slices.Contains(d.FacilitatorIDs, id) {
				d.FacilitatorIDs = append(d.FacilitatorIDs, id)
			}
		}
	}
	return nil
}

func countWorkshops(it *fabrique.PlanItem) int {
	if it == nil {
		return 0
	}
	return len(it.Workshops)
}

// submitted records what the declaration says as it is submitted (the
// last submission becomes the previous one) and tells the DITP's
// administrators it awaits their review, in the caller's transaction.
func (ds *Declarations) submitted(ctx context.Context, tx *sql.Tx, d *fabrique.Declaration) error {
	snap, err := ds.snapshot(ctx, tx, d)
	if err != nil {
		return err
	}
	var old *fabrique.DeclarationSnapshot
	if d.Submitted != "" {
		old = &fabrique.DeclarationSnapshot{}
		if err := json.Unmarshal([]byte(d.Submitted), old); err != nil {
			return err
		}
	}
	body, err := json.Marshal(snap)
	if err != nil {
		return err
	}
	d.Previous, d.Submitted, d.Current, d.Changes = d.Submitted, string(body), snap, snap.Diff(old)
	if _, err := tx.ExecContext(ctx, `UPDATE event_declarations SET submitted = ?, previous = ? WHERE event_id = ?`, d.Submitted, d.Previous, d.EventID); err != nil {
		return err
	}
	var org string
	if err := tx.QueryRowContext(ctx, `SELECT name FROM organisations WHERE id = ?`, d.OrganisationID).Scan(&org); err != nil {
		return err
	}
	summary := "Déclaration à examiner : « " + snap.Title + " », déclarée par " + d.DeclarerName + " (" + org + ")."
	if old != nil {
		summary = "Déclaration modifiée et soumise de nouveau : « " + snap.Title + " », par " + d.DeclarerName + " (" + org + ")."
	}
	rows, err := tx.QueryContext(ctx, `SELECT email, name FROM users WHERE role = ? ORDER BY id`, fabrique.RoleAdmin)
	if err != nil {
		return err
	}
	type admin struct{ email, name string }
	var admins []admin
	for rows.Next() {
		var a admin
		if err := rows.Scan(&a.email, &a.name); err != nil {
			rows.Close()
			return err
		}
		admins = append(admins, a)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, a := range admins {
		p := declarationPayload(d)
		p.Summary, p.Changes = summary, d.Changes
		if err := ds.s.db.queueStaffNotice(ctx, tx, staffNotice{EventID: d.EventID, Recipient: a.email, Name: a.name,
			Key: fmt.Sprintf("declaration-%d-review-%d", d.EventID, d.Decisions), Kind: fabrique.MsgDeclarationSubmitted, Payload: p}); err != nil {
			return err
		}
	}
	return nil
}

// snapshot reads what the declaration says now: its event, its workshops
// and the names of what they name.
func (ds *Declarations) snapshot(ctx context.Context, q queryer, d *fabrique.Declaration) (*fabrique.DeclarationSnapshot, error) {
	s := ds.s
	ev, err := s.events.get(ctx, q, d.EventID, "", nil)
	if err != nil {
		return nil, err
	}
	name := func(query string, id any) string {
		var n string
		if err := q.QueryRowContext(ctx, query, id).Scan(&n); err != nil {
			return ""
		}
		return n
	}
	snap := &fabrique.DeclarationSnapshot{Title: ev.Title, Theme: ev.Theme, When: fabrique.FrenchSpan(ev.Start, ev.End), Online: ev.OnlineURL,
		Capacity: ev.Capacity, Notes: d.Notes}
	if ev.VenueID != nil {
		snap.Venue = name(`SELECT name || ' (' || city || ')' FROM venues WHERE id = ?`, *ev.VenueID)
	}
	if ev.ParentEventID != nil {
		var title string
		var start time.Time
		if err := q.QueryRowContext(ctx, `SELECT title, start_at FROM events WHERE id = ?`, *ev.ParentEventID).Scan(&title, instant{&start}); err == nil {
			snap.Parent = title + " — " + fabrique.FrenchDate(start)
		}
	}
	for _, id := range d.RoomIDs {
		snap.Rooms = append(snap.Rooms, name(`SELECT name FROM rooms WHERE id = ?`, id))
	}
	ws, err := s.workshops.query(ctx, q, " WHERE t.event_id = ? ORDER BY t.number, t.id", ev.ID)
	if err != nil {
		return nil, err
	}
	items, err := s.items.query(ctx, q, " WHERE t.event_id = ?", ev.ID)
	if err != nil {
		return nil, err
	}
	slots := map[int64]*fabrique.ProgrammeItem{}
	for _, it := range items {
		slots[it.ID] = it
	}
	for _, w := range ws {
		sw := fabrique.SnapshotWorkshop{Number: w.Number, Title: w.Title}
		if it := slots[w.ItemID]; it != nil {
			sw.When = fabrique.FrenchTime(it.Start) + " – " + fabrique.FrenchTime(it.End)
		}
		if w.RoomID != nil {
			sw.Room = name(`SELECT name FROM rooms WHERE id = ?`, *w.RoomID)
		}
		for _, id := range w.CommitmentIDs {
			sw.Commitments = append(sw.Commitments, name(`SELECT 'n° ' || number || ' — ' || title FROM commitments WHERE id = ?`, id))
		}
		for _, id := range w.FacilitatorIDs {
			sw.Facilitators = append(sw.Facilitators, name(`SELECT name FROM people WHERE id = ?`, id))
		}
		snap.Workshops = append(snap.Workshops, sw)
	}
	return snap, nil
}

// describe fills what the declaration says now and what changed: since
// the submission DITP reviewed, once submitted again; since the last
// submission, while changes are asked.
func (ds *Declarations) describe(ctx context.Context, q queryer, d *fabrique.Declaration) error {
	snap, err := ds.snapshot(ctx, q, d)
	if err != nil {
		return err
	}
	d.Current = snap
	since := ""
	switch d.State {
	case fabrique.DeclarationSubmitted:
		since = d.Previous
	case fabrique.DeclarationChangesRequested:
		since = d.Submitted
	}
	if since != "" {
		old := &fabrique.DeclarationSnapshot{}
		if err := json.Unmarshal([]byte(since), old); err != nil {
			return err
		}
		d.Changes = snap.Diff(old)
	}
	return nil
}

// checkRefs checks that the commitments, people and rooms named exist,
// and that the rooms are at the declared venue.
func (ds *Declarations) checkRefs(ctx context.Context, tx *sql.Tx, d *fabrique.Declaration, plan *fabrique.Plan) error {
	var p fabrique.Problems
	exists := func(field, table string, ids []int64) {
		for _, id := range ids {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+table+` WHERE id = ?`, id).Scan(&n); err != nil || n == 0 {
				p.Add(field, "n° %d inconnu : choisissez dans la liste", id)
				return
			}
		}
	}
	exists("commitment_ids", "commitments", d.CommitmentIDs)
	exists("facilitator_ids", "people", d.FacilitatorIDs)
	if !p.Has("facilitator_ids") {
		if err := contactsOnly(ctx, tx, "facilitator_ids", nil, d.FacilitatorIDs); err != nil {
			return err
		}
	}
	for i, w := range d.Workshops {
		if w.RoomID == nil {
			continue
		}
		var venue int64
		err := tx.QueryRowContext(ctx, `SELECT venue_id FROM rooms WHERE id = ?`, *w.RoomID).Scan(&venue)
		if err != nil || plan.Event.VenueID == nil || venue != *plan.Event.VenueID {
			p.Add(fmt.Sprintf("workshops[%d].room_id", i), "la salle n° %d n'est pas dans le lieu déclaré : choisissez une salle de ce lieu", *w.RoomID)
		}
	}
	for _, id := range d.RoomIDs {
		var venue int64
		err := tx.QueryRowContext(ctx, `SELECT venue_id FROM rooms WHERE id = ?`, id).Scan(&venue)
		if err != nil || plan.Event.VenueID == nil || venue != *plan.Event.VenueID {
			p.Add("room_ids", "la salle n° %d n'est pas dans le lieu déclaré : cochez les salles de ce lieu", id)
			break
		}
	}
	return p.Err()
}

// Declarations implements fabrique.DeclarationService.
func (ds *Declarations) Declarations(ctx context.Context) ([]*fabrique.Declaration, error) {
	cond, args, err := declarationsVisible(fabrique.UserFrom(ctx))
	if err != nil {
		return nil, err
	}
	var out []*fabrique.Declaration
	err = ds.s.db.inReadTx(ctx, func(tx *sql.Tx) error {
		out, err = queryDeclarations(ctx, tx, "WHERE "+cond+` ORDER BY CASE d.state WHEN 'submitted' THEN 0 WHEN 'changes_requested' THEN 1 ELSE 2 END, e.start_at, d.event_id`, args...)
		if err != nil {
			return err
		}
		return ds.attachEvents(ctx, tx, out)
	})
	return out, err
}

func (ds *Declarations) attachEvents(ctx context.Context, tx *sql.Tx, list []*fabrique.Declaration) error {
	for _, d := range list {
		ev, err := ds.s.events.get(ctx, tx, d.EventID, "", nil)
		if err != nil {
			return err
		}
		d.Event = ev
	}
	return nil
}

// visibleDeclaration reads the declaration of an event visible to the user.
func (ds *Declarations) visibleDeclaration(ctx context.Context, q queryer, eventID int64) (*fabrique.Declaration, error) {
	cond, args, err := declarationsVisible(fabrique.UserFrom(ctx))
	if err != nil {
		return nil, err
	}
	list, err := queryDeclarations(ctx, q, "WHERE d.event_id = ? AND "+cond, append([]any{eventID}, args...)...)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, fabrique.Errorf(fabrique.ENOTFOUND, "L'événement n° %d n'a pas de déclaration que vous puissiez consulter.", eventID)
	}
	return list[0], nil
}

// Declaration implements fabrique.DeclarationService.
func (ds *Declarations) Declaration(ctx context.Context, eventID int64) (*fabrique.Declaration, error) {
	var d *fabrique.Declaration
	err := ds.s.db.inReadTx(ctx, func(tx *sql.Tx) (err error) {
		if d, err = ds.visibleDeclaration(ctx, tx, eventID); err != nil {
			return err
		}
		if err := ds.attachEvents(ctx, tx, []*fabrique.Declaration{d}); err != nil {
			return err
		}
		return ds.describe(ctx, tx, d)
	})
	return d, err
}

// Accept implements fabrique.DeclarationService.
func (ds *Declarations) Accept(ctx context.Context, eventID int64, comment string) (*fabrique.Declaration, error) {
	return ds.decide(ctx, eventID, comment, fabrique.DeclarationAccepted)
}

// RequestChanges implements fabrique.DeclarationService.
func (ds *Declarations) RequestChanges(ctx context.Context, eventID int64, comment string) (*fabrique.Declaration, error) {
	return ds.decide(ctx, eventID, comment, fabrique.DeclarationChangesRequested)
}

// decide records DITP's decision and queues the message telling the
// declarer, in the same transaction.
func (ds *Declarations) decide(ctx context.Context, eventID int64, comment string, state fabrique.DeclarationState) (*fabrique.Declaration, error) {
	u := fabrique.UserFrom(ctx)
	if u == nil {
		return nil, errAnonymous
	}
	if !u.Is(fabrique.RoleAdmin) {
		return nil, forbidden("examiner les déclarations : c'est le rôle de la DITP")
	}
	comment = strings.TrimSpace(comment)
	if err := fabrique.ValidateComment(comment, state == fabrique.DeclarationChangesRequested); err != nil {
		return nil, err
	}
	var d *fabrique.Declaration
	err := ds.s.db.inTx(ctx, func(tx *sql.Tx) (err error) {
		if d, err = ds.visibleDeclaration(ctx, tx, eventID); err != nil {
			return err
		}
		if d.State != fabrique.DeclarationSubmitted {
			return fabrique.Errorf(fabrique.ECONFLICT, "Cette déclaration n'est pas en attente d'examen (état : %s) : rien n'a été modifié.", declarationStateLabel(d.State))
		}
		if err := ds.attachEvents(ctx, tx, []*fabrique.Declaration{d}); err != nil {
			return err
		}
		now := ds.s.db.now()
		d.State, d.Comment, d.Decisions = state, comment, d.Decisions+1
		at := now.In(fabrique.Paris)
		d.DecidedAt, d.UpdatedAt = &at, at
		if _, err := tx.ExecContext(ctx, `UPDATE event_declarations SET state = ?, comment = ?, decisions = ?, decided_at = ?, updated_at = ? WHERE event_id = ?`,
			d.State, d.Comment, d.Decisions, ts(now), ts(now), d.EventID); err != nil {
			return err
		}
		kind := fabrique.MsgDeclarationAccepted
		if state == fabrique.DeclarationChangesRequested {
			kind = fabrique.MsgDeclarationChanges
		}
		return ds.s.db.queueStaffNotice(ctx, tx, staffNotice{EventID: d.EventID, Recipient: d.DeclarerEmail, Name: d.DeclarerName,
			Key: fmt.Sprintf("declaration-%d-%d", d.EventID, d.Decisions), Kind: kind, Payload: declarationPayload(d)})
	})
	return d, err
}

// declarationPayload is what the message to the declarer tells: the event,
// and DITP's comment as its summary.
func declarationPayload(d *fabrique.Declaration) *fabrique.MessagePayload {
	ev := d.Event
	summary := "Déclaration acceptée : l'événement peut être publié."
	if d.State == fabrique.DeclarationChangesRequested {
		summary = "Modifications demandées par la DITP."
	}
	if d.Comment != "" {
		summary += " Commentaire de la DITP : « " + d.Comment + " »"
	}
	return &fabrique.MessagePayload{EventTitle: ev.Title, Summary: summary, Start: ev.Start, End: ev.End, OnlineURL: ev.OnlineURL}
}

func declarationStateLabel(s fabrique.DeclarationState) string { return s.Label() }

// Resubmit implements fabrique.DeclarationService.
func (ds *Declarations) Resubmit(ctx context.Context, eventID int64, notes string) (*fabrique.Declaration, error) {
	u := fabrique.UserFrom(ctx)
	if u == nil {
		return nil, errAnonymous
	}
	var p fabrique.Problems
	p.Text("notes", notes)
	if err := p.Err(); err != nil {
		return nil, err
	}
	var d *fabrique.Declaration
	err := ds.s.db.inTx(ctx, func(tx *sql.Tx) (err error) {
		if d, err = ds.visibleDeclaration(ctx, tx, eventID); err != nil {
			return err
		}
		if !u.Is(fabrique.RoleAdmin) && !u.OrgIs(d.OrganisationID) {
			return forbidden("soumettre de nouveau la déclaration d'une autre organisation")
		}
		if d.State != fabrique.DeclarationChangesRequested {
			return fabrique.Errorf(fabrique.ECONFLICT, "Seule une déclaration pour laquelle la DITP a demandé des modifications se soumet de nouveau (état : %s).", declarationStateLabel(d.State))
		}
		now := ds.s.db.now()
		d.State, d.UpdatedAt = fabrique.DeclarationSubmitted, now.In(fabrique.Paris)
		if strings.TrimSpace(notes) != "" {
			d.Notes = strings.TrimSpace(notes)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE event_declarations SET state = ?, notes = ?, updated_at = ? WHERE event_id = ?`, d.State, d.Notes, ts(now), d.EventID); err != nil {
			return err
		}
		if err := ds.attachEvents(ctx, tx, []*fabrique.Declaration{d}); err != nil {
			return err
		}
		return ds.submitted(ctx, tx, d)
	})
	return d, err
}

// declarationGate is the way in (fabrique.PublishGate): an organisation
// that is not the DITP publishes an event only once the DITP accepted its
// declaration, unless an administrator marked it trusted. It runs before
// an event is created or updated, in its transaction.
func declarationGate(ctx context.Context, tx *sql.Tx, old, v *fabrique.Event) error {
	if v.Status != fabrique.EventPublished || (old != nil && old.Status == fabrique.EventPublished) {
		return nil
	}
	var trusted bool
	if err := tx.QueryRowContext(ctx, `SELECT trusted FROM organisations WHERE id = ?`, v.HostOrganisationID).Scan(&trusted); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	var state fabrique.DeclarationState
	if v.ID != 0 {
		err := tx.QueryRowContext(ctx, `SELECT state FROM event_declarations WHERE event_id = ?`, v.ID).Scan(&state)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
	}
	return fabrique.PublishGate(fabrique.UserFrom(ctx), trusted, state, v.ID)
}
