package schedule

import "slices"

// Preference costs of a facilitator for a workshop in the min-cost flow:
// carrying one of its commitments first, then sharing one of its topics.
const (
	costCarries = -1000
	costTopic   = -1
)

// mcmf is a small min-cost flow network solved by successive shortest
// paths (Bellman-Ford with a queue: costs are negative).
type mcmf struct {
	head              []int32
	to, next, cap, co []int32
}

func newMCMF(nodes int) *mcmf {
	g := &mcmf{head: make([]int32, nodes)}
	for i := range g.head {
		g.head[i] = -1
	}
	return g
}

// edge adds u->v with capacity c and cost k, and returns its index.
func (g *mcmf) edge(u, v, c, k int32) int32 {
	e := int32(len(g.to))
	g.to = append(g.to, v, u)
	g.cap = append(g.cap, c, 0)
	g.co = append(g.co, k, -k)
	g.next = append(g.next, g.head[u], g.head[v])
	g.head[u], g.head[v] = e, e+1
	return e
}

// run sends as much flow as possible from s to t at the least cost.
func (g *mcmf) run(s, t int32) (flow int) {
	n := len(g.head)
	dist := make([]int64, n)
	inQ := make([]bool, n)
	prev := make([]int32, n)
	const inf = int64(1) << 60
	for {
		for i := range dist {
			dist[i], prev[i] = inf, -1
		}
		dist[s] = 0
		queue := []int32{s}
		for len(queue) > 0 {
			u := queue[0]
			queue = queue[1:]
			inQ[u] = false
			for e := g.head[u]; e >= 0; e = g.next[e] {
				if g.cap[e] > 0 && dist[u]+int64(g.co[e]) < dist[g.to[e]] {
					v := g.to[e]
					dist[v], prev[v] = dist[u]+int64(g.co[e]), e
					if !inQ[v] {
						inQ[v] = true
						queue = append(queue, v)
					}
				}
			}
		}
		if dist[t] == inf {
			return flow
		}
		push := int32(1 << 30)
		for v := t; v != s; v = g.to[prev[v]^1] {
			push = min(push, g.cap[prev[v]])
		}
		for v := t; v != s; v = g.to[prev[v]^1] {
			g.cap[prev[v]] -= push
			g.cap[prev[v]^1] += push
		}
		flow += int(push)
	}
}

// carries reports whether facilitator p carries one of w's commitments.
func (m *model) carries(w, p int32) bool {
	for _, c := range m.inst.Workshops[w].Commitments {
		for _, x := range m.inst.Facilitators[p].Carries {
			if c == x {
				return true
			}
		}
	}
	return false
}

// preferred counts the facilitators placed on a workshop whose commitments
// their organisation carries.
func (s *state) preferred() int {
	n := 0
	for w := int32(0); w < int32(s.m.n); w++ {
		n += s.preferredAt(w)
	}
	return n
}

// preferredAt counts the people of w carrying its commitments (0 when w
// is not assigned).
func (s *state) preferredAt(w int32) int {
	if !s.in[w] {
		return 0
	}
	n := 0
	for _, p := range s.facs[w] {
		if s.m.carries(w, p) {
			n++
		}
	}
	return n
}

// groupsOf returns the workshops of each coupling group and whether all
// its slots are cliques (every two workshops of a slot overlap).
func (m *model) groupsOf() (map[int32][]int32, map[int32]bool) {
	members := map[int32][]int32{}
	clique := map[int32]bool{}
	for w := int32(0); w < int32(m.n); w++ {
		g := m.group[w]
		if _, ok := clique[g]; !ok {
			clique[g] = true
		}
		members[g] = append(members[g], w)
		sl := m.slot[w]
		clique[g] = clique[g] && m.slotClique[sl] && m.day[w] == m.day[m.slotOf[sl][0]]
	}
	return members, clique
}

// restaff re-chooses, for the assigned workshops of every group whose slots
// are cliques, the facilitators that are not pinned so as to maximise the
// placements of people carrying the workshop's commitments, then sharing
// its topics: with the set of assigned workshops fixed, a min-cost flow
// workshop -> (person, slot) -> (person, day) is exact.
func (s *state) restaff() {
	m := s.m
	members, clique := m.groupsOf()
	for g, ws := range members {
		if !clique[g] {
			continue
		}
		s.restaffGroup(ws)
	}
}

// restaffGroup runs restaff on the workshops ws of one group.
func (s *state) restaffGroup(ws []int32) { s.restaffSlots(ws, -1, -1) }

