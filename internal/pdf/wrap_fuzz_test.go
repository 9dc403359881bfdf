package pdf

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// FuzzWrap lays out arbitrary text in cells of many widths and sizes, and
// checks what a reader of the kit would notice: every line fits its cell,
// no word or letter is lost or reordered, and a line holds no newline.
func FuzzWrap(f *testing.F) {
	f.Add("Ouverture par la ministre, puis ateliers de 18 h 20 à 19 h 20.", uint8(100), false, uint8(10))
	f.Add("Anticonstitutionnellementanticonstitutionnellementanticonstitutionnellement", uint8(0), true, uint8(14))
	f.Add("« Données ouvertes » : 12\u202f% des services\u00a0; et 3\u202f000 lignes…\n\nDeuxième paragraphe", uint8(35), false, uint8(8))
	f.Add("\x00\r\n\t\u2028 \U0001F600 \xff\xfe", uint8(255), true, uint8(24))
	f.Add(strings.Repeat("é", 300), uint8(7), false, uint8(6))
	d, err := newDoc("", meta{})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, text string, width uint8, bold bool, size uint8) {
		if len(text) > 4000 {
			return
		}
		w := 20 + float64(width)*170/255 // 20 to 190 mm: the narrowest column to the full page
		pt := 6 + float64(size%19)       // 6 to 24 pt
		d.setFont(bold, pt)
		clear(d.cache)
		done := make(chan []string, 1)
		go func() { done <- d.wrap(text, w) }()
		var lines []string
		select {
		case lines = <-done:
		case <-time.After(5 * time.Second):
			t.Fatalf("the layout of %q in %.1f mm at %.0f pt does not finish", text, w, pt)
		}
		if len(lines) == 0 {
			t.Fatal("no line at all")
		}
		wmax := d.maxSymbolWidth(w)
		for i, l := range lines {
			if strings.Contains(l, "\n") || !utf8.ValidString(l) {
				t.Errorf("line %d %q holds a newline or invalid UTF-8", i, l)
			}
			if sw := d.symbolWidth(l); sw > wmax && utf8.RuneCountInString(l) > 1 {
				t.Errorf("line %d %q is %d wide, the cell %d (%.1f mm, %.0f pt)", i, l, sw, wmax, w, pt)
			}
		}
		want := strings.Join(strings.Fields(clean(text)), "")
		got := strings.Join(strings.Fields(strings.Join(lines, " ")), "")
		if got != want {
			t.Errorf("text changed by the layout:\n got %q\nwant %q", got, want)
		}
	})
}
