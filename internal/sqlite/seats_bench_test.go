package sqlite_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

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
// holds 100, then 10,000 registrations: the cost of one registration must
// not depend on the size of the event (issue 14). "seat": the workshop has
// seats left (an invitation is queued); "waiting": it is full (the waiting
// list's notice, with the rank). Run with a fixed count, so that the event
// does not grow much during the run:
//
//	go test ./internal/sqlite/ -run '^$' -bench RegisterIntoAnEventOf -benchtime 1000x -count 3
func BenchmarkRegisterIntoAnEventOf(b *testing.B) {
	for _, mode := range []string{"seat", "waiting"} {
		for _, size := range []int{100, 10000} {
			b.Run(fmt.Sprintf("%s/%d", mode, size), func(b *testing.B) {
				// The event's registrations fill the first workshops; the
				// benchmark registers into the last one.
				f := benchFixture(b, 5000, 5000, 5000)
				w := f.workshops[2].ID
				if mode == "waiting" {
					f = benchFixture(b, 50)
					w = f.workshops[0].ID
					must(b, f.st.DB().Fill(f.ctx, f.event.ID, w, 50, "registered"))
					must(b, f.st.DB().Fill(f.ctx, f.event.ID, w, size-50, "waiting"))
				} else {
					must(b, f.st.DB().Fill(f.ctx, f.event.ID, f.workshops[0].ID, size/2, "registered"))
					must(b, f.st.DB().Fill(f.ctx, f.event.ID, f.workshops[1].ID, size-size/2, "registered"))
				}
				want := fabrique.RegRegistered
				if mode == "waiting" {
					want = fabrique.RegWaiting
				}
				i := 0
				for b.Loop() {
					rec, err := f.st.Enrolments().Register(context.Background(), f.event.ID, &fabrique.RegistrationRequest{
						Name: fmt.Sprintf("Participant %d", i), Email: fmt.Sprintf("bench-%d@exemple.fr", i), Category: fabrique.CategoryCitizen,
						Organisation: "Association Regards Citoyens", WorkshopID: &w, Consent: true})
					if err != nil {
						b.Fatal(err)
					}
					if rec.Status != want {
						b.Fatalf("registration %d is %s, want %s", i, rec.Status, want)
					}
					i++
				}
			})
		}
	}
}
