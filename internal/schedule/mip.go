package schedule

import (
	"math"
	"slices"
	"sort"
	"time"
)

// mip is the integer program of one group of workshops, solved by a
// branch and bound on its linear relaxation (a bounded dual simplex, see
// dualLP), for the groups not on common slots. Unlike groupLP, only the
// rooms are merged into classes (rooms with the same eligible workshops:
// an integral choice of classes whose cliques fit is always realised by
// giving rooms in chronological order); people stay apart, since a class
// of people with a daily limit may not be: every integral solution of the
// program is an assignment.
//
//	maximise   sum_w x_w
//	subject to x_w ≤ sum_c Y_wc                  (a room, from some class)
//	           need_w·x_w ≤ sum_p z_wp           (its people)
//	           x_w ≤ z_wp                        (p pinned to w)
//	           sum_{w in K} Y_wc ≤ |c|           (each clique K of c's workshops)
//	           sum_{w in K} z_wp ≤ 1             (each clique K of p's workshops)
//	           sum_{w on day d} z_wp ≤ mpd
//	           x, Y, z in {0, 1}
type mip struct {
	m     *model
	ws    []int32 // the workshops, by start
	lp    *dualLP
	xcol  []int32
	ycol  [][]lpEntry // per position: (room class, column)
	zcol  [][]lpEntry // per position: (person, column)
	rooms [][]int32   // rooms of each class, by index

	deadline time.Time
	// prefer: the objective is the placements of people carrying the
	// workshop's commitments among assignments of at least keep
	// workshops (see preferAtCount), instead of the count.
	prefer bool
	keep   int
	// best is the objective of the best assignment known; sol holds it
	// (room per position or -1, and its people) when found by the search.
	best     int
	sol      []int32
	solFacs  [][]int32
	complete bool // no node was abandoned: exhausting proves best optimal
}

// newMIP builds the program of the assignable workshops of group.
func newMIP(m *model, group []int32) *mip { return newWindowMIP(m, group, nil) }

