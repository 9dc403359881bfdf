package fabrique

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// The follow-up of commitments (issue 17): the status of each commitment on
// the completion scale of the OGP Independent Reporting Mechanism, with its
// history; milestones; indicators measured over time; consultations during
// which anyone may comment a commitment; the carriers' answers.

// CompletionScale is the IRM completion scale, in order.
var CompletionScale = []CommitmentStatus{StatusNotStarted, StatusLimited, StatusSubstantial, StatusCompleted}

var completionLabels = map[CommitmentStatus]string{
	StatusNotStarted:  "non commencée",
	StatusLimited:     "limitée",
	StatusSubstantial: "substantielle",
	StatusCompleted:   "complète",
	StatusInProgress:  "en cours",
	StatusAbandoned:   "abandonnée",
}

// CompletionLabel is the status in French as the completion of the
// commitment's implementation: « substantielle ».
func (s CommitmentStatus) CompletionLabel() string {
	if l, ok := completionLabels[s]; ok {
		return l
	}
	return string(s)
}

// Step is the position of the status on the completion scale (0–3), -1 off the scale.
func (s CommitmentStatus) Step() int {
	for i, v := range CompletionScale {
		if v == s {
			return i
		}
	}
	return -1
}

// StatusInput is what a carrier sends to set a commitment's status.
type StatusInput struct {
	Status        CommitmentStatus `json:"status"`
	Justification string           `json:"justification"` // why, in French: required
	Date          string           `json:"date"`          // YYYY-MM-DD of the assessment; today when empty, never later
}

// Validate checks a status change: a status of the scale and a justification.
func (in *StatusInput) Validate() error {
	var p Problems
	OneOf(&p, "status", in.Status, CompletionScale, true)
	p.text("justification", in.Justification, true, 2000, true)
	p.Date("date", in.Date, false)
	return p.Err()
}

// StatusChange is one change of a commitment's status, kept forever.
type StatusChange struct {
	ID            int64            `json:"id"`
	CommitmentID  int64            `json:"commitment_id"`
	From          CommitmentStatus `json:"from"`
	To            CommitmentStatus `json:"to"`
	Justification string           `json:"justification"`
	ChangedBy     string           `json:"changed_by"` // the account's name, or its organisation's
	ChangedAt     time.Time        `json:"changed_at"`
}

// Milestone is a dated step of a commitment.
type Milestone struct {
	ID           int64     `json:"id"`
	CommitmentID int64     `json:"commitment_id"`
	Title        string    `json:"title"`
	Due          string    `json:"due"`     // YYYY-MM-DD
	DoneOn       string    `json:"done_on"` // YYYY-MM-DD, "" while not done
	UpdatedAt    time.Time `json:"updated_at"`
}

// Validate checks a milestone.
func (m *Milestone) Validate() error {
	var p Problems
	p.Name("title", m.Title)
	p.Date("due", m.Due, true)
	p.Date("done_on", m.DoneOn, false)
	return p.Err()
}

// Done reports whether the milestone is reached.
func (m *Milestone) Done() bool { return m.DoneOn != "" }

// Late reports whether the milestone is not reached after its due date
// (today is YYYY-MM-DD in Paris).
func (m *Milestone) Late(today string) bool { return !m.Done() && m.Due < today }

// Indicator measures a commitment over time.
type Indicator struct {
	ID           int64          `json:"id"`
	CommitmentID int64          `json:"commitment_id"`
	Name         string         `json:"name"` // what is measured
	Unit         string         `json:"unit"`
	Target       *float64       `json:"target"`
	Measurements []*Measurement `json:"measurements"` // oldest first
}

// Validate checks an indicator.
func (i *Indicator) Validate() error {
	var p Problems
	p.Name("name", i.Name)
	p.text("unit", i.Unit, true, 50, false)
	return p.Err()
}

// Latest returns the last measurement, nil when none.
func (i *Indicator) Latest() *Measurement {
	if len(i.Measurements) == 0 {
		return nil
	}
	return i.Measurements[len(i.Measurements)-1]
}

// Measurement is one value of an indicator on a date, with its source.
type Measurement struct {
	ID          int64   `json:"id"`
	IndicatorID int64   `json:"indicator_id"`
	Value       float64 `json:"value"`
	MeasuredOn  string  `json:"measured_on"` // YYYY-MM-DD
	Source      string  `json:"source"`
}

// Validate checks a measurement.
func (m *Measurement) Validate() error {
	var p Problems
	p.Date("measured_on", m.MeasuredOn, true)
	p.text("source", m.Source, true, MaxShort, false)
	if m.Value != m.Value || m.Value > 1e15 || m.Value < -1e15 {
		p.Add("value", "une valeur numérique est attendue")
	}
	return p.Err()
}

// Moderation says when the comments of a plan's consultations are published.
type Moderation string

