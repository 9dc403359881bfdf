package sqlite_test

import (
	"strings"
	"testing"

	"fabrique/internal/fabrique"
)

// Staff writing registrations through the generic API go through the same
// rules as participants: seats, waiting list, messages.
func TestStaffWritesOfRegistrationsKeepSeatsAndTellParticipants(t *testing.T) {
	f := newFixture(t, 0, 1, 1)
	a, b := f.register(t, "a@exemple.fr", 0), f.register(t, "b@exemple.fr", 0) // b waits for workshop 1
	regs := f.st.Registrations()
	get := func(id int64) *fabrique.Registration {
		r, err := regs.Get(f.ctx, id)
		must(t, err)
		return r
	}
	before := f.messages(t)

	t.Run("a seat the workshop does not have is refused, naming the field, and nothing is written", func(t *testing.T) {
		r := get(b.RegistrationID)
		r.Status = fabrique.RegRegistered
		err := regs.Update(f.ctx, r)
		mustCode(t, err, fabrique.EINVALID)
		if !strings.Contains(err.Error(), "complet") || get(b.RegistrationID).Status != fabrique.RegWaiting || len(f.messages(t)) != len(before) {
			t.Errorf("refusal %v; b is %s; %d messages", err, get(b.RegistrationID).Status, len(f.messages(t)))
		}
	})
	t.Run("moving a to the free workshop updates their calendar and promotes b", func(t *testing.T) {
		r := get(a.RegistrationID)
		r.WorkshopID = &f.workshops[1].ID
		must(t, regs.Update(f.ctx, r))
		if got := get(b.RegistrationID); got.Status != fabrique.RegRegistered {
			t.Errorf("b is %s, want registered", got.Status)
		}
		equal(t, f.messages(t)[len(before):], []string{"a@exemple.fr REQUEST update 1", "b@exemple.fr REQUEST promoted 0"})
	})
	t.Run("cancelling b sends the CANCEL", func(t *testing.T) {
		n := len(f.messages(t))
		r := get(b.RegistrationID)
		r.Status = fabrique.RegCancelled
		must(t, regs.Update(f.ctx, r))
		equal(t, f.messages(t)[n:], []string{"b@exemple.fr CANCEL cancellation 1"})
	})
	t.Run("a registration created on a full workshop is refused; on its waiting list it is told so", func(t *testing.T) {
		n := len(f.messages(t))
		chloe := &fabrique.Person{Name: "Chloé Dupont", Email: "c@exemple.fr", Category: fabrique.CategoryCitizen}
		must(t, f.st.People().Create(f.ctx, chloe))
		c := &fabrique.Registration{EventID: f.event.ID, WorkshopID: &f.workshops[1].ID, PersonID: chloe.ID, Status: fabrique.RegRegistered, Consent: true}
		mustCode(t, regs.Create(f.ctx, c), fabrique.EINVALID)
		c.ID, c.Status = 0, fabrique.RegWaiting
		must(t, regs.Create(f.ctx, c))
		equal(t, f.messages(t)[n:], []string{"c@exemple.fr NOTICE waiting 0"})
	})
	t.Run("deleting a frees their seat for the first waiting and cancels their calendar", func(t *testing.T) {
		n := len(f.messages(t))
		must(t, regs.Delete(f.ctx, a.RegistrationID))
		equal(t, f.messages(t)[n:], []string{"a@exemple.fr CANCEL cancellation 2", "c@exemple.fr REQUEST promoted 0"})
	})
}

// Records of an event that is over (attendance corrected afterwards, a
// registration added for the statistics) tell nobody.
func TestStaffWritesOfAPastEventSendNothing(t *testing.T) {
	f := newFixture(t, 0, 5)
	p := &fabrique.Person{Name: "Camille Participante", Email: "camille@exemple.fr", Category: fabrique.CategoryCitizen}
	must(t, f.st.People().Create(f.ctx, p))
	f.event.Start, f.event.End = f.event.Start.AddDate(-20, 0, 0), f.event.End.AddDate(-20, 0, 0)
	must(t, f.st.Events().Update(f.ctx, f.event))
	r := &fabrique.Registration{EventID: f.event.ID, WorkshopID: &f.workshops[0].ID, PersonID: p.ID, Status: fabrique.RegRegistered, Consent: true}
	must(t, f.st.Registrations().Create(f.ctx, r))
	r.Status = fabrique.RegAttended
	must(t, f.st.Registrations().Update(f.ctx, r))
	r.Status = fabrique.RegCancelled
	must(t, f.st.Registrations().Update(f.ctx, r))
	if msgs := f.messages(t); len(msgs) != 0 {
		t.Errorf("messages for an event that is over: %q", msgs)
	}
}
