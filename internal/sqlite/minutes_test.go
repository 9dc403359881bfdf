package sqlite_test

import (
	"context"
	"testing"

	"fabrique/internal/demo"
	"fabrique/internal/fabrique"
	"fabrique/internal/sqlite"
)

// minutesWorld is the demo with the accounts that play the rules of the
// minutes, on the copy of Ministère ouvert #1 (ministry_copy_test.go; the
// demo's own minutes are published): Simon Chignard facilitates its
// workshop 3 (ws[2]), Sarah Labelle its workshop 5 (ws[4]).
type minutesWorld struct {
	st                                  *sqlite.Store
	sys, admin, organiser, simon, sarah context.Context
	anonymous                           context.Context
	event                               int64
	ws                                  []int64
}

func newMinutesWorld(t *testing.T) *minutesWorld {
	t.Helper()
	st, ctx := openStore(t)
	if _, err := demo.Load(ctx, st); err != nil {
		t.Fatal(err)
	}
	as := func(email string) context.Context {
		u, err := st.Users().UserByEmail(ctx, email)
		if err != nil {
			t.Fatal(err)
		}
		return fabrique.WithUser(context.Background(), u)
	}
	people, err := st.People().List(ctx, fabrique.ListOptions{Filters: map[string]string{"q": "Sarah Labelle"}})
	if err != nil || len(people.Items) != 1 {
		t.Fatalf("Sarah Labelle: %v", err)
	}
	sarah := &fabrique.User{Email: "sarah@fabrique.example", Name: "Sarah Labelle", Role: fabrique.RoleFacilitator, PersonID: &people.Items[0].ID}
	if err := st.Users().CreateUser(ctx, sarah, "mot-de-passe-de-test"); err != nil {
		t.Fatal(err)
	}
	event, ws := copyMinistry(t, st)
	return &minutesWorld{event: event, ws: ws, st: st, sys: ctx, admin: as(demo.AdminEmail), organiser: as(demo.OrganiserEmail),
		simon: as("simon.chignard@fabrique.example"), sarah: fabrique.WithUser(context.Background(), sarah), anonymous: context.Background()}
}

func TestWhoMayRecordAContribution(t *testing.T) {
	w := newMinutesWorld(t)
	m := w.st.Minutes()
	good := func() *fabrique.Contribution {
		return &fabrique.Contribution{WorkshopID: w.ws[2], Category: fabrique.ContribIndicators, Text: "Compter les réutilisations des jeux de données", Publishable: true}
	}
	tests := []struct {
		name  string
		ctx   context.Context
		c     *fabrique.Contribution
		code  string
		field string
	}{
		{"the facilitator of the workshop records", w.simon, good(), "", ""},
		{"an organiser of the host records", w.organiser, good(), "", ""},
		{"a facilitator of another workshop is refused", w.sarah, good(), fabrique.EFORBIDDEN, ""},
		{"an anonymous visitor is asked to sign in", w.anonymous, good(), fabrique.EUNAUTHORIZED, ""},
		{"a forum heading is refused in a Ministère ouvert", w.simon, func() *fabrique.Contribution { c := good(); c.Category = fabrique.ContribControversy; return c }(), fabrique.EINVALID, "category"},
		{"an empty text names the text", w.simon, func() *fabrique.Contribution { c := good(); c.Text = "  "; return c }(), fabrique.EINVALID, "text"},
		{"an unknown person names person_id", w.simon, func() *fabrique.Contribution { c := good(); c.PersonID = ptr(9999); return c }(), fabrique.EINVALID, "person_id"},
		{"a consent without an author names consent", w.simon, func() *fabrique.Contribution { c := good(); c.Consent = true; return c }(), fabrique.EINVALID, "consent"},
		{"an unknown workshop names workshop_id", w.simon, func() *fabrique.Contribution { c := good(); c.WorkshopID = 999; return c }(), fabrique.EINVALID, "workshop_id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := m.CreateContribution(tt.ctx, tt.c)
			mustCode(t, err, tt.code)
			if tt.field != "" {
				if f := fabrique.ErrorFields(err); len(f) == 0 || f[0].Field != tt.field {
					t.Errorf("fields = %+v, want %s", f, tt.field)
				}
			}
			if err == nil && (tt.c.ID == 0 || tt.c.CreatedBy == nil) {
				t.Errorf("stored contribution lacks its id or author account: %+v", tt.c)
			}
		})
	}
	list, err := m.Contributions(w.simon, w.ws[2])
	if err != nil || len(list) != 2 {
		t.Fatalf("contributions of workshop 3 = %d (%v), want the 2 accepted", len(list), err)
	}
}

