package sqlite_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"fabrique/internal/demo"
	"fabrique/internal/fabrique"
	"fabrique/internal/sqlite"
)

// followWorld is the demo seen by the roles of the follow-up: commitment 4
// (« Evaluation des politiques publiques ») is carried by the Secrétariat
// d'État (the demo organiser) and the SGMAP; the Intérieur carries another.
type followWorld struct {
	st                                *sqlite.Store
	sys, admin, carrier, other, facil context.Context
	anonymous                         context.Context
	plan, c4, workshop1               int64
	today                             string
}

func newFollowWorld(t *testing.T) *followWorld {
	t.Helper()
	st, ctx := openStore(t)
	clock := time.Date(2016, 9, 15, 10, 0, 0, 0, fabrique.Paris) // after the demo's consultation of June
	st.DB().SetClock(func() time.Time { return clock })
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
	orgs, err := st.Organisations().List(ctx, fabrique.ListOptions{Filters: map[string]string{"q": "Intérieur"}})
	if err != nil || len(orgs.Items) != 1 {
		t.Fatalf("Intérieur: %v", err)
	}
	other := &fabrique.User{Name: "Correspondante", Role: fabrique.RoleOrganiser, OrganisationID: &orgs.Items[0].ID}
	cs, err := st.Commitments().List(ctx, fabrique.ListOptions{Filters: map[string]string{"number": "4"}})
	if err != nil || len(cs.Items) != 1 {
		t.Fatalf("commitment 4: %v", err)
	}
	return &followWorld{st: st, sys: ctx, admin: as(demo.AdminEmail), carrier: as(demo.OrganiserEmail),
		other: fabrique.WithUser(context.Background(), other), facil: as("simon.chignard@fabrique.example"),
		anonymous: context.Background(), plan: cs.Items[0].PlanID, c4: cs.Items[0].ID, workshop1: 1, today: "2016-09-15"}
}

func (w *followWorld) count(t *testing.T, table string) int {
	t.Helper()
	var n int
	if err := w.st.DB().Count(context.Background(), table, &n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestOnlyCarriersAndAdministratorsSetAStatus(t *testing.T) {
	w := newFollowWorld(t)
	fu := w.st.FollowUp()
	in := &fabrique.StatusInput{Status: fabrique.StatusSubstantial, Justification: "Deux évaluations publiées en open data."}
	before := w.count(t, "commitment_status_changes")
	for _, tc := range []struct {
		name string
		ctx  context.Context
		code string
	}{
		{"a visitor must sign in", w.anonymous, fabrique.EUNAUTHORIZED},
		{"a facilitator may not", w.facil, fabrique.EFORBIDDEN},
		{"an organiser of another ministry may not", w.other, fabrique.EFORBIDDEN},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := fu.SetStatus(tc.ctx, w.c4, in)
			mustCode(t, err, tc.code)
		})
	}
	if n := w.count(t, "commitment_status_changes"); n != before {
		t.Fatalf("refused changes wrote %d history rows", n-before)
	}
	ch, err := fu.SetStatus(w.carrier, w.c4, in)
	if err != nil {
		t.Fatal(err)
	}
	if ch.From != fabrique.StatusLimited || ch.To != fabrique.StatusSubstantial || !strings.Contains(ch.ChangedBy, "Secrétariat d'État") {
		t.Errorf("change = %+v", ch)
	}
	if _, err := fu.SetStatus(w.admin, w.c4, &fabrique.StatusInput{Status: fabrique.StatusCompleted, Justification: "Terminé."}); err != nil {
		t.Fatal(err)
	}
	rec, err := fu.Record(w.anonymous, w.c4)
	if err != nil {
		t.Fatal(err)
	}
	// The demo set it from « en cours » to « limitée » on 13 June 2016.
	if rec.Commitment.Status != fabrique.StatusCompleted || len(rec.History) != 3 || rec.History[0].ChangedAt.Format("2006-01-02") != "2016-06-13" ||
		rec.History[1].Justification != in.Justification || rec.History[2].From != fabrique.StatusSubstantial || rec.History[1].ChangedAt.Format("2006-01-02") != w.today {
		t.Errorf("record status %s, history %+v", rec.Commitment.Status, rec.History)
	}
}

func TestAStatusOffTheScaleOrWithoutJustificationIsRefused(t *testing.T) {
	w := newFollowWorld(t)
	for _, in := range []*fabrique.StatusInput{
		{Status: "in_progress", Justification: "x"},
		{Status: fabrique.StatusLimited, Justification: "  "},
	} {
		_, err := w.st.FollowUp().SetStatus(w.carrier, w.c4, in)
		mustCode(t, err, fabrique.EINVALID)
		if f := fabrique.ErrorFields(err); len(f) != 1 || !strings.Contains("status justification", f[0].Field) {
			t.Errorf("fields = %+v", f)
		}
	}
}

