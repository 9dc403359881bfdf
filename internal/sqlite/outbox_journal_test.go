package sqlite_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"fabrique/internal/fabrique"
)

// The worker writes "sending" and the outcomes in its journal; after a
// crash, Recover folds what was finished and turns what was under way into
// doubts, never into messages sent again.
func TestAfterACrashTheJournalGivesSentMessagesAndDoubts(t *testing.T) {
	f := newFixture(t, 0, 10)
	for _, name := range []string{"Anne", "Basile", "Chloé", "Driss"} {
		f.registerAs(t, name, strings.ToLower(name)+"@exemple.fr", fabrique.CategoryCitizen, 0)
	}
	q, ctx, now := f.st.Queue(), context.Background(), time.Now()
	msgs, err := q.Claim(ctx, now, time.Minute, 10)
	must(t, err)
	if len(msgs) != 4 {
		t.Fatalf("%d messages claimed, want the 4 invitations", len(msgs))
	}
	id := func(i int) int64 { return msgs[i].ID }
	started, err := q.Mark(ctx, now, nil, []int64{id(0), id(1)}, time.Minute)
	must(t, err)
	if !started[0] || !started[1] {
		t.Fatalf("started %v", started)
	}
	// The first was sent; the second is in its SMTP exchange; the third is marked ahead.
	started, err = q.Mark(ctx, now, []fabrique.OutboxOutcome{{ID: id(0), State: fabrique.OutboxSent, Reply: "250 2.0.0 Ok"}}, []int64{id(2)}, time.Minute)
	must(t, err)
	if !started[0] {
		t.Fatal("the third message was not marked")
	}
	// A message marked twice is not sent twice.
	if again, err := q.Mark(ctx, now, nil, []int64{id(2)}, time.Minute); err != nil || again[0] {
		t.Fatalf("marked twice: %v %v", again, err)
	}
	// The fourth was left "sending" by a version without the journal.
	exec(t, f.st, `UPDATE outbox SET state = 'sending' WHERE id = ?`, id(3))
	state := func(i int) *fabrique.OutboxMessage {
		m, err := f.st.Outbox().OutboxMessage(f.ctx, id(i))
		must(t, err)
		return m
	}
	if s := []fabrique.OutboxState{state(0).State, state(1).State, state(2).State}; s[0] != fabrique.OutboxSent || s[1] != fabrique.OutboxSending || s[2] != fabrique.OutboxSending {
		t.Fatalf("before the crash staff see %v", s)
	}
	// The process dies here. The next one starts:
	doubts, err := q.Recover(ctx, now.Add(time.Second))
	must(t, err)
	if doubts != 3 {
		t.Errorf("%d doubts, want 3 (the one in its exchange, the one marked ahead, the old one)", doubts)
	}
	if m := state(0); m.State != fabrique.OutboxSent || m.SentAt == nil || m.SMTPReply != "250 2.0.0 Ok" || m.Attempts != 1 {
		t.Errorf("the message sent before the crash: %s, sent at %v, reply %q, %d attempts", m.State, m.SentAt, m.SMTPReply, m.Attempts)
	}
	for i := 1; i < 4; i++ {
		if m := state(i); m.State != fabrique.OutboxDoubt || !strings.Contains(m.LastError, "peut-être été remis") {
			t.Errorf("message %d: %s (%s)", i+1, m.State, m.LastError)
		}
	}
	var journal int
	must(t, f.st.DB().Count(f.ctx, "outbox_attempts", &journal))
	if journal != 0 {
		t.Errorf("%d lines left in the journal", journal)
	}
	if again, err := q.Claim(ctx, now.Add(time.Hour), time.Minute, 10); err != nil || len(again) != 0 {
		t.Errorf("claimed again after the crash: %d messages (%v)", len(again), err)
	}
}

// A participant erased while their invitation is in its SMTP exchange: the
// message is kept, without address or content, so that its outcome can be
// recorded; the others are deleted.
func TestErasingAParticipantKeepsOnlyTheMessageBeingSent(t *testing.T) {
	f := newFixture(t, 0, 10)
	lea := f.registerAs(t, "Léa Martin", "lea.martin@exemple.fr", fabrique.CategoryCitizen, 0)
	q, ctx, now := f.st.Queue(), context.Background(), time.Now()
	msgs, err := q.Claim(ctx, now, time.Minute, 10)
	must(t, err)
	if _, err := q.Mark(ctx, now, nil, []int64{msgs[0].ID}, time.Minute); err != nil {
		t.Fatal(err)
	}
	_, err = f.st.Privacy().EraseParticipant(context.Background(), lea.Token)
	must(t, err)
	m, err := f.st.Outbox().OutboxMessage(f.ctx, msgs[0].ID)
	must(t, err)
	if m.State != fabrique.OutboxSending || strings.Contains(m.Recipient, "lea") || m.RecipientName != "" {
		t.Fatalf("the message being sent: %s to %q %q", m.State, m.RecipientName, m.Recipient)
	}
	if _, err := q.Mark(ctx, now, []fabrique.OutboxOutcome{{ID: m.ID, State: fabrique.OutboxSent}}, nil, 0); err != nil {
		t.Fatal(err)
	}
	if m, err = f.st.Outbox().OutboxMessage(f.ctx, m.ID); err != nil || m.State != fabrique.OutboxSent {
		t.Fatalf("after its outcome: %v %v", m, err)
	}
}
