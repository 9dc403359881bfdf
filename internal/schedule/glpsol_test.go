package schedule

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
	"time"
)

const glpsolPath = "/usr/bin/glpsol"

var glpsolObjective = regexp.MustCompile(`(?m)^Objective:\s+\S+\s*=\s*(-?[0-9.eE+]+)`)
var glpsolStatus = regexp.MustCompile(`(?m)^Status:\s+(.+?)\s*$`)

// glpsolOptimum writes inst as LP, solves it with glpsol and returns the
// optimal objective value and the solver's wall time.
func glpsolOptimum(t testing.TB, inst *Instance) (int, time.Duration) {
	t.Helper()
	return glpsolSolve(t, inst, false)
}

// glpsolSolve solves the LP of inst (lexicographic: see writeLP) with
// glpsol and returns the optimal objective value and the wall time.
func glpsolSolve(t testing.TB, inst *Instance, lexicographic bool) (int, time.Duration) {
	t.Helper()
	if _, err := os.Stat(glpsolPath); err != nil {
		t.Fatalf("glpsol introuvable (%v) : installez GLPK avec « apt-get install -y glpk-utils »", err)
	}
	dir := t.TempDir()
	lpFile, outFile := filepath.Join(dir, "instance.lp"), filepath.Join(dir, "solution.txt")
	var buf bytes.Buffer
	if err := writeLP(&buf, inst, lexicographic); err != nil {
		t.Fatalf("WriteLP: %v", err)
	}
	if err := os.WriteFile(lpFile, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	begin := time.Now()
	out, err := exec.Command(glpsolPath, "--lp", lpFile, "-o", outFile).CombinedOutput()
	elapsed := time.Since(begin)
	if err != nil {
		t.Fatalf("glpsol failed: %v\n%s", err, out)
	}
	sol, err := os.ReadFile(outFile)
	if err != nil {
		t.Fatal(err)
	}
	st := glpsolStatus.FindSubmatch(sol)
	if st == nil || string(st[1]) != "INTEGER OPTIMAL" {
		t.Fatalf("glpsol did not prove optimality: status %q\n%s", st, out)
	}
	obj := glpsolObjective.FindSubmatch(sol)
	if obj == nil {
		t.Fatalf("no objective in glpsol output:\n%s", sol)
	}
	v, err := strconv.ParseFloat(string(obj[1]), 64)
	if err != nil {
		t.Fatal(err)
	}
	return int(v + 0.5), elapsed
}

// TestSolveMatchesGlpsol compares Solve with the exact optimum found by
// glpsol on the LP of generated instances: the counts must be equal and the
// reported upper bound must not be below the optimum.
func TestSolveMatchesGlpsol(t *testing.T) {
	type tc struct {
		name string
		inst *Instance
		// hard: drawn at each run; below the optimum is accepted when the
		// answer says so (optimal false, a gap): the exact search may run
		// out of time on a loaded machine. Logged with its seed. Every
		// other case must be exact.
		hard bool
		// proof: the answer must also prove it (optimal true).
		proof bool
	}
	var cases []tc
	cases = append(cases, tc{"summit seed 1", GenerateSummit(1), false, false})
	for seed := int64(1); seed <= 4; seed++ {
		cases = append(cases, tc{fmt.Sprintf("small seed %d", seed), GenerateSmall(seed, 60), false, false})
	}
	for seed := int64(1); seed <= 40; seed++ {
		// Scarce rooms and facilitators, aligned slots.
		cases = append(cases, tc{fmt.Sprintf("scarce seed %d", seed), randomInstance(seed, 20+int(seed%11), 5, 8+int(seed%5), 4, false), false, false})
	}
	cases = append(cases, tc{"greedy trap seed 59", randomInstance(59, 20, 5, 8, 4, false), false, false})
	cases = append(cases, tc{"Ministère ouvert", MinistereOuvert(), false, false})
	// Not on common slots: chains of overlaps, mixed lengths, clock-change
	// days, times in UTC. Fixed seeds, then seeds drawn now (logged so
	// that a failure can be replayed with FABRIQUE_CHAIN_SEED).
	// Each must be proven optimal.
	for seed := int64(1); seed <= 16; seed++ {
		cases = append(cases, tc{fmt.Sprintf("chain seed %d", seed), chainInstance(seed, 15+int(seed*7%26)), false, true})
	}
	for _, seed := range []int64{24, 31, 84, 104, 122, 202, 197, 288, 289, 420, 538} {
		// Programmes of the 600-seed sweep (TestGlpsolSweep) that the
		// chronological search left below the optimum (288, 538) or
		// without proof, or that the branch and bound takes longest on.
		cases = append(cases, tc{fmt.Sprintf("sweep seed %d", seed), chainInstance(seed, 15+int(seed*7%46)), false, true})
	}
	for seed := int64(100); seed < 130; seed++ {
		// Tiny evenings: 5 to 8 workshops, 2 rooms, 3 or 4 facilitators.
		cases = append(cases, tc{fmt.Sprintf("tiny chain seed %d", seed), chainInstance(seed, 5+int(seed%4)), false, true})
	}
	for _, seed := range chainSeeds(t, 4) {
		cases = append(cases, tc{fmt.Sprintf("chain seed %d (drawn)", seed), chainInstance(seed, 15+int(seed%26)), true, false})
	}
	proven := 0
	for _, c := range cases {
		begin := time.Now()
		o := Options{}
		if c.hard {
			o.TimeLimit = 2 * time.Second // an announced gap is accepted
		}
		if c.proof {
			// Proven in 2 s at most without the race detector; it and a
			// loaded machine make the search up to 20 times slower.
			o.TimeLimit = time.Minute
		}
		res := Solve(c.inst, o)
		solved := time.Since(begin)
		checkResult(t, c.inst, res)
		opt, took := glpsolOptimum(t, c.inst)
		switch {
		case res.Optimal && res.FullyAssigned != opt:
			t.Errorf("%s: Solve assigned %d and claims optimality, glpsol optimum %d", c.name, res.FullyAssigned, opt)
		case res.FullyAssigned > opt || res.UpperBound < opt:
			t.Errorf("%s: %d assigned, bound %d, around the optimum %d", c.name, res.FullyAssigned, res.UpperBound, opt)
		case res.FullyAssigned != opt && !c.hard:
			t.Errorf("%s: Solve assigned %d, glpsol optimum %d", c.name, res.FullyAssigned, opt)
		case res.FullyAssigned != opt:
			t.Logf("%s: %d assigned below the optimum %d, gap %d announced", c.name, res.FullyAssigned, opt, res.Gap)
		case !res.Optimal && c.proof:
			t.Errorf("%s: the optimum %d is reached but not proven (bound %d)", c.name, opt, res.UpperBound)
		case !res.Optimal:
			t.Logf("%s: the optimum %d is reached but not proven (bound %d)", c.name, opt, res.UpperBound)
		}
		if res.Optimal {
			proven++
		}
		t.Logf("%s: %d/%d assigned (bound %d, optimal %v) in %v, glpsol %v", c.name, res.FullyAssigned, res.Workshops, res.UpperBound, res.Optimal, solved, took)
	}
	t.Logf("optimality proven on %d of %d instances", proven, len(cases))
}

// chainSeeds returns FABRIQUE_CHAIN_SEED when set, or n seeds drawn from
// the clock; they are logged.
func chainSeeds(t *testing.T, n int) []int64 {
	if v := os.Getenv("FABRIQUE_CHAIN_SEED"); v != "" {
		seed, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			t.Fatalf("FABRIQUE_CHAIN_SEED=%q: %v", v, err)
		}
		return []int64{seed}
	}
	seeds := make([]int64, n)
	base := time.Now().UnixNano()
	for i := range seeds {
		seeds[i] = (base + int64(i)*7919) % 1_000_000_007
	}
	t.Logf("drawn seeds %v (replay one with FABRIQUE_CHAIN_SEED=<seed>)", seeds)
	return seeds
}

