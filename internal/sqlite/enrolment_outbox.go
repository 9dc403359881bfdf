package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"fabrique/internal/fabrique"
)

// Outbox implements fabrique.OutboxService for staff.
type Outbox struct {
	db *DB
}

var _ fabrique.OutboxService = (*Outbox)(nil)

// Outbox implements fabrique.Store.
func (s *Store) Outbox() fabrique.OutboxService { return &Outbox{db: s.db} }

// outboxFrom joins each message (alias o) with its line in the worker's
// journal (alias a, migration 0009): until the journal is folded into the
// outbox rows, it says which messages are in their SMTP exchange and how
// the last ones ended.
const outboxFrom = `outbox o LEFT JOIN outbox_attempts a ON a.message_id = o.id`

// outboxState is the state of a message as staff see it (over outboxFrom).
const outboxState = `CASE WHEN a.message_id IS NULL THEN o.state WHEN a.outcome IS NULL THEN 'sending' ELSE a.outcome END`

const outboxColumns = `o.id, o.event_id, o.registration_id, o.recipient, o.recipient_name, o.item_uid, o.sequence, o.method, o.kind,
	` + outboxState + `, o.batch, o.attempts + (a.message_id IS NOT NULL),
	CASE WHEN a.outcome = 'pending' THEN a.retry_at ELSE o.next_attempt_at END,
	CASE WHEN a.outcome IS NULL THEN o.last_error ELSE a.error END,
	CASE WHEN a.outcome IS NULL THEN o.smtp_reply ELSE a.smtp_reply END,
	o.payload, o.created_at, o.updated_at,
	CASE WHEN a.outcome = 'sent' THEN a.ended_at ELSE o.sent_at END`

func scanOutbox(rows *sql.Rows) (*fabrique.OutboxMessage, error) {
	m := &fabrique.OutboxMessage{}
	var payload string
	var event sql.NullInt64 // NULL for a message of no event (migration 0017)
	err := rows.Scan(&m.ID, &event, &m.RegistrationID, &m.Recipient, &m.RecipientName, &m.ItemUID, &m.Sequence, &m.Method, &m.Kind,
		&m.State, &m.Batch, &m.Attempts, instant{&m.NextAttemptAt}, &m.LastError, &m.SMTPReply, &payload,
		instant{&m.CreatedAt}, instant{&m.UpdatedAt}, nullInstant{&m.SentAt})
	if err != nil {
		return nil, err
	}
	m.EventID = event.Int64
	return m, json.Unmarshal([]byte(payload), &m.Payload)
}

func queryOutbox(ctx context.Context, q queryer, where string, args ...any) ([]*fabrique.OutboxMessage, error) {
	return scanAll(ctx, q, func(rows *sql.Rows, m **fabrique.OutboxMessage) (err error) {
		*m, err = scanOutbox(rows)
		return err
	}, `SELECT `+outboxColumns+` FROM `+outboxFrom+` `+where, args...)
}

// outboxVisible is the condition on outbox rows (alias o) for staff.
func outboxVisible(u *fabrique.User) (string, []any, error) {
	switch {
	case u == nil:
		return "", nil, errAnonymous
	case u.Is(fabrique.RoleAdmin):
		return "1", nil, nil
	case u.Is(fabrique.RoleOrganiser) && u.OrganisationID != nil:
		return "o.event_id IN (SELECT id FROM events WHERE host_organisation_id = ?)", []any{*u.OrganisationID}, nil
	}
	return "", nil, forbidden("consulter les messages envoyés aux participants")
}

// ListOutbox implements fabrique.OutboxService.
func (o *Outbox) ListOutbox(ctx context.Context, opt fabrique.ListOptions) (*fabrique.Page[fabrique.OutboxMessage], error) {
	cond, args, err := outboxVisible(fabrique.UserFrom(ctx))
	if err != nil {
		return nil, err
	}
	conds := []string{cond}
	var p fabrique.Problems
	for name, value := range opt.Filters {
		switch name {
		case "state":
			fabrique.OneOf(&p, "state", fabrique.OutboxState(value), fabrique.OutboxStates, true)
			conds, args = append(conds, outboxState+" = ?"), append(args, value)
		case "event_id":
			id, err := strconv.ParseInt(value, 10, 64)
			if err != nil || id <= 0 {
				p.Add("event_id", "identifiant invalide « %s »", value)
			}
			conds, args = append(conds, "o.event_id = ?"), append(args, id)
		case "batch", "kind", "recipient":
			conds, args = append(conds, "o."+name+" = ?"), append(args, value)
		default:
			p.Add(name, "filtre inconnu : filtres possibles batch, event_id, kind, recipient, state")
		}
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	if opt.Limit <= 0 || opt.Limit > fabrique.MaxPageSize {
		opt.Limit = 50
	}
	opt.Offset = max(opt.Offset, 0)
	where := "WHERE " + strings.Join(conds, " AND ")
	page := &fabrique.Page[fabrique.OutboxMessage]{Limit: opt.Limit, Offset: opt.Offset}
	err = o.db.inReadTx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+outboxFrom+` `+where, args...).Scan(&page.Total); err != nil {
			return err
		}
		page.Items, err = queryOutbox(ctx, tx, where+" ORDER BY o.id DESC LIMIT ? OFFSET ?", append(args, opt.Limit, opt.Offset)...)
		return err
	})
	return page, err
}