func TestAStatusChangedByTheCommitmentFormIsKept(t *testing.T) {
	w := newFollowWorld(t)
	c, err := w.st.Commitments().Get(w.sys, w.c4)
	if err != nil {
		t.Fatal(err)
	}
	c.Status = fabrique.StatusNotStarted
	if err := w.st.Commitments().Update(w.admin, c); err != nil {
		t.Fatal(err)
	}
	rec, _ := w.st.FollowUp().Record(w.sys, w.c4)
	if h := rec.History; len(h) != 2 || h[1].From != fabrique.StatusLimited || h[1].To != fabrique.StatusNotStarted || h[1].ChangedBy == "" {
		t.Errorf("history = %+v", rec.History)
	}
}

func TestMilestonesAndIndicatorsOfACommitment(t *testing.T) {
	w := newFollowWorld(t)
	fu := w.st.FollowUp()
	late := &fabrique.Milestone{CommitmentID: w.c4, Title: "Publier la liste des évaluations", Due: "2016-03-31"}
	done := &fabrique.Milestone{CommitmentID: w.c4, Title: "Ouvrir le portail", Due: "2016-05-31", DoneOn: "2016-05-20"}
	for _, m := range []*fabrique.Milestone{late, done} {
		if err := fu.SaveMilestone(w.carrier, m); err != nil {
			t.Fatal(err)
		}
	}
	mustCode(t, fu.SaveMilestone(w.other, &fabrique.Milestone{CommitmentID: w.c4, Title: "x", Due: "2016-01-01"}), fabrique.EFORBIDDEN)
	mustCode(t, fu.SaveMilestone(w.carrier, &fabrique.Milestone{CommitmentID: w.c4, Title: "x", Due: "2016-02-30"}), fabrique.EINVALID)
	target := 40.0
	ind := &fabrique.Indicator{CommitmentID: w.c4, Name: "Évaluations publiées", Unit: "évaluations", Target: &target}
	if err := fu.SaveIndicator(w.carrier, ind); err != nil {
		t.Fatal(err)
	}
	for _, m := range []*fabrique.Measurement{
		{IndicatorID: ind.ID, Value: 12, MeasuredOn: "2016-01-15", Source: "SGMAP"},
		{IndicatorID: ind.ID, Value: 27, MeasuredOn: "2016-06-01", Source: "SGMAP, tableau de bord"},
	} {
		if err := fu.AddMeasurement(w.carrier, m); err != nil {
			t.Fatal(err)
		}
	}
	mustCode(t, fu.AddMeasurement(w.other, &fabrique.Measurement{IndicatorID: ind.ID, Value: 1, MeasuredOn: "2016-06-02", Source: "x"}), fabrique.EFORBIDDEN)
	mustCode(t, fu.AddMeasurement(w.carrier, &fabrique.Measurement{IndicatorID: ind.ID, Value: 1, MeasuredOn: "2016-06-02"}), fabrique.EINVALID)
	rec, err := fu.Record(w.anonymous, w.c4)
	if err != nil {
		t.Fatal(err)
	}
	byTitle := map[string]*fabrique.Milestone{}
	for _, m := range rec.Milestones {
		byTitle[m.Title] = m
	}
	if l, d := byTitle[late.Title], byTitle[done.Title]; len(rec.Milestones) != 5 || !l.Late(w.today) || d.Late(w.today) || !d.Done() {
		t.Errorf("milestones = %+v", rec.Milestones)
	}
	last := rec.Indicators[len(rec.Indicators)-1]
	if len(rec.Indicators) != 2 || last.ID != ind.ID || len(last.Measurements) != 2 || last.Latest().Value != 27 {
		t.Errorf("indicators = %+v", rec.Indicators)
	}
}

