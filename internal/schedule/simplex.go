package schedule

import (
	"math"
	"time"
)

// lpStatus is the outcome of dualLP.solve.
type lpStatus int

const (
	lpOptimal    lpStatus = iota
	lpInfeasible          // no solution within the bounds
	lpCutOff              // the optimum is below the cut-off
	lpUnknown             // deadline or pivot limit
)

// dualLP is a linear program with bounded columns,
//
//	maximise c·x subject to A x ≤ b, lo ≤ x ≤ up (finite),
//
// solved by the dual simplex on a dense dictionary that is kept from one
// solve to the next: a branch and bound only changes bounds, after which
// the last basis is still dual feasible (each column is put at the bound
// its reduced cost asks for), so each node needs a few pivots only.
// Variables 0..n-1 are the columns, n..n+m-1 the rows' slacks (0 ≤ s).
type dualLP struct {
	c      []float64
	lo, up []float64 // per column
	rows   []lpRow

	n, m     int
	t        []float64 // m × (n+1): basic_i = t[i][n] - sum_j t[i][j]·nonbasic_j
	obj      []float64 // n+1: z = obj[n] + sum_j obj[j]·nonbasic_j
	basic    []int32   // per row: variable
	nonbasic []int32   // per dictionary column: variable
	val      []float64 // per variable: current value
	cols     []int32   // scratch
	solves   int       // calls of solve
	wt       []float64 // per row: Devex weight
	nz       []int32
}

func (p *dualLP) addCol(c, up float64) int32 {
	p.c = append(p.c, c)
	p.lo = append(p.lo, 0)
	p.up = append(p.up, up)
	return int32(len(p.c) - 1)
}

func (p *dualLP) addRow(col []int32, coef []float64, rhs float64) {
	p.rows = append(p.rows, lpRow{col, coef, rhs})
}

// value returns the current value of column j.
func (p *dualLP) value(j int32) float64 { return p.val[j] }

// bounds returns the bounds of variable v (a column or a slack).
func (p *dualLP) bounds(v int32) (float64, float64) {
	if int(v) < p.n {
		return p.lo[v], p.up[v]
	}
	return 0, math.Inf(1)
}

// start builds the dictionary of the slack basis, every column at the
// bound its objective coefficient asks for (dual feasible).
func (p *dualLP) start() {
	p.n, p.m = len(p.c), len(p.rows)
	n, m := p.n, p.m
	w := n + 1
	p.t = make([]float64, m*w)
	for i, r := range p.rows {
		row := p.t[i*w : (i+1)*w]
		for k, j := range r.col {
			row[j] += r.coef[k]
		}
		row[n] = r.rhs
	}
	p.obj = make([]float64, w)
	copy(p.obj, p.c)
	p.nonbasic = make([]int32, n)
	for j := range p.nonbasic {
		p.nonbasic[j] = int32(j)
	}
	p.basic = make([]int32, m)
	for i := range p.basic {
		p.basic[i] = int32(n + i)
	}
	p.val = make([]float64, n+m)
	p.wt = make([]float64, m)
	for i := range p.wt {
		p.wt[i] = 1
	}
	p.cols = make([]int32, 0, w)
	p.nz = make([]int32, 0, m)
}

const (
	primalTol = 1e-7
	dualTol   = 1e-9
	pivotTol  = 1e-9
)

