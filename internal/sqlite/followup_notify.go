package sqlite

import (
	"context"
	"crypto/hmac"
	"database/sql"
	"encoding/json"
	"errors"
	"strconv"
	"strings"

	"fabrique/internal/fabrique"
)

// The notifications of status changes (issue 17). A subscription is a row
// of status_subscriptions (migration 0013) keyed by commitment and person.
// Its unsubscribe link is derived like the private links (links.go):
// d_<commitment>.<person>.<HMAC-SHA256 of both under link_keys.key>; the
// table keeps only its SHA-256, and the outbox only the two ids, from
// which the worker derives the link when it renders the message.

var errBadUnsubscribe = &fabrique.Error{Code: fabrique.ENOTFOUND, Message: "Ce lien de désabonnement est inconnu. Vérifiez qu'il est complet (copiez-le en entier depuis le courriel reçu)."}

// unsubscribeToken is the unsubscribe link of a person's subscription to a commitment.
func unsubscribeToken(key []byte, commitmentID, personID int64) string {
	ids := strconv.FormatInt(commitmentID, 10) + "." + strconv.FormatInt(personID, 10)
	return "d_" + ids + "." + derivedMAC(key, "fabrique-unsubscribe:"+ids)
}

// parseUnsubscribeToken reads an unsubscribe link; ok is false for anything else.
func parseUnsubscribeToken(key []byte, token string) (commitmentID, personID int64, ok bool) {
	rest, found := strings.CutPrefix(token, "d_")
	parts := strings.Split(rest, ".")
	if !found || len(parts) != 3 || len(token) > 100 {
		return 0, 0, false
	}
	c, err1 := strconv.ParseInt(parts[0], 10, 64)
	p, err2 := strconv.ParseInt(parts[1], 10, 64)
	if err1 != nil || err2 != nil || c <= 0 || p <= 0 {
		return 0, 0, false
	}
	return c, p, hmac.Equal([]byte(token), []byte(unsubscribeToken(key, c, p)))
}

// followable lists the commitments of the workshop of a registration, when
// it is registered, attended or on the workshop's waiting list (the person
// chose the workshop); subscribed says which the person follows.
func followable(ctx context.Context, q queryer, regID int64) (personID int64, out []*fabrique.FollowedCommitment, err error) {
	out = []*fabrique.FollowedCommitment{}
	var status string
	var workshop sql.NullInt64
	if err := q.QueryRowContext(ctx, `SELECT person_id, status, workshop_id FROM registrations WHERE id = ?`, regID).Scan(&personID, &status, &workshop); err != nil {
		return 0, nil, err
	}
	switch fabrique.RegistrationStatus(status) {
	case fabrique.RegRegistered, fabrique.RegAttended, fabrique.RegWaiting:
	default:
		return personID, out, nil
	}
	if !workshop.Valid {
		return personID, out, nil
	}
	err = each(ctx, q, `SELECT c.id, c.plan_id, c.number, c.title, c.status,
			EXISTS (SELECT 1 FROM status_subscriptions s WHERE s.commitment_id = c.id AND s.person_id = ?)
		FROM workshop_commitments wc JOIN commitments c ON c.id = wc.commitment_id
		WHERE wc.workshop_id = ? ORDER BY c.plan_id, CAST(c.number AS REAL), c.number`, []any{personID, workshop.Int64},
		func(rows *sql.Rows) error {
			f := &fabrique.FollowedCommitment{}
			if err := rows.Scan(&f.CommitmentID, &f.PlanID, &f.Number, &f.Title, &f.Status, &f.Subscribed); err != nil {
				return err
			}
			out = append(out, f)
			return nil
		})
	return personID, out, err
}

// Followed implements fabrique.SubscriptionService.
func (f *FollowUpService) Followed(ctx context.Context, token string) ([]*fabrique.FollowedCommitment, error) {
	var out []*fabrique.FollowedCommitment
	err := f.s.db.inReadTx(ctx, func(tx *sql.Tx) error {
		regID, err := f.s.db.registrationOfLink(ctx, tx, token)
		if err != nil {
			return err
		}
		_, out, err = followable(ctx, tx, regID)
		return err
	})
	return out, err
}