func visibleMessage(ctx context.Context, q queryer, id int64) (*fabrique.OutboxMessage, error) {
	cond, args, err := outboxVisible(fabrique.UserFrom(ctx))
	if err != nil {
		return nil, err
	}
	list, err := queryOutbox(ctx, q, "WHERE o.id = ? AND "+cond, append([]any{id}, args...)...)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, fabrique.Errorf(fabrique.ENOTFOUND, "Le message n° %d n'existe pas.", id)
	}
	return list[0], nil
}

// OutboxMessage implements fabrique.OutboxService.
func (o *Outbox) OutboxMessage(ctx context.Context, id int64) (*fabrique.OutboxMessage, error) {
	var m *fabrique.OutboxMessage
	err := o.db.inReadTx(ctx, func(tx *sql.Tx) (err error) {
		m, err = visibleMessage(ctx, tx, id)
		return err
	})
	return m, err
}

// RetryMessage implements fabrique.OutboxService: a failed message, or one
// whose sending was interrupted ("doubt"), is queued again at once.
func (o *Outbox) RetryMessage(ctx context.Context, id int64) (*fabrique.OutboxMessage, error) {
	var m *fabrique.OutboxMessage
	err := o.db.inTx(ctx, func(tx *sql.Tx) (err error) {
		if err := foldAttempts(ctx, tx, o.db.now()); err != nil {
			return err
		}
		if m, err = visibleMessage(ctx, tx, id); err != nil {
			return err
		}
		if m.State != fabrique.OutboxFailed && m.State != fabrique.OutboxDoubt {
			return fabrique.Errorf(fabrique.ECONFLICT, "Seul un message en échec ou à l'envoi incertain peut être renvoyé (ce message est « %s »).", m.State)
		}
		now := tsMicro(o.db.now())
		if _, err := tx.ExecContext(ctx, `UPDATE outbox SET state = 'pending', next_attempt_at = ?, lease_until = NULL, updated_at = ? WHERE id = ?`, now, now, id); err != nil {
			return err
		}
		m, err = visibleMessage(ctx, tx, id)
		return err
	})
	return m, err
}

// ReleaseHeld implements fabrique.OutboxService.
func (o *Outbox) ReleaseHeld(ctx context.Context, eventID int64) (*fabrique.Release, error) {
	r := &fabrique.Release{EventID: eventID, Batch: "r" + strconv.FormatInt(time.Now().UnixNano(), 36)}
	err := o.db.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := staffEvent(ctx, tx, eventID); err != nil {
			return err
		}
		now := tsMicro(o.db.now())
		res, err := tx.ExecContext(ctx, `UPDATE outbox SET state = 'pending', batch = ?, next_attempt_at = ?, updated_at = ? WHERE event_id = ? AND state = 'held'`,
			r.Batch, now, now, eventID)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		r.Released = int(n)
		return err
	})
	return r, err
}

