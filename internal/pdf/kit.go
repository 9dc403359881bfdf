package pdf

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
)

// Colours used in the documents (RGB).
var (
	blue = [3]int{0, 0, 145}     // "bleu France"
	grey = [3]int{90, 90, 90}    // secondary text
	rule = [3]int{170, 170, 170} // lines to write on, cut marks
)

func (d *doc) textColor(c [3]int) { d.f.SetTextColor(c[0], c[1], c[2]) }

// WriteKit writes the kit of an event to w as one A4 PDF, in this order:
// cover, programme, timeline and round table (forum only), list of
// workshops and commitments, then for each workshop its facilitator
// sheet, sign-in sheet and room sign, and finally the name badges of every
// participant. Every page carries "page X sur N" and the event title.
func WriteKit(w io.Writer, k *Kit) error {
	if k == nil {
		return errors.New("pdf: nil kit")
	}
	d, err := newDoc(k.Title, meta{
		title:   "Kit — " + k.Title,
		author:  firstNonEmpty(k.Host, "fabrique"),
		subject: subject(k.Kind, "kit d'organisation", k.Start, k.End),
	})
	if err != nil {
		return err
	}
	d.kitCover(k)
	d.kitProgramme(k.Title, k.Start, k.End, k.Programme, k.Workshops, "Programme")
	if len(k.Phases) > 0 || len(k.RoundTable) > 0 {
		d.forumTimeline(k)
	}
	d.workshopList(k)
	for i := range k.Workshops {
		ws := &k.Workshops[i]
		d.facilitatorSheet(k, ws)
		d.signInSheet(k, ws)
		d.roomSign(k, ws)
	}
	d.badges(k)
	if err := d.f.Error(); err != nil {
		return fmt.Errorf("pdf: kit: %w", err)
	}
	return d.output(w)
}

// subject is the PDF subject: "Ministère ouvert — kit d'organisation,
// mardi 21 juin 2016", without the parts that are unknown.
func subject(kind, what string, start, end time.Time) string {
	s := what
	if kind != "" {
		s = kind + " — " + what
	}
	if when := FrenchDateRange(start, end); when != "" {
		s += ", " + when
	}
	return s
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if strings.TrimSpace(v) != "" {
			return v
		}
	}
	return ""
}

// kitCover draws the cover: kind, title, host, date, times and venue.
func (d *doc) kitCover(k *Kit) {
	d.page()
	cw := d.contentWidth()
	d.f.SetFillColor(blue[0], blue[1], blue[2])
	d.f.Rect(0, 0, 210, 12, "F")

	d.f.SetY(55)
	d.textColor(blue)
	d.write(marginLeft, cw, strings.ToUpper(k.Kind), true, 18, "L")
	d.gap(3)
	d.textColor([3]int{0, 0, 0})
	size, lines := d.fitBox(k.Title, true, cw, 60, 34, 14, 5)
	d.box(marginLeft, cw, lines, true, size, "L")
	d.gap(4)
	d.textColor(grey)
	d.write(marginLeft, cw, "Kit d'organisation", false, 14, "L")
	d.textColor([3]int{0, 0, 0})
	d.gap(6)
	d.f.SetDrawColor(blue[0], blue[1], blue[2])
	d.f.SetLineWidth(0.8)
	d.f.Line(marginLeft, d.f.GetY(), marginLeft+40, d.f.GetY())
	d.f.SetDrawColor(0, 0, 0)
	d.gap(8)

	if k.Host != "" {
		d.write(marginLeft, cw, k.Host, true, 14, "L")
		d.gap(6)
	}
	if !k.Start.IsZero() {
		d.write(marginLeft, cw, FrenchDateRange(k.Start, k.End), true, 18, "L")
		if sameDay(k.Start, k.End) || k.End.IsZero() {
			d.write(marginLeft, cw, FrenchTimeRange(k.Start, k.End), false, 14, "L")
		}
		d.gap(6)
	}
	if k.Venue != "" {
		d.write(marginLeft, cw, k.Venue, true, 13, "L")
	}
	if k.Address != "" {
		d.write(marginLeft, cw, k.Address, false, 12, "L")
	}

	// Contents of the kit.
	contents := []string{"Programme"}
	if len(k.Phases) > 0 || len(k.RoundTable) > 0 {
		contents = append(contents, "Calendrier du forum et table ronde de lancement")
	}
	contents = append(contents, "Liste des ateliers et engagements abordés",
		"Pour chaque atelier : fiche animateur, feuille d'émargement, affiche de salle",
		"Badges des participants")
	d.f.SetY(215)
	d.write(marginLeft, cw, "Contenu du kit", true, 11, "L")
	d.gap(1)
	for _, c := range contents {
		d.write(marginLeft+2, cw-2, "• "+c, false, 10, "L")
	}
}

