package sqlite_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"fabrique/internal/fabrique"
)

// updates returns, for each recipient, the changes told by their updates.
func (f *fixture) updates(t testing.TB) map[string][][]string {
	t.Helper()
	page, err := f.st.Outbox().ListOutbox(f.ctx, fabrique.ListOptions{Limit: 500, Filters: map[string]string{"kind": "update"}})
	must(t, err)
	out := map[string][][]string{}
	for _, m := range page.Items {
		out[m.Recipient] = append(out[m.Recipient], m.Payload.Changes)
	}
	return out
}

// TestChangesAreToldOnceAtTheirRelease moves the evening by 30 minutes,
// item by item as a host would, and changes one workshop's room: nothing
// is sent until the release, which sends each participant one update
// saying what changed for them.
func TestChangesAreToldOnceAtTheirRelease(t *testing.T) {
	f := newFixture(t, 0, 5, 5)
	f.register(t, "a@exemple.fr", 0)
	f.register(t, "b@exemple.fr", 1)
	sent := len(f.messages(t))

	f.event.Start, f.event.End = f.event.Start.Add(30*time.Minute), f.event.End.Add(30*time.Minute)
	must(t, f.st.Events().Update(f.ctx, f.event))
	w := f.workshops[0]
	w.RoomID = &f.rooms[2]
	must(t, f.st.Workshops().Update(f.ctx, w))
	if n := len(f.messages(t)); n != sent {
		t.Fatalf("%d messages sent before the release", n-sent)
	}

	p, err := f.st.Changes().PendingChanges(f.ctx, f.event.ID)
	must(t, err)
	if len(p.Changes) != 2 || p.Participants != 2 || p.DelayMinutes != fabrique.DefaultChangeDelay || p.ReleaseAt == nil {
		t.Fatalf("pending %+v", p)
	}

	r, err := f.st.Changes().ReleaseChanges(f.ctx, f.event.ID)
	must(t, err)
	if r.Changes != 2 || r.Participants != 2 || r.Messages != 2 {
		t.Errorf("release %+v, want 2 changes told to 2 participants in 2 messages", r)
	}
	u := f.updates(t)
	time := "L'horaire passe de 18 h 00 à 18 h 30."
	room := "Votre atelier change de salle : Salle 103 au lieu de Salle 101."
	if len(u["a@exemple.fr"]) != 1 || !slices.Equal(u["a@exemple.fr"][0], []string{time, room}) {
		t.Errorf("a (workshop 1) is told %q", u["a@exemple.fr"])
	}
	if len(u["b@exemple.fr"]) != 1 || !slices.Equal(u["b@exemple.fr"][0], []string{time}) {
		t.Errorf("b (workshop 2) is told %q", u["b@exemple.fr"])
	}
	if p, _ := f.st.Changes().PendingChanges(f.ctx, f.event.ID); len(p.Changes) != 0 {
		t.Errorf("after the release %d changes are still pending", len(p.Changes))
	}
	if r, _ := f.st.Changes().ReleaseChanges(f.ctx, f.event.ID); r.Messages != 0 {
		t.Errorf("a second release sent %d messages", r.Messages)
	}
}

