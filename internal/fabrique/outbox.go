package fabrique

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// OutboxState is where a message of the outbox stands.
type OutboxState string

// States of an outbox message.
//
// held → pending (staff release) → claimed (a worker holds a lease) →
// sending (the SMTP transaction is about to start) → sent | pending (a
// temporary failure, retried later) | failed. A message found "sending"
// when a worker starts again, or whose lease ran out while sending, may or
// may not have reached the server: it becomes "doubt" and is never sent
// again on its own (at most once); staff may retry it.
const (
	OutboxHeld    OutboxState = "held"
	OutboxPending OutboxState = "pending"
	OutboxClaimed OutboxState = "claimed"
	OutboxSending OutboxState = "sending"
	OutboxSent    OutboxState = "sent"
	OutboxFailed  OutboxState = "failed"
	OutboxDoubt   OutboxState = "doubt"
)

// OutboxStates lists the states.
var OutboxStates = []OutboxState{OutboxHeld, OutboxPending, OutboxClaimed, OutboxSending, OutboxSent, OutboxFailed, OutboxDoubt}

// Kinds of messages.
const (
	MsgInvitation   = "invitation"   // REQUEST: registered (or allocated)
	MsgPromoted     = "promoted"     // REQUEST: a seat freed up for someone waiting
	MsgUpdate       = "update"       // REQUEST: time, place or workshop changed
	MsgCancellation = "cancellation" // CANCEL: the participant cancelled, or was moved out
	MsgEventCancel  = "event_cancelled"
	MsgWaiting      = "waiting"    // no calendar: on the waiting list
	MsgReminder     = "reminder"   // no calendar: the same email registered again
	MsgWithdrawn    = "withdrawn"  // no calendar: a waiting or pending registration cancelled
	MsgPending      = "pending"    // no calendar: ranked choices received, allocation to come
	MsgEventSoon    = "event_soon" // no calendar: the reminder a few days before the event
	// MsgMinutesPublished tells the participants the minutes are published (no calendar).
	MsgMinutesPublished = "minutes_published"
	// MsgAddressChanged goes to a participant's new address with their new
	// link; MsgAddressLeft tells the old address, without link.
	MsgAddressChanged = "address_changed"
	MsgAddressLeft    = "address_left"
	// MsgErased is the CANCEL of a calendar item still held by a person
	// whose data were erased: it carries no link (there is none left).
	MsgErased = "erased"
)

// KindCarriesLink reports whether messages of a kind carry the
// participant's private link.
func KindCarriesLink(kind string) bool {
	switch kind {
	case MsgAddressLeft, MsgErased, "declaration_accepted", "declaration_changes_requested", "declaration_submitted", MsgCommentConfirm:
		return false
	}
	return true
}

// Methods of messages: the iTIP method, or NOTICE for a message without calendar.
const (
	MethodRequest = "REQUEST"
	MethodCancel  = "CANCEL"
	MethodNotice  = "NOTICE"
)

// ProgrammeLine is one line of a programme in a message.
type ProgrammeLine struct {
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
	Title string    `json:"title"`
	Room  string    `json:"room,omitempty"`
}

// MessageWorkshop is the workshop of a participant, in a message.
type MessageWorkshop struct {
	Number      int      `json:"number"`
	Title       string   `json:"title"`
	Room        string   `json:"room"`
	Commitments []string `json:"commitments"`
}

// MessagePayload is the snapshot, taken when the message is queued, of what
// a message tells: the worker renders it without reading anything else.
type MessagePayload struct {
	EventTitle      string           `json:"event_title"`
	Summary         string           `json:"summary"` // the calendar item's title
	Start           time.Time        `json:"start"`
	End             time.Time        `json:"end"`
	Location        string           `json:"location"`
	Venue           string           `json:"venue"`
	Address         string           `json:"address"`
	OnlineURL       string           `json:"online_url"`
	Programme       []ProgrammeLine  `json:"programme"`
	Workshop        *MessageWorkshop `json:"workshop"`
	WaitingPosition int              `json:"waiting_position"`
	WaitingFor      string           `json:"waiting_for"` // the workshop waited for
	Choices         []string         `json:"choices"`     // ranked choices, for a pending registration
	// Changes say, in French, what changed since the last message, for an
	// update (« L'horaire passe de 17 h 30 à 18 h 00. »).
	Changes []string `json:"changes,omitempty"`
	// Commitment is the change of status a MsgStatusChanged tells.
	Commitment *MessageCommitment `json:"commitment,omitempty"`
	// Comment is the comment a MsgCommentConfirm asks to confirm.
	Comment *MessageComment `json:"comment,omitempty"`
}

