package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"fabrique/internal/fabrique"
)

// Enrolments implements fabrique.EnrolmentService: public registration,
// capacities and waiting lists, the participant's private page. Every
// change queues its messages in the outbox in the same transaction.
type Enrolments struct {
	db *DB
	s  *Store
}

var _ fabrique.EnrolmentService = (*Enrolments)(nil)

// Enrolments implements fabrique.Store.
func (s *Store) Enrolments() fabrique.EnrolmentService { return &Enrolments{db: s.db, s: s} }

// AddRegistration implements fabrique.EnrolmentService: the person (when
// new) and the registration are written in one transaction, with the
// checks of People().Create and Registrations().Create.
func (e *Enrolments) AddRegistration(ctx context.Context, person *fabrique.Person, reg *fabrique.Registration) error {
	created := person.ID == 0
	err := e.db.inTx(ctx, func(tx *sql.Tx) error {
		if created {
			if err := e.s.people.createTx(ctx, tx, person); err != nil {
				return err
			}
		}
		reg.PersonID = person.ID
		return e.s.registrations.createTx(ctx, tx, reg)
	})
	if err != nil && created {
		person.ID = 0 // rolled back
	}
	return err
}

// eventInfo is what registration needs to know of an event.
type eventInfo struct {
	ID        int64
	Kind      fabrique.EventKind
	Title     string
	Status    fabrique.EventStatus
	Start     time.Time
	End       time.Time
	Capacity  int
	Host      int64
	Venue     string
	Address   string
	City      string
	OnlineURL string
	Settings  fabrique.RegistrationSettings
}

// nullInstant scans an optional instant into a *time.Time.
type nullInstant struct{ t **time.Time }

// Scan implements sql.Scanner.
func (n nullInstant) Scan(src any) error {
	var t time.Time
	if err := (instant{&t}).Scan(src); err != nil {
		return err
	}
	if t.IsZero() {
		*n.t = nil
	} else {
		*n.t = &t
	}
	return nil
}

var errNoEvent = func(id int64) error {
	return fabrique.Errorf(fabrique.ENOTFOUND, "L'événement n° %d n'existe pas ou n'est pas publié.", id)
}

func loadEvent(ctx context.Context, q queryer, id int64) (*eventInfo, error) {
	ev := &eventInfo{ID: id}
	ev.Settings.EventID = id
	err := q.QueryRowContext(ctx, `SELECT e.kind, e.title, e.status, e.start_at, e.end_at, e.capacity, e.host_organisation_id,
		COALESCE(v.name, ''), COALESCE(v.address, ''), COALESCE(v.city, ''), e.online_url,
		COALESCE(s.allocation, 'first_come'), s.closes_at, COALESCE(s.review, 0), s.allocated_at
		FROM events e LEFT JOIN venues v ON v.id = e.venue_id LEFT JOIN registration_settings s ON s.event_id = e.id
		WHERE e.id = ?`, id).Scan(&ev.Kind, &ev.Title, &ev.Status, instant{&ev.Start}, instant{&ev.End}, &ev.Capacity, &ev.Host,
		&ev.Venue, &ev.Address, &ev.City, &ev.OnlineURL,
		&ev.Settings.Allocation, nullInstant{&ev.Settings.ClosesAt}, &ev.Settings.Review, nullInstant{&ev.Settings.AllocatedAt})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNoEvent(id)
	}
	return ev, err
}

// publishedEvent loads an event open to the public.
func publishedEvent(ctx context.Context, q queryer, id int64) (*eventInfo, error) {
	ev, err := loadEvent(ctx, q, id)
	if err != nil {
		return nil, err
	}
	if ev.Status == fabrique.EventDraft {
		return nil, errNoEvent(id)
	}
	return ev, nil
}

// open reports whether registration is open at now.
func (ev *eventInfo) open(now time.Time) bool {
	s := ev.Settings
	return ev.Status == fabrique.EventPublished && now.Before(ev.Start) &&
		(s.ClosesAt == nil || now.Before(*s.ClosesAt)) && s.AllocatedAt == nil
}

func (ev *eventInfo) checkOpen(now time.Time) error {
	switch {
	case ev.Status == fabrique.EventCancelled:
		return fabrique.Errorf(fabrique.ECONFLICT, "L'événement « %s » est annulé : les inscriptions sont fermées.", ev.Title)
	case !ev.open(now):
		return fabrique.Errorf(fabrique.ECONFLICT, "Les inscriptions à « %s » sont closes.", ev.Title)
	}
	return nil
}

