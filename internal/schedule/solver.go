package schedule

import (
	"fmt"
	"math"
	"math/rand"
	"slices"
	"sort"
	"strings"
	"time"
)

// DefaultTimeLimit is the time Solve gives the exact search when
// Options.TimeLimit is 0.
const DefaultTimeLimit = 5 * time.Second

// Options tunes Solve. The zero value is the recommended setting.
type Options struct {
	// NoLocalSearch stops after the greedy insertion phase (every insertion
	// is still exact: the result is maximal, not necessarily maximum).
	NoLocalSearch bool
	// NoExactSearch keeps the heuristic's result: no branch and bound.
	NoExactSearch bool
	// TimeLimit bounds the exact search (0: DefaultTimeLimit; negative:
	// no limit). When it stops the search, the result is the best found
	// and Optimal is false unless the bound still meets the count.
	TimeLimit time.Duration
	// Progress, when set, is called (on the solver's goroutine) with a
	// French description of each step, such as "recherche exacte : groupe
	// 3 sur 12", for an interface that shows the solver working.
	Progress func(step string)
}

// progress reports a step through opt.Progress.
func (opt Options) progress(format string, args ...any) {
	if opt.Progress != nil {
		opt.Progress(fmt.Sprintf(format, args...))
	}
}

// Assignment is a fully assigned workshop: its room and all its
// facilitators (sorted by id).
type Assignment struct {
	Workshop     string   `json:"workshop"`
	Room         string   `json:"room"`
	Facilitators []string `json:"facilitators"`
}

// Unassigned is a workshop that could not be fully assigned, with the reason
// in French.
type Unassigned struct {
	Workshop string `json:"workshop"`
	Reason   string `json:"reason"`
}

// Result is the outcome of Solve. Assignments and Unassigned are sorted by
// workshop id.
type Result struct {
	Assignments []Assignment `json:"assignments"`
	Unassigned  []Unassigned `json:"unassigned"`
	// Workshops is the number of workshops in the instance.
	Workshops int `json:"workshops"`
	// FullyAssigned is len(Assignments): workshops with a room and all
	// their facilitators.
	FullyAssigned int `json:"fully_assigned"`
	// UpperBound is a proven upper bound on the number of workshops that
	// can be fully assigned; equality with FullyAssigned proves optimality.
	UpperBound int `json:"upper_bound"`
	// Optimal reports that FullyAssigned is proven maximum (it equals
	// UpperBound). It is false only when the time limit stopped the exact
	// search first.
	Optimal bool `json:"optimal"`
	// Gap is UpperBound - FullyAssigned: how many more workshops an
	// optimal assignment might place at most (0 when Optimal).
	Gap int `json:"gap"`
	// Preferred counts the facilitators placed on a workshop whose
	// commitments their organisation carries: the secondary objective,
	// maximised for the assigned workshops once the count is settled.
	Preferred int `json:"preferred"`
	// PreferredBound bounds Preferred over every assignment, whatever
	// its count (a maximum flow through such people alone).
	PreferredBound int `json:"preferred_bound"`
}

// model is the preprocessed, index-based form of an instance.
type model struct {
	inst       *Instance
	n, nr, np  int
	start, end []int64 // Unix milliseconds
	day        []int32 // dense Paris calendar day index of the start
	slot       []int32 // connected component of the overlap graph
	slotClique []bool  // whether every pair of the component overlaps
	slotOf     [][]int32
	group      []int32 // coupling group: union of days and overlaps
	need       []int32
	pinRoom    []int32 // -1 when not pinned
	pinFac     [][]int32
	roomCands  [][]int32  // eligible rooms, smallest first
	facCands   [][]int32  // eligible non-pinned facilitators, preferred first
	facScore   [][]int8   // preference score, parallel to facCands
	static     []string   // non-empty: reason why the workshop can never be assigned
	staticPin  [][]string // the parts of static about pinned resources
	pinBad     [][]bool   // parallel to pinFac: the pinned facilitator is never available
	nDays      int
	nSlots     int
	mpd        int32
}