// OutboxMessage is one email to send, recorded with the change causing it.
type OutboxMessage struct {
	ID             int64          `json:"id"`
	EventID        int64          `json:"event_id"` // 0 for a message of no event (the confirmation of a comment)
	RegistrationID *int64         `json:"registration_id"`
	Recipient      string         `json:"recipient"`
	RecipientName  string         `json:"recipient_name"`
	ItemUID        string         `json:"item_uid"`
	Sequence       int            `json:"sequence"`
	Method         string         `json:"method"`
	Kind           string         `json:"kind"`
	State          OutboxState    `json:"state"`
	Batch          string         `json:"batch"`
	Attempts       int            `json:"attempts"`
	NextAttemptAt  time.Time      `json:"next_attempt_at"`
	LastError      string         `json:"last_error"`
	SMTPReply      string         `json:"smtp_reply"`
	Payload        MessagePayload `json:"payload"`
	CreatedAt      time.Time      `json:"created_at"`
	UpdatedAt      time.Time      `json:"updated_at"`
	SentAt         *time.Time     `json:"sent_at"`
	// LinkToken is the participant's private token for the link of the
	// message, kept only until the message is sent ("" afterwards).
	LinkToken string `json:"-"`
	// ActionToken is the derived token of the message's own link (the
	// unsubscribe link of a MsgStatusChanged, the confirmation link of a
	// MsgCommentConfirm), filled when it is sent.
	ActionToken string `json:"-"`
}

// OutboxProgress counts the messages of an event (or of one batch) by state.
type OutboxProgress struct {
	EventID int64          `json:"event_id"`
	Batch   string         `json:"batch,omitempty"`
	Total   int            `json:"total"`
	Counts  map[string]int `json:"counts"`
	Done    bool           `json:"done"` // nothing left held, pending, claimed or sending
}

// Release is the answer to releasing an event's held messages.
type Release struct {
	EventID  int64  `json:"event_id"`
	Batch    string `json:"batch"`
	Released int    `json:"released"`
}

// OutboxService lets staff watch and steer the outbox. Administrators see
// everything; organisers the messages of their organisation's events.
type OutboxService interface {
	// ListOutbox lists messages, newest first; filters: state, event_id, batch, kind.
	ListOutbox(ctx context.Context, opt ListOptions) (*Page[OutboxMessage], error)
	// OutboxMessage reads one message.
	OutboxMessage(ctx context.Context, id int64) (*OutboxMessage, error)
	// RetryMessage sends a failed (or doubtful) message again.
	RetryMessage(ctx context.Context, id int64) (*OutboxMessage, error)
	// ReleaseHeld lets the held messages of an event go, as one batch.
	ReleaseHeld(ctx context.Context, eventID int64) (*Release, error)
	// OutboxProgress counts an event's messages by state, for one batch when batch is set.
	OutboxProgress(ctx context.Context, eventID int64, batch string) (*OutboxProgress, error)
}

// Description is the text of a calendar item for a participant: their
// workshop, its room and commitments, then the programme.
func (p *MessagePayload) Description() string {
	var b strings.Builder
	if len(p.Changes) > 0 {
		b.WriteString("Ce qui change :\n")
		for _, c := range p.Changes {
			b.WriteString("– " + c + "\n")
		}
		b.WriteString("\n")
	}
	if w := p.Workshop; w != nil {
		fmt.Fprintf(&b, "Votre atelier : n° %d « %s »", w.Number, w.Title)
		if w.Room != "" {
			fmt.Fprintf(&b, ", salle : %s", w.Room)
		}
		b.WriteString(".\n")
		if len(w.Commitments) > 0 {
			fmt.Fprintf(&b, "Engagements travaillés : %s.\n", strings.Join(w.Commitments, " ; "))
		}
	}
	if len(p.Programme) > 0 {
		b.WriteString("\nProgramme :\n")
		for _, l := range p.Programme {
			fmt.Fprintf(&b, "%s – %s : %s", FrenchTime(l.Start), FrenchTime(l.End), l.Title)
			if l.Room != "" {
				fmt.Fprintf(&b, " (%s)", l.Room)
			}
			b.WriteString("\n")
		}
	}
	return strings.TrimSpace(b.String())
}

// OutboxOutcome is what became of a message a worker tried to send.
type OutboxOutcome struct {
	ID      int64
	State   OutboxState // OutboxSent, OutboxPending (a retry at RetryAt) or OutboxFailed
	Reply   string      // the SMTP answer, when there was one
	Error   string      // what went wrong, for staff
	RetryAt time.Time
}
