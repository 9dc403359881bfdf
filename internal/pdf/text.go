package pdf

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf16"
)

// cell prints one line of text in a cell of width w and height h at the
// cursor (like gofpdf's CellFormat, without border), then moves the
// cursor to the start of the next line.
//
// Poppler's pdftotext turns every Unicode white space into a plain space.
// So that the narrow no-break space survives extraction, each U+202F is
// printed together with its neighbouring character inside a marked-content
// span whose /ActualText gives both characters: extractors then read the
// pair as one unit, U+202F included.
func (d *doc) cell(w, h float64, text, align string) {
	x, y := d.f.GetXY()
	if !strings.Contains(text, nnbsp) {
		d.f.CellFormat(w, h, text, "", 0, align, false, 0, "")
		d.f.SetXY(x, y+h)
		return
	}
	tw := d.f.GetStringWidth(text)
	tx := x + cellMargin
	switch align {
	case "C":
		tx = x + (w-tw)/2
	case "R":
		tx = x + w - cellMargin - tw
	}
	_, unit := d.f.GetFontSize()
	baseline := y + 0.5*h + 0.3*unit // as CellFormat does
	for _, s := range nnbspSegments(text) {
		if s.actual {
			d.f.RawWriteStr("/Span <</ActualText " + pdfTextHex(s.text) + ">> BDC")
		}
		d.f.Text(tx, baseline, s.text)
		if s.actual {
			d.f.RawWriteStr("EMC")
		}
		tx += d.f.GetStringWidth(s.text)
	}
	d.f.SetXY(x, y+h)
}

// segment is a run of text; actual runs hold a narrow no-break space and
// are printed inside an ActualText span.
type segment struct {
	text   string
	actual bool
}

// nnbspSegments splits text so that every narrow no-break space is paired
// with the following character (or, at the end of a word, the preceding
// one) in a segment of its own.
func nnbspSegments(text string) []segment {
	const nb = '\u202f'
	r := []rune(text)
	var out []segment
	var plain []rune
	flush := func() {
		if len(plain) > 0 {
			out = append(out, segment{string(plain), false})
			plain = nil
		}
	}
	for i := 0; i < len(r); i++ {
		if r[i] != nb {
			plain = append(plain, r[i])
			continue
		}
		switch {
		case i+1 < len(r) && r[i+1] != nb && !unicode.IsSpace(r[i+1]):
			flush()
			out = append(out, segment{string(r[i : i+2]), true})
			i++
		case len(plain) > 0 && !unicode.IsSpace(plain[len(plain)-1]):
			last := plain[len(plain)-1]
			plain = plain[:len(plain)-1]
			flush()
			out = append(out, segment{string([]rune{last, nb}), true})
		default:
			plain = append(plain, nb)
		}
	}
	flush()
	return out
}

// pdfTextHex encodes s as a PDF text string in UTF-16BE with a byte order
// mark, in hexadecimal: <FEFF...>.
func pdfTextHex(s string) string {
	var b strings.Builder
	b.WriteString("<FEFF")
	for _, u := range utf16.Encode([]rune(s)) {
		fmt.Fprintf(&b, "%04X", u)
	}
	b.WriteString(">")
	return b.String()
}
