package outbox_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"fabrique/internal/fabrique"
	"fabrique/internal/mail/mailtest"
	"fabrique/internal/outbox"
	"fabrique/internal/web"
)

// TestARushOfRegistrationsIsAnsweredAndDeliveredOnceEach sends 400
// simultaneous registrations over real HTTP through the real router (each
// from its own loopback address) for 200 seats, then delivers the outbox
// to a loopback SMTP server: every registration is answered 201
// (registered or waiting), no seat is overbooked, and every participant
// receives exactly one message: their invitation, or the waiting list's.
func TestARushOfRegistrationsIsAnsweredAndDeliveredOnceEach(t *testing.T) {
	const n, seats = 400, 100
	e := newEnv(t, seats, seats)
	e.srv.Close()
	e.srv = mailtest.NewServer(t)
	e.sender = newSender(t, e.srv)
	h := web.New(e.st, slog.New(slog.NewTextHandler(io.Discard, nil)), web.Config{BaseURL: baseURL})
	ts := httptest.NewServer(h)
	defer ts.Close()

	statuses := make([]int, n)
	states := make([]fabrique.RegistrationStatus, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.IPv4(127, 1, byte(i/250), byte(i%250+1))}}
			client := &http.Client{Transport: &http.Transport{DialContext: d.DialContext, DisableKeepAlives: true}}
			body := fmt.Sprintf(`{"name":"Participant %d","email":"rush-%d@exemple.fr","category":"citizen","workshop_id":%d,"consent":true}`,
				i, i, e.workshops[i%2].ID)
			<-start
			r, err := client.Post(fmt.Sprintf("%s/api/v1/events/%d/register", ts.URL, e.event.ID), "application/json", strings.NewReader(body))
			if err != nil {
				t.Error(err)
				return
			}
			defer r.Body.Close()
			var rec fabrique.RegistrationReceipt
			json.NewDecoder(r.Body).Decode(&rec)
			statuses[i], states[i] = r.StatusCode, rec.Status
		}()
	}
	close(start)
	wg.Wait()
	count := map[string]int{}
	for i := range n {
		count[fmt.Sprintf("%d %s", statuses[i], states[i])]++
	}
	if count["201 registered"] != 2*seats || count["201 waiting"] != n-2*seats {
		t.Fatalf("answers %v, want %d × 201 registered and %d × 201 waiting", count, 2*seats, n-2*seats)
	}
	form, err := e.st.Enrolments().RegistrationForm(context.Background(), e.event.ID)
	must(t, err)
	for _, w := range form.Workshops {
		if w.Registered != seats || w.Waiting != n/2-seats {
			t.Errorf("workshop %d: %d registered, %d waiting", w.ID, w.Registered, w.Waiting)
		}
	}

	w := outbox.New(e.st.Queue(), e.sender, outbox.Config{BaseURL: baseURL, Batch: 200})
	must(t, w.Drain(context.Background()))
	received := map[string]int{}
	invitations := 0
	for _, m := range e.srv.Messages() {
		for _, to := range m.To {
			received[to]++
		}
		if strings.Contains(string(m.Data), "METHOD:REQUEST") {
			invitations++
		}
	}
	for i := range n {
		if to := fmt.Sprintf("rush-%d@exemple.fr", i); received[to] != 1 {
			t.Errorf("%s received %d messages, want 1", to, received[to])
		}
	}
	if len(received) != n || invitations != 2*seats {
		t.Errorf("%d recipients, %d invitations; want %d and %d", len(received), invitations, n, 2*seats)
	}
}
