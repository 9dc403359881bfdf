package sqlite_test

import (
	"context"

	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"fabrique/internal/demo"
	"fabrique/internal/fabrique"
	"fabrique/internal/sqlite"
)

// fixture is a published Ministère ouvert in the future with its workshops.
type fixture struct {
	st        *sqlite.Store
	ctx       context.Context
	event     *fabrique.Event
	workshops []*fabrique.Workshop
	rooms     []int64
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// newFixture creates an event of 18 June 2030 with one workshop per capacity.
func newFixture(t testing.TB, eventCapacity int, capacities ...int) *fixture {
	t.Helper()
	st, ctx := openStore(t.(*testing.T))
	return buildFixture(t, st, ctx, eventCapacity, capacities...)
}

func buildFixture(t testing.TB, st *sqlite.Store, ctx context.Context, eventCapacity int, capacities ...int) *fixture {
	f := &fixture{st: st, ctx: ctx}
	org := &fabrique.Organisation{Name: fmt.Sprintf("Ministère des essais %d", time.Now().UnixNano()), Kind: fabrique.OrgMinistry}
	must(t, st.Organisations().Create(ctx, org))
	venue := &fabrique.Venue{Name: "Hôtel de Rothelin-Charolais", Address: "101 rue de Grenelle, 75007 Paris", City: "Paris", HostOrganisationID: &org.ID}
	must(t, st.Venues().Create(ctx, venue))
	for i := 0; i < len(capacities)+1; i++ {
		r := &fabrique.Room{VenueID: venue.ID, Name: fmt.Sprintf("Salle %d", 101+i), Capacity: 40}
		must(t, st.Rooms().Create(ctx, r))
		f.rooms = append(f.rooms, r.ID)
	}
	at := func(h, m int) time.Time { return time.Date(2030, time.June, 18, h, m, 0, 0, fabrique.Paris) }
	f.event = &fabrique.Event{Kind: fabrique.EventOpenMinistry, Title: "Ministère ouvert #9", HostOrganisationID: org.ID,
		Status: fabrique.EventPublished, VenueID: &venue.ID, Start: at(18, 0), End: at(20, 15), Capacity: eventCapacity}
	must(t, st.Events().Create(ctx, f.event))
	must(t, st.Items().Create(ctx, &fabrique.ProgrammeItem{EventID: f.event.ID, Kind: fabrique.ItemOpening, Title: "Ouverture", Start: at(18, 0), End: at(18, 20),
		RoomID: &f.rooms[len(f.rooms)-1]})) // the plenary room, where participants arrive
	slot := &fabrique.ProgrammeItem{EventID: f.event.ID, Kind: fabrique.ItemWorkshops, Title: "Ateliers", Start: at(18, 20), End: at(19, 20)}
	must(t, st.Items().Create(ctx, slot))
	for i, c := range capacities {
		w := &fabrique.Workshop{EventID: f.event.ID, ItemID: slot.ID, Number: i + 1, Title: fmt.Sprintf("Atelier des données %d", i+1), RoomID: &f.rooms[i], Capacity: c}
		must(t, st.Workshops().Create(ctx, w))
		f.workshops = append(f.workshops, w)
	}
	return f
}

func (f *fixture) register(t testing.TB, email string, workshop int) *fabrique.RegistrationReceipt {
	t.Helper()
	rec, err := f.st.Enrolments().Register(context.Background(), f.event.ID, &fabrique.RegistrationRequest{
		Name: "Personne " + email, Email: email, Category: fabrique.CategoryCitizen, Organisation: "Association Regards Citoyens",
		WorkshopID: &f.workshops[workshop].ID, Consent: true})
	must(t, err)
	return rec
}

// messages lists the outbox as "recipient METHOD kind seq".
func (f *fixture) messages(t testing.TB) []string {
	t.Helper()
	page, err := f.st.Outbox().ListOutbox(f.ctx, fabrique.ListOptions{Limit: 500})
	must(t, err)
	var out []string
	for i := len(page.Items) - 1; i >= 0; i-- {
		m := page.Items[i]
		out = append(out, fmt.Sprintf("%s %s %s %d", m.Recipient, m.Method, m.Kind, m.Sequence))
	}
	return out
}

func (f *fixture) agenda(t testing.TB, token string) *fabrique.Agenda {
	t.Helper()
	a, err := f.st.Enrolments().Agenda(context.Background(), token)
	must(t, err)
	return a
}

func equal(t testing.TB, got, want []string) {
	t.Helper()
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got\n  %q\nwant\n  %q", got, want)
	}
}