// Moderation modes.
const (
	ModerationBefore Moderation = "before" // published after staff approve them
	ModerationNone   Moderation = "none"   // published at once
)

// Moderations lists the modes.
var Moderations = []Moderation{ModerationBefore, ModerationNone}

// Consultation is a window of dates during which anyone may comment the
// commitments of a plan.
type Consultation struct {
	ID         int64      `json:"id"`
	PlanID     int64      `json:"plan_id"`
	Title      string     `json:"title"`
	Opens      string     `json:"opens"`  // YYYY-MM-DD, first day (Paris)
	Closes     string     `json:"closes"` // YYYY-MM-DD, last day included
	Moderation Moderation `json:"moderation"`
	CreatedAt  time.Time  `json:"created_at"`
}

// Validate checks a consultation.
func (c *Consultation) Validate() error {
	var p Problems
	p.Name("title", c.Title)
	o, okO := p.Date("opens", c.Opens, true)
	e, okE := p.Date("closes", c.Closes, true)
	if okO && okE && e.Before(o) {
		p.Add("closes", "le dernier jour doit être le premier jour ou après")
	}
	if okO && okE && e.Sub(o) > 366*24*time.Hour {
		p.Add("closes", "une consultation dure au plus un an")
	}
	OneOf(&p, "moderation", c.Moderation, Moderations, true)
	return p.Err()
}

// OpenOn reports whether the consultation is open on day (YYYY-MM-DD, Paris).
func (c *Consultation) OpenOn(day string) bool { return c.Opens <= day && day <= c.Closes }

// CommentState is the moderation state of a comment.
type CommentState string

// States of a comment.
const (
	CommentPending   CommentState = "pending"
	CommentPublished CommentState = "published"
	CommentRejected  CommentState = "rejected"
)

// Comment is what someone wrote about a commitment during a consultation,
// or a carrier's answer to it. The email is never shown.
type Comment struct {
	ID             int64        `json:"id"`
	CommitmentID   int64        `json:"commitment_id"`
	ConsultationID int64        `json:"consultation_id"`
	ParentID       *int64       `json:"parent_id"` // the comment an answer answers
	Author         string       `json:"author"`    // a name or a pseudonym
	Text           string       `json:"text"`
	State          CommentState `json:"state"`
	CarrierAnswer  bool         `json:"carrier_answer"`
	Confirmed      bool         `json:"confirmed"` // its author followed the link mailed to them (always true for answers and comments recorded by staff)
	CreatedAt      time.Time    `json:"created_at"`
	PublishedAt    *time.Time   `json:"published_at"`
}

// MaxCommentLinks is how many links a comment may carry.
const MaxCommentLinks = 2

var linkPattern = regexp.MustCompile(`(?i)(https?://|www\.)`)

// CommentInput is a public comment on a commitment.
type CommentInput struct {
	Author  string `json:"author"` // a name or a pseudonym, shown
	Email   string `json:"email"`  // to confirm the comment, never shown
	Text    string `json:"text"`
	Consent bool   `json:"consent"`
}

// Validate checks a comment: a name, an email, a text with few links, consent.
func (in *CommentInput) Validate() error {
	var p Problems
	p.text("author", in.Author, true, 100, false)
	p.Email("email", in.Email, true)
	p.text("text", in.Text, true, 4000, true)
	if !p.Has("text") && len(strings.TrimSpace(in.Text)) < 3 {
		p.Add("text", "le commentaire est trop court")
	}
	if n := len(linkPattern.FindAllString(in.Text, -1)); n > MaxCommentLinks {
		p.Add("text", "%d liens au plus dans un commentaire (reçu : %d)", MaxCommentLinks, n)
	}
	if !in.Consent {
		p.Add("consent", "cochez la case pour accepter le traitement de vos données")
	}
	return p.Err()
}

// AnswerInput is a carrier's answer to a comment.
type AnswerInput struct {
	Text string `json:"text"`
}

// Validate checks an answer.
func (in *AnswerInput) Validate() error {
	var p Problems
	p.text("text", in.Text, true, 4000, true)
	return p.Err()
}

// ModerationInput is staff's decision on a pending comment.
type ModerationInput struct {
	Decision CommentState `json:"decision"` // published or rejected
}

// Validate checks a moderation decision.
func (in *ModerationInput) Validate() error {
	var p Problems
	OneOf(&p, "decision", in.Decision, []CommentState{CommentPublished, CommentRejected}, true)
	return p.Err()
}

// CommentPurpose and CommentRetention are shown next to the comment form.
const (
	CommentPurpose   = "Publier votre commentaire sur l'avancement de l'engagement sous le nom ou le pseudonyme que vous choisissez, et vous confirmer sa réception. Votre adresse électronique n'est jamais publiée."
	CommentRetention = "Votre adresse électronique est effacée 12 mois après la fin de la consultation ; le commentaire publié reste en ligne sous votre nom ou pseudonyme."
)

