package main

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestKitAndMinutesCommands runs « fabrique kit » and « fabrique minutes »
// of the real binary on the demo and reads the PDFs back.
func TestKitAndMinutesCommands(t *testing.T) {
	bin := buildBinary(t)
	dir := t.TempDir()
	env := []string{"FABRIQUE_DB=" + filepath.Join(dir, "fabrique.db")}
	if _, stderr, code := runCmd(t, bin, env, "demo"); code != 0 {
		t.Fatalf("demo: %d %s", code, stderr)
	}
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string // a part of what stderr says
		text   string // a part of the PDF written, if any
	}{
		{"the kit of Ministère ouvert #1 is written", []string{"kit", "1", "-o", filepath.Join(dir, "kit.pdf")}, 0, "octets", "Liste des ateliers et engagements abordés"},
		{"the minutes are written as a draft", []string{"minutes", "1", "-o", filepath.Join(dir, "cr.pdf")}, 0, "octets", "Compte rendu"},
		{"the kit's HTML twin is written", []string{"kit", "1", "--html", "-o", filepath.Join(dir, "kit.html")}, 0, "octets", ""},
		{"a missing event is a usage mistake", []string{"kit"}, 2, "indiquez l'identifiant de l'événement", ""},
		{"an event that is not a number is a usage mistake", []string{"kit", "premier"}, 2, "identifiant d'événement invalide « premier »", ""},
		{"an unknown event is an error in French", []string{"minutes", "999", "-o", filepath.Join(dir, "x.pdf")}, 1, "n'existe pas", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, stderr, code := runCmd(t, bin, env, tt.args...)
			if code != tt.code || !strings.Contains(stderr, tt.stderr) {
				t.Fatalf("exit %d, want %d; stderr %q should say %q", code, tt.code, stderr, tt.stderr)
			}
			if tt.text == "" {
				return
			}
			out, err := exec.Command("pdftotext", "-enc", "UTF-8", tt.args[3], "-").Output()
			if err != nil {
				t.Fatalf("pdftotext: %v", err)
			}
			if !strings.Contains(string(out), tt.text) || !strings.Contains(string(out), "mardi 21 juin 2016") {
				t.Errorf("the PDF does not say %q and « mardi 21 juin 2016 »", tt.text)
			}
		})
	}
}
