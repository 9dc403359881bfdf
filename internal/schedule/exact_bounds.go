package schedule

import "sort"

// The bounds of the exact search (see exact) and its canonical states.

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
func (e *exact) flowBound(k int) int { return e.rangeBound(k, len(e.ws)) }

// rangeBound is flowBound on the positions from lo to hi (excluded).
func (e *exact) rangeBound(lo, hi int) int {
	k := lo
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
		j := sort.Search(len(ps), func(i int) bool { return ps[i] >= int32(hi) })
		return ps[i:j]
	}
	edges := func(j int) []int32 { return e.edges[j] }
	// Rooms.
	f := &e.fl
	f.reset(e.groupRms, g)
	for _, r := range e.groupRms {
		f.cap[r] = e.disjoint(suffix(e.roomPos[r]), e.roomEnd[r])
	}
	rooms := 0
	for j := k; j < hi; j++ {
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
		for j := k; j < hi; j++ {
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
