package outbox_test

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"fabrique/internal/fabrique"
	"fabrique/internal/mail"
	"fabrique/internal/mail/mailtest"
	"fabrique/internal/outbox"
)

func TestAnInvitationArrivesAsACalendarRequestInFrench(t *testing.T) {
	e := newEnv(t, 20)
	e.register(t, "Françoise Waintrop", "francoise@exemple.fr", 0)
	e.drain(t)
	got := e.received(t)
	if len(got) != 1 {
		t.Fatalf("%d messages received, want 1", len(got))
	}
	r := got[0]
	if r.root.mediaType != "multipart/mixed" || len(r.root.children) != 2 || r.root.children[0].mediaType != "multipart/alternative" {
		t.Fatalf("structure: %s", r.raw)
	}
	alt := r.root.children[0].children
	if len(alt) != 3 || alt[0].mediaType != "text/plain" || alt[1].mediaType != "text/html" || alt[2].mediaType != "text/calendar" || alt[2].params["method"] != "REQUEST" {
		t.Fatalf("alternative parts: %s", r.raw)
	}
	if s := r.subject(t); s != "Invitation : Ministère ouvert #9 – mardi 18 juin 2030" {
		t.Errorf("subject %q", s)
	}
	if to, err := r.header.AddressList("To"); err != nil || to[0].Name != "Françoise Waintrop" {
		t.Errorf("To %v %v", to, err)
	}
	text := string(r.find("text/plain").body)
	for _, want := range []string{"Bonjour Françoise Waintrop,", "Quand : mardi 18 juin 2030 de 18 h 00 à 20 h 15",
		"Où : Salle des fêtes, Hôtel de Rothelin-Charolais, 101 rue de Grenelle, 75007 Paris", "Votre atelier : n° 1 « Ouverture des données 1 », salle : Salle 101",
		"18 h 20 – 19 h 20 : Ateliers", baseURL + "/p/p_"} {
		if !strings.Contains(text, want) {
			t.Errorf("the text lacks %q:\n%s", want, text)
		}
	}
	if html := string(r.find("text/html").body); !strings.Contains(html, `<a href="`+baseURL+"/p/p_") || !strings.Contains(html, "mardi 18 juin 2030 de 18 h 00 à 20 h 15") {
		t.Errorf("html: %s", html)
	}
	c := r.calendar(t)
	if c.method != "REQUEST" || c.sequence != "0" || c.status != "CONFIRMED" || c.dtstart != "Europe/Paris:20300618T180000" ||
		c.attendee != "mailto:francoise@exemple.fr" || !strings.HasPrefix(c.url, baseURL+"/p/p_") {
		t.Errorf("calendar %+v", c)
	}
	// The link of the message opens the participant's agenda.
	a, err := e.st.Enrolments().Agenda(context.Background(), r.token(t))
	must(t, err)
	if a.Email != "francoise@exemple.fr" || a.Items[0].UID != c.uid {
		t.Errorf("agenda %+v", a)
	}
	// The outbox keeps no link once sent.
	page, err := e.st.Outbox().ListOutbox(staff, fabrique.ListOptions{})
	must(t, err)
	if m := page.Items[0]; m.State != fabrique.OutboxSent || m.LinkToken != "" || m.SentAt == nil {
		t.Errorf("outbox row %+v", m)
	}
}

func TestACancellationSendsCancelWithTheSameUIDAndAHigherSequence(t *testing.T) {
	e := newEnv(t, 20)
	e.register(t, "Jean Dupont", "jean@exemple.fr", 0)
	e.drain(t)
	first := e.received(t)[0]
	_, err := e.st.Enrolments().CancelRegistration(context.Background(), first.token(t))
	must(t, err)
	e.drain(t)
	got := e.received(t)
	if len(got) != 2 {
		t.Fatalf("%d messages", len(got))
	}
	inv, cancel := first.calendar(t), got[1].calendar(t)
	if cancel.method != "CANCEL" || cancel.status != "CANCELLED" || cancel.uid != inv.uid || cancel.sequence != "1" {
		t.Errorf("cancel %+v after %+v", cancel, inv)
	}
	if s := got[1].subject(t); s != "Annulation : Ministère ouvert #9" {
		t.Errorf("subject %q", s)
	}
	if !strings.Contains(string(got[1].find("text/plain").body), "Votre participation à « Ministère ouvert #9 » est annulée.") {
		t.Errorf("text %s", got[1].find("text/plain").body)
	}
}

