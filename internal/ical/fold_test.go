package ical

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"

	goical "github.com/emersion/go-ical"
)

func TestFold(t *testing.T) {
	a75 := strings.Repeat("a", 75)
	a74 := strings.Repeat("a", 74)
	for _, tc := range []struct {
		name, in, want string
	}{
		{"empty", "", ""},
		{"short line kept", "SUMMARY:court\r\n", "SUMMARY:court\r\n"},
		{"75 octets kept", a75 + "\r\n", a75 + "\r\n"},
		{"76 octets folded", a75 + "b\r\n", a75 + "\r\n b\r\n"},
		{"continuations hold 74 octets", a75 + a74 + a74 + "x",
			a75 + "\r\n " + a74 + "\r\n " + a74 + "\r\n x"},
		{"no final CRLF", a75 + "bc", a75 + "\r\n bc"},
		{"lines folded separately", a75 + "b\r\n" + a75 + "c\r\n",
			a75 + "\r\n b\r\n" + a75 + "\r\n c\r\n"},
		{"empty lines kept", "\r\n\r\n", "\r\n\r\n"},
		// "é" is 2 octets: at octets 75–76 it must move to the next line.
		{"two-octet character not split", a74 + "éz", a74 + "\r\n éz"},
		{"two-octet character fits", strings.Repeat("a", 73) + "éz", strings.Repeat("a", 73) + "é\r\n z"},
		// "—" is 3 octets, "😀" 4.
		{"three-octet character not split", a74 + "—", a74 + "\r\n —"},
		{"four-octet character not split", strings.Repeat("a", 72) + "😀😀", strings.Repeat("a", 72) + "\r\n 😀😀"},
		{"bare LF is not a line end", a74 + "\n" + "bc", a74 + "\n" + "\r\n bc"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := string(Fold([]byte(tc.in)))
			if got != tc.want {
				t.Errorf("Fold(%q)\n got %q\nwant %q", tc.in, got, tc.want)
			}
			checkFolded(t, []byte(tc.in), []byte(got))
		})
	}
}

func TestFoldAccentedSummary(t *testing.T) {
	line := "SUMMARY:" + strings.Repeat("Ministère ouvert — données, é😀 ", 20)
	in := []byte(line + "\r\n")
	out := Fold(in)
	checkFolded(t, in, out)
	if n := bytes.Count(out, []byte("\r\n ")); n < len(line)/75 {
		t.Errorf("only %d folds for a %d-octet line", n, len(line))
	}
	// go-ical reads the folded line back as the original.
	cal, err := goical.NewDecoder(bytes.NewReader(
		[]byte("BEGIN:VCALENDAR\r\n" + string(out) + "END:VCALENDAR\r\n"))).Decode()
	if err != nil {
		t.Fatal(err)
	}
	if got := cal.Props.Get("SUMMARY").Value; "SUMMARY:"+got != line {
		t.Errorf("unfolded summary = %q", got)
	}
}

func TestFoldDoesNotModifyInput(t *testing.T) {
	in := []byte(strings.Repeat("é", 100) + "\r\n")
	orig := bytes.Clone(in)
	Fold(in)
	if !bytes.Equal(in, orig) {
		t.Error("Fold modified its input")
	}
}

// checkFolded checks the properties Fold promises for in and its result out.
func checkFolded(t testing.TB, in, out []byte) {
	t.Helper()
	for i, line := range bytes.Split(out, []byte("\r\n")) {
		if len(line) > MaxLineOctets {
			t.Fatalf("line %d has %d octets: %q", i, len(line), line)
		}
		if utf8.Valid(in) && !utf8.Valid(line) {
			t.Fatalf("line %d is not valid UTF-8: %q", i, line)
		}
	}
	if !bytes.Equal(unfold(out), unfold(in)) {
		t.Fatalf("unfolding does not give back the input:\n in %q\nout %q", in, out)
	}
	if !bytes.Contains(in, []byte("\r\n ")) && !bytes.Equal(unfold(out), in) {
		t.Fatalf("unfold(Fold(in)) != in for %q", in)
	}
	if again := Fold(out); !bytes.Equal(again, out) {
		t.Fatalf("Fold is not idempotent:\n once %q\ntwice %q", out, again)
	}
	// Only folds are added: the output has the input's octets and, for
	// each fold, CRLF and a space.
	if extra := len(out) - len(in); extra%3 != 0 || extra/3 != bytes.Count(out, []byte("\r\n "))-bytes.Count(in, []byte("\r\n ")) {
		t.Fatalf("Fold added %d octets besides folds", extra)
	}
}

func FuzzFold(f *testing.F) {
	f.Add([]byte(""))
	f.Add([]byte("SUMMARY:Ministère ouvert #1 — Atelier 3 : Ouverture des données et des codes sources\r\n"))
	f.Add([]byte(strings.Repeat("é", 80) + "\r\n" + strings.Repeat("😀", 40)))
	f.Add([]byte(strings.Repeat("a", 74) + "\r\r\n\n" + strings.Repeat("b", 200)))
	f.Add([]byte(strings.Repeat("a", 76) + "\r\n " + strings.Repeat("c", 76) + "\xff\xfe"))
	f.Fuzz(func(t *testing.T, in []byte) {
		checkFolded(t, in, Fold(in))
	})
}
