package mail

import (
	"context"
	"io"
	"strconv"
	"testing"
	"time"

	gomail "github.com/go-mail/mail/v2"

	"fabrique/internal/mail/mailtest"
)

// reportRate reports the throughput in messages per second.
func reportRate(b *testing.B, n int, d time.Duration) {
	if d > 0 {
		b.ReportMetric(float64(n)/d.Seconds(), "msgs/s")
	}
}

func BenchmarkRenderInvitation(b *testing.B) {
	m := invitation("bench-render")
	b.ReportAllocs()
	start := time.Now()
	for b.Loop() {
		if _, err := Render(m); err != nil {
			b.Fatal(err)
		}
	}
	reportRate(b, b.N, time.Since(start))
}

type rawMessage []byte

func (r rawMessage) WriteTo(w io.Writer) (int64, error) {
	n, err := w.Write(r)
	return int64(n), err
}

// bareClient opens one go-mail connection to srv and returns a function
// sending the pre-rendered invitation n times over it.
func bareClient(tb testing.TB, srv *mailtest.Server) (send func(n int), closeFn func()) {
	raw, err := Render(invitation("bench-bare"))
	if err != nil {
		tb.Fatal(err)
	}
	d := gomail.NewDialer(srv.Host(), srv.Port(), "", "")
	d.StartTLSPolicy = gomail.NoStartTLS
	sc, err := d.Dial()
	if err != nil {
		tb.Fatal(err)
	}
	to := []string{"jean.dupont@example.org"}
	return func(n int) {
			for range n {
				if err := sc.Send("noreply@fabrique.example.org", to, rawMessage(raw)); err != nil {
					tb.Fatal(err)
				}
			}
		}, func() {
			if err := sc.Close(); err != nil {
				tb.Error(err)
			}
		}
}

// senderClient returns a function rendering and sending n invitations
// through one SMTPSender, in batches of 100 as the outbox worker does.
func senderClient(tb testing.TB, srv *mailtest.Server) (send func(n int), closeFn func()) {
	s, err := NewSMTPSender(SMTPConfig{Host: srv.Host(), Port: srv.Port(), Security: Cleartext})
	if err != nil {
		tb.Fatal(err)
	}
	const batch = 100
	msgs := make([]*Message, batch)
	for i := range msgs {
		msgs[i] = invitation("bench-" + strconv.Itoa(i))
	}
	return func(n int) {
			for sent := 0; sent < n; sent += batch {
				for i, err := range s.Send(context.Background(), msgs[:min(batch, n-sent)]...) {
					if err != nil {
						tb.Fatalf("message %d: %v", sent+i, err)
					}
				}
			}
		}, func() {
			if err := s.Close(); err != nil {
				tb.Error(err)
			}
		}
}

// BenchmarkSMTPBare sends one pre-rendered invitation repeatedly over one
// go-mail connection to the loopback server: the bare throughput of the
// client protocol and the server, without rendering or SMTPSender.
func BenchmarkSMTPBare(b *testing.B) {
	srv := mailtest.NewServer(b, mailtest.WithDiscard())
	send, closeFn := bareClient(b, srv)
	defer closeFn()
	b.ResetTimer()
	start := time.Now()
	send(b.N)
	reportRate(b, b.N, time.Since(start))
	if srv.Connections() != 1 || srv.Count() != b.N {
		b.Errorf("connections = %d, messages = %d", srv.Connections(), srv.Count())
	}
}

// BenchmarkSMTPSenderInvitations renders and sends invitations through
// SMTPSender (batches of 100, one connection). Product target: at least half
// of BenchmarkSMTPBare's msgs/s.
func BenchmarkSMTPSenderInvitations(b *testing.B) {
	srv := mailtest.NewServer(b, mailtest.WithDiscard())
	send, closeFn := senderClient(b, srv)
	defer closeFn()
	b.ResetTimer()
	start := time.Now()
	send(b.N)
	reportRate(b, b.N, time.Since(start))
	if srv.Connections() != 1 || srv.Count() != b.N {
		b.Errorf("connections = %d, messages = %d", srv.Connections(), srv.Count())
	}
}