// seats reads the workshops of an event with their counts (the counters
// of migration 0012, kept by triggers: no count of registrations).
func seats(ctx context.Context, q queryer, eventID int64) ([]fabrique.WorkshopSeats, error) {
	rows, err := q.QueryContext(ctx, `SELECT w.id, w.number, w.title, COALESCE(r.name, ''), w.capacity,
		COALESCE(s.seated, 0), COALESCE(s.waiting, 0)
		FROM workshops w LEFT JOIN rooms r ON r.id = w.room_id LEFT JOIN workshop_seats s ON s.workshop_id = w.id
		WHERE w.event_id = ? ORDER BY w.number, w.id`, eventID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []fabrique.WorkshopSeats{}
	for rows.Next() {
		var w fabrique.WorkshopSeats
		if err := rows.Scan(&w.ID, &w.Number, &w.Title, &w.Room, &w.Capacity, &w.Registered, &w.Waiting); err != nil {
			return nil, err
		}
		w.SeatsLeft = max(0, w.Capacity-w.Registered)
		out = append(out, w)
	}
	return out, rows.Err()
}

// capacityLeft is the number of seats left in the event, -1 without limit.
func capacityLeft(ctx context.Context, q queryer, ev *eventInfo, ws []fabrique.WorkshopSeats) (int, error) {
	limit := eventLimit(ev, ws)
	if limit == 0 {
		return -1, nil
	}
	n, err := seatedCount(ctx, q, "event_id", ev.ID)
	return max(0, limit-n), err
}

// eventLimit is the number of seats of an event: its capacity, or else the
// sum of its workshops'; 0 without limit.
func eventLimit(ev *eventInfo, ws []fabrique.WorkshopSeats) int {
	limit := ev.Capacity
	if limit == 0 {
		for _, w := range ws {
			limit += w.Capacity
		}
	}
	return limit
}

// seatedCount is the number of registrations holding a seat (registered or
// attended) in an event or a workshop (column is event_id or workshop_id),
// read from the counters of migration 0012.
func seatedCount(ctx context.Context, q queryer, column string, id int64) (int, error) {
	table := "event_seats"
	if column == "workshop_id" {
		table = "workshop_seats"
	}
	var n int
	err := q.QueryRowContext(ctx, `SELECT COALESCE((SELECT seated FROM `+table+` WHERE `+column+` = ?), 0)`, id).Scan(&n)
	return n, err
}

func findSeat(ws []fabrique.WorkshopSeats, id int64) *fabrique.WorkshopSeats {
	for i := range ws {
		if ws[i].ID == id {
			return &ws[i]
		}
	}
	return nil
}

// checkRequest checks a request against the event's workshops and mode.
func checkRequest(ev *eventInfo, ws []fabrique.WorkshopSeats, req *fabrique.RegistrationRequest) error {
	var p fabrique.Problems
	pref := ev.Settings.Allocation == fabrique.AllocPreference
	switch {
	case len(ws) == 0 && (req.WorkshopID != nil || len(req.Choices) > 0):
		p.Add("workshop_id", "cet événement n'a pas d'ateliers : n'en indiquez pas")
	case len(ws) > 0 && pref && req.WorkshopID != nil:
		p.Add("workshop_id", "les places de cet événement sont réparties selon vos choix : classez 1 à 3 ateliers dans choices")
	case len(ws) > 0 && pref && len(req.Choices) == 0:
		p.Add("choices", "classez 1 à 3 ateliers par ordre de préférence")
	case len(ws) > 0 && !pref && len(req.Choices) > 0:
		p.Add("choices", "cet événement attribue les places par ordre d'arrivée : choisissez un seul atelier")
	case len(ws) > 0 && !pref && req.WorkshopID == nil:
		p.Add("workshop_id", "choisissez un atelier")
	}
	if req.WorkshopID != nil && len(ws) > 0 && findSeat(ws, *req.WorkshopID) == nil {
		p.Add("workshop_id", "l'atelier n° %d n'est pas un atelier de cet événement", *req.WorkshopID)
	}
	for _, id := range req.Choices {
		if len(ws) > 0 && findSeat(ws, id) == nil {
			p.Add("choices", "l'atelier n° %d n'est pas un atelier de cet événement", id)
			break
		}
	}
	return p.Err()
}

// Register implements fabrique.EnrolmentService.
func (e *Enrolments) Register(ctx context.Context, eventID int64, req *fabrique.RegistrationRequest) (*fabrique.RegistrationReceipt, error) {
	if err := req.Validate(); err != nil {
		return nil, err
	}
	var rec *fabrique.RegistrationReceipt
	// Registrations are committed in groups (groupcommit.go): a rush of
	// them shares one transaction, each in its own savepoint.
	err := e.db.inGroupTx(ctx, func(ctx context.Context, tx txer) error {
		q, err := e.db.groupTxQueue(ctx, tx)
		if err != nil {
			return err
		}
		ev, err := q.publishedEvent(eventID)
		if err != nil {
			return err
		}
		if err := ev.checkOpen(q.now); err != nil {
			return err
		}
		ws, err := q.seats(eventID, req.WorkshopID)
		if err != nil {
			return err
		}
		if err := checkRequest(ev, ws, req); err != nil {
			return err
		}
		var regID int64
		var status fabrique.RegistrationStatus
		// The unary + keeps SQLite from starting with all the event's
		// registrations: the person is found by people_email_lower (0012).
		err = tx.QueryRowContext(ctx, `SELECT r.id, r.status FROM registrations r JOIN people p ON p.id = r.person_id
			WHERE +r.event_id = ? AND lower(p.email) = lower(?) ORDER BY r.id LIMIT 1`, eventID, req.Email).Scan(&regID, &status)
		switch {
		case err == nil && status != fabrique.RegCancelled:
			rec, err = e.recognised(q, ev, ws, regID, req)
			return err
		case err == nil:
			if err := reopen(q, regID, req); err != nil {
				return err
			}
			rec, err = e.place(q, ev, ws, regID, req)
			return err
		case errors.Is(err, sql.ErrNoRows):
			rec, err = e.enrol(q, ev, ws, req)
			return err
		default:
			return err
		}
	})
	return rec, err
}

// enrol stores a new registration with its place decided at once (a seat,
// the end of a waiting list, or pending the allocation by ranked choices)
// and queues its message: what place does for a registration reopened,
// in fewer statements, since nothing of it existed before (issue 14).
func (e *Enrolments) enrol(q *txQueue, ev *eventInfo, ws []fabrique.WorkshopSeats, req *fabrique.RegistrationRequest) (*fabrique.RegistrationReceipt, error) {
	reg, err := participant(q, ev.Host, req)
	if err != nil {
		return nil, err
	}
	reg.EventID, reg.Choices = ev.ID, req.Choices
	rec := &fabrique.RegistrationReceipt{WorkshopID: req.WorkshopID}
	reg.Status, rec.Message = fabrique.RegPending, msgPending
	if ev.Settings.Allocation != fabrique.AllocPreference || len(ws) == 0 {
		room, err := hasRoom(q, ev, ws, req)
		if err != nil {
			return nil, err
		}
		reg.Status, rec.Message = fabrique.RegWaiting, msgWaiting
		if room {
			reg.Status, rec.Message = fabrique.RegRegistered, msgRegistered
		}
		reg.WorkshopID = req.WorkshopID
	}
	if err := insertRegistration(q, reg, req); err != nil {
		return nil, err
	}
	rec.RegistrationID, rec.Status = reg.ID, reg.Status
	// A new registration's link is of version 1 (the column's default).
	key, err := q.db.links.get(q.ctx, q.tx)
	if err != nil {
		return nil, err
	}
	q.tokens[reg.ID], q.versions[reg.ID] = linkToken(key, reg.ID, 1), 1
	switch reg.Status {
	case fabrique.RegPending:
		err = q.noticeTo(ev, reg, fabrique.MsgPending, 0)
	case fabrique.RegRegistered:
		err = q.invite(ev, reg.ID, fabrique.MsgInvitation, nil)
	default:
		// Last of the event's queue, hence of its list: its rank is the
		// list's counter (as waitingPosition finds it).
		if rec.WaitingPosition, err = listLength(q, ev.ID, reg.WorkshopID); err == nil {
			err = q.noticeTo(ev, reg, fabrique.MsgWaiting, rec.WaitingPosition)
		}
	}
	if err != nil {
		return nil, err
	}
	rec.Token = q.tokens[reg.ID]
	return rec, nil
}

// participant finds the participant of host with the request's email, or
// stores them; a participant belongs to the host they register with: the
// same address registered with another host is another row
// (people_participant_email). The name and email are those stored.
func participant(q *txQueue, host int64, req *fabrique.RegistrationRequest) (*regInfo, error) {
	reg := &regInfo{}
	var personID int64
	err := q.tx.QueryRowContext(q.ctx, `SELECT id, name, email FROM people WHERE kind = 'participant' AND owner_organisation_id = ? AND lower(email) = lower(?)
		ORDER BY id LIMIT 1`, host, req.Email).Scan(&personID, &reg.Name, &reg.Email)
	if errors.Is(err, sql.ErrNoRows) {
		now := ts(q.now)
		reg.Name, reg.Email = strings.TrimSpace(req.Name), req.Email
		res, err := q.tx.ExecContext(q.ctx, `INSERT INTO people (name, email, category, kind, owner_organisation_id, created_at, updated_at)
			VALUES (?, ?, ?, 'participant', ?, ?, ?)`, reg.Name, reg.Email, req.Category, host, now, now)
		if err != nil {
			return nil, err
		}
		personID, err = res.LastInsertId()
		reg.personID = personID
		return reg, err
	}
	reg.personID = personID
	return reg, err
}

// insertRegistration stores a new registration of reg's person with its
// status and workshop; one put on a waiting list goes to its end.
func insertRegistration(q *txQueue, reg *regInfo, req *fabrique.RegistrationRequest) error {
	now := ts(q.now)
	res, err := q.tx.ExecContext(q.ctx, `INSERT INTO registrations (event_id, person_id, status, workshop_id, choices, consent, organisation_name,
		consent_at, consent_text, queue_seq, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, 1, ?6, ?7, ?8,
		CASE ?3 WHEN 'waiting' THEN COALESCE((SELECT MAX(o.queue_seq) FROM registrations o WHERE o.event_id = ?1 AND o.status = 'waiting'), 0) + 1 ELSE 0 END,
		?7, ?7)`,
		reg.EventID, reg.personID, reg.Status, reg.WorkshopID, jsonList(req.Choices), strings.TrimSpace(req.Organisation), now,
		fabrique.ConsentPurpose+" "+fabrique.ConsentRetention)
	if err != nil {
		return err
	}
	reg.ID, err = res.LastInsertId()
	return err
}

// listLength is the number of registrations on a waiting list: a
// workshop's, or the event's without workshop (the counters of 0012).
func listLength(q *txQueue, eventID int64, workshop *int64) (int, error) {
	var n int
	var err error
	if workshop == nil {
		err = q.tx.QueryRowContext(q.ctx, `SELECT COALESCE((SELECT waiting_unassigned FROM event_seats WHERE event_id = ?), 0)`, eventID).Scan(&n)
	} else {
		err = q.tx.QueryRowContext(q.ctx, `SELECT COALESCE((SELECT waiting FROM workshop_seats WHERE workshop_id = ?), 0)`, *workshop).Scan(&n)
	}
	return n, err
}

// hasRoom reports whether the request finds a seat: one left in the event
// and in its workshop, if any.
func hasRoom(q *txQueue, ev *eventInfo, ws []fabrique.WorkshopSeats, req *fabrique.RegistrationRequest) (bool, error) {
	left, err := capacityLeft(q.ctx, q.tx, ev, ws)
	if err != nil {
		return false, err
	}
	room := left != 0
	if req.WorkshopID != nil {
		room = room && findSeat(ws, *req.WorkshopID).SeatsLeft > 0
	}
	return room, nil
}

// reopen reuses a cancelled registration of the same email.
func reopen(q *txQueue, regID int64, req *fabrique.RegistrationRequest) error {
	now := ts(q.now)
	_, err := q.tx.ExecContext(q.ctx, `UPDATE registrations SET status = 'pending', workshop_id = NULL, choices = ?, consent = 1,
		organisation_name = ?, consent_at = ?, consent_text = ?, queue_seq = 0, updated_at = ? WHERE id = ?`,
		jsonList(req.Choices), strings.TrimSpace(req.Organisation), now, fabrique.ConsentPurpose+" "+fabrique.ConsentRetention, now, regID)
	return err
}

// What a registration answers, the same for an address already registered.
const (
	msgPending    = "Votre demande est enregistrée. Les places seront réparties selon vos choix à la clôture des inscriptions ; vous recevrez alors votre invitation par courriel."
	msgRegistered = "Votre inscription est confirmée. Vous allez recevoir par courriel votre invitation et le lien de votre page personnelle."
	msgWaiting    = "L'atelier ou l'événement est complet : vous êtes sur la liste d'attente. Si une place se libère, vous serez inscrit·e et recevrez aussitôt votre invitation."
)

// place gives a registration reopened (reopen) its seat, a place on a waiting list, or
// leaves it pending the allocation by ranked choices; and queues the message.
func (e *Enrolments) place(q *txQueue, ev *eventInfo, ws []fabrique.WorkshopSeats, regID int64, req *fabrique.RegistrationRequest) (*fabrique.RegistrationReceipt, error) {
	rec := &fabrique.RegistrationReceipt{RegistrationID: regID, WorkshopID: req.WorkshopID}
	if ev.Settings.Allocation == fabrique.AllocPreference && len(ws) > 0 {
		rec.Status = fabrique.RegPending
		rec.Message = msgPending
		if err := q.notice(ev, regID, fabrique.MsgPending); err != nil {
			return nil, err
		}
		rec.Token = q.tokens[regID]
		return rec, nil
	}
	room, err := hasRoom(q, ev, ws, req)
	if err != nil {
		return nil, err
	}
	if room {
		if err := setStatus(q, regID, fabrique.RegRegistered, req.WorkshopID); err != nil {
			return nil, err
		}
		if err := q.invite(ev, regID, fabrique.MsgInvitation, nil); err != nil {
			return nil, err
		}
		rec.Status = fabrique.RegRegistered
		rec.Message = msgRegistered
	} else {
		if err := setStatus(q, regID, fabrique.RegWaiting, req.WorkshopID); err != nil {
			return nil, err
		}
		if err := q.notice(ev, regID, fabrique.MsgWaiting); err != nil {
			return nil, err
		}
		rec.Status = fabrique.RegWaiting
		rec.WaitingPosition, err = waitingPosition(q.ctx, q.tx, regID)
		if err != nil {
			return nil, err
		}
		rec.Message = msgWaiting
	}
	rec.Token = q.tokens[regID]
	return rec, nil
}

// recognised answers a second registration of the same email exactly as
// a newcomer's would be answered (no enumeration of who registered):
// nothing is written but a reminder with the person's link (at most one
// every 10 minutes), which only the address's owner reads.
func (e *Enrolments) recognised(q *txQueue, ev *eventInfo, ws []fabrique.WorkshopSeats, regID int64, req *fabrique.RegistrationRequest) (*fabrique.RegistrationReceipt, error) {
	var recent int
	since := tsMicro(q.now.Add(-10 * time.Minute))
	if err := q.tx.QueryRowContext(q.ctx, `SELECT COUNT(*) FROM outbox WHERE registration_id = ? AND kind = ? AND created_at >= ?`,
		regID, fabrique.MsgReminder, since).Scan(&recent); err != nil {
		return nil, err
	}
	if recent == 0 {
		if err := q.notice(ev, regID, fabrique.MsgReminder); err != nil {
			return nil, err
		}
	}
	rec := &fabrique.RegistrationReceipt{WorkshopID: req.WorkshopID, Token: q.tokens[regID], Known: true}
	if ev.Settings.Allocation == fabrique.AllocPreference && len(ws) > 0 {
		rec.Status, rec.Message = fabrique.RegPending, msgPending
		return rec, nil
	}
	room, err := hasRoom(q, ev, ws, req)
	if err != nil {
		return nil, err
	}
	if room {
		rec.Status, rec.Message = fabrique.RegRegistered, msgRegistered
		return rec, nil
	}
	rec.Status, rec.Message = fabrique.RegWaiting, msgWaiting
	n, err := waitingListLength(q.ctx, q.tx, ev.ID, req.WorkshopID)
	rec.WaitingPosition = n + 1 // where a newcomer would be
	return rec, err
}

// setStatus sets the status and workshop of a registration; a registration
// put on a waiting list goes to its end.
func setStatus(q *txQueue, regID int64, st fabrique.RegistrationStatus, workshopID *int64) error {
	var err error
	if st == fabrique.RegWaiting {
		_, err = q.tx.ExecContext(q.ctx, `UPDATE registrations SET status = ?, workshop_id = ?, updated_at = ?,
			queue_seq = COALESCE((SELECT MAX(o.queue_seq) FROM registrations o WHERE o.event_id = registrations.event_id AND o.status = 'waiting'), 0) + 1 WHERE id = ?`,
			st, workshopID, ts(q.now), regID)
	} else {
		_, err = q.tx.ExecContext(q.ctx, `UPDATE registrations SET status = ?, workshop_id = ?, queue_seq = 0, updated_at = ? WHERE id = ?`,
			st, workshopID, ts(q.now), regID)
	}
	return err
}

// waitingListLength is the length of a waiting list, read from the seat
// counters (0012): a workshop's, or the event's people waiting without a
// workshop (workshopID nil).
func waitingListLength(ctx context.Context, q queryer, eventID int64, workshopID *int64) (int, error) {
	var n int
	var err error
	if workshopID == nil {
		err = q.QueryRowContext(ctx, `SELECT COALESCE((SELECT waiting_unassigned FROM event_seats WHERE event_id = ?), 0)`, eventID).Scan(&n)
	} else {
		err = q.QueryRowContext(ctx, `SELECT COALESCE((SELECT waiting FROM workshop_seats WHERE workshop_id = ?), 0)`, *workshopID).Scan(&n)
	}
	return n, err
}

// waitingPosition is the rank of a waiting registration on its list (1 = next).
// The one who just joined the end of the event's queue (the only one with
// its highest queue_seq) is last of its list: its rank is the list's length.
func waitingPosition(ctx context.Context, q queryer, regID int64) (int, error) {
	var last struct {
		event    int64
		workshop *int64
	}
	err := q.QueryRowContext(ctx, `SELECT r.event_id, r.workshop_id
		FROM registrations r WHERE r.id = ? AND r.status = 'waiting' AND r.queue_seq > 0
		AND r.queue_seq = (SELECT MAX(queue_seq) FROM registrations WHERE event_id = r.event_id AND status = 'waiting')
		AND (SELECT COUNT(*) FROM registrations WHERE event_id = r.event_id AND status = 'waiting' AND queue_seq = r.queue_seq) = 1`, regID).Scan(&last.event, &last.workshop)
	if err == nil {
		if n, err := waitingListLength(ctx, q, last.event, last.workshop); err != nil || n > 0 {
			return n, err
		}
	} else if !errors.Is(err, sql.ErrNoRows) {
		return 0, err
	}
	var n int
	err = q.QueryRowContext(ctx, `SELECT COUNT(*) FROM registrations o JOIN registrations r ON r.id = ?
		WHERE o.event_id = r.event_id AND o.status = 'waiting' AND r.status = 'waiting'
		AND o.workshop_id IS r.workshop_id AND (o.queue_seq < r.queue_seq OR (o.queue_seq = r.queue_seq AND o.id <= r.id))`, regID).Scan(&n)
	return n, err
}

// promote fills the seats free in an event with the first waiting people,
// in order of arrival, and invites them.
func promote(q *txQueue, ev *eventInfo) error {
	if ev.Status != fabrique.EventPublished {
		return nil
	}
	ws, err := seats(q.ctx, q.tx, ev.ID)
	if err != nil {
		return err
	}
	left, err := capacityLeft(q.ctx, q.tx, ev, ws)
	if err != nil {
		return err
	}
	rows, err := q.tx.QueryContext(q.ctx, `SELECT id, workshop_id FROM registrations WHERE event_id = ? AND status = 'waiting' ORDER BY queue_seq, id`, ev.ID)
	if err != nil {
		return err
	}
	type waiting struct {
		id       int64
		workshop *int64
	}
	var list []waiting
	for rows.Next() {
		var w waiting
		if err := rows.Scan(&w.id, &w.workshop); err != nil {
			rows.Close()
			return err
		}
		list = append(list, w)
	}
	rows.Close()
	for _, w := range list {
		if left == 0 {
			break
		}
		var seat *fabrique.WorkshopSeats
		if w.workshop != nil {
			if seat = findSeat(ws, *w.workshop); seat == nil || seat.SeatsLeft == 0 {
				continue
			}
			seat.SeatsLeft--
		}
		if left > 0 {
			left--
		}
		if err := setStatus(q, w.id, fabrique.RegRegistered, w.workshop); err != nil {
			return err
		}
		if err := q.invite(ev, w.id, fabrique.MsgPromoted, nil); err != nil {
			return err
		}
	}
	return rows.Err()
}
