// Package pdf prints the documents of a participation event as A4 PDF
// files ready to print: the kit (cover, programme, list of workshops,
// facilitator sheets, sign-in sheets, room signs, name badges and, for a
// Forum Open d'État, the timeline of its phases) and the minutes (compte
// rendu).
//
// The package has its own input model (Kit, Minutes and their parts); the
// service maps its domain onto it. Every word printed is in French; dates
// and times are printed in Europe/Paris time. Text is set in DejaVu Sans,
// embedded from fabrique/assets, so that accents, œ, guillemets and the
// narrow no-break space print and extract intact.
package pdf

import (
	"fmt"
	"io"
	"math"
	"strings"
	"unicode/utf8"

	"fabrique/assets"

	"github.com/jung-kurt/gofpdf"
)

// Page geometry, in millimetres.
const (
	marginLeft   = 15.0
	marginRight  = 15.0
	marginTop    = 15.0
	footerSpace  = 20.0 // reserved at the bottom of every page for the footer
	cellMargin   = 1.5  // horizontal padding inside cells
	fontFamily   = "dejavu"
	regularFile  = "fonts/DejaVuSans.ttf"
	boldFile     = "fonts/DejaVuSans-Bold.ttf"
	nbPagesAlias = "{nb}"
)

// meta is the PDF metadata of a document.
type meta struct {
	title, author, subject string
}

// wrapKey identifies a wrapped text in the cache.
type wrapKey struct {
	bold  bool
	size  float64
	width float64
	text  string
}

// doc wraps a gofpdf document with the fonts, the footer and the layout
// helpers shared by the kit and the minutes.
type doc struct {
	f      *gofpdf.Fpdf
	footer string // event title printed in the footer
	bold   bool
	size   float64
	cache  map[wrapKey][]string
	// onBreak, when set, is called after ensure adds a page, to repeat a
	// heading (e.g. a table header) at the top of the new page.
	onBreak func()
}

// newDoc creates an A4 portrait document with the DejaVu fonts (parsed once
// for the document), the page footer and the metadata.
func newDoc(footer string, m meta) (*doc, error) {
	regular, err := assets.FS.ReadFile(regularFile)
	if err != nil {
		return nil, fmt.Errorf("pdf: reading %s: %w", regularFile, err)
	}
	bold, err := assets.FS.ReadFile(boldFile)
	if err != nil {
		return nil, fmt.Errorf("pdf: reading %s: %w", boldFile, err)
	}
	f := gofpdf.New("P", "mm", "A4", "")
	f.SetMargins(marginLeft, marginTop, marginRight)
	f.SetAutoPageBreak(false, footerSpace)
	f.SetCellMargin(cellMargin)
	f.AliasNbPages(nbPagesAlias)
	f.AddUTF8FontFromBytes(fontFamily, "", regular)
	f.AddUTF8FontFromBytes(fontFamily, "B", bold)
	f.SetTitle(clean(m.title), true)
	f.SetAuthor(clean(m.author), true)
	f.SetSubject(clean(m.subject), true)
	f.SetCreator("fabrique", true)
	f.SetProducer("fabrique (gofpdf)", true)
	d := &doc{f: f, footer: clean(footer), cache: make(map[wrapKey][]string)}
	f.SetFooterFunc(d.drawFooter)
	d.setFont(false, 10)
	if err := f.Error(); err != nil {
		return nil, fmt.Errorf("pdf: loading fonts: %w", err)
	}
	return d, nil
}

// output closes the document and writes it to w.
func (d *doc) output(w io.Writer) error {
	if d.f.PageCount() == 0 {
		d.page()
	}
	if err := d.f.Output(w); err != nil {
		return fmt.Errorf("pdf: %w", err)
	}
	return nil
}

