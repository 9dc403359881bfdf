package ical

import (
	"slices"
	"strings"
	"testing"
)

// hostile holds values that try to break out of a TEXT value or of a quoted
// CN parameter value.
var hostile = []string{
	"Atelier\r\nATTENDEE:mailto:intrus@example.com",
	"Atelier\nEND:VEVENT\nBEGIN:VEVENT\nUID:autre",
	"Atelier\rORGANIZER:mailto:intrus@example.com",
	"a:b;c,d\\e \\n \\, fin\\",
	`Nom"; ROLE=CHAIR:mailto:intrus@example.com`,
	"Nom\";RSVP=FALSE;X=\"y\r\n :z",
	"\"\r\n\r\n\"",
	"Françoise\x00\x1b\x7f\tWaintrop\u2028—",
	"invalid \xff\xfe UTF-8",
	strings.Repeat("Ouverture des données ; ", 12) + "\r\nSTATUS:CANCELLED",
}

// checkHostile builds a calendar with s in every free-text field and checks
// that both parsers read back exactly the expected properties, with the text
// intact (as cleaned) and the attendee unchanged.
func checkHostile(t *testing.T, s string) {
	t.Helper()
	item := fixtureItem()
	item.Summary = "S" + s
	item.Location = s
	item.Description = s
	item.Categories = []string{"C" + s, "autre"}
	item.Organizer.Name = s
	item.Attendees[0].Name = s
	b, err := Request(item, fixedNow)
	if err != nil {
		t.Fatalf("Request: %v", err)
	}
	p := parseBoth(t, b)
	ev, ae := p.goEvent(t), p.arEvent(t)

	wantProps := []string{"ATTENDEE", "CATEGORIES", "DESCRIPTION", "DTEND", "DTSTAMP", "DTSTART",
		"LOCATION", "ORGANIZER", "SEQUENCE", "STATUS", "SUMMARY", "UID", "URL"}
	if cleanText(s) == "" {
		wantProps = slices.DeleteFunc(wantProps, func(n string) bool { return n == "LOCATION" || n == "DESCRIPTION" })
	}
	if got := goPropNames(ev.Component); !slices.Equal(got, wantProps) {
		t.Fatalf("go-ical properties = %q, want %q\n%s", got, wantProps, b)
	}
	if got := arPropNames(ae.Properties); !slices.Equal(got, wantProps) {
		t.Fatalf("golang-ical properties = %q, want %q\n%s", got, wantProps, b)
	}
	if got := goPropNames(p.gc.Component); !slices.Equal(got, []string{"CALSCALE", "METHOD", "PRODID", "VERSION"}) {
		t.Fatalf("calendar properties = %q", got)
	}
	if len(p.gc.Children) != 2 || len(p.ac.Components) != 2 {
		t.Fatalf("want 2 components, got %d and %d", len(p.gc.Children), len(p.ac.Components))
	}

	texts := map[string]string{"SUMMARY": "S" + s, "STATUS": "CONFIRMED", "UID": item.UID}
	if cleanText(s) != "" {
		texts["LOCATION"] = s
		texts["DESCRIPTION"] = s
	}
	for name, in := range texts {
		want := cleanText(in)
		if got := goText(t, ev.Component, name); got != want {
			t.Errorf("go-ical %s = %q, want %q", name, got, want)
		}
		if got := arValue(t, ae, name); got != want {
			t.Errorf("golang-ical %s = %q, want %q", name, got, want)
		}
	}
	cats, err := ev.Props.Get("CATEGORIES").TextList()
	if want := []string{cleanText("C" + s), "autre"}; err != nil || !slices.Equal(cats, want) {
		t.Errorf("CATEGORIES = %q (%v), want %q", cats, err, want)
	}

	// The CN parameters hold the cleaned name; nothing else leaks in.
	wantCN := cleanName(s)
	for _, name := range []string{"ORGANIZER", "ATTENDEE"} {
		props := ev.Props.Values(name)
		if len(props) != 1 {
			t.Fatalf("%d %s properties", len(props), name)
		}
		prop := props[0]
		if got := prop.Params.Get("CN"); got != wantCN || len(prop.Params.Values("CN")) > 1 {
			t.Errorf("go-ical %s CN = %q, want %q", name, prop.Params.Values("CN"), wantCN)
		}
		if name == "ATTENDEE" && (prop.Params.Get("ROLE") != "REQ-PARTICIPANT" || prop.Params.Get("RSVP") != "TRUE" ||
			prop.Params.Get("PARTSTAT") != "NEEDS-ACTION" || len(prop.Params) != 3+min(len(wantCN), 1)) {
			t.Errorf("go-ical ATTENDEE params = %v", prop.Params)
		}
	}
	if got := ev.Props.Get("ATTENDEE").Value; got != "mailto:francoise.waintrop@example.fr" {
		t.Errorf("go-ical ATTENDEE = %q", got)
	}
	if got := ev.Props.Get("ORGANIZER").Value; got != "mailto:contact@etalab.example" {
		t.Errorf("go-ical ORGANIZER = %q", got)
	}
	att := ae.Attendees()
	if len(att) != 1 || att[0].Email() != "francoise.waintrop@example.fr" {
		t.Fatalf("golang-ical attendees = %v", att)
	}
	if wantCN != "" {
		if got := att[0].ICalParameters["CN"]; !slices.Equal(got, []string{wantCN}) {
			t.Errorf("golang-ical ATTENDEE CN = %q, want %q", got, wantCN)
		}
	}
	if got := att[0].ICalParameters["ROLE"]; !slices.Equal(got, []string{"REQ-PARTICIPANT"}) {
		t.Errorf("golang-ical ATTENDEE ROLE = %q", got)
	}
}

