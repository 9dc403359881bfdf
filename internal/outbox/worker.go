// Package outbox drains the outbox of fabrique: a Worker claims the messages
// queued by the store (with a lease, so that a stale claim is taken again),
// renders them (French text and HTML templates, iCalendar REQUEST or
// CANCEL), sends them one by one through a Mailer that reuses its
// connection, and records each outcome: sent, retried later with growing
// delays after a temporary failure, or failed with the SMTP answer.
//
// At most once: a message is marked "sending" in the database before its
// SMTP transaction starts. A message found "sending" when the worker starts
// again (the process was killed mid-transaction) may or may not have been
// delivered; it becomes "doubt" and is never sent again on its own: staff
// see it and decide. A message claimed but not yet sending is simply taken
// again. One worker runs per database. To keep the SMTP connection busy, the
// next message is marked "sending" while the current one is in its SMTP
// exchange: a crash leaves at most two messages in doubt.
package outbox

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"time"

	"fabrique/internal/fabrique"
	"fabrique/internal/mail"
)

// Mailer delivers rendered messages; mail.SMTPSender and mail.DirSender
// satisfy it.
type Mailer interface {
	// Send delivers msgs in order and returns one error per message.
	Send(ctx context.Context, msgs ...*mail.Message) []error
}

// Queue is the store's side of the outbox (sqlite.Queue satisfies it).
type Queue interface {
	// Recover turns the messages left "sending" into doubts and releases claims.
	Recover(ctx context.Context, now time.Time) (int, error)
	// Claim leases up to limit due messages.
	Claim(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]*fabrique.OutboxMessage, error)
	// Mark records outcomes, then marks sending (when not 0) "sending";
	// false when that message was no longer claimed.
	Mark(ctx context.Context, now time.Time, done []fabrique.OutboxOutcome, sending int64, lease time.Duration) (bool, error)
}

// Config tunes a Worker; zero fields take the defaults.
type Config struct {
	BaseURL     string        // links to participants' pages: BaseURL/p/<token>
	From        mail.Address  // sender and ORGANIZER; DefaultFrom(BaseURL) when empty
	Rate        float64       // at most this many messages per second; 0: no limit
	Batch       int           // messages claimed at once (50)
	Lease       time.Duration // how long a claim holds (2 minutes)
	Poll        time.Duration // how often the outbox is looked at when idle (2 s)
	MaxAttempts int           // attempts before a temporary failure is final (8)
	// Backoff is the delay before attempt n+1 after n failed attempts
	// (1 min, 2 min, 4 min… up to 6 h).
	Backoff func(attempts int) time.Duration
	Log     *slog.Logger
	Now     func() time.Time
}

// Worker sends the messages of the outbox.
type Worker struct {
	q        Queue
	m        Mailer
	r        *Renderer
	cfg      Config
	wake     chan struct{}
	lastSend time.Time
}