func TestARoomChangeSendsAnUpdatedRequest(t *testing.T) {
	e := newEnv(t, 20)
	e.register(t, "Jean Dupont", "jean@exemple.fr", 0)
	e.drain(t)
	w := e.workshops[0]
	w.RoomID = &e.rooms[1]
	must(t, e.st.Workshops().Update(staff, w))
	e.drain(t)
	if got := e.received(t); len(got) != 1 {
		t.Fatalf("%d messages before the release of the change", len(got))
	}
	_, err := e.st.Changes().ReleaseChanges(staff, e.event.ID)
	must(t, err)
	e.drain(t)
	got := e.received(t)
	if len(got) != 2 {
		t.Fatalf("%d messages", len(got))
	}
	inv, upd := got[0].calendar(t), got[1].calendar(t)
	if upd.method != "REQUEST" || upd.uid != inv.uid || upd.sequence != "1" || !strings.HasPrefix(upd.location, "Salle des fêtes, ") ||
		!strings.Contains(upd.description, "salle : Salle 102.") {
		t.Errorf("update %+v", upd)
	}
	if s := got[1].subject(t); !strings.HasPrefix(s, "Modification : ") {
		t.Errorf("subject %q", s)
	}
	said := "Votre atelier change de salle : Salle 102 au lieu de Salle 101."
	if text := string(got[1].find("text/plain").body); !strings.Contains(text, "Ce qui change :\r\n– "+said) && !strings.Contains(text, "Ce qui change :\n– "+said) {
		t.Errorf("the update does not say what changed:\n%s", text)
	}
	if !strings.Contains(upd.description, said) {
		t.Errorf("the invitation's DESCRIPTION does not say what changed: %q", upd.description)
	}
}

func TestAPromotionFromTheWaitingListSendsTheInvitation(t *testing.T) {
	e := newEnv(t, 1)
	e.register(t, "Anne", "anne@exemple.fr", 0)
	e.register(t, "Bruno", "bruno@exemple.fr", 0)
	e.drain(t)
	got := e.received(t)
	if len(got) != 2 || got[1].find("text/calendar") != nil || !strings.Contains(string(got[1].find("text/plain").body), "vous êtes n° 1 sur la liste d'attente") {
		t.Fatalf("waiting notice: %s", got[1].raw)
	}
	_, err := e.st.Enrolments().CancelRegistration(context.Background(), got[0].token(t))
	must(t, err)
	e.drain(t)
	got = e.received(t)
	if len(got) != 4 {
		t.Fatalf("%d messages", len(got))
	}
	to, _ := got[3].header.AddressList("To")
	if c := got[3].calendar(t); to[0].Address != "bruno@exemple.fr" || c.method != "REQUEST" || c.sequence != "0" {
		t.Errorf("promotion sent to %v: %+v", to, c)
	}
	if s := got[3].subject(t); !strings.HasPrefix(s, "Une place s'est libérée : ") {
		t.Errorf("the promotion's subject %q does not say a seat was freed", s)
	}
	if text := string(got[3].find("text/plain").body); !strings.Contains(text, "une place s'est libérée pour vous") {
		t.Errorf("the promotion does not say a seat was freed:\n%s", text)
	}
}

// hangingMailer delivers its n-th message, then hangs as a killed process
// would, before the worker can record that it was sent; once released, it
// sends nothing more (the process is dead) and reports a network failure.
type hangingMailer struct {
	inner outbox.Mailer
	n     int
	calls int
	hang  chan struct{}
	hung  chan struct{}
}

