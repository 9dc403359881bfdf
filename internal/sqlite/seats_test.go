package sqlite_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"fabrique/internal/fabrique"
)

// The known-email lookups of Register, as written in enrolment.go.
const (
	knownRegistrationQuery = `SELECT r.id, r.status FROM registrations r JOIN people p ON p.id = r.person_id
			WHERE +r.event_id = ? AND lower(p.email) = lower(?) ORDER BY r.id LIMIT 1`
	knownPersonQuery = `SELECT id FROM people WHERE lower(email) = lower(?) ORDER BY id LIMIT 1`
)

func TestKnownEmailLookupsUseAnIndex(t *testing.T) {
	f := newFixture(t, 0, 5, 5)
	for i := range 30 {
		f.register(t, fmt.Sprintf("p%d@exemple.fr", i), i%2)
	}
	for name, query := range map[string]string{"registration of a known email": knownRegistrationQuery, "person of a known email": knownPersonQuery} {
		t.Run(name, func(t *testing.T) {
			args := []any{"P3@exemple.fr"}
			if query == knownRegistrationQuery {
				args = []any{f.event.ID, "P3@exemple.fr"}
			}
			plan, err := f.st.DB().QueryPlan(f.ctx, query, args...)
			must(t, err)
			if first, _, _ := strings.Cut(plan, "\n"); !strings.Contains(first, "INDEX people_email_lower (<expr>=?)") {
				t.Errorf("the lookup does not start with the person found by people_email_lower:\n%s", plan)
			}
			for _, line := range strings.Split(plan, "\n") {
				if strings.HasPrefix(line, "SCAN") {
					t.Errorf("the lookup scans a table: %q in\n%s", line, plan)
				}
			}
		})
	}
}