func TestRegistrationGivesSeatsThenTheWaitingList(t *testing.T) {
	f := newFixture(t, 0, 2)
	a, b, c := f.register(t, "a@exemple.fr", 0), f.register(t, "b@exemple.fr", 0), f.register(t, "c@exemple.fr", 0)
	if a.Status != fabrique.RegRegistered || b.Status != fabrique.RegRegistered || c.Status != fabrique.RegWaiting || c.WaitingPosition != 1 {
		t.Fatalf("statuses %s %s %s (position %d)", a.Status, b.Status, c.Status, c.WaitingPosition)
	}
	if a.Token == "" || a.Token == b.Token {
		t.Fatalf("tokens %q %q", a.Token, b.Token)
	}
	equal(t, f.messages(t), []string{"a@exemple.fr REQUEST invitation 0", "b@exemple.fr REQUEST invitation 0", "c@exemple.fr NOTICE waiting 0"})
	ag := f.agenda(t, a.Token)
	// LOCATION is where the participant arrives (the plenary room), their workshop's room is in the text.
	if len(ag.Items) != 1 || ag.Items[0].Location != "Salle 102, Hôtel de Rothelin-Charolais, 101 rue de Grenelle, 75007 Paris" ||
		!strings.Contains(ag.Items[0].Description, "Votre atelier : n° 1 « Atelier des données 1 », salle : Salle 101.") {
		t.Errorf("agenda items %+v", ag.Items)
	}
}

func TestTwoHundredSimultaneousRegistrationsForTwentySeats(t *testing.T) {
	f := newFixture(t, 0, 20, 20)
	var wg sync.WaitGroup
	statuses := make([]fabrique.RegistrationStatus, 200)
	positions := make([]int, 200)
	errs := make([]error, 200)
	for i := range 200 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rec, err := f.st.Enrolments().Register(context.Background(), f.event.ID, &fabrique.RegistrationRequest{
				Name: fmt.Sprintf("Participant %d", i), Email: fmt.Sprintf("p%d@exemple.fr", i), Category: fabrique.CategoryPublicAgent,
				WorkshopID: &f.workshops[0].ID, Consent: true})
			if errs[i] = err; err == nil {
				statuses[i], positions[i] = rec.Status, rec.WaitingPosition
			}
		}()
	}
	wg.Wait()
	count := map[fabrique.RegistrationStatus]int{}
	var waiting []int
	for i := range 200 {
		must(t, errs[i])
		count[statuses[i]]++
		if statuses[i] == fabrique.RegWaiting {
			waiting = append(waiting, positions[i])
		}
	}
	if count[fabrique.RegRegistered] != 20 || count[fabrique.RegWaiting] != 180 {
		t.Fatalf("counts %v, want 20 registered and 180 waiting", count)
	}
	sort.Ints(waiting)
	for i, p := range waiting {
		if p != i+1 {
			t.Fatalf("waiting positions %v are not 1…180", waiting)
		}
	}
	form, err := f.st.Enrolments().RegistrationForm(context.Background(), f.event.ID)
	must(t, err)
	if w := form.Workshops[0]; w.Registered != 20 || w.Waiting != 180 || w.SeatsLeft != 0 {
		t.Errorf("workshop seats %+v", w)
	}
}