// newWindowMIP builds the program of the workshops of window, the other
// workshops keeping their assignment in s (nil: none): rooms and people
// they hold at the same time are left out, and each person's daily limit
// is what they leave.
func newWindowMIP(m *model, window []int32, s *state) *mip {
	p := &mip{m: m}
	inWindow := map[int32]bool{}
	for _, w := range window {
		inWindow[w] = true
	}
	held := func(use []int32, w int32) bool {
		for _, u := range use {
			if !inWindow[u] && m.overlap(u, w) {
				return true
			}
		}
		return false
	}
	roomOK := func(w, r int32) bool { return s == nil || !held(s.roomUse[r], w) }
	facOK := func(w, q int32) bool { return s == nil || !held(s.facUse[q], w) }
	dayLimit := func(q, d int32) int {
		limit := int(m.mpd)
		if s != nil {
			for _, u := range s.facUse[q] {
				if !inWindow[u] && m.day[u] == d {
					limit--
				}
			}
		}
		return limit
	}
	for _, w := range m.byStart(window) {
		ok := true
		for _, q := range m.pinFac[w] {
			ok = ok && facOK(w, q)
		}
		if ok {
			p.ws = append(p.ws, w)
		}
	}
	n := len(p.ws)
	// Room classes by the positions each room can hold.
	roomPos := map[int32][]int32{}
	for k, w := range p.ws {
		for _, r := range m.roomCands[w] {
			if roomOK(w, r) {
				roomPos[r] = append(roomPos[r], int32(k))
			}
		}
	}
	rooms := make([]int32, 0, len(roomPos))
	for r := range roomPos {
		rooms = append(rooms, r)
	}
	sort.Slice(rooms, func(a, b int) bool { return rooms[a] < rooms[b] })
	classOf := map[string]int{}
	var classPos [][]int32
	for _, r := range rooms {
		key := setKeyString(roomPos[r])
		c, ok := classOf[key]
		if !ok {
			c = len(p.rooms)
			classOf[key] = c
			p.rooms = append(p.rooms, nil)
			classPos = append(classPos, roomPos[r])
		}
		p.rooms[c] = append(p.rooms[c], r)
	}
	facPos := map[int32][]int32{}
	var people []int32
	for k, w := range p.ws {
		for _, q := range m.pinFac[w] {
			if facPos[q] == nil {
				people = append(people, q)
			}
			facPos[q] = append(facPos[q], int32(k))
		}
		for _, q := range m.facCands[w] {
			if !facOK(w, q) {
				continue
			}
			if facPos[q] == nil {
				people = append(people, q)
			}
			facPos[q] = append(facPos[q], int32(k))
		}
	}
	sort.Slice(people, func(a, b int) bool { return people[a] < people[b] })
	for _, q := range people {
		ks := facPos[q]
		sort.Slice(ks, func(a, b int) bool { return ks[a] < ks[b] })
	}

	lp := &dualLP{}
	p.lp = lp
	p.xcol = make([]int32, n)
	p.ycol = make([][]lpEntry, n)
	p.zcol = make([][]lpEntry, n)
	for k := range p.ws {
		p.xcol[k] = lp.addCol(1, 1)
	}
	for c, ks := range classPos {
		for _, k := range ks {
			p.ycol[k] = append(p.ycol[k], lpEntry{int32(c), lp.addCol(0, 1)})
		}
	}
	for _, q := range people {
		for _, k := range facPos[q] {
			p.zcol[k] = append(p.zcol[k], lpEntry{q, lp.addCol(0, 1)})
		}
	}
	for k, w := range p.ws {
		x := p.xcol[k]
		cols, coefs := []int32{x}, []float64{1}
		for _, e := range p.ycol[k] {
			cols, coefs = append(cols, e.col), append(coefs, -1)
		}
		lp.addRow(cols, coefs, 0)
		cols, coefs = []int32{x}, []float64{float64(m.need[w])}
		for _, e := range p.zcol[k] {
			cols, coefs = append(cols, e.col), append(coefs, -1)
		}
		lp.addRow(cols, coefs, 0)
		for _, q := range m.pinFac[w] {
			lp.addRow([]int32{x, colOf(p.zcol[k], q)}, []float64{1, -1}, 0)
		}
	}
	for c, ks := range classPos {
		size := len(p.rooms[c])
		for _, K := range cliquesOf(m, p.ws, ks) {
			if len(K) <= size {
				continue
			}
			cols := make([]int32, len(K))
			for i, k := range K {
				cols[i] = colOf(p.ycol[k], int32(c))
			}
			lp.addRow(cols, ones(len(K)), float64(size))
		}
	}
	for _, q := range people {
		ks := facPos[q]
		for _, K := range cliquesOf(m, p.ws, ks) {
			if len(K) < 2 {
				continue
			}
			cols := make([]int32, len(K))
			for i, k := range K {
				cols[i] = colOf(p.zcol[k], q)
			}
			lp.addRow(cols, ones(len(K)), 1)
		}
		byDay := map[int32][]int32{}
		var days []int32
		for _, k := range ks {
			d := m.day[p.ws[k]]
			if byDay[d] == nil {
				days = append(days, d)
			}
			byDay[d] = append(byDay[d], k)
		}
		for _, d := range days {
			limit := dayLimit(q, d)
			if len(byDay[d]) <= limit {
				continue
			}
			cols := make([]int32, len(byDay[d]))
			for i, k := range byDay[d] {
				cols[i] = colOf(p.zcol[k], q)
			}
			lp.addRow(cols, ones(len(cols)), float64(limit))
		}
	}
	return p
}

// preferAtCount makes the objective the placements of people carrying
// the workshop's commitments, over the assignments of at least count
// workshops: the second objective, once the count is settled. Each
// workshop then takes exactly its need (no more people than needed).
func (p *mip) preferAtCount(count int) {
	m, lp := p.m, p.lp
	p.prefer, p.keep = true, count
	all := make([]int32, len(p.ws))
	for k, w := range p.ws {
		lp.c[p.xcol[k]] = 0
		all[k] = p.xcol[k]
		cols, coefs := []int32{p.xcol[k]}, []float64{-float64(m.need[w])}
		for _, e := range p.zcol[k] {
			if m.carries(w, e.cls) {
				lp.c[e.col] = 1
			}
			cols, coefs = append(cols, e.col), append(coefs, 1)
		}
		lp.addRow(cols, coefs, 0)
	}
	neg := ones(len(all))
	for i := range neg {
		neg[i] = -1
	}
	lp.addRow(all, neg, -float64(count))
}

// setKeyString is a map key for a list of positions.
func setKeyString(ks []int32) string {
	b := make([]byte, 0, 4*len(ks))
	for _, k := range ks {
		b = append(b, byte(k), byte(k>>8), byte(k>>16), byte(k>>24))
	}
	return string(b)
}

// tooLarge reports whether the dense tableau of p would be too large.
func (p *mip) tooLarge() bool {
	return len(p.lp.rows)*len(p.lp.c) > lpMaxDense
}

