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

// chainInstance builds a programme whose workshops are not on common slots:
// relay workshops, forums and evenings in several venues, of mixed lengths
// (45 min to 3 h, starting on any quarter hour from 9:00 to 20:00) that
// overlap in chains, over 1 to 3 days. Some programmes fall on the days of
// the clock change and a third of the times are written in UTC. Rooms and
// facilitators are scarce; facilitators have availability windows, busy
// windows and carry commitments (preferences).
func chainInstance(seed int64, nw int) *Instance { return chainProgramme(seed, nw, 0) }

// chainProgramme is chainInstance over the given number of days (0: 1 to 3
// at random).
func chainProgramme(seed int64, nw, days int) *Instance {
	rng := rand.New(rand.NewSource(seed))
	firsts := []time.Time{
		time.Date(2017, time.March, 25, 0, 0, 0, 0, paris),   // Sunday 26 March: 2:00 -> 3:00
		time.Date(2016, time.October, 29, 0, 0, 0, 0, paris), // Sunday 30 October: 3:00 -> 2:00
		time.Date(2016, time.December, 6, 0, 0, 0, 0, paris),
		time.Date(2016, time.June, 21, 0, 0, 0, 0, paris),
	}
	first := firsts[rng.Intn(len(firsts))]
	if days <= 0 {
		days = 1 + rng.Intn(3)
	}
	at := func(d, minutes int) time.Time {
		return time.Date(first.Year(), first.Month(), first.Day()+d, 0, minutes, 0, 0, paris)
	}
	inst := &Instance{MaxPerDay: 1 + rng.Intn(3)}
	nr := max(2, nw/(4+rng.Intn(4)))
	for i := 0; i < nr; i++ {
		r := Room{ID: fmt.Sprintf("r%d", i+1), Capacity: []int{15, 20, 30, 30, 40, 60}[rng.Intn(6)]}
		if rng.Intn(5) == 0 {
			d, s := rng.Intn(days), 9*60+15*rng.Intn(40)
			r.Busy = []Interval{{at(d, s), at(d, s+60+15*rng.Intn(8))}}
		}
		inst.Rooms = append(inst.Rooms, r)
	}
	np := max(3, nw*(2+rng.Intn(4))/8)
	for i := 0; i < np; i++ {
		f := Facilitator{ID: fmt.Sprintf("p%d", i+1), Organisation: fmt.Sprintf("o%d", rng.Intn(5)),
			Carries: []string{fmt.Sprint(1 + rng.Intn(8)), fmt.Sprint(1 + rng.Intn(8))}}
		if rng.Intn(2) == 0 || days > 3 { // over many days, everyone gives windows
			for k := 0; k < 1+rng.Intn(2); k++ {
				d, s := rng.Intn(days), 8*60+30*rng.Intn(20)
				f.Available = append(f.Available, Interval{at(d, s), at(d, s+180+30*rng.Intn(12))})
			}
		}
		if rng.Intn(4) == 0 {
			d, s := rng.Intn(days), 9*60+15*rng.Intn(40)
			f.Busy = []Interval{{at(d, s), at(d, s+30+15*rng.Intn(8))}}
		}
		inst.Facilitators = append(inst.Facilitators, f)
	}
	for i := 0; i < nw; i++ {
		d, s := rng.Intn(days), 9*60+15*rng.Intn(45)
		w := Workshop{ID: fmt.Sprintf("w%03d", i+1), Start: at(d, s), End: at(d, s+45+15*rng.Intn(10)),
			Capacity: 10 + 5*rng.Intn(9), FacilitatorsNeeded: 1 + rng.Intn(2)*rng.Intn(3),
			Commitments: []string{fmt.Sprint(1 + rng.Intn(8))}}
		if rng.Intn(3) == 0 {
			w.Start, w.End = w.Start.UTC(), w.End.UTC()
		}
		if rng.Intn(15) == 0 {
			w.Room = inst.Rooms[rng.Intn(nr)].ID
		}
		if rng.Intn(12) == 0 {
			w.Facilitators = []string{inst.Facilitators[rng.Intn(np)].ID}
		}
		inst.Workshops = append(inst.Workshops, w)
	}
	return inst
}
