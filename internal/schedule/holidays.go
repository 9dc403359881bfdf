package schedule

import (
	"fmt"
	"sort"
	"time"

	"fabrique/internal/fabrique"
)

// Holiday is a French public holiday: its date at midnight in Europe/Paris
// and its French name.
type Holiday struct {
	Date time.Time `json:"date"`
	Name string    `json:"name"`
}

// Easter returns Easter Sunday of the given Gregorian year at midnight in
// Europe/Paris, computed with the anonymous Gregorian (Meeus/Butcher)
// algorithm.
func Easter(year int) time.Time {
	a := year % 19
	b := year / 100
	c := year % 100
	d := b / 4
	e := b % 4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i := c / 4
	k := c % 4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return time.Date(year, time.Month(month), day, 0, 0, 0, 0, paris)
}

// Holidays returns the eleven national (metropolitan) French public holidays
// of year, sorted by date. Alsace-Moselle extras are not included.
func Holidays(year int) []Holiday {
	easter := Easter(year)
	fixed := func(m time.Month, d int) time.Time { return time.Date(year, m, d, 0, 0, 0, 0, paris) }
	fromEaster := func(days int) time.Time {
		return time.Date(year, easter.Month(), easter.Day()+days, 0, 0, 0, 0, paris)
	}
	hs := []Holiday{
		{fixed(time.January, 1), "Jour de l'an"},
		{fromEaster(1), "Lundi de Pâques"},
		{fixed(time.May, 1), "Fête du Travail"},
		{fixed(time.May, 8), "Victoire 1945"},
		{fromEaster(39), "Ascension"},
		{fromEaster(50), "Lundi de Pentecôte"},
		{fixed(time.July, 14), "Fête nationale"},
		{fixed(time.August, 15), "Assomption"},
		{fixed(time.November, 1), "Toussaint"},
		{fixed(time.November, 11), "Armistice 1918"},
		{fixed(time.December, 25), "Noël"},
	}
	sort.SliceStable(hs, func(i, j int) bool { return hs[i].Date.Before(hs[j].Date) })
	return hs
}

// IsHoliday reports whether the Paris calendar day of d is a public holiday
// and returns it.
func IsHoliday(d time.Time) (Holiday, bool) {
	p := d.In(paris)
	y, m, day := p.Date()
	for _, h := range Holidays(y) {
		if h.Date.Month() == m && h.Date.Day() == day {
			return h, true
		}
	}
	return Holiday{}, false
}

// IsWorkingDay reports whether the Paris calendar day of d is neither a
// Saturday, a Sunday nor a public holiday.
func IsWorkingDay(d time.Time) bool {
	p := d.In(paris)
	if wd := p.Weekday(); wd == time.Saturday || wd == time.Sunday {
		return false
	}
	_, hol := IsHoliday(p)
	return !hol
}

// NextWorkingDay returns d itself when it falls on a working day, otherwise
// the first following working day at the same wall-clock time in Paris.
func NextWorkingDay(d time.Time) time.Time {
	if IsWorkingDay(d) {
		return d
	}
	p := d.In(paris)
	y, m, day := p.Date()
	for i := 1; ; i++ {
		c := time.Date(y, m, day+i, p.Hour(), p.Minute(), p.Second(), p.Nanosecond(), paris)
		if IsWorkingDay(c) {
			return c
		}
	}
}

// Bridge reports whether the Paris calendar day of d is a « pont »: a
// working day between a public holiday and the weekend (the Friday after
// a Thursday holiday, Ascension every year; the Monday before a Tuesday
// holiday), when many people take the day off. It returns the holiday.
func Bridge(d time.Time) (Holiday, bool) {
	if !IsWorkingDay(d) {
		return Holiday{}, false
	}
	p := d.In(paris)
	y, m, day := p.Date()
	switch p.Weekday() {
	case time.Friday:
		return IsHoliday(time.Date(y, m, day-1, 12, 0, 0, 0, paris))
	case time.Monday:
		return IsHoliday(time.Date(y, m, day+1, 12, 0, 0, 0, paris))
	}
	return Holiday{}, false
}

// BridgeWarning says in French why the day of d is a poor choice when it is
// a « pont », and is empty otherwise.
func BridgeWarning(d time.Time) string {
	h, ok := Bridge(d)
	if !ok {
		return ""
	}
	side := "lendemain d'un jeudi"
	if d.In(paris).Weekday() == time.Monday {
		side = "veille d'un mardi"
	}
	return fmt.Sprintf("Le %s est un jour de pont (%s férié : %s) : beaucoup de participants risquent d'être absents.", fabrique.FrenchDate(d), side, h.Name)
}

// NextProposableDay returns d itself when it falls on a working day that
// is not a « pont », otherwise the first following such day at the same
// wall-clock time in Paris: the day the service proposes.
func NextProposableDay(d time.Time) time.Time {
	for {
		d = NextWorkingDay(d)
		if _, bridge := Bridge(d); !bridge {
			return d
		}
		p := d.In(paris)
		d = time.Date(p.Year(), p.Month(), p.Day()+1, p.Hour(), p.Minute(), p.Second(), p.Nanosecond(), paris)
	}
}