// mipFits reports whether the program of group may fit (see tooLarge),
// without building it: at least two rows per workshop, a column per
// workshop, candidate room and person. Building the program of thousands
// of workshops would take seconds.
func mipFits(m *model, group []int32) bool {
	rows, cols := 0, 0
	for _, w := range group {
		if m.static[w] == "" {
			rows += 2
			cols += 1 + len(m.roomCands[w]) + len(m.facCands[w]) + len(m.pinFac[w])
		}
	}
	return rows*cols <= lpMaxDense
}

// run searches, depth first, for assignments of more than best workshops
// (best: the count already known; with preferAtCount, placements) until
// the deadline. It returns the best value found and whether it is proven
// optimal; the assignment, when better than best, is in p.sol.
func (p *mip) run(best int) (int, bool) {
	p.best = best
	p.complete = true
	p.lp.start()
	p.node()
	return p.best, p.complete
}

func (p *mip) past() bool { return !p.deadline.IsZero() && time.Now().After(p.deadline) }

// node solves the relaxation with the current bounds and branches.
func (p *mip) node() {
	if p.past() {
		p.complete = false
		return
	}
	st := p.lp.solve(float64(p.best)+1-1e-6, p.deadline)
	switch st {
	case lpUnknown:
		p.complete = false
		return
	case lpInfeasible, lpCutOff:
		return
	}
	// Branch on the fractional workshop nearest to being taken (taken
	// first: a dive toward an assignment), else likewise on the room
	// classes and people of the workshops taken.
	lp := p.lp
	pick, dist := int32(-1), 1.0
	consider := func(col int32) {
		if v := lp.value(col); v > 1e-6 && v < 1-1e-6 && 1-v < dist {
			pick, dist = col, 1-v
		}
	}
	for _, col := range p.xcol {
		consider(col)
	}
	if pick < 0 {
		for k := range p.ws {
			if lp.value(p.xcol[k]) < 0.5 {
				continue
			}
			for _, e := range p.ycol[k] {
				consider(e.col)
			}
			for _, e := range p.zcol[k] {
				consider(e.col)
			}
		}
	}
	if pick < 0 {
		p.record()
		return
	}
	up := lp.value(pick) >= 0.5
	lo0, up0 := lp.lo[pick], lp.up[pick]
	for _, one := range [2]bool{up, !up} {
		if one {
			lp.lo[pick] = 1
		} else {
			lp.up[pick] = 0
		}
		p.node()
		lp.lo[pick], lp.up[pick] = lo0, up0
		if p.past() {
			p.complete = false
			return
		}
	}
}

// record keeps the integral solution of the relaxation as an assignment
// when it places more workshops than the best known.
func (p *mip) record() {
	m, lp := p.m, p.lp
	n := len(p.ws)
	room := make([]int32, n)
	facs := make([][]int32, n)
	count := 0
	// Rooms: the workshops of each class in chronological order, each
	// taking a room of the class free at its start.
	byClass := make([][]int32, len(p.rooms))
	for k := range p.ws {
		room[k] = -1
		if lp.value(p.xcol[k]) < 0.5 {
			continue
		}
		for _, e := range p.ycol[k] {
			if lp.value(e.col) > 0.5 {
				byClass[e.cls] = append(byClass[e.cls], int32(k))
				break
			}
		}
		// Pinned people first (they are taken: x ≤ z), then the others
		// chosen, as many as needed.
		w := p.ws[k]
		facs[k] = append(facs[k], m.pinFac[w]...)
		for _, e := range p.zcol[k] {
			if lp.value(e.col) > 0.5 && len(facs[k]) < int(m.need[w]) && !slices.Contains(m.pinFac[w], e.cls) {
				facs[k] = append(facs[k], e.cls)
			}
		}
	}
	for c, ks := range byClass {
		free := make([]int64, len(p.rooms[c]))
		for i := range free {
			free[i] = math.MinInt64
		}
		for _, k := range ks {
			w := p.ws[k]
			for i, t := range free {
				if t <= m.start[w] {
					free[i] = m.end[w]
					room[k] = p.rooms[c][i]
					break
				}
			}
		}
	}
	preferred := 0
	for k, w := range p.ws {
		if room[k] < 0 || len(facs[k]) != int(m.need[w]) {
			room[k], facs[k] = -1, nil
			continue
		}
		count++
		for _, q := range facs[k] {
			if m.carries(w, q) {
				preferred++
			}
		}
	}
	value := count
	if p.prefer {
		if count < p.keep {
			return
		}
		value = preferred
	}
	if value <= p.best {
		return
	}
	p.best, p.sol, p.solFacs = value, room, facs
}

// install replaces the assignment of the group in s by the solution.
func (p *mip) install(s *state) { s.replaceAssignment(p.ws, p.sol, p.solFacs) }