func TestWriteLPShape(t *testing.T) {
	inst := evening(2, 1, 2)
	inst.Workshops[1].Room = "r1"
	inst.Workshops[1].Facilitators = []string{"p2"}
	var buf bytes.Buffer
	if err := WriteLP(&buf, inst); err != nil {
		t.Fatal(err)
	}
	lp := buf.String()
	for _, want := range []string{"Maximize\n obj: + x_0 + x_1\n", "room_0: + y_0_0 - x_0", "staff_1: + z_1_0 + z_1_1 - 1 x_1",
		"pin_1_1: z_1_1 - x_1 = 0", "rc_0_0: + y_0_0 + y_1_0 <= 1", "Binaries", "End"} {
		if !bytes.Contains([]byte(lp), []byte(want)) {
			t.Errorf("LP lacks %q:\n%s", want, lp)
		}
	}
	if opt, _ := glpsolOptimum(t, inst); opt != 1 {
		t.Errorf("glpsol optimum %d, want 1 (one room)", opt)
	}
}

// TestPreferenceMatchesGlpsol checks the secondary objective against glpsol
// with the lexicographic objective count·M + placements of people carrying
// the workshop's commitments: the count must be the optimum and the
// placements within 2 % of the optimum (and never above it).
func TestPreferenceMatchesGlpsol(t *testing.T) {
	type tc struct {
		name string
		inst *Instance
	}
	var cases []tc
	for seed := int64(1); seed <= 6; seed++ {
		p := SummitParams()
		p.Days, p.Workshops, p.Rooms, p.Facilitators, p.Organisations = 1, 24+int(seed%3)*8, 14, 16+int(seed%4)*2, 8
		cases = append(cases, tc{fmt.Sprintf("scarce summit day seed %d", seed), Generate(seed, p)})
	}
	cases = append(cases, tc{"Ministère ouvert", MinistereOuvert()})
	for _, seed := range []int64{1, 2, 4, 5, 24, 31, 84, 288} {
		// Not on common slots: placements were 7 where 34 were
		// possible (seed 24), 17 for 51, 6 for 36, 14 for 39.
		cases = append(cases, tc{fmt.Sprintf("sweep seed %d", seed), chainInstance(seed, 15+int(seed*7%46))})
	}
	for _, c := range cases {
		bigM := 1
		for i := range c.inst.Workshops {
			bigM += c.inst.Workshops[i].needed()
		}
		res := Solve(c.inst, Options{})
		checkResult(t, c.inst, res)
		obj, took := glpsolSolve(t, c.inst, true)
		count, pref := obj/bigM, obj%bigM
		if res.FullyAssigned != count {
			t.Errorf("%s: %d assigned, lexicographic optimum %d", c.name, res.FullyAssigned, count)
			continue
		}
		if res.Preferred > pref || res.PreferredBound < pref || float64(res.Preferred) < 0.98*float64(pref) {
			t.Errorf("%s: %d preferred placements (bound %d), glpsol %d", c.name, res.Preferred, res.PreferredBound, pref)
		}
		t.Logf("%s: %d assigned, %d preferred placements (bound %d), glpsol %d in %v", c.name, count, res.Preferred, res.PreferredBound, pref, took)
	}
}

