package pdf

// span is one paragraph of a table cell, regular or bold.
type span struct {
	text string
	bold bool
}

// column is a column of a table.
type column struct {
	header string
	width  float64 // mm
	align  string  // "L", "C" or "R"; "L" when empty
}

// table describes how to draw a table; rows are given to drawTable.
type table struct {
	cols   []column
	size   float64 // font size of the body, in points
	minRow float64 // minimum row height, in mm (e.g. room to sign)
	// title, when set, is drawn at the top of every page the table runs
	// onto, before the repeated header row.
	title func()
}

// tableRow holds the paragraphs of each cell, one slice per column.
type tableRow [][]span

// styledLine is one wrapped line of a cell.
type styledLine struct {
	text string
	bold bool
}

const cellPadY = 1.2 // vertical padding inside cells, mm

// drawTable draws the header row then the rows. Cell text wraps inside
// its cell; a row that does not fit the rest of the page moves to the next
// one, where the header row is repeated; a row taller than a whole page
// is continued over several pages, so nothing is ever cut.
func (d *doc) drawTable(t *table, rows []tableRow) {
	lh := lineHeight(t.size)
	header := make([][]styledLine, len(t.cols))
	headerLines := 1
	for i, c := range t.cols {
		d.setFont(true, t.size)
		for _, l := range d.wrap(c.header, c.width) {
			header[i] = append(header[i], styledLine{l, true})
		}
		headerLines = max(headerLines, len(header[i]))
	}
	headerH := float64(headerLines)*lh + 2*cellPadY

	fresh := false // true right after the header row was drawn on a new page
	drawHeader := func() {
		d.drawRow(t, header, 0, headerLines, headerH, true)
		fresh = true
	}
	saved := d.onBreak
	d.onBreak = func() {
		if t.title != nil {
			t.title()
		}
		drawHeader()
	}
	defer func() { d.onBreak = saved }()
	breakPage := func() {
		d.page()
		d.onBreak()
	}

	// Keep the header row with the first row (or at least one line).
	first := headerH + lh + 2*cellPadY
	if len(rows) > 0 {
		first = headerH + d.rowHeight(t, d.rowLines(t, rows[0]), 0)
	}
	if d.f.GetY()+first > d.bottom() {
		breakPage()
	} else {
		drawHeader()
		fresh = false
	}

	for _, r := range rows {
		lines := d.rowLines(t, r)
		n := 0
		for _, c := range lines {
			n = max(n, len(c))
		}
		start := 0
		for {
			h := d.rowHeight(t, lines, start)
			avail := d.bottom() - d.f.GetY()
			if h <= avail+1e-6 {
				d.drawRow(t, lines, start, n, h, false)
				fresh = false
				break
			}
			if !fresh {
				breakPage()
				continue
			}
			// The row is taller than a whole page: continue it.
			k := int((avail - 2*cellPadY) / lh)
			if k < 1 {
				breakPage()
				continue
			}
			d.drawRow(t, lines, start, start+k, avail, false)
			start += k
			breakPage()
		}
	}
}

// rowLines wraps every cell of a row in its column.
func (d *doc) rowLines(t *table, r tableRow) [][]styledLine {
	out := make([][]styledLine, len(t.cols))
	for i, c := range t.cols {
		if i >= len(r) {
			continue
		}
		for _, s := range r[i] {
			d.setFont(s.bold, t.size)
			for _, l := range d.wrap(s.text, c.width) {
				out[i] = append(out[i], styledLine{l, s.bold})
			}
		}
	}
	return out
}

// rowHeight is the height of the lines of a row from line start on.
func (d *doc) rowHeight(t *table, lines [][]styledLine, start int) float64 {
	n := 0
	for _, c := range lines {
		n = max(n, len(c)-start)
	}
	h := float64(n)*lineHeight(t.size) + 2*cellPadY
	if start == 0 {
		h = max(h, t.minRow)
	}
	return h
}

// drawRow draws lines [from, to) of every cell in a row of height h at
// the cursor, then moves the cursor under the row.
func (d *doc) drawRow(t *table, lines [][]styledLine, from, to int, h float64, header bool) {
	lh := lineHeight(t.size)
	y := d.f.GetY()
	x := marginLeft
	d.f.SetLineWidth(0.25)
	if header {
		d.f.SetFillColor(225, 230, 240)
	}
	for i, c := range t.cols {
		style := "D"
		if header {
			style = "FD"
		}
		d.f.Rect(x, y, c.width, h, style)
		align := c.align
		if align == "" {
			align = "L"
		}
		for j := from; j < to && j < len(lines[i]); j++ {
			l := lines[i][j]
			d.setFont(l.bold, t.size)
			d.f.SetXY(x, y+cellPadY+float64(j-from)*lh)
			d.cell(c.width, lh, l.text, align)
		}
		x += c.width
	}
	d.f.SetXY(marginLeft, y+h)
}
