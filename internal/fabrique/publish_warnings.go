package fabrique

import "strings"

// PublishWarnings lists, in French, what a host should check before
// publishing an event's workshops, without forbidding it: workshops still
// under a provisional title (none, « Atelier 3 », or the formats' « Sujet
// à préciser »), and workshops tied to no commitment of the action plan
// (seed 001: the workshops follow the commitments).
func PublishWarnings(workshops []*Workshop) []string {
	var provisional, unattached []string
	for _, w := range workshops {
		title := strings.TrimSpace(WorkshopTitle(w.Number, w.Title))
		if title == "" || strings.EqualFold(title, PlaceholderWorkshopTitle) {
			provisional = append(provisional, WorkshopLabel(w.Number, ""))
		}
		if len(w.CommitmentIDs) == 0 {
			unattached = append(unattached, WorkshopLabel(w.Number, title))
		}
	}
	var out []string
	if n := len(provisional); n > 0 {
		out = append(out, Count(n, "atelier porte", "ateliers portent")+" encore un titre provisoire ("+strings.Join(provisional, ", ")+") : nommez son sujet pour que les participants choisissent.")
	}
	if n := len(unattached); n > 0 {
		out = append(out, Count(n, "atelier n'est rattaché", "ateliers ne sont rattachés")+" à aucun engagement du plan d'action ("+strings.Join(unattached, " ; ")+") : son compte rendu ne nourrira pas le suivi des engagements.")
	}
	return out
}
