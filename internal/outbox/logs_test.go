package outbox_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"fabrique/internal/fabrique"
	"fabrique/internal/mail/mailtest"
	"fabrique/internal/outbox"
)

// TestTheLogsNeverQuoteTheRecipient: a server's refusal often quotes the
// address; the row keeps the answer for staff, the logs only its code.
func TestTheLogsNeverQuoteTheRecipient(t *testing.T) {
	e := newEnv(t, 50)
	e.register(t, "Camille Dupont", "camille.dupont@exemple.fr", 0)
	e.srv.FailNext(1, mailtest.Reply{Code: 550, Enhanced: [3]int{5, 1, 1}, Text: "<camille.dupont@exemple.fr>: boîte inconnue"})
	var logs bytes.Buffer
	w := outbox.New(e.st.Queue(), e.sender, outbox.Config{BaseURL: baseURL, Backoff: func(int) time.Duration { return 0 },
		Log: slog.New(slog.NewTextHandler(&logs, nil))})
	must(t, w.Drain(context.Background()))
	if m := e.message(t); m.State != fabrique.OutboxFailed || !strings.Contains(m.SMTPReply, "camille.dupont@exemple.fr") {
		t.Fatalf("the row should keep the server's answer for staff: %s %q", m.State, m.SMTPReply)
	}
	if !strings.Contains(logs.String(), "SMTP 550") {
		t.Errorf("the failure is not logged: %s", logs.String())
	}
	for _, personal := range []string{"camille", "Dupont", "exemple.fr"} {
		if strings.Contains(logs.String(), personal) {
			t.Errorf("the logs quote %q: %s", personal, logs.String())
		}
	}
}
