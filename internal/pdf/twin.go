package pdf

import "time"

// The helpers below give the HTML twin of the kit and of the minutes the
// very wording of the PDF.

// Step is one step of the timing of a workshop, as on the facilitator sheet.
type Step struct {
	Start, End time.Time // zero when the workshop has no time
	Length     string    // « 10 min », « 1 h »
	What       string
}

// Timing returns the timing of a workshop: presentation, discussion on the
// four questions, synthesis.
func Timing(ws *Workshop) []Step {
	steps := workshopSteps(ws)
	out := make([]Step, len(steps))
	for i, s := range steps {
		out[i] = Step{Start: s.start, End: s.end, Length: frenchDuration(s.length), What: s.what}
	}
	return out
}

// WorkshopLabel formats « Atelier 2 : Expression citoyenne… ».
func WorkshopLabel(number int, title string) string { return workshopLabel(number, title) }

// CommitmentLabel formats « Engagement 12 – Poursuivre l'ouverture… ».
func CommitmentLabel(c Commitment) string { return commitmentLabel(c) }

// JoinFrench joins names the French way: « A, B et C ».
func JoinFrench(names []string) string { return joinFrench(names) }

// EventName is « Kind — Title », or the title alone when it names the kind.
func EventName(kind, title string) string { return eventName(kind, title) }

// PhaseWhen describes when a phase of a forum happens, as on the timeline.
func PhaseWhen(p Phase) string { return phaseWhen(p) }
