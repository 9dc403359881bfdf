package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"

	"fabrique/internal/schedule"
)

// assign solves a standalone instance (see internal/schedule/INSTANCE.md)
// and prints the assignment as JSON, or the instance as a CPLEX LP file.
func (a *app) assign(_ context.Context, args []string) error {
	var c Config
	fs := flags("assign", &c)
	var file string
	var lp bool
	fs.StringVar(&file, "instance", "", "fichier JSON de l'instance (voir internal/schedule/INSTANCE.md)")
	fs.BoolVar(&lp, "lp", false, "écrire l'instance au format LP de CPLEX (pour glpsol --lp) au lieu de la résoudre")
	if err := parse(fs, args); err != nil {
		return err
	}
	if file == "" {
		return usageError{"assign : --instance est obligatoire"}
	}
	f, err := os.Open(file)
	if errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("--instance : le fichier %s n'existe pas", file)
	} else if err != nil {
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
	res := schedule.Solve(inst, schedule.Options{})
	fmt.Fprintf(a.stderr, "%d atelier(s) sur %d entièrement affecté(s) (borne supérieure prouvée : %d).\n", res.FullyAssigned, res.Workshops, res.UpperBound)
	if left := res.Workshops - res.FullyAssigned; left > 0 {
		fmt.Fprintf(a.stderr, "%d atelier(s) restent sans salle ou sans tous leurs animateurs : voir « unassigned ».\n", left)
	}
	enc := json.NewEncoder(a.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(res)
}
