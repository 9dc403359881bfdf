package pdf

// Badge grid: 2 columns × 4 rows of 90 × 62 mm on A4, with dashed cut
// lines around each badge.
const (
	badgeCols   = 2
	badgeRows   = 4
	badgeWidth  = 90.0
	badgeHeight = 62.0
	badgeTop    = 14.0
	badgePad    = 4.0
)

// badgeEntry is one badge to print.
type badgeEntry struct {
	p  *Participant
	ws *Workshop
}

// badges draws one name badge per participant of every workshop, eight
// per page: name, organisation, workshop and room.
func (d *doc) badges(k *Kit) {
	var all []badgeEntry
	for i := range k.Workshops {
		ws := &k.Workshops[i]
		for j := range ws.Participants {
			all = append(all, badgeEntry{&ws.Participants[j], ws})
		}
	}
	if len(all) == 0 {
		return
	}
	perPage := badgeCols * badgeRows
	left := (210 - badgeCols*badgeWidth) / 2
	for i, b := range all {
		if i%perPage == 0 {
			d.page()
			d.drawCutMarks(left)
		}
		n := i % perPage
		x := left + float64(n%badgeCols)*badgeWidth
		y := badgeTop + float64(n/badgeCols)*badgeHeight
		d.badge(k, b, x, y)
	}
}

// drawCutMarks draws the dashed cut lines of a page of badges.
func (d *doc) drawCutMarks(left float64) {
	d.f.SetDrawColor(rule[0], rule[1], rule[2])
	d.f.SetLineWidth(0.2)
	d.f.SetDashPattern([]float64{2, 1.5}, 0)
	right := left + badgeCols*badgeWidth
	bottom := badgeTop + badgeRows*badgeHeight
	for r := 0; r <= badgeRows; r++ {
		y := badgeTop + float64(r)*badgeHeight
		d.f.Line(left-6, y, right+6, y)
	}
	for c := 0; c <= badgeCols; c++ {
		x := left + float64(c)*badgeWidth
		d.f.Line(x, badgeTop-6, x, bottom+3)
	}
	d.f.SetDashPattern(nil, 0)
	d.f.SetDrawColor(0, 0, 0)
}

// badge draws one badge whose top left corner is (x, y).
func (d *doc) badge(k *Kit, b badgeEntry, x, y float64) {
	ix, iw := x+badgePad, badgeWidth-2*badgePad

	// Band with the event.
	d.f.SetFillColor(blue[0], blue[1], blue[2])
	d.f.Rect(x+0.6, y+0.6, badgeWidth-1.2, 8, "F")
	d.f.SetTextColor(255, 255, 255)
	d.setFont(true, 8)
	d.f.SetXY(ix, y+0.6)
	d.cell(iw, 8, d.fit(k.Title, iw), "L")
	d.f.SetTextColor(0, 0, 0)

	// Name, large; organisation below.
	d.f.SetY(y + 12)
	size, lines := d.fitBox(b.p.Name, true, iw, 17, 20, 10, 3)
	d.box(ix, iw, lines, true, size, "C")
	d.f.SetY(d.f.GetY() + 1)
	if b.p.Organisation != "" {
		d.textColor(grey)
		size, lines = d.fitBox(b.p.Organisation, false, iw, 9.5, 11, 7, 2)
		d.box(ix, iw, lines, false, size, "C")
		d.textColor([3]int{0, 0, 0})
	}

	// Workshop and room at the bottom.
	d.f.SetDrawColor(rule[0], rule[1], rule[2])
	d.f.SetLineWidth(0.2)
	d.f.Line(ix, y+41, ix+iw, y+41)
	d.f.SetDrawColor(0, 0, 0)
	d.f.SetY(y + 42)
	size, lines = d.fitBox(workshopLabel(b.ws.Number, b.ws.Title), false, iw, 11, 9, 6.5, 3)
	d.box(ix, iw, lines, false, size, "L")
	if b.ws.Room != "" {
		d.setFont(true, 9)
		d.f.SetXY(ix, y+badgeHeight-7)
		d.cell(iw, 5, d.fit("Salle : "+b.ws.Room, iw), "L")
	}
}
