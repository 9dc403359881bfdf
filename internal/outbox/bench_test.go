package outbox_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"fabrique/internal/fabrique"
	"fabrique/internal/mail"
	"fabrique/internal/mail/mailtest"
	"fabrique/internal/outbox"
)

const benchParticipants = 5000

// BenchmarkDeliverInvitations registers 5,000 participants (not timed) and
// delivers their invitations into the loopback SMTP server (timed):
// claim, render (templates and iCalendar), mark, send, record.
func BenchmarkDeliverInvitations(b *testing.B) {
	var sent int
	var elapsed time.Duration
	for b.Loop() {
		b.StopTimer()
		e := newEnv(b, benchParticipants)
		e.srv.Close()
		e.srv = mailtest.NewServer(b, mailtest.WithDiscard())
		e.sender = newSender(b, e.srv)
		start := time.Now()
		for i := range benchParticipants {
			e.register(b, fmt.Sprintf("Participant %d", i), fmt.Sprintf("p%d@exemple.fr", i), 0)
		}
		b.ReportMetric(float64(benchParticipants)/time.Since(start).Seconds(), "registrations/s")
		w := outbox.New(e.st.Queue(), e.sender, outbox.Config{BaseURL: baseURL, Batch: 200})
		b.StartTimer()
		t0 := time.Now()
		if err := w.Drain(context.Background()); err != nil {
			b.Fatal(err)
		}
		elapsed += time.Since(t0)
		if e.srv.Count() != benchParticipants {
			b.Fatalf("%d messages received", e.srv.Count())
		}
		sent += benchParticipants
	}
	b.ReportMetric(float64(sent)/elapsed.Seconds(), "msgs/s")
}

// BenchmarkBareSMTP sends one pre-rendered invitation over one connection
// to the same loopback server: the ceiling of BenchmarkDeliverInvitations.
// The message is composed once (templates, iCalendar); the sender builds
// its MIME structure at every send. BenchmarkBareSMTP/prepared sends the
// same bytes every time (mail.Message.Prepare), a higher ceiling still.
func BenchmarkBareSMTP(b *testing.B) {
	b.Run("composed", func(b *testing.B) { benchBare(b, false) })
	b.Run("prepared", func(b *testing.B) { benchBare(b, true) })
}

func benchBare(b *testing.B, prepared bool) {
	e := newEnv(b, 10)
	e.register(b, "Participant", "p@exemple.fr", 0)
	page, err := e.st.Outbox().ListOutbox(staff, fabrique.ListOptions{})
	if err != nil {
		b.Fatal(err)
	}
	msg, err := outbox.NewRenderer(baseURL, outbox.DefaultFrom(baseURL)).Message(page.Items[0], time.Now(), false)
	if err != nil {
		b.Fatal(err)
	}
	if prepared {
		if err := msg.Prepare(); err != nil {
			b.Fatal(err)
		}
	}
	srv := mailtest.NewServer(b, mailtest.WithDiscard())
	sender := newSender(b, srv)
	ctx := context.Background()
	start := time.Now()
	n := 0
	for b.Loop() {
		if errs := sender.Send(ctx, msg); errs[0] != nil {
			b.Fatal(errs[0])
		}
		n++
	}
	b.ReportMetric(float64(n)/time.Since(start).Seconds(), "msgs/s")
	var _ mail.Message
}