// byStart returns the workshops of group that can be assigned, by start
// then end: the positions of the exact searches and the programs.
func (m *model) byStart(group []int32) []int32 {
	var ws []int32
	for _, w := range group {
		if m.static[w] == "" {
			ws = append(ws, w)
		}
	}
	sort.SliceStable(ws, func(a, b int) bool {
		x, y := ws[a], ws[b]
		if m.start[x] != m.start[y] {
			return m.start[x] < m.start[y]
		}
		return m.end[x] < m.end[y]
	})
	return ws
}

// ms converts an interval to Unix milliseconds.
func ms(iv Interval) (int64, int64) { return iv.Start.UnixMilli(), iv.End.UnixMilli() }

// newModel preprocesses a (valid) instance.
func newModel(inst *Instance) *model {
	m := &model{inst: inst, n: len(inst.Workshops), nr: len(inst.Rooms), np: len(inst.Facilitators)}
	n := m.n
	m.mpd = int32(inst.maxPerDay())
	m.start, m.end = make([]int64, n), make([]int64, n)
	m.day, m.slot, m.group = make([]int32, n), make([]int32, n), make([]int32, n)
	m.need, m.pinRoom = make([]int32, n), make([]int32, n)
	m.pinFac = make([][]int32, n)
	m.roomCands, m.facCands, m.facScore = make([][]int32, n), make([][]int32, n), make([][]int8, n)
	m.static = make([]string, n)
	m.staticPin, m.pinBad = make([][]string, n), make([][]bool, n)

	roomIdx := make(map[string]int32, m.nr)
	for i, r := range inst.Rooms {
		roomIdx[r.ID] = int32(i)
	}
	facIdx := make(map[string]int32, m.np)
	for i, p := range inst.Facilitators {
		facIdx[p.ID] = int32(i)
	}

	// Days.
	dayKeys := make([]int, n)
	uniq := map[int]bool{}
	for i := range inst.Workshops {
		w := &inst.Workshops[i]
		m.start[i], m.end[i] = ms(w.interval())
		y, mo, d := w.Start.In(paris).Date()
		dayKeys[i] = y*10000 + int(mo)*100 + d
		uniq[dayKeys[i]] = true
		m.need[i] = int32(w.needed())
	}
	keys := make([]int, 0, len(uniq))
	for k := range uniq {
		keys = append(keys, k)
	}
	sort.Ints(keys)
	m.nDays = len(keys)
	for i := range dayKeys {
		m.day[i] = int32(sort.SearchInts(keys, dayKeys[i]))
	}

	// Overlap components (slots), in chronological order.
	order := make([]int32, n)
	for i := range order {
		order[i] = int32(i)
	}
	sort.Slice(order, func(a, b int) bool {
		x, y := order[a], order[b]
		if m.start[x] != m.start[y] {
			return m.start[x] < m.start[y]
		}
		if m.end[x] != m.end[y] {
			return m.end[x] < m.end[y]
		}
		return x < y
	})
	var maxEnd, maxStart, minEnd int64
	for k, w := range order {
		if k == 0 || m.start[w] >= maxEnd {
			m.slotOf = append(m.slotOf, nil)
			m.slotClique = append(m.slotClique, true)
			maxEnd, maxStart, minEnd = m.end[w], m.start[w], m.end[w]
		}
		s := len(m.slotOf) - 1
		m.slot[w] = int32(s)
		m.slotOf[s] = append(m.slotOf[s], w)
		maxEnd, maxStart, minEnd = max(maxEnd, m.end[w]), max(maxStart, m.start[w]), min(minEnd, m.end[w])
		if maxStart >= minEnd {
			m.slotClique[s] = false
		}
	}
	m.nSlots = len(m.slotOf)

	// Coupling groups: union-find over days and slots.
	parent := make([]int32, m.nDays+m.nSlots)
	for i := range parent {
		parent[i] = int32(i)
	}
	var find func(int32) int32
	find = func(x int32) int32 {
		for parent[x] != x {
			parent[x] = parent[parent[x]]
			x = parent[x]
		}
		return x
	}
	for i := 0; i < n; i++ {
		a, b := find(m.day[i]), find(int32(m.nDays)+m.slot[i])
		if a != b {
			parent[max(a, b)] = min(a, b)
		}
	}
	for i := 0; i < n; i++ {
		m.group[i] = find(m.day[i])
	}

	// Rooms sorted by capacity (smallest sufficient room first).
	roomOrder := make([]int32, m.nr)
	for i := range roomOrder {
		roomOrder[i] = int32(i)
	}
	sort.SliceStable(roomOrder, func(a, b int) bool {
		return inst.Rooms[roomOrder[a]].Capacity < inst.Rooms[roomOrder[b]].Capacity
	})
	roomBusy := make([][][2]int64, m.nr)
	for i, r := range inst.Rooms {
		for _, iv := range r.Busy {
			s, e := ms(iv)
			roomBusy[i] = append(roomBusy[i], [2]int64{s, e})
		}
	}
	facAvail, facBusy := make([][][2]int64, m.np), make([][][2]int64, m.np)
	for i, p := range inst.Facilitators {
		for _, iv := range p.Available {
			s, e := ms(iv)
			facAvail[i] = append(facAvail[i], [2]int64{s, e})
		}
		for _, iv := range p.Busy {
			s, e := ms(iv)
			facBusy[i] = append(facBusy[i], [2]int64{s, e})
		}
	}
	overlapsAny := func(ivs [][2]int64, s, e int64) bool {
		for _, iv := range ivs {
			if iv[0] < e && s < iv[1] {
				return true
			}
		}
		return false
	}
	facOK := func(p int32, s, e int64) bool {
		if len(facAvail[p]) > 0 {
			inside := false
			for _, iv := range facAvail[p] {
				if iv[0] <= s && e <= iv[1] {
					inside = true
					break
				}
			}
			if !inside {
				return false
			}
		}
		return !overlapsAny(facBusy[p], s, e)
	}

	// Inverted indexes for preferences.
	carriers := map[string][]int32{}
	topical := map[string][]int32{}
	for i, p := range inst.Facilitators {
		for _, c := range p.Carries {
			carriers[c] = append(carriers[c], int32(i))
		}
		for _, t := range p.Topics {
			key := strings.ToLower(t)
			topical[key] = append(topical[key], int32(i))
		}
	}
	score := make([]int8, m.np)
	var reasons []string
	// Facilitators by Paris day of their availability windows; those
	// without windows are candidates every day.
	var always []int32
	byDay := map[int][]int32{}
	for i, p := range inst.Facilitators {
		if len(p.Available) == 0 {
			always = append(always, int32(i))
			continue
		}
		long := false
		for _, iv := range p.Available {
			long = long || iv.End.Sub(iv.Start) > 60*24*time.Hour
		}
		if long { // checked against every workshop instead
			always = append(always, int32(i))
			continue
		}
		for _, iv := range p.Available {
			d := iv.Start.In(paris)
			d = time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, paris)
			for ; d.Before(iv.End); d = d.AddDate(0, 0, 1) {
				key := d.Year()*10000 + int(d.Month())*100 + d.Day()
				if l := byDay[key]; len(l) == 0 || l[len(l)-1] != int32(i) {
					byDay[key] = append(l, int32(i))
				}
			}
		}
	}
	seen := make([]uint32, m.np)
	stamp := uint32(0)
	var cands []int32
	for i := range inst.Workshops {
		w := &inst.Workshops[i]
		s, e := m.start[i], m.end[i]
		reasons = reasons[:0]
		m.pinRoom[i] = -1
		if w.Room != "" {
			r := roomIdx[w.Room]
			m.pinRoom[i] = r
			room := &inst.Rooms[r]
			switch {
			case room.Capacity < w.Capacity:
				reasons = append(reasons, fmt.Sprintf("la salle imposée %s est trop petite (%d places pour %d participants)",
					roomLabel(room), room.Capacity, w.Capacity))
				m.staticPin[i] = append(m.staticPin[i], reasons[len(reasons)-1])
			case overlapsAny(roomBusy[r], s, e):
				reasons = append(reasons, fmt.Sprintf("la salle imposée %s est déjà occupée à %s",
					roomLabel(room), frenchClock(w.Start)))
				m.staticPin[i] = append(m.staticPin[i], reasons[len(reasons)-1])
			default:
				m.roomCands[i] = []int32{r}
			}
		} else {
			for _, r := range roomOrder {
				if inst.Rooms[r].Capacity >= w.Capacity && !overlapsAny(roomBusy[r], s, e) {
					m.roomCands[i] = append(m.roomCands[i], r)
				}
			}
			if len(m.roomCands[i]) == 0 {
				reasons = append(reasons, noRoom(w.Capacity, w.Start))
			}
		}
		pinned := map[int32]bool{}
		for _, id := range w.Facilitators {
			p := facIdx[id]
			pinned[p] = true
			m.pinFac[i] = append(m.pinFac[i], p)
			m.pinBad[i] = append(m.pinBad[i], !facOK(p, s, e))
			if !facOK(p, s, e) {
				reasons = append(reasons, fmt.Sprintf("l'animateur imposé %s n'est pas disponible %s",
					personLabel(&inst.Facilitators[p]), frenchWhen(w.Start)))
				m.staticPin[i] = append(m.staticPin[i], reasons[len(reasons)-1])
			}
		}
		for _, c := range w.Commitments {
			for _, p := range carriers[c] {
				score[p] |= 2
			}
		}
		for _, t := range w.Topics {
			for _, p := range topical[strings.ToLower(t)] {
				score[p] |= 1
			}
		}
		// Candidates in index order, rotated by workshop to spread the
		// load, then the preferred ones first (stable).
		cands := cands[:0]
		stamp++
		for _, list := range [2][]int32{always, byDay[dayKeys[i]]} {
			for _, p := range list {
				if seen[p] != stamp && !pinned[p] && facOK(p, s, e) {
					seen[p] = stamp
					cands = append(cands, p)
				}
			}
		}
		slices.Sort(cands)
		rot := int32((i * 7919) % max(1, m.np))
		cut, _ := slices.BinarySearch(cands, rot)
		ordered := make([]int32, 0, len(cands))
		for _, sc := range [4]int8{3, 2, 1, 0} {
			for _, part := range [2][]int32{cands[cut:], cands[:cut]} {
				for _, p := range part {
					if score[p] == sc {
						ordered = append(ordered, p)
					}
				}
			}
		}
		m.facCands[i] = ordered
		m.facScore[i] = make([]int8, len(ordered))
		for k, p := range ordered {
			m.facScore[i][k] = score[p]
		}
		for _, c := range w.Commitments {
			for _, p := range carriers[c] {
				score[p] = 0
			}
		}
		for _, t := range w.Topics {
			for _, p := range topical[strings.ToLower(t)] {
				score[p] = 0
			}
		}
		cands = ordered
		if lack := int(m.need[i]) - len(m.pinFac[i]) - len(cands); lack > 0 {
			reasons = append(reasons, missingFacilitators(lack, w.Start))
		}
		if len(reasons) > 0 {
			m.static[i] = strings.Join(reasons, " ; ")
		}
	}
	return m
}

