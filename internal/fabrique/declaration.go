package fabrique

import (
	"context"
	"strconv"
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
	// MsgDeclarationSubmitted tells the DITP's administrators a declaration
	// awaits their review (submitted, or submitted again after changes).
	MsgDeclarationSubmitted = "declaration_submitted"
)

// DeclaredWorkshop is a workshop as the declarer proposes it: the event is
// created with it (title, commitments, room, facilitators), and the
// facilitators named are kept by the automatic assignment.
type DeclaredWorkshop struct {
	Title          string  `json:"title"`
	CommitmentIDs  []int64 `json:"commitment_ids"`
	RoomID         *int64  `json:"room_id"`
	FacilitatorIDs []int64 `json:"facilitator_ids"`
}

// DeclarationSnapshot is what a declaration says, in words, at one moment:
// kept at each submission, so that the reviewer sees what changed since.
type DeclarationSnapshot struct {
	Title     string             `json:"title"`
	Theme     string             `json:"theme"`
	When      string             `json:"when"`
	Venue     string             `json:"venue"`
	Online    string             `json:"online"`
	Parent    string             `json:"parent"` // the programme a relay workshop joins
	Capacity  int                `json:"capacity"`
	Rooms     []string           `json:"rooms"` // rooms offered
	Workshops []SnapshotWorkshop `json:"workshops"`
	Notes     string             `json:"notes"`
}

// SnapshotWorkshop is a workshop of a snapshot.
type SnapshotWorkshop struct {
	Number       int      `json:"number"`
	Title        string   `json:"title"`
	When         string   `json:"when"`
	Room         string   `json:"room"`
	Commitments  []string `json:"commitments"`
	Facilitators []string `json:"facilitators"`
}

// Diff says in French what changed from old to s, one line per field.
func (s *DeclarationSnapshot) Diff(old *DeclarationSnapshot) []string {
	if old == nil || s == nil {
		return nil
	}
	var out []string
	change := func(label, a, b string) {
		if a == b {
			return
		}
		switch {
		case a == "":
			out = append(out, label+" : « "+b+" » (ajouté)")
		case b == "":
			out = append(out, label+" : « "+a+" » retiré")
		default:
			out = append(out, label+" : « "+a+" » devient « "+b+" »")
		}
	}
	list := func(v []string) string { return strings.Join(v, " ; ") }
	change("Titre", old.Title, s.Title)
	change("Thème", old.Theme, s.Theme)
	change("Date et horaires", old.When, s.When)
	change("Lieu", old.Venue, s.Venue)
	change("Lien de visioconférence", old.Online, s.Online)
	change("Programme de rattachement", old.Parent, s.Parent)
	if old.Capacity != s.Capacity {
		out = append(out, "Places : "+strconv.Itoa(old.Capacity)+" devient "+strconv.Itoa(s.Capacity))
	}
	change("Salles mises à disposition", list(old.Rooms), list(s.Rooms))
	before := map[int]SnapshotWorkshop{}
	for _, w := range old.Workshops {
		before[w.Number] = w
	}
	now := map[int]bool{}
	for _, w := range s.Workshops {
		now[w.Number] = true
		o, ok := before[w.Number]
		label := "Atelier " + strconv.Itoa(w.Number)
		if !ok {
			out = append(out, label+" ajouté : « "+w.Title+" »")
			continue
		}
		change(label+", titre", o.Title, w.Title)
		change(label+", horaire", o.When, w.When)
		change(label+", salle", o.Room, w.Room)
		change(label+", engagements", list(o.Commitments), list(w.Commitments))
		change(label+", animateurs", list(o.Facilitators), list(w.Facilitators))
	}
	for _, w := range old.Workshops {
		if !now[w.Number] {
			out = append(out, "Atelier "+strconv.Itoa(w.Number)+" retiré : « "+w.Title+" »")
		}
	}
	change("Message à la DITP", old.Notes, s.Notes)
	return out
}

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
	// Workshops are the declared workshops (when declaring; then they are
	// the event's, read in Current).
	Workshops []DeclaredWorkshop `json:"workshops,omitempty"`
	// Current is what the declaration says now (read only), and Changes
	// what changed since the submission DITP reviewed (after « ask for
	// changes »), or, while changes are asked, since the last submission.
	Current *DeclarationSnapshot `json:"current,omitempty"`
	Changes []string             `json:"changes,omitempty"`
	// Submitted and Previous are the snapshots of the last two submissions (JSON).
	Submitted string `json:"-"`
	Previous  string `json:"-"`
}

// Validate checks what the declarer gives besides the event itself.
func (d *Declaration) Validate() error {
	var p Problems
	OneOf(&p, "kind", d.Kind, []EventKind{EventOpenMinistry, EventRelayWorkshop}, true)
	p.Refs("commitment_ids", d.CommitmentIDs, 20)
	p.Refs("facilitator_ids", d.FacilitatorIDs, 30)
	p.Refs("room_ids", d.RoomIDs, 30)
	p.Text("notes", d.Notes)
	if len(d.Workshops) > 10 {
		p.Add("workshops", "au plus 10 ateliers")
	}
	for i, w := range d.Workshops {
		f := "workshops[" + strconv.Itoa(i) + "]."
		p.Name(f+"title", w.Title)
		p.Refs(f+"commitment_ids", w.CommitmentIDs, 5)
		p.Ref(f+"room_id", w.RoomID)
		p.Refs(f+"facilitator_ids", w.FacilitatorIDs, 3)
	}
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