func TestACommentDuringAConsultationIsModeratedThenAnswered(t *testing.T) {
	w := newFollowWorld(t)
	fu := w.st.FollowUp()
	in := &fabrique.CommentInput{Author: "Claire D.", Email: "claire@exemple.fr", Text: "Où trouver le calendrier des évaluations ?", Consent: true}
	_, err := fu.Comment(w.anonymous, w.c4, in)
	mustCode(t, err, fabrique.ECONFLICT) // no consultation yet
	cons := &fabrique.Consultation{PlanID: w.plan, Title: "Consultation sur le rapport d'étape", Opens: "2016-09-01", Closes: "2016-09-30"}
	mustCode(t, fu.OpenConsultation(w.carrier, cons), fabrique.EFORBIDDEN)
	if err := fu.OpenConsultation(w.admin, cons); err != nil {
		t.Fatal(err)
	}
	mustCode(t, fu.OpenConsultation(w.admin, &fabrique.Consultation{PlanID: w.plan, Title: "Bis", Opens: "2016-09-20", Closes: "2016-10-10"}), fabrique.EINVALID)
	c, err := fu.Comment(w.anonymous, w.c4, in)
	if err != nil {
		t.Fatal(err)
	}
	if c.State != fabrique.CommentPending {
		t.Fatalf("state = %s", c.State)
	}
	rec, _ := fu.Record(w.anonymous, w.c4)
	if len(rec.Comments) != 2 { // the demo's comment of June and its answer
		t.Fatalf("a pending comment is shown to visitors: %+v", rec.Comments)
	}
	_, err = fu.Answer(w.carrier, c.ID, &fabrique.AnswerInput{Text: "Trop tôt"})
	mustCode(t, err, fabrique.ECONFLICT)
	_, err = fu.Moderate(w.carrier, c.ID, &fabrique.ModerationInput{Decision: fabrique.CommentPublished})
	mustCode(t, err, fabrique.EFORBIDDEN)
	// Not confirmed by its author yet: the moderators neither see it nor decide on it.
	if list, err := fu.PendingComments(w.admin, w.plan); err != nil || len(list) != 0 {
		t.Fatalf("an unconfirmed comment awaits moderation: %v %+v", err, list)
	}
	_, err = fu.Moderate(w.admin, c.ID, &fabrique.ModerationInput{Decision: fabrique.CommentPublished})
	mustCode(t, err, fabrique.ECONFLICT)
	_, err = fu.ConfirmComment(w.anonymous, w.st.DB().ConfirmLink(context.Background(), c.ID)+"x")
	mustCode(t, err, fabrique.ENOTFOUND)
	if cc, err := fu.ConfirmComment(w.anonymous, w.st.DB().ConfirmLink(context.Background(), c.ID)); err != nil || !cc.Comment.Confirmed || cc.Comment.State != fabrique.CommentPending {
		t.Fatalf("confirm: %v %+v", err, cc)
	}
	if list, err := fu.PendingComments(w.admin, w.plan); err != nil || len(list) != 1 {
		t.Fatalf("the confirmed comment does not await moderation: %v %+v", err, list)
	}
	if c, err = fu.Moderate(w.admin, c.ID, &fabrique.ModerationInput{Decision: fabrique.CommentPublished}); err != nil || c.State != fabrique.CommentPublished {
		t.Fatalf("moderate: %v %+v", err, c)
	}
	_, err = fu.Answer(w.other, c.ID, &fabrique.AnswerInput{Text: "Pas nous"})
	mustCode(t, err, fabrique.EFORBIDDEN)
	a, err := fu.Answer(w.carrier, c.ID, &fabrique.AnswerInput{Text: "Le calendrier est en ligne depuis le 1er juin."})
	if err != nil {
		t.Fatal(err)
	}
	if !a.CarrierAnswer || !strings.Contains(a.Author, "Secrétariat d'État") || *a.ParentID != c.ID {
		t.Errorf("answer = %+v", a)
	}
	rec, _ = fu.Record(w.anonymous, w.c4)
	if len(rec.Comments) != 4 || rec.Comments[2].Author != "Claire D." || !rec.Comments[3].CarrierAnswer {
		t.Errorf("comments = %+v", rec.Comments)
	}
}

