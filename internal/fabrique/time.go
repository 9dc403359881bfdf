package fabrique

import (
	"fmt"
	"time"
	_ "time/tzdata" // Europe/Paris must load on machines without tzdata.
)

// Paris is the zone of every event: Europe/Paris.
var Paris = mustLoad("Europe/Paris")

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

var (
	frenchDays   = [...]string{"dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"}
	frenchMonths = [...]string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"}
)

// FrenchDate formats an instant as its day in Paris: « mardi 21 juin 2016 ».
func FrenchDate(t time.Time) string {
	t = t.In(Paris)
	day := fmt.Sprint(t.Day())
	if t.Day() == 1 {
		day = "1er"
	}
	return fmt.Sprintf("%s %s %s %d", frenchDays[t.Weekday()], day, frenchMonths[t.Month()-1], t.Year())
}

// FrenchTime formats the time of day in Paris, 24-hour: « 18 h 20 ».
func FrenchTime(t time.Time) string {
	t = t.In(Paris)
	return fmt.Sprintf("%d h %02d", t.Hour(), t.Minute())
}

// FrenchSpan formats a span on one day: « mardi 21 juin 2016 de 18 h 00 à 20 h 15 ».
func FrenchSpan(start, end time.Time) string {
	if start.In(Paris).Format("2006-01-02") != end.In(Paris).Format("2006-01-02") {
		return fmt.Sprintf("du %s à %s au %s à %s", FrenchDate(start), FrenchTime(start), FrenchDate(end), FrenchTime(end))
	}
	return fmt.Sprintf("%s de %s à %s", FrenchDate(start), FrenchTime(start), FrenchTime(end))
}

// Window is a span of time, such as an availability window of a person.
type Window struct {
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
}

// Overlaps reports whether two half-open windows [start, end) overlap.
func (w Window) Overlaps(o Window) bool {
	return w.Start.Before(o.End) && o.Start.Before(w.End)
}

// Contains reports whether o lies entirely inside w.
func (w Window) Contains(o Window) bool {
	return !o.Start.Before(w.Start) && !o.End.After(w.End)
}
