package fabrique

import (
	"strings"
	"testing"
)

func TestAnItemOutsideItsEventIsAConflict(t *testing.T) {
	timed := func() *Snapshot {
		s := openMinistry()
		s.Event.Start, s.Event.End = paris(5, 18, 0), paris(5, 20, 0)
		return s
	}
	if cs := DetectConflicts(timed()); len(cs) != 0 {
		t.Fatalf("a programme within its evening: %s", kinds(cs))
	}
	s := timed()
	s.Event.Start = paris(5, 18, 30) // the evening was moved, its programme was not
	cs := DetectConflicts(s)
	if kinds(cs) != "outside_event,outside_event" { // the opening, and the workshops' slot from 18:20
		t.Fatalf("kinds %q", kinds(cs))
	}
	want := "« Ouverture » a lieu le mardi 5 janvier 2027 de 18 h 00 à 18 h 20, en dehors des horaires de l'événement (mardi 5 janvier 2027 de 18 h 30 à 20 h 00)"
	if !strings.Contains(cs[0].Message, want) || cs[0].Objects[0].Type != "programme_item" || cs[0].Objects[0].ID != 10 {
		t.Errorf("conflict %+v", cs[0])
	}

	f := forum()
	f.Event.Start, f.Event.End = paris(4, 9, 0), paris(28, 17, 0) // ends before the deepening
	cs = DetectConflicts(f)
	if kinds(cs) != "outside_event" || !strings.Contains(cs[0].Message, "La phase « approfondissement »") {
		t.Errorf("a phase after its forum's end: %s %v", kinds(cs), cs)
	}
}
