package fabrique

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// French wording shared by every message: elision of « de » and real
// plurals (never « conflit(s) »).

// hAspire lists the words starting with an aspirated h that messages may
// use: « de » is not elided before them (« de handicap », « de hauteur »).
var hAspire = []string{"haut", "hors", "hall", "handicap", "hasard", "hâte", "huit", "hangar", "honte", "héros", "hiérarchi"}

// Elides reports whether « de », « que », « le »… elide before s: s starts
// with a vowel or a mute h.
func Elides(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	r = unicode.ToLower(r)
	if strings.ContainsRune("aàâäeéèêëiîïoôöuùûüyœæ", r) {
		return true
	}
	if r != 'h' {
		return false
	}
	low := strings.ToLower(s)
	for _, w := range hAspire {
		if strings.HasPrefix(low, w) {
			return false
		}
	}
	return true
}

// De is s after « de », elided when it must be: De("approuver") is
// « d'approuver », De("modifier") « de modifier ».
func De(s string) string {
	if Elides(s) {
		return "d'" + s
	}
	return "de " + s
}

// Count writes n with its noun in the singular or the plural: « 1
// conflit », « 3 conflits », « 0 conflit » (French puts 0 and 1 in the
// singular).
func Count(n int, one, many string) string {
	if n == 0 || n == 1 || n == -1 {
		return strconv.Itoa(n) + " " + one
	}
	return strconv.Itoa(n) + " " + many
}
