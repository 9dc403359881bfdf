package ical

import (
	"fmt"
	"slices"
	"strconv"
	"testing"
	"time"

	goical "github.com/emersion/go-ical"
)

// transition is an onset of a VTIMEZONE observance.
type transition struct {
	at     time.Time // instant, UTC
	offset int       // TZOFFSETTO, seconds east of UTC
	name   string    // TZNAME
}

// parseUTCOffset parses a UTC-OFFSET value such as "+0200" (RFC 5545 §3.3.14).
func parseUTCOffset(t *testing.T, s string) int {
	t.Helper()
	if len(s) != 5 || (s[0] != '+' && s[0] != '-') {
		t.Fatalf("bad UTC offset %q", s)
	}
	h, err1 := strconv.Atoi(s[1:3])
	m, err2 := strconv.Atoi(s[3:5])
	if err1 != nil || err2 != nil {
		t.Fatalf("bad UTC offset %q", s)
	}
	off := h*3600 + m*60
	if s[0] == '-' {
		off = -off
	}
	return off
}

// vtimezoneTransitions decodes the VTIMEZONE of a produced calendar with
// go-ical and expands its observances (DTSTART + RRULE, through rrule-go) to
// the transitions up to the end of until's year. The onset of an observance is
// a local time in the offset in force before it, TZOFFSETFROM.
func vtimezoneTransitions(t *testing.T, until int) []transition {
	t.Helper()
	b, err := Request(fixtureItem(), fixedNow)
	if err != nil {
		t.Fatal(err)
	}
	p := parseBoth(t, b)
	var tz *goical.Component
	for _, c := range p.gc.Children {
		if c.Name == goical.CompTimezone {
			tz = c
		}
	}
	if tz == nil {
		t.Fatal("no VTIMEZONE")
	}
	if got := goText(t, tz, "TZID"); got != "Europe/Paris" {
		t.Fatalf("TZID = %q", got)
	}
	if len(tz.Children) != 2 {
		t.Fatalf("want STANDARD and DAYLIGHT, got %d observances", len(tz.Children))
	}
	var ts []transition
	kinds := map[string]bool{}
	for _, obs := range tz.Children {
		kinds[obs.Name] = true
		for _, name := range []string{"RRULE", "TZOFFSETFROM", "TZOFFSETTO"} {
			if prop := obs.Props.Get(name); prop == nil || len(prop.Params) != 0 {
				t.Fatalf("%s %s: missing or has parameters", obs.Name, name)
			}
		}
		from := parseUTCOffset(t, obs.Props.Get("TZOFFSETFROM").Value)
		to := parseUTCOffset(t, obs.Props.Get("TZOFFSETTO").Value)
		name := goText(t, obs, "TZNAME")
		// Local (floating) times, carried as UTC.
		set, err := obs.RecurrenceSet(time.UTC)
		if err != nil || set == nil {
			t.Fatalf("%s: recurrence: %v", obs.Name, err)
		}
		onsets := set.Between(time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC),
			time.Date(until+1, 1, 1, 0, 0, 0, 0, time.UTC), true)
		if len(onsets) < until-1970 {
			t.Fatalf("%s: only %d onsets", obs.Name, len(onsets))
		}
		for _, local := range onsets {
			ts = append(ts, transition{at: local.Add(-time.Duration(from) * time.Second), offset: to, name: name})
		}
	}
	if !kinds[goical.CompTimezoneStandard] || !kinds[goical.CompTimezoneDaylight] {
		t.Fatalf("observances = %v", kinds)
	}
	slices.SortFunc(ts, func(a, b transition) int { return a.at.Compare(b.at) })
	return ts
}

// ruleZone returns the offset and name that the transitions give at instant
// at: those of the last onset at or before it.
func ruleZone(t *testing.T, ts []transition, at time.Time) (int, string) {
	t.Helper()
	i, _ := slices.BinarySearchFunc(ts, at, func(tr transition, at time.Time) int {
		if tr.at.After(at) {
			return 1
		}
		return -1
	})
	if i == 0 {
		t.Fatalf("%v is before the first onset", at)
	}
	return ts[i-1].offset, ts[i-1].name
}

