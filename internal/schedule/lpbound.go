package schedule

import (
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
)

// groupLP is the linear relaxation of the assignment of one group of
// workshops, with the rooms and the people that are interchangeable
// within the group (same eligible workshops) merged into classes:
//
//	maximise   sum_w x_w
//	subject to x_w ≤ 1
//	           x_w ≤ sum_c Y_wc                  (a room, from some class)
//	           need_w·x_w ≤ sum_c Z_wc           (people, from some classes)
//	           |c|·x_w ≤ Z_wc                    (class c pinned to w)
//	           sum_{w in K} Y_wc ≤ |c|           (each clique K of c's workshops)
//	           sum_{w in K} Z_wc ≤ |c|
//	           sum_{w on day d} Z_wc ≤ mpd·|c|
//
// Every assignment gives a solution (Y_wc = 1 for the class of w's room,
// Z_wc = the number of w's people in class c), so its optimum bounds the
// count of the group. By symmetry within a class, merging loses nothing
// against the relaxation of the program WriteLP writes.
type groupLP struct {
	lp   dualLP
	ws   []int32 // the workshops, by start
	xcol []int32 // per position in ws: column of x_w
	ycol [][]lpEntry
	zcol [][]lpEntry
	// roomOf and facOf give the class of each room and person.
	roomOf, facOf map[int32]int32
}

// lpEntry is a column of Y or Z with the class it stands for.
type lpEntry struct {
	cls int32
	col int32
}

// colOf returns the column of class (or person) c among es, -1 if none.
func colOf(es []lpEntry, c int32) int32 {
	for _, e := range es {
		if e.cls == c {
			return e.col
		}
	}
	return -1
}

// newGroupLP builds the relaxation for the assignable workshops ws.
func newGroupLP(m *model, group []int32) *groupLP {
	g := &groupLP{ws: m.byStart(group)}
	n := len(g.ws)
	// Classes by signature: the positions each resource can serve.
	roomSig := map[int32][]string{}
	facSig := map[int32][]string{}
	for k, w := range g.ws {
		for _, r := range m.roomCands[w] {
			roomSig[r] = append(roomSig[r], strconv.Itoa(k))
		}
		for _, p := range m.pinFac[w] {
			facSig[p] = append(facSig[p], "p"+strconv.Itoa(k))
		}
		for _, p := range m.facCands[w] {
			facSig[p] = append(facSig[p], strconv.Itoa(k))
		}
	}
	type class struct {
		size   int
		pos    []int32 // positions served
		pinned map[int32]bool
	}
	roomOf, facOf := map[int32]int32{}, map[int32]int32{}
	classes := func(sig map[int32][]string, of map[int32]int32) []*class {
		ids := map[string]int{}
		var out []*class
		keys := make([]int32, 0, len(sig))
		for r := range sig {
			keys = append(keys, r)
		}
		sort.Slice(keys, func(a, b int) bool { return keys[a] < keys[b] })
		for _, r := range keys {
			key := strings.Join(sig[r], ",")
			id, ok := ids[key]
			if !ok {
				id = len(out)
				ids[key] = id
				c := &class{pinned: map[int32]bool{}}
				for _, s := range sig[r] {
					pinned := strings.HasPrefix(s, "p")
					k, _ := strconv.Atoi(strings.TrimPrefix(s, "p"))
					c.pos = append(c.pos, int32(k))
					if pinned {
						c.pinned[int32(k)] = true
					}
				}
				sort.Slice(c.pos, func(a, b int) bool { return c.pos[a] < c.pos[b] })
				out = append(out, c)
			}
			out[id].size++
			of[r] = int32(id)
		}
		return out
	}
	roomCls, facCls := classes(roomSig, roomOf), classes(facSig, facOf)
	g.roomOf, g.facOf = roomOf, facOf

	lp := &g.lp
	g.xcol = make([]int32, n)
	g.ycol = make([][]lpEntry, n)
	g.zcol = make([][]lpEntry, n)
	for k := range g.ws {
		g.xcol[k] = lp.addCol(1, 1)
	}
	for c, cl := range roomCls {
		for _, k := range cl.pos {
			g.ycol[k] = append(g.ycol[k], lpEntry{int32(c), lp.addCol(0, 1)})
		}
	}
	for c, cl := range facCls {
		for _, k := range cl.pos {
			u := float64(min(cl.size, int(m.need[g.ws[k]])))
			g.zcol[k] = append(g.zcol[k], lpEntry{int32(c), lp.addCol(0, u)})
		}
	}
	for k, w := range g.ws {
		x := g.xcol[k]
		lp.addRow([]int32{x}, []float64{1}, 1)
		cols, coefs := []int32{x}, []float64{1}
		for _, e := range g.ycol[k] {
			cols, coefs = append(cols, e.col), append(coefs, -1)
		}
		lp.addRow(cols, coefs, 0)
		cols, coefs = []int32{x}, []float64{float64(m.need[w])}
		for _, e := range g.zcol[k] {
			cols, coefs = append(cols, e.col), append(coefs, -1)
		}
		lp.addRow(cols, coefs, 0)
	}
	for c, cl := range facCls {
		for k := range cl.pinned {
			lp.addRow([]int32{g.xcol[k], colOf(g.zcol[k], int32(c))}, []float64{float64(cl.size), -1}, 0)
		}
	}
	// Clique rows, for each class over the workshops it can serve.
	for c, cl := range roomCls {
		for _, K := range cliquesOf(m, g.ws, cl.pos) {
			if len(K) <= cl.size {
				continue
			}
			cols := make([]int32, len(K))
			for i, k := range K {
				cols[i] = colOf(g.ycol[k], int32(c))
			}
			lp.addRow(cols, ones(len(K)), float64(cl.size))
		}
	}
	for c, cl := range facCls {
		for _, K := range cliquesOf(m, g.ws, cl.pos) {
			sum := 0
			for _, k := range K {
				sum += min(cl.size, int(m.need[g.ws[k]]))
			}
			if sum <= cl.size {
				continue
			}
			cols := make([]int32, len(K))
			for i, k := range K {
				cols[i] = colOf(g.zcol[k], int32(c))
			}
			lp.addRow(cols, ones(len(K)), float64(cl.size))
		}
		byDay := map[int32][]int32{}
		for _, k := range cl.pos {
			d := m.day[g.ws[k]]
			byDay[d] = append(byDay[d], k)
		}
		for _, ks := range byDay {
			sum := 0
			for _, k := range ks {
				sum += min(cl.size, int(m.need[g.ws[k]]))
			}
			limit := int(m.mpd) * cl.size
			if sum <= limit {
				continue
			}
			cols := make([]int32, len(ks))
			for i, k := range ks {
				cols[i] = colOf(g.zcol[k], int32(c))
			}
			lp.addRow(cols, ones(len(ks)), float64(limit))
		}
	}
	return g
}

