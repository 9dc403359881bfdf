package schedule

import (
	"sort"
	"time"
)

// Undo-log operation kinds.
const (
	opRoom   uint8 = iota // room of w was x
	opAddFac              // p=x was added to w
	opRemFac              // p=x was removed from w
	opIn                  // in[w] was x (0/1)
)

// op is one entry of the undo log.
type op struct {
	kind uint8
	w, x int32
}

// state is a partial assignment with augmenting-path operations and an undo
// log so that any attempt can be rolled back.
type state struct {
	m       *model
	room    []int32   // assigned room or -1
	facs    [][]int32 // assigned facilitators (pinned included)
	in      []bool    // fully assigned
	count   int
	roomUse [][]int32 // workshops holding each room
	facUse  [][]int32 // workshops led by each facilitator
	dayLoad []int32   // p*nDays + day
	log     []op
	markR   []uint32 // r*nSlots + slot
	markPS  []uint32 // p*nSlots + slot
	markPD  []uint32 // p*nDays + day
	stamp   uint32
	reached []int32 // workshops met by the current search
	order   []int32 // insertion order of the assignable workshops
	buf     []int32
	// relaxPins lets facAug use pinned facilitators like any other (bounds).
	relaxPins bool
	// deadline is the end of the time given to Solve (zero: none);
	// groupUntil the end of the local search's share for one group.
	deadline, groupUntil time.Time
	opt                  Options
	// budget, when not 0, bounds visits: resources examined by the
	// augmenting searches of one insertion (see greedy).
	budget, visits int
	// cut: the current insertion gave up because its time was spent.
	cut bool
}

// newState returns the empty assignment for m.
func newState(m *model) *state {
	s := &state{m: m,
		room: make([]int32, m.n), facs: make([][]int32, m.n), in: make([]bool, m.n),
		roomUse: make([][]int32, m.nr), facUse: make([][]int32, m.np),
		dayLoad: make([]int32, m.np*m.nDays),
		markR:   make([]uint32, m.nr*m.nSlots), markPS: make([]uint32, m.np*m.nSlots),
		markPD: make([]uint32, m.np*m.nDays),
	}
	backing := make([]int32, 0, 4*m.n)
	for i := range s.room {
		s.room[i] = -1
		s.facs[i] = backing[len(backing) : len(backing) : len(backing)+4]
		backing = backing[:len(backing)+4]
	}
	for i := 0; i < m.n; i++ {
		if m.static[i] == "" {
			s.order = append(s.order, int32(i))
		}
	}
	// Cheapest workshops first (fewest facilitators), then the scarcest.
	sort.SliceStable(s.order, func(a, b int) bool {
		x, y := s.order[a], s.order[b]
		if m.need[x] != m.need[y] {
			return m.need[x] < m.need[y]
		}
		if m.slot[x] != m.slot[y] {
			return m.slot[x] < m.slot[y]
		}
		return len(m.roomCands[x]) < len(m.roomCands[y])
	})
	return s
}

// Raw mutations (not logged).

func (s *state) rawSetRoom(w, r int32) {
	if old := s.room[w]; old >= 0 {
		s.roomUse[old] = removeValue(s.roomUse[old], w)
	}
	s.room[w] = r
	if r >= 0 {
		s.roomUse[r] = append(s.roomUse[r], w)
	}
}

func (s *state) rawAddFac(w, p int32) {
	s.facs[w] = append(s.facs[w], p)
	s.facUse[p] = append(s.facUse[p], w)
	s.dayLoad[int(p)*s.m.nDays+int(s.m.day[w])]++
}

func (s *state) rawRemFac(w, p int32) {
	s.facs[w] = removeValue(s.facs[w], p)
	s.facUse[p] = removeValue(s.facUse[p], w)
	s.dayLoad[int(p)*s.m.nDays+int(s.m.day[w])]--
}

func (s *state) rawSetIn(w int32, v bool) {
	if s.in[w] != v {
		s.in[w] = v
		if v {
			s.count++
		} else {
			s.count--
		}
	}
}

// replaceAssignment replaces the assignment of the workshops ws by the
// rooms (per position; -1: left out) and people of a solution.
func (s *state) replaceAssignment(ws, rooms []int32, facs [][]int32) {
	for _, w := range ws {
		if s.in[w] {
			s.remove(w)
		}
	}
	s.log = s.log[:0]
	for k, w := range ws {
		if rooms[k] < 0 {
			continue
		}
		s.rawSetRoom(w, rooms[k])
		for _, p := range facs[k] {
			s.rawAddFac(w, p)
		}
		s.rawSetIn(w, true)
	}
}

// removeValue deletes the first occurrence of v, keeping the order.
func removeValue(xs []int32, v int32) []int32 {
	for i, x := range xs {
		if x == v {
			copy(xs[i:], xs[i+1:])
			return xs[:len(xs)-1]
		}
	}
	return xs
}

