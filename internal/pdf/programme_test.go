package pdf

import (
	"strings"
	"testing"
	"time"

	"fabrique/internal/fabrique"
)

// TestProgrammeDatesEachItemOverSeveralDays checks that a forum whose
// launch and forum day fall on different days prints the day of each item,
// in the kit and in the minutes, while a one-evening programme keeps times
// alone.
func TestProgrammeDatesEachItemOverSeveralDays(t *testing.T) {
	day := func(m time.Month, d, h, min int) time.Time {
		return time.Date(2021, m, d, h, min, 0, 0, fabrique.Paris)
	}
	k := forumKit()
	k.Start = day(time.January, 19, 18, 0)
	k.Programme = append([]ProgrammeItem{
		{Start: day(time.January, 19, 18, 0), End: day(time.January, 19, 19, 30), Title: "Débat de lancement"},
	}, k.Programme...)

	t.Run("the kit's programme names the day of the launch and of the forum", func(t *testing.T) {
		pages := pageTexts(t, writeKitFile(t, k), false)
		p := findPages(pages, "Programme", "Débat de lancement")
		if len(p) == 0 {
			t.Fatal("no programme page with the launch")
		}
		text := norm(pages[p[0]-1])
		launch := strings.Index(text, "mardi 19 janvier 2021")
		forum := strings.Index(text, "jeudi 4 mars 2021")
		if launch < 0 || forum < 0 {
			t.Fatalf("programme lacks the days of its items:\n%s", text)
		}
		if !(launch < strings.Index(text, "Débat de lancement") && forum < strings.Index(text, "Temps 1")) {
			t.Errorf("each day should come before its items:\n%s", text)
		}
	})

	t.Run("the minutes' programme names the days too", func(t *testing.T) {
		m := &Minutes{Title: k.Title, Kind: k.Kind, Start: k.Start, End: k.End, Programme: k.Programme}
		text := norm(strings.Join(pageTexts(t, writeMinutesFile(t, m), false), "\n"))
		if !strings.Contains(text, "mardi 19 janvier 2021") || !strings.Contains(text, "jeudi 4 mars 2021") {
			t.Errorf("minutes' programme lacks the days:\n%s", text)
		}
	})

	t.Run("an evening's programme gives times alone", func(t *testing.T) {
		pages := pageTexts(t, writeKitFile(t, seed001Kit()), false)
		p := findPages(pages, "Programme", "Accueil")
		if len(p) == 0 {
			t.Fatal("no programme page")
		}
		if n := strings.Count(norm(pages[p[0]-1]), "21 juin 2016"); n != 1 {
			t.Errorf("the evening's date appears %d times on its programme page, want once (the subtitle)", n)
		}
	})
}

func TestProgrammeWhen(t *testing.T) {
	it := ProgrammeItem{Start: time.Date(2021, 1, 19, 18, 0, 0, 0, fabrique.Paris), End: time.Date(2021, 1, 19, 19, 30, 0, 0, fabrique.Paris)}
	for _, c := range []struct {
		name    string
		withDay bool
		want    string
	}{
		{"the time alone on a one-day programme", false, "18 h 00 – 19 h 30"},
		{"the day, then the time, on a programme of several days", true, "mardi 19 janvier 2021\n18 h 00 – 19 h 30"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := ProgrammeWhen(it, c.withDay); got != c.want {
				t.Errorf("ProgrammeWhen = %q, want %q", got, c.want)
			}
		})
	}
	if ProgrammeWhen(ProgrammeItem{Title: "Cocktail"}, true) != "" {
		t.Error("an item without a time should print no time")
	}
}

// TestLongNamesWrapAtWordsAndHyphens checks that a long name on a badge
// and on a sign-in sheet goes to the line between words or after a
// hyphen, never between two letters (« Saint-Exupér / y »).
func TestLongNamesWrapAtWordsAndHyphens(t *testing.T) {
	names := []string{
		"Jean-Baptiste de Saint-Exupéry-Lamartine",
		"Marie-Dominique Bernardin-de-Saint-Pierre-Montesquieu-Fézensac",
	}
	k := seed001Kit()
	k.Workshops = k.Workshops[:1]
	k.Workshops[0].Participants = []Participant{{Name: names[0], Organisation: "Association des amis du Petit Prince", Category: "Société civile"}, {Name: names[1], Category: "Citoyen"}}
	pages := pageTexts(t, writeKitFile(t, k), false)
	// pdftotext joins a line that ends with a hyphen to the next one and
	// drops the hyphen; a name cut between letters keeps the line break.
	check := func(t *testing.T, page string) {
		joined := strings.ReplaceAll(page, "-", "")
		for _, name := range names {
			for _, part := range strings.FieldsFunc(name, func(r rune) bool { return r == ' ' || r == '-' }) {
				if !strings.Contains(joined, part) {
					t.Errorf("%q is cut between two letters:\n%s", part, page)
				}
			}
		}
	}
	var sheet, badges string
	for _, p := range pages {
		switch {
		case !strings.Contains(p, "Exup"):
		case strings.Contains(p, "Feuille d'émargement"):
			sheet = p
		default:
			badges = p
		}
	}
	t.Run("on the sign-in sheet", func(t *testing.T) { check(t, sheet) })
	t.Run("on the badges", func(t *testing.T) { check(t, badges) })
}
