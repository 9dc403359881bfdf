package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// binDir holds the binary built once for the package's tests.
var binDir string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "fabrique-bin")
	if err != nil {
		panic(err)
	}
	binDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

var built = sync.OnceValues(func() (string, error) {
	bin := filepath.Join(binDir, "fabrique")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	return bin, nil
})

// buildBinary compiles the real fabrique command once per test run.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin, err := built()
	if err != nil {
		t.Fatal(err)
	}
	return bin
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// runCmd runs the binary and returns its stdout, stderr and exit code.
func runCmd(t *testing.T, bin string, env []string, args ...string) (string, string, int) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), env...)
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return stdout.String(), stderr.String(), code
}

// TestEndToEnd starts the real binary on a free port with a fresh database,
// loads the demo and reads Ministère ouvert #1 back through the API.
func TestEndToEnd(t *testing.T) {
	bin := buildBinary(t)
	db := filepath.Join(t.TempDir(), "data", "fabrique.db")
	addr := freeAddr(t)
	cmd := exec.Command(bin, "serve", "--demo", "--addr", addr, "--db", db)
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	lines := make(chan string, 100)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	var banner []string
	deadline := time.After(30 * time.Second)
	for !strings.Contains(strings.Join(banner, "\n"), "Compte de démonstration") {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("the service stopped: %v", banner)
			}
			banner = append(banner, l)
		case <-deadline:
			t.Fatalf("no start banner: %v", banner)
		}
	}
	if !strings.Contains(strings.Join(banner, "\n"), "http://"+addr) {
		t.Errorf("the banner does not print the URL: %v", banner)
	}
	base := "http://" + addr
	waitHealthy(t, base)

	var events struct {
		Items []struct {
			ID    int64  `json:"id"`
			Title string `json:"title"`
			Start string `json:"start"`
		} `json:"items"`
	}
	getJSON(t, base+"/api/v1/events?kind=open_ministry", &events)
	if len(events.Items) != 1 || events.Items[0].Title != "Ministère ouvert #1" || events.Items[0].Start != "2016-06-21T17:30:00+02:00" {
		t.Fatalf("events: %+v", events)
	}
	id := events.Items[0].ID
	var workshops struct {
		Items []struct {
			Title          string  `json:"title"`
			RoomID         int64   `json:"room_id"`
			FacilitatorIDs []int64 `json:"facilitator_ids"`
		} `json:"items"`
	}
	getJSON(t, fmt.Sprintf("%s/api/v1/events/%d/workshops", base, id), &workshops)
	want := []struct{ title, room, facilitators string }{
		{"Evaluation des politiques publiques", "Cantine", "Vincent Lahuec, Guillaume Thibault"},
		{"Expression citoyenne et collaboration autour de l'élaboration de la loi", "Salle B", "Paula Forteza, Céline Pelletier, Françoise Waintrop"},
		{"Ouverture des données et des codes sources", "Salle 109", "Simon Chignard"},
		{"Etat plateforme et administration numérique", "Salle de la Chapelle", "Amélie Banzet, Guillaume Blot, Bénédicte Roullier"},
		{"Culture de l'ouverture et de l'innovation", "Salle de Marbre", "Jean-Baptiste Bodin, Sarah Labelle"},
	}
	if len(workshops.Items) != 5 {
		t.Fatalf("%d workshops", len(workshops.Items))
	}
	// People are personal data: read them with a token made by the CLI.
	out, errOut, code := runCmd(t, bin, nil, "token", "create", "--email", "admin@fabrique.example", "--db", db)
	lines2 := strings.Split(strings.TrimSpace(out), "\n")
	token := lines2[len(lines2)-1]
	if code != 0 || !strings.HasPrefix(token, "fab_") {
		t.Fatalf("token create: %d %q %q", code, out, errOut)
	}
	for i, w := range workshops.Items {
		var room struct{ Name string }
		getJSON(t, fmt.Sprintf("%s/api/v1/rooms/%d", base, w.RoomID), &room)
		var names []string
		for _, pid := range w.FacilitatorIDs {
			var p struct{ Name string }
			getJSONAuth(t, fmt.Sprintf("%s/api/v1/people/%d", base, pid), token, &p)
			names = append(names, p.Name)
		}
		if w.Title != want[i].title || room.Name != want[i].room || strings.Join(names, ", ") != want[i].facilitators {
			t.Errorf("atelier %d: %q in %q by %q", i+1, w.Title, room.Name, strings.Join(names, ", "))
		}
	}
	// A backup taken while the service runs restores to the same data.
	copyPath := filepath.Join(t.TempDir(), "copie.db")
	if out, errOut, code := runCmd(t, bin, nil, "backup", copyPath, "--db", db); code != 0 || strings.TrimSpace(out) != copyPath {
		t.Fatalf("backup: %d %q %q", code, out, errOut)
	}
	if _, errOut, code := runCmd(t, bin, nil, "backup", copyPath, "--db", db); code != 1 || !strings.Contains(errOut, "existe déjà") {
		t.Errorf("a second backup over the first: %d %q", code, errOut)
	}
	if _, errOut, code := runCmd(t, bin, nil, "demo", "--db", copyPath); code != 0 || !strings.Contains(errOut, "déjà présentes") {
		t.Errorf("the restored copy lacks the demo: %d %q", code, errOut)
	}
	// A graceful stop on SIGTERM, then a restart keeps everything.
	cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("exit after SIGTERM: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("no graceful stop")
	}
	// A clean stop checkpoints and closes: the README's restore moves one file.
	for _, suffix := range []string{"-wal", "-shm"} {
		if _, err := os.Stat(db + suffix); err == nil {
			t.Errorf("%s left after a clean stop", filepath.Base(db+suffix))
		}
	}
	cmd2 := exec.Command(bin, "serve", "--addr", addr, "--db", db)
	if err := cmd2.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd2.Process.Kill()
	waitHealthy(t, base)
	getJSON(t, base+"/api/v1/events?kind=open_ministry", &events)
	if len(events.Items) != 1 {
		t.Errorf("after restart: %+v", events)
	}
}