func (h *hangingMailer) Send(ctx context.Context, msgs ...*mail.Message) []error {
	if h.calls++; h.calls > h.n {
		return []error{&mail.SendError{Temporary: true, Err: errors.New("the process is dead")}}
	}
	errs := h.inner.Send(ctx, msgs...)
	if h.calls == h.n {
		close(h.hung)
		<-h.hang
	}
	return errs
}

// mortalQueue is the queue of a process that can die: after die, every
// call hangs (a call under way when it dies completes first, as a commit
// the process finished before its end).
type mortalQueue struct {
	outbox.Queue
	mu   sync.RWMutex
	dead chan struct{}
}

func (q *mortalQueue) enter() {
	q.mu.RLock()
	select {
	case <-q.dead:
		q.mu.RUnlock()
		select {} // a dead process does nothing more
	default:
	}
}

func (q *mortalQueue) die() {
	q.mu.Lock()
	close(q.dead)
	q.mu.Unlock()
}

func (q *mortalQueue) Claim(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]*fabrique.OutboxMessage, error) {
	q.enter()
	defer q.mu.RUnlock()
	return q.Queue.Claim(ctx, now, lease, limit)
}

func (q *mortalQueue) Mark(ctx context.Context, now time.Time, done []fabrique.OutboxOutcome, sending []int64, lease time.Duration) ([]bool, error) {
	q.enter()
	defer q.mu.RUnlock()
	return q.Queue.Mark(ctx, now, done, sending, lease)
}

