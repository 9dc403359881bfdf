package pdf

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"fabrique/internal/fabrique"
)

// WriteMinutes writes the minutes (compte rendu) of an event to w as an
// A4 PDF: a first page with the event and its overall attendance, the
// programme as held, the minutes of each workshop (attendance by
// category, contributions grouped by question, summary) and the
// report-back in plenary. Every page carries "page X sur N" and the event
// title.
func WriteMinutes(w io.Writer, m *Minutes) error {
	if m == nil {
		return errors.New("pdf: nil minutes")
	}
	d, err := newDoc(m.Title, meta{
		title:   "Compte rendu — " + m.Title,
		author:  firstNonEmpty(m.Host, "fabrique"),
		subject: subject(m.Kind, "compte rendu", m.Start, m.End),
	})
	if err != nil {
		return err
	}
	d.minutesCover(m)
	ws := make([]Workshop, len(m.Workshops))
	for i, wm := range m.Workshops {
		ws[i] = Workshop{Number: wm.Number, Title: wm.Title, Room: wm.Room, Start: wm.Start, End: wm.End}
	}
	d.kitProgramme(m.Title, m.Start, m.End, m.Programme, ws, "Programme tel que déroulé")
	for i := range m.Workshops {
		d.workshopMinutes(m, &m.Workshops[i])
	}
	d.page()
	d.textColor(blue)
	d.heading("Restitution en plénière", 18, 20)
	d.textColor([3]int{0, 0, 0})
	d.paragraphs(m.ReportBack, "La restitution n'a pas été consignée.")
	if err := d.f.Error(); err != nil {
		return fmt.Errorf("pdf: minutes: %w", err)
	}
	return d.output(w)
}

// minutesCover draws the first page: the event and the attendance of all
// workshops together.
func (d *doc) minutesCover(m *Minutes) {
	d.page()
	cw := d.contentWidth()
	d.f.SetFillColor(blue[0], blue[1], blue[2])
	d.f.Rect(0, 0, 210, 12, "F")
	d.f.SetY(35)
	d.textColor(blue)
	d.para("Compte rendu", true, 26)
	d.textColor(grey)
	d.para(m.Kind, false, 14)
	d.textColor([3]int{0, 0, 0})
	d.gap(2)
	size, lines := d.fitBox(m.Title, true, cw, 40, 24, 12, 4)
	d.box(marginLeft, cw, lines, true, size, "L")
	d.gap(6)
	if m.Host != "" {
		d.label("Organisé par", m.Host, 11)
	}
	if !m.Start.IsZero() {
		when := FrenchDateRange(m.Start, m.End)
		if m.End.IsZero() || sameDay(m.Start, m.End) {
			when += ", " + FrenchTimeRange(m.Start, m.End)
		}
		d.label("Date", when, 11)
	}
	d.label("Lieu", strings.Trim(m.Venue+", "+m.Address, ", "), 11)
	d.label("Ateliers", fmt.Sprint(len(m.Workshops)), 11)
	d.gap(8)

	var all [][]Attendance
	for _, w := range m.Workshops {
		all = append(all, w.Attendance)
	}
	d.heading("Participation à l'ensemble des ateliers", 13, 40)
	d.attendanceTable(mergeAttendance(all))
	if line := OrganisationsLine(m.Organisations()); line != "" {
		d.gap(2)
		d.para(line, false, 10)
	}
}

// Organisations are the organisations represented in any workshop, each once.
func (m *Minutes) Organisations() []string {
	var all []string
	for _, w := range m.Workshops {
		all = append(all, w.Organisations...)
	}
	return distinctOrganisations(all)
}

// OrganisationsLine says how many organisations were represented and
// which: « 3 organisations représentées : A, B et C. »; empty for none.
func OrganisationsLine(orgs []string) string {
	switch len(orgs) {
	case 0:
		return ""
	case 1:
		return "1 organisation représentée : " + orgs[0] + "."
	}
	return fmt.Sprintf("%d organisations représentées : %s.", len(orgs), joinFrench(orgs))
}

