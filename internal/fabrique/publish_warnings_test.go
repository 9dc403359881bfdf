package fabrique

import (
	"strings"
	"testing"
)

func TestPublishWarningsNameProvisionalTitlesAndWorkshopsWithoutCommitment(t *testing.T) {
	ws := []*Workshop{
		{Number: 1, Title: "Atelier 1 : Sujet à préciser", CommitmentIDs: []int64{4}},
		{Number: 2, Title: "", CommitmentIDs: []int64{5}},
		{Number: 3, Title: "Ouverture des données", CommitmentIDs: nil},
		{Number: 12, Title: "Atelier 12", CommitmentIDs: []int64{6}}, // « Atelier 12 » alone is provisional
		{Number: 4, Title: "Transparence des algorithmes", CommitmentIDs: []int64{7}},
	}
	got := PublishWarnings(ws)
	if len(got) != 2 {
		t.Fatalf("%d warnings: %q", len(got), got)
	}
	if want := "3 ateliers portent encore un titre provisoire (Atelier 1, Atelier 2, Atelier 12)"; !strings.HasPrefix(got[0], want) {
		t.Errorf("provisional titles: %q, want it to start with %q", got[0], want)
	}
	if want := "1 atelier n'est rattaché à aucun engagement du plan d'action (Atelier 3 : Ouverture des données)"; !strings.HasPrefix(got[1], want) {
		t.Errorf("without commitment: %q, want it to start with %q", got[1], want)
	}
	if w := PublishWarnings(ws[4:]); len(w) != 0 {
		t.Errorf("a named workshop with its commitment: %q", w)
	}
}