func TestAttendanceCountsByCategory(t *testing.T) {
	w := newMinutesWorld(t)
	m := w.st.Minutes()
	var regs []int64
	for _, p := range []*fabrique.Person{
		{Name: "Hélène Bénard", Category: fabrique.CategoryCitizen},
		{Name: "Loïc Dupré", Category: fabrique.CategoryCivilSociety},
		{Name: "Zoé Garçon", Category: fabrique.CategoryCivilSociety},
	} {
		if err := w.st.People().Create(w.sys, p); err != nil {
			t.Fatal(err)
		}
		r := &fabrique.Registration{EventID: w.event, WorkshopID: ptr(w.ws[2]), PersonID: p.ID, Status: fabrique.RegRegistered}
		if err := w.st.Registrations().Create(w.sys, r); err != nil {
			t.Fatal(err)
		}
		regs = append(regs, r.ID)
	}
	if _, err := m.MarkAttendance(w.sarah, w.ws[2], regs[:1], true); fabrique.ErrorCode(err) != fabrique.EFORBIDDEN {
		t.Errorf("a facilitator of another workshop ticked attendance: %v", err)
	}
	if _, err := m.MarkAttendance(w.simon, w.ws[1], regs[:1], true); fabrique.ErrorCode(err) != fabrique.EFORBIDDEN {
		t.Errorf("Simon ticked a workshop he does not facilitate: %v", err)
	}
	if _, err := m.MarkAttendance(w.simon, w.ws[2], []int64{regs[0], regs[1]}, true); err != nil {
		t.Fatal(err)
	}
	if _, err := m.AddWalkIn(w.simon, w.ws[2], &fabrique.WalkIn{Name: "Maëlle Chênevert", Category: fabrique.CategoryResearcher}); err != nil {
		t.Fatal(err)
	}
	_, err := m.AddWalkIn(w.simon, w.ws[2], &fabrique.WalkIn{Category: fabrique.CategoryResearcher})
	if f := fabrique.ErrorFields(err); len(f) == 0 || f[0].Field != "name" {
		t.Errorf("a walk-in without a name: %v", err)
	}
	a, err := m.Attendance(w.simon, w.ws[2])
	if err != nil {
		t.Fatal(err)
	}
	got := map[fabrique.Category]int{}
	for _, c := range a.Counts {
		got[c.Category] = c.Count
	}
	want := map[fabrique.Category]int{fabrique.CategoryCitizen: 1, fabrique.CategoryCivilSociety: 1, fabrique.CategoryResearcher: 1}
	for _, c := range fabrique.Categories {
		if got[c] != want[c] {
			t.Errorf("%s: %d attended, want %d", c, got[c], want[c])
		}
	}
	if a.Attended != 3 || len(a.Attendees) != 4 {
		t.Errorf("attended %d of %d listed, want 3 of 4", a.Attended, len(a.Attendees))
	}
}

