package ical

import (
	"fmt"
	"time"
	_ "time/tzdata" // Europe/Paris must load even where the system has no zoneinfo.

	goical "github.com/emersion/go-ical"
)

// TZID is the time zone in which every local date-time is written, and the
// TZID of the VTIMEZONE that Request, Cancel and Publish include.
const TZID = "Europe/Paris"

const (
	localFormat = "20060102T150405"
	utcFormat   = "20060102T150405Z"
)

// paris is loaded explicitly so that time.Local never reaches the output.
var paris = mustLoadLocation(TZID)

func mustLoadLocation(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		// Unreachable: time/tzdata embeds the zone database.
		panic(fmt.Sprintf("ical: loading %s: %v", name, err))
	}
	return loc
}

// setDateTime sets the date-time property name of comp to t as a local time
// in Europe/Paris (TZID=Europe/Paris). The value is set raw: go-ical's
// SetDateTime would write TZID=Local for a time in time.Local.
//
// On the night of the autumn change, a local time from 02:00 to 02:59 occurs
// twice; RFC 5545 §3.3.5 reads such a local time as its first occurrence. An
// instant in the second occurrence is thus written in UTC instead, which is
// equally valid and unambiguous.
func setDateTime(comp *goical.Component, name string, t time.Time) {
	prop := goical.NewProp(name)
	local := t.In(paris)
	if isSecondOccurrence(local) {
		prop.Value = t.UTC().Format(utcFormat)
	} else {
		prop.Params.Set(goical.ParamTimezoneID, TZID)
		prop.Value = local.Format(localFormat)
	}
	comp.Props.Set(prop)
}

// isSecondOccurrence reports whether the wall-clock time of local (a time in
// Europe/Paris) also occurred earlier, one hour before, in summer time.
func isSecondOccurrence(local time.Time) bool {
	return sameWallClock(local.Add(-time.Hour), local)
}

// sameWallClock reports whether a and b, both in Europe/Paris, show the same
// date and time of day (to the second).
func sameWallClock(a, b time.Time) bool {
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	return ay == by && am == bm && ad == bd &&
		a.Hour() == b.Hour() && a.Minute() == b.Minute() && a.Second() == b.Second()
}

// setUTC sets the date-time property name of comp to t in UTC form.
func setUTC(comp *goical.Component, name string, t time.Time) {
	prop := goical.NewProp(name)
	prop.Value = t.UTC().Format(utcFormat)
	comp.Props.Set(prop)
}

// setRaw sets property name of comp to value without any escaping and without
// a VALUE parameter. It is for values that are not TEXT (RRULE, UTC-OFFSET,
// INTEGER, CAL-ADDRESS, …): go-ical's SetText would add VALUE=TEXT and escape
// the ';' of an RRULE.
func setRaw(comp *goical.Component, name, value string) *goical.Prop {
	prop := goical.NewProp(name)
	prop.Value = value
	comp.Props.Set(prop)
	return comp.Props.Get(name)
}

// parisTimezone returns the VTIMEZONE for Europe/Paris, with the European
// Union rules in force since 1996: summer time (CEST, UTC+2) from the last
// Sunday of March at 02:00 local time to the last Sunday of October at 03:00
// local time, standard time (CET, UTC+1) otherwise.
func parisTimezone() *goical.Component {
	tz := goical.NewComponent(goical.CompTimezone)
	setRaw(tz, goical.PropTimezoneID, TZID)
	tz.Children = []*goical.Component{
		observance(goical.CompTimezoneStandard, "+0200", "+0100", "19701025T030000", 10, "CET"),
		observance(goical.CompTimezoneDaylight, "+0100", "+0200", "19700329T020000", 3, "CEST"),
	}
	return tz
}

func observance(kind, from, to, start string, month int, name string) *goical.Component {
	c := goical.NewComponent(kind)
	setRaw(c, goical.PropTimezoneOffsetFrom, from)
	setRaw(c, goical.PropTimezoneOffsetTo, to)
	setRaw(c, goical.PropDateTimeStart, start)
	setRaw(c, goical.PropRecurrenceRule, fmt.Sprintf("FREQ=YEARLY;BYMONTH=%d;BYDAY=-1SU", month))
	setRaw(c, goical.PropTimezoneName, name)
	return c
}