// restaffSlots runs restaff on the workshops of ws in the slots a and b
// (every slot when a < 0), the others keeping their facilitators.
func (s *state) restaffSlots(ws []int32, a, b int32) {
	m := s.m
	var work []int32
	free := func(w int32) bool { return a < 0 || m.slot[w] == a || m.slot[w] == b }
	for _, w := range ws {
		if s.in[w] && int(m.need[w]) > len(m.pinFac[w]) && free(w) {
			work = append(work, w)
		}
	}
	if len(work) == 0 {
		return
	}
	// Nodes: 0 source, 1 sink, workshops, then (person, slot) and
	// (person, day) created on demand.
	ids := map[[2]int32]int32{}
	var order [][2]int32 // keys in creation order (determinism)
	next := int32(2 + len(work))
	node := func(kind, p, x int32) int32 {
		k := [2]int32{p*2 + kind, x}
		if id, ok := ids[k]; ok {
			return id
		}
		ids[k] = next
		order = append(order, k)
		next++
		return next - 1
	}
	type arc struct{ u, v, c, k int32 }
	var arcs []arc
	type pick struct {
		e, w, p int32
	}
	var picks []pick
	// Capacity already used by pinned facilitators.
	usedSlot := map[[2]int32]int32{}
	usedDay := map[[2]int32]int32{}
	for _, w := range ws {
		if !s.in[w] {
			continue
		}
		fixed := m.pinFac[w]
		if !free(w) {
			fixed = s.facs[w]
		}
		for _, p := range fixed {
			usedSlot[[2]int32{p, m.slot[w]}]++
			usedDay[[2]int32{p, m.day[w]}]++
		}
	}
	for i, w := range work {
		wn := int32(2 + i)
		arcs = append(arcs, arc{0, wn, m.need[w] - int32(len(m.pinFac[w])), 0})
		for k, p := range m.facCands[w] {
			if usedSlot[[2]int32{p, m.slot[w]}] > 0 {
				continue
			}
			cost := int32(0)
			if m.carries(w, p) {
				cost += costCarries
			}
			if m.facScore[w][k]&1 != 0 {
				cost += costTopic
			}
			ps := node(0, p, m.slot[w])
			picks = append(picks, pick{int32(len(arcs)), w, p})
			arcs = append(arcs, arc{wn, ps, 1, cost})
		}
	}
	for _, k := range append([][2]int32(nil), order...) {
		if k[0]%2 == 0 {
			p, sl := k[0]/2, k[1]
			arcs = append(arcs, arc{ids[k], node(1, p, m.day[m.slotOf[sl][0]]), 1, 0})
		}
	}
	for _, k := range order {
		if k[0]%2 == 1 {
			p, d := k[0]/2, k[1]
			arcs = append(arcs, arc{ids[k], 1, max(0, m.mpd-usedDay[[2]int32{p, d}]), 0})
		}
	}
	g := newMCMF(int(next))
	edges := make([]int32, len(arcs))
	for i, a := range arcs {
		edges[i] = g.edge(a.u, a.v, a.c, a.k)
	}
	demand := 0
	for _, w := range work {
		demand += int(m.need[w]) - len(m.pinFac[w])
	}
	if g.run(0, 1) != demand {
		return // cannot happen: the current staffing is a feasible flow
	}
	for _, w := range work {
		for _, p := range append([]int32(nil), s.facs[w]...) {
			if !s.isPinned(w, p) {
				s.rawRemFac(w, p)
			}
		}
	}
	for _, pk := range picks {
		if g.cap[edges[pk.e]] == 0 {
			s.rawAddFac(pk.w, pk.p)
		}
	}
}

// preferredBound bounds the placements of people carrying their
// workshop's commitments over every assignment: a maximum flow from the
// workshops (at most their need) through such people to (person, slot)
// for groups of clique slots, or only (person, day) otherwise.
//
// When the time given to Solve is already spent (the preparation of a
// very large instance), it returns the weaker count of the workshops'
// needs that such people could meet, each counted alone.
func (s *state) preferredBound() int {
	m := s.m
	if s.pastDeadline() {
		total := 0
		for w := int32(0); w < int32(m.n); w++ {
			if m.static[w] != "" {
				continue
			}
			n := 0
			for _, p := range m.pinFac[w] {
				if m.carries(w, p) {
					n++
				}
			}
			for _, p := range m.facCands[w] {
				if m.carries(w, p) {
					n++
				}
			}
			total += min(n, int(m.need[w]))
		}
		return total
	}
	members, clique := m.groupsOf()
	total := 0
	for gr, ws := range members {
		ids := map[[3]int32]int32{}
		var order [][3]int32
		next := int32(2)
		node := func(a, b, c int32) int32 {
			k := [3]int32{a, b, c}
			if id, ok := ids[k]; ok {
				return id
			}
			ids[k] = next
			order = append(order, k)
			next++
			return next - 1
		}
		type arc struct{ u, v, c int32 }
		var arcs []arc
		for _, w := range ws {
			if m.static[w] != "" {
				continue
			}
			wn := node(0, w, 0)
			arcs = append(arcs, arc{0, wn, m.need[w]})
			for _, p := range append(append([]int32(nil), m.pinFac[w]...), m.facCands[w]...) {
				if !m.carries(w, p) {
					continue
				}
				if clique[gr] {
					arcs = append(arcs, arc{wn, node(1, p, m.slot[w]), 1})
				} else {
					arcs = append(arcs, arc{wn, node(2, p, m.day[w]), 1})
				}
			}
		}
		for _, k := range append([][3]int32(nil), order...) {
			if k[0] == 1 {
				p, sl := k[1], k[2]
				arcs = append(arcs, arc{ids[k], node(2, p, m.day[m.slotOf[sl][0]]), 1})
			}
		}
		for _, k := range order {
			if k[0] == 2 {
				arcs = append(arcs, arc{ids[k], 1, m.mpd})
			}
		}
		g := newMCMF(int(next))
		for _, a := range arcs {
			g.edge(a.u, a.v, a.c, 0)
		}
		total += g.maxFlow(0, 1)
	}
	return total
}

