package ical

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"
	goical "github.com/emersion/go-ical"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

func TestRequestReadByBothParsers(t *testing.T) {
	item := fixtureItem()
	item.Attendees = append(item.Attendees, Person{Name: "Henri Verdier", Email: "henri@example.fr"})
	b, err := Request(item, fixedNow)
	if err != nil {
		t.Fatal(err)
	}
	p := parseBoth(t, b)

	// Calendar properties.
	for name, want := range map[string]string{
		"METHOD": "REQUEST", "PRODID": ProdID, "VERSION": "2.0", "CALSCALE": "GREGORIAN",
	} {
		if got := goText(t, p.gc.Component, name); got != want {
			t.Errorf("go-ical %s = %q, want %q", name, got, want)
		}
		if got := p.arCalProp(name); !slices.Equal(got, []string{want}) {
			t.Errorf("golang-ical %s = %q, want [%q]", name, got, want)
		}
	}
	if got, want := goPropNames(p.gc.Component), []string{"CALSCALE", "METHOD", "PRODID", "VERSION"}; !slices.Equal(got, want) {
		t.Errorf("calendar properties = %q, want %q", got, want)
	}
	if len(p.gc.Children) != 2 || p.gc.Children[0].Name != goical.CompTimezone {
		t.Fatalf("want VTIMEZONE then VEVENT, got %d components", len(p.gc.Children))
	}
	if n := len(p.ac.Timezones()); n != 1 {
		t.Errorf("golang-ical: %d VTIMEZONE, want 1", n)
	}

	ev := p.goEvent(t)
	ae := p.arEvent(t)
	wantProps := []string{"ATTENDEE", "ATTENDEE", "CATEGORIES", "DESCRIPTION", "DTEND", "DTSTAMP",
		"DTSTART", "LOCATION", "ORGANIZER", "SEQUENCE", "STATUS", "SUMMARY", "UID", "URL"}
	if got := goPropNames(ev.Component); !slices.Equal(got, wantProps) {
		t.Errorf("go-ical VEVENT properties = %q, want %q", got, wantProps)
	}
	if got := arPropNames(ae.Properties); !slices.Equal(got, wantProps) {
		t.Errorf("golang-ical VEVENT properties = %q, want %q", got, wantProps)
	}

	// Text values, French accents included, through both parsers.
	for name, want := range map[string]string{
		"UID": item.UID, "SUMMARY": frSummary, "LOCATION": frLocation,
		"DESCRIPTION": frDescription, "STATUS": "CONFIRMED", "SEQUENCE": "0",
		"URL": item.URL, "DTSTAMP": "20160601T083000Z",
	} {
		if got := goText(t, ev.Component, name); got != want {
			t.Errorf("go-ical %s = %q, want %q", name, got, want)
		}
		if got := arValue(t, ae, name); got != want {
			t.Errorf("golang-ical %s = %q, want %q", name, got, want)
		}
	}
	if ae.Id() != item.UID {
		t.Errorf("golang-ical UID = %q", ae.Id())
	}
	cats, err := ev.Props.Get("CATEGORIES").TextList()
	if err != nil || !slices.Equal(cats, item.Categories) {
		t.Errorf("CATEGORIES = %q (%v), want %q", cats, err, item.Categories)
	}

	// DTSTART/DTEND: local times in Europe/Paris, 18:00 = 16:00Z.
	if got := rawLine(t, b, "DTSTART"); got != "DTSTART;TZID=Europe/Paris:20160621T180000" {
		t.Errorf("raw DTSTART = %q", got)
	}
	if got := rawLine(t, b, "DTEND"); got != "DTEND;TZID=Europe/Paris:20160621T200000" {
		t.Errorf("raw DTEND = %q", got)
	}
	for name, want := range map[string]time.Time{"DTSTART": item.Start, "DTEND": item.End} {
		prop := ev.Props.Get(name)
		if tz := prop.Params.Get("TZID"); tz != "Europe/Paris" {
			t.Errorf("go-ical %s TZID = %q", name, tz)
		}
		got, err := prop.DateTime(time.UTC)
		if err != nil || !got.Equal(want) {
			t.Errorf("go-ical %s = %v (%v), want %v", name, got, err, want)
		}
	}
	if got, err := ae.GetStartAt(); err != nil || !got.Equal(time.Date(2016, 6, 21, 16, 0, 0, 0, time.UTC)) {
		t.Errorf("golang-ical start = %v (%v), want 2016-06-21 16:00Z", got, err)
	}
	if got, err := ae.GetEndAt(); err != nil || !got.Equal(item.End) {
		t.Errorf("golang-ical end = %v (%v), want %v", got, err, item.End)
	}

	// ORGANIZER and ATTENDEE: mailto: value, CN, no VALUE parameter.
	org := ev.Props.Get("ORGANIZER")
	if org.Value != "mailto:contact@etalab.example" || org.Params.Get("CN") != frOrganizer || len(org.Params) != 1 {
		t.Errorf("ORGANIZER = %q %v", org.Value, org.Params)
	}
	attendees := ev.Props.Values("ATTENDEE")
	for i, a := range attendees {
		want := goical.Params{
			"CN": {item.Attendees[i].Name}, "RSVP": {"TRUE"},
			"PARTSTAT": {"NEEDS-ACTION"}, "ROLE": {"REQ-PARTICIPANT"},
		}
		if a.Value != "mailto:"+item.Attendees[i].Email || !paramsEqual(a.Params, want) {
			t.Errorf("go-ical ATTENDEE %d = %q %v, want params %v", i, a.Value, a.Params, want)
		}
	}
	arAtt := ae.Attendees()
	if len(arAtt) != 2 {
		t.Fatalf("golang-ical: %d attendees, want 2", len(arAtt))
	}
	for i, a := range arAtt {
		if a.Email() != item.Attendees[i].Email || a.ParticipationStatus() != ics.ParticipationStatusNeedsAction ||
			a.ICalParameters["CN"][0] != item.Attendees[i].Name || a.ICalParameters["RSVP"][0] != "TRUE" ||
			a.ICalParameters["ROLE"][0] != "REQ-PARTICIPANT" {
			t.Errorf("golang-ical attendee %d = %q %v", i, a.Value, a.ICalParameters)
		}
	}
	if bytes.Contains(b, []byte("VALUE=")) {
		t.Errorf("output holds a VALUE parameter:\n%s", b)
	}
}

