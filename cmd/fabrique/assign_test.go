package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fabrique/internal/schedule"
)

func runAssign(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	a := &app{stdout: &out, stderr: &errOut}
	err := a.run(context.Background(), append([]string{"assign"}, args...))
	return out.String(), errOut.String(), err
}

func TestAssignCommand(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "ministere.json")
	var buf bytes.Buffer
	if err := schedule.MinistereOuvert().WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut, err := runAssign(t, "--instance", file, "--time-limit", "2s")
	if err != nil {
		t.Fatal(err)
	}
	var res schedule.Result
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("stdout is not a result: %v\n%s", err, out)
	}
	if res.FullyAssigned != 5 || !res.Optimal || res.Gap != 0 || !strings.Contains(out, `"optimal": true`) {
		t.Errorf("got %+v", res)
	}
	if !strings.Contains(errOut, "Ce nombre est optimal") {
		t.Errorf("stderr: %s", errOut)
	}

	array := filepath.Join(dir, "array.json")
	os.WriteFile(array, []byte("[]"), 0o644)
	cases := map[string][]string{
		"un objet JSON est attendu, pas un tableau":   {"--instance", array},
		"est un dossier, pas un fichier JSON":         {"--instance", dir},
		"le fichier " + dir + "/absent.json n'existe": {"--instance", filepath.Join(dir, "absent.json")},
		"--time-limit doit être une durée positive":   {"--instance", file, "--time-limit", "0s"},
	}
	for want, args := range cases {
		_, _, err := runAssign(t, args...)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%v: error %v, want %q", args, err, want)
		}
		if err != nil && strings.Contains(err.Error(), "is a directory") {
			t.Errorf("English error: %v", err)
		}
	}
}

// An interrupted assignment (Ctrl-C, SIGTERM: the command's context) ends
// at once, says so in French and writes no result.
func TestAssignStopsWhenInterrupted(t *testing.T) {
	file := filepath.Join(t.TempDir(), "sommet.json")
	var buf bytes.Buffer
	if err := schedule.GenerateSummit(1).WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // the signal came before the solver could finish
	var out, errOut bytes.Buffer
	a := &app{stdout: &out, stderr: &errOut}
	err := a.run(ctx, []string{"assign", "--instance", file, "--time-limit", "30s"})
	if err == nil || !strings.Contains(err.Error(), "affectation interrompue") {
		t.Fatalf("error %v, want « affectation interrompue »", err)
	}
	if out.Len() != 0 {
		t.Errorf("a result was written after the interruption: %s", out.String())
	}
}