// roomLabel names a room for the user.
func roomLabel(r *Room) string {
	if r.Name != "" {
		return r.Name
	}
	return r.ID
}

// personLabel names a facilitator for the user.
func personLabel(p *Facilitator) string {
	if p.Name != "" {
		return p.Name
	}
	return p.ID
}

// pinOK reports whether the facilitator p pinned to w is available for it.
func (m *model) pinOK(w, p int32) bool {
	for k, q := range m.pinFac[w] {
		if q == p {
			return !m.pinBad[w][k]
		}
	}
	return false
}

// overlap reports whether workshops a and b overlap in time.
func (m *model) overlap(a, b int32) bool { return m.start[a] < m.end[b] && m.start[b] < m.end[a] }

// Solve assigns rooms and facilitators to the workshops of a valid instance
// (see ReadInstance and Instance.Validate), maximising the number of fully
// assigned workshops. It is deterministic.
func Solve(inst *Instance, opt Options) Result {
	begin := time.Now()
	var deadline time.Time
	switch {
	case opt.TimeLimit == 0:
		deadline = begin.Add(DefaultTimeLimit)
	case opt.TimeLimit > 0:
		deadline = begin.Add(opt.TimeLimit)
	}
	if !deadline.IsZero() {
		// The searches stop early enough to leave the finishing phases
		// (fill, preferences, reasons: about 15 µs a workshop) their
		// time within the limit.
		deadline = deadline.Add(-min(time.Duration(len(inst.Workshops))*finishPerWorkshop, deadline.Sub(begin)/10))
	}
	opt.progress("préparation de %d ateliers", len(inst.Workshops))
	m := newModel(inst)
	s := newState(m)
	s.deadline, s.opt = deadline, opt
	bounds := s.upperBounds()
	preferredBound := s.preferredBound()
	opt.progress("insertion des ateliers")
	s.greedy()
	guides := map[int32]lpGuide{}
	members := m.groupMembers()
	_, cliques := m.groupsOf()
	relax := func(until time.Time, only func(g int32) bool) {
		got := s.lpBounds(bounds, members, until, only)
		gs := make([]int32, 0, len(got))
		for g := range got {
			gs = append(gs, g)
		}
		slices.Sort(gs)
		for _, g := range gs {
			guides[g] = got[g]
			if s.groupCount(members[g]) < bounds[g] {
				s.lpInsert(got[g])
			}
		}
	}
	if !opt.NoExactSearch {
		// The linear relaxation of each group not on common slots (whose
		// first bound is weak) below its bound, within 40 % of the time;
		// its solution guides a new insertion and the exact search.
		// Groups on common slots keep the bound of upperBounds, exact
		// there, and the Russian doll search.
		var until time.Time
		if !deadline.IsZero() {
			until = begin.Add(deadline.Sub(begin) * 2 / 5)
		}
		relax(until, func(g int32) bool { return !cliques[g] })
	}
	if !opt.NoLocalSearch && s.count < sumBounds(bounds) {
		// Half of the time for the local search, the rest for the exact one.
		var until time.Time
		if !deadline.IsZero() {
			until = begin.Add(deadline.Sub(begin) / 2)
		}
		s.localSearch(bounds, until)
	}
	if !opt.NoExactSearch {
		// The exact search until 90 % of the time; then, where it could not
		// prove the optimum, more local search until the deadline.
		// When some group's preferences are searched exactly
		// (preferenceSearch), the exact search until 80 % of the time,
		// more local search until 90 %.
		until, more := deadline, deadline
		if !deadline.IsZero() {
			until = begin.Add(deadline.Sub(begin) * 9 / 10)
			if s.preferenceGroups(members, cliques) > 0 {
				until = begin.Add(deadline.Sub(begin) * 8 / 10)
				more = begin.Add(deadline.Sub(begin) * 9 / 10)
			}
		}
		unproven := s.exactSearch(bounds, cliques, until)
		if !opt.NoLocalSearch && !deadline.IsZero() && len(unproven) > 0 {
			s.moreLocalSearch(unproven, bounds, more)
		}
	}
	s.fill()
	if !opt.NoExactSearch {
		// The rest for the second objective on the groups not on
		// common slots (restaff below takes the others).
		if !opt.NoLocalSearch && s.preferenceGroups(members, cliques) > 0 {
			s.improvePreference() // a better start for the exact search
		}
		s.preferenceSearch(members, cliques, deadline)
	}
	opt.progress("choix des animateurs portant les engagements")
	s.restaff()
	if !opt.NoLocalSearch {
		s.improvePreference()
	}
	s.polish()
	s.fill() // a smaller room may have freed a larger one
	res := s.result(sumBounds(bounds))
	res.Preferred, res.PreferredBound = s.preferred(), preferredBound
	return res
}