func TestChangesGoByThemselvesAfterTheQuietDelay(t *testing.T) {
	f := newFixture(t, 0, 5)
	f.register(t, "a@exemple.fr", 0)
	f.event.Start, f.event.End = f.event.Start.Add(time.Hour), f.event.End.Add(time.Hour)
	must(t, f.st.Events().Update(f.ctx, f.event))
	sys := fabrique.WithUser(context.Background(), fabrique.System)
	rs, err := f.st.Changes().ReleaseDue(sys, time.Now().Add(14*time.Minute))
	must(t, err)
	if len(rs) != 0 {
		t.Fatalf("released before the quiet delay: %+v", rs)
	}
	rs, err = f.st.Changes().ReleaseDue(sys, time.Now().Add(16*time.Minute))
	must(t, err)
	if len(rs) != 1 || rs[0].Messages != 1 {
		t.Fatalf("after the quiet delay: %+v", rs)
	}

	t.Run("an event whose delay is 0 tells at once", func(t *testing.T) {
		must(t, f.st.Changes().SetChangeSettings(f.ctx, f.event.ID, &fabrique.ChangeSettings{DelayMinutes: 0}))
		before := len(f.updates(t)["a@exemple.fr"])
		f.event.Start, f.event.End = f.event.Start.Add(time.Hour), f.event.End.Add(time.Hour)
		must(t, f.st.Events().Update(f.ctx, f.event))
		if n := len(f.updates(t)["a@exemple.fr"]); n != before+1 {
			t.Errorf("%d updates, want %d", n, before+1)
		}
	})
	t.Run("a delay out of range is refused, naming the field", func(t *testing.T) {
		err := f.st.Changes().SetChangeSettings(f.ctx, f.event.ID, &fabrique.ChangeSettings{DelayMinutes: 5000})
		if fe := fabrique.ErrorFields(err); len(fe) != 1 || fe[0].Field != "delay_minutes" {
			t.Errorf("error %v", err)
		}
	})
}

func TestAReminderGoesOnceBeforeTheEvent(t *testing.T) {
	f := newFixture(t, 0, 1)
	f.register(t, "a@exemple.fr", 0)
	f.register(t, "b@exemple.fr", 0) // the workshop has one seat: b waits
	sys := fabrique.WithUser(context.Background(), fabrique.System)
	day := func(d int) time.Time { return time.Date(2030, time.June, d, 18, 0, 0, 0, fabrique.Paris) }
	reminders := func() []string {
		t.Helper()
		page, err := f.st.Outbox().ListOutbox(f.ctx, fabrique.ListOptions{Limit: 500, Filters: map[string]string{"kind": fabrique.MsgEventSoon}})
		must(t, err)
		var out []string
		for _, m := range page.Items {
			out = append(out, m.Recipient)
		}
		return out
	}
	rs, err := f.st.Changes().RemindDue(sys, day(15)) // three days before
	must(t, err)
	if len(rs) != 0 || len(reminders()) != 0 {
		t.Fatalf("reminded three days before: %+v", rs)
	}
	rs, err = f.st.Changes().RemindDue(sys, day(16)) // two days before, the default
	must(t, err)
	if len(rs) != 1 || rs[0].Participants != 1 || !slices.Equal(reminders(), []string{"a@exemple.fr"}) {
		t.Fatalf("two days before: %+v, to %v (only the registered participant, not the waiting one)", rs, reminders())
	}
	rs, err = f.st.Changes().RemindDue(sys, day(17))
	must(t, err)
	if len(rs) != 0 || len(reminders()) != 1 {
		t.Errorf("a second reminder: %+v", rs)
	}
	if _, err := f.st.Changes().RemindDue(sys, day(19)); err != nil {
		t.Fatal(err)
	}

	t.Run("an event with no reminder, or over, or cancelled, gets none", func(t *testing.T) {
		g := buildFixture(t, f.st, f.ctx, 0, 5)
		g.register(t, "c@exemple.fr", 0)
		must(t, g.st.Changes().SetChangeSettings(g.ctx, g.event.ID, &fabrique.ChangeSettings{DelayMinutes: 15, ReminderDays: 0}))
		h := buildFixture(t, f.st, f.ctx, 0, 5)
		h.register(t, "d@exemple.fr", 0)
		h.event.Status = fabrique.EventCancelled
		must(t, h.st.Events().Update(h.ctx, h.event))
		rs, err := f.st.Changes().RemindDue(sys, day(17))
		must(t, err)
		if len(rs) != 0 {
			t.Errorf("reminded %+v", rs)
		}
		if rs, _ := f.st.Changes().RemindDue(sys, day(19)); len(rs) != 0 {
			t.Errorf("reminded after the start: %+v", rs)
		}
	})
}