// Logged mutations.

func (s *state) setRoom(w, r int32) {
	s.log = append(s.log, op{opRoom, w, s.room[w]})
	s.rawSetRoom(w, r)
}

func (s *state) addFac(w, p int32) {
	s.log = append(s.log, op{opAddFac, w, p})
	s.rawAddFac(w, p)
}

func (s *state) remFac(w, p int32) {
	s.log = append(s.log, op{opRemFac, w, p})
	s.rawRemFac(w, p)
}

func (s *state) setIn(w int32, v bool) {
	old := int32(0)
	if s.in[w] {
		old = 1
	}
	s.log = append(s.log, op{opIn, w, old})
	s.rawSetIn(w, v)
}

// undo rolls the state back to log position cp.
func (s *state) undo(cp int) {
	for i := len(s.log) - 1; i >= cp; i-- {
		o := s.log[i]
		switch o.kind {
		case opRoom:
			s.rawSetRoom(o.w, o.x)
		case opAddFac:
			s.rawRemFac(o.w, o.x)
		case opRemFac:
			s.rawAddFac(o.w, o.x)
		case opIn:
			s.rawSetIn(o.w, o.x == 1)
		}
	}
	s.log = s.log[:cp]
}

// hasFac reports whether p leads w.
func (s *state) hasFac(w, p int32) bool {
	for _, q := range s.facs[w] {
		if q == p {
			return true
		}
	}
	return false
}

// isPinned reports whether p is pinned to w.
func (s *state) isPinned(w, p int32) bool {
	for _, q := range s.m.pinFac[w] {
		if q == p {
			return true
		}
	}
	return false
}

// roomAug finds a room for w along an augmenting path (Kuhn's algorithm),
// moving other workshops of the same slot to other rooms when needed.
func (s *state) roomAug(w int32) bool {
	m := s.m
	sl := int(m.slot[w])
	for _, r := range m.roomCands[w] {
		k := int(r)*m.nSlots + sl
		if s.markR[k] == s.stamp {
			continue
		}
		if s.overBudget() {
			return false
		}
		s.markR[k] = s.stamp
		var blockers [4]int32
		nb := 0
		movable := true
		for _, u := range s.roomUse[r] {
			if u != w && m.overlap(u, w) {
				s.reached = append(s.reached, u)
				if m.pinRoom[u] >= 0 || nb == len(blockers) {
					movable = false
					break
				}
				blockers[nb] = u
				nb++
			}
		}
		if !movable {
			continue
		}
		cp := len(s.log)
		ok := true
		for _, u := range blockers[:nb] {
			s.setRoom(u, -1)
			if !s.roomAug(u) {
				ok = false
				break
			}
		}
		if !ok {
			s.undo(cp)
			continue
		}
		s.setRoom(w, r)
		return true
	}
	return false
}

// facAug gives w one more facilitator along an augmenting path of the flow
// network workshop -> (facilitator, slot) -> (facilitator, day) -> sink.
func (s *state) facAug(w int32) bool {
	m := s.m
	sl := int(m.slot[w])
	if s.relaxPins {
		for _, p := range m.pinFac[w] {
			k := int(p)*m.nSlots + sl
			if s.markPS[k] == s.stamp || s.hasFac(w, p) {
				continue
			}
			s.markPS[k] = s.stamp
			if s.takeFac(w, p) {
				return true
			}
		}
	}
	for _, p := range m.facCands[w] {
		if s.overBudget() {
			return false
		}
		k := int(p)*m.nSlots + sl
		if s.markPS[k] == s.stamp || s.hasFac(w, p) {
			continue
		}
		s.markPS[k] = s.stamp
		if s.takeFac(w, p) {
			return true
		}
	}
	return false
}

// takeFac makes p lead w, relocating the workshops that hold the
// (facilitator, slot) or (facilitator, day) capacity w needs. The caller
// has marked (p, slot of w).
func (s *state) takeFac(w, p int32) bool {
	m := s.m
	cp := len(s.log)
	// Workshops of p overlapping w must find another facilitator.
	for {
		u := int32(-1)
		for _, x := range s.facUse[p] {
			if x != w && m.overlap(x, w) {
				u = x
				break
			}
		}
		if u < 0 {
			break
		}
		s.reached = append(s.reached, u)
		if s.isPinned(u, p) {
			s.undo(cp)
			return false
		}
		if !s.facAug(u) {
			s.undo(cp)
			return false
		}
		s.remFac(u, p)
	}
	d := int(m.day[w])
	pd := int(p)*m.nDays + d
	if s.dayLoad[pd] >= m.mpd {
		if s.markPD[pd] == s.stamp {
			s.undo(cp)
			return false
		}
		s.markPD[pd] = s.stamp
		ok := false
		start := len(s.buf)
		for _, u := range s.facUse[p] {
			if int(m.day[u]) == d {
				if s.isPinned(u, p) {
					s.reached = append(s.reached, u)
				} else {
					s.buf = append(s.buf, u)
				}
			}
		}
		users := s.buf[start:]
		for _, u := range users {
			k := int(p)*m.nSlots + int(m.slot[u])
			if s.markPS[k] == s.stamp {
				continue
			}
			s.markPS[k] = s.stamp
			s.reached = append(s.reached, u)
			cp2 := len(s.log)
			if s.facAug(u) {
				s.remFac(u, p)
				ok = true
				break
			}
			s.undo(cp2)
		}
		s.buf = s.buf[:start]
		if !ok || s.dayLoad[pd] >= m.mpd {
			s.undo(cp)
			return false
		}
	}
	s.addFac(w, p)
	return true
}

