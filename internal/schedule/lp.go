package schedule

import (
	"bufio"
	"fmt"
	"io"
	"sort"
)

// WriteLP writes inst as a CPLEX LP integer program that an exact solver
// (for example `glpsol --lp FILE -o OUT`) can solve. Identifiers are mapped
// to indices in the instance order:
//
//	x_i     = 1 when workshop i is fully assigned (the objective is sum x_i)
//	y_i_r   = 1 when workshop i takes room r
//	z_i_p   = 1 when facilitator p leads workshop i
//
// Constraints: sum_r y_i_r = x_i; sum_p z_i_p = needed_i x_i; z_i_p = x_i for
// pinned facilitators; for each room or facilitator and each maximal set of
// pairwise overlapping workshops, at most one of them; for each facilitator
// and day, at most max_per_day workshops. Only the variables allowed by
// capacity, busy and availability windows (and pins) are generated, so the
// program has exactly the solutions Solve may return.
func WriteLP(w io.Writer, inst *Instance) error { return writeLP(w, inst, false) }

// writeLP writes the LP of WriteLP; with lexicographic, the objective is
// M·(sum x_i) + (placements of people carrying the workshop's
// commitments), M exceeding any number of placements, so that the optimum
// maximises the count first, then the preference.
func writeLP(w io.Writer, inst *Instance, lexicographic bool) error {
	if err := inst.Validate(); err != nil {
		return err
	}
	m := newModel(inst)
	bw := bufio.NewWriter(w)
	lw := &lpWriter{w: bw}
	fmt.Fprintf(bw, "\\ schedule: %d workshops, %d rooms, %d facilitators, max %d per day\n",
		m.n, m.nr, m.np, m.mpd)

	// Variables per workshop (none for workshops that can never be assigned).
	rooms := make([][]int32, m.n)
	facs := make([][]int32, m.n)
	for i := 0; i < m.n; i++ {
		if m.static[i] != "" {
			continue
		}
		rooms[i] = m.roomCands[i]
		facs[i] = append(append([]int32(nil), m.pinFac[i]...), m.facCands[i]...)
		sort.Slice(facs[i], func(a, b int) bool { return facs[i][a] < facs[i][b] })
	}

	bw.WriteString("Maximize\n obj:")
	bigM := 1
	for i := 0; i < m.n; i++ {
		bigM += int(m.need[i])
	}
	for i := 0; i < m.n; i++ {
		if !lexicographic {
			lw.term(fmt.Sprintf("+ x_%d", i))
			continue
		}
		lw.term(fmt.Sprintf("+ %d x_%d", bigM, i))
		for _, p := range facs[i] {
			if m.carries(int32(i), p) {
				lw.term(fmt.Sprintf("+ z_%d_%d", i, p))
			}
		}
	}
	if m.n == 0 {
		lw.term("0 x_dummy")
	}
	lw.end()
	bw.WriteString("\nSubject To\n")
	for i := 0; i < m.n; i++ {
		fmt.Fprintf(bw, " room_%d:", i)
		for _, r := range rooms[i] {
			lw.term(fmt.Sprintf("+ y_%d_%d", i, r))
		}
		lw.term(fmt.Sprintf("- x_%d", i))
		lw.end()
		bw.WriteString(" = 0\n")
		fmt.Fprintf(bw, " staff_%d:", i)
		for _, p := range facs[i] {
			lw.term(fmt.Sprintf("+ z_%d_%d", i, p))
		}
		lw.term(fmt.Sprintf("- %d x_%d", m.need[i], i))
		lw.end()
		bw.WriteString(" = 0\n")
		if m.static[i] == "" {
			for _, p := range m.pinFac[i] {
				fmt.Fprintf(bw, " pin_%d_%d: z_%d_%d - x_%d = 0\n", i, p, i, p, i)
			}
		}
	}

	// Conflicts on each maximal clique of overlapping workshops.
	roomBucket := make([][]int32, m.nr)
	facBucket := make([][]int32, m.np)
	for c, clique := range m.maximalCliques() {
		for _, i := range clique {
			for _, r := range rooms[i] {
				roomBucket[r] = append(roomBucket[r], i)
			}
			for _, p := range facs[i] {
				facBucket[p] = append(facBucket[p], i)
			}
		}
		for r, ws := range roomBucket {
			if len(ws) >= 2 {
				fmt.Fprintf(bw, " rc_%d_%d:", r, c)
				for _, i := range ws {
					lw.term(fmt.Sprintf("+ y_%d_%d", i, r))
				}
				lw.end()
				bw.WriteString(" <= 1\n")
			}
			roomBucket[r] = ws[:0]
		}
		for p, ws := range facBucket {
			if len(ws) >= 2 {
				fmt.Fprintf(bw, " pc_%d_%d:", p, c)
				for _, i := range ws {
					lw.term(fmt.Sprintf("+ z_%d_%d", i, p))
				}
				lw.end()
				bw.WriteString(" <= 1\n")
			}
			facBucket[p] = ws[:0]
		}
	}

	// Per-day limits.
	for d := 0; d < m.nDays; d++ {
		for i := 0; i < m.n; i++ {
			if int(m.day[i]) != d {
				continue
			}
			for _, p := range facs[i] {
				facBucket[p] = append(facBucket[p], int32(i))
			}
		}
		for p, ws := range facBucket {
			if len(ws) > int(m.mpd) {
				fmt.Fprintf(bw, " day_%d_%d:", p, d)
				for _, i := range ws {
					lw.term(fmt.Sprintf("+ z_%d_%d", i, p))
				}
				lw.end()
				fmt.Fprintf(bw, " <= %d\n", m.mpd)
			}
			facBucket[p] = ws[:0]
		}
	}

	bw.WriteString("Binaries\n")
	for i := 0; i < m.n; i++ {
		fmt.Fprintf(bw, " x_%d\n", i)
		for _, r := range rooms[i] {
			fmt.Fprintf(bw, " y_%d_%d\n", i, r)
		}
		for _, p := range facs[i] {
			fmt.Fprintf(bw, " z_%d_%d\n", i, p)
		}
	}
	bw.WriteString("End\n")
	return bw.Flush()
}

