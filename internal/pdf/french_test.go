package pdf

import (
	"strings"
	"testing"
	"time"

	"fabrique/internal/fabrique"
)

func TestFrenchDates(t *testing.T) {
	utc := time.Date(2016, 6, 21, 16, 20, 0, 0, time.UTC) // 18 h 20 in Paris (summer time)
	for _, c := range []struct{ got, want string }{
		{fabrique.FrenchDate(utc), "mardi 21 juin 2016"},
		{fabrique.FrenchTime(utc), "18 h 20"},
		{FrenchTimeRange(utc, utc.Add(time.Hour)), "18 h 20 – 19 h 20"},
		{FrenchTimeRange(utc, time.Time{}), "18 h 20"},
		{fabrique.FrenchDate(time.Date(2021, 2, 1, 9, 5, 0, 0, fabrique.Paris)), "lundi 1er février 2021"},
		{fabrique.FrenchTime(time.Date(2021, 2, 1, 9, 5, 0, 0, fabrique.Paris)), "9 h 05"},
		{fabrique.FrenchDate(time.Date(2016, 12, 31, 23, 30, 0, 0, time.UTC)), "dimanche 1er janvier 2017"},
		{fabrique.FrenchDate(time.Date(2021, 8, 15, 12, 0, 0, 0, fabrique.Paris)), "dimanche 15 août 2021"},
		{FrenchDateRange(time.Date(2016, 12, 7, 9, 0, 0, 0, fabrique.Paris), time.Date(2016, 12, 9, 18, 0, 0, 0, fabrique.Paris)),
			"du mercredi 7 décembre 2016 au vendredi 9 décembre 2016"},
		{frenchDuration(90 * time.Minute), "1 h 30"},
		{frenchDuration(10 * time.Minute), "10 min"},
		{joinFrench([]string{"Paula Forteza", "Céline Pelletier", "Françoise Waintrop"}), "Paula Forteza, Céline Pelletier et Françoise Waintrop"},
		{commitmentLabel(Commitment{"12", "Poursuivre l'ouverture"}), "Engagement 12 – Poursuivre l'ouverture"},
		{clean("Animé par : « X » ? \U0001F600"), "Animé par\u202f: «\u202fX\u202f»\u202f? ?"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}

// TestWrap checks that lines fit their width, keep every word in order,
// and never break at a no-break space or inside a time.
func TestWrap(t *testing.T) {
	d, err := newDoc("test", meta{title: "test"})
	if err != nil {
		t.Fatal(err)
	}
	d.page()
	d.setFont(false, 10)
	text := "Quels engagements futurs pourrait-on prendre ? De 18 h 20 à 19 h 20, « ouverture » " +
		strings.Repeat("Anticonstitutionnellement", 4)
	for _, w := range []float64{20, 35, 60, 180} {
		lines := d.wrap(text, w)
		for _, l := range lines {
			if d.symbolWidth(l) > d.maxSymbolWidth(w) {
				t.Errorf("width %v: line %q too wide", w, l)
			}
			if w < 35 {
				continue // too narrow for « ouverture » on one line
			}
			if strings.HasPrefix(l, "?") || strings.HasPrefix(l, "»") || strings.HasSuffix(l, "«") || strings.HasPrefix(l, "20") && w > 30 {
				t.Errorf("width %v: bad break before %q", w, l)
			}
		}
		joined := strings.ReplaceAll(strings.Join(lines, ""), " ", "")
		if want := strings.ReplaceAll(clean(text), " ", ""); strings.ReplaceAll(joined, nnbsp, "") != strings.ReplaceAll(want, nnbsp, "") {
			t.Errorf("width %v: text changed by wrapping:\n%q\n%q", w, joined, want)
		}
	}
}
