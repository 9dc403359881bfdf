package main

import (
	"context"
	"log/slog"
	"time"

	"fabrique/internal/fabrique"
	"fabrique/internal/sqlite"
)

// releaseEvery is how often `fabrique serve` looks for published events
// whose changes have waited their quiet delay, to tell their participants.
const releaseEvery = time.Minute

// startReleases tells the participants of each event the changes that
// waited their quiet delay (at start, then every releaseEvery), as when
// staff press « Publier les modifications », and queues the reminders of
// the events about to start.
func (a *app) startReleases(ctx context.Context, st *sqlite.Store) func() {
	return periodic(ctx, releaseEvery, func(ctx context.Context) {
		rs, err := st.Changes().ReleaseDue(fabrique.WithUser(ctx, fabrique.System), time.Now())
		if err != nil && ctx.Err() == nil {
			a.log.Error("changes: release failed", slog.String("error", err.Error()))
		}
		for _, r := range rs {
			a.log.Info("changes: told after the quiet delay", slog.Int64("event", r.EventID), slog.Int("changes", r.Changes),
				slog.Int("participants", r.Participants), slog.Int("messages", r.Messages))
		}
		reminders, err := st.Changes().RemindDue(fabrique.WithUser(ctx, fabrique.System), time.Now())
		if err != nil && ctx.Err() == nil {
			a.log.Error("changes: reminders failed", slog.String("error", err.Error()))
		}
		for _, r := range reminders {
			a.log.Info("changes: reminder queued", slog.Int64("event", r.EventID), slog.Int("participants", r.Participants))
		}
	})
}