func TestVTimezoneMatchesTZData(t *testing.T) {
	ts := vtimezoneTransitions(t, 2031)
	from := time.Date(2016, 1, 1, 0, 0, 0, 0, time.UTC)
	to := time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC)

	// The transitions Go's tzdata knows for 2016–2030…
	var goTransitions []time.Time
	for at := from; at.Before(to); {
		_, end := at.In(paris).ZoneBounds()
		if end.IsZero() || !end.Before(to) {
			break
		}
		goTransitions = append(goTransitions, end.UTC())
		at = end
	}
	// …are exactly the onsets the VTIMEZONE gives.
	var ruleTransitions []time.Time
	for _, tr := range ts {
		if !tr.at.Before(from) && tr.at.Before(to) {
			ruleTransitions = append(ruleTransitions, tr.at)
		}
	}
	if len(goTransitions) != 30 || !slices.EqualFunc(goTransitions, ruleTransitions, time.Time.Equal) {
		t.Fatalf("transitions differ:\ntzdata: %v\nrules:  %v", goTransitions, ruleTransitions)
	}

	// Offsets and names agree everywhere: every 3 hours, and around every
	// transition (one second and one minute on each side, and at it).
	instants := []time.Time{}
	for at := from; at.Before(to); at = at.Add(3 * time.Hour) {
		instants = append(instants, at)
	}
	for _, tr := range goTransitions {
		for _, d := range []time.Duration{-time.Minute, -time.Second, 0, time.Second, time.Minute} {
			instants = append(instants, tr.Add(d))
		}
	}
	for _, at := range instants {
		goName, goOffset := at.In(paris).Zone()
		offset, name := ruleZone(t, ts, at)
		if offset != goOffset || name != goName {
			t.Fatalf("at %v: VTIMEZONE gives %s %+d s, tzdata %s %+d s", at, name, offset, goName, goOffset)
		}
	}
	if len(instants) < 40000 {
		t.Fatalf("only %d instants checked", len(instants))
	}
}

func TestLocalTimesAroundTransitions(t *testing.T) {
	ts := vtimezoneTransitions(t, 2030)
	for _, tc := range []struct {
		at   time.Time
		want string // unfolded DTSTART line
	}{
		// Spring 2024: 02:00 CET becomes 03:00 CEST at 01:00Z.
		{time.Date(2024, 3, 31, 0, 59, 0, 0, time.UTC), "DTSTART;TZID=Europe/Paris:20240331T015900"},
		{time.Date(2024, 3, 31, 1, 0, 0, 0, time.UTC), "DTSTART;TZID=Europe/Paris:20240331T030000"},
		// Autumn 2024: 03:00 CEST becomes 02:00 CET at 01:00Z, so 02:30
		// local occurs twice; the first one is written as a local time…
		{time.Date(2024, 10, 27, 0, 30, 0, 0, time.UTC), "DTSTART;TZID=Europe/Paris:20241027T023000"},
		// …the second one in UTC.
		{time.Date(2024, 10, 27, 1, 30, 0, 0, time.UTC), "DTSTART:20241027T013000Z"},
		{time.Date(2024, 10, 27, 2, 0, 0, 0, time.UTC), "DTSTART;TZID=Europe/Paris:20241027T030000"},
		{time.Date(2030, 7, 14, 8, 0, 0, 0, time.UTC), "DTSTART;TZID=Europe/Paris:20300714T100000"},
	} {
		item := fixtureItem()
		item.Start = tc.at
		item.End = tc.at.Add(3 * time.Hour)
		b, err := Request(item, fixedNow)
		if err != nil {
			t.Fatal(err)
		}
		got := rawLine(t, b, "DTSTART")
		if got != tc.want {
			t.Errorf("%v: %q, want %q", tc.at, got, tc.want)
		}
		// Read back the way RFC 5545 reads it: a local time in Europe/Paris
		// is the first instant at which the VTIMEZONE shows it.
		if back := readLocal(t, ts, got); !back.Equal(tc.at) {
			t.Errorf("%q reads back as %v, want %v", got, back, tc.at)
		}
	}
}

// readLocal reads a DTSTART line with the VTIMEZONE rules: the earliest
// instant whose Europe/Paris wall-clock time is the local value.
func readLocal(t *testing.T, ts []transition, line string) time.Time {
	t.Helper()
	var value string
	var utc bool
	if _, err := fmt.Sscanf(line, "DTSTART;TZID=Europe/Paris:%s", &value); err == nil {
		utc = false
	} else if _, err := fmt.Sscanf(line, "DTSTART:%s", &value); err == nil {
		utc = true
	} else {
		t.Fatalf("cannot read %q", line)
	}
	if utc {
		at, err := time.Parse(utcFormat, value)
		if err != nil {
			t.Fatal(err)
		}
		return at
	}
	wall, err := time.Parse(localFormat, value) // wall clock, carried as UTC
	if err != nil {
		t.Fatal(err)
	}
	// Candidates: wall - offset for each offset; keep those consistent with
	// the rules, and the earliest.
	var found []time.Time
	for _, off := range []int{3600, 7200} {
		at := wall.Add(-time.Duration(off) * time.Second)
		if o, _ := ruleZone(t, ts, at); o == off {
			found = append(found, at)
		}
	}
	if len(found) == 0 {
		t.Fatalf("%q is a non-existent local time", line)
	}
	return slices.MinFunc(found, time.Time.Compare)
}
