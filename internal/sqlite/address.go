package sqlite

import (
	"context"
	"database/sql"
	"strings"

	"fabrique/internal/fabrique"
)

// A participant's address changes (by staff through the person, or by the
// participant from their private page): every link of the person's
// registrations is re-issued, the new address gets the new link (the
// invitation again when registered, a notice otherwise) and the old one a
// message without link saying the address was replaced (a CANCEL of the
// items its calendar holds, or a notice). Messages not yet sent to the old
// address, whose link is now dead, are dropped. All in the transaction of
// the change.

// readdress runs after people.email changed from oldEmail (oldName: the
// name the old address knew).
func (db *DB) readdress(ctx context.Context, tx *sql.Tx, personID int64, oldEmail, oldName, newEmail string) error {
	if strings.EqualFold(strings.TrimSpace(oldEmail), strings.TrimSpace(newEmail)) {
		return nil
	}
	regs, err := readIDs(ctx, tx, `SELECT id FROM registrations WHERE person_id = ? AND anonymised_at IS NULL ORDER BY id`, personID)
	if err != nil {
		return err
	}
	q, err := db.newTxQueue(ctx, tx)
	if err != nil {
		return err
	}
	for _, id := range regs {
		if err := q.reissue(id); err != nil {
			return err
		}
		reg, err := loadReg(ctx, tx, id)
		if err != nil {
			return err
		}
		ev, err := loadEvent(ctx, tx, reg.EventID)
		if err != nil {
			return err
		}
		active := reg.Status == fabrique.RegRegistered || reg.Status == fabrique.RegWaiting || reg.Status == fabrique.RegPending
		if !active || !q.now.Before(ev.End) || oldEmail == "" {
			continue
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM outbox WHERE registration_id = ? AND lower(recipient) = lower(?) AND state IN ('pending', 'held')
			AND id NOT IN (SELECT message_id FROM outbox_attempts)`, id, oldEmail); err != nil {
			return err
		}
		if err := q.tellOldAddress(ev, reg, oldEmail, oldName); err != nil {
			return err
		}
		if reg.Status == fabrique.RegRegistered {
			err = q.invite(ev, id, fabrique.MsgAddressChanged, nil)
		} else {
			err = q.notice(ev, id, fabrique.MsgAddressChanged)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// tellOldAddress queues, to the old address and without link, the CANCEL
// of the items its calendar holds, or a notice when it holds none.
func (q *txQueue) tellOldAddress(ev *eventInfo, reg *regInfo, email, name string) error {
	q.to, q.noLink = &regInfo{Email: email, Name: name}, true
	defer func() { q.to, q.noLink = nil, false }()
	var held int
	if err := q.tx.QueryRowContext(q.ctx, `SELECT COUNT(*) FROM calendar_copies WHERE registration_id = ? AND invited = 1`, reg.ID).Scan(&held); err != nil {
		return err
	}
	if held > 0 {
		return q.withdraw(ev, reg.ID, fabrique.MsgAddressLeft, "")
	}
	return q.notice(ev, reg.ID, fabrique.MsgAddressLeft)
}

// ChangeEmail implements fabrique.EnrolmentService: the participant of a
// link gives a new address.
func (e *Enrolments) ChangeEmail(ctx context.Context, token, email string) (*fabrique.AddressChange, error) {
	email = strings.TrimSpace(email)
	var p fabrique.Problems
	p.Email("email", email, true)
	if err := p.Err(); err != nil {
		return nil, err
	}
	err := e.db.inTx(ctx, func(tx *sql.Tx) error {
		regID, err := e.db.registrationOfLink(ctx, tx, token)
		if err != nil {
			return err
		}
		var personID int64
		var oldEmail, oldName string
		if err := tx.QueryRowContext(ctx, `SELECT p.id, p.email, p.name FROM registrations r JOIN people p ON p.id = r.person_id WHERE r.id = ?`, regID).
			Scan(&personID, &oldEmail, &oldName); err != nil {
			return err
		}
		if strings.EqualFold(oldEmail, email) {
			return fabrique.Invalid("email", "c'est déjà l'adresse de votre inscription : indiquez la nouvelle")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE people SET email = ?, updated_at = ? WHERE id = ?`, email, ts(e.db.now()), personID); err != nil {
			return err
		}
		return e.db.readdress(ctx, tx, personID, oldEmail, oldName, email)
	})
	if err != nil {
		return nil, err
	}
	return &fabrique.AddressChange{Email: email,
		Message: "Votre adresse électronique est changée. Un courriel vous envoie à la nouvelle adresse votre nouveau lien personnel ; celui-ci ne fonctionne plus."}, nil
}