func TestTheSameEmailTwiceIsRecognised(t *testing.T) {
	f := newFixture(t, 0, 5)
	first := f.register(t, "camille@exemple.fr", 0)
	second := f.register(t, "Camille@Exemple.fr", 0)
	// Answered exactly as a newcomer would be: no id, the status a new registration would get.
	if !second.Known || second.RegistrationID != 0 || second.Status != fabrique.RegRegistered || second.Message != first.Message {
		t.Fatalf("second registration %+v, first %+v", second, first)
	}
	f.register(t, "camille@exemple.fr", 0) // within 10 minutes: no second reminder
	equal(t, f.messages(t), []string{"camille@exemple.fr REQUEST invitation 0", "camille@exemple.fr NOTICE reminder 0"})
	if got := f.agenda(t, second.Token); got.RegistrationID != first.RegistrationID || got.Status != fabrique.RegRegistered {
		t.Errorf("the reminder's link opens %+v", got)
	}
	var n int
	must(t, f.st.DB().Count(f.ctx, "registrations", &n))
	if n != 1 {
		t.Errorf("%d registrations, want 1", n)
	}
}

func TestCancellingPromotesTheFirstWaitingPerson(t *testing.T) {
	f := newFixture(t, 0, 1, 1)
	a, b, c := f.register(t, "a@exemple.fr", 0), f.register(t, "b@exemple.fr", 0), f.register(t, "c@exemple.fr", 0)
	ag, err := f.st.Enrolments().CancelRegistration(context.Background(), a.Token)
	must(t, err)
	if ag.Status != fabrique.RegCancelled || len(ag.Items) != 0 {
		t.Fatalf("after cancel: %+v", ag)
	}
	if got := f.agenda(t, b.Token); got.Status != fabrique.RegRegistered {
		t.Errorf("b is %s, want registered", got.Status)
	}
	if got := f.agenda(t, c.Token); got.Status != fabrique.RegWaiting || got.WaitingPosition != 1 {
		t.Errorf("c is %s at %d, want waiting first", got.Status, got.WaitingPosition)
	}
	equal(t, f.messages(t), []string{"a@exemple.fr REQUEST invitation 0", "b@exemple.fr NOTICE waiting 0", "c@exemple.fr NOTICE waiting 0",
		"a@exemple.fr CANCEL cancellation 1", "b@exemple.fr REQUEST promoted 0"})
}

func TestChangingWorkshop(t *testing.T) {
	f := newFixture(t, 0, 1, 1)
	a, b, c := f.register(t, "a@exemple.fr", 0), f.register(t, "b@exemple.fr", 1), f.register(t, "c@exemple.fr", 0)
	_, err := f.st.Enrolments().ChangeWorkshop(context.Background(), a.Token, fabrique.WorkshopChange{WorkshopID: f.workshops[1].ID})
	mustCode(t, err, fabrique.ECONFLICT)
	ag, err := f.st.Enrolments().ChangeWorkshop(context.Background(), a.Token, fabrique.WorkshopChange{WorkshopID: f.workshops[1].ID, Wait: true})
	must(t, err)
	if ag.Status != fabrique.RegWaiting || ag.Workshop.ID != f.workshops[1].ID {
		t.Fatalf("a after move: %s in %+v", ag.Status, ag.Workshop)
	}
	if got := f.agenda(t, c.Token); got.Status != fabrique.RegRegistered {
		t.Errorf("c is %s, want promoted to the seat a left", got.Status)
	}
	// b moves to workshop 1, freeing workshop 2 for a.
	_, err = f.st.Enrolments().CancelRegistration(context.Background(), b.Token)
	must(t, err)
	if got := f.agenda(t, a.Token); got.Status != fabrique.RegRegistered || got.Workshop.ID != f.workshops[1].ID {
		t.Errorf("a is %s, want promoted in workshop 2", got.Status)
	}
	_, err = f.st.Enrolments().ChangeWorkshop(context.Background(), a.Token, fabrique.WorkshopChange{WorkshopID: 99999})
	mustCode(t, err, fabrique.EINVALID)
}

