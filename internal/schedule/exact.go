package schedule

import (
	"strconv"
	"strings"
	"time"
)

// exact is a depth-first branch and bound over the workshops of one coupling
// group, in chronological order: each workshop is either left out or given
// a room and facilitators free at its start. Taken in that order, a room or
// a person free at a workshop's start is as good as any other free one with
// the same eligibility over the group (and, for people, the same load that
// day), so only one of each equivalence class is tried. The bounds come from
// a Russian doll search: the optimum of every suffix of the chronological
// order is computed from the last workshop backwards, each one by a search
// for "one more than the next suffix" that includes its first workshop.
type exact struct {
	*workspace
	m       *model
	ws      []int32 // group workshops that can be assigned, by start
	roomCls []int32 // per room: eligibility class within the group
	facCls  []int32 // per facilitator: eligibility class within the group
	room    []int32 // per position in ws: room or -1
	facs    [][]int32
	rds     []int // rds[k]: optimum of ws[k:] alone (rds[len(ws)] = 0)
	target  int
	found   bool
	sol     []int32 // best solution: room per position
	solFacs [][]int32
	solSize int
	solFrom int // the suffix the solution belongs to

	deadline time.Time
	nodes    int
	aborted  bool
	tried    []int32 // scratch: classes tried at a node

	// memo maps a position and a canonical state to an upper bound on the
	// workshops that can still be assigned from there (learnt from
	// searches that failed to reach their target).
	memo    map[[2]uint64]int
	scratch []uint64
	// needAt[d][k][n-1]: workshops of day d needing n facilitators at
	// positions k and after.
	needAt [][][3]int32
	dayFac [][]int32 // facilitators eligible for some workshop of each day

	edges    [][]int32 // per position: resources usable (flowBound)
	groupPD  []int32   // person-days with positions in the group
	groupRms []int32   // rooms with positions in the group
}

// workspace holds the arrays indexed by room, person or person-day, shared
// by the searches of all groups (each leaves them as it found them, see
// release).
type workspace struct {
	roomEnd []int64 // end of the last workshop of each room
	facEnd  []int64
	load    []int32 // p*nDays + day
	fl      flow
	roomPos [][]int32 // per room: positions it can hold
	facPos  [][]int32 // per person-day: positions the person can lead
}

// newWorkspace allocates the shared arrays for m.
func newWorkspace(m *model) *workspace {
	return &workspace{roomEnd: make([]int64, m.nr), facEnd: make([]int64, m.np), load: make([]int32, m.np*m.nDays),
		roomPos: make([][]int32, m.nr), facPos: make([][]int32, m.np*m.nDays),
		fl: flow{cap: make([]int32, max(m.nr, m.np*m.nDays)), users: make([][]int32, max(m.nr, m.np*m.nDays)),
			seen: make([]uint32, max(m.nr, m.np*m.nDays))}}
}

// release clears what the group wrote in the shared workspace.
func (e *exact) release() {
	for _, r := range e.groupRms {
		e.roomPos[r] = e.roomPos[r][:0]
	}
	for _, x := range e.groupPD {
		e.facPos[x] = e.facPos[x][:0]
	}
}

// memoLimit caps the number of remembered states.
const memoLimit = 1 << 20