// New returns a worker reading q and sending with m.
func New(q Queue, m Mailer, cfg Config) *Worker {
	if cfg.From.Email == "" {
		cfg.From = DefaultFrom(cfg.BaseURL)
	}
	if cfg.Batch <= 0 {
		cfg.Batch = 50
	}
	if cfg.Lease <= 0 {
		cfg.Lease = 2 * time.Minute
	}
	if cfg.Poll <= 0 {
		cfg.Poll = 2 * time.Second
	}
	if cfg.MaxAttempts <= 0 {
		cfg.MaxAttempts = 8
	}
	if cfg.Backoff == nil {
		cfg.Backoff = func(n int) time.Duration {
			return time.Duration(math.Min(float64(time.Minute)*math.Pow(2, float64(n-1)), float64(6*time.Hour)))
		}
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Worker{q: q, m: m, r: NewRenderer(cfg.BaseURL, cfg.From), cfg: cfg, wake: make(chan struct{}, 1)}
}

// Renderer returns the worker's renderer (for previews).
func (w *Worker) Renderer() *Renderer { return w.r }

// Wake makes a running worker look at the outbox now.
func (w *Worker) Wake() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// Run recovers the messages an earlier run left behind, then sends until
// ctx is done.
func (w *Worker) Run(ctx context.Context) error {
	if n, err := w.q.Recover(ctx, w.cfg.Now()); err != nil {
		return fmt.Errorf("outbox: recover: %w", err)
	} else if n > 0 {
		w.cfg.Log.Warn("outbox: messages interrupted while sending, left for staff to check", slog.Int("doubts", n))
	}
	for {
		n, err := w.RunOnce(ctx)
		if err != nil && ctx.Err() == nil {
			w.cfg.Log.Error("outbox", slog.String("error", err.Error()))
		}
		if n == w.cfg.Batch && err == nil {
			continue
		}
		select {
		case <-ctx.Done():
			return nil
		case <-w.wake:
		case <-time.After(w.cfg.Poll):
		}
	}
}

// Drain sends until nothing is due (tests and benchmarks).
func (w *Worker) Drain(ctx context.Context) error {
	for {
		n, err := w.RunOnce(ctx)
		if err != nil || n == 0 {
			return err
		}
	}
}

// rendered is a claimed message and its e-mail, or why it cannot be built.
type rendered struct {
	m   *fabrique.OutboxMessage
	msg *mail.Message
	err error
}

// RunOnce claims one batch and sends it; it returns how many messages it
// claimed. Messages are rendered ahead on another goroutine while the
// previous ones are being sent.
func (w *Worker) RunOnce(ctx context.Context) (int, error) {
	msgs, err := w.q.Claim(ctx, w.cfg.Now(), w.cfg.Lease, w.cfg.Batch)
	if err != nil || len(msgs) == 0 {
		return 0, err
	}
	ready := make(chan rendered, len(msgs))
	go func() {
		defer close(ready)
		for _, m := range msgs {
			msg, err := w.r.Message(m, w.cfg.Now(), false)
			ready <- rendered{m: m, msg: msg, err: err}
		}
	}()
	defer func() {
		for range ready { // let the renderer finish
		}
	}()
	// Outcomes are recorded even when ctx ends: the SMTP exchange is over.
	record := context.WithoutCancel(ctx)
	var done []fabrique.OutboxOutcome
	// One message is sent on another goroutine while the next one is
	// marked "sending": at most two messages are ever "sending".
	var cur *fabrique.OutboxMessage
	result := make(chan error, 1)
	wait := func() {
		if cur != nil {
			done = append(done, w.outcome(cur, <-result))
			cur = nil
		}
	}
	for r := range ready {
		if ctx.Err() != nil {
			break // still claimed: taken again when the lease ends
		}
		if r.err != nil {
			done = append(done, fabrique.OutboxOutcome{ID: r.m.ID, State: fabrique.OutboxFailed, Error: "message impossible à composer : " + r.err.Error()})
			continue
		}
		if err := w.pace(ctx); err != nil {
			break
		}
		started, err := w.q.Mark(record, w.cfg.Now(), done, r.m.ID, w.cfg.Lease)
		done = nil
		wait()
		if err != nil {
			w.q.Mark(record, w.cfg.Now(), done, 0, 0)
			return len(msgs), err
		}
		if !started {
			continue
		}
		cur, w.lastSend = r.m, time.Now()
		go func(msg *mail.Message) { result <- w.m.Send(ctx, msg)[0] }(r.msg)
	}
	wait()
	if len(done) > 0 {
		if _, err := w.q.Mark(record, w.cfg.Now(), done, 0, 0); err != nil {
			return len(msgs), err
		}
	}
	return len(msgs), nil
}

// pace waits for the rate limit.
func (w *Worker) pace(ctx context.Context) error {
	if w.cfg.Rate <= 0 || w.lastSend.IsZero() {
		return nil
	}
	wait := time.Until(w.lastSend.Add(time.Duration(float64(time.Second) / w.cfg.Rate)))
	if wait <= 0 {
		return nil
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// outcome classifies the result of sending m.
func (w *Worker) outcome(m *fabrique.OutboxMessage, err error) fabrique.OutboxOutcome {
	o := fabrique.OutboxOutcome{ID: m.ID, State: fabrique.OutboxSent}
	if err == nil {
		return o
	}
	var se *mail.SendError
	if errors.As(err, &se) {
		o.Reply = se.Reply
	}
	o.Error = err.Error()
	attempts := m.Attempts + 1
	if mail.IsTemporary(err) && attempts < w.cfg.MaxAttempts {
		o.State, o.RetryAt = fabrique.OutboxPending, w.cfg.Now().Add(w.cfg.Backoff(attempts))
		w.cfg.Log.Warn("outbox: temporary failure, retried later", slog.Int64("message", m.ID), slog.Int("attempts", attempts), slog.String("error", logSafe(err)))
		return o
	}
	o.State = fabrique.OutboxFailed
	w.cfg.Log.Error("outbox: message failed", slog.Int64("message", m.ID), slog.String("error", logSafe(err)))
	return o
}

// logSafe describes a sending error for the logs without the server's
// words, which often quote the recipient's address: the SMTP code, or the
// kind of failure. The full answer stays in the outbox row, for staff.
func logSafe(err error) string {
	var se *mail.SendError
	if errors.As(err, &se) && se.Code != 0 {
		return fmt.Sprintf("SMTP %d (temporary=%v)", se.Code, se.Temporary)
	}
	if mail.IsTemporary(err) {
		return "temporary failure (network or server)"
	}
	return "permanent failure"
}
