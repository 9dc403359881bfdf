package schedule

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
)

func jun21(h, m int) time.Time { return time.Date(2016, time.June, 21, h, m, 0, 0, paris) }

// evening returns n parallel workshops 18:20-19:20 of 20 seats, n rooms of
// 20 seats and n facilitators, all free.
func evening(nw, nr, np int) *Instance {
	inst := &Instance{}
	for i := 0; i < nw; i++ {
		inst.Workshops = append(inst.Workshops, Workshop{ID: fmt.Sprintf("w%d", i+1),
			Start: jun21(18, 20), End: jun21(19, 20), Capacity: 20, FacilitatorsNeeded: 1})
	}
	for i := 0; i < nr; i++ {
		inst.Rooms = append(inst.Rooms, Room{ID: fmt.Sprintf("r%d", i+1), Name: fmt.Sprintf("Salle %d", i+1), Capacity: 20})
	}
	for i := 0; i < np; i++ {
		inst.Facilitators = append(inst.Facilitators, Facilitator{ID: fmt.Sprintf("p%d", i+1), Name: fmt.Sprintf("Personne %d", i+1)})
	}
	return inst
}

func solveChecked(t *testing.T, inst *Instance) Result {
	t.Helper()
	if err := inst.Validate(); err != nil {
		t.Fatalf("invalid instance: %v", err)
	}
	// One second is plenty for these instances; the few whose optimum
	// cannot be proven must not slow the suite down.
	res := Solve(inst, Options{TimeLimit: time.Second})
	checkResult(t, inst, res)
	return res
}

func reasonOf(res Result, id string) string {
	for _, u := range res.Unassigned {
		if u.Workshop == id {
			return u.Reason
		}
	}
	return ""
}

func TestMinistereOuvertAllAssigned(t *testing.T) {
	res := solveChecked(t, MinistereOuvert())
	if res.FullyAssigned != 5 || len(res.Unassigned) != 0 || res.UpperBound != 5 {
		t.Fatalf("got %+v", res)
	}
	// Preference: every workshop gets a facilitator carrying its commitment.
	inst := MinistereOuvert()
	carries := map[string]string{}
	for _, f := range inst.Facilitators {
		carries[f.ID] = f.Carries[0]
	}
	for i, a := range res.Assignments {
		if a.Workshop != inst.Workshops[i].ID {
			t.Fatalf("assignments not sorted by workshop: %v", res.Assignments)
		}
		for _, p := range a.Facilitators {
			if carries[p] != inst.Workshops[i].Commitments[0] {
				t.Errorf("%s led by %s who does not carry commitment %s", a.Workshop, p, inst.Workshops[i].Commitments[0])
			}
		}
	}
}

func TestTooFewRooms(t *testing.T) {
	res := solveChecked(t, evening(5, 3, 10))
	if res.FullyAssigned != 3 || len(res.Unassigned) != 2 {
		t.Fatalf("got %d assigned, %d unassigned", res.FullyAssigned, len(res.Unassigned))
	}
	for _, u := range res.Unassigned {
		if u.Reason != "aucune salle libre de 20 places ou plus à 18:20" {
			t.Errorf("%s: reason %q", u.Workshop, u.Reason)
		}
	}
}

func TestRoomTooSmallAndSmallestRoomPreferred(t *testing.T) {
	inst := evening(2, 2, 2)
	inst.Workshops[0].Capacity = 45
	inst.Rooms[0].Capacity = 60
	inst.Rooms[1].Capacity = 40
	inst.Rooms = append(inst.Rooms, Room{ID: "r3", Capacity: 25}, Room{ID: "r4", Capacity: 500})
	res := solveChecked(t, inst)
	if res.FullyAssigned != 2 {
		t.Fatalf("got %+v", res)
	}
	if res.Assignments[0].Room != "r1" || res.Assignments[1].Room != "r3" {
		t.Errorf("smallest sufficient rooms not chosen: %+v", res.Assignments)
	}
	inst.Workshops[0].Capacity = 600
	res = solveChecked(t, inst)
	if res.FullyAssigned != 1 || reasonOf(res, "w1") != "aucune salle libre de 600 places ou plus à 18:20" {
		t.Errorf("got %+v", res)
	}
}

func TestFacilitatorUnavailable(t *testing.T) {
	inst := evening(2, 2, 2)
	// p2 leaves at 19:00, before the end of the workshops.
	inst.Facilitators[1].Available = []Interval{{jun21(17, 0), jun21(19, 0)}}
	res := solveChecked(t, inst)
	if res.FullyAssigned != 1 {
		t.Fatalf("got %+v", res)
	}
	want := "il manque 1 animateur disponible le mardi 21 juin 2016 à 18:20"
	if got := res.Unassigned[0].Reason; got != want {
		t.Errorf("reason %q, want %q", got, want)
	}
	// Two needed, nobody free: plural.
	inst.Workshops[1].FacilitatorsNeeded = 3
	inst.Facilitators[1].Available = nil
	inst.Facilitators[1].Busy = []Interval{{jun21(19, 0), jun21(20, 0)}}
	res = solveChecked(t, inst)
	if got := reasonOf(res, "w2"); got != "il manque 2 animateurs disponibles le mardi 21 juin 2016 à 18:20" {
		t.Errorf("reason %q", got)
	}
}

