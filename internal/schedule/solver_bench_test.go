package schedule

import "testing"

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