// TestSeatCountersMatchARecount runs random registrations, cancellations,
// changes of workshop, promotions, capacity changes, staff writes and
// erasures, and compares the counters with a recount after each step.
func TestSeatCountersMatchARecount(t *testing.T) {
	f := newFixture(t, 12, 3, 4, 5)
	st, ctx := f.st, f.ctx
	rng := rand.New(rand.NewPCG(14, 2026))
	var tokens []string
	done := map[string]int{} // steps that changed something
	ok := func(step string, err error) string {
		if err == nil {
			done[step]++
		}
		return step
	}
	check := func(step string) {
		t.Helper()
		drift, err := st.DB().SeatCountersDrift(ctx)
		must(t, err)
		if len(drift) > 0 {
			t.Fatalf("after %s: %s", step, strings.Join(drift, "; "))
		}
	}
	check("the fixture")
	for i := range 300 {
		var step string
		switch op := rng.IntN(10); {
		case op < 4 || len(tokens) == 0:
			email := fmt.Sprintf("p%d@exemple.fr", rng.IntN(60))
			rec := f.register(t, email, rng.IntN(len(f.workshops)))
			tokens = append(tokens, rec.Token)
			step = "registration of " + email
		case op < 6:
			_, err := st.Enrolments().CancelRegistration(context.Background(), tokens[rng.IntN(len(tokens))])
			if c := fabrique.ErrorCode(err); c != fabrique.ENOTFOUND && c != fabrique.ECONFLICT {
				must(t, err)
			}
			step = ok("cancellation", err)
		case op == 6:
			w := f.workshops[rng.IntN(len(f.workshops))]
			_, err := st.Enrolments().ChangeWorkshop(context.Background(), tokens[rng.IntN(len(tokens))],
				fabrique.WorkshopChange{WorkshopID: w.ID, Wait: rng.IntN(2) == 0})
			if c := fabrique.ErrorCode(err); c != fabrique.ECONFLICT && c != fabrique.ENOTFOUND {
				must(t, err)
			}
			step = ok("change of workshop", err)
		case op == 7:
			w, err := st.Workshops().Get(ctx, f.workshops[rng.IntN(len(f.workshops))].ID)
			must(t, err)
			w.Capacity = max(1, w.Capacity+rng.IntN(5)-2)
			err = st.Workshops().Update(ctx, w)
			if fabrique.ErrorCode(err) != fabrique.EINVALID {
				must(t, err)
			}
			step = ok("workshop capacity", err)
		case op == 8:
			ev, err := st.Events().Get(ctx, f.event.ID)
			must(t, err)
			ev.Capacity = max(1, ev.Capacity+rng.IntN(5)-2)
			err = st.Events().Update(ctx, ev)
			if fabrique.ErrorCode(err) != fabrique.EINVALID {
				must(t, err)
			}
			step = ok("event capacity", err)
		default:
			token := tokens[rng.IntN(len(tokens))]
			if rng.IntN(2) == 0 {
				_, err := st.Privacy().EraseParticipant(context.Background(), token)
				if fabrique.ErrorCode(err) != fabrique.ENOTFOUND {
					must(t, err)
				}
				step = ok("erasure", err)
			} else {
				page, err := st.Registrations().List(ctx, fabrique.ListOptions{Limit: 500})
				must(t, err)
				r := page.Items[rng.IntN(len(page.Items))]
				r.Status = []fabrique.RegistrationStatus{fabrique.RegCancelled, fabrique.RegWaiting, fabrique.RegRegistered, fabrique.RegAttended}[rng.IntN(4)]
				w := f.workshops[rng.IntN(len(f.workshops))].ID
				r.WorkshopID = &w
				err = st.Registrations().Update(ctx, r)
				if c := fabrique.ErrorCode(err); c != fabrique.EINVALID && c != fabrique.ECONFLICT {
					must(t, err)
				}
				step = ok("staff write of a registration", err)
			}
		}
		check(fmt.Sprintf("step %d (%s)", i, step))
	}
	page, err := st.Registrations().List(ctx, fabrique.ListOptions{Limit: 500})
	must(t, err)
	seen := map[fabrique.RegistrationStatus]int{}
	for _, r := range page.Items {
		seen[r.Status]++
	}
	t.Logf("registrations at the end: %v; steps that changed something: %v", seen, done)
	for _, step := range []string{"cancellation", "change of workshop", "workshop capacity", "event capacity", "erasure", "staff write of a registration"} {
		if done[step] == 0 {
			t.Errorf("no %s went through: the steps did not cover it", step)
		}
	}
	for _, s := range []fabrique.RegistrationStatus{fabrique.RegRegistered, fabrique.RegWaiting, fabrique.RegCancelled} {
		if seen[s] == 0 {
			t.Errorf("no registration ended %s: the steps did not cover it", s)
		}
	}
}

func TestSeatCountersMatchARecountAfterAnAllocationByRankedChoices(t *testing.T) {
	f := newFixture(t, 0, 3, 4, 5)
	must(t, f.st.Enrolments().SetSettings(f.ctx, &fabrique.RegistrationSettings{EventID: f.event.ID, Allocation: fabrique.AllocPreference}))
	rng := rand.New(rand.NewPCG(14, 4))
	for i := range 30 {
		choices := []int64{}
		for _, k := range rng.Perm(3)[:1+rng.IntN(3)] {
			choices = append(choices, f.workshops[k].ID)
		}
		_, err := f.st.Enrolments().Register(context.Background(), f.event.ID, &fabrique.RegistrationRequest{Name: "P", Email: fmt.Sprintf("p%d@exemple.fr", i),
			Category: fabrique.CategoryCitizen, Choices: choices, Consent: true})
		must(t, err)
	}
	_, err := f.st.Enrolments().Allocate(f.ctx, f.event.ID)
	must(t, err)
	drift, err := f.st.DB().SeatCountersDrift(f.ctx)
	must(t, err)
	if len(drift) > 0 {
		t.Fatalf("after the allocation: %s", strings.Join(drift, "; "))
	}
	form, err := f.st.Enrolments().RegistrationForm(context.Background(), f.event.ID)
	must(t, err)
	for _, w := range form.Workshops {
		if w.Registered != w.Capacity || w.Registered+w.Waiting == 0 {
			t.Errorf("workshop %d after the allocation: %+v", w.ID, w)
		}
	}
}
