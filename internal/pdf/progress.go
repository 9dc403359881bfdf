package pdf

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"fabrique/internal/fabrique"
)

// The progress report (rapport d'étape) of an action plan: a cover with
// the statuses at a glance, a table of contents with page numbers, then
// per commitment its status with justification, its milestones,
// indicators, the workshops that discussed it with a summary of their
// contributions, and the consultation's comments.

// maxContributionsPerQuestion is how many contributions of one question
// the report quotes per workshop; the others are counted.
const maxContributionsPerQuestion = 5

// WriteProgressReport writes the progress report of a plan's follow-up to w.
// It lays the report out twice: the first pass finds the page of each
// commitment, the second prints them in the table of contents.
func WriteProgressReport(w io.Writer, f *fabrique.PlanFollowUp) error {
	if f == nil || f.Plan == nil {
		return errors.New("pdf: nil follow-up")
	}
	cache := map[wrapKey][]string{} // the second pass wraps the same texts
	pages, err := layoutProgress(f, nil, io.Discard, cache)
	if err != nil {
		return err
	}
	_, err = layoutProgress(f, pages, w, cache)
	return err
}

func layoutProgress(f *fabrique.PlanFollowUp, pages []int, w io.Writer, cache map[wrapKey][]string) ([]int, error) {
	title := "Rapport d'étape — " + f.Plan.Title
	d, err := newDoc(title, meta{title: title, author: "fabrique", subject: "Suivi des engagements du plan d'action"})
	if err != nil {
		return nil, err
	}
	d.cache = cache
	d.progressCover(f)
	d.progressContents(f, pages)
	var found []int
	for _, r := range f.Commitments {
		d.page()
		found = append(found, d.f.PageNo())
		d.f.Bookmark(clean(commitmentTitle(r.Commitment)), 0, -1)
		d.commitmentReport(f, r)
	}
	if err := d.f.Error(); err != nil {
		return nil, fmt.Errorf("pdf: progress report: %w", err)
	}
	if pages == nil {
		return found, nil
	}
	var buf bytes.Buffer
	if err := d.output(&buf); err != nil {
		return nil, err
	}
	_, err = w.Write(buf.Bytes())
	return found, err
}

// commitmentTitle is « Engagement 4 : Evaluation des politiques publiques ».
func commitmentTitle(c *fabrique.Commitment) string {
	return "Engagement " + c.Number + " : " + c.Title
}

// StatusCounts counts the commitments of each status of the completion scale.
func StatusCounts(f *fabrique.PlanFollowUp) []StatusCount {
	var out []StatusCount
	for _, s := range fabrique.CompletionScale {
		n := 0
		for _, r := range f.Commitments {
			if r.Commitment.Status == s {
				n++
			}
		}
		out = append(out, StatusCount{Status: s, Label: s.CompletionLabel(), Count: n})
	}
	other := 0
	for _, r := range f.Commitments {
		if r.Commitment.Status.Step() < 0 {
			other++
		}
	}
	if other > 0 {
		out = append(out, StatusCount{Label: "autre état (à reclasser)", Count: other})
	}
	return out
}

// StatusCount is the number of commitments of a status.
type StatusCount struct {
	Status fabrique.CommitmentStatus
	Label  string
	Count  int
}

func (d *doc) progressCover(f *fabrique.PlanFollowUp) {
	d.page()
	cw := d.contentWidth()
	d.f.SetFillColor(blue[0], blue[1], blue[2])
	d.f.Rect(0, 0, 210, 12, "F")
	d.f.SetY(35)
	d.textColor(blue)
	d.para("Rapport d'étape", true, 26)
	d.textColor(grey)
	d.para("Suivi des engagements", false, 14)
	d.textColor([3]int{0, 0, 0})
	d.gap(2)
	size, lines := d.fitBox(f.Plan.Title, true, cw, 40, 20, 12, 4)
	d.box(marginLeft, cw, lines, true, size, "L")
	d.gap(6)
	if start, err := time.ParseInLocation("2006-01-02", f.Plan.PeriodStart, fabrique.Paris); err == nil {
		if end, err := time.ParseInLocation("2006-01-02", f.Plan.PeriodEnd, fabrique.Paris); err == nil {
			d.label("Période", "du "+fabrique.FrenchDate(start)+" au "+fabrique.FrenchDate(end), 11)
		}
	}
	if today, err := time.ParseInLocation("2006-01-02", f.Today, fabrique.Paris); err == nil {
		d.label("Établi le", fabrique.FrenchDate(today), 11)
	}
	d.label("Engagements", fmt.Sprint(len(f.Commitments)), 11)
	for _, c := range f.Consultations {
		d.label("Consultation", c.Title+" ("+dayRange(c.Opens, c.Closes)+")", 11)
	}
	d.gap(8)
	d.heading("Avancement des engagements (échelle du Mécanisme d'évaluation indépendant)", 12, 30)
	t := &table{cols: []column{{header: "Mise en œuvre", width: 80}, {header: "Engagements", width: 30, align: "R"}}, size: 10}
	var rows []tableRow
	for _, s := range StatusCounts(f) {
		rows = append(rows, tableRow{{{s.Label, false}}, {{fmt.Sprint(s.Count), false}}})
	}
	d.drawTable(t, rows)
}