// newExact prepares the search of the group made of the workshops ws.
func newExact(m *model, group []int32, deadline time.Time, ws *workspace) *exact {
	e := &exact{m: m, deadline: deadline, workspace: ws, ws: m.byStart(group)}
	g := len(e.ws)
	roomSig := make([][]string, m.nr)
	facSig := make([][]string, m.np)
	for k, w := range e.ws {
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
	classes := func(sig [][]string) []int32 {
		ids := map[string]int32{}
		out := make([]int32, len(sig))
		for i, s := range sig {
			key := strings.Join(s, ",")
			id, ok := ids[key]
			if !ok {
				id = int32(len(ids))
				ids[key] = id
			}
			out[i] = id
		}
		return out
	}
	e.roomCls, e.facCls = classes(roomSig), classes(facSig)
	e.room = make([]int32, g)
	e.facs = make([][]int32, g)
	for k := range e.room {
		e.room[k] = -1
	}
	e.rds = make([]int, g+1)
	e.memo = map[[2]uint64]int{}
	e.needAt = make([][][3]int32, m.nDays)
	e.dayFac = make([][]int32, m.nDays)
	days := map[int32]bool{}
	for _, w := range e.ws {
		days[m.day[w]] = true
	}
	for d := range days {
		e.needAt[d] = make([][3]int32, g+1)
		for k := g - 1; k >= 0; k-- {
			e.needAt[d][k] = e.needAt[d][k+1]
			if w := e.ws[k]; m.day[w] == d {
				e.needAt[d][k][m.need[w]-1]++
			}
		}
		seen := map[int32]bool{}
		for _, w := range e.ws {
			if m.day[w] != d {
				continue
			}
			for _, p := range append(append([]int32(nil), m.pinFac[w]...), m.facCands[w]...) {
				if !seen[p] {
					seen[p] = true
					e.dayFac[d] = append(e.dayFac[d], p)
				}
			}
		}
	}
	return e
}

// run computes the optimum of the group, from the last workshop backwards.
// It returns a proven upper bound: the optimum, unless the deadline passed
// first or the bound fell to incumbent (the count already reached), which
// proves that count optimal. The optimum of the group is at most the
// optimum of its last positions plus the flow bound of the first ones.
func (e *exact) run(incumbent int) int {
	g := len(e.ws)
	split := min(g, e.rangeBound(0, g)) // best split bound so far
	if split <= incumbent {
		return split
	}
	for k := g - 1; k >= 0; k-- {
		if !e.deadline.IsZero() && time.Now().After(e.deadline) {
			e.aborted = true
		}
		if e.aborted {
			return split
		}
		e.target = e.rds[k+1] + 1
		e.found = false
		if e.flowBound(k) >= e.target {
			e.assign(k, 0)
		}
		if e.aborted {
			return split
		}
		e.rds[k] = e.rds[k+1]
		if e.found {
			e.rds[k]++
		}
		split = min(split, e.rds[k]+min(k, e.rangeBound(0, k)))
		if split <= incumbent {
			return split
		}
	}
	return e.rds[0]
}

// search explores position k with count workshops assigned before it.
func (e *exact) search(k, count int) {
	if e.found || e.aborted || count+e.rds[k] < e.target {
		return
	}
	if count >= e.target {
		e.record(count)
		return
	}
	e.nodes++
	if (e.nodes&1023 == 0 || len(e.ws) > 100) && !e.deadline.IsZero() && time.Now().After(e.deadline) {
		e.aborted = true
		return
	}
	if count+e.staffBound(k) < e.target {
		return
	}
	key := e.key(k)
	if ub, ok := e.memo[key]; ok && count+ub < e.target {
		return
	}
	if fb := e.flowBound(k); count+fb < e.target {
		if len(e.memo) < memoLimit {
			e.memo[key] = fb
		}
		return
	}
	e.assign(k, count)
	if e.found || e.aborted {
		return
	}
	e.search(k+1, count)
	if e.found || e.aborted {
		return
	}
	if ub, ok := e.memo[key]; (!ok && len(e.memo) < memoLimit) || (ok && e.target-count-1 < ub) {
		e.memo[key] = e.target - count - 1
	}
}

// record keeps the current assignment as the solution of its suffix.
func (e *exact) record(count int) {
	e.found = true
	g := len(e.ws)
	if e.sol == nil {
		e.sol = make([]int32, g)
		e.solFacs = make([][]int32, g)
	}
	for k := 0; k < g; k++ {
		e.sol[k] = e.room[k]
		e.solFacs[k] = append(e.solFacs[k][:0], e.facs[k]...)
	}
	e.solSize = count
}

// assign tries every non-equivalent way of giving the workshop at position
// k a room and its facilitators, then searches the next positions.
func (e *exact) assign(k, count int) {
	m := e.m
	w := e.ws[k]
	st := m.start[w]
	mark := len(e.tried)
	defer func() { e.tried = e.tried[:mark] }()
	for _, p := range m.pinFac[w] {
		if !e.facFree(p, w) {
			return
		}
	}
	for _, r := range m.roomCands[w] {
		if e.roomEnd[r] > st || e.triedClass(mark, e.roomCls[r]) {
			continue
		}
		e.tried = append(e.tried, e.roomCls[r])
		old := e.roomEnd[r]
		e.roomEnd[r] = m.end[w]
		e.room[k] = r
		for _, p := range m.pinFac[w] {
			e.take(k, p)
		}
		e.chooseFacs(k, count, int(m.need[w])-len(m.pinFac[w]), 0)
		for len(e.facs[k]) > 0 {
			e.give(k)
		}
		e.room[k] = -1
		e.roomEnd[r] = old
		if e.found || e.aborted {
			return
		}
	}
}

// triedClass reports whether class c is among e.tried[mark:].
func (e *exact) triedClass(mark int, c int32) bool {
	for _, x := range e.tried[mark:] {
		if x == c {
			return true
		}
	}
	return false
}

// chooseFacs picks left more facilitators for position k among the
// candidates from index from on, one per equivalence class at each step
// (with its members taken in candidate order), then searches on.
func (e *exact) chooseFacs(k, count, left, from int) {
	if left == 0 {
		e.search(k+1, count+1)
		return
	}
	m := e.m
	w := e.ws[k]
	cands := e.m.facCands[e.ws[k]]
	d := int(m.day[w])
	var seen [8]struct {
		cls  int32
		load int32
	}
	ns := 0
	for i := from; i < len(cands); i++ {
		p := cands[i]
		if !e.facFree(p, w) {
			continue
		}
		cls, load := e.facCls[p], e.load[int(p)*m.nDays+d]
		dup := false
		for _, s := range seen[:ns] {
			dup = dup || (s.cls == cls && s.load == load)
		}
		if dup {
			continue
		}
		if ns < len(seen) {
			seen[ns].cls, seen[ns].load = cls, load
			ns++
		}
		// Members of a class already passed over at this level are
		// skipped by the dup test: combinations stay canonical because a
		// later pick never comes before an earlier one in candidate order.
		e.take(k, p)
		e.chooseFacs(k, count, left-1, i+1)
		e.give(k)
		if e.found || e.aborted {
			return
		}
	}
}

// facFree reports whether p can lead w in the search state.
func (e *exact) facFree(p, w int32) bool {
	m := e.m
	return e.facEnd[p] <= m.start[w] && e.load[int(p)*m.nDays+int(m.day[w])] < m.mpd
}

// take makes p lead the workshop at position k; give undoes the last take.
func (e *exact) take(k int, p int32) {
	w := e.ws[k]
	e.facs[k] = append(e.facs[k], p)
	e.facEnd[p] = e.m.end[w]
	e.load[int(p)*e.m.nDays+int(e.m.day[w])]++
}

func (e *exact) give(k int) {
	w := e.ws[k]
	p := e.facs[k][len(e.facs[k])-1]
	e.facs[k] = e.facs[k][:len(e.facs[k])-1]
	e.load[int(p)*e.m.nDays+int(e.m.day[w])]--
	e.facEnd[p] = e.prevEnd(k, p)
}

// prevEnd returns the end of the last workshop before position k led by p.
func (e *exact) prevEnd(k int, p int32) int64 {
	for j := k - 1; j >= 0; j-- {
		for _, q := range e.facs[j] {
			if q == p {
				return e.m.end[e.ws[j]]
			}
		}
	}
	return 0
}

// install writes the solution into s in place of the group's assignment.
func (e *exact) install(s *state) { s.replaceAssignment(e.ws, e.sol, e.solFacs) }
