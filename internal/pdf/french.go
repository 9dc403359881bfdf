package pdf

import (
	"fmt"
	"strings"
	"time"
	_ "time/tzdata" // Europe/Paris must resolve even without system tzdata.
	"unicode"
)

// Narrow no-break space (U+202F): French typography puts it before « ; : ! ? »
// and inside « ».
const nnbsp = "\u202f"

var paris = mustParis()

func mustParis() *time.Location {
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		panic("pdf: Europe/Paris time zone: " + err.Error())
	}
	return loc
}

var frenchDays = [...]string{"dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"}

var frenchMonths = [...]string{"janvier", "février", "mars", "avril", "mai", "juin",
	"juillet", "août", "septembre", "octobre", "novembre", "décembre"}

// FrenchDate formats t in Europe/Paris as a French date in lower case,
// e.g. "mardi 21 juin 2016" or "lundi 1er février 2021".
func FrenchDate(t time.Time) string {
	t = t.In(paris)
	return frenchDays[t.Weekday()] + " " + frenchDayMonth(t) + " " + fmt.Sprint(t.Year())
}

// frenchDayMonth formats "21 juin" or "1er février".
func frenchDayMonth(t time.Time) string {
	day := fmt.Sprint(t.Day())
	if t.Day() == 1 {
		day = "1er"
	}
	return day + " " + frenchMonths[t.Month()-1]
}

// frenchShortDate formats "21 juin 2016" (no day name).
func frenchShortDate(t time.Time) string {
	t = t.In(paris)
	return frenchDayMonth(t) + " " + fmt.Sprint(t.Year())
}

// FrenchTime formats t in Europe/Paris on 24 hours, e.g. "18 h 20" or
// "9 h 00".
func FrenchTime(t time.Time) string {
	t = t.In(paris)
	return fmt.Sprintf("%d h %02d", t.Hour(), t.Minute())
}

// FrenchTimeRange formats "18 h 20 – 19 h 20", or only the start when end
// is zero or equal to start.
func FrenchTimeRange(start, end time.Time) string {
	if end.IsZero() || !end.After(start) {
		return FrenchTime(start)
	}
	return FrenchTime(start) + " – " + FrenchTime(end)
}

// FrenchDateRange formats the days covered by an event: "mardi 21 juin
// 2016" for one day, "du lundi 1er février 2021 au vendredi 12 mars 2021"
// otherwise.
func FrenchDateRange(start, end time.Time) string {
	if start.IsZero() {
		return ""
	}
	if end.IsZero() || sameDay(start, end) || !end.After(start) {
		return FrenchDate(start)
	}
	return "du " + FrenchDate(start) + " au " + FrenchDate(end)
}

func sameDay(a, b time.Time) bool {
	a, b = a.In(paris), b.In(paris)
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