// drawFooter prints "page 3 sur 12" and the event title at the bottom of
// every page.
func (d *doc) drawFooter() {
	w, h := d.f.GetPageSize()
	y := h - 13
	d.f.SetDrawColor(160, 160, 160)
	d.f.SetLineWidth(0.2)
	d.f.Line(marginLeft, y, w-marginRight, y)
	d.setFont(false, 8)
	d.f.SetTextColor(80, 80, 80)
	pageText := fmt.Sprintf("page %d sur %s", d.f.PageNo(), nbPagesAlias)
	pw := d.f.GetStringWidth(pageText) + 2*cellMargin + 4
	d.f.SetXY(marginLeft, y+1)
	d.cell(w-marginLeft-marginRight-pw, 5, d.fit(d.footer, w-marginLeft-marginRight-pw), "L")
	d.f.SetXY(w-marginRight-pw, y+1)
	d.cell(pw, 5, pageText, "R")
	d.f.SetTextColor(0, 0, 0)
	d.f.SetDrawColor(0, 0, 0)
}

// page adds an A4 portrait page and puts the cursor at the top margin.
func (d *doc) page() {
	d.f.AddPageFormat("P", gofpdf.SizeType{Wd: 210, Ht: 297})
	d.f.SetXY(marginLeft, marginTop)
}

// landscapePage adds an A4 landscape page.
func (d *doc) landscapePage() {
	d.f.AddPageFormat("L", gofpdf.SizeType{Wd: 210, Ht: 297})
	d.f.SetXY(marginLeft, marginTop)
}

// contentWidth is the width between the margins of the current page.
func (d *doc) contentWidth() float64 {
	w, _ := d.f.GetPageSize()
	return w - marginLeft - marginRight
}

// bottom is the lowest y where content may go on the current page.
func (d *doc) bottom() float64 {
	_, h := d.f.GetPageSize()
	return h - footerSpace
}

// ensure starts a new page (and calls onBreak) unless h millimetres fit
// below the cursor. It reports whether a page was added.
func (d *doc) ensure(h float64) bool {
	if d.f.GetY()+h <= d.bottom()+1e-6 {
		return false
	}
	d.page()
	if d.onBreak != nil {
		d.onBreak()
	}
	return true
}

// setFont selects DejaVu Sans, bold or regular, at size points.
func (d *doc) setFont(bold bool, size float64) {
	style := ""
	if bold {
		style = "B"
	}
	d.bold, d.size = bold, size
	d.f.SetFont(fontFamily, style, size)
}

// maxSymbolWidth is the room, in thousandths of the font size, inside a
// cell of width w (mm) once the cell margins are taken off.
func (d *doc) maxSymbolWidth(w float64) int {
	_, unitSize := d.f.GetFontSize()
	return int(math.Floor((w - 2*cellMargin) * 1000 / unitSize))
}

// symbolWidth is the width of s in the current font, in thousandths of
// the font size.
func (d *doc) symbolWidth(s string) int {
	return d.f.GetStringSymbolWidth(s)
}

// wrap splits text into lines that fit a cell of width w (cell margins
// included) in the current font. Lines break at plain spaces and newlines
// only, never at a no-break space; a word wider than the cell is broken
// with gofpdf's SplitText, which is UTF-8 aware. Results are cached.
func (d *doc) wrap(text string, w float64) []string {
	key := wrapKey{d.bold, d.size, w, text}
	if lines, ok := d.cache[key]; ok {
		return lines
	}
	var lines []string
	for _, para := range strings.Split(clean(text), "\n") {
		lines = append(lines, d.wrapParagraph(para, w)...)
	}
	d.cache[key] = lines
	return lines
}

func (d *doc) wrapParagraph(p string, w float64) []string {
	wmax := d.maxSymbolWidth(w)
	space := d.symbolWidth(" ")
	var lines, cur []string
	curW := 0
	flush := func() {
		if len(cur) > 0 {
			lines = append(lines, strings.Join(cur, " "))
			cur, curW = nil, 0
		}
	}
	for _, word := range glueWords(strings.Split(p, " ")) {
		ww := d.symbolWidth(word)
		if len(cur) > 0 && curW+space+ww <= wmax {
			cur = append(cur, word)
			curW += space + ww
			continue
		}
		flush()
		if ww <= wmax {
			cur, curW = []string{word}, ww
			continue
		}
		pieces := d.breakWord(word, w, wmax)
		lines = append(lines, pieces[:len(pieces)-1]...)
		last := pieces[len(pieces)-1]
		cur, curW = []string{last}, d.symbolWidth(last)
	}
	flush()
	if len(lines) == 0 {
		lines = []string{""}
	}
	return lines
}

