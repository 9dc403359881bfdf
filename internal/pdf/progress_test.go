package pdf

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"fabrique/internal/fabrique"
)

// progressFixture is a plan of n commitments; commitment 4 has a history,
// milestones, an indicator, a workshop with seven contributions on one
// question and a comment with its answer.
func progressFixture(n int) *fabrique.PlanFollowUp {
	f := &fabrique.PlanFollowUp{Plan: &fabrique.ActionPlan{ID: 1, Title: "Plan d'action national pour une action publique transparente et collaborative 2015-2017",
		PeriodStart: "2015-07-16", PeriodEnd: "2017-07-15"}, Today: "2016-09-15",
		Consultations: []*fabrique.Consultation{{Title: "Consultation sur le rapport d'étape", Opens: "2016-06-13", Closes: "2016-06-30"}}}
	paris := func(d, h int) time.Time { return time.Date(2016, time.June, d, h, 0, 0, 0, fabrique.Paris) }
	for i := 1; i <= n; i++ {
		r := &fabrique.CommitmentRecord{Commitment: &fabrique.Commitment{Number: fmt.Sprint(i), Status: fabrique.StatusLimited,
			Title: fmt.Sprintf("Œuvrer à l'ouverture des données « essentielles » de l'État, n° %d", i), Principles: []fabrique.Principle{fabrique.PrincipleTransparency}},
			Carriers: []*fabrique.Organisation{{Name: "Secrétariat général pour la modernisation de l'action publique"}}}
		if i == 4 {
			target := 40.0
			r.Commitment.Status = fabrique.StatusSubstantial
			r.History = []*fabrique.StatusChange{{From: fabrique.StatusLimited, To: fabrique.StatusSubstantial, Justification: "Quatorze rapports publiés ; « élan » confirmé.", ChangedAt: paris(13, 12)}}
			r.Milestones = []*fabrique.Milestone{{Title: "Publier le programme", Due: "2016-03-31", DoneOn: "2016-03-15"}, {Title: "Mettre en ligne les rapports", Due: "2016-06-30"}}
			r.Indicators = []*fabrique.Indicator{{Name: "Rapports d'évaluation publiés", Unit: "rapports", Target: &target, Measurements: []*fabrique.Measurement{{Value: 1234.5, MeasuredOn: "2016-06-01", Source: "SGMAP"}}}}
			w := &fabrique.DiscussedWorkshop{Event: "Ministère ouvert #1", Number: 1, Title: "Évaluation des politiques publiques", Start: paris(21, 18), Published: true}
			for k := 0; k < 7; k++ {
				w.Contributions = append(w.Contributions, &fabrique.Contribution{Category: fabrique.ContribChallenges, Text: fmt.Sprintf("Défi n° %d : publier même les évaluations défavorables", k+1)})
			}
			r.Workshops = []*fabrique.DiscussedWorkshop{w}
			pub := paris(15, 10)
			r.Comments = []*fabrique.Comment{{ID: 1, Author: "Camille R.", Text: "Où est le calendrier ?", State: fabrique.CommentPublished, PublishedAt: &pub},
				{ID: 2, ParentID: new(int64), Author: "SGMAP", Text: "En ligne depuis mars.", State: fabrique.CommentPublished, CarrierAnswer: true, PublishedAt: &pub}}
		}
		f.Commitments = append(f.Commitments, r)
	}
	return f
}

func TestTheProgressReportReadsBackWithItsContents(t *testing.T) {
	f := progressFixture(60)
	var buf bytes.Buffer
	if err := WriteProgressReport(&buf, f); err != nil {
		t.Fatal(err)
	}
	path := writeFile(t, "rapport.pdf", buf.Bytes())
	pages := pageTexts(t, path, false)
	space := regexp.MustCompile(`[\s\x{202f}\x{a0}]+`)
	for i := range pages {
		pages[i] = space.ReplaceAllString(pages[i], " ")
		if want := fmt.Sprintf("page %d sur %d", i+1, len(pages)); !strings.Contains(pages[i], want) {
			t.Errorf("page %d lacks %q", i+1, want)
		}
	}
	all := strings.Join(pages, " ")
	for _, want := range []string{"Rapport d'étape", "Sommaire", "substantielle", "Quatorze rapports publiés ; « élan » confirmé. (lundi 13 juin 2016)",
		"atteint le mardi 15 mars 2016", "en retard", "cible : 40", "1 234,5 rapports", "Ministère ouvert #1 — Atelier 1 : Évaluation des politiques publiques, mardi 21 juin 2016",
		"Quels sont les défis de mise en œuvre à relever ? (7)", "… et 2 autres dans le compte rendu.", "1 commentaire publié, 1 réponse du porteur.",
		"Réponse du porteur — SGMAP", "du lundi 13 juin 2016 au jeudi 30 juin 2016"} {
		if !strings.Contains(all, want) {
			t.Errorf("the report lacks %q", want)
		}
	}
	// Each commitment starts on the page the table of contents gives.
	entry := regexp.MustCompile(`Engagement (\d+) : Œuvrer à l'ouverture des données « essentielles » de l'État, n° \d+ (\d+)`)
	found := 0
	for _, p := range pages[1:3] {
		for _, m := range entry.FindAllStringSubmatch(p, -1) {
			var page int
			fmt.Sscan(m[2], &page)
			if page < 1 || page > len(pages) || !strings.HasPrefix(strings.TrimSpace(pages[page-1]), "Engagement "+m[1]+" :") {
				t.Errorf("the contents put commitment %s on page %s", m[1], m[2])
			}
			found++
		}
	}
	if found != 60 {
		t.Errorf("the contents list %d commitments, want 60", found)
	}
}
