package fabrique

import (
	"context"
	"time"
)

// ContributionCategory is the question or heading a contribution answers.
type ContributionCategory string

// The four questions of every workshop (seed 001), then the forum headings.
const (
	ContribIndicators  ContributionCategory = "impact_indicators"
	ContribInitiatives ContributionCategory = "inspiring_initiatives"
	ContribChallenges  ContributionCategory = "implementation_challenges"
	ContribCommitments ContributionCategory = "future_commitments"
	ContribControversy ContributionCategory = "controversies"    // forum only
	ContribLeads       ContributionCategory = "commitment_leads" // forum only
	ContribNextSteps   ContributionCategory = "next_steps"       // forum only
)

// ContributionCategories lists the categories in the order the minutes print them.
var ContributionCategories = []ContributionCategory{ContribIndicators, ContribInitiatives, ContribChallenges, ContribCommitments, ContribControversy, ContribLeads, ContribNextSteps}

var contributionLabels = map[ContributionCategory]string{
	ContribIndicators:  "Quels indicateurs pour mesurer l'impact des actions entreprises ?",
	ContribInitiatives: "De quelles initiatives pourrait-on s'inspirer pour avancer ?",
	ContribChallenges:  "Quels sont les défis de mise en œuvre à relever ?",
	ContribCommitments: "Quels engagements futurs pourrait-on prendre ?",
	ContribControversy: "Controverses",
	ContribLeads:       "Pistes d'engagement",
	ContribNextSteps:   "Prochaines étapes",
}

// Label is the category in French: the question itself, or the forum heading.
func (c ContributionCategory) Label() string { return contributionLabels[c] }

// ForumOnly reports whether the category exists only in a Forum Open d'État.
func (c ContributionCategory) ForumOnly() bool {
	return c == ContribControversy || c == ContribLeads || c == ContribNextSteps
}

// CategoriesFor lists the contribution categories of an event of this kind.
func CategoriesFor(kind EventKind) []ContributionCategory {
	if kind == EventForum {
		return ContributionCategories
	}
	return ContributionCategories[:4]
}

var categoryLabels = map[Category][2]string{
	CategoryPublicAgent:  {"Agent public", "Agents publics"},
	CategoryCivilSociety: {"Société civile", "Société civile"},
	CategoryCitizen:      {"Citoyen", "Citoyens"},
	CategoryResearcher:   {"Chercheur", "Chercheurs"},
	CategoryElected:      {"Élu", "Élus"},
}

// Label is the category of a person in French, singular: « Agent public ».
func (c Category) Label() string { return categoryLabels[c][0] }

// Plural is the category in French as a heading of counts: « Agents publics ».
func (c Category) Plural() string { return categoryLabels[c][1] }

var eventKindLabels = map[EventKind]string{
	EventOpenMinistry:   "Ministère ouvert",
	EventForum:          "Forum Open d'État",
	EventWorkshop:       "Atelier",
	EventProgressReview: "Point d'étape",
	EventRelayWorkshop:  "Atelier-relais",
}

// Label is the format of an event in French: « Ministère ouvert ».
func (k EventKind) Label() string { return eventKindLabels[k] }

var phaseLabels = map[PhaseKind]string{
	PhaseInvestigation: "Investigation",
	PhaseLaunch:        "Lancement",
	PhaseForum:         "Forum",
	PhaseDeepening:     "Approfondissement",
}

// Label is the phase in French: « Investigation ».
func (k PhaseKind) Label() string { return phaseLabels[k] }

// Contribution is what a participant said in a workshop, recorded by a
// facilitator under one category.
type Contribution struct {
	ID             int64                `json:"id"`
	WorkshopID     int64                `json:"workshop_id"`
	Category       ContributionCategory `json:"category"`
	Text           string               `json:"text"`
	Author         string               `json:"author"`          // who said it, as they wish to be named
	PersonID       *int64               `json:"person_id"`       // or the registered person who said it
	OrganisationID *int64               `json:"organisation_id"` // or the organisation speaking
	Consent        bool                 `json:"consent"`         // the author agrees to be named in the published minutes
	Publishable    bool                 `json:"publishable"`     // the contribution may appear in the published minutes
	CreatedBy      *int64               `json:"created_by"`      // the account that recorded it
	CreatedAt      time.Time            `json:"created_at"`
}