func TestNothingIsSentTwiceAfterARestartInTheMiddleOfABatch(t *testing.T) {
	e := newEnv(t, 50)
	for i := range 10 {
		e.register(t, "Participant", "p"+string(rune('a'+i))+"@exemple.fr", 0)
	}
	killed := &hangingMailer{inner: e.sender, n: 4, hang: make(chan struct{}), hung: make(chan struct{})}
	q := &mortalQueue{Queue: e.st.Queue(), dead: make(chan struct{})}
	go outbox.New(q, killed, outbox.Config{BaseURL: baseURL}).RunOnce(context.Background())
	<-killed.hung // 4 delivered, the 4th not recorded: the process dies here
	q.die()
	// A new process starts on the same database and sends what is left.
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	restarted := e.worker(newSender(t, e.srv))
	go func() { restarted.Run(ctx); close(done) }()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		p, err := e.st.Outbox().OutboxProgress(staff, e.event.ID, "")
		must(t, err)
		if p.Done {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	<-done
	// The 4th message (in its SMTP exchange), at most two marked ahead of it
	// and the one before it if its outcome was not written yet are doubts,
	// at most three: not resent by the new process. Every other message
	// arrived exactly once.
	page, err := e.st.Outbox().ListOutbox(staff, fabrique.ListOptions{Limit: 20})
	must(t, err)
	got := e.receivedBy(t)
	var doubts []*fabrique.OutboxMessage
	for _, m := range page.Items {
		switch {
		case m.State == fabrique.OutboxDoubt:
			doubts = append(doubts, m)
			if got[m.Recipient] > 1 {
				t.Errorf("message in doubt to %s received %d times", m.Recipient, got[m.Recipient])
			}
		case m.State != fabrique.OutboxSent || got[m.Recipient] != 1:
			t.Errorf("message to %s: %s, received %d times", m.Recipient, m.State, got[m.Recipient])
		}
	}
	if len(doubts) < 1 || len(doubts) > 3 {
		t.Fatalf("%d messages in doubt, want 1 to 3", len(doubts))
	}
	// Staff check the mail server and retry the doubts that did not arrive.
	for _, m := range doubts {
		if got[m.Recipient] == 0 {
			_, err := e.st.Outbox().RetryMessage(staff, m.ID)
			must(t, err)
		}
	}
	e.drain(t)
	if got = e.receivedBy(t); e.srv.Count() != 10 || len(got) != 10 {
		t.Errorf("%d messages received for %d participants, want each of the 10 once: %v", e.srv.Count(), len(got), got)
	}
}

func TestAMessageInDoubtIsNotResentUntilStaffDecide(t *testing.T) {
	e := newEnv(t, 50)
	e.register(t, "Anne", "anne@exemple.fr", 0)
	q := e.st.Queue()
	msgs, err := q.Claim(context.Background(), time.Now(), time.Minute, 10)
	must(t, err)
	started, err := q.Mark(context.Background(), time.Now(), nil, []int64{msgs[0].ID}, time.Minute)
	must(t, err)
	if !started[0] {
		t.Fatal("not started")
	}
	// Killed here, during the SMTP transaction. Restart:
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	e.worker(e.sender).Run(ctx)
	if e.srv.Count() != 0 {
		t.Fatalf("a doubtful message was resent")
	}
	m, err := e.st.Outbox().OutboxMessage(staff, msgs[0].ID)
	must(t, err)
	if m.State != fabrique.OutboxDoubt || !strings.Contains(m.LastError, "peut-être été remis") {
		t.Fatalf("state %s: %s", m.State, m.LastError)
	}
	_, err = e.st.Outbox().RetryMessage(staff, m.ID)
	must(t, err)
	e.drain(t)
	if e.srv.Count() != 1 {
		t.Errorf("%d messages after the staff's retry", e.srv.Count())
	}
}

func TestTemporaryFailuresAreRetriedAndPermanentOnesAreNot(t *testing.T) {
	e := newEnv(t, 50)
	e.register(t, "Anne", "anne@exemple.fr", 0)
	e.srv.FailNext(2, mailtest.Reply{Code: 451, Enhanced: [3]int{4, 3, 0}, Text: "essayez plus tard"})
	w := e.worker(e.sender)
	for range 2 {
		_, err := w.RunOnce(context.Background())
		must(t, err)
	}
	m := e.message(t)
	if m.State != fabrique.OutboxPending || m.Attempts != 2 || !strings.HasPrefix(m.SMTPReply, "451") {
		t.Fatalf("after two temporary failures: %s, %d attempts, reply %q", m.State, m.Attempts, m.SMTPReply)
	}
	e.drain(t)
	if m := e.message(t); m.State != fabrique.OutboxSent || e.srv.Count() != 1 {
		t.Fatalf("after the retry: %s, %d received", m.State, e.srv.Count())
	}

	e.register(t, "Bruno", "bruno@exemple.fr", 0)
	e.srv.FailNext(1, mailtest.Reply{Code: 550, Enhanced: [3]int{5, 1, 1}, Text: "boîte inconnue"})
	e.drain(t)
	e.drain(t)
	m = e.message(t)
	if m.State != fabrique.OutboxFailed || m.Attempts != 1 || !strings.HasPrefix(m.SMTPReply, "550") || e.srv.Count() != 1 {
		t.Errorf("after a permanent failure: %s, %d attempts, reply %q", m.State, m.Attempts, m.SMTPReply)
	}
}

// message is the newest message of the outbox.
func (e *env) message(t testing.TB) *fabrique.OutboxMessage {
	t.Helper()
	page, err := e.st.Outbox().ListOutbox(staff, fabrique.ListOptions{Limit: 1})
	must(t, err)
	return page.Items[0]
}

func TestReviewBeforeSendingHoldsTheBatchUntilReleased(t *testing.T) {
	e := newEnv(t, 50)
	must(t, e.st.Enrolments().SetSettings(staff, &fabrique.RegistrationSettings{EventID: e.event.ID, Allocation: fabrique.AllocFirstCome, Review: true}))
	e.register(t, "Anne", "anne@exemple.fr", 0)
	e.register(t, "Bruno", "bruno@exemple.fr", 0)
	e.drain(t)
	if e.srv.Count() != 0 {
		t.Fatal("held messages were sent")
	}
	eml, err := e.worker(e.sender).Renderer().EML(e.message(t), time.Now())
	must(t, err)
	if !strings.Contains(string(eml), "lien personnel masqu") || strings.Contains(string(eml), "/p/p_") {
		t.Errorf("the preview shows the private link")
	}
	rel, err := e.st.Outbox().ReleaseHeld(staff, e.event.ID)
	must(t, err)
	if rel.Released != 2 {
		t.Fatalf("released %d", rel.Released)
	}
	p, err := e.st.Outbox().OutboxProgress(staff, e.event.ID, rel.Batch)
	must(t, err)
	if p.Counts["pending"] != 2 || p.Done {
		t.Errorf("progress before sending %+v", p)
	}
	e.drain(t)
	p, err = e.st.Outbox().OutboxProgress(staff, e.event.ID, rel.Batch)
	must(t, err)
	if p.Counts["sent"] != 2 || !p.Done || e.srv.Count() != 2 {
		t.Errorf("progress after sending %+v", p)
	}
}

// pausingMailer waits before delivering its n-th message until released.
type pausingMailer struct {
	inner  outbox.Mailer
	n      int
	calls  int
	paused chan struct{}
	resume chan struct{}
}

func (p *pausingMailer) Send(ctx context.Context, msgs ...*mail.Message) []error {
	if p.calls++; p.calls == p.n {
		close(p.paused)
		<-p.resume
	}
	return p.inner.Send(ctx, msgs...)
}

// The worker writes each step in its narrow journal (outbox_attempts) and
// folds it into the outbox rows at the end of the run; staff see every
// step as it happens.
func TestStaffFollowEachMessageWhileTheBatchRuns(t *testing.T) {
	e := newEnv(t, 50)
	for i := range 6 {
		e.register(t, "Participant", "p"+string(rune('a'+i))+"@exemple.fr", 0)
	}
	m := &pausingMailer{inner: e.sender, n: 4, paused: make(chan struct{}), resume: make(chan struct{})}
	ran := make(chan error)
	go func() { _, err := e.worker(m).RunOnce(context.Background()); ran <- err }()
	<-m.paused // three messages are sent; the fourth is in its SMTP exchange
	var p *fabrique.OutboxProgress
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		var err error
		p, err = e.st.Outbox().OutboxProgress(staff, e.event.ID, "")
		must(t, err)
		if p.Counts["sent"] > 0 { // an outcome is written with the next mark
			break
		}
	}
	if p.Counts["sent"] < 1 || p.Counts["sent"] > 3 || p.Counts["sending"] < 1 || p.Done {
		t.Errorf("progress while sending: %+v", p)
	}
	sent, err := e.st.Outbox().ListOutbox(staff, fabrique.ListOptions{Filters: map[string]string{"state": "sent"}})
	must(t, err)
	if len(sent.Items) < 1 {
		t.Error("no message listed as sent")
	}
	for _, s := range sent.Items {
		if s.SentAt == nil || s.Attempts != 1 || s.LinkToken != "" {
			t.Errorf("message %d listed as sent: sent at %v, %d attempts, link token kept %v", s.ID, s.SentAt, s.Attempts, s.LinkToken != "")
		}
	}
	db, err := sql.Open("sqlite3", "file:"+e.path+"?mode=ro")
	must(t, err)
	defer db.Close()
	var journal, folded int
	must(t, db.QueryRow(`SELECT COUNT(*) FROM outbox_attempts`).Scan(&journal))
	must(t, db.QueryRow(`SELECT COUNT(*) FROM outbox WHERE state = 'sent'`).Scan(&folded))
	if journal < 2 || folded != 0 { // staff saw the journal, not yet folded
		t.Errorf("during the run: %d lines in the journal, %d rows already folded", journal, folded)
	}
	close(m.resume)
	must(t, <-ran)
	must(t, db.QueryRow(`SELECT COUNT(*) FROM outbox_attempts`).Scan(&journal))
	must(t, db.QueryRow(`SELECT COUNT(*) FROM outbox WHERE state = 'sent' AND attempts = 1 AND sent_at IS NOT NULL`).Scan(&folded))
	if journal != 0 || folded != 6 || e.srv.Count() != 6 {
		t.Errorf("after the run: %d lines in the journal, %d rows sent, %d received", journal, folded, e.srv.Count())
	}
}

