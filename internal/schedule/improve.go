package schedule

import (
	"math/rand"
	"sort"
	"time"
)

// swapCandidates lists the assigned workshops whose removal may let w in.
func (s *state) swapCandidates(w int32) []int32 {
	pr := s.probe(w)
	roomOK, roomReach, facOK, facReach := pr.roomOK, pr.roomReach, pr.facOK, pr.facReach
	var cands []int32
	switch {
	case roomOK && facOK:
		return nil
	case !roomOK && facOK:
		cands = roomReach
	case roomOK && !facOK:
		cands = facReach
	default:
		set := map[int32]bool{}
		for _, u := range facReach {
			set[u] = true
		}
		for _, u := range roomReach {
			if set[u] {
				cands = append(cands, u)
			}
		}
	}
	seen := map[int32]bool{}
	out := cands[:0]
	for _, u := range cands {
		if !seen[u] && s.in[u] {
			seen[u] = true
			out = append(out, u)
		}
	}
	return out
}

// localSearch improves the greedy solution group by group until every
// group reaches its upper bound or the effort budget is spent: first
// exchanges removing one workshop to insert two, then a large neighbourhood
// search that removes a few workshops met by the failed insertion of an
// unassigned one, inserts it and refills the group in a random order
// (fixed seed: the result is deterministic), accepting equal counts to
// move across plateaus.
//
// When until is not zero, each group below its bound gets an equal share of
// the time left until then.
func (s *state) localSearch(bounds map[int32]int, until time.Time) {
	m := s.m
	byGroup := map[int32][]int32{}
	var groups []int32
	for _, w := range s.order {
		g := m.group[w]
		if byGroup[g] == nil {
			groups = append(groups, g)
		}
		byGroup[g] = append(byGroup[g], w)
	}
	sort.Slice(groups, func(a, b int) bool { return groups[a] < groups[b] })
	countIn := func(ws []int32) int {
		c := 0
		for _, w := range ws {
			if s.in[w] {
				c++
			}
		}
		return c
	}
	rng := rand.New(rand.NewSource(1))
	var open []int32
	for _, g := range groups {
		if countIn(byGroup[g]) < bounds[g] {
			open = append(open, g)
		}
	}
	defer func() { s.groupUntil = time.Time{} }()
	for i, g := range open {
		s.opt.progress("recherche locale : groupe %d sur %d", i+1, len(open))
		ws := byGroup[g]
		if !until.IsZero() {
			left := time.Until(until)
			if left <= 0 {
				return
			}
			s.groupUntil = time.Now().Add(left / time.Duration(len(open)-i))
		}
		for round := 0; round < 10 && countIn(ws) < bounds[g] && !s.groupPast(); round++ {
			improved := false
			for i, w := range ws {
				if i&63 == 63 && s.groupPast() { // a large group's swaps must not outlast its share of time
					break
				}
				if !s.in[w] && s.trySwap(w, ws) {
					improved = true
					for j, v := range ws {
						if j&63 == 63 && s.groupPast() {
							break
						}
						s.tryAdd(v)
					}
					s.log = s.log[:0]
				}
			}
			if !improved {
				break
			}
		}
		s.lns(ws, bounds[g], rng, lnsBudget*len(ws))
	}
}

// groupPast reports whether the local search's share of time for the
// current group is spent.
func (s *state) groupPast() bool {
	return !s.groupUntil.IsZero() && time.Now().After(s.groupUntil)
}

// pastDeadline reports whether the time given to Solve is spent.
func (s *state) pastDeadline() bool {
	return !s.deadline.IsZero() && time.Now().After(s.deadline)
}

// lnsBudget is the number of destroy-and-repair moves per workshop of a group.
const lnsBudget = 40