func paramsEqual(a, b goical.Params) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if !slices.Equal(v, b[k]) {
			return false
		}
	}
	return true
}

func TestRequestAnyInputZone(t *testing.T) {
	// A zone named "Local" is what would make go-ical write TZID=Local.
	for _, loc := range []*time.Location{
		time.FixedZone("Local", -5*3600), time.Local, time.UTC, mustLoadLocation("America/New_York"),
	} {
		item := fixtureItem()
		item.Start = item.Start.In(loc)
		item.End = item.End.In(loc)
		b, err := Request(item, fixedNow.In(loc))
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(b, []byte("Local")) {
			t.Errorf("%s: output mentions Local:\n%s", loc, b)
		}
		p := parseBoth(t, b)
		if got := rawLine(t, b, "DTSTART"); got != "DTSTART;TZID=Europe/Paris:20160621T180000" {
			t.Errorf("%s: raw DTSTART = %q", loc, got)
		}
		if got := goText(t, p.goEvent(t).Component, "DTSTAMP"); got != "20160601T083000Z" {
			t.Errorf("%s: DTSTAMP = %q", loc, got)
		}
	}
}

func TestCancel(t *testing.T) {
	item := fixtureItem()
	item.Sequence = 2
	item.Status = StatusConfirmed // Cancel overrides it.
	b, err := Cancel(item, fixedNow.Add(48*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	p := parseBoth(t, b)
	if got := goText(t, p.gc.Component, "METHOD"); got != "CANCEL" {
		t.Errorf("METHOD = %q", got)
	}
	if got := p.arCalProp("METHOD"); !slices.Equal(got, []string{"CANCEL"}) {
		t.Errorf("golang-ical METHOD = %q", got)
	}
	ev, ae := p.goEvent(t), p.arEvent(t)
	for name, want := range map[string]string{
		"UID": item.UID, "SEQUENCE": "2", "STATUS": "CANCELLED", "DTSTAMP": "20160603T083000Z",
	} {
		if got := goText(t, ev.Component, name); got != want {
			t.Errorf("go-ical %s = %q, want %q", name, got, want)
		}
		if got := arValue(t, ae, name); got != want {
			t.Errorf("golang-ical %s = %q, want %q", name, got, want)
		}
	}
	if st, err := ev.Status(); err != nil || st != goical.EventCancelled {
		t.Errorf("go-ical Status() = %q, %v", st, err)
	}
	att := ae.Attendees()
	if len(att) != 1 || att[0].Email() != item.Attendees[0].Email || att[0].ICalParameters["CN"][0] != frAttendee {
		t.Errorf("golang-ical attendees = %v", att)
	}
	if got := rawLine(t, b, "DTSTART"); got != "DTSTART;TZID=Europe/Paris:20160621T180000" {
		t.Errorf("raw DTSTART = %q", got)
	}
}

func TestPublish(t *testing.T) {
	first := fixtureItem()
	second := fixtureItem()
	second.UID = "event-12-item-4@fabrique.example"
	second.Summary = "Atelier 4 : Données personnelles, « open data » et vie privée"
	second.Start = time.Date(2016, 12, 7, 9, 0, 0, 0, time.UTC) // 10:00 in Paris (CET)
	second.End = second.Start.Add(90 * time.Minute)
	second.Status = StatusCancelled
	second.Sequence = 1
	const name = "Fabrique, ministère ouvert ; ateliers"

	b, err := Publish(name, []Item{first, second}, fixedNow)
	if err != nil {
		t.Fatal(err)
	}
	p := parseBoth(t, b)
	for prop, want := range map[string]string{
		"METHOD": "PUBLISH", "X-WR-CALNAME": name, "X-WR-TIMEZONE": "Europe/Paris",
	} {
		if got := goText(t, p.gc.Component, prop); got != want {
			t.Errorf("go-ical %s = %q, want %q", prop, got, want)
		}
		if got := p.arCalProp(prop); !slices.Equal(got, []string{want}) {
			t.Errorf("golang-ical %s = %q, want %q", prop, got, want)
		}
	}
	if got := rawLines(b)[5:7]; !slices.Equal(got, []string{`X-WR-CALNAME:Fabrique\, ministère ouvert \; ateliers`, "X-WR-TIMEZONE:Europe/Paris"}) {
		t.Errorf("raw X-WR lines = %q (no VALUE parameter expected)", got)
	}
	if strings.Count(string(b), "BEGIN:VTIMEZONE") != 1 {
		t.Errorf("want exactly one VTIMEZONE")
	}
	evs := p.goEvents()
	if len(evs) != 2 || len(p.ac.Events()) != 2 {
		t.Fatalf("want 2 VEVENTs, got %d and %d", len(evs), len(p.ac.Events()))
	}
	wantProps := []string{"CATEGORIES", "DESCRIPTION", "DTEND", "DTSTAMP", "DTSTART", "LOCATION",
		"ORGANIZER", "SEQUENCE", "STATUS", "SUMMARY", "UID", "URL"}
	for i, it := range []Item{first, second} {
		ev := evs[i]
		if got := goPropNames(ev.Component); !slices.Equal(got, wantProps) {
			t.Errorf("event %d properties = %q, want %q (no ATTENDEE in PUBLISH)", i, got, wantProps)
		}
		if got := goText(t, ev.Component, "UID"); got != it.UID {
			t.Errorf("event %d UID = %q", i, got)
		}
		if got := goText(t, ev.Component, "SUMMARY"); got != it.Summary {
			t.Errorf("event %d SUMMARY = %q", i, got)
		}
		start, err := ev.DateTimeStart(time.UTC)
		if err != nil || !start.Equal(it.Start) {
			t.Errorf("event %d start = %v (%v), want %v", i, start, err, it.Start)
		}
	}
	if got := goText(t, evs[1].Component, "STATUS"); got != "CANCELLED" {
		t.Errorf("cancelled item STATUS = %q", got)
	}
	if got := rawLine(t, b, "DTSTART;TZID=Europe/Paris:201612"); got != "DTSTART;TZID=Europe/Paris:20161207T100000" {
		t.Errorf("winter DTSTART = %q", got)
	}

	// An empty feed is still a valid calendar.
	b, err = Publish("Vide", nil, fixedNow)
	if err != nil {
		t.Fatal(err)
	}
	if p := parseBoth(t, b); len(p.goEvents()) != 0 {
		t.Errorf("empty feed has events")
	}
	b, err = Publish("\r\n", []Item{first}, fixedNow)
	if err != nil {
		t.Fatal(err)
	}
	if p := parseBoth(t, b); p.gc.Props.Get("X-WR-CALNAME") != nil || len(p.goEvents()) != 1 {
		t.Errorf("unnamed feed:\n%s", b)
	}
}

func TestMethodContentType(t *testing.T) {
	if got := MethodRequest.ContentType(); got != "text/calendar; charset=UTF-8; method=REQUEST" {
		t.Errorf("ContentType = %q", got)
	}
	if got := MethodCancel.ContentType(); got != "text/calendar; charset=UTF-8; method=CANCEL" {
		t.Errorf("ContentType = %q", got)
	}
}

func TestRequestGolden(t *testing.T) {
	b, err := Request(fixtureItem(), fixedNow)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", "request.golden.ics")
	if *update {
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -run TestRequestGolden -update to create it)", err)
	}
	if !bytes.Equal(b, want) {
		t.Errorf("output differs from %s (run with -update if intended):\n%s", path, b)
	}
	parseBoth(t, want)
	// The golden file is folded: at least the summary line was long.
	if !bytes.Contains(want, []byte("\r\n ")) {
		t.Errorf("golden output has no folded line")
	}
}

func TestRequestIsDeterministic(t *testing.T) {
	a, err := Request(fixtureItem(), fixedNow)
	if err != nil {
		t.Fatal(err)
	}
	for range 20 {
		b, err := Request(fixtureItem(), fixedNow)
		if err != nil || !bytes.Equal(a, b) {
			t.Fatalf("second output differs (%v)", err)
		}
	}
}