// finishPerWorkshop is the time kept, per workshop, for the phases after
// the searches (measured: 0.3 s for 20,000 workshops).
const finishPerWorkshop = 20 * time.Microsecond

// sumBounds adds the bounds of the groups.
func sumBounds(bounds map[int32]int) int {
	ub := 0
	for _, b := range bounds {
		ub += b
	}
	return ub
}

// exactSearch runs the branch and bound on every group whose count is
// below its bound, sharing the time left until deadline among them, and
// tightens the bounds with what it proves. It returns the workshops of the
// groups left below their bound, by group.
func (s *state) exactSearch(bounds map[int32]int, cliques map[int32]bool, deadline time.Time) [][]int32 {
	var unproven [][]int32
	m := s.m
	members := map[int32][]int32{}
	for w := int32(0); w < int32(m.n); w++ {
		members[m.group[w]] = append(members[m.group[w]], w)
	}
	var open []int32
	for g, ws := range members {
		in := 0
		for _, w := range ws {
			if s.in[w] {
				in++
			}
		}
		if in < bounds[g] {
			open = append(open, g)
		}
	}
	// Smallest groups first: they are the quickest to close.
	sort.Slice(open, func(a, b int) bool {
		x, y := open[a], open[b]
		if len(members[x]) != len(members[y]) {
			return len(members[x]) < len(members[y])
		}
		return x < y
	})
	ws := newWorkspace(m)
	// First the flow bound (see rangeBound) of the large groups, far
	// tighter there than their first bound or the relaxation in chunks,
	// while there is time: about a second for 2,000 workshops.
	for i := len(open) - 1; i >= 0 && len(members[open[i]]) > lpChunk; i-- {
		if !deadline.IsZero() && time.Now().After(deadline) {
			break
		}
		g := open[i]
		s.opt.progress("borne de flot : groupe %d sur %d", len(open)-i, len(open))
		e := newExact(m, members[g], time.Time{}, ws)
		bounds[g] = min(bounds[g], e.rangeBound(0, len(e.ws)))
		e.release()
	}
	for i, g := range open {
		s.opt.progress("recherche exacte : groupe %d sur %d", i+1, len(open))
		var groupDeadline time.Time
		if !deadline.IsZero() {
			left := time.Until(deadline)
			if left <= 0 {
				unproven = append(unproven, members[g])
				continue
			}
			groupDeadline = time.Now().Add(left / time.Duration(len(open)-i))
		}
		in := 0
		for _, w := range members[g] {
			if s.in[w] {
				in++
			}
		}
		if !cliques[g] && len(members[g]) <= windowGroup {
			// Not on common slots: the integer program of the group, by
			// branch and bound on its relaxation; when it is too large,
			// programs of windows of consecutive workshops, the others
			// fixed.
			var p *mip
			if mipFits(m, members[g]) {
				p = newMIP(m, members[g])
			}
			if p != nil && !p.tooLarge() {
				p.deadline = groupDeadline
				best, proven := p.run(in)
				if p.sol != nil && best > s.groupCount(members[g]) {
					p.install(s)
				}
				if proven {
					bounds[g] = s.groupCount(members[g])
				}
			} else {
				s.windowSearch(members[g], bounds[g], groupDeadline)
			}
			if s.groupCount(members[g]) < bounds[g] {
				unproven = append(unproven, members[g])
			}
			continue
		}
		e := newExact(m, members[g], groupDeadline, ws)
		bounds[g] = min(bounds[g], e.run(in))
		e.release()
		if e.sol != nil && e.solSize > in && e.solSize > s.groupCount(members[g]) {
			e.install(s)
			in = e.solSize
		}
		if in < bounds[g] {
			unproven = append(unproven, members[g])
		}
	}
	return unproven
}