// Validate checks a contribution on its own; the store checks the category
// against the event's format and the references.
func (c *Contribution) Validate() error {
	var p Problems
	if c.WorkshopID <= 0 {
		p.Add("workshop_id", "l'atelier est obligatoire")
	}
	OneOf(&p, "category", c.Category, ContributionCategories, true)
	p.text("text", c.Text, true, MaxText, true)
	p.Line("author", c.Author, MaxName)
	p.Ref("person_id", c.PersonID)
	p.Ref("organisation_id", c.OrganisationID)
	if c.Consent && c.Author == "" && c.PersonID == nil && c.OrganisationID == nil {
		p.Add("consent", "le consentement porte sur un auteur : indiquez author, person_id ou organisation_id")
	}
	return p.Err()
}

// MinutesState is the state of minutes: draft, approved, then published.
type MinutesState string

// States of minutes.
const (
	MinutesDraft     MinutesState = "draft"
	MinutesApproved  MinutesState = "approved"
	MinutesPublished MinutesState = "published"
)

// MinutesStates lists the states of minutes in their order.
var MinutesStates = []MinutesState{MinutesDraft, MinutesApproved, MinutesPublished}

// WorkshopMinutes is the state and free summary of a workshop's minutes.
type WorkshopMinutes struct {
	WorkshopID  int64        `json:"workshop_id"`
	Summary     string       `json:"summary"`
	State       MinutesState `json:"state"`
	ApprovedBy  *int64       `json:"approved_by"`
	ApprovedAt  *time.Time   `json:"approved_at"`
	PublishedAt *time.Time   `json:"published_at"`
	UpdatedAt   time.Time    `json:"updated_at"`
}

// Validate checks the summary.
func (m *WorkshopMinutes) Validate() error {
	var p Problems
	p.Text("summary", m.Summary)
	return p.Err()
}

// EventMinutes is the report-back and the state of an event's minutes.
type EventMinutes struct {
	EventID     int64        `json:"event_id"`
	ReportBack  string       `json:"report_back"`
	State       MinutesState `json:"state"`
	PublishedAt *time.Time   `json:"published_at"`
	UpdatedAt   time.Time    `json:"updated_at"`
}

// Validate checks the report-back.
func (m *EventMinutes) Validate() error {
	var p Problems
	p.Text("report_back", m.ReportBack)
	return p.Err()
}

// WalkIn is a person who came to a workshop without being registered.
type WalkIn struct {
	PersonID       *int64   `json:"person_id"` // an existing person, or:
	Name           string   `json:"name"`
	Email          string   `json:"email"`
	OrganisationID *int64   `json:"organisation_id"`
	Category       Category `json:"category"`
}

// Validate checks a walk-in: an existing person, or a name and a category.
func (w *WalkIn) Validate() error {
	var p Problems
	p.Ref("person_id", w.PersonID)
	if w.PersonID == nil {
		p.Name("name", w.Name)
		OneOf(&p, "category", w.Category, Categories, true)
		p.Email("email", w.Email, false)
		p.Ref("organisation_id", w.OrganisationID)
	} else if w.Name != "" || w.Email != "" || w.Category != "" || w.OrganisationID != nil {
		p.Add("person_id", "indiquez soit une personne existante, soit son nom et sa catégorie, pas les deux")
	}
	return p.Err()
}

// Attendee is one line of a workshop's sign-in sheet.
type Attendee struct {
	RegistrationID int64              `json:"registration_id"`
	PersonID       int64              `json:"person_id"`
	Name           string             `json:"name"`
	Organisation   string             `json:"organisation"`
	Category       Category           `json:"category"`
	Status         RegistrationStatus `json:"status"`
}

// CategoryCount is the number of people of one category who came.
type CategoryCount struct {
	Category Category `json:"category"`
	Label    string   `json:"label"`
	Count    int      `json:"count"`
}

