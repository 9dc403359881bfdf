package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"net"
	"net/http"
	"net/mail"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3"

	"fabrique/internal/mail/mailtest"
)

// fromAddress is an HTTP client whose connections leave from a given
// loopback address (each participant has their own, as on the Internet:
// the public forms are rate-limited per address).
func fromAddress(ip string) *http.Client {
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}, Timeout: 5 * time.Second}
	return &http.Client{Timeout: 20 * time.Second, Transport: &http.Transport{DialContext: d.DialContext, DisableKeepAlives: true}}
}

// lockedBuffer collects a process's output while the test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// service is one run of `fabrique serve`.
type service struct {
	cmd    *exec.Cmd
	base   string
	stderr *lockedBuffer
}

func startService(t *testing.T, bin, db, addr string, env ...string) *service {
	t.Helper()
	cmd := exec.Command(bin, "serve", "--demo", "--addr", addr, "--db", db)
	cmd.Env = append(cmd.Environ(), env...)
	stderr := &lockedBuffer{}
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	s := &service{cmd: cmd, base: "http://" + addr, stderr: stderr}
	waitHealthy(t, s.base)
	return s
}

// outboxRow is what the test reads of a message of the outbox.
type outboxRow struct {
	ID        int64  `json:"id"`
	Recipient string `json:"recipient"`
	ItemUID   string `json:"item_uid"`
	Sequence  int    `json:"sequence"`
	Method    string `json:"method"`
	State     string `json:"state"`
}

// messageID is the Message-ID the worker gives a message (outbox.messageID).
func (m outboxRow) messageID() string {
	local, _, _ := strings.Cut(m.ItemUID, "@")
	return fmt.Sprintf("%s.%d.%s", local, m.Sequence, strings.ToLower(m.Method))
}

func readOutbox(t *testing.T, base, token string) []outboxRow {
	t.Helper()
	var page struct {
		Items []outboxRow `json:"items"`
		Total int         `json:"total"`
	}
	getJSONAuth(t, base+"/api/v1/outbox?limit=500", token, &page)
	if page.Total != len(page.Items) {
		t.Fatalf("outbox: %d of %d messages read", len(page.Items), page.Total)
	}
	return page.Items
}

// received counts the messages the SMTP server accepted, by the local part
// of their Message-ID.
func received(t *testing.T, srv *mailtest.Server) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, m := range srv.Messages() {
		msg, err := mail.ReadMessage(bytes.NewReader(m.Data))
		if err != nil {
			t.Fatalf("a message received cannot be read: %v", err)
		}
		id := strings.Trim(msg.Header.Get("Message-ID"), "<>")
		local, _, _ := strings.Cut(id, "@")
		out[local]++
	}
	return out
}

