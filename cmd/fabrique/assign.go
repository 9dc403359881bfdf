package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sync/atomic"
	"time"

	"fabrique/internal/fabrique"
	"fabrique/internal/schedule"
)

// assign solves a standalone instance (see internal/schedule/INSTANCE.md)
// and prints the assignment as JSON, or the instance as a CPLEX LP file.
func (a *app) assign(ctx context.Context, args []string) error {
	var c Config
	fs := flags("assign", &c)
	var file string
	var lp bool
	var limit time.Duration
	fs.StringVar(&file, "instance", "", "fichier JSON de l'instance (voir internal/schedule/INSTANCE.md)")
	fs.BoolVar(&lp, "lp", false, "écrire l'instance au format LP de CPLEX (pour glpsol --lp) au lieu de la résoudre")
	fs.DurationVar(&limit, "time-limit", schedule.DefaultTimeLimit, "temps maximal de la recherche exacte (par exemple 5s, 1m)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if file == "" {
		return usageError{"assign : --instance est obligatoire"}
	}
	if limit <= 0 {
		return usageError{"assign : --time-limit doit être une durée positive, par exemple 5s"}
	}
	info, err := os.Stat(file)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return fmt.Errorf("--instance : le fichier %s n'existe pas", file)
	case err == nil && info.IsDir():
		return fmt.Errorf("--instance : %s est un dossier, pas un fichier JSON", file)
	}
	f, err := os.Open(file)
	if err != nil {
		return fmt.Errorf("--instance : impossible de lire %s (droits d'accès ?)", file)
	}
	defer f.Close()
	inst, err := schedule.ReadInstance(f)
	if err != nil {
		return fmt.Errorf("--instance %s : %w", file, err)
	}
	if lp {
		return schedule.WriteLP(a.stdout, inst)
	}
	var step atomic.Value
	step.Store("préparation")
	done, stopped := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(stopped)
		a.assignProgress(done, &step, limit)
	}()
	// The solver takes no context: it runs on its own goroutine so that an
	// interruption (Ctrl-C, SIGTERM) ends the command at once, with nothing
	// written on stdout.
	solved := make(chan schedule.Result, 1)
	go func() {
		solved <- schedule.Solve(inst, schedule.Options{TimeLimit: limit, Progress: func(s string) { step.Store(s) }})
	}()
	var res schedule.Result
	select {
	case res = <-solved:
	case <-ctx.Done():
		close(done)
		<-stopped
		return fmt.Errorf("affectation interrompue (%s) : aucun résultat écrit", step.Load())
	}
	close(done)
	<-stopped
	fmt.Fprintf(a.stderr, "%d %s sur %d %s (borne supérieure prouvée : %d).\n", res.FullyAssigned, plural(res.FullyAssigned, "atelier entièrement affecté", "ateliers entièrement affectés"),
		res.Workshops, plural(res.Workshops, "atelier", "ateliers"), res.UpperBound)
	if res.Optimal {
		fmt.Fprintln(a.stderr, "Ce nombre est optimal : la borne est atteinte.")
	} else {
		fmt.Fprintf(a.stderr, "Optimalité non prouvée dans le temps imparti (%s) : au plus %s de plus %s affectables (écart « gap »). Augmentez --time-limit pour chercher plus longtemps.\n", limit,
			fabrique.Count(res.Gap, "atelier", "ateliers"), plural(res.Gap, "serait", "seraient"))
	}
	if left := res.Workshops - res.FullyAssigned; left > 0 {
		fmt.Fprintf(a.stderr, "%s sans salle ou sans tous leurs animateurs : voir « unassigned ».\n",
			fabrique.Count(left, "atelier reste", "ateliers restent"))
	}
	enc := json.NewEncoder(a.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(res)
}

// assignProgress tells, on stderr, what the solver is doing once a second
// has passed, and then every second until done is closed.
func (a *app) assignProgress(done <-chan struct{}, step *atomic.Value, limit time.Duration) {
	begin := time.Now()
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		select {
		case <-done:
			return
		case now := <-tick.C:
			fmt.Fprintf(a.stderr, "affectation en cours (%d s, limite %s) : %s…\n",
				int(now.Sub(begin).Seconds()), limit, step.Load())
		}
	}
}

// plural is one or many, as the count n asks (0 and 1 in the singular).
func plural(n int, one, many string) string {
	if n <= 1 {
		return one
	}
	return many
}