func TestRoomBusyElsewhere(t *testing.T) {
	inst := evening(1, 1, 1)
	inst.Rooms[0].Busy = []Interval{{jun21(19, 0), jun21(21, 0)}}
	res := solveChecked(t, inst)
	if res.FullyAssigned != 0 || !strings.HasPrefix(reasonOf(res, "w1"), "aucune salle libre") {
		t.Errorf("got %+v", res)
	}
	inst.Rooms[0].Busy = []Interval{{jun21(19, 20), jun21(21, 0)}} // touching is fine
	if res := solveChecked(t, inst); res.FullyAssigned != 1 {
		t.Errorf("half-open windows: got %+v", res)
	}
}

func TestPinnedConflicts(t *testing.T) {
	inst := evening(3, 3, 3)
	inst.Workshops[0].Room = "r2"
	inst.Workshops[1].Room = "r2"
	res := solveChecked(t, inst)
	if res.FullyAssigned != 2 {
		t.Fatalf("got %+v", res)
	}
	if got := reasonOf(res, "w2"); got != "la salle imposée Salle 2 est déjà attribuée à l'atelier w1 à 18:20" {
		t.Errorf("reason %q", got)
	}
	inst = evening(2, 2, 3)
	inst.Workshops[0].Facilitators = []string{"p3"}
	inst.Workshops[1].Facilitators = []string{"p3"}
	res = solveChecked(t, inst)
	if res.FullyAssigned != 1 {
		t.Fatalf("got %+v", res)
	}
	if got := reasonOf(res, "w2"); got != "l'animateur imposé Personne 3 anime déjà l'atelier w1 le mardi 21 juin 2016 à 18:20" {
		t.Errorf("reason %q", got)
	}
	// Pinned resources that can never work.
	inst = evening(2, 2, 2)
	inst.Rooms[0].Capacity = 10
	inst.Workshops[0].Room = "r1"
	inst.Facilitators[1].Busy = []Interval{{jun21(18, 0), jun21(19, 0)}}
	inst.Workshops[1].Facilitators = []string{"p2"}
	res = solveChecked(t, inst)
	if res.FullyAssigned != 0 {
		t.Fatalf("got %+v", res)
	}
	if got := reasonOf(res, "w1"); got != "la salle imposée Salle 1 est trop petite (10 places pour 20 participants)" {
		t.Errorf("reason %q", got)
	}
	if got := reasonOf(res, "w2"); got != "l'animateur imposé Personne 2 n'est pas disponible le mardi 21 juin 2016 à 18:20" {
		t.Errorf("reason %q", got)
	}
}

func TestPinsKeptAndCounted(t *testing.T) {
	inst := evening(2, 3, 4)
	inst.Workshops[0].FacilitatorsNeeded = 2
	inst.Workshops[0].Facilitators = []string{"p4"}
	inst.Workshops[0].Room = "r3"
	res := solveChecked(t, inst)
	if res.FullyAssigned != 2 {
		t.Fatalf("got %+v", res)
	}
	a := res.Assignments[0]
	if a.Room != "r3" || len(a.Facilitators) != 2 || (a.Facilitators[0] != "p4" && a.Facilitators[1] != "p4") {
		t.Errorf("pins not kept: %+v", a)
	}
}

func TestMaxPerDay(t *testing.T) {
	// Three sequential workshops, one facilitator: only two per day.
	inst := evening(1, 1, 1)
	for i, h := range []int{9, 11, 14} {
		inst.Workshops = append(inst.Workshops, Workshop{ID: fmt.Sprintf("m%d", i), Start: jun21(h, 0), End: jun21(h+1, 0), Capacity: 10})
	}
	inst.Workshops = inst.Workshops[1:]
	res := solveChecked(t, inst)
	if res.FullyAssigned != 2 {
		t.Fatalf("got %+v", res)
	}
	inst.MaxPerDay = 3
	if res := solveChecked(t, inst); res.FullyAssigned != 3 {
		t.Fatalf("max_per_day 3: got %+v", res)
	}
	// The next day counts separately.
	inst.MaxPerDay = 1
	inst.Workshops[2].Start = inst.Workshops[2].Start.AddDate(0, 0, 1)
	inst.Workshops[2].End = inst.Workshops[2].End.AddDate(0, 0, 1)
	if res := solveChecked(t, inst); res.FullyAssigned != 2 {
		t.Fatalf("two days, max 1: got %+v", res)
	}
}

