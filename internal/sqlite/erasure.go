package sqlite

import (
	"os"
	"path/filepath"
	"strconv"

	"fabrique/internal/fabrique"
)

// heldMessage is a message queued while txQueue.holdBack is set: it is
// written only by flushHeld, after the messages of the person were deleted.
type heldMessage struct {
	eventID                      int64
	email, name, uid, method, kd string
	seq                          int
	body                         string
}

// withdrawForErasure collects the CANCEL of every calendar item of an
// event still to come that the registration holds: they are written by
// flushHeld once the person's messages are deleted, without registration
// and without link, so that nothing of the erased registration remains
// but the address they are sent to.
func withdrawForErasure(q *txQueue, regID int64) error {
	reg, err := loadReg(q.ctx, q.tx, regID)
	if err != nil {
		return err
	}
	ev, err := loadEvent(q.ctx, q.tx, reg.EventID)
	if err != nil {
		return err
	}
	if !q.now.Before(ev.End) || reg.Email == "" {
		return nil
	}
	q.holdBack, q.noLink = true, true
	defer func() { q.holdBack, q.noLink = false, false }()
	return q.withdraw(ev, regID, fabrique.MsgErased, "")
}

// flushHeld writes the messages held back, pending at once.
func (q *txQueue) flushHeld() (int, error) {
	now := tsMicro(q.now)
	for _, m := range q.held {
		if _, err := q.tx.ExecContext(q.ctx, `INSERT INTO outbox (event_id, registration_id, recipient, recipient_name, item_uid, sequence, method, kind,
			payload, link_version, state, batch, next_attempt_at, created_at, updated_at) VALUES (?, NULL, ?, ?, ?, ?, ?, ?, ?, 0, 'pending', ?, ?, ?, ?)
			ON CONFLICT (recipient, item_uid, sequence, method) DO NOTHING`,
			m.eventID, m.email, m.name, m.uid, m.seq, m.method, m.kd, m.body, q.batch, now, now, now); err != nil {
			return 0, err
		}
	}
	n := len(q.held)
	q.held = nil
	return n, nil
}

// removeMessageFiles deletes the .eml files written for registrations
// when no SMTP server is set (outbox/ beside the database, the folder
// `fabrique serve` writes to): their names start with the UID of the
// registration's copies (<instance>-r<id>-). It returns how many went.
func (db *DB) removeMessageFiles(instance string, regIDs []int64) int {
	dir := filepath.Join(filepath.Dir(db.path), "outbox")
	n := 0
	for _, id := range regIDs {
		files, _ := filepath.Glob(filepath.Join(dir, instance+"-r"+strconv.FormatInt(id, 10)+"-*.eml"))
		for _, f := range files {
			if os.Remove(f) == nil {
				n++
			}
		}
	}
	return n
}