func TestACommentIsCheckedAndTheEmailNeverRead(t *testing.T) {
	w := newFollowWorld(t)
	fu := w.st.FollowUp()
	if err := fu.OpenConsultation(w.admin, &fabrique.Consultation{PlanID: w.plan, Title: "Consultation", Opens: "2016-09-01", Closes: "2016-09-30", Moderation: fabrique.ModerationNone}); err != nil {
		t.Fatal(err)
	}
	for name, tc := range map[string]struct {
		in    fabrique.CommentInput
		field string
	}{
		"three links are too many": {fabrique.CommentInput{Author: "A", Email: "a@exemple.fr", Consent: true, Text: "http://a.fr https://b.fr www.c.fr"}, "text"},
		"consent is required":      {fabrique.CommentInput{Author: "A", Email: "a@exemple.fr", Text: "Très bien"}, "consent"},
		"an email is required":     {fabrique.CommentInput{Author: "A", Consent: true, Text: "Très bien"}, "email"},
		"a name is required":       {fabrique.CommentInput{Email: "a@exemple.fr", Consent: true, Text: "Très bien"}, "author"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := fu.Comment(w.anonymous, w.c4, &tc.in)
			mustCode(t, err, fabrique.EINVALID)
			if f := fabrique.ErrorFields(err); len(f) != 1 || f[0].Field != tc.field {
				t.Errorf("fields = %+v", f)
			}
		})
	}
	if n := w.count(t, "comments"); n != 4 { // the demo's
		t.Fatalf("%d comments written", n)
	}
	c, err := fu.Comment(w.anonymous, w.c4, &fabrique.CommentInput{Author: "Pseudo", Email: "secret@exemple.fr", Consent: true, Text: "Publié tout de suite."})
	if err != nil || c.State != fabrique.CommentPending || c.Confirmed {
		t.Fatalf("before its confirmation: %v %+v", err, c)
	}
	if cc, err := fu.ConfirmComment(w.anonymous, w.st.DB().ConfirmLink(context.Background(), c.ID)); err != nil || cc.Comment.State != fabrique.CommentPublished {
		t.Fatalf("without moderation, published once confirmed: %v %+v", err, cc)
	}
	// The consultation is over the day after it closes.
	w.st.DB().SetClock(func() time.Time { return time.Date(2016, 10, 1, 9, 0, 0, 0, fabrique.Paris) })
	_, err = fu.Comment(w.anonymous, w.c4, &fabrique.CommentInput{Author: "Tard", Email: "t@exemple.fr", Consent: true, Text: "Trop tard ?"})
	mustCode(t, err, fabrique.ECONFLICT)
}

func TestTheWorkshopsThatDiscussedACommitmentAndTheirPublishedContributions(t *testing.T) {
	w := newFollowWorld(t)
	// The demo: workshop 1 of Ministère ouvert #1 on commitment 4, its minutes
	// published with four contributions, one named with consent.
	rec, _ := w.st.FollowUp().Record(w.anonymous, w.c4)
	if len(rec.Workshops) != 1 || !rec.Workshops[0].Published || len(rec.Workshops[0].Contributions) != 4 {
		t.Fatalf("the demo's workshop of 21 June 2016: %+v", rec.Workshops)
	}
	named := 0
	for _, c := range rec.Workshops[0].Contributions {
		if c.Author != "" {
			named++
		}
	}
	if d := rec.Workshops[0]; d.Start.Format("2006-01-02 15:04") != "2016-06-21 18:20" || named != 1 {
		t.Errorf("the demo's workshop: %s, %d authors named", d.Start, named)
	}
	// A workshop of the copy of Ministère ouvert #1 on the same commitment:
	// only publishable contributions of published minutes, authors only with consent.
	_, ws := copyMinistry(t, w.st)
	m := w.st.Minutes()
	for _, c := range []*fabrique.Contribution{
		{WorkshopID: ws[0], Category: fabrique.ContribIndicators, Text: "Nombre d'évaluations publiées chaque trimestre", Publishable: true, Author: "Léa", Consent: true},
		{WorkshopID: ws[0], Category: fabrique.ContribChallenges, Text: "Les ministères hésitent à publier", Publishable: true, Author: "Anonyme sans consentement"},
		{WorkshopID: ws[0], Category: fabrique.ContribChallenges, Text: "Propos retiré", Publishable: false},
	} {
		if err := m.CreateContribution(w.sys, c); err != nil {
			t.Fatal(err)
		}
	}
	copyOf := func() *fabrique.DiscussedWorkshop {
		rec, _ := w.st.FollowUp().Record(w.anonymous, w.c4)
		for _, d := range rec.Workshops {
			if d.WorkshopID == ws[0] {
				return d
			}
		}
		t.Fatalf("the copy's workshop is not listed: %+v", rec.Workshops)
		return nil
	}
	if d := copyOf(); d.Published || len(d.Contributions) != 0 {
		t.Fatalf("before publication: %+v", d)
	}
	if _, err := m.ApproveWorkshopMinutes(w.sys, ws[0]); err != nil {
		t.Fatal(err)
	}
	if _, err := m.PublishWorkshopMinutes(w.sys, ws[0]); err != nil {
		t.Fatal(err)
	}
	d := copyOf()
	if !d.Published || d.Start.Format("2006-01-02 15:04") != "2016-11-08 18:20" || len(d.Contributions) != 2 {
		t.Fatalf("after publication: %+v", d)
	}
	if d.Contributions[0].Author != "Léa" || d.Contributions[1].Author != "" {
		t.Errorf("authors: %q %q", d.Contributions[0].Author, d.Contributions[1].Author)
	}
}

