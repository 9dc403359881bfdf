package schedule

import (
	"sort"
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
	e := &exact{m: m, deadline: deadline, workspace: ws}
	for _, w := range group {
		if m.static[w] == "" {
			e.ws = append(e.ws, w)
		}
	}
	sort.SliceStable(e.ws, func(a, b int) bool {
		x, y := e.ws[a], e.ws[b]
		if m.start[x] != m.start[y] {
			return m.start[x] < m.start[y]
		}
		return m.end[x] < m.end[y]
	})
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

// staffBound bounds the workshops at positions k and after that can still
// be staffed: each day, the facilitators' remaining daily allowance covers
// the workshops needing the fewest facilitators first.
func (e *exact) staffBound(k int) int {
	m := e.m
	total := 0
	for d, at := range e.needAt {
		if at == nil {
			continue
		}
		cnt := at[k]
		if cnt[0]+cnt[1]+cnt[2] == 0 {
			continue
		}
		capacity := int32(0)
		for _, p := range e.dayFac[d] {
			capacity += m.mpd - e.load[int(p)*m.nDays+d]
		}
		for n := int32(1); n <= 3; n++ {
			take := min(cnt[n-1], capacity/n)
			total += int(take)
			capacity -= take * n
		}
	}
	return total
}

// key returns the canonical state at position k: rooms and people that are
// interchangeable (same class, and for people the same load that day) are
// sorted, those free at the workshop's start count as free since ever.
func (e *exact) key(k int) [2]uint64 {
	m := e.m
	w := e.ws[k]
	st, d := m.start[w], int(m.day[w])
	buf := e.scratch[:0]
	for r := range e.roomEnd {
		if end := e.roomEnd[r]; end > st {
			buf = append(buf, 1<<62|uint64(e.roomCls[r])<<40|uint64(end-st))
		}
	}
	for p := range e.facEnd {
		load := e.load[p*m.nDays+d]
		end := e.facEnd[p]
		if end <= st {
			if load == 0 {
				continue
			}
			end = st
		}
		buf = append(buf, 2<<62|uint64(e.facCls[p])<<40|uint64(load)<<36|uint64(end-st))
	}
	sort.Slice(buf, func(a, b int) bool { return buf[a] < buf[b] })
	h1, h2 := uint64(k)*0x9e3779b97f4a7c15, uint64(k)+0x632be59bd9b4e019
	for _, x := range buf {
		h1 = mix(h1 ^ x)
		h2 = mix(h2 + x*0xff51afd7ed558ccd)
	}
	e.scratch = buf
	return [2]uint64{h1, h2}
}

// mix is the finaliser of splitmix64.
func mix(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	return x ^ x>>31
}

// run computes the optimum of the group, from the last workshop backwards.
// It returns the proven upper bound (the optimum unless the deadline
// passed first).
func (e *exact) run() int {
	g := len(e.ws)
	for k := g - 1; k >= 0; k-- {
		if !e.deadline.IsZero() && time.Now().After(e.deadline) {
			e.aborted = true
		}
		if e.aborted {
			return e.rds[k+1] + k + 1
		}
		e.target = e.rds[k+1] + 1
		e.found = false
		if e.flowBound(k) >= e.target {
			e.assign(k, 0)
		}
		if e.aborted {
			return e.rds[k+1] + k + 1
		}
		e.rds[k] = e.rds[k+1]
		if e.found {
			e.rds[k]++
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
	if e.nodes&1023 == 0 && !e.deadline.IsZero() && time.Now().After(e.deadline) {
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
	cands := m.facCands[w]
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
func (e *exact) install(s *state) {
	for _, w := range e.ws {
		if s.in[w] {
			s.rawSetRoom(w, -1)
			for len(s.facs[w]) > 0 {
				s.rawRemFac(w, s.facs[w][len(s.facs[w])-1])
			}
			s.rawSetIn(w, false)
		}
	}
	for k, w := range e.ws {
		if e.sol[k] < 0 {
			continue
		}
		s.rawSetRoom(w, e.sol[k])
		for _, p := range e.solFacs[k] {
			s.rawAddFac(w, p)
		}
		s.rawSetIn(w, true)
	}
}

// flow is the scratch space of flowBound: a bipartite network from
// workshops to resources (rooms or people) with capacities on resources.
type flow struct {
	cap   []int32   // per resource
	users [][]int32 // per resource: workshops (positions) using it
	got   [][]int32 // per position: resources obtained
	seen  []uint32
	stamp uint32
}

func (f *flow) reset(res []int32, g int) {
	for _, x := range res {
		f.users[x] = f.users[x][:0]
		f.cap[x] = 0
	}
	if len(f.got) < g {
		f.got = make([][]int32, g)
	}
	for i := range f.got {
		f.got[i] = f.got[i][:0]
	}
}

// augment finds one more resource for position k among edges(k).
func (f *flow) augment(k int, edges func(int) []int32) bool {
	for _, r := range edges(k) {
		if f.seen[r] == f.stamp || containsInt32(f.got[k], r) {
			continue
		}
		f.seen[r] = f.stamp
		if int32(len(f.users[r])) < f.cap[r] {
			f.users[r] = append(f.users[r], int32(k))
			f.got[k] = append(f.got[k], r)
			return true
		}
		for i, u := range f.users[r] {
			if f.augment(int(u), edges) {
				f.got[u] = removeValue(f.got[u], r)
				f.users[r][i] = int32(k)
				f.got[k] = append(f.got[k], r)
				return true
			}
		}
	}
	return false
}

func containsInt32(xs []int32, v int32) bool {
	for _, x := range xs {
		if x == v {
			return true
		}
	}
	return false
}

// disjoint returns the largest number of pairwise disjoint workshops among
// the positions ks (sorted by start) that start at or after from.
func (e *exact) disjoint(ks []int32, from int64) int32 {
	n, end := int32(0), from
	// Earliest end first among sorted-by-start positions: a sweep that
	// keeps the earliest end of the current choice.
	for _, k := range ks {
		w := e.ws[k]
		if e.m.start[w] < from {
			continue
		}
		switch {
		case e.m.start[w] >= end:
			n++
			end = e.m.end[w]
		case e.m.end[w] < end:
			end = e.m.end[w]
		}
	}
	return n
}

// flowBound bounds the workshops at positions k and after that can still
// be assigned, from the current state: the minimum of the largest number
// that get a room and the fractional number that get their facilitators,
// where each room or person-day serves at most as many workshops as it
// could hold one after the other. Positions before k are ignored.
func (e *exact) flowBound(k int) int {
	m := e.m
	g := len(e.ws)
	if e.edges == nil {
		e.edges = make([][]int32, g)
		for j, w := range e.ws {
			for _, r := range m.roomCands[w] {
				if len(e.roomPos[r]) == 0 {
					e.groupRms = append(e.groupRms, r)
				}
				e.roomPos[r] = append(e.roomPos[r], int32(j))
			}
			for _, p := range append(append([]int32(nil), m.pinFac[w]...), m.facCands[w]...) {
				x := int(p)*m.nDays + int(m.day[w])
				if len(e.facPos[x]) == 0 {
					e.groupPD = append(e.groupPD, int32(x))
				}
				e.facPos[x] = append(e.facPos[x], int32(j))
			}
		}
		for x := range e.facPos {
			ps := e.facPos[x]
			sort.Slice(ps, func(a, b int) bool { return ps[a] < ps[b] })
		}
	}
	suffix := func(ps []int32) []int32 {
		i := sort.Search(len(ps), func(i int) bool { return ps[i] >= int32(k) })
		return ps[i:]
	}
	edges := func(j int) []int32 { return e.edges[j] }
	// Rooms.
	f := &e.fl
	f.reset(e.groupRms, g)
	for _, r := range e.groupRms {
		f.cap[r] = e.disjoint(suffix(e.roomPos[r]), e.roomEnd[r])
	}
	rooms := 0
	for j := k; j < g; j++ {
		w := e.ws[j]
		e.edges[j] = e.edges[j][:0]
		for _, r := range m.roomCands[w] {
			if e.roomEnd[r] <= m.start[w] && f.cap[r] > 0 {
				e.edges[j] = append(e.edges[j], r)
			}
		}
		f.stamp++
		if f.augment(j, edges) {
			rooms++
		}
	}
	// People, workshops needing the fewest first.
	f.reset(e.groupRms, g)
	f.reset(e.groupPD, g)
	for _, x := range e.groupPD {
		p := int(x) / m.nDays
		f.cap[x] = min(m.mpd-e.load[x], e.disjoint(suffix(e.facPos[x]), e.facEnd[p]))
	}
	sixths := 0
	for need := int32(1); need <= MaxFacilitatorsNeeded; need++ {
		for j := k; j < g; j++ {
			w := e.ws[j]
			if m.need[w] != need {
				continue
			}
			e.edges[j] = e.edges[j][:0]
			d := int(m.day[w])
			for _, p := range m.pinFac[w] {
				if x := int(p)*m.nDays + d; e.facEnd[p] <= m.start[w] && f.cap[x] > 0 {
					e.edges[j] = append(e.edges[j], int32(x))
				}
			}
			for _, p := range m.facCands[w] {
				if x := int(p)*m.nDays + d; e.facEnd[p] <= m.start[w] && f.cap[x] > 0 {
					e.edges[j] = append(e.edges[j], int32(x))
				}
			}
			got := 0
			for got < int(need) {
				f.stamp++
				if !f.augment(j, edges) {
					break
				}
				got++
			}
			sixths += got * 6 / int(need)
		}
	}
	return min(rooms, sixths/6)
}
