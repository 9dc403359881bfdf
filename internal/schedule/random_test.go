package schedule

import (
	"fmt"
	"math/rand"
	"time"
)

// randomInstance builds a small adversarial instance: few slots, scarce
// and heterogeneous rooms and facilitators, availability windows of one or
// two slots, busy windows, needs of 1 to 3, a few pins. When ragged is true,
// workshop times are not aligned on slots.
func randomInstance(seed int64, nw, nr, np, slots int, ragged bool) *Instance {
	rng := rand.New(rand.NewSource(seed))
	base := time.Date(2016, time.December, 7, 9, 0, 0, 0, paris)
	slotStart := func(k int) time.Time {
		day, s := k/4, k%4
		return base.AddDate(0, 0, day).Add(time.Duration(s*2) * time.Hour)
	}
	iv := func(k int) Interval { st := slotStart(k); return Interval{st, st.Add(90 * time.Minute)} }
	inst := &Instance{MaxPerDay: 1 + rng.Intn(2)}
	for i := 0; i < nr; i++ {
		r := Room{ID: fmt.Sprintf("r%d", i), Name: fmt.Sprintf("Salle %d", i), Capacity: 10 * (1 + rng.Intn(6))}
		if rng.Intn(4) == 0 {
			r.Busy = []Interval{iv(rng.Intn(slots))}
		}
		inst.Rooms = append(inst.Rooms, r)
	}
	for i := 0; i < np; i++ {
		f := Facilitator{ID: fmt.Sprintf("p%d", i), Name: fmt.Sprintf("Personne %d", i)}
		for k := 0; k < rng.Intn(3); k++ {
			a := rng.Intn(slots)
			b := min(slots-1, a+rng.Intn(2))
			f.Available = append(f.Available, Interval{slotStart(a).Add(-10 * time.Minute), slotStart(b).Add(100 * time.Minute)})
		}
		if rng.Intn(5) == 0 {
			f.Busy = []Interval{iv(rng.Intn(slots))}
		}
		inst.Facilitators = append(inst.Facilitators, f)
	}
	for i := 0; i < nw; i++ {
		k := rng.Intn(slots)
		w := Workshop{ID: fmt.Sprintf("w%02d", i), Start: iv(k).Start, End: iv(k).End,
			Capacity: 5 + 5*rng.Intn(10), FacilitatorsNeeded: 1 + rng.Intn(3)*rng.Intn(2)}
		if ragged {
			w.Start = w.Start.Add(time.Duration(rng.Intn(7)-3) * 15 * time.Minute)
			w.End = w.Start.Add(time.Duration(4+rng.Intn(4)) * 15 * time.Minute)
		}
		if rng.Intn(12) == 0 {
			w.Room = inst.Rooms[rng.Intn(nr)].ID
		}
		if rng.Intn(10) == 0 {
			w.Facilitators = []string{inst.Facilitators[rng.Intn(np)].ID}
		}
		inst.Workshops = append(inst.Workshops, w)
	}
	return inst
}
