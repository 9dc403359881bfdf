package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"

	"fabrique/internal/mail/mailtest"
)

// TestServeAllocatesRankedChoicesOnceRegistrationCloses runs the real
// binary: an event allocating by ranked choices takes three requests, its
// registration closes, and the service (at its next start, then every
// minute) allocates the places on its own and sends the invitations.
func TestServeAllocatesRankedChoicesOnceRegistrationCloses(t *testing.T) {
	bin := buildBinary(t)
	srv := mailtest.NewServer(t)
	db := t.TempDir() + "/data/fabrique.db"
	addr := freeAddr(t)
	env := []string{"FABRIQUE_SMTP_URL=" + srv.URL("starttls=off")}
	first := startService(t, bin, db, addr, env...)
	token, errOut, code := runCmd(t, bin, nil, "token", "create", "--email", "admin@fabrique.example", "--db", db)
	if code != 0 {
		t.Fatalf("token: %s", errOut)
	}
	token = strings.TrimSpace(token)
	closes := time.Now().Add(3 * time.Second).Truncate(time.Second)
	settings := fmt.Sprintf(`{"allocation":"preference","closes_at":%q,"review_before_sending":false}`, closes.Format(time.RFC3339))
	req, _ := http.NewRequest("PUT", first.base+"/api/v1/events/2/registration-settings", strings.NewReader(settings))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	r, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	r.Body.Close()
	if r.StatusCode != 200 {
		t.Fatalf("settings: %d", r.StatusCode)
	}
	for i := range 3 {
		body := fmt.Sprintf(`{"name":"Participant %d","email":"choix%d@exemple.fr","category":"citizen","choices":[7],"consent":true}`, i, i)
		r, err := fromAddress(fmt.Sprintf("127.0.4.%d", i+1)).Post(first.base+"/api/v1/events/2/register", "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		var rec struct {
			Status string `json:"status"`
		}
		json.NewDecoder(r.Body).Decode(&rec)
		r.Body.Close()
		if r.StatusCode != 201 || rec.Status != "pending" {
			t.Fatalf("request %d: %d %s", i, r.StatusCode, rec.Status)
		}
	}
	time.Sleep(time.Until(closes.Add(time.Second)))
	first.cmd.Process.Signal(syscall.SIGTERM)
	first.cmd.Wait()

	second := startService(t, bin, db, addr, env...)
	deadline := time.Now().Add(20 * time.Second)
	for {
		invited, unsent := map[string]bool{}, 0
		for _, m := range readOutbox(t, second.base, token) {
			if !strings.HasPrefix(m.Recipient, "choix") {
				continue
			}
			if m.State != "sent" {
				unsent++
			} else if m.Method == "REQUEST" {
				invited[m.Recipient] = true
			}
		}
		if len(invited) == 3 && unsent == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d participants invited after the closing (%d messages unsent), want 3; log:\n%s", len(invited), unsent, second.stderr.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
	if !strings.Contains(second.stderr.String(), "places allocated at closing") {
		t.Errorf("the log does not tell the allocation:\n%s", second.stderr.String())
	}
}