// kitProgramme draws the programme as a table: times, then what happens,
// who speaks, where, and the workshops that run during the item.
func (d *doc) kitProgramme(title string, start, end time.Time, items []ProgrammeItem, workshops []Workshop, heading string) {
	d.page()
	d.textColor(blue)
	d.heading(heading, 20, 30)
	d.textColor(grey)
	sub := title
	if !start.IsZero() {
		sub += " — " + FrenchDateRange(start, end)
	}
	d.para(sub, false, 11)
	d.textColor([3]int{0, 0, 0})
	d.gap(5)
	if len(items) == 0 {
		d.para("Le programme n'est pas encore établi.", false, 11)
		return
	}
	t := &table{
		cols: []column{{header: "Horaire", width: 38}, {header: "Déroulé", width: d.contentWidth() - 38}},
		size: 10,
	}
	rows := make([]tableRow, 0, len(items))
	withDay := SpansDays(items)
	for _, it := range items {
		what := []span{{it.Title, true}}
		if it.Speakers != "" {
			what = append(what, span{"par " + it.Speakers, false})
		}
		if it.Room != "" {
			what = append(what, span{"Lieu : " + it.Room, false})
		}
		for _, ws := range workshopsDuring(it, workshops) {
			line := "• " + workshopLabel(ws.Number, ws.Title)
			if ws.Room != "" {
				line += " – " + ws.Room
			}
			what = append(what, span{line, false})
		}
		rows = append(rows, tableRow{{{ProgrammeWhen(it, withDay), true}}, what})
	}
	d.drawTable(t, rows)
}

// workshopsDuring lists the workshops that start within a programme item
// that has an end time.
func workshopsDuring(it ProgrammeItem, ws []Workshop) []Workshop {
	if it.Start.IsZero() || !it.End.After(it.Start) {
		return nil
	}
	var out []Workshop
	for _, w := range ws {
		if !w.Start.Before(it.Start) && w.Start.Before(it.End) {
			out = append(out, w)
		}
	}
	return out
}

// Widths of the columns of the list of workshops, in mm (they add up to
// the 180 mm of content width).
const (
	listColWorkshop    = 50.0
	listColCommitments = 72.0
	listColFacilitator = 36.0
	listColRoom        = 22.0
)

// workshopList draws « Liste des ateliers et engagements abordés »: one
// row per workshop with its commitments, its facilitators and its room.
func (d *doc) workshopList(k *Kit) {
	d.page()
	d.textColor(blue)
	d.heading("Liste des ateliers et engagements abordés", 18, 30)
	d.textColor(grey)
	sub := fmt.Sprintf("%d ateliers", len(k.Workshops))
	if len(k.Workshops) == 1 {
		sub = "1 atelier"
	}
	d.para(sub+" — "+k.Title, false, 11)
	d.textColor([3]int{0, 0, 0})
	d.gap(5)
	if len(k.Workshops) == 0 {
		d.para("Aucun atelier n'est encore prévu.", false, 11)
		return
	}
	t := &table{
		cols: []column{
			{header: "Atelier", width: listColWorkshop},
			{header: "Engagements abordés", width: listColCommitments},
			{header: "Animation", width: listColFacilitator},
			{header: "Salle", width: listColRoom},
		},
		size: 9,
		title: func() {
			d.textColor(grey)
			d.para("Liste des ateliers et engagements abordés (suite)", true, 10)
			d.textColor([3]int{0, 0, 0})
			d.gap(2)
		},
	}
	rows := make([]tableRow, 0, len(k.Workshops))
	for _, ws := range k.Workshops {
		name := []span{{workshopLabel(ws.Number, ws.Title), true}}
		if !ws.Start.IsZero() {
			name = append(name, span{FrenchTimeRange(ws.Start, ws.End), false})
		}
		if ws.Controversy {
			name = append(name, span{"Atelier consacré aux controverses", false})
		}
		var commitments []span
		for _, c := range ws.Commitments {
			commitments = append(commitments, span{commitmentLabel(c), false})
		}
		if len(commitments) == 0 {
			commitments = []span{{"Aucun engagement associé", false}}
		}
		facilitators := "À désigner"
		if f := joinFrench(ws.Facilitators); f != "" {
			facilitators = "Animé par : " + f
		}
		rows = append(rows, tableRow{name, commitments, {{facilitators, false}}, {{ws.Room, true}}})
	}
	d.drawTable(t, rows)
}
