package fabrique

import (
	"net/mail"
	"net/url"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Length limits of text fields, in characters.
const (
	MaxName  = 200   // names and titles
	MaxShort = 500   // addresses, contacts, links
	MaxText  = 10000 // descriptions and free text
)

// text checks a free text field: valid UTF-8, no control characters except
// newlines and tabs when multiline, and at most max characters.
func (p *Problems) text(field, value string, required bool, max int, multiline bool) {
	if strings.TrimSpace(value) == "" {
		if required {
			p.Add(field, "ce champ est obligatoire")
		}
		return
	}
	if !utf8.ValidString(value) {
		p.Add(field, "le texte contient des caractères invalides")
		return
	}
	if n := utf8.RuneCountInString(value); n > max {
		p.Add(field, "%d caractères au plus (reçu : %d)", max, n)
		return
	}
	for _, r := range value {
		if r < 0x20 && !(multiline && (r == '\n' || r == '\r' || r == '\t')) || r == 0x7f {
			p.Add(field, "le texte contient un caractère de contrôle interdit")
			return
		}
		if what := invisible(r); what != "" {
			p.Add(field, "le texte contient un caractère invisible interdit (U+%04X, %s) : retapez-le sans le copier-coller", r, what)
			return
		}
	}
}

// invisible names a character a text must not hide: the bidirectional
// controls that reorder what is shown (U+202A–U+202E, U+2066–U+2069, the
// marks U+200E, U+200F, U+061C), the other invisible format characters
// (Unicode category Cf: zero-width space, word joiner, byte order mark,
// soft hyphen…), the C1 controls and the line and paragraph separators.
// The zero-width joiners U+200C and U+200D, needed by some scripts and
// emoji, are allowed. It returns "" for any other character.
func invisible(r rune) string {
	switch {
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f, r == 0x061c:
		return "contrôle de direction du texte"
	case r == 0x200c, r == 0x200d:
		return ""
	case r >= 0x80 && r <= 0x9f:
		return "caractère de contrôle"
	case r == 0x2028, r == 0x2029:
		return "séparateur de ligne"
	case unicode.Is(unicode.Cf, r):
		return "caractère de mise en forme invisible"
	}
	return ""
}

// Name checks a required one-line name or title.
func (p *Problems) Name(field, value string) { p.text(field, value, true, MaxName, false) }

// Line checks an optional one-line text of at most max characters.
func (p *Problems) Line(field, value string, max int) { p.text(field, value, false, max, false) }

// Text checks an optional multi-line text.
func (p *Problems) Text(field, value string) { p.text(field, value, false, MaxText, true) }

// Email checks an email address; required says whether it may be empty.
func (p *Problems) Email(field, value string, required bool) {
	if value == "" {
		if required {
			p.Add(field, "l'adresse électronique est obligatoire")
		}
		return
	}
	a, err := mail.ParseAddress(value)
	if err != nil || a.Address != value || a.Name != "" || len(value) > 254 || !strings.Contains(value[strings.LastIndex(value, "@")+1:], ".") {
		p.Add(field, "adresse électronique invalide (exemple : prenom.nom@exemple.fr)")
	}
}

// URL checks an optional http(s) link.
func (p *Problems) URL(field, value string) {
	if value == "" {
		return
	}
	u, err := url.Parse(value)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || len(value) > MaxShort || strings.ContainsAny(value, " \r\n\t") {
		p.Add(field, "lien invalide : une adresse http:// ou https:// est attendue")
	}
}

// Period checks that a required start and end are set and in order.
func (p *Problems) Period(prefix string, start, end time.Time) {
	if start.IsZero() {
		p.Add(prefix+"start", "la date de début est obligatoire")
	}
	if end.IsZero() {
		p.Add(prefix+"end", "la date de fin est obligatoire")
	}
	if !start.IsZero() && !end.IsZero() && !end.After(start) {
		p.Add(prefix+"end", "la fin doit être après le début")
	}
}

// Date checks a civil date written YYYY-MM-DD (31 February is refused).
func (p *Problems) Date(field, value string, required bool) (time.Time, bool) {
	if value == "" {
		if required {
			p.Add(field, "la date est obligatoire")
		}
		return time.Time{}, false
	}
	d, err := time.ParseInLocation("2006-01-02", value, Paris)
	if err != nil {
		p.Add(field, "date invalide « %s » : une date réelle au format AAAA-MM-JJ est attendue", value)
		return time.Time{}, false
	}
	return d, true
}

// Range checks that an integer lies between min and max.
func (p *Problems) Range(field string, value, min, max int) {
	if value < min || value > max {
		p.Add(field, "doit être compris entre %d et %d (reçu : %d)", min, max, value)
	}
}

// Ref checks that an optional reference is positive when set.
func (p *Problems) Ref(field string, id *int64) {
	if id != nil && *id <= 0 {
		p.Add(field, "identifiant invalide")
	}
}

// Refs checks a list of references: positive, without duplicates.
func (p *Problems) Refs(field string, ids []int64, max int) {
	if len(ids) > max {
		p.Add(field, "%d éléments au plus", max)
		return
	}
	seen := map[int64]bool{}
	for _, id := range ids {
		if id <= 0 {
			p.Add(field, "identifiant invalide : %d", id)
			return
		}
		if seen[id] {
			p.Add(field, "l'identifiant %d est en double", id)
			return
		}
		seen[id] = true
	}
}

// OneOf checks that value is one of the allowed codes.
func OneOf[T ~string](p *Problems, field string, value T, allowed []T, required bool) {
	if value == "" {
		if required {
			p.Add(field, "ce champ est obligatoire")
		}
		return
	}
	for _, a := range allowed {
		if value == a {
			return
		}
	}
	names := make([]string, len(allowed))
	for i, a := range allowed {
		names[i] = string(a)
	}
	p.Add(field, "valeur inconnue « %s » : valeurs possibles %s", value, strings.Join(names, ", "))
}