// TestKilledDuringABatchOfInvitationsNothingIsLostNothingSentTwice runs the
// real binary with a loopback SMTP server, registers 40 participants, kills
// the process (SIGKILL) in the middle of the batch of invitations, starts
// it again and lets it finish.
//
// What is promised, precisely: a message is marked "sending" before its
// SMTP transaction. A message found "sending" at restart may or may not
// have reached the server (the kill may fall after the final "." and
// before the answer was recorded): it becomes "doubt" and is never resent
// on its own (at most three such messages: the one in its SMTP exchange,
// and the next ones marked ahead or the previous one whose outcome was not
// written yet). Every other message is sent exactly once. The test then
// does what staff do with a doubt: it checks the mail server and retries
// only the doubts that did not arrive. In the end every message of the
// outbox arrived exactly once.
func TestKilledDuringABatchOfInvitationsNothingIsLostNothingSentTwice(t *testing.T) {
	bin := buildBinary(t)
	srv := mailtest.NewServer(t)
	db := filepath.Join(t.TempDir(), "data", "fabrique.db")
	addr := freeAddr(t)
	env := []string{"FABRIQUE_SMTP_URL=" + srv.URL("starttls=off")}
	first := startService(t, bin, db, addr, append(env, "FABRIQUE_MAIL_RATE=15")...)
	token, errOut, code := runCmd(t, bin, nil, "token", "create", "--email", "admin@fabrique.example", "--db", db)
	if code != 0 {
		t.Fatalf("token: %s", errOut)
	}
	token = strings.TrimSpace(token)
	const participants = 40
	for i := range participants {
		body := fmt.Sprintf(`{"name":"Participant %d","email":"p%d@exemple.fr","category":"citizen","workshop_id":7,"consent":true}`, i, i)
		r, err := fromAddress(fmt.Sprintf("127.0.3.%d", i+1)).Post(first.base+"/api/v1/events/2/register", "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		r.Body.Close()
		if r.StatusCode != 201 {
			t.Fatalf("registration %d: %d", i, r.StatusCode)
		}
	}
	queued := len(readOutbox(t, first.base, token))
	deadline := time.Now().Add(30 * time.Second)
	for srv.Count() < queued/3 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if err := first.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	first.cmd.Wait()
	atKill := srv.Count()
	if atKill == 0 || atKill >= queued {
		t.Fatalf("the kill fell outside the batch: %d of %d messages received", atKill, queued)
	}

	second := startService(t, bin, db, addr, env...)
	var rows []outboxRow
	deadline = time.Now().Add(60 * time.Second)
	for {
		rows = readOutbox(t, second.base, token)
		busy := 0
		for _, m := range rows {
			if m.State == "pending" || m.State == "claimed" || m.State == "sending" {
				busy++
			}
		}
		if busy == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d messages still to send after the restart", busy)
		}
		time.Sleep(100 * time.Millisecond)
	}
	got := received(t, srv)
	var doubts []outboxRow
	for _, m := range rows {
		switch m.State {
		case "sent":
			if got[m.messageID()] != 1 {
				t.Errorf("message %d to %s (sent) received %d times", m.ID, m.Recipient, got[m.messageID()])
			}
		case "doubt":
			doubts = append(doubts, m)
		default:
			t.Errorf("message %d in state %s", m.ID, m.State)
		}
	}
	if len(doubts) > 3 {
		t.Errorf("%d messages in doubt, at most 3 may be", len(doubts))
	}
	t.Logf("%d messages queued, %d received before the kill, %d in doubt at restart", queued, atKill, len(doubts))
	// Staff check the mail server for each doubt, and retry those that did not arrive.
	for _, m := range doubts {
		if got[m.messageID()] > 1 {
			t.Errorf("message %d in doubt was received %d times", m.ID, got[m.messageID()])
		}
		if got[m.messageID()] == 1 {
			continue
		}
		req, _ := http.NewRequest("POST", fmt.Sprintf("%s/api/v1/outbox/%d/retry", second.base, m.ID), nil)
		req.Header.Set("Authorization", "Bearer "+token)
		r, err := http.DefaultClient.Do(req)
		if err != nil || r.StatusCode != 200 {
			t.Fatalf("retry %d: %v %v", m.ID, err, r)
		}
		r.Body.Close()
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for ctx.Err() == nil && srv.Count() < len(rows) {
		time.Sleep(50 * time.Millisecond)
	}
	time.Sleep(300 * time.Millisecond) // anything sent twice would arrive now
	got = received(t, srv)
	perRecipient := map[string]int{}
	for _, m := range rows {
		if got[m.messageID()] != 1 {
			t.Errorf("message %d to %s received %d times, want exactly once", m.ID, m.Recipient, got[m.messageID()])
		}
		perRecipient[m.Recipient]++
	}
	if srv.Count() != len(rows) || len(got) != len(rows) {
		t.Errorf("%d messages received (%d distinct) for %d in the outbox", srv.Count(), len(got), len(rows))
	}
	for i := range participants {
		if perRecipient[fmt.Sprintf("p%d@exemple.fr", i)] == 0 {
			t.Errorf("participant %d got nothing", i)
		}
	}
	if strings.Contains(second.stderr.String(), "@exemple.fr") || strings.Contains(first.stderr.String(), "@exemple.fr") {
		t.Errorf("an address reached the logs:\n%s\n%s", first.stderr, second.stderr)
	}
}

// TestPurgeCommandAnonymisesWhatIsPastItsRetention runs `fabrique purge`
// on the demo, whose Ministère ouvert #1 ended in June 2016.
func TestPurgeCommandAnonymisesWhatIsPastItsRetention(t *testing.T) {
	bin := buildBinary(t)
	db := filepath.Join(t.TempDir(), "fabrique.db")
	if _, errOut, code := runCmd(t, bin, nil, "demo", "--db", db); code != 0 {
		t.Fatalf("demo: %s", errOut)
	}
	// Someone who came to it (the demo has no participants).
	sqldb, err := sql.Open("sqlite3", "file:"+db+"?_foreign_keys=on")
	if err != nil {
		t.Fatal(err)
	}
	_, err = sqldb.Exec(`INSERT INTO people (name, email, category, created_at, updated_at) VALUES ('Noé Durand', 'noe@exemple.fr', 'citizen', '2016-06-01T10:00:00Z', '2016-06-01T10:00:00Z');
		INSERT INTO registrations (event_id, person_id, status, created_at, updated_at) VALUES (1, last_insert_rowid(), 'attended', '2016-06-01T10:00:00Z', '2016-06-01T10:00:00Z')`)
	sqldb.Close()
	if err != nil {
		t.Fatal(err)
	}
	out, errOut, code := runCmd(t, bin, nil, "purge", "--db", db)
	if code != 0 || strings.TrimSpace(out) != "1" || !strings.Contains(errOut, "1 inscription anonymisée") {
		t.Fatalf("first purge: %d %q %q", code, out, errOut)
	}
	out, errOut, code = runCmd(t, bin, nil, "purge", "--db", db)
	if code != 0 || strings.TrimSpace(out) != "0" || !strings.Contains(errOut, "Aucune donnée personnelle") {
		t.Errorf("second purge: %d %q %q", code, out, errOut)
	}
	if _, errOut, code := runCmd(t, bin, nil, "purge", "--db", db, "en-trop"); code != 2 || !strings.Contains(errOut, "argument inattendu") {
		t.Errorf("purge with an argument: %d %q", code, errOut)
	}
}