// glueWords drops empty words and keeps times such as "18 h 20" in one
// piece, so that a line never breaks inside them.
func glueWords(words []string) []string {
	out := words[:0:0]
	isDigit := func(b byte) bool { return b >= '0' && b <= '9' }
	for _, w := range words {
		if w == "" {
			continue
		}
		if n := len(out); n > 0 {
			prev := out[n-1]
			if (w == "h" && isDigit(prev[len(prev)-1])) ||
				(strings.HasSuffix(prev, " h") && len(w) >= 2 && isDigit(w[0]) && isDigit(w[1])) {
				out[n-1] = prev + " " + w
				continue
			}
		}
		out = append(out, w)
	}
	return out
}

// breakWord breaks a word wider than the cell: after its hyphens first
// (« Saint- / Exupéry »), and only a part still too wide rune by rune,
// measured with the font's widths. (gofpdf's SplitText is not used: it
// drops a character at some break points, found by FuzzWrap.)
func (d *doc) breakWord(word string, w float64, wmax int) []string {
	var out []string
	cur, curW := "", 0
	for _, part := range hyphenParts(word) {
		pw := d.symbolWidth(part)
		if cur != "" && curW+pw <= wmax {
			cur, curW = cur+part, curW+pw
			continue
		}
		if cur != "" {
			out = append(out, cur)
		}
		if pw <= wmax {
			cur, curW = part, pw
			continue
		}
		pieces := d.breakRunes(part, wmax)
		out = append(out, pieces[:len(pieces)-1]...)
		cur = pieces[len(pieces)-1]
		curW = d.symbolWidth(cur)
	}
	if cur != "" {
		out = append(out, cur)
	}
	if len(out) == 0 {
		out = []string{word}
	}
	return out
}

// hyphenParts splits a word after each hyphen: « Saint-Exupéry » gives
// « Saint- » and « Exupéry ».
func hyphenParts(word string) []string {
	var parts []string
	for {
		i := strings.IndexAny(word, "-‐")
		if i < 0 || i == len(word)-1 {
			break
		}
		_, size := utf8.DecodeRuneInString(word[i:])
		parts = append(parts, word[:i+size])
		word = word[i+size:]
	}
	return append(parts, word)
}

// splitsWord reports whether wrapping text to width w in the current font
// must cut a word between two letters (after a hyphen is a fair break).
func (d *doc) splitsWord(text string, w float64) bool {
	wmax := d.maxSymbolWidth(w)
	for _, word := range strings.Fields(strings.ReplaceAll(clean(text), "\n", " ")) {
		for _, part := range hyphenParts(word) {
			if d.symbolWidth(part) > wmax {
				return true
			}
		}
	}
	return false
}

// breakRunes breaks a word rune by rune.
func (d *doc) breakRunes(word string, wmax int) []string {
	var out []string
	var b strings.Builder
	bw := 0
	for _, r := range word {
		rw := d.symbolWidth(string(r))
		if b.Len() > 0 && bw+rw > wmax {
			out = append(out, b.String())
			b.Reset()
			bw = 0
		}
		b.WriteRune(r)
		bw += rw
	}
	if b.Len() > 0 {
		out = append(out, b.String())
	}
	if len(out) == 0 {
		out = []string{word}
	}
	return out
}

// fit shortens text with an ellipsis so that it fits on one line of a
// cell of width w in the current font.
func (d *doc) fit(text string, w float64) string {
	text = strings.ReplaceAll(clean(text), "\n", " ")
	wmax := d.maxSymbolWidth(w)
	if d.symbolWidth(text) <= wmax {
		return text
	}
	r := []rune(text)
	for len(r) > 0 && d.symbolWidth(string(r)+"…") > wmax {
		r = r[:len(r)-1]
	}
	return strings.TrimRight(string(r), " ") + "…"
}

