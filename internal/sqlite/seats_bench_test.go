package sqlite_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"fabrique/internal/fabrique"
	"fabrique/internal/sqlite"
)

// benchFixture is newFixture for a benchmark: a real file in b.TempDir().
func benchFixture(b *testing.B, capacities ...int) *fixture {
	ctx := fabrique.WithUser(context.Background(), fabrique.System)
	db, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "fabrique.db"))
	must(b, err)
	b.Cleanup(func() { db.Close() })
	return buildFixture(b, sqlite.NewStore(db), ctx, 0, capacities...)
}

// BenchmarkRegisterIntoAnEventOf registers into an event that already
// holds 100 and into one that holds 10,000 registrations, in turns (the
// noise of a busy machine hits both alike): the cost of one registration
// must not depend on the size of the event (issue 14: less than 20 %
// apart). "seat": the workshop has seats left (an invitation is queued);
// "waiting": it is full (the waiting list's notice, with the rank). It
// reports the time of one registration in each and their ratio. Run with a
// fixed count, so that the events do not grow much during the run:
//
//	go test ./internal/sqlite/ -run '^$' -bench RegisterIntoAnEventOf -benchtime 1000x -count 3
func BenchmarkRegisterIntoAnEventOf(b *testing.B) {
	for _, mode := range []string{"seat", "waiting"} {
		b.Run(mode, func(b *testing.B) {
			type target struct {
				f        *fixture
				workshop int64
				elapsed  time.Duration
			}
			var targets []*target
			for _, size := range []int{100, 10000} {
				// The event's registrations fill the first workshops; the
				// benchmark registers into the last one.
				t := &target{}
				if mode == "waiting" {
					t.f = benchFixture(b, 50)
					t.workshop = t.f.workshops[0].ID
					must(b, t.f.st.DB().Fill(t.f.ctx, t.f.event.ID, t.workshop, 50, "registered"))
					must(b, t.f.st.DB().Fill(t.f.ctx, t.f.event.ID, t.workshop, size-50, "waiting"))
				} else {
					t.f = benchFixture(b, 5000, 5000, 5000)
					t.workshop = t.f.workshops[2].ID
					must(b, t.f.st.DB().Fill(t.f.ctx, t.f.event.ID, t.f.workshops[0].ID, size/2, "registered"))
					must(b, t.f.st.DB().Fill(t.f.ctx, t.f.event.ID, t.f.workshops[1].ID, size-size/2, "registered"))
				}
				targets = append(targets, t)
			}
			want := fabrique.RegRegistered
			if mode == "waiting" {
				want = fabrique.RegWaiting
			}
			i := 0
			for b.Loop() {
				for _, t := range targets {
					t0 := time.Now()
					rec, err := t.f.st.Enrolments().Register(context.Background(), t.f.event.ID, &fabrique.RegistrationRequest{
						Name: fmt.Sprintf("Participant %d", i), Email: fmt.Sprintf("bench-%d@exemple.fr", i), Category: fabrique.CategoryCitizen,
						Organisation: "Association Regards Citoyens", WorkshopID: &t.workshop, Consent: true})
					t.elapsed += time.Since(t0)
					if err != nil {
						b.Fatal(err)
					}
					if rec.Status != want {
						b.Fatalf("registration %d is %s, want %s", i, rec.Status, want)
					}
				}
				i++
			}
			small, large := targets[0].elapsed.Seconds()/float64(i), targets[1].elapsed.Seconds()/float64(i)
			b.ReportMetric(small*1e6, "µs/reg@100")
			b.ReportMetric(large*1e6, "µs/reg@10000")
			b.ReportMetric(large/small, "ratio")
		})
	}
}

// BenchmarkRushOfRegistrations sends 4,000 simultaneous registrations to
// one event of 60 seats in 3 workshops through the store (the group
// commit), as make load does through HTTP, and reports registrations per
// second:
//
//	go test ./internal/sqlite/ -run '^$' -bench RushOfRegistrations -benchtime 1x -count 5
func BenchmarkRushOfRegistrations(b *testing.B) {
	const n = 4000
	var elapsed time.Duration
	var done int
	for b.Loop() {
		b.StopTimer()
		f := benchFixture(b, 20, 20, 20)
		b.StartTimer()
		t0 := time.Now()
		var wg sync.WaitGroup
		var registered, waiting atomic.Int64
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				w := f.workshops[i%3].ID
				rec, err := f.st.Enrolments().Register(context.Background(), f.event.ID, &fabrique.RegistrationRequest{
					Name: fmt.Sprintf("Participant %d", i), Email: fmt.Sprintf("rush-%d@exemple.fr", i), Category: fabrique.CategoryCitizen,
					Organisation: "Association Regards Citoyens", WorkshopID: &w, Consent: true})
				switch {
				case err != nil:
					b.Error(err)
				case rec.Status == fabrique.RegRegistered:
					registered.Add(1)
				case rec.Status == fabrique.RegWaiting:
					waiting.Add(1)
				}
			}()
		}
		wg.Wait()
		elapsed += time.Since(t0)
		done += n
		if registered.Load() != 60 || waiting.Load() != n-60 {
			b.Fatalf("%d registered and %d waiting, want 60 and %d", registered.Load(), waiting.Load(), n-60)
		}
	}
	b.ReportMetric(float64(done)/elapsed.Seconds(), "registrations/s")
}