func waitHealthy(t *testing.T, base string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	for ctx.Err() == nil {
		if r, err := http.Get(base + "/healthz"); err == nil {
			r.Body.Close()
			if r.StatusCode == 200 {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("the service did not become healthy")
}

func getJSON(t *testing.T, url string, v any) { t.Helper(); getJSONAuth(t, url, "", v) }

func getJSONAuth(t *testing.T, url, token string, v any) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	r, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Body.Close()
	if r.StatusCode != 200 {
		t.Fatalf("GET %s: %d", url, r.StatusCode)
	}
	if err := json.NewDecoder(r.Body).Decode(v); err != nil {
		t.Fatal(err)
	}
}

func TestCommandLine(t *testing.T) {
	bin := buildBinary(t)
	db := filepath.Join(t.TempDir(), "f.db")
	if _, errOut, code := runCmd(t, bin, nil, "demo", "--db", db); code != 0 || !strings.Contains(errOut, "chargées") {
		t.Fatalf("demo: %d %s", code, errOut)
	}
	if _, errOut, code := runCmd(t, bin, nil, "demo", "--db", db); code != 0 || !strings.Contains(errOut, "déjà présentes") {
		t.Fatalf("demo twice: %d %s", code, errOut)
	}
	tests := []struct {
		name   string
		env    []string
		args   []string
		code   int
		stderr string
	}{
		{"an unknown command is a usage error", nil, []string{"dance"}, 2, "commande inconnue « dance »"},
		{"an unknown flag is a usage error", nil, []string{"demo", "--colour", "bleu", "--db", db}, 2, "colour"},
		{"a user needs a valid role", nil, []string{"user", "add", "--email", "x@exemple.fr", "--role", "king", "--db", db}, 1, "--role : valeur inconnue « king »"},
		{"an organiser needs an organisation", nil, []string{"user", "add", "--email", "x@exemple.fr", "--role", "organiser", "--db", db}, 1, "--organisation-id"},
		{"a token for an unknown account is refused", nil, []string{"token", "create", "--email", "nobody@exemple.fr", "--db", db}, 1, "Aucun compte"},
		{"a bad listen address is refused", nil, []string{"serve", "--addr", "nowhere", "--db", db}, 2, "--addr"},
		{"a short password is refused", []string{"FABRIQUE_PASSWORD=court"}, []string{"user", "add", "--email", "y@exemple.fr", "--role", "admin", "--db", db}, 1, "FABRIQUE_PASSWORD : le mot de passe doit compter au moins 10 caractères"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, errOut, code := runCmd(t, bin, tt.env, tt.args...)
			if code != tt.code || !strings.Contains(errOut, tt.stderr) {
				t.Errorf("exit %d (want %d), stderr %q (want %q)", code, tt.code, errOut, tt.stderr)
			}
			if strings.Contains(errOut, "goroutine") || strings.Contains(errOut, "panic") {
				t.Errorf("a stack trace reached the user: %s", errOut)
			}
		})
	}
	out, _, code := runCmd(t, bin, nil, "user", "add", "--email", "alix@exemple.fr", "--role", "admin", "--db", db)
	password := strings.TrimSpace(out)
	if code != 0 || len(password) < 10 {
		t.Fatalf("user add printed %q (exit %d)", out, code)
	}
	out, _, code = runCmd(t, bin, nil, "token", "create", "--email", "alix@exemple.fr", "--db", db)
	if code != 0 || !strings.HasPrefix(strings.TrimSpace(out), "fab_") || strings.Count(strings.TrimSpace(out), "\n") != 0 {
		t.Errorf("token create stdout = %q", out)
	}
}
