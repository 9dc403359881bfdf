package fabrique

import (
	"context"
	"strings"
	"time"
)

// DeclarationState is where a declaration stands in DITP's review.
type DeclarationState string

// States of a declaration: submitted → accepted, or changes requested →
// submitted again by the declarer.
const (
	DeclarationSubmitted        DeclarationState = "submitted"
	DeclarationChangesRequested DeclarationState = "changes_requested"
	DeclarationAccepted         DeclarationState = "accepted"
)

// DeclarationStates lists the states.
var DeclarationStates = []DeclarationState{DeclarationSubmitted, DeclarationChangesRequested, DeclarationAccepted}

// Messages of the outbox telling a declarer DITP's decision (no calendar).
const (
	MsgDeclarationAccepted = "declaration_accepted"
	MsgDeclarationChanges  = "declaration_changes_requested"
)

// Declaration is an event declared to DITP by a ministry correspondent (a
// Ministère ouvert session) or by a third party (a relay workshop): a draft
// event that may be published only once DITP has accepted it.
type Declaration struct {
	EventID        int64            `json:"event_id"`
	Kind           EventKind        `json:"kind"`
	State          DeclarationState `json:"state"`
	OrganisationID int64            `json:"organisation_id"`
	DeclaredBy     int64            `json:"declared_by"` // the account that declared
	DeclarerName   string           `json:"declarer_name"`
	DeclarerEmail  string           `json:"declarer_email"`
	CommitmentIDs  []int64          `json:"commitment_ids"`  // commitments to present
	FacilitatorIDs []int64          `json:"facilitator_ids"` // proposed facilitators
	RoomIDs        []int64          `json:"room_ids"`        // rooms offered at the venue
	Notes          string           `json:"notes"`           // the declarer's message to DITP
	Comment        string           `json:"comment"`         // DITP's last comment
	Decisions      int              `json:"decisions"`       // how many decisions were told
	DecidedAt      *time.Time       `json:"decided_at"`
	CreatedAt      time.Time        `json:"created_at"`
	UpdatedAt      time.Time        `json:"updated_at"`
	// Event is the declared event, as stored (read only).
	Event *Event `json:"event,omitempty"`
}

// Validate checks what the declarer gives besides the event itself.
func (d *Declaration) Validate() error {
	var p Problems
	OneOf(&p, "kind", d.Kind, []EventKind{EventOpenMinistry, EventRelayWorkshop}, true)
	p.Refs("commitment_ids", d.CommitmentIDs, 20)
	p.Refs("facilitator_ids", d.FacilitatorIDs, 30)
	p.Refs("room_ids", d.RoomIDs, 30)
	p.Text("notes", d.Notes)
	return p.Err()
}

// ValidateComment checks DITP's comment: required when changes are asked.
func ValidateComment(comment string, required bool) error {
	var p Problems
	p.text("comment", comment, required, MaxText, true)
	if required && !p.Has("comment") && len([]rune(strings.TrimSpace(comment))) < 10 {
		p.Add("comment", "dites en une phrase au moins (10 caractères) ce qui doit changer")
	}
	return p.Err()
}

// DeclarationService records declarations and DITP's review. Organisers
// declare for their organisation: a ministry or an administration
// declares a Ministère ouvert, an association, a local authority or a
// university (research) a relay workshop. Administrators review.
type DeclarationService interface {
	// Declare writes the plan's event (a draft) and the declaration, in one transaction.
	Declare(ctx context.Context, d *Declaration, plan *Plan) error
	// Declarations lists the declarations visible to the user, those to review first.
	Declarations(ctx context.Context) ([]*Declaration, error)
	// Declaration reads the declaration of an event.
	Declaration(ctx context.Context, eventID int64) (*Declaration, error)
	// Accept accepts a declaration (administrators) and queues the message to the declarer.
	Accept(ctx context.Context, eventID int64, comment string) (*Declaration, error)
	// RequestChanges asks the declarer for changes (administrators) and queues the message.
	RequestChanges(ctx context.Context, eventID int64, comment string) (*Declaration, error)
	// Resubmit submits a declaration again after changes (its declarer's organisation).
	Resubmit(ctx context.Context, eventID int64, notes string) (*Declaration, error)
}
