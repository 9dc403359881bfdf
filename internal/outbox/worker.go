// Package outbox drains the outbox of fabrique: a Worker claims the messages
// queued by the store (with a lease, so that a stale claim is taken again),
// renders them (French text and HTML templates, iCalendar REQUEST or
// CANCEL), sends them one by one through a Mailer that reuses its
// connection, and records each outcome: sent, retried later with growing
// delays after a temporary failure, or failed with the SMTP answer.
//
// At most once: a message is marked "sending" in the database (a line of
// the worker's journal) before its SMTP transaction starts. A message found
// "sending" when the worker starts again (the process was killed
// mid-transaction) may or may not have been delivered; it becomes "doubt"
// and is never sent again on its own: staff see it and decide. A message
// claimed but not yet sending is simply taken again. One worker runs per
// database. To keep the SMTP connection busy, the next two messages are
// marked "sending" in one transaction while the current one is in its SMTP
// exchange: a crash leaves at most three messages in doubt.
package outbox

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"runtime"
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
	// Mark records outcomes, then marks the messages of sending
	// "sending"; false for a message no longer claimed. Without messages
	// to send, it ends a run.
	Mark(ctx context.Context, now time.Time, done []fabrique.OutboxOutcome, sending []int64, lease time.Duration) ([]bool, error)
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
		_, err := w.pump(ctx, true)
		if err != nil && ctx.Err() == nil {
			w.cfg.Log.Error("outbox", slog.String("error", err.Error()))
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
	_, err := w.pump(ctx, true)
	return err
}

// RunOnce claims one batch and sends it; it returns how many messages it
// claimed.
func (w *Worker) RunOnce(ctx context.Context) (int, error) {
	return w.pump(ctx, false)
}

// rendered is a claimed message and its e-mail, or why it cannot be built.
type rendered struct {
	m   *fabrique.OutboxMessage
	msg *mail.Message
	err error
}

// marked is a message written in the journal ("sending"), ready to be sent.
type marked struct {
	r       rendered
	started bool // false: no longer claimed, not to be sent
	err     error
}