// Attendance is the sign-in sheet of a workshop and the counts of who came.
type Attendance struct {
	WorkshopID int64           `json:"workshop_id"`
	Attendees  []Attendee      `json:"attendees"`
	Counts     []CategoryCount `json:"counts"`
	Attended   int             `json:"attended"`
}

// EventFile gathers, in one snapshot, everything the kit and the minutes of
// an event print.
type EventFile struct {
	Event         *Event
	Host          *Organisation
	Venue         *Venue // nil for an online event
	Rooms         map[int64]*Room
	Phases        []*Phase
	Items         []*ProgrammeItem
	Workshops     []*Workshop
	People        map[int64]*Person
	Organisations map[int64]*Organisation
	Commitments   map[int64]*Commitment
	// Registrations are those registered or attended (not waiting, not cancelled).
	Registrations []*Registration
	// RegistrantOrganisations is the organisation each participant typed
	// when registering, by registration id (absent when none was typed).
	RegistrantOrganisations map[int64]string
	// Contributions are all of them in a kit file; in a minutes file, only
	// the publishable ones, with the author cleared when not consented.
	Contributions   []*Contribution
	WorkshopMinutes map[int64]*WorkshopMinutes
	Minutes         *EventMinutes
}

// MinutesService records contributions and attendance, and manages the
// minutes of workshops and events. Every method checks the user of the
// context: administrators, organisers of the host organisation, and the
// facilitators of the workshop concerned.
type MinutesService interface {
	// CreateContribution records a contribution.
	CreateContribution(ctx context.Context, c *Contribution) error
	// Contributions lists the contributions of a workshop, oldest first.
	Contributions(ctx context.Context, workshopID int64) ([]*Contribution, error)
	// Contribution reads one contribution.
	Contribution(ctx context.Context, id int64) (*Contribution, error)
	// UpdateContribution corrects a contribution until the minutes are published.
	UpdateContribution(ctx context.Context, c *Contribution) error
	// DeleteContribution removes a contribution.
	DeleteContribution(ctx context.Context, id int64) error
	// MarkAttendance sets the registrations of a workshop to attended (or back to registered).
	MarkAttendance(ctx context.Context, workshopID int64, registrationIDs []int64, attended bool) (*Attendance, error)
	// AddWalkIn registers a person as having attended the workshop.
	AddWalkIn(ctx context.Context, workshopID int64, w *WalkIn) (*Registration, error)
	// Attendance returns the sign-in sheet and the counts by category.
	Attendance(ctx context.Context, workshopID int64) (*Attendance, error)
	// WorkshopMinutes returns the minutes of a workshop (a draft when none was written).
	WorkshopMinutes(ctx context.Context, workshopID int64) (*WorkshopMinutes, error)
	// SaveWorkshopMinutes replaces the summary; approved minutes go back to draft.
	SaveWorkshopMinutes(ctx context.Context, m *WorkshopMinutes) error
	// ApproveWorkshopMinutes approves the minutes (a facilitator of the workshop, or an administrator).
	ApproveWorkshopMinutes(ctx context.Context, workshopID int64) (*WorkshopMinutes, error)
	// PublishWorkshopMinutes publishes approved minutes (administrators, organisers of the host).
	PublishWorkshopMinutes(ctx context.Context, workshopID int64) (*WorkshopMinutes, error)
	// EventMinutes returns the report-back and state of an event's minutes.
	EventMinutes(ctx context.Context, eventID int64) (*EventMinutes, error)
	// SaveEventMinutes replaces the report-back.
	SaveEventMinutes(ctx context.Context, m *EventMinutes) error
	// PublishEventMinutes publishes the event's minutes and those of every
	// workshop; each must be approved first.
	PublishEventMinutes(ctx context.Context, eventID int64) (*EventMinutes, error)
	// KitFile returns what the kit prints (staff of the event only).
	KitFile(ctx context.Context, eventID int64) (*EventFile, error)
	// MinutesFile returns what the minutes print: public once published,
	// staff of the event before.
	MinutesFile(ctx context.Context, eventID int64) (*EventFile, error)
}
