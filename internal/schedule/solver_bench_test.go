package schedule

import (
	"testing"
	"time"
)

// BenchmarkSolveSummit solves the generated OGP summit (300 workshops).
func BenchmarkSolveSummit(b *testing.B) {
	inst := GenerateSummit(1)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if res := Solve(inst, Options{}); res.FullyAssigned == 0 {
			b.Fatal("nothing assigned")
		}
	}
}

// BenchmarkSolveMinistereOuvert solves the five-workshop evening.
func BenchmarkSolveMinistereOuvert(b *testing.B) {
	inst := MinistereOuvert()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if res := Solve(inst, Options{}); res.FullyAssigned != 5 {
			b.Fatal("not all assigned")
		}
	}
}

// BenchmarkSolveChain300 solves a 300-workshop programme not on common
// slots (chains of overlaps, mixed lengths) over ten days.
func BenchmarkSolveChain300(b *testing.B) {
	inst := chainProgramme(1, 300, 10)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res := Solve(inst, Options{})
		b.ReportMetric(float64(res.Gap), "gap")
	}
}

// BenchmarkSolveChain20000 solves 20,000 workshops not on common slots
// over ten days (2,000 a day, one coupling group per day) with the
// default time limit; it reports the gap left and its share of the count.
func BenchmarkSolveChain20000(b *testing.B) {
	inst := chainProgramme(1, 20000, 10)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res := Solve(inst, Options{})
		b.ReportMetric(float64(res.Gap), "gap")
		b.ReportMetric(100*float64(res.Gap)/float64(max(1, res.FullyAssigned)), "gap%")
	}
}

// BenchmarkSolveChain20000Limit15s is the same programme given 15 s: the
// answer must come within the limit (and a little), never hang in a phase
// that forgets the clock.
func BenchmarkSolveChain20000Limit15s(b *testing.B) {
	inst := chainProgramme(1, 20000, 10)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res := Solve(inst, Options{TimeLimit: 15 * time.Second})
		b.ReportMetric(float64(res.Gap), "gap")
		b.ReportMetric(100*float64(res.Gap)/float64(max(1, res.FullyAssigned)), "gap%")
	}
}