// pump claims batches and sends them; it returns how many messages it
// claimed. With more, it claims the next batch as soon as the previous one
// is rendered, until a claim comes back short; otherwise one batch.
//
// Three goroutines form a pipeline: one claims and renders the messages
// ahead (MIME bytes included), one writes the next messages in the journal
// ("sending", markAhead per transaction, with the outcomes known so far)
// while the message before them is in its SMTP exchange, and this one
// sends. The SMTP exchange runs on this goroutine: while it waits on the
// network, the marker's SQLite call gets the processor at once. At most
// markAhead+1 messages are ever "sending".
func (w *Worker) pump(ctx context.Context, more bool) (int, error) {
	var claimed []*fabrique.OutboxMessage
	var claimErr, markErr error
	// Messages the marker settled (could not be composed, or marked but
	// never handed over), and those the sender took: written by each
	// goroutine, read once both have stopped.
	settledByMarker, taken := map[int64]bool{}, map[int64]bool{}
	stop := make(chan struct{}) // the sender stopped
	ready := make(chan rendered, w.cfg.Batch)
	go func() {
		defer close(ready)
		for ctx.Err() == nil {
			msgs, err := w.q.Claim(ctx, w.cfg.Now(), w.cfg.Lease, w.cfg.Batch)
			if err != nil {
				claimErr = err
				return
			}
			claimed = append(claimed, msgs...)
			for _, m := range msgs {
				msg, err := w.r.Message(m, w.cfg.Now(), false)
				if err == nil {
					err = msg.Prepare() // the MIME bytes, off the SMTP exchange's path
				}
				select {
				case ready <- rendered{m: m, msg: msg, err: err}:
				case <-stop: // the rest stays claimed: taken again when the lease ends
					return
				}
				// Rendering is ahead of sending: let the goroutines of
				// the SMTP exchange, woken by the network, run first.
				runtime.Gosched()
			}
			if !more || len(msgs) < w.cfg.Batch {
				return
			}
		}
	}()
	// Outcomes are recorded even when ctx ends: the SMTP exchange is over.
	record := context.WithoutCancel(ctx)
	outcomes := make(chan fabrique.OutboxOutcome, w.cfg.Batch+2)
	next := make(chan marked) // unbuffered: the marker stays one group ahead
	go func() {
		defer close(next)
		var failures []fabrique.OutboxOutcome // messages that could not be composed
		defer func() {
			for range ready { // let the renderer finish
			}
			if len(failures) > 0 {
				_, markErr = w.q.Mark(record, w.cfg.Now(), failures, nil, 0)
			}
			for _, f := range failures {
				settledByMarker[f.ID] = true
			}
		}()
		group := make([]rendered, 0, markAhead)
		for {
			var open bool
			group, open = nextGroup(ready, group, &failures)
			if len(group) > 0 {
				ids := make([]int64, len(group))
				for i, r := range group {
					ids[i] = r.m.ID
				}
				started, err := w.q.Mark(record, w.cfg.Now(), append(failures, drain(outcomes)...), ids, w.cfg.Lease)
				if err == nil {
					for _, f := range failures {
						settledByMarker[f.ID] = true
					}
					failures = nil
				}
				for i, r := range group {
					select {
					case next <- marked{r: r, started: started[i], err: err}:
					case <-stop:
						// Written "sending" but never handed to the sender.
						for j := i; j < len(group); j++ {
							settledByMarker[group[j].m.ID] = true
							if started[j] {
								outcomes <- notSent(group[j].m, w.cfg.Now())
							}
						}
						return
					}
					if err != nil {
						return
					}
				}
			}
			if !open {
				return
			}
		}
	}()
	var failed error
	for mk := range next {
		taken[mk.r.m.ID] = true
		if mk.err != nil {
			failed = mk.err
			break
		}
		if !mk.started {
			continue
		}
		if ctx.Err() != nil || w.pace(ctx) != nil {
			outcomes <- notSent(mk.r.m, w.cfg.Now())
			break
		}
		w.lastSend = time.Now()
		outcomes <- w.outcome(mk.r.m, w.m.Send(ctx, mk.r.msg)[0])
	}
	close(stop)
	for range next { // the marker has stopped, and the renderer
	}
	done := drain(outcomes)
	for _, m := range claimed {
		if !taken[m.ID] && !settledByMarker[m.ID] {
			// Claimed, never tried (the worker is stopping): due again at once.
			done = append(done, fabrique.OutboxOutcome{ID: m.ID, State: fabrique.OutboxPending, RetryAt: w.cfg.Now()})
		}
	}
	if _, err := w.q.Mark(record, w.cfg.Now(), done, nil, 0); err != nil && failed == nil {
		failed = err
	}
	return len(claimed), errors.Join(failed, markErr, claimErr)
}

// notSent is the outcome of a message written "sending" whose SMTP
// transaction never started (the worker was stopping): due again at once.
func notSent(m *fabrique.OutboxMessage, now time.Time) fabrique.OutboxOutcome {
	return fabrique.OutboxOutcome{ID: m.ID, State: fabrique.OutboxPending, RetryAt: now, Error: "envoi interrompu avant la transaction SMTP"}
}

// markAhead is how many messages the marker writes "sending" in one
// transaction, while the message before them is in its SMTP exchange: a
// crash leaves at most markAhead+1 messages in doubt.
const markAhead = 2

// nextGroup returns up to markAhead rendered messages, waiting only for the
// first; messages that could not be composed go to failures. It reports
// false once ready is closed and empty.
func nextGroup(ready <-chan rendered, group []rendered, failures *[]fabrique.OutboxOutcome) ([]rendered, bool) {
	group = group[:0]
	for len(group) < markAhead {
		var r rendered
		var ok bool
		if len(group) == 0 {
			r, ok = <-ready
		} else {
			select {
			case r, ok = <-ready:
			default:
				return group, true
			}
		}
		if !ok {
			return group, false
		}
		if r.err != nil {
			*failures = append(*failures, fabrique.OutboxOutcome{ID: r.m.ID, State: fabrique.OutboxFailed, Error: "message impossible à composer : " + r.err.Error()})
			continue
		}
		group = append(group, r)
	}
	return group, true
}

// drain returns the outcomes waiting in ch.
func drain(ch chan fabrique.OutboxOutcome) []fabrique.OutboxOutcome {
	var out []fabrique.OutboxOutcome
	for {
		select {
		case o := <-ch:
			out = append(out, o)
		default:
			return out
		}
	}
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
