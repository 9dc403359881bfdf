package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"

	"fabrique/internal/fabrique"
)

// staffNotice is a plain message (no calendar, no registration) to a staff
// member, such as DITP's decision on a declaration.
type staffNotice struct {
	EventID   int64
	Recipient string
	Name      string
	Key       string // unique per message of this kind for the recipient
	Kind      string
	Payload   *fabrique.MessagePayload
}

// queueStaffNotice queues a NOTICE in the outbox in the caller's
// transaction, so that the message exists if and only if the change it
// tells is written. The same key is never queued twice.
func (db *DB) queueStaffNotice(ctx context.Context, tx *sql.Tx, n staffNotice) error {
	var instance string
	if err := tx.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'instance_id'`).Scan(&instance); err != nil {
		return err
	}
	body, err := json.Marshal(n.Payload)
	if err != nil {
		return err
	}
	now := tsMicro(db.now())
	_, err = tx.ExecContext(ctx, `INSERT INTO outbox (event_id, registration_id, recipient, recipient_name, item_uid, sequence, method, kind,
		payload, state, batch, next_attempt_at, created_at, updated_at) VALUES (?, NULL, ?, ?, ?, 0, ?, ?, ?, ?, '', ?, ?, ?)
		ON CONFLICT (recipient, item_uid, sequence, method) DO NOTHING`,
		n.EventID, n.Recipient, n.Name, n.Key+"@"+instance, fabrique.MethodNotice, n.Kind, string(body), fabrique.OutboxPending, now, now, now)
	return err
}
