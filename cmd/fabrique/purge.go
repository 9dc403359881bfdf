package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"time"

	"fabrique/internal/fabrique"
	"fabrique/internal/sqlite"
)

// purgeEvery is how often `fabrique serve` anonymises the participants of
// events whose retention period is over.
const purgeEvery = 6 * time.Hour

// purge anonymises once the participants whose retention period is over.
func (a *app) purge(ctx context.Context, args []string) error {
	c := defaults()
	if err := parse(flags("purge", &c), args); err != nil {
		return err
	}
	st, err := openStore(ctx, c)
	if err != nil {
		return err
	}
	defer st.DB().Close()
	e, err := runPurge(ctx, st, time.Now())
	if err != nil {
		return err
	}
	reportPurge(a.stderr, e)
	fmt.Fprintln(a.stdout, e.Registrations)
	return nil
}

// runPurge runs the retention job as the system.
func runPurge(ctx context.Context, st *sqlite.Store, now time.Time) (*fabrique.Erasure, error) {
	return st.Privacy().Purge(fabrique.WithUser(ctx, fabrique.System), now)
}

func reportPurge(w io.Writer, e *fabrique.Erasure) {
	if e.Registrations == 0 && e.Contributions == 0 && e.Messages == 0 {
		fmt.Fprintln(w, "Aucune donnée personnelle arrivée au terme de sa durée de conservation.")
		return
	}
	fmt.Fprintf(w, "Durées de conservation échues : %s, %s, %s, %s.\n",
		fabrique.Count(e.Registrations, "inscription anonymisée", "inscriptions anonymisées"),
		fabrique.Count(e.People, "fiche de personne supprimée", "fiches de personne supprimées"),
		fabrique.Count(e.Contributions, "contribution sans auteur", "contributions sans auteur"),
		fabrique.Count(e.Messages, "message supprimé", "messages supprimés"))
}

// startPurge runs the retention job at start, then every purgeEvery,
// until ctx ends; the returned function waits for it to stop.
func (a *app) startPurge(ctx context.Context, st *sqlite.Store) func() {
	return periodic(ctx, purgeEvery, func(ctx context.Context) {
		if e, err := runPurge(ctx, st, time.Now()); err != nil && ctx.Err() == nil {
			a.log.Error("retention: purge failed", slog.String("error", err.Error()))
		} else if err == nil && e.Registrations+e.Contributions+e.Messages > 0 {
			a.log.Info("retention: personal data anonymised", slog.Int("registrations", e.Registrations),
				slog.Int("people", e.People), slog.Int("contributions", e.Contributions), slog.Int("messages", e.Messages))
		}
	})
}

// periodic runs job at once, then every d, until ctx ends; the returned
// function stops it and waits for a run under way to end.
func periodic(ctx context.Context, d time.Duration, job func(context.Context)) func() {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			job(ctx)
			select {
			case <-ctx.Done():
				return
			case <-time.After(d):
			}
		}
	}()
	return func() {
		cancel()
		<-done
	}
}
