package pdf

import "time"

// Kit is everything needed to print the kit of one participation event
// (cover, programme, list of workshops, facilitator sheets, sign-in sheets,
// room signs, name badges and, for a forum, its timeline). The service maps
// its own domain onto this model; every string is printed as given and must
// already be in French.
type Kit struct {
	// Title is the name of the event, e.g. "Ministère ouvert #1".
	Title string
	// Kind is the format in French: "Ministère ouvert", "Forum Open d'État"
	// or "Atelier".
	Kind string
	// Host is the hosting institution, e.g. the carrier ministry.
	Host string
	// Venue and Address locate the event.
	Venue, Address string
	// Start and End bound the event; they are printed in Europe/Paris time.
	Start, End time.Time
	// Programme lists the items of the event in order.
	Programme []ProgrammeItem
	// Workshops lists the workshops in order.
	Workshops []Workshop
	// Phases lists the phases of a forum (investigation, launch, forum,
	// deepening); a non-empty list adds the timeline to the kit.
	Phases []Phase
	// RoundTable lists the speakers of the launch debate of a forum.
	RoundTable []Speaker
}

// ProgrammeItem is one line of a programme. End may be zero for an item
// that only has a starting time.
type ProgrammeItem struct {
	Start, End time.Time
	// Title is what happens, e.g. "Ouverture".
	Title string
	// Room is where it happens; may be empty.
	Room string
	// Speakers names who speaks, e.g. "Laure de la Bretèche, secrétaire
	// générale pour la modernisation de l'action publique"; may be empty.
	Speakers string
}

// Workshop is one workshop (atelier) of an event.
type Workshop struct {
	// Number is printed as "Atelier <Number>".
	Number int
	Title  string
	Room   string
	// Start and End bound the workshop (Europe/Paris time).
	Start, End time.Time
	// Capacity is the number of seats; zero means unknown.
	Capacity int
	// Controversy marks a workshop dedicated to controversies (forum).
	Controversy bool
	// Facilitators are the names of the facilitators, in order.
	Facilitators []string
	// Commitments are the commitments of the action plan the workshop
	// works on.
	Commitments []Commitment
	// Participants are the registered participants, in the order they are
	// printed on the sign-in sheet; each one also gets a badge.
	Participants []Participant
}

// Commitment is a commitment (engagement) of a national action plan.
type Commitment struct {
	// Number is the commitment's number as printed, e.g. "12".
	Number string
	// Title is the commitment's title.
	Title string
}

// Participant is a registered participant of a workshop.
type Participant struct {
	Name, Organisation string
	// Category is the participant's category in French, e.g. "Agent
	// public", "Société civile", "Citoyen", "Chercheur" or "Élu".
	Category string
}

// Phase is one phase of a forum's six-week process.
type Phase struct {
	// Name is the phase's name in French, e.g. "Investigation".
	Name       string
	Start, End time.Time
}

// Speaker is a speaker of a round table.
type Speaker struct {
	Name, Organisation string
}

// Minutes is the content of the minutes (compte rendu) of an event.
type Minutes struct {
	// Title, Kind, Host, Venue, Address, Start and End describe the event as
	// in Kit.
	Title, Kind, Host, Venue, Address string
	Start, End                        time.Time
	// Programme is the programme as it was actually held.
	Programme []ProgrammeItem
	// Workshops holds the minutes of each workshop, in order.
	Workshops []WorkshopMinutes
	// ReportBack is the text of the report-back in plenary (restitution).
	// Paragraphs are separated by blank lines.
	ReportBack string
}

// WorkshopMinutes is the minutes of one workshop.
type WorkshopMinutes struct {
	Number       int
	Title, Room  string
	Start, End   time.Time
	Facilitators []string
	Commitments  []Commitment
	// Attendance counts who came, by category, in the order given.
	Attendance []Attendance
	// Organisations are the organisations represented among those who
	// came, each once.
	Organisations []string
	// Contributions are grouped by category (question), in the order
	// given; see ContributionGroups for the usual categories.
	Contributions []ContributionGroup
	// Summary is a free summary; paragraphs are separated by blank lines.
	Summary string
}

// Attendance is the number of people of one category who came.
type Attendance struct {
	// Category is one of Categories.
	Category string
	Count    int
}

// ContributionGroup gathers the contributions made on one question or
// heading, e.g. one of Questions or "Controverses".
type ContributionGroup struct {
	Category string
	Items    []Contribution
}

// Contribution is one contribution of a participant.
type Contribution struct {
	Text string
	// Author may be empty for an anonymous contribution.
	Author string
}

// Questions are the four questions every workshop works on (seed 001).
var Questions = []string{
	"Quels indicateurs pour mesurer l'impact des actions entreprises ?",
	"De quelles initiatives pourrait-on s'inspirer pour avancer ?",
	"Quels sont les défis de mise en œuvre à relever ?",
	"Quels engagements futurs pourrait-on prendre ?",
}

// Forum-only contribution headings, used after the four questions.
const (
	// GroupControversies heads the controversies raised in a forum.
	GroupControversies = "Controverses"
	// GroupLeads heads the leads towards a commitment.
	GroupLeads = "Pistes d'engagement"
	// GroupNextSteps heads the next steps (propulsion).
	GroupNextSteps = "Prochaines étapes"
)

// Categories are the participant categories, in the order the minutes
// print them.
var Categories = []string{
	"Agents publics",
	"Société civile",
	"Citoyens",
	"Chercheurs",
	"Élus",
}

// ContributionGroups returns the usual contribution headings of a
// workshop: the four questions and, for a forum, the controversies, the
// leads and the next steps.
func ContributionGroups(forum bool) []string {
	g := append([]string(nil), Questions...)
	if forum {
		g = append(g, GroupControversies, GroupLeads, GroupNextSteps)
	}
	return g
}
