package schedule

import (
	"fmt"
	"time"
)

var frenchWeekdays = [...]string{"dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"}

var frenchMonths = [...]string{"", "janvier", "février", "mars", "avril", "mai", "juin",
	"juillet", "août", "septembre", "octobre", "novembre", "décembre"}

// FrenchDate formats the Paris calendar day of t as "mardi 21 juin 2016"
// ("1er" for the first day of a month).
func FrenchDate(t time.Time) string {
	p := t.In(paris)
	day := fmt.Sprint(p.Day())
	if p.Day() == 1 {
		day = "1er"
	}
	return fmt.Sprintf("%s %s %s %d", frenchWeekdays[p.Weekday()], day, frenchMonths[p.Month()], p.Year())
}

// frenchClock formats the Paris wall-clock time of t as "18:20".
func frenchClock(t time.Time) string { return t.In(paris).Format("15:04") }

// frenchWhen formats t as "le mardi 21 juin 2016 à 18:20".
func frenchWhen(t time.Time) string { return "le " + FrenchDate(t) + " à " + frenchClock(t) }

// plural returns singular when n == 1 and plural otherwise.
func plural(n int, singular, plural string) string {
	if n == 1 {
		return singular
	}
	return plural
}

// missingFacilitators is the reason given when n facilitators are lacking.
func missingFacilitators(n int, start time.Time) string {
	return fmt.Sprintf("il manque %d %s %s", n,
		plural(n, "animateur disponible", "animateurs disponibles"), frenchWhen(start))
}

// noRoom is the reason given when no room of at least capacity seats is free.
func noRoom(capacity int, start time.Time) string {
	return fmt.Sprintf("aucune salle libre de %d places ou plus à %s", capacity, frenchClock(start))
}