// OutboxProgress implements fabrique.OutboxService.
func (o *Outbox) OutboxProgress(ctx context.Context, eventID int64, batch string) (*fabrique.OutboxProgress, error) {
	p := &fabrique.OutboxProgress{EventID: eventID, Batch: batch, Counts: map[string]int{}}
	for _, s := range fabrique.OutboxStates {
		p.Counts[string(s)] = 0
	}
	err := o.db.inReadTx(ctx, func(tx *sql.Tx) error {
		if _, err := staffEvent(ctx, tx, eventID); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT `+outboxState+`, COUNT(*) FROM `+outboxFrom+` WHERE o.event_id = ? AND (? = '' OR o.batch = ?) GROUP BY 1`, eventID, batch, batch)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var state string
			var n int
			if err := rows.Scan(&state, &n); err != nil {
				return err
			}
			p.Counts[state] = n
			p.Total += n
		}
		return rows.Err()
	})
	c := p.Counts
	p.Done = c["held"]+c["pending"]+c["claimed"]+c["sending"] == 0
	return p, err
}

// Queue is the worker's side of the outbox: claim, mark, recover. It
// checks no user: only the worker of the service uses it.
type Queue struct {
	db *DB
}

// Queue returns the worker's side of the outbox.
func (s *Store) Queue() *Queue { return &Queue{db: s.db} }

const doubtMessage = "Envoi interrompu (arrêt du service ou bail expiré) pendant la transaction SMTP : le message a peut-être été remis. Il n'est pas renvoyé automatiquement, pour ne jamais l'envoyer deux fois ; vérifiez puis renvoyez-le si besoin."

// foldAttempts writes the outcomes the worker's journal holds into the
// outbox rows and empties those lines of the journal; the lines of
// messages still in their SMTP exchange stay.
func foldAttempts(ctx context.Context, tx *sql.Tx, now time.Time) error {
	if _, err := tx.ExecContext(ctx, `UPDATE outbox SET state = a.outcome, attempts = attempts + 1, lease_until = NULL, updated_at = ?,
		smtp_reply = a.smtp_reply, last_error = a.error,
		sent_at = CASE a.outcome WHEN 'sent' THEN a.ended_at ELSE sent_at END,
		next_attempt_at = CASE a.outcome WHEN 'pending' THEN a.retry_at ELSE next_attempt_at END,
		recipient = CASE WHEN outbox.kind = 'erased' AND a.outcome IN ('sent', 'failed') THEN 'efface-' || outbox.id || '@invalid' ELSE recipient END,
		recipient_name = CASE WHEN outbox.kind = 'erased' AND a.outcome IN ('sent', 'failed') THEN '' ELSE recipient_name END
		FROM outbox_attempts a WHERE a.message_id = outbox.id
		AND outbox.id IN (SELECT message_id FROM outbox_attempts WHERE outcome IS NOT NULL)`, tsMicro(now)); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `DELETE FROM outbox_attempts WHERE outcome IS NOT NULL`)
	return err
}

// doubtAttempts turns the messages of the journal still without outcome
// whose lease ends before until into doubts.
func doubtAttempts(ctx context.Context, tx *sql.Tx, now time.Time, until string) (int64, error) {
	t := tsMicro(now)
	res, err := tx.ExecContext(ctx, `UPDATE outbox SET state = 'doubt', attempts = attempts + 1, last_error = ?, lease_until = NULL, updated_at = ?
		WHERE id IN (SELECT message_id FROM outbox_attempts WHERE outcome IS NULL AND lease_until < ?)`, doubtMessage, t, until)
	if err != nil {
		return 0, err
	}
	n, _ := res.RowsAffected()
	_, err = tx.ExecContext(ctx, `DELETE FROM outbox_attempts WHERE outcome IS NULL AND lease_until < ?`, until)
	return n, err
}

// Recover runs when a worker starts: a message left in its SMTP exchange
// is a doubt, a message left "claimed" (never started) is pending again.
func (q *Queue) Recover(ctx context.Context, now time.Time) (int, error) {
	var n int64
	err := q.db.inTx(ctx, func(tx *sql.Tx) error {
		if err := foldAttempts(ctx, tx, now); err != nil {
			return err
		}
		var err error
		// Every line without outcome, whatever its lease: its worker is gone.
		if n, err = doubtAttempts(ctx, tx, now, "9999"); err != nil {
			return err
		}
		t := tsMicro(now)
		// A message a version before the journal left "sending".
		res, err := tx.ExecContext(ctx, `UPDATE outbox SET state = 'doubt', last_error = ?, lease_until = NULL, updated_at = ? WHERE state = 'sending'`, doubtMessage, t)
		if err != nil {
			return err
		}
		old, _ := res.RowsAffected()
		n += old
		_, err = tx.ExecContext(ctx, `UPDATE outbox SET state = 'pending', lease_until = NULL, updated_at = ? WHERE state = 'claimed'`, t)
		return err
	})
	return int(n), err
}

// Claim takes up to limit messages due at now for the lease: pending ones,
// and claimed ones whose lease ran out. It first folds the journal; a
// message whose lease ran out during its SMTP exchange becomes a doubt.
func (q *Queue) Claim(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]*fabrique.OutboxMessage, error) {
	var ids []any
	err := q.db.inTx(ctx, func(tx *sql.Tx) error {
		t := tsMicro(now)
		if err := foldAttempts(ctx, tx, now); err != nil {
			return err
		}
		if _, err := doubtAttempts(ctx, tx, now, t); err != nil {
			return err
		}
		claimable, err := readIDs(ctx, tx, `SELECT id FROM outbox WHERE state = 'pending' AND next_attempt_at <= ?
			UNION SELECT id FROM outbox WHERE state = 'claimed' AND lease_until < ? AND id NOT IN (SELECT message_id FROM outbox_attempts)
			ORDER BY 1 LIMIT ?`, t, t, limit)
		if err != nil || len(claimable) == 0 {
			return err
		}
		for _, id := range claimable {
			ids = append(ids, id)
		}
		_, err = tx.ExecContext(ctx, `UPDATE outbox SET state = 'claimed', lease_until = ?, updated_at = ? WHERE id IN (`+placeholders(len(ids))+`)`,
			append([]any{tsMicro(now.Add(lease)), t}, ids...)...)
		return err
	})
	if err != nil || len(ids) == 0 {
		return nil, err
	}
	// Read outside the write transaction: the rows are ours until the lease ends.
	var out []*fabrique.OutboxMessage
	err = q.db.inReadTx(ctx, func(tx *sql.Tx) (err error) {
		out, err = queryOutbox(ctx, tx, "WHERE o.id IN ("+placeholders(len(ids))+") ORDER BY o.id", ids...)
		if err != nil {
			return err
		}
		byID := make(map[int64]*fabrique.OutboxMessage, len(out))
		for _, m := range out {
			byID[m.ID] = m
		}
		return q.db.fillLinks(ctx, tx, byID)
	})
	return out, err
}

// Mark records the outcomes of the messages tried, then writes the claimed
// messages of sending in the journal (leased until now+lease) before their
// SMTP transactions start: one transaction for all, which only touches the
// narrow journal. It reports, for each message of sending, whether it was
// written: false when it was no longer claimed (it must not be sent). With
// no message to send (the end of a run), the journal is folded into the
// outbox.
func (q *Queue) Mark(ctx context.Context, now time.Time, done []fabrique.OutboxOutcome, sending []int64, lease time.Duration) ([]bool, error) {
	started := make([]bool, len(sending))
	err := q.db.inTx(ctx, func(tx *sql.Tx) error {
		t := tsMicro(now)
		for _, d := range done {
			var retry any
			if d.State == fabrique.OutboxPending {
				retry = tsMicro(d.RetryAt)
			}
			state := string(d.State)
			if d.State != fabrique.OutboxSent && d.State != fabrique.OutboxPending {
				state = string(fabrique.OutboxFailed)
			}
			res, err := tx.ExecContext(ctx, `UPDATE outbox_attempts SET outcome = ?, ended_at = ?, retry_at = ?, smtp_reply = ?, error = ?
				WHERE message_id = ? AND outcome IS NULL`, state, t, retry, d.Reply, d.Error, d.ID)
			if err != nil {
				return err
			}
			if n, err := res.RowsAffected(); err != nil || n == 1 {
				if err != nil {
					return err
				}
				continue
			}
			// Not in the journal: a message that could not be composed or
			// was never tried (still claimed), or one that became a doubt
			// in the meantime.
			switch state {
			case "pending":
				_, err = tx.ExecContext(ctx, `UPDATE outbox SET state = 'pending', next_attempt_at = ?, lease_until = NULL, updated_at = ?
					WHERE id = ? AND state = 'claimed'`, retry, t, d.ID)
			case "sent":
				_, err = tx.ExecContext(ctx, `UPDATE outbox SET state = 'sent', sent_at = ?, smtp_reply = ?, last_error = '', lease_until = NULL, updated_at = ?
					WHERE id = ? AND state = 'doubt'`, t, d.Reply, t, d.ID)
			case "failed":
				_, err = tx.ExecContext(ctx, `UPDATE outbox SET state = 'failed', smtp_reply = ?, last_error = ?, lease_until = NULL, updated_at = ?
					WHERE id = ? AND state = 'claimed'`, d.Reply, d.Error, t, d.ID)
			}
			if err != nil {
				return err
			}
		}
		if len(sending) == 0 {
			return foldAttempts(ctx, tx, now)
		}
		until := tsMicro(now.Add(lease))
		for i, id := range sending {
			res, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO outbox_attempts (message_id, lease_until)
				SELECT id, ? FROM outbox WHERE id = ? AND state = 'claimed'`, until, id)
			if err != nil {
				return err
			}
			n, err := res.RowsAffected()
			if err != nil {
				return err
			}
			started[i] = n == 1
		}
		return nil
	})
	if err != nil {
		return make([]bool, len(sending)), err
	}
	return started, nil
}
