package schedule

import (
	"math"
	"time"
)

// lpProblem is a linear program in the form
//
//	maximise c·x subject to A x ≤ b, x ≥ 0, with b ≥ 0
//
// (the origin is feasible, so the simplex needs no first phase). Rows are
// sparse. u gives, for each column, an upper bound that every solution of
// interest satisfies; it is not a constraint of the program but serves to
// turn any nonnegative row multipliers into a proven upper bound (see
// dualBound), which makes the bound independent of rounding in the simplex.
type lpProblem struct {
	c    []float64
	u    []float64
	rows []lpRow
}

// lpRow is one constraint: the sum of coef[k]·x[col[k]] is at most rhs.
type lpRow struct {
	col  []int32
	coef []float64
	rhs  float64
}

// addCol adds a column with objective coefficient c and upper bound u and
// returns its index.
func (p *lpProblem) addCol(c, u float64) int32 {
	p.c = append(p.c, c)
	p.u = append(p.u, u)
	return int32(len(p.c) - 1)
}

// addRow adds the constraint sum coef·x[col] ≤ rhs.
func (p *lpProblem) addRow(col []int32, coef []float64, rhs float64) {
	p.rows = append(p.rows, lpRow{col, coef, rhs})
}

const lpEps = 1e-9

// solve runs the primal simplex (Dantzig's rule, Bland's rule after a run
// of degenerate pivots) on a dense dictionary until optimality, the
// deadline or maxPivots. It returns the primal solution, the row
// multipliers (duals) and whether it reached optimality.
func (p *lpProblem) solve(deadline time.Time, maxPivots int) (x, duals []float64, ok bool) {
	m, n := len(p.rows), len(p.c)
	// Dictionary: basic_i = t[i][n] - sum_j t[i][j]·nonbasic_j;
	// z = obj[n] + sum_j obj[j]·nonbasic_j.
	w := n + 1
	t := make([]float64, m*w)
	for i, r := range p.rows {
		row := t[i*w : (i+1)*w]
		for k, j := range r.col {
			row[j] += r.coef[k]
		}
		row[n] = r.rhs
	}
	obj := make([]float64, w)
	copy(obj, p.c)
	// Variables 0..n-1 are the columns, n..n+m-1 the slacks.
	nonbasic := make([]int32, n)
	for j := range nonbasic {
		nonbasic[j] = int32(j)
	}
	basic := make([]int32, m)
	for i := range basic {
		basic[i] = int32(n + i)
	}
	degenerate := 0
	nz := make([]int32, 0, m)
	for pivots := 0; ; pivots++ {
		if pivots >= maxPivots || (pivots&63 == 63 && !deadline.IsZero() && time.Now().After(deadline)) {
			return nil, nil, false
		}
		bland := degenerate > 50
		enter := -1
		best := lpEps
		for j := 0; j < n; j++ {
			switch {
			case obj[j] <= lpEps:
			case bland:
				if enter < 0 || nonbasic[j] < nonbasic[enter] {
					enter = j
				}
			case obj[j] > best:
				best, enter = obj[j], j
			}
		}
		if enter < 0 {
			break
		}
		leave := -1
		ratio := math.Inf(1)
		nz = nz[:0]
		for i := 0; i < m; i++ {
			a := t[i*w+enter]
			if a == 0 {
				continue
			}
			nz = append(nz, int32(i))
			if a <= lpEps {
				continue
			}
			r := t[i*w+n] / a
			if r < ratio-lpEps || (r < ratio+lpEps && leave >= 0 && basic[i] < basic[leave]) {
				ratio, leave = r, i
			}
		}
		if leave < 0 {
			return nil, nil, false // unbounded: cannot happen with our rows
		}
		if ratio < lpEps {
			degenerate++
		} else {
			degenerate = 0
		}
		// Pivot on (leave, enter).
		prow := t[leave*w : (leave+1)*w]
		piv := prow[enter]
		for j := range prow {
			prow[j] /= piv
		}
		prow[enter] = 1 / piv
		cols := make([]int32, 0, w)
		for j, v := range prow {
			if v != 0 && j != enter {
				cols = append(cols, int32(j))
			}
		}
		for _, i := range nz {
			if int(i) == leave {
				continue
			}
			row := t[int(i)*w : (int(i)+1)*w]
			f := row[enter]
			for _, j := range cols {
				row[j] -= f * prow[j]
			}
			row[enter] = -f * prow[enter]
			if math.Abs(row[n]) < 1e-12 {
				row[n] = 0
			}
		}
		f := obj[enter]
		for _, j := range cols {
			obj[j] -= f * prow[j]
		}
		obj[enter] = -f * prow[enter]
		basic[leave], nonbasic[enter] = nonbasic[enter], basic[leave]
	}
	x = make([]float64, n)
	for i, b := range basic {
		if int(b) < n {
			x[b] = t[i*w+n]
		}
	}
	duals = make([]float64, m)
	for j, v := range nonbasic {
		if int(v) >= n {
			duals[int(v)-n] = -obj[j]
		}
	}
	return x, duals, true
}

// dualBound returns an upper bound on c·x over every x ≥ 0 with A x ≤ b
// and x ≤ u, from any row multipliers y (negative ones count as 0): by
// weak duality, c·x ≤ y·b + sum_j u_j·max(0, c_j - (yA)_j).
func (p *lpProblem) dualBound(y []float64) float64 {
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
			bound += p.u[j] * d
		}
	}
	return bound
}