// dayRange writes two civil dates: « du lundi 13 juin 2016 au jeudi 30 juin 2016 ».
func dayRange(from, to string) string {
	a, errA := time.ParseInLocation("2006-01-02", from, fabrique.Paris)
	b, errB := time.ParseInLocation("2006-01-02", to, fabrique.Paris)
	if errA != nil || errB != nil {
		return from + " – " + to
	}
	return "du " + fabrique.FrenchDate(a) + " au " + fabrique.FrenchDate(b)
}

// progressContents prints the table of contents; pages is nil in the
// first pass (the numbers are left blank, the layout is the same).
func (d *doc) progressContents(f *fabrique.PlanFollowUp, pages []int) {
	d.page()
	d.textColor(blue)
	d.heading("Sommaire", 18, 20)
	d.textColor([3]int{0, 0, 0})
	t := &table{cols: []column{{header: "Engagement", width: d.contentWidth() - 25}, {header: "Page", width: 25, align: "R"}}, size: 10}
	var rows []tableRow
	for i, r := range f.Commitments {
		page := "…"
		if i < len(pages) {
			page = fmt.Sprint(pages[i])
		}
		rows = append(rows, tableRow{{{commitmentTitle(r.Commitment), false}}, {{page, false}}})
	}
	d.drawTable(t, rows)
}

// commitmentReport prints one commitment's follow-up.
func (d *doc) commitmentReport(f *fabrique.PlanFollowUp, r *fabrique.CommitmentRecord) {
	c := r.Commitment
	d.textColor(blue)
	d.para(commitmentTitle(c), true, 15)
	d.textColor([3]int{0, 0, 0})
	d.gap(2)
	var carriers []string
	for _, o := range r.Carriers {
		carriers = append(carriers, o.Name)
	}
	d.label("Porté par", joinFrench(carriers), 10)
	var principles []string
	for _, p := range c.Principles {
		principles = append(principles, PrincipleLabel(p))
	}
	d.label("Principes", strings.Join(principles, ", "), 10)
	d.label("Mise en œuvre", c.Status.CompletionLabel(), 10)
	if n := len(r.History); n > 0 {
		h := r.History[n-1]
		d.label("Justification", strings.TrimSpace(h.Justification+" ("+fabrique.FrenchDate(h.ChangedAt)+")"), 10)
	}
	d.gap(3)
	if len(r.History) > 0 {
		d.heading("Historique de l'état", 12, 15)
		t := &table{cols: []column{{header: "Date", width: 45}, {header: "Changement", width: 55}, {header: "Justification", width: d.contentWidth() - 100}}, size: 9}
		var rows []tableRow
		for _, h := range r.History {
			rows = append(rows, tableRow{{{fabrique.FrenchDate(h.ChangedAt), false}}, {{h.From.CompletionLabel() + " → " + h.To.CompletionLabel(), false}}, {{h.Justification, false}}})
		}
		d.drawTable(t, rows)
		d.gap(3)
	}
	d.heading("Jalons", 12, 15)
	if len(r.Milestones) == 0 {
		d.para("Aucun jalon renseigné.", false, 10)
	} else {
		t := &table{cols: []column{{header: "Jalon", width: d.contentWidth() - 100}, {header: "Échéance", width: 45}, {header: "État", width: 55}}, size: 9}
		var rows []tableRow
		for _, m := range r.Milestones {
			rows = append(rows, tableRow{{{m.Title, false}}, {{civil(m.Due), false}}, {{MilestoneState(m, f.Today), false}}})
		}
		d.drawTable(t, rows)
	}
	d.gap(3)
	d.heading("Indicateurs", 12, 15)
	if len(r.Indicators) == 0 {
		d.para("Aucun indicateur renseigné.", false, 10)
	}
	for _, i := range r.Indicators {
		d.write(marginLeft, d.contentWidth(), IndicatorLine(i), true, 10, "L")
		for _, m := range i.Measurements {
			d.write(marginLeft+4, d.contentWidth()-4, "• "+civil(m.MeasuredOn)+" : "+NumberFR(m.Value)+" "+i.Unit+" (source : "+m.Source+")", false, 9, "L")
		}
		d.gap(1.5)
	}
	d.gap(3)
	d.workshopsReport(r)
	d.gap(3)
	d.commentsReport(r)
}