// Batches follow one another without a pause; a message that cannot be
// composed fails with the reason, and the others leave.
func TestABrokenMessageFailsAndTheBatchesGoOn(t *testing.T) {
	e := newEnv(t, 50)
	for i := range 7 {
		e.register(t, "Participant", "p"+string(rune('a'+i))+"@exemple.fr", 0)
	}
	db, err := sql.Open("sqlite3", "file:"+e.path+"?_busy_timeout=5000")
	must(t, err)
	defer db.Close()
	_, err = db.Exec(`UPDATE outbox SET recipient = 'pas une adresse' WHERE recipient = 'pc@exemple.fr'`)
	must(t, err)
	w := outbox.New(e.st.Queue(), e.sender, outbox.Config{BaseURL: baseURL, Batch: 3})
	must(t, w.Drain(context.Background()))
	got := e.receivedBy(t)
	if e.srv.Count() != 6 || len(got) != 6 || got["pc@exemple.fr"] != 0 {
		t.Errorf("%d messages received: %v", e.srv.Count(), got)
	}
	page, err := e.st.Outbox().ListOutbox(staff, fabrique.ListOptions{Filters: map[string]string{"state": "failed"}})
	must(t, err)
	if page.Total != 1 || !strings.Contains(page.Items[0].LastError, "message impossible à composer") {
		t.Fatalf("failed messages: %+v", page.Items)
	}
	p, err := e.st.Outbox().OutboxProgress(staff, e.event.ID, "")
	must(t, err)
	if p.Counts["sent"] != 6 || !p.Done {
		t.Errorf("progress %+v", p)
	}
}