// lineHeight is a comfortable line height, in mm, for a font size in pt.
func lineHeight(size float64) float64 {
	return size * 0.3528 * 1.3
}

// write prints text wrapped to width w starting at x, line by line from
// the cursor, adding pages as needed. It leaves the cursor under the text.
func (d *doc) write(x, w float64, text string, bold bool, size float64, align string) {
	d.setFont(bold, size)
	lh := lineHeight(size)
	for _, line := range d.wrap(text, w) {
		if d.ensure(lh) {
			d.setFont(bold, size)
		}
		y := d.f.GetY()
		d.f.SetXY(x, y)
		d.cell(w, lh, line, align)
		d.f.SetXY(x, y+lh)
	}
}

// para prints a paragraph across the content width.
func (d *doc) para(text string, bold bool, size float64) {
	d.write(marginLeft, d.contentWidth(), text, bold, size, "L")
}

// gap moves the cursor down by h millimetres.
func (d *doc) gap(h float64) {
	d.f.SetXY(marginLeft, d.f.GetY()+h)
}

// heading prints a section heading, keeping it with at least keep
// millimetres of what follows.
func (d *doc) heading(text string, size, keep float64) {
	d.setFont(true, size)
	lines := d.wrap(text, d.contentWidth())
	d.ensure(float64(len(lines))*lineHeight(size) + keep)
	d.write(marginLeft, d.contentWidth(), text, true, size, "L")
	d.gap(1.5)
}

// label prints "Label : value", the label in bold and the value wrapped
// beside it.
func (d *doc) label(name, value string, size float64) {
	if strings.TrimSpace(value) == "" {
		return
	}
	lab := clean(name + " :")
	d.setFont(true, size)
	lw := math.Min(d.f.GetStringWidth(lab)+2*cellMargin+1, d.contentWidth()/2)
	d.ensure(lineHeight(size))
	y := d.f.GetY()
	d.f.SetXY(marginLeft, y)
	d.cell(lw, lineHeight(size), d.fit(lab, lw), "L")
	d.f.SetXY(marginLeft+lw, y)
	d.write(marginLeft+lw, d.contentWidth()-lw, value, false, size, "L")
}

// fitBox returns the largest font size, from hi down to lo by steps of
// one point, at which text wraps into at most maxLines lines of width w
// whose total height stays within h; it also returns the lines. When even
// lo does not fit, the lines that fit are kept and the last one ends with
// an ellipsis.
func (d *doc) fitBox(text string, bold bool, w, h, hi, lo float64, maxLines int) (float64, []string) {
	// First the largest size at which no word is cut between two letters,
	// then the largest size that fits at all.
	for _, whole := range []bool{true, false} {
		for size := hi; size >= lo; size-- {
			d.setFont(bold, size)
			if whole && d.splitsWord(text, w) {
				continue
			}
			lines := d.wrap(text, w)
			if len(lines) <= maxLines && float64(len(lines))*lineHeight(size) <= h+1e-6 {
				return size, lines
			}
		}
	}
	d.setFont(bold, lo)
	lines := d.wrap(text, w)
	n := max(1, min(maxLines, int(h/lineHeight(lo))))
	if len(lines) > n {
		last := strings.Join(lines[n-1:], " ")
		lines = append(append([]string(nil), lines[:n-1]...), d.fit(last, w))
	}
	return lo, lines
}

// box prints lines (from fitBox) at the cursor, each lineHeight(size)
// high, aligned within width w starting at x.
func (d *doc) box(x, w float64, lines []string, bold bool, size float64, align string) {
	d.setFont(bold, size)
	for _, l := range lines {
		y := d.f.GetY()
		d.f.SetXY(x, y)
		d.cell(w, lineHeight(size), l, align)
		d.f.SetXY(x, y+lineHeight(size))
	}
}