// groupPreferred counts the preferred placements of the workshops ws.
func (s *state) groupPreferred(ws []int32) int {
	n := 0
	for _, w := range ws {
		if s.in[w] {
			for _, p := range s.facs[w] {
				if s.m.carries(w, p) {
					n++
				}
			}
		}
	}
	return n
}

// snapshot is the assignment of a group's workshops.
type snapshot struct {
	room []int32
	facs [][]int32
	in   []bool
}

func (s *state) save(ws []int32, snap *snapshot) {
	snap.room, snap.in = snap.room[:0], snap.in[:0]
	snap.facs = snap.facs[:0]
	for _, w := range ws {
		snap.room = append(snap.room, s.room[w])
		snap.in = append(snap.in, s.in[w])
		snap.facs = append(snap.facs, append([]int32(nil), s.facs[w]...))
	}
}

func (s *state) restore(ws []int32, snap *snapshot) {
	for _, w := range ws {
		s.rawSetRoom(w, -1)
		for len(s.facs[w]) > 0 {
			s.rawRemFac(w, s.facs[w][len(s.facs[w])-1])
		}
		s.rawSetIn(w, false)
	}
	for k, w := range ws {
		if snap.room[k] >= 0 {
			s.rawSetRoom(w, snap.room[k])
		}
		for _, p := range snap.facs[k] {
			s.rawAddFac(w, p)
		}
		s.rawSetIn(w, snap.in[k])
	}
}

// improvePreference exchanges, in groups of clique slots, an assigned
// workshop for an unassigned one when that lets more people carrying the
// workshops' commitments lead them (the facilitators re-chosen by the
// exact min-cost flow of restaffGroup), keeping the count, until no
// exchange helps or the deadline passes.
func (s *state) improvePreference() {
	m := s.m
	members, clique := m.groupsOf()
	groups := make([]int32, 0, len(members))
	for g := range members {
		if clique[g] {
			groups = append(groups, g)
		}
	}
	slices.Sort(groups)
	var snap snapshot
	for _, g := range groups {
		ws := members[g]
		budget := exchangeBudget
		// potential[w]: preferred placements w could have alone.
		potential := map[int32]int{}
		for _, w := range ws {
			if m.static[w] != "" {
				continue
			}
			n := 0
			for _, p := range append(append([]int32(nil), m.pinFac[w]...), m.facCands[w]...) {
				if m.carries(w, p) {
					n++
				}
			}
			potential[w] = min(n, int(m.need[w]))
		}
		cur := s.groupPreferred(ws)
		best := cur
		var bestSnap snapshot
		s.save(ws, &bestSnap)
		visited := map[uint64]bool{s.inHash(ws): true}
		sideways := len(ws)
		for moved := true; moved && !s.pastDeadline(); {
			moved = false
			var plateau []int32 // an exchange (v, u) that keeps cur
			for _, u := range ws {
				if moved || s.in[u] || m.static[u] != "" || potential[u] == 0 {
					continue
				}
				for _, v := range ws {
					if !s.in[v] || s.pastDeadline() {
						continue
					}
					mine := 0
					for _, p := range s.facs[v] {
						if m.carries(v, p) {
							mine++
						}
					}
					// Large groups: only exchanges that may gain directly.
					if mine >= potential[u] && len(ws) > 60 {
						continue
					}
					if budget == 0 {
						break
					}
					s.save(ws, &snap)
					cp := len(s.log)
					s.remove(v)
					if !s.tryAdd(u) {
						s.undo(cp)
						continue
					}
					budget--
					s.log = s.log[:0]
					s.restaffSlots(ws, m.slot[u], m.slot[v])
					p := s.groupPreferred(ws)
					if p > cur {
						cur, moved = p, true
						visited[s.inHash(ws)] = true
						break
					}
					if p == cur && plateau == nil && !visited[s.inHash(ws)] {
						plateau = []int32{v, u}
					}
					s.restore(ws, &snap)
				}
			}
			if !moved && plateau != nil && sideways > 0 {
				sideways--
				cp := len(s.log)
				s.remove(plateau[0])
				if s.tryAdd(plateau[1]) {
					s.log = s.log[:0]
					s.restaffSlots(ws, m.slot[plateau[0]], m.slot[plateau[1]])
					cur = s.groupPreferred(ws)
					visited[s.inHash(ws)] = true
					moved = true
				} else {
					s.undo(cp)
				}
			}
			if !moved && len(ws) <= pairLimit && budget > 0 {
				budget--
				moved = s.pairExchange(ws, &cur)
			}
			if cur > best {
				best = cur
				s.save(ws, &bestSnap)
			}
		}
		if cur < best {
			s.restore(ws, &bestSnap)
		}
	}
}

