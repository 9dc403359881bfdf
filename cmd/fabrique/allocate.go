package main

import (
	"context"
	"log/slog"
	"time"

	"fabrique/internal/fabrique"
	"fabrique/internal/sqlite"
)

// allocateEvery is how often `fabrique serve` looks for events by ranked
// choices whose registration has closed, to allocate their places.
const allocateEvery = time.Minute

// startAllocation allocates the places of events by ranked choices once
// their registration closes (at start, then every allocateEvery): everyone
// is told by the outbox, as when staff press « Répartir les places ».
func (a *app) startAllocation(ctx context.Context, st *sqlite.Store) func() {
	return periodic(ctx, allocateEvery, func(ctx context.Context) {
		reps, err := st.Enrolments().AllocateDue(fabrique.WithUser(ctx, fabrique.System), time.Now())
		if err != nil && ctx.Err() == nil {
			a.log.Error("registration: allocation failed", slog.String("error", err.Error()))
		}
		for _, r := range reps {
			a.log.Info("registration: places allocated at closing", slog.Int64("event", r.EventID), slog.Int("participants", r.Participants),
				slog.Int("first_choice", r.FirstChoice), slog.Int("waiting", r.Waiting))
		}
	})
}