func TestMinutesGoFromDraftToApprovedToPublished(t *testing.T) {
	w := newMinutesWorld(t)
	m := w.st.Minutes()
	say := func(text string, consent, publishable bool) {
		t.Helper()
		c := &fabrique.Contribution{WorkshopID: w.ws[2], Category: fabrique.ContribCommitments, Text: text, Author: "Regards Citoyens", Consent: consent, Publishable: publishable}
		if err := m.CreateContribution(w.simon, c); err != nil {
			t.Fatal(err)
		}
	}
	say("Publier les codes sources des simulateurs", true, true)
	say("Un propos tenu hors micro", false, false)
	say("Ouvrir les registres d'état civil anonymisés", false, true)
	if err := m.SaveWorkshopMinutes(w.simon, &fabrique.WorkshopMinutes{WorkshopID: w.ws[2], Summary: "Des échanges nourris."}); err != nil {
		t.Fatal(err)
	}
	if _, err := m.MinutesFile(w.anonymous, w.event); fabrique.ErrorCode(err) != fabrique.EUNAUTHORIZED {
		t.Errorf("an anonymous visitor read unpublished minutes: %v", err)
	}
	if _, err := m.ApproveWorkshopMinutes(w.sarah, w.ws[2]); fabrique.ErrorCode(err) != fabrique.EFORBIDDEN {
		t.Errorf("a facilitator of another workshop approved: %v", err)
	}
	if _, err := m.ApproveWorkshopMinutes(w.organiser, w.ws[2]); fabrique.ErrorCode(err) != fabrique.EFORBIDDEN {
		t.Errorf("an organiser approved in place of a facilitator: %v", err)
	}
	if _, err := m.PublishWorkshopMinutes(w.organiser, w.ws[2]); fabrique.ErrorCode(err) != fabrique.ECONFLICT {
		t.Errorf("draft minutes were published: %v", err)
	}
	wm, err := m.ApproveWorkshopMinutes(w.simon, w.ws[2])
	if err != nil || wm.State != fabrique.MinutesApproved || wm.ApprovedBy == nil {
		t.Fatalf("approval by the facilitator: %+v, %v", wm, err)
	}
	if _, err := m.PublishEventMinutes(w.organiser, w.event); fabrique.ErrorCode(err) != fabrique.ECONFLICT {
		t.Errorf("the event was published with four workshops still in draft: %v", err)
	}
	for _, id := range []int64{w.ws[0], w.ws[1], w.ws[3], w.ws[4]} {
		if _, err := m.ApproveWorkshopMinutes(w.admin, id); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := m.PublishEventMinutes(w.sarah, w.event); fabrique.ErrorCode(err) != fabrique.EFORBIDDEN {
		t.Errorf("a facilitator published the event: %v", err)
	}
	em, err := m.PublishEventMinutes(w.organiser, w.event)
	if err != nil || em.State != fabrique.MinutesPublished {
		t.Fatalf("publication: %+v, %v", em, err)
	}
	f, err := m.MinutesFile(w.anonymous, w.event)
	if err != nil {
		t.Fatalf("published minutes are public: %v", err)
	}
	if len(f.Contributions) != 2 {
		t.Fatalf("%d contributions published, want the 2 publishable ones", len(f.Contributions))
	}
	if f.Contributions[0].Author != "Regards Citoyens" || f.Contributions[1].Author != "" {
		t.Errorf("authors = %q, %q: only a consenting author is named", f.Contributions[0].Author, f.Contributions[1].Author)
	}
	if f.WorkshopMinutes[w.ws[2]].State != fabrique.MinutesPublished {
		t.Errorf("workshop 3 is %s after the event's publication", f.WorkshopMinutes[3].State)
	}
	err = m.CreateContribution(w.simon, &fabrique.Contribution{WorkshopID: w.ws[2], Category: fabrique.ContribIndicators, Text: "Trop tard"})
	mustCode(t, err, fabrique.ECONFLICT)
}

func TestAChangeSendsApprovedMinutesBackToDraft(t *testing.T) {
	w := newMinutesWorld(t)
	m := w.st.Minutes()
	if _, err := m.ApproveWorkshopMinutes(w.simon, w.ws[2]); err != nil {
		t.Fatal(err)
	}
	if err := m.CreateContribution(w.simon, &fabrique.Contribution{WorkshopID: w.ws[2], Category: fabrique.ContribChallenges, Text: "Former les agents"}); err != nil {
		t.Fatal(err)
	}
	wm, err := m.WorkshopMinutes(w.simon, w.ws[2])
	if err != nil || wm.State != fabrique.MinutesDraft || wm.ApprovedBy != nil {
		t.Errorf("after a new contribution: %+v, %v; want a draft to approve again", wm, err)
	}
}