// TestGlpsolSweep compares Solve with glpsol on FABRIQUE_GLPSOL_SWEEP
// programmes not on common slots (15 to 60 workshops over 1 to 3 days,
// seeds 1 to N): every count must be the optimum. It logs the figures:
// counts at and below the optimum, answers proven optimal. It runs 40
// programmes unless the variable asks for more (the preferred placements
// are compared on fewer programmes in TestPreferenceMatchesGlpsol: with
// the lexicographic objective glpsol takes minutes on some of these):
//
//	FABRIQUE_GLPSOL_SWEEP=500 go test ./internal/schedule -run GlpsolSweep -v
//
// (glpsol itself takes more than 20 minutes on seed 551.)
func TestGlpsolSweep(t *testing.T) {
	n := 40
	if v := os.Getenv("FABRIQUE_GLPSOL_SWEEP"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n <= 0 {
			t.Fatalf("FABRIQUE_GLPSOL_SWEEP=%q : un nombre de programmes positif est attendu", v)
		}
	}
	equal, below, proven := 0, 0, 0
	var slowest, glpsolSlowest time.Duration
	for seed := int64(1); seed <= int64(n); seed++ {
		inst := chainInstance(seed, 15+int(seed*7%46))
		begin := time.Now()
		// A minute: the race detector or a loaded machine may make a
		// search of 2 s (the slowest of 600 programmes) take ten times
		// longer; the slowest time is logged.
		res := Solve(inst, Options{TimeLimit: time.Minute})
		took := time.Since(begin)
		checkResult(t, inst, res)
		opt, gt := glpsolOptimum(t, inst)
		slowest, glpsolSlowest = max(slowest, took), max(glpsolSlowest, gt)
		switch {
		case res.Optimal && res.FullyAssigned != opt, res.FullyAssigned > opt, res.UpperBound < opt:
			t.Errorf("seed %d: %d assigned, bound %d, optimal %v, glpsol %d", seed, res.FullyAssigned, res.UpperBound, res.Optimal, opt)
		case res.FullyAssigned == opt:
			equal++
		default:
			below++
			t.Errorf("seed %d (%d workshops): %d assigned, glpsol %d, gap %d announced", seed, len(inst.Workshops), res.FullyAssigned, opt, res.Gap)
		}
		if res.Optimal {
			proven++
		}
	}
	t.Logf("%d programmes: %d at the optimum, %d below; %d proven optimal (%.0f %%); slowest %v (glpsol %v)",
		n, equal, below, proven, 100*float64(proven)/float64(n), slowest, glpsolSlowest)
}
