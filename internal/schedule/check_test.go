package schedule

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// checkResult fails the test if res breaks any hard rule of inst.
func checkResult(t *testing.T, inst *Instance, res Result) {
	t.Helper()
	if err := verify(inst, res); err != nil {
		t.Fatal(err)
	}
	if err := verifyReasons(inst, res); err != nil {
		t.Fatal(err)
	}
}

var (
	reasonNoRoom  = regexp.MustCompile(`^aucune salle libre de (\d+) places ou plus à (\d\d:\d\d)$`)
	reasonMissing = regexp.MustCompile(`^il manque (\d+) animateurs? disponibles? le .+ à (\d\d:\d\d)$`)
	reasonPinned  = regexp.MustCompile(`^l'animateur imposé .+ anime déjà l'atelier (\S+) le `)
)

// verifyReasons checks, independently of the solver, that every lack stated
// for an unassigned workshop is real in the final assignment res: no room of
// the capacity free over the whole workshop, fewer free available people than
// needed, a pinned facilitator leading an overlapping workshop.
func verifyReasons(inst *Instance, res Result) error {
	byID := map[string]*Workshop{}
	for i := range inst.Workshops {
		byID[inst.Workshops[i].ID] = &inst.Workshops[i]
	}
	roomTaken := map[string][]Interval{}
	personTaken := map[string][]*Workshop{}
	for _, a := range res.Assignments {
		w := byID[a.Workshop]
		roomTaken[a.Room] = append(roomTaken[a.Room], w.interval())
		for _, p := range a.Facilitators {
			personTaken[p] = append(personTaken[p], w)
		}
	}
	day := func(w *Workshop) string { return w.Start.In(paris).Format("2006-01-02") }
	free := func(p *Facilitator, w *Workshop) bool {
		iv := w.interval()
		if len(p.Available) > 0 {
			ok := false
			for _, av := range p.Available {
				ok = ok || av.contains(iv)
			}
			if !ok {
				return false
			}
		}
		for _, b := range p.Busy {
			if b.overlaps(iv) {
				return false
			}
		}
		n := 0
		for _, u := range personTaken[p.ID] {
			if u.interval().overlaps(iv) {
				return false
			}
			if day(u) == day(w) {
				n++
			}
		}
		return n < inst.maxPerDay()
	}
	for _, u := range res.Unassigned {
		w := byID[u.Workshop]
		iv := w.interval()
		clock := w.Start.In(paris).Format("15:04")
		for _, part := range strings.Split(u.Reason, " ; ") {
			if g := reasonNoRoom.FindStringSubmatch(part); g != nil {
				if g[1] != strconv.Itoa(w.Capacity) || g[2] != clock {
					return fmt.Errorf("%s: %q does not describe the workshop", w.ID, part)
				}
				for _, r := range inst.Rooms {
					if r.Capacity < w.Capacity || (w.Room != "" && w.Room != r.ID) {
						continue
					}
					taken := false
					for _, b := range append(append([]Interval(nil), r.Busy...), roomTaken[r.ID]...) {
						taken = taken || b.overlaps(iv)
					}
					if !taken {
						return fmt.Errorf("%s: %q but room %s (%d places) is free", w.ID, part, r.ID, r.Capacity)
					}
				}
				continue
			}
			if g := reasonMissing.FindStringSubmatch(part); g != nil {
				n, _ := strconv.Atoi(g[1])
				pinned := map[string]bool{}
				for _, p := range w.Facilitators {
					pinned[p] = true
				}
				nFree := 0
				for i := range inst.Facilitators {
					if p := &inst.Facilitators[i]; !pinned[p.ID] && free(p, w) {
						nFree++
					}
				}
				others := w.needed() - len(w.Facilitators)
				if g[2] != clock || n <= 0 || nFree+n > others {
					return fmt.Errorf("%s: %q but %d people are free for the %d places not pinned", w.ID, part, nFree, others)
				}
				continue
			}
			if g := reasonPinned.FindStringSubmatch(part); g != nil {
				v := byID[g[1]]
				if v == nil || !v.interval().overlaps(iv) {
					return fmt.Errorf("%s: %q but %s does not overlap", w.ID, part, g[1])
				}
				continue
			}
			if strings.HasPrefix(part, "conflit avec") {
				return fmt.Errorf("%s: vague reason %q although nothing real is lacking", w.ID, part)
			}
		}
	}
	return nil
}