// mergeAttendance adds up attendance lists, keeping the order in which
// categories first appear (Categories first).
func mergeAttendance(lists [][]Attendance) []Attendance {
	index := map[string]int{}
	var out []Attendance
	add := func(cat string, n int) {
		i, ok := index[cat]
		if !ok {
			i = len(out)
			index[cat] = i
			out = append(out, Attendance{Category: cat})
		}
		out[i].Count += n
	}
	seen := false
	for _, l := range lists {
		if len(l) > 0 {
			seen = true
		}
	}
	if !seen {
		return nil
	}
	for _, c := range Categories {
		add(c, 0)
	}
	for _, l := range lists {
		for _, a := range l {
			add(a.Category, a.Count)
		}
	}
	return out
}

// attendanceTable prints the number of people by category and the total.
func (d *doc) attendanceTable(att []Attendance) {
	if len(att) == 0 {
		d.para("Présences non renseignées.", false, 10)
		return
	}
	t := &table{cols: []column{
		{header: "Catégorie", width: 80},
		{header: "Présents", width: 30, align: "R"},
	}, size: 10}
	var rows []tableRow
	total := 0
	for _, a := range att {
		total += a.Count
		rows = append(rows, tableRow{{{a.Category, false}}, {{fmt.Sprint(a.Count), false}}})
	}
	rows = append(rows, tableRow{{{"Total", true}}, {{fmt.Sprint(total), true}}})
	d.drawTable(t, rows)
}

// workshopMinutes draws the minutes of one workshop on a new page.
func (d *doc) workshopMinutes(m *Minutes, w *WorkshopMinutes) {
	d.page()
	cw := d.contentWidth()
	d.textColor(grey)
	d.para("Compte rendu d'atelier — "+m.Title, false, 10)
	d.textColor(blue)
	d.para(workshopLabel(w.Number, w.Title), true, 16)
	d.textColor([3]int{0, 0, 0})
	d.gap(2)
	if !w.Start.IsZero() {
		d.label("Date", fabrique.FrenchDate(w.Start)+", "+FrenchTimeRange(w.Start, w.End), 10)
	}
	d.label("Salle", w.Room, 10)
	d.label("Animé par", joinFrench(w.Facilitators), 10)
	d.gap(4)

	if len(w.Commitments) > 0 {
		d.heading("Engagements abordés", 12, 10)
		for _, c := range w.Commitments {
			d.write(marginLeft+2, cw-2, "• "+commitmentLabel(c), false, 10, "L")
		}
		d.gap(4)
	}

	d.heading("Participation", 12, 25)
	d.attendanceTable(w.Attendance)
	if line := OrganisationsLine(w.Organisations); line != "" {
		d.gap(2)
		d.para(line, false, 10)
	}
	d.gap(5)

	d.heading("Contributions", 13, 15)
	if len(w.Contributions) == 0 {
		d.para("Aucune contribution n'a été consignée.", false, 10)
	}
	for _, g := range w.Contributions {
		d.gap(1)
		d.heading(g.Category, 11, 8)
		if len(g.Items) == 0 {
			d.textColor(grey)
			d.write(marginLeft+2, cw-2, "Aucune contribution.", false, 10, "L")
			d.textColor([3]int{0, 0, 0})
		}
		for _, c := range g.Items {
			text := "• " + strings.TrimSpace(c.Text)
			if a := strings.TrimSpace(c.Author); a != "" {
				text += " (" + a + ")"
			}
			d.write(marginLeft+2, cw-2, text, false, 10, "L")
			d.gap(0.8)
		}
		d.gap(2)
	}
	d.gap(3)
	d.heading("Synthèse", 13, 10)
	d.paragraphs(w.Summary, "Pas de synthèse rédigée.")
}

// paragraphs prints text split into paragraphs at blank lines, or empty
// when text is blank.
func (d *doc) paragraphs(text, empty string) {
	text = strings.TrimSpace(strings.ReplaceAll(text, "\r\n", "\n"))
	if text == "" {
		d.textColor(grey)
		d.para(empty, false, 10)
		d.textColor([3]int{0, 0, 0})
		return
	}
	for _, p := range strings.Split(text, "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			d.para(p, false, 10)
			d.gap(2)
		}
	}
}