func TestBadRegistrationsAreRefusedAndWriteNothing(t *testing.T) {
	f := newFixture(t, 0, 5)
	w := f.workshops[0].ID
	other := int64(99999)
	cases := []struct {
		name  string
		req   fabrique.RegistrationRequest
		field string
	}{
		{"a registration without consent is refused", fabrique.RegistrationRequest{Name: "A", Email: "a@exemple.fr", Category: "citizen", WorkshopID: &w}, "consent"},
		{"a malformed email is refused", fabrique.RegistrationRequest{Name: "A", Email: "a@exemple", Category: "citizen", WorkshopID: &w, Consent: true}, "email"},
		{"an unknown category is refused", fabrique.RegistrationRequest{Name: "A", Email: "a@exemple.fr", Category: "robot", WorkshopID: &w, Consent: true}, "category"},
		{"a name with a line break is refused", fabrique.RegistrationRequest{Name: "A\nBcc: x", Email: "a@exemple.fr", Category: "citizen", WorkshopID: &w, Consent: true}, "name"},
		{"a workshop of another event is refused", fabrique.RegistrationRequest{Name: "A", Email: "a@exemple.fr", Category: "citizen", WorkshopID: &other, Consent: true}, "workshop_id"},
		{"no workshop is refused when the event has some", fabrique.RegistrationRequest{Name: "A", Email: "a@exemple.fr", Category: "citizen", Consent: true}, "workshop_id"},
		{"ranked choices are refused for a first-come event", fabrique.RegistrationRequest{Name: "A", Email: "a@exemple.fr", Category: "citizen", Choices: []int64{w}, Consent: true}, "choices"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := f.st.Enrolments().Register(context.Background(), f.event.ID, &c.req)
			mustCode(t, err, fabrique.EINVALID)
			if fields := fabrique.ErrorFields(err); len(fields) == 0 || fields[0].Field != c.field {
				t.Errorf("fields %+v, want %s", fields, c.field)
			}
		})
	}
	for _, table := range []string{"registrations", "outbox", "participant_tokens"} {
		var n int
		must(t, f.st.DB().Count(f.ctx, table, &n))
		if n != 0 {
			t.Errorf("%d rows in %s", n, table)
		}
	}
	_, err := f.st.Enrolments().Register(context.Background(), 424242, &fabrique.RegistrationRequest{Name: "A", Email: "a@exemple.fr", Category: "citizen", Consent: true})
	mustCode(t, err, fabrique.ENOTFOUND)
}

func TestARoomChangeSendsUpdatedRequestsToItsParticipants(t *testing.T) {
	f := newFixture(t, 0, 5, 5)
	f.register(t, "a@exemple.fr", 0)
	f.register(t, "b@exemple.fr", 1)
	w := f.workshops[0]
	w.RoomID = &f.rooms[2]
	must(t, f.st.Workshops().Update(f.ctx, w))
	equal(t, f.messages(t)[2:], nil) // gathered until the release (releases.go)
	_, err := f.st.Changes().ReleaseChanges(f.ctx, f.event.ID)
	must(t, err)
	msgs := f.messages(t)
	equal(t, msgs[2:], []string{"a@exemple.fr REQUEST update 1"})
	page, err := f.st.Outbox().ListOutbox(f.ctx, fabrique.ListOptions{Filters: map[string]string{"kind": "update"}})
	must(t, err)
	if loc := page.Items[0].Payload.Location; loc != "Salle 103, Hôtel de Rothelin-Charolais, 101 rue de Grenelle, 75007 Paris" {
		t.Errorf("location of the update (the plenary room): %q", loc)
	}
	if d := page.Items[0].Payload.Description(); !strings.Contains(d, "salle : Salle 103.") {
		t.Errorf("description of the update: %q", d)
	}
	// A change of time of the event concerns everyone.
	f.event.Start, f.event.End = f.event.Start.Add(time.Hour), f.event.End.Add(time.Hour)
	must(t, f.st.Events().Update(f.ctx, f.event))
	_, err = f.st.Changes().ReleaseChanges(f.ctx, f.event.ID)
	must(t, err)
	equal(t, f.messages(t)[3:], []string{"a@exemple.fr REQUEST update 2", "b@exemple.fr REQUEST update 2"})
}

