package pdf

import (
	"fmt"
	"time"

	"fabrique/internal/fabrique"
)

// Timeline geometry, in mm.
const (
	timelineLabel = 52.0 // width of the phase labels
	timelineRow   = 15.0 // height of a phase row
	timelineBar   = 6.0  // height of a bar
)

// phaseColours fill the bars, in turn.
var phaseColours = [][3]int{{0, 0, 145}, {225, 0, 15}, {0, 120, 90}, {200, 120, 0}, {100, 60, 160}}

// forumTimeline draws the phases of a forum as a horizontal bar chart with
// dates, then the speakers of the launch's round table.
func (d *doc) forumTimeline(k *Kit) {
	d.page()
	cw := d.contentWidth()
	d.textColor(blue)
	d.heading("Calendrier du forum", 18, 40)
	d.textColor(grey)
	d.para(k.Title+" — les phases de la démarche", false, 11)
	d.textColor([3]int{0, 0, 0})
	d.gap(6)
	if len(k.Phases) > 0 {
		d.timelineChart(k.Phases, cw)
	}
	if len(k.RoundTable) > 0 {
		d.gap(8)
		d.heading("Table ronde de lancement", 14, 25)
		intro := fmt.Sprintf("%d intervenants", len(k.RoundTable))
		if len(k.RoundTable) == 1 {
			intro = "1 intervenant"
		}
		d.para(intro+" : chercheurs, agents publics, membres de la société civile.", false, 10)
		d.gap(3)
		t := &table{cols: []column{
			{header: "Intervenant", width: 70},
			{header: "Organisation", width: cw - 70},
		}, size: 10}
		var rows []tableRow
		for _, s := range k.RoundTable {
			rows = append(rows, tableRow{{{s.Name, true}}, {{s.Organisation, false}}})
		}
		d.drawTable(t, rows)
	}
}

// timelineChart draws one row per phase: its name, dates and duration on
// the left, a bar on a time axis graduated in weeks on the right.
func (d *doc) timelineChart(phases []Phase, cw float64) {
	first, last := phases[0].Start, phases[0].End
	for _, p := range phases {
		if !p.Start.IsZero() && (first.IsZero() || p.Start.Before(first)) {
			first = p.Start
		}
		if p.End.After(last) {
			last = p.End
		}
	}
	if first.IsZero() {
		return
	}
	// Axis from the Monday on or before the first day to the end of the
	// last day, at least one day long.
	f := first.In(fabrique.Paris)
	axisStart := time.Date(f.Year(), f.Month(), f.Day(), 0, 0, 0, 0, fabrique.Paris)
	for axisStart.Weekday() != time.Monday {
		axisStart = axisStart.AddDate(0, 0, -1)
	}
	l := last.In(fabrique.Paris)
	axisEnd := time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, fabrique.Paris).AddDate(0, 0, 1)
	if !axisEnd.After(axisStart) {
		axisEnd = axisStart.AddDate(0, 0, 7)
	}
	x0 := marginLeft + timelineLabel
	width := cw - timelineLabel
	span := axisEnd.Sub(axisStart).Hours()
	xOf := func(t time.Time) float64 {
		return x0 + width*t.Sub(axisStart).Hours()/span
	}

	chartH := float64(len(phases))*timelineRow + 10
	d.ensure(chartH)
	top := d.f.GetY()
	// Week grid with the date of each Monday.
	d.f.SetDrawColor(rule[0], rule[1], rule[2])
	d.f.SetLineWidth(0.2)
	d.setFont(false, 7)
	d.textColor(grey)
	for wk := axisStart; !wk.After(axisEnd); wk = wk.AddDate(0, 0, 7) {
		x := xOf(wk)
		d.f.Line(x, top+5, x, top+chartH)
		if x < x0+width-8 {
			d.f.SetXY(x-1.5, top)
			d.cell(20, 4, frenchDayMonth(wk), "L")
		}
	}
	d.textColor([3]int{0, 0, 0})
	d.f.SetDrawColor(0, 0, 0)

	y := top + 7
	for i, p := range phases {
		c := phaseColours[i%len(phaseColours)]
		// Label: name, then dates and duration.
		d.f.SetXY(marginLeft, y)
		d.write(marginLeft, timelineLabel-2, p.Name, true, 9, "L")
		d.textColor(grey)
		d.write(marginLeft, timelineLabel-2, phaseWhen(p), false, 7, "L")
		d.textColor([3]int{0, 0, 0})
		if !p.Start.IsZero() {
			bx := xOf(p.Start)
			bw := xOf(p.End) - bx
			if p.End.IsZero() || bw < 1.5 {
				bw = 1.5 // a launch of 1 h 30 still shows
			}
			d.f.SetFillColor(c[0], c[1], c[2])
			d.f.Rect(bx, y+1, bw, timelineBar, "F")
		}
		y += timelineRow
	}
	d.f.SetXY(marginLeft, top+chartH+2)
}

// phaseWhen describes when a phase happens and how long it lasts, e.g.
// "du 1er février au 14 février 2021 (2 semaines)" or "jeudi 18 février
// 2021, 18 h 00 – 19 h 30".
func phaseWhen(p Phase) string {
	switch {
	case p.Start.IsZero():
		return "dates à préciser"
	case p.End.IsZero() || !p.End.After(p.Start):
		return fabrique.FrenchDate(p.Start) + ", " + fabrique.FrenchTime(p.Start)
	case sameDay(p.Start, p.End):
		return fabrique.FrenchDate(p.Start) + ", " + FrenchTimeRange(p.Start, p.End)
	}
	days := int(p.End.Sub(p.Start).Hours()/24 + 0.5)
	length := fmt.Sprintf("%d jours", days)
	if days%7 == 0 {
		length = fmt.Sprintf("%d semaines", days/7)
		if days == 7 {
			length = "1 semaine"
		}
	}
	s, e := p.Start.In(fabrique.Paris), p.End.In(fabrique.Paris)
	if e.Hour() == 0 && e.Minute() == 0 && e.Sub(s) >= 24*time.Hour {
		e = e.AddDate(0, 0, -1) // an end at midnight is exclusive
	}
	from := frenchDayMonth(s)
	if s.Year() != e.Year() {
		from = frenchShortDate(s)
	}
	return "du " + from + " au " + frenchShortDate(e) + " (" + length + ")"
}