func (d *doc) workshopsReport(r *fabrique.CommitmentRecord) {
	d.heading("Ateliers qui l'ont discuté", 12, 15)
	if len(r.Workshops) == 0 {
		d.para("Aucun atelier publié n'a encore porté sur cet engagement.", false, 10)
		return
	}
	for _, w := range r.Workshops {
		d.write(marginLeft, d.contentWidth(), DiscussedLabel(w), true, 10, "L")
		if !w.Published {
			d.textColor(grey)
			d.write(marginLeft+4, d.contentWidth()-4, "Compte rendu pas encore publié.", false, 9, "L")
			d.textColor([3]int{0, 0, 0})
		}
		for _, g := range GroupContributions(w.Contributions) {
			d.write(marginLeft+4, d.contentWidth()-4, g.Question+" ("+fmt.Sprint(len(g.Items))+")", true, 9, "L")
			for i, c := range g.Items {
				if i == maxContributionsPerQuestion {
					d.write(marginLeft+8, d.contentWidth()-8, "… et "+fabrique.Count(len(g.Items)-i, "autre", "autres")+" dans le compte rendu.", false, 9, "L")
					break
				}
				text := "• " + strings.TrimSpace(c.Text)
				if c.Author != "" {
					text += " (" + c.Author + ")"
				}
				d.write(marginLeft+8, d.contentWidth()-8, text, false, 9, "L")
			}
		}
		d.gap(2)
	}
}

func (d *doc) commentsReport(r *fabrique.CommitmentRecord) {
	d.heading("Consultation", 12, 15)
	var comments, answers int
	for _, c := range r.Comments {
		if c.State != fabrique.CommentPublished {
			continue
		}
		if c.CarrierAnswer {
			answers++
		} else {
			comments++
		}
	}
	d.para(fabrique.CommentSummary(comments, answers), false, 10)
	for _, c := range r.Comments {
		if c.State != fabrique.CommentPublished {
			continue
		}
		x := marginLeft + 2
		who := c.Author
		if c.CarrierAnswer {
			x, who = marginLeft+8, "Réponse du porteur — "+c.Author
		}
		when := ""
		if c.PublishedAt != nil {
			when = ", " + fabrique.FrenchDate(*c.PublishedAt)
		}
		d.write(x, d.contentWidth()-(x-marginLeft), who+when, true, 9, "L")
		d.write(x, d.contentWidth()-(x-marginLeft), strings.TrimSpace(c.Text), false, 9, "L")
		d.gap(1)
	}
}

// civil writes a civil date YYYY-MM-DD in French.
func civil(s string) string {
	t, err := time.ParseInLocation("2006-01-02", s, fabrique.Paris)
	if err != nil {
		return s
	}
	return fabrique.FrenchDate(t)
}

// CivilDate writes a civil date YYYY-MM-DD in French: « mardi 21 juin 2016 ».
func CivilDate(s string) string { return civil(s) }

// MilestoneState says where a milestone stands: atteint, en retard, à venir.
func MilestoneState(m *fabrique.Milestone, today string) string {
	switch {
	case m.Done():
		return "atteint le " + civil(m.DoneOn)
	case m.Late(today):
		return "en retard"
	}
	return "à venir"
}

// IndicatorLine names an indicator with its target and its last value.
func IndicatorLine(i *fabrique.Indicator) string {
	s := i.Name + " (" + i.Unit + ")"
	if i.Target != nil {
		s += " — cible : " + NumberFR(*i.Target)
	}
	if l := i.Latest(); l != nil {
		s += " — dernière valeur : " + NumberFR(l.Value) + " le " + civil(l.MeasuredOn)
	}
	return s
}

// NumberFR writes a number the French way: 1 234,5.
func NumberFR(v float64) string {
	s := fmt.Sprintf("%.2f", v)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	intPart, frac, hasFrac := strings.Cut(s, ".")
	neg := strings.HasPrefix(intPart, "-")
	intPart = strings.TrimPrefix(intPart, "-")
	var b strings.Builder
	for i, r := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteString("\u202f")
		}
		b.WriteRune(r)
	}
	out := b.String()
	if neg {
		out = "-" + out
	}
	if hasFrac {
		out += "," + frac
	}
	return out
}

// DiscussedLabel names a workshop that discussed a commitment with its event and date.
func DiscussedLabel(w *fabrique.DiscussedWorkshop) string {
	return w.Event + " — " + workshopLabel(w.Number, w.Title) + ", " + fabrique.FrenchDate(w.Start)
}

// QuestionGroup is the contributions answering one question.
type QuestionGroup struct {
	Question string
	Items    []*fabrique.Contribution
}

// GroupContributions groups contributions by question, in the order of the questions.
func GroupContributions(list []*fabrique.Contribution) []QuestionGroup {
	var out []QuestionGroup
	for _, cat := range fabrique.ContributionCategories {
		g := QuestionGroup{Question: cat.Label()}
		for _, c := range list {
			if c.Category == cat {
				g.Items = append(g.Items, c)
			}
		}
		if len(g.Items) > 0 {
			out = append(out, g)
		}
	}
	return out
}

var principleLabels = map[fabrique.Principle]string{
	fabrique.PrincipleTransparency:  "Transparence et redevabilité",
	fabrique.PrincipleParticipation: "Participation citoyenne",
	fabrique.PrincipleCollaboration: "Collaboration",
	fabrique.PrincipleDigital:       "Numérique et innovation",
}

// PrincipleLabel is a principle of open government in French.
func PrincipleLabel(p fabrique.Principle) string {
	if l, ok := principleLabels[p]; ok {
		return l
	}
	return string(p)
}