func TestACancelledEventSendsCancelToEveryone(t *testing.T) {
	f := newFixture(t, 0, 1)
	f.register(t, "a@exemple.fr", 0)
	f.register(t, "b@exemple.fr", 0)
	f.event.Status = fabrique.EventCancelled
	must(t, f.st.Events().Update(f.ctx, f.event))
	equal(t, f.messages(t)[2:], []string{"a@exemple.fr CANCEL event_cancelled 1", "b@exemple.fr NOTICE event_cancelled 1"})
	_, err := f.st.Enrolments().Register(context.Background(), f.event.ID, &fabrique.RegistrationRequest{Name: "C", Email: "c@exemple.fr",
		Category: "citizen", WorkshopID: &f.workshops[0].ID, Consent: true})
	mustCode(t, err, fabrique.ECONFLICT)
}

func TestAForumInvitesToItsLaunchAndItsForumDay(t *testing.T) {
	st, ctx := openStore(t)
	_, err := demo.Load(ctx, st)
	must(t, err)
	ws, err := st.Workshops().List(ctx, fabrique.ListOptions{Filters: map[string]string{"event_id": "2"}})
	must(t, err)
	rec, err := st.Enrolments().Register(context.Background(), 2, &fabrique.RegistrationRequest{Name: "Léa", Email: "lea@exemple.fr",
		Category: "researcher", WorkshopID: &ws.Items[1].ID, Consent: true})
	must(t, err)
	a, err := st.Enrolments().Agenda(context.Background(), rec.Token)
	must(t, err)
	if len(a.Items) != 2 || a.Items[0].UID == a.Items[1].UID {
		t.Fatalf("items %+v", a.Items)
	}
	if a.Items[0].Location != "En ligne : https://webinaire.numerique.gouv.fr/forum-algorithmes-publics" || !strings.HasPrefix(a.Items[1].Location, "Salle Marianne, ") ||
		!strings.Contains(a.Items[1].Description, "salle : Salle 2.") {
		t.Errorf("locations %q, %q (the forum day's plenary room; the workshop's room in the text: %q)", a.Items[0].Location, a.Items[1].Location, a.Items[1].Description)
	}
}

func TestAllocationByRankedChoicesMaximisesFirstChoices(t *testing.T) {
	f := newFixture(t, 0, 2, 2, 2)
	must(t, f.st.Enrolments().SetSettings(f.ctx, &fabrique.RegistrationSettings{EventID: f.event.ID, Allocation: fabrique.AllocPreference}))
	w := func(i int) int64 { return f.workshops[i].ID }
	choices := [][]int64{{w(0), w(1)}, {w(0), w(2)}, {w(0), w(1)}, {w(1)}, {w(0), w(1), w(2)}, {w(2), w(0)}, {w(1), w(0)}}
	for i, c := range choices {
		rec, err := f.st.Enrolments().Register(context.Background(), f.event.ID, &fabrique.RegistrationRequest{Name: "P", Email: fmt.Sprintf("p%d@exemple.fr", i),
			Category: "citizen", Choices: c, Consent: true})
		must(t, err)
		if rec.Status != fabrique.RegPending {
			t.Fatalf("status %s, want pending", rec.Status)
		}
	}
	rep, err := f.st.Enrolments().Allocate(f.ctx, f.event.ID)
	must(t, err)
	// Workshop 1: p0, p1 (first choices); workshop 2: p3, p6; workshop 3: p5;
	// then p2 → no second choice left (w2 full) ; p4 → third choice w3.
	if rep.FirstChoice != 5 || rep.SecondChoice != 0 || rep.ThirdChoice != 1 || rep.Waiting != 1 {
		t.Errorf("report %+v", rep)
	}
	_, err = f.st.Enrolments().Allocate(f.ctx, f.event.ID)
	mustCode(t, err, fabrique.ECONFLICT)
	var pending int
	must(t, f.st.DB().Count(f.ctx, "outbox WHERE kind = 'invitation'", &pending))
	if pending != 6 {
		t.Errorf("%d invitations, want 6", pending)
	}
}