func TestTheEmailsOfCommentersAreErasedAYearAfterTheConsultation(t *testing.T) {
	w := newFollowWorld(t)
	fu := w.st.FollowUp()
	if err := fu.OpenConsultation(w.admin, &fabrique.Consultation{PlanID: w.plan, Title: "Consultation", Opens: "2016-09-01", Closes: "2016-09-30", Moderation: fabrique.ModerationNone}); err != nil {
		t.Fatal(err)
	}
	emails := func() int {
		var n int
		if err := w.st.DB().CountWhere(context.Background(), "comments", "email <> ''", &n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	c, err := fu.Comment(w.anonymous, w.c4, &fabrique.CommentInput{Author: "Pseudo", Email: "secret@exemple.fr", Consent: true, Text: "Un commentaire."})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fu.ConfirmComment(w.anonymous, w.st.DB().ConfirmLink(context.Background(), c.ID)); err != nil {
		t.Fatal(err)
	}
	// A comment never confirmed is deleted with its email after a week.
	if _, err := fu.Comment(w.anonymous, w.c4, &fabrique.CommentInput{Author: "Oublié", Email: "oubli@exemple.fr", Consent: true, Text: "Jamais confirmé."}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.st.Privacy().Purge(w.sys, time.Date(2016, 9, 20, 12, 0, 0, 0, fabrique.Paris)); err != nil || emails() != 2 {
		t.Fatalf("three days after: %v, %d emails", err, emails())
	}
	if _, err := w.st.Privacy().Purge(w.sys, time.Date(2016, 9, 23, 12, 0, 0, 0, fabrique.Paris)); err != nil || emails() != 1 {
		t.Fatalf("eight days after: %v, %d emails", err, emails())
	}
	if _, err := w.st.Privacy().Purge(w.sys, time.Date(2017, 9, 30, 12, 0, 0, 0, fabrique.Paris)); err != nil || emails() != 1 {
		t.Fatalf("eleven months after: %v, %d emails", err, emails())
	}
	if _, err := w.st.Privacy().Purge(w.sys, time.Date(2017, 10, 2, 12, 0, 0, 0, fabrique.Paris)); err != nil || emails() != 0 {
		t.Fatalf("a year after: %v, %d emails", err, emails())
	}
	rec, _ := fu.Record(w.anonymous, w.c4)
	if last := rec.Comments[len(rec.Comments)-1]; last.Author != "Pseudo" {
		t.Errorf("the comment lost its author: %+v", last)
	}
}

// TestTheSubscriptionsEndWithTheRegistrations: a participant follows the
// commitment of their forum workshop; when the forum's retention ends and
// its registrations are anonymised, the subscription goes with them.
func TestTheSubscriptionsEndWithTheRegistrations(t *testing.T) {
	w := newFollowWorld(t)
	ws, err := w.st.Workshops().List(w.sys, fabrique.ListOptions{Limit: 10, Filters: map[string]string{"event_id": "2"}})
	if err != nil || len(ws.Items) == 0 {
		t.Fatalf("forum workshops: %v", err)
	}
	rec, err := w.st.Enrolments().Register(context.Background(), 2, &fabrique.RegistrationRequest{Name: "Léa Martin", Email: "lea@exemple.fr",
		Category: fabrique.CategoryCitizen, WorkshopID: &ws.Items[0].ID, Consent: true})
	if err != nil {
		t.Fatal(err)
	}
	fu := w.st.FollowUp()
	list, err := fu.Followed(w.anonymous, rec.Token)
	if err != nil || len(list) != 1 {
		t.Fatalf("followable: %v %+v", err, list)
	}
	if _, err := fu.Follow(w.anonymous, rec.Token, &fabrique.SubscriptionInput{CommitmentID: list[0].CommitmentID, Subscribed: true}); err != nil {
		t.Fatal(err)
	}
	_, err = fu.Follow(w.anonymous, rec.Token, &fabrique.SubscriptionInput{CommitmentID: w.c4, Subscribed: true})
	mustCode(t, err, fabrique.EINVALID)
	if n := w.count(t, "status_subscriptions"); n != 1 {
		t.Fatalf("%d subscriptions", n)
	}
	if _, err := w.st.Privacy().Purge(w.sys, time.Date(2029, 1, 1, 12, 0, 0, 0, fabrique.Paris)); err != nil {
		t.Fatal(err)
	}
	if n := w.count(t, "status_subscriptions"); n != 0 {
		t.Errorf("%d subscriptions left after the forum's registrations were anonymised", n)
	}
}
