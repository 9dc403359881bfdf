package schedule

import (
	"math"
	"time"
)

// lpBranch is a branch and bound on the linear relaxation of one group
// (see groupLP), for the programmes where the chronological search with
// the relaxation's guide neither finds its bound nor exhausts: each node
// fixes some workshops in (one) or out (zero), and is bounded by its own
// relaxation. A workshop fixed in gets a large objective coefficient M
// instead of a constraint (the simplex needs the origin feasible): the
// relaxation's optimum minus M per fixed workshop bounds every assignment
// holding them all. When the relaxation chooses whole workshops, an exact
// search tries to assign exactly those.
type lpBranch struct {
	s        *state
	group    []int32
	target   int
	deadline time.Time
	// complete stays true while every pruned node was proven empty: then
	// a search that finds nothing proves that target cannot be reached.
	complete bool
	found    bool
	nodes    int
	tried    map[uint64]bool // chosen sets already given to realize
}

// run searches for an assignment of target workshops of the group. It
// installs it in s and reports true when found; exhausted reports that
// none exists.
func (b *lpBranch) run() (found, exhausted bool) {
	b.complete = true
	b.tried = map[uint64]bool{}
	b.node(map[int32]bool{}, map[int32]bool{})
	return b.found, !b.found && b.complete && !b.past()
}

func (b *lpBranch) past() bool { return !b.deadline.IsZero() && time.Now().After(b.deadline) }

// node explores the assignments with the workshops of one in and none of
// zero.
func (b *lpBranch) node(one, zero map[int32]bool) {
	if b.found || b.past() {
		b.complete = false
		return
	}
	b.nodes++
	m := b.s.m
	var ws []int32
	for _, w := range b.group {
		if m.static[w] == "" && !zero[w] {
			ws = append(ws, w)
		}
	}
	if len(ws) < b.target {
		return
	}
	g := newGroupLP(m, ws)
	if len(g.lp.rows)*len(g.lp.c) > lpMaxDense {
		b.complete = false
		return
	}
	bigM := float64(len(ws) + 1)
	for k, w := range g.ws {
		if one[w] {
			g.lp.c[g.xcol[k]] = 1 + bigM
		}
	}
	x, y, ok := g.lp.solve(b.deadline, 20*len(g.lp.rows)+1000)
	if !ok {
		b.complete = false
		return
	}
	bound := g.lp.dualBound(y) - bigM*float64(len(one))
	if int(math.Floor(bound+1e-6)) < b.target {
		return
	}
	// The chosen workshops, and the most fractional one.
	var chosen []int32
	frac, fracX := int32(-1), 1.0
	for k, w := range g.ws {
		v := x[g.xcol[k]]
		if v > 0.5 {
			chosen = append(chosen, w)
		}
		if d := math.Abs(v - 0.5); v > 1e-6 && v < 1-1e-6 && d < fracX {
			frac, fracX = w, d
		}
	}
	if frac < 0 && len(chosen) >= b.target {
		key := setKey(chosen)
		if !b.tried[key] {
			b.tried[key] = true
			if b.realize(chosen) {
				return
			}
		}
	}
	// Branch: on the most fractional workshop, else on a chosen one not
	// yet fixed in, else on any free one.
	pick := frac
	for _, w := range chosen {
		if pick < 0 && !one[w] {
			pick = w
		}
	}
	for _, w := range g.ws {
		if pick < 0 && !one[w] {
			pick = w
		}
	}
	if pick < 0 {
		// Every workshop left is fixed in: realize proved them
		// impossible together, or gave up (then complete is false).
		return
	}
	// A fractional workshop is first tried in; a chosen set that cannot
	// be assigned is first left without one of its workshops.
	for _, in := range [2]bool{frac >= 0, frac < 0} {
		if in {
			one[pick] = true
			b.node(one, zero)
			delete(one, pick)
		} else {
			zero[pick] = true
			b.node(one, zero)
			delete(zero, pick)
		}
		if b.found {
			return
		}
	}
}

// setKey identifies a set of workshops (listed in a fixed order).
func setKey(ws []int32) uint64 {
	h := uint64(len(ws))
	for _, w := range ws {
		h = mix(h ^ uint64(w))
	}
	return h
}

// realize searches for an assignment of exactly the workshops chosen; on
// success it replaces the group's assignment in s and reports true. A
// search that gives up marks the branch and bound incomplete.
func (b *lpBranch) realize(chosen []int32) bool {
	until := time.Now().Add(200 * time.Millisecond)
	if !b.deadline.IsZero() && b.deadline.Before(until) {
		until = b.deadline
	}
	e := newExact(b.s.m, chosen, until, newWorkspace(b.s.m))
	if !e.direct(len(chosen)) {
		if e.aborted {
			b.complete = false
		}
		return false
	}
	s := b.s
	for _, w := range b.group {
		if s.in[w] {
			s.remove(w)
		}
	}
	s.log = s.log[:0]
	e.install(s)
	b.found = true
	return true
}