// Once registration closes, the service allocates the ranked choices on its
// own, once, and everyone is told.
func TestRankedChoicesAreAllocatedWhenRegistrationCloses(t *testing.T) {
	f := newFixture(t, 0, 1, 1)
	closes := time.Now().Add(time.Hour).Truncate(time.Second)
	must(t, f.st.Enrolments().SetSettings(f.ctx, &fabrique.RegistrationSettings{EventID: f.event.ID, Allocation: fabrique.AllocPreference, ClosesAt: &closes}))
	w := func(i int) int64 { return f.workshops[i].ID }
	for i, c := range [][]int64{{w(0), w(1)}, {w(0), w(1)}, {w(0)}} {
		_, err := f.st.Enrolments().Register(context.Background(), f.event.ID, &fabrique.RegistrationRequest{Name: "P", Email: fmt.Sprintf("p%d@exemple.fr", i),
			Category: "citizen", Choices: c, Consent: true})
		must(t, err)
	}
	system := fabrique.WithUser(context.Background(), fabrique.System)
	if reps, err := f.st.Enrolments().AllocateDue(system, closes.Add(-time.Second)); err != nil || len(reps) != 0 {
		t.Fatalf("allocated before the closing: %v %v", reps, err)
	}
	reps, err := f.st.Enrolments().AllocateDue(system, closes)
	must(t, err)
	if len(reps) != 1 || reps[0].EventID != f.event.ID || reps[0].Participants != 3 || reps[0].FirstChoice != 1 || reps[0].SecondChoice != 1 || reps[0].Waiting != 1 {
		t.Fatalf("reports %+v", reps)
	}
	if reps, err := f.st.Enrolments().AllocateDue(system, closes.Add(time.Hour)); err != nil || len(reps) != 0 {
		t.Fatalf("allocated twice: %v %v", reps, err)
	}
	var invitations, waiting int
	must(t, f.st.DB().Count(f.ctx, "outbox WHERE kind = 'invitation'", &invitations))
	must(t, f.st.DB().Count(f.ctx, "outbox WHERE kind = 'waiting'", &waiting))
	if invitations != 2 || waiting != 1 {
		t.Errorf("%d invitations and %d waiting-list messages, want 2 and 1", invitations, waiting)
	}
}

// A larger event capacity promotes the first waiting people; a capacity
// below the people registered is refused, naming the field.
func TestTheEventCapacityMovesTheWaitingList(t *testing.T) {
	f := newFixture(t, 2, 10)
	regs := []*fabrique.RegistrationReceipt{f.register(t, "a@exemple.fr", 0), f.register(t, "b@exemple.fr", 0), f.register(t, "c@exemple.fr", 0), f.register(t, "d@exemple.fr", 0)}
	if got := f.agenda(t, regs[2].Token); got.Status != fabrique.RegWaiting {
		t.Fatalf("c is %s, want waiting (the event is full)", got.Status)
	}
	f.event.Capacity = 3
	must(t, f.st.Events().Update(f.ctx, f.event))
	if got := f.agenda(t, regs[2].Token); got.Status != fabrique.RegRegistered {
		t.Errorf("c is %s after the capacity grew, want registered", got.Status)
	}
	if got := f.agenda(t, regs[3].Token); got.Status != fabrique.RegWaiting || got.WaitingPosition != 1 {
		t.Errorf("d is %s at %d, want waiting first", got.Status, got.WaitingPosition)
	}
	msgs := f.messages(t)
	if last := msgs[len(msgs)-1]; last != "c@exemple.fr REQUEST promoted 0" {
		t.Errorf("last message %q, want c told a seat was freed", last)
	}
	f.event.Capacity = 2
	err := f.st.Events().Update(f.ctx, f.event)
	mustCode(t, err, fabrique.EINVALID)
	if !strings.Contains(err.Error(), "capacit") {
		t.Errorf("refusal %q does not name the capacity", err)
	}
	ev, err := f.st.Events().Get(f.ctx, f.event.ID)
	must(t, err)
	if ev.Capacity != 3 || len(f.messages(t)) != len(msgs) {
		t.Errorf("after the refusal: capacity %d, %d messages (was %d)", ev.Capacity, len(f.messages(t)), len(msgs))
	}
}