// lns runs the large neighbourhood search on the workshops ws of one group.
// It stops after iterations moves, when the group reaches bound, or when
// its share of time is spent (groupUntil).
func (s *state) lns(ws []int32, bound int, rng *rand.Rand, iterations int) {
	if len(ws) > 200 {
		// Large groups: insertions within a budget (see greedy).
		s.budget = greedyBudget
		defer func() { s.budget = 0 }()
	}
	cur := 0
	for _, w := range ws {
		if s.in[w] {
			cur++
		}
	}
	perm := make([]int32, len(ws))
	var out []int32
	for iter := 0; iter < iterations && cur < bound; iter++ {
		if (iter&63 == 0 || len(ws) > 64) && s.groupPast() {
			return
		}
		out = out[:0]
		for _, w := range ws {
			if !s.in[w] {
				out = append(out, w)
			}
		}
		if len(out) == 0 {
			return
		}
		w := out[rng.Intn(len(out))]
		pr := s.probe(w)
		cands := append(pr.roomReach, pr.facReach...)
		k := 0
		for _, u := range cands {
			if s.in[u] {
				cands[k] = u
				k++
			}
		}
		cands = cands[:k]
		cp := len(s.log)
		before := cur
		for r := 1 + rng.Intn(3); r > 0 && len(cands) > 0; r-- {
			i := rng.Intn(len(cands))
			if u := cands[i]; s.in[u] {
				s.remove(u)
				cur--
			}
			cands[i] = cands[len(cands)-1]
			cands = cands[:len(cands)-1]
		}
		if !s.tryAdd(w) {
			s.undo(cp)
			cur = before
			continue
		}
		cur++
		copy(perm, ws)
		rng.Shuffle(len(perm), func(a, b int) { perm[a], perm[b] = perm[b], perm[a] })
		for j, v := range perm {
			if j&63 == 63 && s.groupPast() {
				break
			}
			if !s.in[v] && s.tryAdd(v) {
				cur++
			}
		}
		if cur >= before {
			s.log = s.log[:0]
		} else {
			s.undo(cp)
			cur = before
		}
	}
}

// trySwap removes one assigned workshop, inserts w and one more workshop of
// the same coupling group. It keeps the change only if the count grows.
func (s *state) trySwap(w int32, group []int32) bool {
	for _, u := range s.swapCandidates(w) {
		cp := len(s.log)
		s.remove(u)
		if s.tryAdd(w) {
			for _, v := range group {
				if v != u && !s.in[v] && s.tryAdd(v) {
					s.log = s.log[:0]
					return true
				}
			}
		}
		s.undo(cp)
	}
	if s.tryAdd(w) { // may have become possible
		s.log = s.log[:0]
		return true
	}
	return false
}

// upperBounds returns, per coupling group, a proven bound on the number of
// fully assignable workshops. For groups whose slots are cliques of
// overlapping workshops it is the minimum of
//   - the sum over slots of min(maximum room matching, facilitator bound of
//     the slot alone), and
//   - the facilitator bound of the whole group,
//
// where a facilitator bound is the optimum of the linear relaxation of
// "fully staff as many workshops as possible": the flow polytope is a
// polymatroid, so augmenting workshops by increasing need is optimal.
// Other groups are bounded by their number of assignable workshops.
func (s *state) upperBounds() map[int32]int {
	m := s.m
	cp := len(s.log)
	s.relaxPins = true
	defer func() { s.relaxPins = false }()
	feasible := func(ws []int32) []int32 {
		var out []int32
		for _, w := range ws {
			if m.static[w] == "" {
				out = append(out, w)
			}
		}
		sort.SliceStable(out, func(a, b int) bool { return m.need[out[a]] < m.need[out[b]] })
		return out
	}
	facBound := func(ws []int32) int {
		sixths := 0
		for _, w := range ws {
			got := 0
			for got < int(m.need[w]) {
				s.stamp++
				if !s.facAug(w) {
					break
				}
				got++
			}
			sixths += got * 6 / int(m.need[w])
		}
		s.undo(cp)
		return sixths / 6
	}
	bounds := map[int32]int{}
	exact := map[int32]bool{}
	slotSum := map[int32]int{}
	members := map[int32][]int32{}
	for sl, all := range m.slotOf {
		ws := feasible(all)
		if len(all) == 0 {
			continue
		}
		g := m.group[all[0]]
		if _, ok := exact[g]; !ok {
			exact[g] = true
		}
		members[g] = append(members[g], ws...)
		if !m.slotClique[sl] {
			exact[g] = false
			slotSum[g] += len(ws)
			continue
		}
		rooms := 0
		for _, w := range ws {
			s.stamp++
			if s.roomAug(w) {
				rooms++
			}
		}
		s.undo(cp)
		slotSum[g] += min(rooms, facBound(ws))
	}
	for g, sum := range slotSum {
		bounds[g] = sum
		if exact[g] {
			ws := members[g]
			sort.SliceStable(ws, func(a, b int) bool { return m.need[ws[a]] < m.need[ws[b]] })
			bounds[g] = min(sum, facBound(ws))
		}
	}
	return bounds
}
