package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"fabrique/internal/fabrique"
)

// txQueue queues the messages of one transaction in the outbox: the
// snapshot of what each message tells, the stable UID of each participant's
// copy of a calendar item and its SEQUENCE, and the private link.
type txQueue struct {
	ctx      context.Context
	tx       txer // a *sql.Tx, or the connection of a group commit in its transaction
	now      time.Time
	batch    string
	instance string
	tokens   map[int64]string // registration → the token of its link as it stands
	versions map[int64]int    // registration → the version of that link
	noLink   bool             // the messages queued now carry no link (a notice to an old address)
	holdBack bool             // the messages queued now wait in held for flushHeld (erasure.go)
	to       *regInfo         // when set, the messages queued now go to its address and name (address.go)
	held     []heldMessage
	db       *DB
	cache    *groupCache        // within a group commit (groupcommit.go), else nil
	changes  map[int64][]string // registration → what changed, told by its updates (releases.go)
}

func (db *DB) newTxQueue(ctx context.Context, tx txer) (*txQueue, error) {
	q := db.bareTxQueue(ctx, tx)
	err := tx.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'instance_id'`).Scan(&q.instance)
	return q, err
}

// bareTxQueue is a queue without its instance id (a group commit knows it).
func (db *DB) bareTxQueue(ctx context.Context, tx txer) *txQueue {
	return &txQueue{ctx: ctx, tx: tx, now: db.now(), tokens: map[int64]string{}, versions: map[int64]int{}, db: db,
		batch: "b" + strconv.FormatInt(time.Now().UnixNano(), 36)}
}

// eventQueue loads an event and opens the queue of the transaction's
// messages about it: what every change that tells participants starts with.
func (db *DB) eventQueue(ctx context.Context, tx *sql.Tx, eventID int64) (*eventInfo, *txQueue, error) {
	ev, err := loadEvent(ctx, tx, eventID)
	if err != nil {
		return nil, nil, err
	}
	q, err := db.newTxQueue(ctx, tx)
	return ev, q, err
}

// tsMicro formats an instant of the outbox: UTC, fixed width, so that
// the text order is the time order.
func tsMicro(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.000000Z")
}

// regInfo is a registration with its person.
type regInfo struct {
	ID         int64
	EventID    int64
	WorkshopID *int64
	Status     fabrique.RegistrationStatus
	Name       string
	Email      string
	Choices    []int64
	personID   int64 // set by participant (enrolment.go) only
}

func loadReg(ctx context.Context, q queryer, id int64) (*regInfo, error) {
	r := &regInfo{ID: id}
	err := q.QueryRowContext(ctx, `SELECT r.event_id, r.workshop_id, r.status, p.name, p.email, r.choices
		FROM registrations r JOIN people p ON p.id = r.person_id WHERE r.id = ?`, id).
		Scan(&r.EventID, &r.WorkshopID, &r.Status, &r.Name, &r.Email, jsonScan[int64]{&r.Choices})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fabrique.Errorf(fabrique.ENOTFOUND, "L'inscription n° %d n'existe pas.", id)
	}
	return r, err
}

// calItem is one calendar item of an event.
type calItem struct {
	Key     string
	Title   string
	Start   time.Time
	End     time.Time
	Online  bool
	PhaseID int64 // 0 for the event itself
}

// calendarItems are the items a participant of the event attends: the
// launch and the forum day of a forum, the event itself otherwise.
func calendarItems(ctx context.Context, q queryer, ev *eventInfo) ([]calItem, error) {
	var items []calItem
	if ev.Kind == fabrique.EventForum {
		rows, err := q.QueryContext(ctx, `SELECT id, kind, start_at, end_at, online FROM phases
			WHERE event_id = ? AND kind IN ('launch', 'forum') ORDER BY start_at, id`, ev.ID)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		for rows.Next() {
			var it calItem
			var kind fabrique.PhaseKind
			if err := rows.Scan(&it.PhaseID, &kind, instant{&it.Start}, instant{&it.End}, &it.Online); err != nil {
				return nil, err
			}
			it.Key = "phase-" + strconv.FormatInt(it.PhaseID, 10)
			it.Title = ev.Title + " — lancement"
			if kind == fabrique.PhaseForum {
				it.Title = ev.Title + " — journée du forum"
			}
			items = append(items, it)
		}
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	if len(items) == 0 {
		items = append(items, calItem{Key: "event-" + strconv.FormatInt(ev.ID, 10), Title: ev.Title, Start: ev.Start, End: ev.End,
			Online: ev.Venue == "" && ev.OnlineURL != ""})
	}
	return items, nil
}

// workshopOf describes a workshop for a message, with the phase of its slot.
func workshopOf(ctx context.Context, q queryer, id int64) (*fabrique.MessageWorkshop, int64, error) {
	w := &fabrique.MessageWorkshop{Commitments: []string{}}
	var phase sql.NullInt64
	err := q.QueryRowContext(ctx, `SELECT w.number, w.title, COALESCE(r.name, ''), i.phase_id FROM workshops w
		JOIN programme_items i ON i.id = w.item_id LEFT JOIN rooms r ON r.id = w.room_id WHERE w.id = ?`, id).
		Scan(&w.Number, &w.Title, &w.Room, &phase)
	if err != nil {
		return nil, 0, err
	}
	cs, err := scanAll(ctx, q, func(rows *sql.Rows, line *string) error {
		var number, title string
		err := rows.Scan(&number, &title)
		*line = "n° " + number + " : " + title
		return err
	}, `SELECT c.number, c.title FROM workshop_commitments wc JOIN commitments c ON c.id = wc.commitment_id
		WHERE wc.workshop_id = ? ORDER BY wc.position`, id)
	if len(cs) > 0 {
		w.Commitments = cs
	}
	return w, phase.Int64, err
}

// programme lists the programme of a calendar item.
func programme(ctx context.Context, q queryer, ev *eventInfo, it calItem) ([]fabrique.ProgrammeLine, error) {
	query := `SELECT i.start_at, i.end_at, i.title, COALESCE(r.name, '') FROM programme_items i LEFT JOIN rooms r ON r.id = i.room_id WHERE i.event_id = ?`
	args := []any{ev.ID}
	if it.PhaseID != 0 {
		query += ` AND i.phase_id = ?`
		args = append(args, it.PhaseID)
	}
	return scanAll(ctx, q, func(rows *sql.Rows, l *fabrique.ProgrammeLine) error {
		return rows.Scan(instant{&l.Start}, instant{&l.End}, &l.Title, &l.Room)
	}, query+` ORDER BY i.start_at, i.id`, args...)
}

// fullAddress is the address of the venue, with its city when missing.
func (ev *eventInfo) fullAddress() string {
	if ev.City != "" && !strings.Contains(ev.Address, ev.City) {
		return ev.Address + ", " + ev.City
	}
	return ev.Address
}

// payload is the snapshot of a calendar item for a participant.
func payload(ctx context.Context, q queryer, ev *eventInfo, reg *regInfo, it calItem) (*fabrique.MessagePayload, error) {
	p := &fabrique.MessagePayload{EventTitle: ev.Title, Summary: it.Title, Start: it.Start, End: it.End,
		Venue: ev.Venue, Address: ev.fullAddress(), OnlineURL: ev.OnlineURL}
	var err error
	if p.Programme, err = programme(ctx, q, ev, it); err != nil {
		return nil, err
	}
	if reg != nil && reg.WorkshopID != nil {
		w, phase, err := workshopOf(ctx, q, *reg.WorkshopID)
		if err != nil {
			return nil, err
		}
		if it.PhaseID == 0 || phase == it.PhaseID {
			p.Workshop = w
		}
	}
	// LOCATION is where the participant arrives: the room of the welcome
	// (or of the first plenary item), then the venue; their workshop's
	// room is in the DESCRIPTION.
	var parts []string
	switch {
	case it.Online && ev.OnlineURL != "":
		parts = append(parts, "En ligne : "+ev.OnlineURL)
	default:
		room, err := arrivalRoom(ctx, q, ev, it)
		if err != nil {
			return nil, err
		}
		if room != "" {
			parts = append(parts, room)
		}
		if ev.Venue != "" {
			parts = append(parts, ev.Venue, ev.fullAddress())
		} else if ev.OnlineURL != "" {
			parts = append(parts, "En ligne : "+ev.OnlineURL)
		}
	}
	p.Location = strings.Join(parts, ", ")
	return p, nil
}

// arrivalRoom is the room where the participants of a calendar item
// arrive: the room of its welcome, or else of its first plenary item (not
// the workshops, not a break); "" when none has a room.
func arrivalRoom(ctx context.Context, q queryer, ev *eventInfo, it calItem) (string, error) {
	query := `SELECT r.name FROM programme_items i JOIN rooms r ON r.id = i.room_id
		WHERE i.event_id = ? AND i.kind NOT IN ('workshops', 'break') AND NOT i.online`
	args := []any{ev.ID}
	if it.PhaseID != 0 {
		query += ` AND i.phase_id = ?`
		args = append(args, it.PhaseID)
	}
	var room string
	err := q.QueryRowContext(ctx, query+` ORDER BY i.kind <> 'welcome', i.start_at, i.id LIMIT 1`, args...).Scan(&room)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return room, err
}

// itemSequence returns the SEQUENCE of a calendar item.
func (q *txQueue) itemSequence(key string, eventID int64) (int, error) {
	var seq int
	err := q.tx.QueryRowContext(q.ctx, `SELECT sequence FROM calendar_items WHERE key = ?`, key).Scan(&seq)
	if errors.Is(err, sql.ErrNoRows) {
		_, err = q.tx.ExecContext(q.ctx, `INSERT INTO calendar_items (key, event_id, sequence) VALUES (?, ?, 0)`, key, eventID)
	}
	return seq, err
}

// bumpItem raises the SEQUENCE of a calendar item whose time or place changed.
func (q *txQueue) bumpItem(key string, eventID int64) error {
	_, err := q.tx.ExecContext(q.ctx, `INSERT INTO calendar_items (key, event_id, sequence) VALUES (?, ?, 1)
		ON CONFLICT (key) DO UPDATE SET sequence = sequence + 1`, key, eventID)
	return err
}

// copySequence returns the stable UID of a participant's copy of an item
// and the next SEQUENCE for it: never lower than the item's, always higher
// than the last one sent.
func (q *txQueue) copySequence(regID int64, key string, itemSeq int, method string) (string, int, error) {
	var uid string
	var seq int
	// One statement: a new copy starts at the item's SEQUENCE; a copy
	// already sent goes to max(item's, last + 1). REQUEST puts the item in
	// the participant's calendar, CANCEL takes it out, NOTICE changes nothing.
	err := q.tx.QueryRowContext(q.ctx, `INSERT INTO calendar_copies (registration_id, item_key, uid, sequence, invited)
		VALUES (?1, ?2, ?3, ?4, ?5 = 'REQUEST')
		ON CONFLICT (registration_id, item_key) DO UPDATE SET sequence = max(excluded.sequence, calendar_copies.sequence + 1),
			invited = CASE ?5 WHEN 'REQUEST' THEN 1 WHEN 'CANCEL' THEN 0 ELSE calendar_copies.invited END
		RETURNING uid, sequence`,
		regID, key, fmt.Sprintf("%s-r%d-%s@fabrique", q.instance, regID, key), itemSeq, method).Scan(&uid, &seq)
	return uid, seq, err
}

// token returns the private token of a registration's link as it stands
// (derived, never stored: links.go) and its version.
func (q *txQueue) token(regID int64) (string, int, error) {
	if t, ok := q.tokens[regID]; ok {
		return t, q.versions[regID], nil
	}
	t, v, err := q.db.currentLink(q.ctx, q.tx, regID)
	if err != nil {
		return "", 0, err
	}
	q.tokens[regID] = t
	q.versions[regID] = v
	return t, v, nil
}

// reissue kills the registration's links; the next message carries a new one.
func (q *txQueue) reissue(regID int64) error {
	delete(q.tokens, regID)
	delete(q.versions, regID)
	return reissueLink(q.ctx, q.tx, regID)
}

// add writes one message; a message already queued with the same
// (recipient, UID, SEQUENCE, method) is not queued twice.
func (q *txQueue) add(ev *eventInfo, reg *regInfo, key string, itemSeq int, method, kind string, p *fabrique.MessagePayload) error {
	uid, seq, err := q.copySequence(reg.ID, key, itemSeq, method)
	if err != nil {
		return err
	}
	version := 0
	if !q.noLink {
		if _, version, err = q.token(reg.ID); err != nil {
			return err
		}
	}
	body, err := json.Marshal(p)
	if err != nil {
		return err
	}
	if q.to != nil {
		reg = &regInfo{ID: reg.ID, Email: q.to.Email, Name: q.to.Name}
	}
	if q.holdBack {
		q.held = append(q.held, heldMessage{eventID: ev.ID, email: reg.Email, name: reg.Name, uid: uid, method: method, kd: kind, seq: seq, body: string(body)})
		return nil
	}
	state := fabrique.OutboxPending
	if ev.Settings.Review {
		state = fabrique.OutboxHeld
	}
	now := tsMicro(q.now)
	_, err = q.tx.ExecContext(q.ctx, `INSERT INTO outbox (event_id, registration_id, recipient, recipient_name, item_uid, sequence, method, kind,
		payload, link_version, state, batch, next_attempt_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (recipient, item_uid, sequence, method) DO NOTHING`,
		ev.ID, reg.ID, reg.Email, reg.Name, uid, seq, method, kind, string(body), version, state, q.batch, now, now, now)
	return err
}

// invite queues a REQUEST for every calendar item of a registration (or
// only those of keys), describing it as it stands in the transaction.
func (q *txQueue) invite(ev *eventInfo, regID int64, kind string, keys map[string]bool) error {
	reg, err := loadReg(q.ctx, q.tx, regID)
	if err != nil {
		return err
	}
	items, err := calendarItems(q.ctx, q.tx, ev)
	if err != nil {
		return err
	}
	for _, it := range items {
		if keys != nil && !keys[it.Key] {
			continue
		}
		seq, err := q.itemSequence(it.Key, ev.ID)
		if err != nil {
			return err
		}
		p, err := payload(q.ctx, q.tx, ev, reg, it)
		if err != nil {
			return err
		}
		if kind == fabrique.MsgUpdate {
			p.Changes = q.changes[regID]
		}
		if err := q.add(ev, reg, it.Key, seq, fabrique.MethodRequest, kind, p); err != nil {
			return err
		}
	}
	return nil
}

// withdraw queues a CANCEL for every item the participant's calendar
// holds. Call it before changing the registration, so that the message
// describes what is cancelled.
func (q *txQueue) withdraw(ev *eventInfo, regID int64, kind, waitingFor string) error {
	reg, err := loadReg(q.ctx, q.tx, regID)
	if err != nil {
		return err
	}
	held := map[string]bool{}
	rows, err := q.tx.QueryContext(q.ctx, `SELECT item_key FROM calendar_copies WHERE registration_id = ? AND invited = 1`, regID)
	if err != nil {
		return err
	}
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			rows.Close()
			return err
		}
		held[k] = true
	}
	rows.Close()
	items, err := calendarItems(q.ctx, q.tx, ev)
	if err != nil {
		return err
	}
	for _, it := range items {
		if !held[it.Key] {
			continue
		}
		seq, err := q.itemSequence(it.Key, ev.ID)
		if err != nil {
			return err
		}
		p, err := payload(q.ctx, q.tx, ev, reg, it)
		if err != nil {
			return err
		}
		p.WaitingFor = waitingFor
		if err := q.add(ev, reg, it.Key, seq, fabrique.MethodCancel, kind, p); err != nil {
			return err
		}
	}
	return nil
}

// notice queues a message without calendar about the registration.
func (q *txQueue) notice(ev *eventInfo, regID int64, kind string) error {
	reg, err := loadReg(q.ctx, q.tx, regID)
	if err != nil {
		return err
	}
	return q.noticeTo(ev, reg, kind, 0)
}

// noticeTo is notice for a registration already read; position is its
// rank on its waiting list when known (0: read it).
func (q *txQueue) noticeTo(ev *eventInfo, reg *regInfo, kind string, position int) error {
	p := &fabrique.MessagePayload{EventTitle: ev.Title, Summary: ev.Title, Start: ev.Start, End: ev.End,
		Venue: ev.Venue, Address: ev.fullAddress(), OnlineURL: ev.OnlineURL}
	var err error
	if reg.WorkshopID != nil {
		if p.Workshop, err = q.workshop(*reg.WorkshopID); err != nil {
			return err
		}
	}
	if reg.Status == fabrique.RegWaiting {
		p.WaitingPosition = position
		if position == 0 {
			if p.WaitingPosition, err = waitingPosition(q.ctx, q.tx, reg.ID); err != nil {
				return err
			}
		}
		if p.Workshop != nil {
			p.WaitingFor = p.Workshop.Title
		}
	}
	for _, id := range reg.Choices {
		var title string
		if err := q.tx.QueryRowContext(q.ctx, `SELECT title FROM workshops WHERE id = ?`, id).Scan(&title); err != nil {
			return err
		}
		p.Choices = append(p.Choices, title)
	}
	return q.add(ev, reg, "notice", 0, fabrique.MethodNotice, kind, p)
}
