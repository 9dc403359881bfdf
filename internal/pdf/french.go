package pdf

import (
	"fmt"
	"strings"
	"time"
	"unicode"

	"fabrique/internal/fabrique"
)

// Narrow no-break space (U+202F): French typography puts it before « ; : ! ? »
// and inside « ».
const nnbsp = "\u202f"

// frenchDayMonth formats "21 juin" or "1er février", from fabrique.FrenchDate
// ("mardi 21 juin 2016") without its day name and year.
func frenchDayMonth(t time.Time) string {
	f := strings.Fields(fabrique.FrenchDate(t))
	return f[1] + " " + f[2]
}

// frenchShortDate formats "21 juin 2016" (no day name).
func frenchShortDate(t time.Time) string {
	return frenchDayMonth(t) + " " + fmt.Sprint(t.In(fabrique.Paris).Year())
}

// FrenchTimeRange formats "18 h 20 – 19 h 20", or only the start when end
// is zero or equal to start.
func FrenchTimeRange(start, end time.Time) string {
	if end.IsZero() || !end.After(start) {
		return fabrique.FrenchTime(start)
	}
	return fabrique.FrenchTime(start) + " – " + fabrique.FrenchTime(end)
}

// FrenchDateRange formats the days covered by an event: "mardi 21 juin
// 2016" for one day, "du lundi 1er février 2021 au vendredi 12 mars 2021"
// otherwise.
func FrenchDateRange(start, end time.Time) string {
	if start.IsZero() {
		return ""
	}
	if end.IsZero() || sameDay(start, end) || !end.After(start) {
		return fabrique.FrenchDate(start)
	}
	return "du " + fabrique.FrenchDate(start) + " au " + fabrique.FrenchDate(end)
}

// SpansDays reports whether the items of a programme fall on more than one
// day in Paris (a forum's launch and forum day), so that each item's time
// must say its day.
func SpansDays(items []ProgrammeItem) bool {
	var first time.Time
	for _, it := range items {
		switch {
		case it.Start.IsZero():
		case first.IsZero():
			first = it.Start
		case !sameDay(first, it.Start):
			return true
		}
	}
	return false
}

// ProgrammeWhen is the time of a programme item as printed: « 18 h 20 –
// 19 h 20 », preceded by its day (« mardi 19 janvier 2021 ») when the
// programme spans several days; empty when the item has no time.
func ProgrammeWhen(it ProgrammeItem, withDay bool) string {
	if it.Start.IsZero() {
		return ""
	}
	when := FrenchTimeRange(it.Start, it.End)
	if withDay {
		when = fabrique.FrenchDate(it.Start) + "\n" + when
	}
	return when
}

func sameDay(a, b time.Time) bool {
	a, b = a.In(fabrique.Paris), b.In(fabrique.Paris)
	return a.Year() == b.Year() && a.YearDay() == b.YearDay()
}

// frenchDuration formats a duration in minutes: "10 min", "1 h", "1 h 30".
func frenchDuration(d time.Duration) string {
	m := int(d.Round(time.Minute) / time.Minute)
	switch {
	case m < 60:
		return fmt.Sprintf("%d min", m)
	case m%60 == 0:
		return fmt.Sprintf("%d h", m/60)
	default:
		return fmt.Sprintf("%d h %02d", m/60, m%60)
	}
}

// typoReplacer applies French typography: a narrow no-break space instead
// of a plain space before « ; : ! ? » and inside « ».
var typoReplacer = strings.NewReplacer(
	" :", nnbsp+":",
	" ;", nnbsp+";",
	" !", nnbsp+"!",
	" ?", nnbsp+"?",
	"\u00a0:", nnbsp+":",
	"\u00a0;", nnbsp+";",
	"\u00a0!", nnbsp+"!",
	"\u00a0?", nnbsp+"?",
	"« ", "«"+nnbsp,
	" »", nnbsp+"»",
	"«\u00a0", "«"+nnbsp,
	"\u00a0»", nnbsp+"»",
	"\t", " ",
	"\r\n", "\n",
	"\r", "\n",
)

// clean prepares a string for printing: French typography, no control
// characters except newlines, and only runes of the Basic Multilingual
// Plane (gofpdf's width tables stop at U+FFFF).
func clean(s string) string {
	s = typoReplacer.Replace(s)
	ok := true
	for _, r := range s {
		if r > 0xFFFF || (r != '\n' && unicode.IsControl(r)) || r == unicode.ReplacementChar {
			ok = false
			break
		}
	}
	if ok {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\n':
			b.WriteRune(r)
		case r > 0xFFFF || r == unicode.ReplacementChar:
			b.WriteRune('?')
		case unicode.IsControl(r):
			b.WriteRune(' ')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// joinFrench joins names the French way: "A", "A et B", "A, B et C".
func joinFrench(names []string) string {
	var n []string
	for _, s := range names {
		if s = strings.TrimSpace(s); s != "" {
			n = append(n, s)
		}
	}
	switch len(n) {
	case 0:
		return ""
	case 1:
		return n[0]
	}
	return strings.Join(n[:len(n)-1], ", ") + " et " + n[len(n)-1]
}

// commitmentLabel formats "Engagement 12 – Poursuivre l'ouverture…".
func commitmentLabel(c Commitment) string {
	num := strings.TrimSpace(c.Number)
	switch {
	case num == "":
		return c.Title
	case c.Title == "":
		return "Engagement " + num
	}
	return "Engagement " + num + " – " + c.Title
}

// workshopLabel formats "Atelier 2 : Expression citoyenne…".
func workshopLabel(number int, title string) string {
	title = fabrique.WorkshopTitle(number, title)
	if number <= 0 {
		return title
	}
	if title == "" {
		return fmt.Sprintf("Atelier %d", number)
	}
	return fmt.Sprintf("Atelier %d"+nnbsp+": %s", number, title)
}

// eventName is "Kind — Title", or only the title when it already names
// the kind (e.g. "Ministère ouvert #1").
func eventName(kind, title string) string {
	if kind == "" || strings.Contains(strings.ToLower(title), strings.ToLower(kind)) {
		return title
	}
	if title == "" {
		return kind
	}
	return kind + " — " + title
}