func TestHostileTextCannotInject(t *testing.T) {
	for _, s := range hostile {
		t.Run("", func(t *testing.T) { checkHostile(t, s) })
	}
}

func TestTextEscaping(t *testing.T) {
	item := fixtureItem()
	item.Summary = `a, b; c\ d` + "\ne: f\r\ng"
	item.Organizer.Name = "Etalab: DINSIC; SGMAP, Premier ministre"
	item.Attendees[0].Name = "Dupont, Françoise"
	b, err := Request(item, fixedNow)
	if err != nil {
		t.Fatal(err)
	}
	// RFC 5545 §3.3.11: backslash, ';', ',' and newline are escaped, ':' is
	// not; CRLF in the input is one newline.
	if got, want := rawLine(t, b, "SUMMARY"), `SUMMARY:a\, b\; c\\ d\ne: f\ng`; got != want {
		t.Errorf("raw SUMMARY = %q, want %q", got, want)
	}
	// A parameter value holding ':', ';' or ',' is quoted; a plain one is not.
	if got, want := rawLine(t, b, "ORGANIZER"),
		`ORGANIZER;CN="Etalab: DINSIC; SGMAP, Premier ministre":mailto:contact@etalab.example`; got != want {
		t.Errorf("raw ORGANIZER = %q, want %q", got, want)
	}
	if got := rawLine(t, b, "ATTENDEE"); !strings.HasPrefix(got, `ATTENDEE;CN="Dupont, Françoise";PARTSTAT=`) {
		t.Errorf("raw ATTENDEE = %q", got)
	}
	item.Attendees[0].Name = "Françoise Waintrop"
	b, _ = Request(item, fixedNow)
	if got := rawLine(t, b, "ATTENDEE"); !strings.HasPrefix(got, `ATTENDEE;CN=Françoise Waintrop;PARTSTAT=`) {
		t.Errorf("raw ATTENDEE = %q", got)
	}
}

func TestCleanName(t *testing.T) {
	for in, want := range map[string]string{
		"Françoise Waintrop":                 "Françoise Waintrop",
		"  Françoise \r\n\t Waintrop  ":      "Françoise Waintrop",
		`Henri "le Geek" Verdier`:            "Henri 'le Geek' Verdier",
		`dom\user`:                           "dom/user",
		"a\x00b":                             "a b",
		"\r\n":                               "",
		"Ministère: données; codes, sources": "Ministère: données; codes, sources",
	} {
		if got := cleanName(in); got != want {
			t.Errorf("cleanName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCleanText(t *testing.T) {
	for in, want := range map[string]string{
		"a\r\nb\rc\nd":             "a\nb\nc\nd",
		"tab\tkept, ; \\ kept":     "tab\tkept, ; \\ kept",
		"ctl\x00\x01\x1b\x7f gone": "ctl gone",
		"bad \xff":                 "bad \uFFFD",
		"Données — « ouvertes »":   "Données — « ouvertes »",
	} {
		if got := cleanText(in); got != want {
			t.Errorf("cleanText(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzText(f *testing.F) {
	for _, s := range hostile {
		f.Add(s)
	}
	f.Add(frSummary)
	f.Add(frAttendee)
	f.Fuzz(func(t *testing.T, s string) {
		checkHostile(t, s)
	})
}
