package mail

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDirSenderWritesEML(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data", "outbox")
	d, err := NewDirSender(dir)
	if err != nil {
		t.Fatal(err)
	}
	a, b := invitation("invite-1"), invitation("invite/2")
	errs := d.Send(context.Background(), a, b)
	for i, err := range errs {
		if err != nil {
			t.Fatalf("message %d: %v", i, err)
		}
	}
	for _, m := range []*Message{a, b} {
		raw, err := os.ReadFile(d.Path(m.ID))
		if err != nil {
			t.Fatal(err)
		}
		checkInvitation(t, raw, m)
	}
	if got := filepath.Base(d.Path("invite-1")); got != "invite-1.eml" {
		t.Errorf("file name %q", got)
	}

	// A resend replaces the file; no temporary file is left behind.
	a.Subject = "Rappel : Ministère ouvert"
	if errs := d.Send(context.Background(), a); errs[0] != nil {
		t.Fatal(errs[0])
	}
	raw, err := os.ReadFile(d.Path(a.ID))
	if err != nil {
		t.Fatal(err)
	}
	checkInvitation(t, raw, a)
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 2 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("directory holds %v, want the 2 .eml files only", names)
	}
}

func TestDirSenderErrors(t *testing.T) {
	d, err := NewDirSender(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	bad := invitation("bad")
	bad.To.Email = "nobody"
	errs := d.Send(context.Background(), bad, invitation("good"))
	var fe *FieldError
	if !errors.As(errs[0], &fe) || fe.Field != "to.email" || IsTemporary(errs[0]) {
		t.Errorf("invalid message: %v, want permanent to.email error", errs[0])
	}
	if errs[1] != nil {
		t.Errorf("valid message after an invalid one: %v", errs[1])
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	errs = d.Send(ctx, invitation("late"))
	if !errors.Is(errs[0], context.Canceled) || !IsTemporary(errs[0]) {
		t.Errorf("cancelled: %v, want temporary context.Canceled", errs[0])
	}
	if _, err := os.Stat(d.Path("late")); !os.IsNotExist(err) {
		t.Errorf("message written despite cancelled context (stat: %v)", err)
	}

	// A directory that vanished is a temporary failure.
	gone := filepath.Join(t.TempDir(), "gone")
	d2, err := NewDirSender(gone)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(gone); err != nil {
		t.Fatal(err)
	}
	if errs := d2.Send(context.Background(), invitation("x")); errs[0] == nil || !IsTemporary(errs[0]) {
		t.Errorf("missing directory: %v, want a temporary error", errs[0])
	}
}

func TestNewSender(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "outbox")
	s, err := NewSender("", dir)
	if err != nil {
		t.Fatal(err)
	}
	if d, ok := s.(*DirSender); !ok || d.Dir() != dir {
		t.Errorf("NewSender without URL = %#v, want a DirSender on %s", s, dir)
	}
	s, err = NewSender("smtps://u:p@smtp.example.org", dir)
	if err != nil {
		t.Fatal(err)
	}
	if c, ok := s.(*SMTPSender); !ok || c.Config().Port != 465 || c.Config().Security != ImplicitTLS {
		t.Errorf("NewSender with URL = %#v", s)
	}
	if _, err := NewSender("ftp://x", dir); err == nil || !strings.Contains(err.Error(), EnvSMTPURL) {
		t.Errorf("bad URL: %v", err)
	}
}