// windowSize is the number of consecutive workshops whose integer
// program windowSearch solves at once; windowGroup the largest group it
// is used on (ten windows: on larger ones, a pass takes longer than the
// time a group gets, and the local search does better in that time).
const (
	windowSize  = 30
	windowGroup = 150
)

// windowSearch improves the count of a group whose integer program is too
// large: it solves the programs of windows of windowSize consecutive
// workshops (by start, each window overlapping the previous by half), the
// others keeping their assignment, until the group reaches bound, a pass
// gains nothing, or deadline.
func (s *state) windowSearch(group []int32, bound int, deadline time.Time) {
	m := s.m
	ws := m.byStart(group)
	for {
		gained := false
		for i := 0; i < len(ws); i += windowSize / 2 {
			if s.groupCount(group) >= bound || (!deadline.IsZero() && time.Now().After(deadline)) {
				return
			}
			win := ws[i:min(i+windowSize, len(ws))]
			p := newWindowMIP(m, win, s)
			if p.tooLarge() {
				continue
			}
			p.deadline = deadline
			cur := s.groupCount(win)
			if best, _ := p.run(cur); best > cur && p.sol != nil {
				p.install(s)
				gained = true
			}
		}
		if !gained {
			return
		}
	}
}

// preferenceSearch maximises, on every group not on common slots whose
// integer program fits, the placements of people carrying the workshop's
// commitments among the assignments of its current count (see
// mip.preferAtCount), sharing the time until deadline among them.
func (s *state) preferenceSearch(members map[int32][]int32, cliques map[int32]bool, deadline time.Time) {
	var groups []int32
	for g := range members {
		if !cliques[g] && mipFits(s.m, members[g]) {
			groups = append(groups, g)
		}
	}
	slices.Sort(groups)
	for i, g := range groups {
		ws := members[g]
		count, preferred := s.groupCount(ws), 0
		for _, w := range ws {
			preferred += s.preferredAt(w)
		}
		if count == 0 {
			continue
		}
		p := newMIP(s.m, ws)
		if p.tooLarge() {
			continue
		}
		if !deadline.IsZero() {
			left := time.Until(deadline)
			if left <= 0 {
				return
			}
			p.deadline = time.Now().Add(left / time.Duration(len(groups)-i))
		}
		s.opt.progress("choix des animateurs portant les engagements : groupe %d sur %d", i+1, len(groups))
		p.preferAtCount(count)
		if best, _ := p.run(preferred); best > preferred && p.sol != nil {
			p.install(s)
		}
	}
}