// Follow implements fabrique.SubscriptionService.
func (f *FollowUpService) Follow(ctx context.Context, token string, in *fabrique.SubscriptionInput) ([]*fabrique.FollowedCommitment, error) {
	if in.CommitmentID <= 0 {
		return nil, fabrique.Invalid("commitment_id", "l'engagement est obligatoire")
	}
	var out []*fabrique.FollowedCommitment
	err := f.s.db.inTx(ctx, func(tx *sql.Tx) error {
		regID, err := f.s.db.registrationOfLink(ctx, tx, token)
		if err != nil {
			return err
		}
		person, list, err := followable(ctx, tx, regID)
		if err != nil {
			return err
		}
		var found *fabrique.FollowedCommitment
		for _, c := range list {
			if c.CommitmentID == in.CommitmentID {
				found = c
			}
		}
		if found == nil {
			return fabrique.Invalid("commitment_id", "l'engagement n° %d n'est pas un engagement de votre atelier", in.CommitmentID)
		}
		if in.Subscribed {
			key, err := f.s.db.links.get(ctx, tx)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO status_subscriptions (commitment_id, person_id, token_hash, created_at) VALUES (?, ?, ?, ?)
				ON CONFLICT (commitment_id, person_id) DO NOTHING`, in.CommitmentID, person, hashToken(unsubscribeToken(key, in.CommitmentID, person)), ts(f.s.db.now())); err != nil {
				return err
			}
		} else if err := endSubscription(ctx, tx, in.CommitmentID, person); err != nil {
			return err
		}
		found.Subscribed = in.Subscribed
		out = list
		return nil
	})
	return out, err
}

// endSubscription deletes a subscription and the notices of it not yet sent.
func endSubscription(ctx context.Context, tx *sql.Tx, commitmentID, personID int64) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM status_subscriptions WHERE commitment_id = ? AND person_id = ?`, commitmentID, personID); err != nil {
		return err
	}
	_, err := deleteMessages(ctx, tx, `kind = '`+fabrique.MsgStatusChanged+`' AND state IN ('pending', 'held')
		AND json_extract(payload, '$.commitment.commitment_id') = ? AND json_extract(payload, '$.commitment.person_id') = `+strconv.FormatInt(personID, 10), commitmentID)
	return err
}

// unsubscription reads the commitment of an unsubscribe link.
func (db *DB) unsubscription(ctx context.Context, tx *sql.Tx, link string) (*fabrique.FollowedCommitment, int64, error) {
	key, err := db.links.get(ctx, tx)
	if err != nil {
		return nil, 0, err
	}
	commitment, person, ok := parseUnsubscribeToken(key, link)
	if !ok {
		return nil, 0, errBadUnsubscribe
	}
	c := &fabrique.FollowedCommitment{CommitmentID: commitment}
	err = tx.QueryRowContext(ctx, `SELECT plan_id, number, title, status, EXISTS (SELECT 1 FROM status_subscriptions WHERE token_hash = ?) FROM commitments WHERE id = ?`,
		hashToken(link), commitment).Scan(&c.PlanID, &c.Number, &c.Title, &c.Status, &c.Subscribed)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, 0, errBadUnsubscribe
	}
	return c, person, err
}

// Unsubscription implements fabrique.SubscriptionService.
func (f *FollowUpService) Unsubscription(ctx context.Context, link string) (*fabrique.FollowedCommitment, error) {
	var c *fabrique.FollowedCommitment
	err := f.s.db.inReadTx(ctx, func(tx *sql.Tx) (err error) {
		c, _, err = f.s.db.unsubscription(ctx, tx, link)
		return err
	})
	return c, err
}

// Unsubscribe implements fabrique.SubscriptionService.
func (f *FollowUpService) Unsubscribe(ctx context.Context, link string) (*fabrique.FollowedCommitment, error) {
	var c *fabrique.FollowedCommitment
	err := f.s.db.inTx(ctx, func(tx *sql.Tx) error {
		var person int64
		var err error
		if c, person, err = f.s.db.unsubscription(ctx, tx, link); err != nil {
			return err
		}
		c.Subscribed = false
		return endSubscription(ctx, tx, c.CommitmentID, person)
	})
	return c, err
}

// notifyStatusChange queues, in the transaction of the change, one notice
// to each person following the commitment, through their latest live
// registration (preferably to a workshop on the commitment): the message
// carries its private link, and the worker derives the unsubscribe link.
func (db *DB) notifyStatusChange(ctx context.Context, tx *sql.Tx, ch *fabrique.StatusChange) error {
	type subscriber struct {
		person              int64
		email, name         string
		reg, event, version int64
	}
	var subs []subscriber
	err := each(ctx, tx, `SELECT s.person_id, p.email, p.name, r.id, r.event_id, r.link_version
		FROM status_subscriptions s JOIN people p ON p.id = s.person_id
		JOIN registrations r ON r.id = (SELECT r2.id FROM registrations r2 WHERE r2.person_id = s.person_id AND r2.anonymised_at IS NULL
			ORDER BY r2.workshop_id IN (SELECT workshop_id FROM workshop_commitments WHERE commitment_id = s.commitment_id) DESC, r2.id DESC LIMIT 1)
		WHERE s.commitment_id = ? AND p.email <> '' ORDER BY s.id`, []any{ch.CommitmentID}, func(rows *sql.Rows) error {
		var s subscriber
		if err := rows.Scan(&s.person, &s.email, &s.name, &s.reg, &s.event, &s.version); err != nil {
			return err
		}
		subs = append(subs, s)
		return nil
	})
	if err != nil || len(subs) == 0 {
		return err
	}
	mc := &fabrique.MessageCommitment{CommitmentID: ch.CommitmentID, From: ch.From.CompletionLabel(), To: ch.To.CompletionLabel(),
		Justification: ch.Justification, ChangedBy: ch.ChangedBy, ChangedAt: ch.ChangedAt}
	var planTitle string
	if err := tx.QueryRowContext(ctx, `SELECT c.plan_id, c.number, c.title, p.title FROM commitments c JOIN action_plans p ON p.id = c.plan_id WHERE c.id = ?`, ch.CommitmentID).
		Scan(&mc.PlanID, &mc.Number, &mc.Title, &planTitle); err != nil {
		return err
	}
	var instance string
	if err := tx.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'instance_id'`).Scan(&instance); err != nil {
		return err
	}
	now := tsMicro(db.now())
	for _, s := range subs {
		one := *mc
		one.PersonID = s.person
		body, err := json.Marshal(&fabrique.MessagePayload{EventTitle: planTitle, Summary: "Engagement n° " + mc.Number + " : " + mc.Title,
			Start: ch.ChangedAt, End: ch.ChangedAt, Commitment: &one})
		if err != nil {
			return err
		}
		uid := "status-" + strconv.FormatInt(ch.ID, 10) + "-p" + strconv.FormatInt(s.person, 10) + "@" + instance
		if _, err := tx.ExecContext(ctx, `INSERT INTO outbox (event_id, registration_id, recipient, recipient_name, item_uid, sequence, method, kind,
			payload, link_version, state, batch, next_attempt_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?, ?, 'pending', '', ?, ?, ?)
			ON CONFLICT (recipient, item_uid, sequence, method) DO NOTHING`,
			s.event, s.reg, s.email, s.name, uid, fabrique.MethodNotice, fabrique.MsgStatusChanged, string(body), s.version, now, now, now); err != nil {
			return err
		}
	}
	return nil
}

// fillActionLinks gives the messages of status changes their unsubscribe
// link, and those of comments their confirmation link.
func fillActionLinks(key []byte, msgs map[int64]*fabrique.OutboxMessage) {
	for _, m := range msgs {
		if c := m.Payload.Commitment; m.Kind == fabrique.MsgStatusChanged && c != nil {
			m.ActionToken = unsubscribeToken(key, c.CommitmentID, c.PersonID)
		}
		if c := m.Payload.Comment; m.Kind == fabrique.MsgCommentConfirm && c != nil {
			m.ActionToken = confirmToken(key, c.CommentID)
		}
	}
}