// DiscussedWorkshop is a workshop (or relay workshop) that discussed a
// commitment, with its published contributions about it.
type DiscussedWorkshop struct {
	WorkshopID    int64           `json:"workshop_id"`
	EventID       int64           `json:"event_id"`
	Event         string          `json:"event"`
	EventKind     EventKind       `json:"event_kind"`
	Number        int             `json:"number"`
	Title         string          `json:"title"`
	Start         time.Time       `json:"start"`
	Published     bool            `json:"minutes_published"`
	Contributions []*Contribution `json:"contributions"` // published ones only, with the author only with consent
}

// CommitmentRecord is everything known of a commitment's follow-up.
type CommitmentRecord struct {
	Commitment *Commitment          `json:"commitment"`
	PlanTitle  string               `json:"plan_title"`
	Carriers   []*Organisation      `json:"carriers"`
	Milestones []*Milestone         `json:"milestones"`
	Indicators []*Indicator         `json:"indicators"`
	History    []*StatusChange      `json:"history"` // oldest first
	Workshops  []*DiscussedWorkshop `json:"workshops"`
	Comments   []*Comment           `json:"comments"` // published, and for staff the pending ones
}

// PlanFollowUp is a plan's follow-up: its commitments' records and its consultations.
type PlanFollowUp struct {
	Plan          *ActionPlan         `json:"plan"`
	Moderation    Moderation          `json:"moderation"`
	Consultations []*Consultation     `json:"consultations"`
	Commitments   []*CommitmentRecord `json:"commitments"`
	Today         string              `json:"today"` // YYYY-MM-DD in Paris, by the store's clock
}

// Open returns the consultation open today, nil when none.
func (f *PlanFollowUp) Open() *Consultation {
	for _, c := range f.Consultations {
		if c.OpenOn(f.Today) {
			return c
		}
	}
	return nil
}

// FollowUpService keeps the follow-up of commitments.
type FollowUpService interface {
	// Plan returns a plan's follow-up; number selects one commitment ("" for all).
	Plan(ctx context.Context, planID int64, number string) (*PlanFollowUp, error)
	// Record returns one commitment's follow-up.
	Record(ctx context.Context, commitmentID int64) (*CommitmentRecord, error)
	// SetStatus changes a commitment's status and keeps the change.
	SetStatus(ctx context.Context, commitmentID int64, in *StatusInput) (*StatusChange, error)
	// SaveMilestone creates (ID 0) or replaces a milestone.
	SaveMilestone(ctx context.Context, m *Milestone) error
	// DeleteMilestone removes a milestone.
	DeleteMilestone(ctx context.Context, id int64) error
	// SaveIndicator creates (ID 0) or replaces an indicator (not its measurements).
	SaveIndicator(ctx context.Context, i *Indicator) error
	// AddMeasurement records a value of an indicator.
	AddMeasurement(ctx context.Context, m *Measurement) error
	// SetModeration sets when a plan's comments are published.
	SetModeration(ctx context.Context, planID int64, m Moderation) error
	// OpenConsultation creates a consultation window on a plan.
	OpenConsultation(ctx context.Context, c *Consultation) error
	// Comment records a public comment during an open consultation.
	Comment(ctx context.Context, commitmentID int64, in *CommentInput) (*Comment, error)
	// Moderate publishes or rejects a pending comment.
	Moderate(ctx context.Context, commentID int64, in *ModerationInput) (*Comment, error)
	// Answer records a carrier's answer to a published comment.
	Answer(ctx context.Context, commentID int64, in *AnswerInput) (*Comment, error)
	// RecordComment records, as staff, a comment received otherwise (by
	// email) during a consultation, published, with its date.
	RecordComment(ctx context.Context, c *Comment) error
	// Milestone returns one milestone.
	Milestone(ctx context.Context, id int64) (*Milestone, error)
	// Indicator returns one indicator with its measurements.
	Indicator(ctx context.Context, id int64) (*Indicator, error)
	// PendingComments lists the comments awaiting moderation on a plan.
	PendingComments(ctx context.Context, planID int64) ([]*Comment, error)
	SubscriptionService
}

// CommentSummary counts, in French with real plurals, the published
// comments and the carriers' answers of a commitment: « 3 commentaires
// publiés, 1 réponse du porteur. ».
func CommentSummary(comments, answers int) string {
	var c, a string
	switch comments {
	case 0:
		c = "Aucun commentaire publié"
	case 1:
		c = "1 commentaire publié"
	default:
		c = strconv.Itoa(comments) + " commentaires publiés"
	}
	switch answers {
	case 0:
		a = "aucune réponse du porteur"
	case 1:
		a = "1 réponse du porteur"
	default:
		a = strconv.Itoa(answers) + " réponses du porteur"
	}
	return c + ", " + a + "."
}
