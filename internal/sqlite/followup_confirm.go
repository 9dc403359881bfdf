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

// The confirmation of a public comment (issue 17): the email its author
// gives receives a link c_<comment>.<HMAC-SHA256 under link_keys.key>,
// derived when the message is rendered and never stored. Until it is
// followed, the comment (state pending, confirmed_at NULL) is neither
// shown to the moderators nor published; never confirmed, it is deleted
// after fabrique.CommentConfirmDays (purgeCommentEmails).

var errBadConfirmation = &fabrique.Error{Code: fabrique.ENOTFOUND, Message: "Ce lien de confirmation est inconnu, ou le commentaire n'attendait plus sa confirmation (il est effacé sans confirmation au bout de 7 jours). Vérifiez que le lien est complet."}

// confirmToken is the confirmation link of a comment.
func confirmToken(key []byte, commentID int64) string {
	id := strconv.FormatInt(commentID, 10)
	return "c_" + id + "." + derivedMAC(key, "fabrique-comment:"+id)
}

// parseConfirmToken reads a confirmation link; ok is false for anything else.
func parseConfirmToken(key []byte, token string) (int64, bool) {
	rest, found := strings.CutPrefix(token, "c_")
	id, _, _ := strings.Cut(rest, ".")
	n, err := strconv.ParseInt(id, 10, 64)
	if !found || err != nil || n <= 0 || len(token) > 100 {
		return 0, false
	}
	return n, hmac.Equal([]byte(token), []byte(confirmToken(key, n)))
}

// queueCommentConfirmation queues, in the comment's transaction, the
// message asking its author to confirm it: of no event, so that only
// administrators see it in the outbox.
func (db *DB) queueCommentConfirmation(ctx context.Context, tx *sql.Tx, c *fabrique.Comment, email string, moderated bool) error {
	mc := &fabrique.MessageComment{CommentID: c.ID, Text: c.Text, Moderated: moderated}
	var planTitle string
	if err := tx.QueryRowContext(ctx, `SELECT c.plan_id, c.number, c.title, p.title FROM commitments c JOIN action_plans p ON p.id = c.plan_id WHERE c.id = ?`, c.CommitmentID).
		Scan(&mc.PlanID, &mc.Number, &mc.Title, &planTitle); err != nil {
		return err
	}
	var instance string
	if err := tx.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'instance_id'`).Scan(&instance); err != nil {
		return err
	}
	body, err := json.Marshal(&fabrique.MessagePayload{EventTitle: planTitle, Summary: "Engagement n° " + mc.Number + " : " + mc.Title,
		Start: c.CreatedAt, End: c.CreatedAt, Comment: mc})
	if err != nil {
		return err
	}
	now := tsMicro(db.now())
	_, err = tx.ExecContext(ctx, `INSERT INTO outbox (event_id, registration_id, recipient, recipient_name, item_uid, sequence, method, kind,
		payload, link_version, state, batch, next_attempt_at, created_at, updated_at) VALUES (NULL, NULL, ?, ?, ?, 0, ?, ?, ?, 0, 'pending', '', ?, ?, ?)`,
		email, c.Author, "comment-"+strconv.FormatInt(c.ID, 10)+"@"+instance, fabrique.MethodNotice, fabrique.MsgCommentConfirm, string(body), now, now, now)
	return err
}

// commentToConfirm reads the comment of a confirmation link, with its
// commitment and the plan's moderation.
func (db *DB) commentToConfirm(ctx context.Context, tx *sql.Tx, link string) (*fabrique.CommentConfirmation, error) {
	key, err := db.links.get(ctx, tx)
	if err != nil {
		return nil, err
	}
	id, ok := parseConfirmToken(key, link)
	if !ok {
		return nil, errBadConfirmation
	}
	c, err := getComment(ctx, tx, id)
	if fabrique.ErrorCode(err) == fabrique.ENOTFOUND {
		return nil, errBadConfirmation
	} else if err != nil {
		return nil, err
	}
	out := &fabrique.CommentConfirmation{Comment: c}
	err = tx.QueryRowContext(ctx, `SELECT c.plan_id, c.number, c.title, COALESCE(f.moderation, 'before') FROM commitments c LEFT JOIN plan_followup f ON f.plan_id = c.plan_id WHERE c.id = ?`,
		c.CommitmentID).Scan(&out.PlanID, &out.Number, &out.Title, &out.Moderation)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errBadConfirmation
	}
	return out, err
}

// CommentToConfirm implements fabrique.SubscriptionService.
func (f *FollowUpService) CommentToConfirm(ctx context.Context, link string) (*fabrique.CommentConfirmation, error) {
	var out *fabrique.CommentConfirmation
	err := f.s.db.inReadTx(ctx, func(tx *sql.Tx) (err error) {
		out, err = f.s.db.commentToConfirm(ctx, tx, link)
		return err
	})
	return out, err
}

// ConfirmComment implements fabrique.SubscriptionService: once confirmed,
// the comment awaits moderation, or is published at once when the plan
// does not moderate. A link followed twice changes nothing more.
func (f *FollowUpService) ConfirmComment(ctx context.Context, link string) (*fabrique.CommentConfirmation, error) {
	var out *fabrique.CommentConfirmation
	err := f.s.db.inTx(ctx, func(tx *sql.Tx) (err error) {
		if out, err = f.s.db.commentToConfirm(ctx, tx, link); err != nil || out.Comment.Confirmed {
			return err
		}
		c := out.Comment
		now := f.s.db.now()
		c.Confirmed = true
		if out.Moderation == fabrique.ModerationNone && c.State == fabrique.CommentPending {
			t := now.In(fabrique.Paris)
			c.State, c.PublishedAt = fabrique.CommentPublished, &t
			_, err = tx.ExecContext(ctx, `UPDATE comments SET confirmed_at = ?, state = 'published', published_at = ? WHERE id = ?`, ts(now), ts(now), c.ID)
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE comments SET confirmed_at = ? WHERE id = ?`, ts(now), c.ID)
		return err
	})
	return out, err
}
