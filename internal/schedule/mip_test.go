package schedule

import (
	"bytes"
	"fmt"
	"math"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// rootValue solves the relaxation of every group of inst with the dual
// simplex of the branch and bound and returns the sum of their optima.
func rootValue(t *testing.T, inst *Instance) float64 {
	t.Helper()
	m := newModel(inst)
	total := 0.0
	for _, ws := range m.groupMembers() {
		p := newMIP(m, ws)
		p.lp.start()
		if st := p.lp.solve(math.Inf(-1), time.Time{}); st != lpOptimal {
			t.Fatalf("relaxation not solved: status %d", st)
		}
		for _, c := range p.xcol {
			total += p.lp.value(c)
		}
	}
	return total
}

// glpsolRelaxation solves the LP of WriteLP without its integrality
// section with glpsol and returns its optimum.
func glpsolRelaxation(t *testing.T, inst *Instance) float64 {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteLP(&buf, inst); err != nil {
		t.Fatal(err)
	}
	lp := buf.String()
	lp = lp[:strings.Index(lp, "Binaries\n")] + "Bounds\n"
	for _, line := range strings.Split(buf.String()[strings.Index(buf.String(), "Binaries\n")+len("Binaries\n"):], "\n") {
		if v := strings.TrimSpace(line); v != "" && v != "End" {
			lp += " 0 <= " + v + " <= 1\n"
		}
	}
	lp += "End\n"
	dir := t.TempDir()
	in, out := filepath.Join(dir, "relaxation.lp"), filepath.Join(dir, "solution.txt")
	if err := os.WriteFile(in, []byte(lp), 0o644); err != nil {
		t.Fatal(err)
	}
	if msg, err := exec.Command(glpsolPath, "--lp", in, "-o", out).CombinedOutput(); err != nil {
		t.Fatalf("glpsol: %v\n%s", err, msg)
	}
	sol, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if st := glpsolStatus.FindSubmatch(sol); st == nil || string(st[1]) != "OPTIMAL" {
		t.Fatalf("glpsol did not solve the relaxation: %q", st)
	}
	obj := glpsolObjective.FindSubmatch(sol)
	v, err := strconv.ParseFloat(string(obj[1]), 64)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestRelaxationMatchesGlpsol checks the dual simplex against glpsol: the
// linear relaxation of each programme (rooms merged into classes, which
// changes nothing by symmetry) has glpsol's optimum.
func TestRelaxationMatchesGlpsol(t *testing.T) {
	cases := map[string]*Instance{"Ministère ouvert": MinistereOuvert(), "small seed 1": GenerateSmall(1, 40)}
	for _, seed := range []int64{1, 2, 3, 7, 197, 288, 538} {
		cases[fmt.Sprintf("sweep seed %d", seed)] = chainInstance(seed, 15+int(seed*7%46))
	}
	for name, inst := range cases {
		got, want := rootValue(t, inst), glpsolRelaxation(t, inst)
		if math.Abs(got-want) > 1e-6 {
			t.Errorf("%s: relaxation %.6f, glpsol %.6f", name, got, want)
		}
	}
}

// TestWarmStartEqualsColdStart checks the branch and bound's reuse of the
// last basis: after random bound changes (workshops, rooms and people
// fixed in or out, then released), the reoptimised relaxation has the
// optimum and the status of the same relaxation solved from scratch.
func TestWarmStartEqualsColdStart(t *testing.T) {
	for _, seed := range []int64{3, 24, 288} {
		inst := chainInstance(seed, 15+int(seed*7%46))
		m := newModel(inst)
		for _, ws := range m.groupMembers() {
			warm := newMIP(m, ws)
			warm.lp.start()
			rng := rand.New(rand.NewSource(seed))
			n := len(warm.lp.c)
			var fixed []int32
			for step := 0; step < 25; step++ {
				if len(fixed) > 0 && rng.Intn(3) == 0 {
					// Release one: its bounds come back.
					k := rng.Intn(len(fixed))
					j := fixed[k]
					warm.lp.lo[j], warm.lp.up[j] = 0, 1
					fixed = append(fixed[:k], fixed[k+1:]...)
				} else {
					j := int32(rng.Intn(n))
					if warm.lp.lo[j] == warm.lp.up[j] {
						continue // already fixed
					}
					if rng.Intn(2) == 0 {
						warm.lp.lo[j] = 1
					} else {
						warm.lp.up[j] = 0
					}
					fixed = append(fixed, j)
				}
				st := warm.lp.solve(math.Inf(-1), time.Time{})
				cold := newMIP(m, ws)
				copy(cold.lp.lo, warm.lp.lo)
				copy(cold.lp.up, warm.lp.up)
				cold.lp.start()
				cst := cold.lp.solve(math.Inf(-1), time.Time{})
				if st != cst {
					t.Fatalf("seed %d step %d: warm status %d, cold %d", seed, step, st, cst)
				}
				if st != lpOptimal {
					continue
				}
				wv, cv := objective(warm), objective(cold)
				if math.Abs(wv-cv) > 1e-6 {
					t.Fatalf("seed %d step %d: warm optimum %.6f, cold %.6f", seed, step, wv, cv)
				}
				for j := range warm.lp.c {
					if v := warm.lp.value(int32(j)); v < warm.lp.lo[j]-1e-6 || v > warm.lp.up[j]+1e-6 {
						t.Fatalf("seed %d step %d: column %d = %v outside [%v, %v]", seed, step, j, v, warm.lp.lo[j], warm.lp.up[j])
					}
				}
			}
		}
	}
}

// objective is the count of the current solution of p's relaxation.
func objective(p *mip) float64 {
	v := 0.0
	for _, c := range p.xcol {
		v += p.lp.value(c)
	}
	return v
}

// TestWindowsImproveLargeGroups checks the search for groups too large
// for one program: on a 300-workshop programme over three days (about
// 100 linked workshops a day), the programs of windows, the other
// workshops fixed, place more workshops than the insertion and the local
// search, and what they install respects every rule.
func TestWindowsImproveLargeGroups(t *testing.T) {
	inst := chainProgramme(6, 300, 3)
	m := newModel(inst)
	s := newState(m)
	bounds := s.upperBounds()
	s.greedy()
	s.localSearch(bounds, time.Time{})
	before := s.count
	members, cliques := m.groupsOf()
	large := 0
	for g, ws := range members {
		if cliques[g] || !newMIP(m, ws).tooLarge() {
			continue
		}
		large++
		s.windowSearch(ws, bounds[g], time.Time{})
	}
	if large == 0 {
		t.Fatal("no group too large for one program: the test no longer tests windows")
	}
	if s.count <= before {
		t.Errorf("windows placed %d workshops, the local search alone %d", s.count, before)
	}
	s.fill()
	checkResult(t, inst, s.result(sumBounds(bounds)))
	t.Logf("%d groups too large; %d placed by the local search, %d with the windows", large, before, s.count)
}