// verify returns the first hard rule of inst that res breaks.
func verify(inst *Instance, res Result) error {
	ws := map[string]*Workshop{}
	for i := range inst.Workshops {
		ws[inst.Workshops[i].ID] = &inst.Workshops[i]
	}
	rooms := map[string]*Room{}
	for i := range inst.Rooms {
		rooms[inst.Rooms[i].ID] = &inst.Rooms[i]
	}
	people := map[string]*Facilitator{}
	for i := range inst.Facilitators {
		people[inst.Facilitators[i].ID] = &inst.Facilitators[i]
	}
	seen := map[string]bool{}
	for _, u := range res.Unassigned {
		if seen[u.Workshop] || ws[u.Workshop] == nil || u.Reason == "" {
			return fmt.Errorf("bad unassigned entry %+v", u)
		}
		seen[u.Workshop] = true
	}
	if res.FullyAssigned != len(res.Assignments) || len(res.Assignments)+len(res.Unassigned) != len(inst.Workshops) ||
		res.Workshops != len(inst.Workshops) {
		return fmt.Errorf("counters: %d assigned, %d+%d listed, %d workshops", res.FullyAssigned, len(res.Assignments), len(res.Unassigned), len(inst.Workshops))
	}
	type use struct {
		iv  Interval
		day string
		id  string
	}
	roomUses := map[string][]use{}
	personUses := map[string][]use{}
	for i, a := range res.Assignments {
		if i > 0 && res.Assignments[i-1].Workshop >= a.Workshop {
			return fmt.Errorf("assignments not sorted: %s then %s", res.Assignments[i-1].Workshop, a.Workshop)
		}
		w := ws[a.Workshop]
		if w == nil || seen[a.Workshop] {
			return fmt.Errorf("bad assignment %+v", a)
		}
		seen[a.Workshop] = true
		iv := w.interval()
		d := w.Start.In(paris).Format("2006-01-02")
		r := rooms[a.Room]
		switch {
		case r == nil:
			return fmt.Errorf("%s: unknown room %q", w.ID, a.Room)
		case r.Capacity < w.Capacity:
			return fmt.Errorf("%s: room %s holds %d < %d", w.ID, r.ID, r.Capacity, w.Capacity)
		case w.Room != "" && w.Room != r.ID:
			return fmt.Errorf("%s: pinned room %s replaced by %s", w.ID, w.Room, r.ID)
		}
		for _, b := range r.Busy {
			if b.overlaps(iv) {
				return fmt.Errorf("%s: room %s busy", w.ID, r.ID)
			}
		}
		roomUses[r.ID] = append(roomUses[r.ID], use{iv, d, w.ID})
		if len(a.Facilitators) != w.needed() {
			return fmt.Errorf("%s: %d facilitators, need %d", w.ID, len(a.Facilitators), w.needed())
		}
		got := map[string]bool{}
		for _, id := range a.Facilitators {
			p := people[id]
			if p == nil || got[id] {
				return fmt.Errorf("%s: bad facilitator %q in %v", w.ID, id, a.Facilitators)
			}
			got[id] = true
			if len(p.Available) > 0 {
				ok := false
				for _, av := range p.Available {
					ok = ok || av.contains(iv)
				}
				if !ok {
					return fmt.Errorf("%s: %s not available", w.ID, id)
				}
			}
			for _, b := range p.Busy {
				if b.overlaps(iv) {
					return fmt.Errorf("%s: %s busy", w.ID, id)
				}
			}
			personUses[id] = append(personUses[id], use{iv, d, w.ID})
		}
		for _, id := range w.Facilitators {
			if !got[id] {
				return fmt.Errorf("%s: pinned facilitator %s dropped", w.ID, id)
			}
		}
	}
	conflicts := func(kind string, uses map[string][]use, perDay int) error {
		for id, us := range uses {
			days := map[string]int{}
			for i, a := range us {
				days[a.day]++
				for _, b := range us[i+1:] {
					if a.iv.overlaps(b.iv) {
						return fmt.Errorf("%s %s double-booked: %s and %s", kind, id, a.id, b.id)
					}
				}
			}
			for d, n := range days {
				if perDay > 0 && n > perDay {
					return fmt.Errorf("%s %s leads %d workshops on %s (max %d)", kind, id, n, d, perDay)
				}
			}
		}
		return nil
	}
	if err := conflicts("room", roomUses, 0); err != nil {
		return err
	}
	return conflicts("facilitator", personUses, inst.maxPerDay())
}

// TestVerifyCatchesViolations makes sure the checker itself can fail.
func TestVerifyCatchesViolations(t *testing.T) {
	inst := evening(2, 2, 2)
	good := Solve(inst, Options{})
	if err := verify(inst, good); err != nil {
		t.Fatal(err)
	}
	cases := map[string]Result{
		"double-booked room": {Workshops: 2, FullyAssigned: 2, Assignments: []Assignment{
			{"w1", "r1", []string{"p1"}}, {"w2", "r1", []string{"p2"}}}},
		"double-booked person": {Workshops: 2, FullyAssigned: 2, Assignments: []Assignment{
			{"w1", "r1", []string{"p1"}}, {"w2", "r2", []string{"p1"}}}},
		"missing workshop": {Workshops: 2, FullyAssigned: 1, Assignments: []Assignment{
			{"w1", "r1", []string{"p1"}}}},
	}
	for name, res := range cases {
		if verify(inst, res) == nil {
			t.Errorf("%s not detected", name)
		}
	}
}