// Stopping the service in the middle of a batch leaves no doubt: messages
// marked ahead but never started are due again, and the next run sends
// each message once.
func TestAGracefulStopLeavesNoDoubt(t *testing.T) {
	e := newEnv(t, 50)
	for i := range 6 {
		e.register(t, "Participant", "p"+string(rune('a'+i))+"@exemple.fr", 0)
	}
	m := &pausingMailer{inner: e.sender, n: 2, paused: make(chan struct{}), resume: make(chan struct{})}
	ctx, cancel := context.WithCancel(context.Background())
	ran := make(chan error)
	go func() { ran <- e.worker(m).Run(ctx) }()
	<-m.paused
	cancel() // the service stops while the second message waits to be sent
	close(m.resume)
	must(t, <-ran)
	p, err := e.st.Outbox().OutboxProgress(staff, e.event.ID, "")
	must(t, err)
	if p.Counts["doubt"] != 0 || p.Counts["sending"] != 0 || p.Counts["sent"] != e.srv.Count() {
		t.Fatalf("after the stop: %+v, %d received", p, e.srv.Count())
	}
	e.drain(t)
	if got := e.receivedBy(t); e.srv.Count() != 6 || len(got) != 6 {
		t.Errorf("%d messages received for %d participants, want each of the 6 once", e.srv.Count(), len(got))
	}
}

func TestAReminderBeforeTheEventIsDelivered(t *testing.T) {
	e := newEnv(t, 20)
	e.register(t, "Jean Dupont", "jean@exemple.fr", 0)
	e.drain(t)
	sys := fabrique.WithUser(context.Background(), fabrique.System)
	if _, err := e.st.Changes().RemindDue(sys, time.Date(2030, time.June, 16, 18, 0, 0, 0, fabrique.Paris)); err != nil {
		t.Fatal(err)
	}
	e.drain(t)
	got := e.received(t)
	if len(got) != 2 {
		t.Fatalf("%d messages", len(got))
	}
	if s := got[1].subject(t); s != "Rappel : Ministère ouvert #9 – mardi 18 juin 2030" {
		t.Errorf("subject %q", s)
	}
	text := string(got[1].find("text/plain").body)
	for _, want := range []string{"a lieu bientôt", "/p/"} {
		if !strings.Contains(text, want) {
			t.Errorf("the reminder lacks %q:\n%s", want, text)
		}
	}
}