func TestCountBeatsPreference(t *testing.T) {
	// w1 prefers p1 (carries its commitment) but p1 is the only one who can
	// lead w2, which overlaps w1: w1 must get p2.
	inst := evening(2, 2, 2)
	inst.Workshops[0].Commitments = []string{"7"}
	inst.Facilitators[0].Carries = []string{"7"}
	inst.Facilitators[1].Available = []Interval{{jun21(18, 0), jun21(19, 0)}}
	inst.Workshops[0].Start, inst.Workshops[0].End = jun21(18, 0), jun21(18, 50)
	res := solveChecked(t, inst)
	if res.FullyAssigned != 2 {
		t.Fatalf("got %+v", res)
	}
	if got := res.Assignments[0].Facilitators; len(got) != 1 || got[0] != "p2" {
		t.Errorf("w1 led by %v, want [p2]", got)
	}
	// Without the conflict the preferred facilitator is chosen.
	inst.Workshops[1].Start, inst.Workshops[1].End = jun21(19, 0), jun21(20, 0)
	res = solveChecked(t, inst)
	if got := res.Assignments[0].Facilitators; len(got) != 1 || got[0] != "p1" {
		t.Errorf("w1 led by %v, want [p1]", got)
	}
}

func TestAugmentingPathMovesRoom(t *testing.T) {
	// w1 fits in r1 (30) and r2 (40); w2 and w3 need 35 and only fit in r2
	// and r3 (40). Whatever the insertion order, all three get a room.
	inst := evening(3, 3, 3)
	inst.Workshops[1].Capacity, inst.Workshops[2].Capacity = 35, 35
	inst.Rooms[0].Capacity, inst.Rooms[1].Capacity, inst.Rooms[2].Capacity = 30, 40, 40
	inst.Workshops[0].Room = ""
	res := solveChecked(t, inst)
	if res.FullyAssigned != 3 || res.Assignments[0].Room != "r1" {
		t.Fatalf("got %+v", res)
	}
}

func TestDeterministic(t *testing.T) {
	inst := GenerateSummit(3)
	var first []byte
	for i := 0; i < 3; i++ {
		b, err := json.Marshal(Solve(inst, Options{TimeLimit: -1})) // no clock: the same input gives the same output on a loaded machine
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			first = b
		} else if !bytes.Equal(first, b) {
			t.Fatal("two runs gave different outputs")
		}
	}
	if !bytes.Contains(first, []byte(`"fully_assigned":`)) || !bytes.Contains(first, []byte(`"assignments":[{"workshop":"w001"`)) {
		t.Errorf("unexpected JSON: %.200s", first)
	}
}

func TestPropertyRandomInstances(t *testing.T) {
	for seed := int64(1); seed <= 150; seed++ {
		ragged := seed%3 == 0
		inst := randomInstance(seed, 10+int(seed%25), 3+int(seed%5), 4+int(seed%9), 2+int(seed%7), ragged)
		res := solveChecked(t, inst)
		if res.FullyAssigned > res.UpperBound {
			t.Fatalf("seed %d: %d assigned above the bound %d", seed, res.FullyAssigned, res.UpperBound)
		}
	}
	for seed := int64(1); seed <= 3; seed++ {
		solveChecked(t, GenerateSummit(seed))
		solveChecked(t, GenerateSmall(seed, 40))
	}
}

func TestReasonsAreTrue(t *testing.T) {
	// B 18:00-19:00 and C 19:00-20:00 need one facilitator each, A
	// 18:30-19:30 two; two rooms, two facilitators. A lacks one
	// facilitator, never a room: r2 stays free all evening.
	inst := &Instance{Rooms: []Room{{ID: "r1", Capacity: 30}, {ID: "r2", Capacity: 30}},
		Facilitators: []Facilitator{{ID: "p1"}, {ID: "p2"}},
		Workshops: []Workshop{
			{ID: "A", Start: jun21(18, 30), End: jun21(19, 30), Capacity: 20, FacilitatorsNeeded: 2},
			{ID: "B", Start: jun21(18, 0), End: jun21(19, 0), Capacity: 20},
			{ID: "C", Start: jun21(19, 0), End: jun21(20, 0), Capacity: 20},
		}}
	res := solveChecked(t, inst)
	if res.FullyAssigned != 2 || !res.Optimal {
		t.Fatalf("got %+v", res)
	}
	if got := reasonOf(res, "A"); !strings.HasPrefix(got, "il manque ") || strings.Contains(got, "salle") {
		t.Errorf("reason %q, want only missing facilitators", got)
	}
	// The checker itself catches a false lack of room.
	res.Unassigned[0].Reason = "aucune salle libre de 20 places ou plus à 18:30"
	if verifyReasons(inst, res) == nil {
		t.Error("false lack of room not detected")
	}
	res.Unassigned[0].Reason = "il manque 3 animateurs disponibles le mardi 21 juin 2016 à 18:30"
	if verifyReasons(inst, res) == nil {
		t.Error("overstated lack of facilitators not detected")
	}
}