// tryAdd fully assigns w if that is possible without dropping any other
// workshop; otherwise the state is unchanged.
func (s *state) tryAdd(w int32) bool {
	m := s.m
	if s.in[w] || m.static[w] != "" {
		return false
	}
	cp := len(s.log)
	s.stamp++
	s.visits, s.cut = 0, false
	if !s.roomAug(w) {
		s.undo(cp)
		return false
	}
	for _, p := range m.pinFac[w] {
		s.stamp++
		s.markPS[int(p)*m.nSlots+int(m.slot[w])] = s.stamp
		if !s.takeFac(w, p) {
			s.undo(cp)
			return false
		}
	}
	for i := len(m.pinFac[w]); i < int(m.need[w]); i++ {
		s.stamp++
		if !s.facAug(w) {
			s.undo(cp)
			return false
		}
	}
	s.setIn(w, true)
	return true
}

// remove drops w and frees its resources.
func (s *state) remove(w int32) {
	s.setRoom(w, -1)
	for len(s.facs[w]) > 0 {
		s.remFac(w, s.facs[w][len(s.facs[w])-1])
	}
	s.setIn(w, false)
}

// greedyBudget bounds the resources an insertion of the greedy phase
// examines: on groups of thousands of workshops, a failed augmenting
// search would otherwise visit the whole day for each workshop left out
// (the local and exact searches come after, without that limit).
const greedyBudget = 100000

// overBudget counts one resource examined and reports whether the budget
// of the current insertion (when set) is spent.
//
// In the local search it also gives up when the group's share of time is
// spent (checked every 4,096 resources): on a day of thousands of
// workshops one augmenting search of a swap could otherwise run for
// minutes past the time limit. Elsewhere groupUntil is zero, and the exact
// search's proofs never meet this cut.
func (s *state) overBudget() bool {
	s.visits++
	if s.cut || s.visits&4095 == 0 && s.groupPast() {
		s.cut = true // for the rest of this insertion: every branch gives up
		return true
	}
	return s.budget != 0 && s.visits > s.budget
}

// greedy inserts every workshop in order; each insertion is exact unless
// it examines more than greedyBudget resources.
func (s *state) greedy() {
	s.budget = greedyBudget
	defer func() { s.budget = 0 }()
	for i, w := range s.order {
		if i&63 == 63 && s.pastDeadline() {
			// Out of time: fill assigns, at the end, what fits as is.
			return
		}
		s.visits, s.cut = 0, false
		s.tryAdd(w)
		s.log = s.log[:0]
	}
}

// probeResult is what probe learns about inserting a workshop.
type probeResult struct {
	roomOK, facOK bool
	roomReach     []int32 // workshops met by the failed room search
	facReach      []int32 // workshops met by the failed facilitator searches
	pinFailed     []int32 // pinned facilitators that cannot be obtained
	freeGot       int     // non-pinned facilitators obtained
}

// probe tells whether w could get a room and whether it could get its
// facilitators, with the workshops met by the failing searches. The state is
// left unchanged.
func (s *state) probe(w int32) probeResult {
	m := s.m
	var pr probeResult
	cp := len(s.log)
	s.reached = s.reached[:0]
	s.stamp++
	pr.roomOK = s.roomAug(w)
	pr.roomReach = append([]int32(nil), s.reached...)
	s.undo(cp)
	pr.facOK = true
	for _, p := range m.pinFac[w] {
		s.reached = s.reached[:0]
		s.stamp++
		s.markPS[int(p)*m.nSlots+int(m.slot[w])] = s.stamp
		if !s.takeFac(w, p) {
			pr.facOK = false
			pr.facReach = append(pr.facReach, s.reached...)
			pr.pinFailed = append(pr.pinFailed, p)
		}
	}
	for i := len(m.pinFac[w]); i < int(m.need[w]); i++ {
		s.reached = s.reached[:0]
		s.stamp++
		if !s.facAug(w) {
			pr.facOK = false
			pr.facReach = append(pr.facReach, s.reached...)
			break
		}
		pr.freeGot++
	}
	s.undo(cp)
	return pr
}