// preferenceGroups counts the groups preferenceSearch may work on.
func (s *state) preferenceGroups(members map[int32][]int32, cliques map[int32]bool) int {
	n := 0
	for g, ws := range members {
		if !cliques[g] && mipFits(s.m, ws) {
			n++
		}
	}
	return n
}

// moreLocalSearch runs the large neighbourhood search again (another
// random sequence) on the groups the exact search left unproven, sharing
// the time until deadline among them.
func (s *state) moreLocalSearch(groups [][]int32, bounds map[int32]int, deadline time.Time) {
	rng := rand.New(rand.NewSource(2))
	defer func() { s.groupUntil = time.Time{} }()
	for i, all := range groups {
		left := time.Until(deadline)
		if left <= 0 {
			return
		}
		s.opt.progress("recherche locale prolongée : groupe %d sur %d", i+1, len(groups))
		s.groupUntil = time.Now().Add(left / time.Duration(len(groups)-i))
		var ws []int32
		for _, w := range all {
			if s.m.static[w] == "" {
				ws = append(ws, w)
			}
		}
		s.lns(ws, bounds[s.m.group[all[0]]], rng, math.MaxInt)
		s.log = s.log[:0]
	}
}

// result builds the public result from the final state.
func (s *state) result(ub int) Result {
	m := s.m
	res := Result{Workshops: m.n, UpperBound: ub,
		Assignments: []Assignment{}, Unassigned: []Unassigned{}}
	idx := make([]int32, m.n)
	for i := range idx {
		idx[i] = int32(i)
	}
	sort.Slice(idx, func(a, b int) bool { return m.inst.Workshops[idx[a]].ID < m.inst.Workshops[idx[b]].ID })
	for _, w := range idx {
		ws := &m.inst.Workshops[w]
		if s.in[w] {
			ids := make([]string, len(s.facs[w]))
			for k, p := range s.facs[w] {
				ids[k] = m.inst.Facilitators[p].ID
			}
			sort.Strings(ids)
			res.Assignments = append(res.Assignments, Assignment{ws.ID, m.inst.Rooms[s.room[w]].ID, ids})
			continue
		}
		res.Unassigned = append(res.Unassigned, Unassigned{ws.ID, s.reason(w)})
	}
	res.FullyAssigned = len(res.Assignments)
	res.Gap = res.UpperBound - res.FullyAssigned
	res.Optimal = res.Gap == 0
	return res
}