func ones(n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = 1
	}
	return out
}

// cliquesOf returns the maximal sets of pairwise overlapping workshops
// among the positions ks of ws (ws sorted by start, ks increasing).
func cliquesOf(m *model, ws []int32, ks []int32) [][]int32 {
	var out [][]int32
	var active []int32
	grew := false
	// Sweep in start order; before adding a workshop, retire those that
	// end at or before its start (half-open intervals).
	retire := func(t int64) {
		kept := active[:0]
		first := true
		for _, k := range active {
			if m.end[ws[k]] <= t {
				if grew && first {
					out = append(out, append([]int32(nil), active...))
					first = false
					grew = false
				}
				continue
			}
			kept = append(kept, k)
		}
		active = kept
	}
	for _, k := range ks {
		retire(m.start[ws[k]])
		active = append(active, k)
		grew = true
	}
	if grew && len(active) > 0 {
		out = append(out, append([]int32(nil), active...))
	}
	return out
}

// bound solves the relaxation until deadline and returns a proven upper
// bound on the count of the group (ok false when the simplex did not
// finish) and the fractional x of each position, a guide for the search.
func (g *groupLP) bound(deadline time.Time) (int, lpGuide, bool) {
	guide := lpGuide{ws: g.ws}
	if len(g.ws) == 0 {
		return 0, guide, true
	}
	g.lp.start()
	if g.lp.solve(math.Inf(-1), deadline) != lpOptimal {
		return len(g.ws), guide, false
	}
	b := g.lp.dualBound(g.lp.duals())
	guide.x = make([]float64, len(g.ws))
	for k := range g.ws {
		guide.x[k] = g.lp.value(g.xcol[k])
	}
	return int(math.Floor(b + 1e-6)), guide, true
}

// groupMembers returns the workshops of each coupling group.
func (m *model) groupMembers() map[int32][]int32 {
	members := map[int32][]int32{}
	for w := int32(0); w < int32(m.n); w++ {
		members[m.group[w]] = append(members[m.group[w]], w)
	}
	return members
}

