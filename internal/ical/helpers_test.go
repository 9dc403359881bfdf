package ical

import (
	"bytes"
	"io"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	ics "github.com/arran4/golang-ical"
	goical "github.com/emersion/go-ical"
)

// Fixture values, from the first "Ministère ouvert" workshops.
const (
	frSummary     = "Ministère ouvert #1 — Atelier 3 : Ouverture des données et des codes sources"
	frLocation    = "Ministère de l'Économie, 139 rue de Bercy, 75012 Paris"
	frDescription = "Atelier du Partenariat pour un gouvernement ouvert.\nApportez vos idées ; café offert, à bientôt !"
	frOrganizer   = "Mission Etalab"
	frAttendee    = "Françoise Waintrop"
)

// fixedNow is the DTSTAMP of the fixtures.
var fixedNow = time.Date(2016, 6, 1, 8, 30, 0, 0, time.UTC)

func fixtureItem() Item {
	return Item{
		UID:         "event-12-item-3@fabrique.example",
		Sequence:    0,
		Start:       time.Date(2016, 6, 21, 16, 0, 0, 0, time.UTC), // 18:00 in Paris
		End:         time.Date(2016, 6, 21, 18, 0, 0, 0, time.UTC),
		Summary:     frSummary,
		Location:    frLocation,
		Description: frDescription,
		URL:         "https://fabrique.example/evenements/12/ateliers/3",
		Organizer:   Person{Name: frOrganizer, Email: "contact@etalab.example"},
		Attendees:   []Person{{Name: frAttendee, Email: "francoise.waintrop@example.fr"}},
		Categories:  []string{"Gouvernement ouvert", "Données, codes sources"},
	}
}

// unfold undoes Fold: it removes every CRLF followed by one space. It is the
// RFC 5545 §3.1 unfolding, restricted to the space that Fold writes.
func unfold(b []byte) []byte {
	return bytes.ReplaceAll(b, []byte("\r\n "), nil)
}

// checkWire checks the physical form of a produced calendar: CRLF line ends
// only, every line at most 75 octets and valid UTF-8.
func checkWire(t testing.TB, b []byte) {
	t.Helper()
	if !bytes.HasSuffix(b, []byte("\r\n")) {
		t.Errorf("output does not end with CRLF")
	}
	for i, line := range bytes.Split(bytes.TrimSuffix(b, []byte("\r\n")), []byte("\r\n")) {
		if len(line) > MaxLineOctets {
			t.Errorf("line %d has %d octets: %q", i+1, len(line), line)
		}
		if !utf8.Valid(line) {
			t.Errorf("line %d is not valid UTF-8: %q", i+1, line)
		}
		if bytes.ContainsAny(line, "\r\n") {
			t.Errorf("line %d holds a bare CR or LF: %q", i+1, line)
		}
	}
}

// parsed is a produced calendar, decoded by both parsers.
type parsed struct {
	raw []byte
	gc  *goical.Calendar // github.com/emersion/go-ical
	ac  *ics.Calendar    // github.com/arran4/golang-ical
}

// parseBoth checks the wire form of b and decodes it with go-ical and with
// golang-ical, failing the test if either refuses it.
func parseBoth(t testing.TB, b []byte) parsed {
	t.Helper()
	checkWire(t, b)
	dec := goical.NewDecoder(bytes.NewReader(b))
	gc, err := dec.Decode()
	if err != nil {
		t.Fatalf("go-ical cannot decode the output: %v\n%s", err, b)
	}
	if _, err := dec.Decode(); err != io.EOF {
		t.Fatalf("go-ical: want a single VCALENDAR, second Decode gave %v", err)
	}
	ac, err := ics.ParseCalendar(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("golang-ical cannot parse the output: %v\n%s", err, b)
	}
	return parsed{raw: b, gc: gc, ac: ac}
}

// goEvents returns the VEVENTs decoded by go-ical.
func (p parsed) goEvents() []goical.Event { return p.gc.Events() }

// goEvent returns the only VEVENT decoded by go-ical.
func (p parsed) goEvent(t testing.TB) goical.Event {
	t.Helper()
	evs := p.gc.Events()
	if len(evs) != 1 {
		t.Fatalf("go-ical: want 1 VEVENT, got %d", len(evs))
	}
	return evs[0]
}

// arEvent returns the only VEVENT parsed by golang-ical.
func (p parsed) arEvent(t testing.TB) *ics.VEvent {
	t.Helper()
	evs := p.ac.Events()
	if len(evs) != 1 {
		t.Fatalf("golang-ical: want 1 VEVENT, got %d", len(evs))
	}
	return evs[0]
}

// arCalProp returns the values of calendar property name, per golang-ical.
func (p parsed) arCalProp(name string) []string {
	var vs []string
	for _, cp := range p.ac.CalendarProperties {
		if cp.IANAToken == name {
			vs = append(vs, cp.Value)
		}
	}
	return vs
}

// goPropNames lists the property names of comp, once per property, sorted.
func goPropNames(comp *goical.Component) []string {
	var names []string
	for name, props := range comp.Props {
		for range props {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	return names
}

// arPropNames lists the property names of a golang-ical component, sorted.
func arPropNames(props []ics.IANAProperty) []string {
	var names []string
	for _, p := range props {
		names = append(names, p.IANAToken)
	}
	slices.Sort(names)
	return names
}

// goText returns the value of property name of comp, unescaped if its type
// is TEXT, raw otherwise.
func goText(t testing.TB, comp *goical.Component, name string) string {
	t.Helper()
	prop := comp.Props.Get(name)
	if prop == nil {
		t.Fatalf("go-ical: no %s property", name)
	}
	if prop.ValueType() != goical.ValueText && prop.ValueType() != goical.ValueDefault {
		return prop.Value
	}
	s, err := prop.Text()
	if err != nil {
		t.Fatalf("go-ical: %s: %v", name, err)
	}
	return s
}

// arValue returns the value of property name of ev, as golang-ical gives it
// (TEXT values unescaped).
func arValue(t testing.TB, ev *ics.VEvent, name string) string {
	t.Helper()
	prop := ev.GetProperty(ics.ComponentProperty(name))
	if prop == nil {
		t.Fatalf("golang-ical: no %s property", name)
	}
	return prop.Value
}

// rawLines returns the unfolded content lines of b.
func rawLines(b []byte) []string {
	return strings.Split(strings.TrimSuffix(string(unfold(b)), "\r\n"), "\r\n")
}

// rawLine returns the only unfolded content line inside a VEVENT of b that
// starts with prefix, failing if there is not exactly one.
func rawLine(t testing.TB, b []byte, prefix string) string {
	t.Helper()
	var found []string
	inEvent := false
	for _, l := range rawLines(b) {
		switch l {
		case "BEGIN:VEVENT":
			inEvent = true
		case "END:VEVENT":
			inEvent = false
		}
		if inEvent && strings.HasPrefix(l, prefix) {
			found = append(found, l)
		}
	}
	if len(found) != 1 {
		t.Fatalf("want 1 line starting with %q, got %q", prefix, found)
	}
	return found[0]
}