// solve reoptimises after bound changes. It stops with lpCutOff as soon
// as the objective (an upper bound on the optimum at every dual feasible
// basis) falls below cutoff.
//
// A dualLP belongs to one goroutine: its loops are left out of the race
// detector (go:norace), which made the tests' branch and bounds 25 times
// slower.
//
//go:norace
func (p *dualLP) solve(cutoff float64, deadline time.Time) lpStatus {
	n, m, w := p.n, p.m, p.n+1
	// Nonbasic columns at the bound their reduced cost asks for; the
	// basic variables follow those that move (or are all computed again,
	// every so often, against rounding).
	p.solves++
	full := p.solves%64 == 1
	for j, v := range p.nonbasic {
		lo, up := p.bounds(v)
		x := p.val[v]
		switch d := p.obj[j]; {
		case lo == up:
			x = lo
		case d > dualTol:
			if math.IsInf(up, 1) {
				return lpUnknown
			}
			x = up
		case d < -dualTol:
			x = lo
		default:
			if x != up || math.IsInf(up, 1) {
				x = lo
			}
		}
		if delta := x - p.val[v]; delta != 0 {
			p.val[v] = x
			if !full {
				for i := 0; i < m; i++ {
					if a := p.t[i*w+j]; a != 0 {
						p.val[p.basic[i]] -= a * delta
					}
				}
			}
		}
	}
	if full {
		for i, b := range p.basic {
			row := p.t[i*w : (i+1)*w]
			v := row[n]
			for j, nb := range p.nonbasic {
				if x := p.val[nb]; x != 0 {
					v -= row[j] * x
				}
			}
			p.val[b] = v
		}
	}
	maxPivots := 50*(n+m) + 1000
	for pivots := 0; ; pivots++ {
		if pivots >= maxPivots || (pivots&31 == 31 && !deadline.IsZero() && time.Now().After(deadline)) {
			return lpUnknown
		}
		z := p.obj[n]
		for j, nb := range p.nonbasic {
			z += p.obj[j] * p.val[nb]
		}
		if z < cutoff {
			return lpCutOff
		}
		// Leaving: the basic variable farthest outside its bounds,
		// relative to its row's weight (dual Devex pricing).
		leave, worst := -1, 0.0
		var target float64
		for i, b := range p.basic {
			lo, up := p.bounds(b)
			x := p.val[b]
			if x < lo-primalTol {
				if d := (lo - x) * (lo - x) / p.wt[i]; d > worst {
					leave, worst, target = i, d, lo
				}
			} else if x > up+primalTol {
				if d := (x - up) * (x - up) / p.wt[i]; d > worst {
					leave, worst, target = i, d, up
				}
			}
		}
		if leave < 0 {
			return lpOptimal
		}
		out := p.basic[leave]
		increase := p.val[out] < target
		row := p.t[leave*w : (leave+1)*w]
		// Entering: the smallest ratio |d_j|/|a_j| among the columns
		// that move the leaving variable toward its bound.
		enter, ratio, size := -1, math.Inf(1), 0.0
		for j, nb := range p.nonbasic {
			lo, up := p.bounds(nb)
			if lo == up {
				continue
			}
			a := row[j]
			if math.Abs(a) < pivotTol {
				continue
			}
			atUp := p.val[nb] == up
			// basic = ... - a·x_nb: raising x_nb lowers it when a > 0.
			if increase != ((a < 0) != atUp) {
				continue
			}
			r := math.Abs(p.obj[j]) / math.Abs(a)
			if r < ratio-1e-12 || (r < ratio+1e-12 && math.Abs(a) > size) {
				enter, ratio, size = j, r, math.Abs(a)
			}
		}
		if enter < 0 {
			return lpInfeasible
		}
		a := row[enter]
		in := p.nonbasic[enter]
		delta := (p.val[out] - target) / a
		p.nz = p.nz[:0]
		wr := p.wt[leave]
		for i := 0; i < m; i++ {
			if f := p.t[i*w+enter]; f != 0 {
				p.nz = append(p.nz, int32(i))
				p.val[p.basic[i]] -= f * delta
				if i != leave {
					p.wt[i] = max(p.wt[i], f*f/(a*a)*wr)
				}
			}
		}
		p.wt[leave] = max(wr/(a*a), 1)
		p.val[in] += delta
		p.val[out] = target
		p.pivot(leave, enter)
	}
}

// pivot exchanges the basic variable of row leave with the nonbasic one
// of column enter (p.nz: the rows where that column is not zero).
//
//go:norace
func (p *dualLP) pivot(leave, enter int) {
	w := p.n + 1
	prow := p.t[leave*w : (leave+1)*w]
	piv := prow[enter]
	for j := range prow {
		prow[j] /= piv
	}
	prow[enter] = 1 / piv
	p.cols = p.cols[:0]
	for j, v := range prow {
		if v != 0 && j != enter {
			p.cols = append(p.cols, int32(j))
		}
	}
	for _, i := range p.nz {
		if int(i) == leave {
			continue
		}
		row := p.t[int(i)*w : (int(i)+1)*w]
		f := row[enter]
		for _, j := range p.cols {
			row[j] -= f * prow[j]
		}
		row[enter] = -f * prow[enter]
	}
	// z = obj[n] + sum_j obj[j]·nonbasic_j, while the rows subtract.
	f := p.obj[enter]
	if f != 0 {
		for _, j := range p.cols {
			p.obj[j] -= f * prow[j]
		}
		p.obj[p.n] += 2 * f * prow[p.n]
		p.obj[enter] = -f * prow[enter]
	}
	out, in := p.basic[leave], p.nonbasic[enter]
	p.basic[leave], p.nonbasic[enter] = in, out
}

// duals returns the row multipliers of the current basis (the reduced
// costs of the slacks, 0 for the basic ones).
func (p *dualLP) duals() []float64 {
	y := make([]float64, p.m)
	for j, v := range p.nonbasic {
		if int(v) >= p.n {
			y[int(v)-p.n] = -p.obj[j]
		}
	}
	return y
}

// dualBound returns an upper bound on c·x over every x with A x ≤ b and
// 0 ≤ x ≤ up, from any row multipliers y (negative ones count as 0): by
// weak duality, c·x ≤ y·b + sum_j up_j·max(0, c_j - (yA)_j). It makes a
// bound independent of rounding in the simplex.
func (p *dualLP) dualBound(y []float64) float64 {
	red := append([]float64(nil), p.c...)
	bound := 0.0
	for i, r := range p.rows {
		yi := y[i]
		if yi <= 0 {
			continue
		}
		bound += yi * r.rhs
		for k, j := range r.col {
			red[j] -= yi * r.coef[k]
		}
	}
	for j, d := range red {
		if d > 0 {
			bound += p.up[j] * d
		}
	}
	return bound
}

// lpRow is one constraint: the sum of coef[k]·x[col[k]] is at most rhs.
type lpRow struct {
	col  []int32
	coef []float64
	rhs  float64
}