// inHash identifies the set of assigned workshops among ws.
func (s *state) inHash(ws []int32) uint64 {
	h := uint64(len(ws))
	for _, w := range ws {
		if s.in[w] {
			h = mix(h ^ uint64(w+1))
		}
	}
	return h
}

// exchangeBudget is the number of exchanges of workshops evaluated per
// group (each by a min-cost flow) to improve the preference: a fixed
// budget keeps the result deterministic.
const exchangeBudget = 400

// pairLimit is the largest group in which exchanges of two workshops for
// two others are tried.
const pairLimit = 48

// pairExchange looks for two assigned workshops to exchange for two
// unassigned ones with more preferred placements in all; it applies the
// first found and reports whether it did.
func (s *state) pairExchange(ws []int32, cur *int) bool {
	m := s.m
	var in, out []int32
	for _, w := range ws {
		switch {
		case s.in[w]:
			in = append(in, w)
		case m.static[w] == "":
			out = append(out, w)
		}
	}
	var base, snap snapshot
	s.save(ws, &base)
	for a, v1 := range in {
		for _, v2 := range in[a+1:] {
			if s.pastDeadline() {
				return false
			}
			s.remove(v1)
			s.remove(v2)
			s.log = s.log[:0]
			s.save(ws, &snap)
			for b, u1 := range out {
				if !s.tryAdd(u1) {
					continue
				}
				for _, u2 := range out[b+1:] {
					if !s.tryAdd(u2) {
						continue
					}
					s.restaffGroup(ws)
					if p := s.groupPreferred(ws); p > *cur {
						s.log = s.log[:0]
						*cur = p
						return true
					}
					// restaffGroup bypassed the log: restore, not undo.
					s.restore(ws, &snap)
					s.log = s.log[:0]
					if !s.tryAdd(u1) {
						break
					}
				}
				s.restore(ws, &snap)
				s.log = s.log[:0]
			}
			s.restore(ws, &base)
			s.log = s.log[:0]
		}
	}
	return false
}

// maxFlow sends as much flow as possible from s to t, ignoring costs
// (Dinic's algorithm: blocking flows along breadth-first levels), much
// faster than run on large networks.
func (g *mcmf) maxFlow(s, t int32) (flow int) {
	n := len(g.head)
	level := make([]int32, n)
	iter := make([]int32, n)
	queue := make([]int32, 0, n)
	var dfs func(u int32, f int32) int32
	dfs = func(u int32, f int32) int32 {
		if u == t {
			return f
		}
		for ; iter[u] >= 0; iter[u] = g.next[iter[u]] {
			e := iter[u]
			v := g.to[e]
			if g.cap[e] > 0 && level[v] == level[u]+1 {
				if d := dfs(v, min(f, g.cap[e])); d > 0 {
					g.cap[e] -= d
					g.cap[e^1] += d
					return d
				}
			}
		}
		return 0
	}
	for {
		for i := range level {
			level[i] = -1
		}
		level[s] = 0
		queue = append(queue[:0], s)
		for i := 0; i < len(queue); i++ {
			u := queue[i]
			for e := g.head[u]; e >= 0; e = g.next[e] {
				if v := g.to[e]; g.cap[e] > 0 && level[v] < 0 {
					level[v] = level[u] + 1
					queue = append(queue, v)
				}
			}
		}
		if level[t] < 0 {
			return flow
		}
		copy(iter, g.head)
		for {
			f := dfs(s, 1<<30)
			if f == 0 {
				break
			}
			flow += int(f)
		}
	}
}
