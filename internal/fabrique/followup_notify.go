package fabrique

import (
	"context"
	"time"
)

// Notifications of the follow-up (issue 17): a participant registered to a
// workshop on a commitment asks, from their private page, to be told when
// its status changes; each change sends one email with an unsubscribe
// link that works without signing in.

// MsgCommentConfirm asks the author of a comment to confirm it (no calendar).
const MsgCommentConfirm = "comment_confirm"

// CommentConfirmDays is how long a comment awaits its author's
// confirmation; then it is deleted, with the email.
const CommentConfirmDays = 7

// MessageComment is the comment a MsgCommentConfirm asks to confirm.
type MessageComment struct {
	CommentID int64  `json:"comment_id"` // its confirmation link is derived from it
	PlanID    int64  `json:"plan_id"`
	Number    string `json:"number"`
	Title     string `json:"title"`
	Text      string `json:"text"`
	Moderated bool   `json:"moderated"` // published after moderation, not at once
}

// CommentConfirmation is what the confirmation link of a comment leads to.
type CommentConfirmation struct {
	Comment    *Comment   `json:"comment"`
	PlanID     int64      `json:"plan_id"`
	Number     string     `json:"number"` // the commitment's number
	Title      string     `json:"title"`  // the commitment's title
	Moderation Moderation `json:"moderation"`
}

// MsgStatusChanged tells a subscriber that a commitment's status changed (no calendar).
const MsgStatusChanged = "status_changed"

// FollowedCommitment is a commitment of a participant's workshop, and
// whether they asked to be told of its status changes.
type FollowedCommitment struct {
	CommitmentID int64            `json:"commitment_id"`
	PlanID       int64            `json:"plan_id"`
	Number       string           `json:"number"`
	Title        string           `json:"title"`
	Status       CommitmentStatus `json:"status"`
	Subscribed   bool             `json:"subscribed"`
}

// SubscriptionInput asks to be told of a commitment's status changes, or
// stops asking (Subscribed false).
type SubscriptionInput struct {
	CommitmentID int64 `json:"commitment_id"`
	Subscribed   bool  `json:"subscribed"`
}

// MessageCommitment is the change of status a message tells.
type MessageCommitment struct {
	CommitmentID  int64     `json:"commitment_id"`
	PersonID      int64     `json:"person_id"` // the subscriber: their unsubscribe link is derived from both ids
	PlanID        int64     `json:"plan_id"`
	Number        string    `json:"number"`
	Title         string    `json:"title"`
	From          string    `json:"from"` // the statuses in French: « limitée »
	To            string    `json:"to"`
	Justification string    `json:"justification"`
	ChangedBy     string    `json:"changed_by"`
	ChangedAt     time.Time `json:"changed_at"`
}

// SubscriptionService lets participants follow the commitments of their
// workshop through their private link, and leave through the link of a
// notice.
type SubscriptionService interface {
	// Followed lists the commitments of the workshop of a private link.
	Followed(ctx context.Context, token string) ([]*FollowedCommitment, error)
	// Follow subscribes (or unsubscribes) the person of a private link.
	Follow(ctx context.Context, token string, in *SubscriptionInput) ([]*FollowedCommitment, error)
	// Unsubscription reads the subscription of an unsubscribe link.
	Unsubscription(ctx context.Context, link string) (*FollowedCommitment, error)
	// Unsubscribe ends the subscription of an unsubscribe link; a link
	// already used answers as if it had just been (nothing left to end).
	Unsubscribe(ctx context.Context, link string) (*FollowedCommitment, error)
	// CommentToConfirm reads the comment of a confirmation link.
	CommentToConfirm(ctx context.Context, link string) (*CommentConfirmation, error)
	// ConfirmComment confirms the comment of a link: it goes to moderation,
	// or is published at once when the plan does not moderate.
	ConfirmComment(ctx context.Context, link string) (*CommentConfirmation, error)
}