// Without a closing date, registration closes when the event starts: the
// places are allocated then.
func TestRankedChoicesWithoutClosingDateAreAllocatedAtTheStart(t *testing.T) {
	f := newFixture(t, 0, 1)
	must(t, f.st.Enrolments().SetSettings(f.ctx, &fabrique.RegistrationSettings{EventID: f.event.ID, Allocation: fabrique.AllocPreference}))
	_, err := f.st.Enrolments().Register(context.Background(), f.event.ID, &fabrique.RegistrationRequest{Name: "P", Email: "p@exemple.fr",
		Category: "citizen", Choices: []int64{f.workshops[0].ID}, Consent: true})
	must(t, err)
	system := fabrique.WithUser(context.Background(), fabrique.System)
	if reps, err := f.st.Enrolments().AllocateDue(system, f.event.Start.Add(-time.Minute)); err != nil || len(reps) != 0 {
		t.Fatalf("allocated before the start: %v %v", reps, err)
	}
	if reps, err := f.st.Enrolments().AllocateDue(system, f.event.Start); err != nil || len(reps) != 1 || reps[0].FirstChoice != 1 {
		t.Fatalf("at the start: %+v %v", reps, err)
	}
}

// TestAddRegistrationIsOneTransaction checks the staff's addition of a
// new person: when the registration is refused (the workshop is full and
// the waiting list not asked for), the person is not created either, in
// the same transaction; when it is accepted, both are there.
func TestAddRegistrationIsOneTransaction(t *testing.T) {
	f := newFixture(t, 0, 1)
	w := f.workshops[0].ID
	first := &fabrique.Person{Name: "Noé Premier", Email: "noe@exemple.fr", Kind: fabrique.PersonParticipant,
		Category: fabrique.CategoryCitizen, OwnerOrganisationID: &f.event.HostOrganisationID}
	must(t, f.st.Enrolments().AddRegistration(f.ctx, first, &fabrique.Registration{EventID: f.event.ID, WorkshopID: &w,
		Status: fabrique.RegRegistered, Consent: true}))
	if first.ID == 0 {
		t.Fatal("the person added has no id")
	}
	second := &fabrique.Person{Name: "Zoé Refusée", Email: "zoe@exemple.fr", Kind: fabrique.PersonParticipant,
		Category: fabrique.CategoryCitizen, OwnerOrganisationID: &f.event.HostOrganisationID}
	err := f.st.Enrolments().AddRegistration(f.ctx, second, &fabrique.Registration{EventID: f.event.ID, WorkshopID: &w,
		Status: fabrique.RegRegistered, Consent: true})
	if err == nil || !strings.Contains(err.Error(), "complet") {
		t.Fatalf("a registration to a full workshop: %v", err)
	}
	if second.ID != 0 {
		t.Errorf("the refused person keeps the id %d of a row rolled back", second.ID)
	}
	for email, want := range map[string]int{"noe@exemple.fr": 1, "zoe@exemple.fr": 0} {
		found, err := f.st.People().List(f.ctx, fabrique.ListOptions{Limit: 10, Filters: map[string]string{"email": email}})
		must(t, err)
		if len(found.Items) != want {
			t.Errorf("%s: %d people, want %d", email, len(found.Items), want)
		}
	}
}
