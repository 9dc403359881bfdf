package pdf

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"fabrique/internal/fabrique"
)

// seed001Minutes is the minutes of Ministère ouvert #1; the contributions
// and counts are fictional.
func seed001Minutes() *Minutes {
	k := seed001Kit()
	m := &Minutes{
		Title: k.Title, Kind: k.Kind, Host: k.Host, Venue: k.Venue, Address: k.Address,
		Start: k.Start, End: k.End, Programme: k.Programme,
		ReportBack: "Chaque animateur a présenté la synthèse de son atelier en plénière.\n\n" +
			"Les contributions nourriront la version finale du rapport d'étape.",
	}
	for i, ws := range k.Workshops {
		wm := WorkshopMinutes{
			Number: ws.Number, Title: ws.Title, Room: ws.Room, Start: ws.Start, End: ws.End,
			Facilitators: ws.Facilitators, Commitments: ws.Commitments,
			Attendance: []Attendance{
				{"Agents publics", 8 + i}, {"Société civile", 6}, {"Citoyens", 3}, {"Chercheurs", 2}, {"Élus", 1},
			},
			Summary: fmt.Sprintf("Synthèse de l'atelier %d : les participants demandent un suivi public des engagements.", ws.Number),
		}
		for j, q := range ContributionGroups(i == 1) {
			g := ContributionGroup{Category: q}
			if j != 2 {
				g.Items = []Contribution{
					{Text: fmt.Sprintf("Contribution %d-%d sur « %s »", ws.Number, j+1, q), Author: "Zoé Lefèvre"},
					{Text: fmt.Sprintf("Proposition anonyme %d-%d", ws.Number, j+1)},
				}
			}
			wm.Contributions = append(wm.Contributions, g)
		}
		m.Workshops = append(m.Workshops, wm)
	}
	return m
}

// TestMinutes checks what the minutes show: the event, the programme as
// held, each workshop's attendance, contributions by question and summary,
// and the report-back, with the footer and the metadata.
func TestMinutes(t *testing.T) {
	m := seed001Minutes()
	path := writeMinutesFile(t, m)
	pages := pageTexts(t, path, true)
	n := numPages(t, path)
	for i, p := range pages {
		if want := fmt.Sprintf("page %d sur %d", i+1, n); !strings.Contains(norm(p), want) {
			t.Errorf("page %d: footer %q missing", i+1, want)
		}
	}
	cover := norm(pages[0])
	for _, want := range []string{"Compte rendu", "Ministère ouvert #1", "Date : mardi 21 juin 2016, 17 h 30 – 20 h 15",
		"Participation à l'ensemble des ateliers", "Agents publics 50", "Société civile 30", "Élus 5", "Total 110"} {
		if !strings.Contains(cover, want) {
			t.Errorf("first page lacks %q:\n%s", want, pages[0])
		}
	}
	if len(findPages(pages, "Programme tel que déroulé", "18 h 00 – 18 h 10 Ouverture")) != 1 {
		t.Error("programme as held missing")
	}
	for i, wm := range m.Workshops {
		got := findPages(pages, "Compte rendu d'atelier", workshopLabel(wm.Number, wm.Title))
		if len(got) == 0 {
			t.Errorf("no minutes for workshop %d", wm.Number)
			continue
		}
		text := ""
		for p := got[0]; p <= n && (p == got[0] || !strings.Contains(pages[p-1], "Compte rendu d'atelier")); p++ {
			text += "\n" + pages[p-1]
		}
		nt := norm(text)
		for _, want := range []string{"Salle : " + wm.Room, "Animé par : " + joinFrench(wm.Facilitators),
			fmt.Sprintf("Agents publics %d", 8+i), "Chercheurs 2", fmt.Sprintf("Total %d", 20+i),
			fmt.Sprintf("Contribution %d-1 sur « %s » (Zoé Lefèvre)", wm.Number, Questions[0]),
			fmt.Sprintf("Proposition anonyme %d-4", wm.Number),
			"Aucune contribution.", // the third question was left empty
			fmt.Sprintf("Synthèse de l'atelier %d :", wm.Number)} {
			if !strings.Contains(nt, norm(want)) {
				t.Errorf("minutes of workshop %d lack %q:\n%s", wm.Number, want, text)
			}
		}
		last := -1
		for _, g := range wm.Contributions {
			j := strings.Index(nt, norm(g.Category))
			if j < last {
				t.Errorf("workshop %d: heading %q out of order", wm.Number, g.Category)
			}
			last = j
		}
		forum := strings.Contains(nt, "Controverses") && strings.Contains(nt, "Pistes d'engagement") && strings.Contains(nt, "Prochaines étapes")
		if forum != (i == 1) {
			t.Errorf("workshop %d: forum headings present = %v", wm.Number, forum)
		}
	}
	last := norm(pages[n-1])
	if !strings.Contains(last, "Restitution en plénière") || !strings.Contains(last, "version finale du rapport d'étape") {
		t.Errorf("report-back missing on the last page:\n%s", pages[n-1])
	}
	if info := pdfInfo(t, path); info["Title"] != "Compte rendu — Ministère ouvert #1" {
		t.Errorf("minutes title %q", info["Title"])
	}
	assertInsidePages(t, path)
}

// TestMinutesEmpty prints minutes with nothing recorded yet.
func TestMinutesEmpty(t *testing.T) {
	m := &Minutes{Title: "Atelier de travail", Kind: "Atelier",
		Start:     time.Date(2021, 2, 1, 10, 0, 0, 0, fabrique.Paris),
		Workshops: []WorkshopMinutes{{Number: 1, Title: "Données ouvertes"}}}
	path := writeMinutesFile(t, m)
	text := norm(strings.Join(pageTexts(t, path, false), "\n"))
	for _, want := range []string{"lundi 1er février 2021", "Présences non renseignées.",
		"Aucune contribution n'a été consignée.", "Pas de synthèse rédigée.", "La restitution n'a pas été consignée.",
		"Le programme n'est pas encore établi."} {
		if !strings.Contains(text, want) {
			t.Errorf("empty minutes lack %q", want)
		}
	}
}
