package pdf

import (
	"fmt"
	"time"

	"fabrique/internal/fabrique"
)

// step is one step of a workshop's timing.
type step struct {
	start, end time.Time
	length     time.Duration
	what       string
}

// workshopSteps splits a workshop into presentation (1/6), discussion on
// the four questions (2/3) and synthesis for the report-back (1/6):
// 10, 40 and 10 minutes for the usual hour.
func workshopSteps(ws *Workshop) []step {
	total := time.Hour
	if !ws.Start.IsZero() && ws.End.After(ws.Start) {
		total = ws.End.Sub(ws.Start)
	}
	intro := (total / 6).Round(time.Minute)
	synthesis := intro
	discussion := total - intro - synthesis
	steps := []step{
		{length: intro, what: "Présentation de l'avancement des engagements et réponses aux questions des participants"},
		{length: discussion, what: "Discussion sur les quatre questions (indicateurs, initiatives, défis de mise en œuvre, engagements futurs)"},
		{length: synthesis, what: "Synthèse des contributions pour la restitution en plénière"},
	}
	if !ws.Start.IsZero() {
		at := ws.Start
		for i := range steps {
			steps[i].start = at
			at = at.Add(steps[i].length)
			steps[i].end = at
		}
	}
	return steps
}

// facilitatorSheet draws « Fiche animateur »: the workshop, its room and
// time, its commitments, the timing of the hour and the four questions,
// each followed by lines to write on.
func (d *doc) facilitatorSheet(k *Kit, ws *Workshop) {
	d.page()
	cw := d.contentWidth()
	d.textColor(blue)
	d.para("Fiche animateur", true, 20)
	d.textColor(grey)
	d.para(k.Title, false, 10)
	d.textColor([3]int{0, 0, 0})
	d.gap(3)
	d.para(workshopLabel(ws.Number, ws.Title), true, 14)
	d.gap(2)
	if !ws.Start.IsZero() {
		d.label("Date", fabrique.FrenchDate(ws.Start), 10)
		d.label("Horaire", FrenchTimeRange(ws.Start, ws.End), 10)
	}
	d.label("Salle", ws.Room, 10)
	d.label("Animé par", joinFrench(ws.Facilitators), 10)
	seats := fmt.Sprintf("%d inscrits", len(ws.Participants))
	if len(ws.Participants) < 2 {
		seats = fmt.Sprintf("%d inscrit", len(ws.Participants))
	}
	if ws.Capacity > 0 {
		seats += fmt.Sprintf(" pour %d places", ws.Capacity)
	}
	d.label("Participants", seats, 10)
	if ws.Controversy {
		d.label("Format", "atelier consacré aux controverses", 10)
	}
	d.gap(4)

	d.heading("Engagements abordés", 12, 10)
	if len(ws.Commitments) == 0 {
		d.para("Aucun engagement associé.", false, 10)
	}
	for _, c := range ws.Commitments {
		d.write(marginLeft+2, cw-2, "• "+commitmentLabel(c), false, 10, "L")
	}
	d.gap(4)

	d.heading("Déroulé de l'atelier", 12, 20)
	t := &table{cols: []column{
		{header: "Horaire", width: 38},
		{header: "Durée", width: 20},
		{header: "Étape", width: cw - 58},
	}, size: 9}
	var rows []tableRow
	for _, s := range workshopSteps(ws) {
		when := ""
		if !s.start.IsZero() {
			when = FrenchTimeRange(s.start, s.end)
		}
		rows = append(rows, tableRow{{{when, false}}, {{frenchDuration(s.length), true}}, {{s.what, false}}})
	}
	d.drawTable(t, rows)
	d.gap(5)

	d.heading("Les quatre questions", 12, 10)
	d.textColor(grey)
	d.para("Notez les contributions des participants ; elles nourriront le compte rendu et la restitution.", false, 9)
	d.textColor([3]int{0, 0, 0})
	d.gap(2)
	const writeLines, writeStep = 5, 7.5
	for i, q := range Questions {
		d.setFont(true, 11)
		qh := float64(len(d.wrap(q, cw))) * lineHeight(11)
		d.ensure(qh + writeLines*writeStep + 2)
		d.para(fmt.Sprintf("%d. %s", i+1, q), true, 11)
		d.f.SetDrawColor(rule[0], rule[1], rule[2])
		d.f.SetLineWidth(0.2)
		y := d.f.GetY()
		for j := 1; j <= writeLines; j++ {
			d.f.Line(marginLeft, y+float64(j)*writeStep, marginLeft+cw, y+float64(j)*writeStep)
		}
		d.f.SetDrawColor(0, 0, 0)
		d.f.SetXY(marginLeft, y+writeLines*writeStep+3)
	}
}