// lpGuide is what the relaxation of a group says: its workshops by start
// and their fractional x.
type lpGuide struct {
	ws []int32
	x  []float64
}

// lpBounds tightens bounds with the linear relaxation of every group whose
// count (in s) is below its bound, among those only accepts, smallest
// groups first, until deadline.
// It returns the fractional solutions, by group.
func (s *state) lpBounds(bounds map[int32]int, members map[int32][]int32, deadline time.Time, only func(int32) bool) map[int32]lpGuide {
	guides := map[int32]lpGuide{}
	var open []int32
	for g, ws := range members {
		if only(g) && s.groupCount(ws) < bounds[g] {
			open = append(open, g)
		}
	}
	sort.Slice(open, func(a, b int) bool {
		x, y := open[a], open[b]
		if len(members[x]) != len(members[y]) {
			return len(members[x]) < len(members[y])
		}
		return x < y
	})
	for i, g := range open {
		if !deadline.IsZero() && time.Now().After(deadline) {
			break
		}
		if i%64 == 0 {
			s.opt.progress("relaxation linéaire : groupe %d sur %d", i+1, len(open))
		}
		b, guide, ok := s.groupRelaxation(members[g], deadline)
		if !ok {
			continue
		}
		bounds[g] = min(bounds[g], b)
		guides[g] = guide
	}
	return guides
}

// groupCount counts the assigned workshops among ws.
func (s *state) groupCount(ws []int32) int {
	n := 0
	for _, w := range ws {
		if s.in[w] {
			n++
		}
	}
	return n
}

// lpInsert rebuilds the assignment of a group by inserting its workshops
// in decreasing order of their value in the relaxation, and keeps the
// result if it assigns more.
func (s *state) lpInsert(guide lpGuide) {
	before := s.groupCount(guide.ws)
	cp := len(s.log)
	for _, w := range guide.ws {
		if s.in[w] {
			s.remove(w)
		}
	}
	order := make([]int, len(guide.ws))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return guide.x[order[a]] > guide.x[order[b]]+1e-6 })
	for _, i := range order {
		s.tryAdd(guide.ws[i])
	}
	if s.groupCount(guide.ws) > before {
		s.log = s.log[:0]
		return
	}
	s.undo(cp)
	s.log = s.log[:0]
}

// lpChunk is the number of workshops above which a group's relaxation is
// solved in chronological chunks of about that size: the sum of the
// chunks' bounds still bounds the group (an assignment of the group,
// restricted to a chunk, is one of the chunk), and a dense simplex on
// hundreds of workshops would take seconds and hundreds of megabytes.
const lpChunk = 60

// lpColumns is the number of columns (about one per workshop, candidate
// room and candidate person) above which a chunk is split, and lpMaxDense
// the largest dense tableau (rows × columns) solved.
const (
	lpColumns  = 3000
	lpMaxDense = 2_000_000
)

// groupRelaxation bounds the assignable workshops of one group by its
// linear relaxation, or by the sum of those of its chronological chunks
// when it is large, and returns the solution as a guide.
func (s *state) groupRelaxation(group []int32, deadline time.Time) (int, lpGuide, bool) {
	m := s.m
	ws := m.byStart(group)
	if len(ws) > lpChunk {
		// The sum over chronological chunks is far weaker there than
		// the flow bound exactSearch computes first on large groups.
		return 0, lpGuide{}, false
	}
	// Chunks of at most lpChunk workshops and about lpColumns columns,
	// of balanced sizes.
	cols := 0
	for _, w := range ws {
		cols += 1 + len(m.roomCands[w]) + len(m.facCands[w]) + len(m.pinFac[w])
	}
	parts := max(1, (len(ws)+lpChunk-1)/lpChunk, (cols+lpColumns-1)/lpColumns)
	total := 0
	var guide lpGuide
	for i := 0; i < parts; i++ {
		chunk := ws[i*len(ws)/parts : (i+1)*len(ws)/parts]
		lp := newGroupLP(m, chunk)
		if len(lp.lp.rows)*len(lp.lp.c) > lpMaxDense {
			return 0, lpGuide{}, false
		}
		b, g, ok := lp.bound(deadline)
		if !ok {
			return 0, lpGuide{}, false
		}
		total += b
		guide.ws = append(guide.ws, g.ws...)
		guide.x = append(guide.x, g.x...)
	}
	return total, guide, true
}
