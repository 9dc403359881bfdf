package fabrique

import "time"

// ActionPlan is a national action plan for open government (for example
// 2015–2017), holding commitments, actions and initiatives.
type ActionPlan struct {
	ID          int64     `json:"id"`
	Title       string    `json:"title"`
	PeriodStart string    `json:"period_start"` // YYYY-MM-DD
	PeriodEnd   string    `json:"period_end"`   // YYYY-MM-DD
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// Validate checks an action plan.
func (a *ActionPlan) Validate() error {
	var p Problems
	p.Name("title", a.Title)
	start, okStart := p.Date("period_start", a.PeriodStart, true)
	end, okEnd := p.Date("period_end", a.PeriodEnd, true)
	if okStart && okEnd && !end.After(start) {
		p.Add("period_end", "la fin de la période doit être après son début")
	}
	return p.Err()
}

// CommitmentKind distinguishes commitments, actions and initiatives.
type CommitmentKind string

// Kinds of commitments.
const (
	KindCommitment CommitmentKind = "commitment" // engagement
	KindAction     CommitmentKind = "action"     // action attached to a commitment
	KindInitiative CommitmentKind = "initiative" // initiative
)

// CommitmentKinds lists the kinds with their French labels.
var CommitmentKinds = []CommitmentKind{KindCommitment, KindAction, KindInitiative}

// Principle is one of the principles of open government a commitment serves.
type Principle string

// The four principles of the 2015–2017 plan.
const (
	PrincipleTransparency  Principle = "transparency"  // transparence et redevabilité
	PrincipleParticipation Principle = "participation" // participation citoyenne
	PrincipleCollaboration Principle = "collaboration" // collaboration
	PrincipleDigital       Principle = "digital"       // numérique et innovation
)

// Principles lists the principles.
var Principles = []Principle{PrincipleTransparency, PrincipleParticipation, PrincipleCollaboration, PrincipleDigital}

// CommitmentStatus is the state of implementation of a commitment.
type CommitmentStatus string

// Statuses of a commitment.
const (
	StatusNotStarted  CommitmentStatus = "not_started"
	StatusInProgress  CommitmentStatus = "in_progress"
	StatusCompleted   CommitmentStatus = "completed"
	StatusAbandoned   CommitmentStatus = "abandoned"
	StatusLimited     CommitmentStatus = "limited"     // IRM completion: limited
	StatusSubstantial CommitmentStatus = "substantial" // IRM completion: substantial
)

// CommitmentStatuses lists the statuses of a commitment.
var CommitmentStatuses = []CommitmentStatus{StatusNotStarted, StatusInProgress, StatusCompleted, StatusAbandoned, StatusLimited, StatusSubstantial}

// Commitment is a commitment (engagement), an action attached to one, or an
// initiative of an action plan.
type Commitment struct {
	ID          int64            `json:"id"`
	PlanID      int64            `json:"plan_id"`
	Number      string           `json:"number"` // "12", or "12.3" for an action
	Title       string           `json:"title"`
	Kind        CommitmentKind   `json:"kind"`
	ParentID    *int64           `json:"parent_id"` // the commitment of an action
	CarrierIDs  []int64          `json:"carrier_ids"`
	Principles  []Principle      `json:"principles"`
	Status      CommitmentStatus `json:"status"`
	Description string           `json:"description"`
	CreatedAt   time.Time        `json:"created_at"`
	UpdatedAt   time.Time        `json:"updated_at"`
}

// Validate checks a commitment on its own; the store checks the references.
func (c *Commitment) Validate() error {
	var p Problems
	if c.PlanID <= 0 {
		p.Add("plan_id", "le plan d'action est obligatoire")
	}
	p.Name("number", c.Number)
	p.Name("title", c.Title)
	OneOf(&p, "kind", c.Kind, CommitmentKinds, true)
	OneOf(&p, "status", c.Status, CommitmentStatuses, true)
	p.Ref("parent_id", c.ParentID)
	if c.Kind == KindAction && c.ParentID == nil {
		p.Add("parent_id", "une action doit être rattachée à un engagement")
	}
	if c.Kind == KindCommitment && c.ParentID != nil {
		p.Add("parent_id", "un engagement ne peut pas être rattaché à un autre engagement")
	}
	if c.ParentID != nil && c.ID != 0 && *c.ParentID == c.ID {
		p.Add("parent_id", "un engagement ne peut pas être son propre parent")
	}
	p.Refs("carrier_ids", c.CarrierIDs, 20)
	seen := map[Principle]bool{}
	for _, pr := range c.Principles {
		OneOf(&p, "principles", pr, Principles, true)
		if seen[pr] {
			p.Add("principles", "le principe « %s » est en double", pr)
		}
		seen[pr] = true
	}
	p.Text("description", c.Description)
	return p.Err()
}