// Widths of the columns of the sign-in sheet, in mm.
const (
	signColName         = 50.0
	signColOrganisation = 50.0
	signColCategory     = 30.0
	signColSignature    = 50.0
	signRowHeight       = 10.0
	signMinBlankRows    = 5
)

// signInSheet draws « Feuille d'émargement »: the registered participants
// in the given order, then blank rows for walk-ins (at least five, then as
// many as fill the last page). The header row is repeated on every page.
func (d *doc) signInSheet(k *Kit, ws *Workshop) {
	d.page()
	cw := d.contentWidth()
	d.textColor(blue)
	d.para("Feuille d'émargement", true, 18)
	d.textColor([3]int{0, 0, 0})
	d.para(workshopLabel(ws.Number, ws.Title), true, 12)
	d.gap(1)
	if !ws.Start.IsZero() {
		d.label("Date", fabrique.FrenchDate(ws.Start)+", "+FrenchTimeRange(ws.Start, ws.End), 10)
	}
	d.label("Salle", ws.Room, 10)
	d.label("Événement", k.Title, 10)
	d.gap(4)

	t := &table{
		cols: []column{
			{header: "Nom", width: signColName},
			{header: "Organisation", width: signColOrganisation},
			{header: "Catégorie", width: signColCategory},
			{header: "Signature", width: signColSignature},
		},
		size:   9,
		minRow: signRowHeight,
		title: func() {
			d.textColor(grey)
			d.setFont(true, 10)
			d.cell(cw, lineHeight(10), d.fit("Feuille d'émargement (suite) – "+workshopLabel(ws.Number, ws.Title), cw), "L")
			d.textColor([3]int{0, 0, 0})
			d.gap(2)
		},
	}
	rows := make([]tableRow, 0, len(ws.Participants)+signMinBlankRows)
	for _, p := range ws.Participants {
		rows = append(rows, tableRow{{{p.Name, true}}, {{p.Organisation, false}}, {{p.Category, false}}, nil})
	}
	for i := 0; i < signMinBlankRows; i++ {
		rows = append(rows, tableRow{})
	}
	d.drawTable(t, rows)
	// Fill the rest of the last page with blank rows.
	blank := make([][]styledLine, len(t.cols))
	for d.f.GetY()+signRowHeight <= d.bottom() {
		d.drawRow(t, blank, 0, 0, signRowHeight, false)
	}
}

// roomSign draws a landscape sign for the door of the room: the room in
// very large type, the workshop and its time.
func (d *doc) roomSign(k *Kit, ws *Workshop) {
	d.landscapePage()
	cw := d.contentWidth()
	d.f.SetFillColor(blue[0], blue[1], blue[2])
	d.f.Rect(0, 0, 297, 10, "F")

	d.f.SetY(20)
	d.textColor(grey)
	d.write(marginLeft, cw, eventName(k.Kind, k.Title), false, 14, "C")
	d.textColor([3]int{0, 0, 0})

	// Lay the block out first, to centre it vertically.
	room := firstNonEmpty(ws.Room, "Salle à préciser")
	roomSize, roomLines := d.fitBox(room, true, cw, 62, 80, 28, 2)
	roomH := float64(len(roomLines)) * lineHeight(roomSize)
	const numberSize, timeSize, facSize = 24.0, 20.0, 14.0
	var fixed float64 = 5 + 5
	if ws.Number > 0 {
		fixed += lineHeight(numberSize) + 1
	}
	if !ws.Start.IsZero() {
		fixed += lineHeight(timeSize)
	}
	facilitators := joinFrench(ws.Facilitators)
	if facilitators != "" {
		fixed += lineHeight(facSize) + 1
	}
	top := 34.0
	zone := d.bottom() - top
	titleSize, titleLines := d.fitBox(ws.Title, true, cw, zone-roomH-fixed, 34, 12, 8)
	block := roomH + fixed + float64(len(titleLines))*lineHeight(titleSize)
	d.f.SetY(top + max(0, (zone-block)/2))

	d.textColor(blue)
	d.box(marginLeft, cw, roomLines, true, roomSize, "C")
	d.textColor([3]int{0, 0, 0})
	d.gap(5)
	if ws.Number > 0 {
		d.write(marginLeft, cw, fmt.Sprintf("Atelier %d", ws.Number), true, numberSize, "C")
		d.gap(1)
	}
	d.box(marginLeft, cw, titleLines, true, titleSize, "C")
	d.gap(5)
	if !ws.Start.IsZero() {
		d.write(marginLeft, cw, FrenchTimeRange(ws.Start, ws.End), true, timeSize, "C")
	}
	if facilitators != "" {
		d.gap(1)
		d.setFont(false, facSize)
		d.cell(cw, lineHeight(facSize), d.fit("Animé par : "+facilitators, cw), "C")
	}
}