// lpWriter wraps long expressions (LP readers limit line length).
type lpWriter struct {
	w     *bufio.Writer
	terms int
}

func (l *lpWriter) term(t string) {
	if l.terms > 0 && l.terms%8 == 0 {
		l.w.WriteString("\n   ")
	}
	l.w.WriteByte(' ')
	l.w.WriteString(t)
	l.terms++
}

func (l *lpWriter) end() { l.terms = 0 }

// maximalCliques returns the maximal sets of pairwise overlapping workshops
// (for intervals, the sets active just before an end that follows a start).
func (m *model) maximalCliques() [][]int32 {
	type event struct {
		t     int64
		start bool
		w     int32
	}
	ev := make([]event, 0, 2*m.n)
	for i := 0; i < m.n; i++ {
		ev = append(ev, event{m.start[i], true, int32(i)}, event{m.end[i], false, int32(i)})
	}
	sort.Slice(ev, func(a, b int) bool {
		if ev[a].t != ev[b].t {
			return ev[a].t < ev[b].t
		}
		if ev[a].start != ev[b].start {
			return !ev[a].start // ends first: intervals are half-open
		}
		return ev[a].w < ev[b].w
	})
	var out [][]int32
	active := []int32{}
	lastStart := false
	for _, e := range ev {
		if e.start {
			active = append(active, e.w)
			lastStart = true
			continue
		}
		if lastStart {
			c := append([]int32(nil), active...)
			sort.Slice(c, func(a, b int) bool { return c[a] < c[b] })
			out = append(out, c)
		}
		active = removeValue(active, e.w)
		lastStart = false
	}
	return out
}
