package fabrique

import "testing"

func TestDeIsElidedBeforeAVowelOrAMuteH(t *testing.T) {
	for in, want := range map[string]string{
		"approuver le compte rendu": "d'approuver le compte rendu", "obtenir le kit": "d'obtenir le kit",
		"investigation": "d'investigation", "Évaluation": "d'Évaluation", "héberger": "d'héberger", "ouvrir": "d'ouvrir",
		"modifier": "de modifier", "lancement": "de lancement", "handicap": "de handicap", "hauteur": "de hauteur", "18 h 00": "de 18 h 00",
	} {
		if got := De(in); got != want {
			t.Errorf("De(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCountWritesARealPlural(t *testing.T) {
	for _, c := range []struct {
		n    int
		want string
	}{{0, "0 conflit"}, {1, "1 conflit"}, {2, "2 conflits"}, {12, "12 conflits"}} {
		if got := Count(c.n, "conflit", "conflits"); got != c.want {
			t.Errorf("Count(%d) = %q, want %q", c.n, got, c.want)
		}
	}
}
