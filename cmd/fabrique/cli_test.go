package main

import (
	"bufio"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// runIn runs the binary in a folder, without FABRIQUE_DB, and returns its
// stdout, stderr and exit code.
func runIn(t *testing.T, bin, dir string, args ...string) (string, string, int) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "FABRIQUE_DB=")
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		return stdout.String(), stderr.String(), ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return stdout.String(), stderr.String(), 0
}

func noGoError(t *testing.T, stderr string) {
	t.Helper()
	for _, raw := range []string{"open ", "no such file", "flag provided", ".fabrique-", "goroutine", "panic"} {
		if strings.Contains(stderr, raw) {
			t.Errorf("a raw Go error reached the user (%q): %s", raw, stderr)
		}
	}
}

// TestEveryCommandHelpsAndNamesAnUnknownFlag walks the table of commands:
// a command added later gets the same rules.
func TestEveryCommandHelpsAndNamesAnUnknownFlag(t *testing.T) {
	bin := buildBinary(t)
	dir := t.TempDir()
	for _, args := range [][]string{{"--help"}, {"-h"}, {"help"}} {
		out, errOut, code := runIn(t, bin, dir, args...)
		if code != 0 || !strings.Contains(out, "Usage :") || errOut != "" {
			t.Errorf("fabrique %s: exit %d, stdout %q, stderr %q", args[0], code, out, errOut)
		}
		for _, c := range commands {
			if !strings.Contains(out, "fabrique "+c.name+" ") {
				t.Errorf("fabrique %s does not list « %s »", args[0], c.name)
			}
		}
	}
	for _, c := range commands {
		name := strings.Fields(c.name)
		t.Run(c.name+" --help prints its usage on stdout", func(t *testing.T) {
			for _, h := range []string{"--help", "-h"} {
				out, errOut, code := runIn(t, bin, dir, append(name, h)...)
				if code != 0 || !strings.HasPrefix(out, "Usage : fabrique "+c.name) || errOut != "" {
					t.Errorf("%s %s: exit %d, stdout %q, stderr %q", c.name, h, code, out, errOut)
				}
			}
		})
		t.Run(c.name+" names an unknown flag in French", func(t *testing.T) {
			_, errOut, code := runIn(t, bin, dir, append(name, "--colour", "bleu")...)
			if code != 2 || !strings.Contains(errOut, "option inconnue « --colour »") || !strings.Contains(errOut, "Usage : fabrique "+c.name) {
				t.Errorf("exit %d, stderr %q", code, errOut)
			}
			noGoError(t, errOut)
		})
	}
	t.Run("a group without its subcommand names them", func(t *testing.T) {
		_, errOut, code := runIn(t, bin, dir, "user")
		if code != 2 || !strings.Contains(errOut, "indiquez une sous-commande (add") {
			t.Errorf("exit %d, stderr %q", code, errOut)
		}
		out, _, code := runIn(t, bin, dir, "user", "--help")
		if code != 0 || !strings.Contains(out, "Usage : fabrique user add") {
			t.Errorf("user --help: exit %d, stdout %q", code, out)
		}
	})
	tests := []struct {
		name   string
		args   []string
		stderr string
	}{
		{"user add without flags names what is missing", []string{"user", "add"}, "user add : --email et --role sont obligatoires"},
		{"token create without --email names it", []string{"token", "create"}, "token create : --email est obligatoire"},
		{"a flag without its value is named", []string{"kit", "1", "-o"}, "l'option -o attend une valeur"},
		{"a number flag with a word is named", []string{"user", "add", "--email", "a@b.fr", "--role", "organiser", "--organisation-id", "trois"}, "--organisation-id : valeur invalide « trois » : un nombre entier est attendu"},
		{"a trusted proxy that is no address is named", []string{"serve", "--trusted-proxies", "10.0.0.0/8,proxy.local"}, "--trusted-proxies (FABRIQUE_TRUSTED_PROXIES) : « proxy.local » n'est ni une adresse IP ni un bloc CIDR"},
		{"a metrics address without a port is named", []string{"serve", "--metrics-addr", "localhost"}, "--metrics-addr (FABRIQUE_METRICS_ADDR) : adresse invalide « localhost »"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, errOut, code := runIn(t, bin, dir, tt.args...)
			if code != 2 || !strings.Contains(errOut, tt.stderr) {
				t.Errorf("exit %d, stderr %q, want %q", code, errOut, tt.stderr)
			}
			noGoError(t, errOut)
		})
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("usage mistakes created files: %v", entries)
	}
}

// TestCommandsRefuseAMissingDatabase: only migrate, demo and serve --demo
// create a database; the others say which file they looked for.
func TestCommandsRefuseAMissingDatabase(t *testing.T) {
	bin := buildBinary(t)
	dir := t.TempDir()
	absent := filepath.Join(dir, "typo.db")
	args := map[string][]string{
		"serve":        {"--addr", "127.0.0.1:0"},
		"user add":     {"--email", "a@exemple.fr", "--role", "admin"},
		"token create": {"--email", "a@exemple.fr"},
		"kit":          {"1"},
		"minutes":      {"1"},
		"backup":       {filepath.Join(dir, "copie.db")},
		"purge":        nil,
	}
	for _, c := range commands {
		if c.name == "migrate" || c.name == "demo" || c.name == "assign" {
			continue
		}
		t.Run(c.name+" creates nothing", func(t *testing.T) {
			cmd := append(strings.Fields(c.name), args[c.name]...)
			_, errOut, code := runIn(t, bin, dir, append(cmd, "--db", absent)...)
			if _, err := os.Stat(absent); err == nil {
				os.Remove(absent)
				t.Fatalf("%s created %s", c.name, absent)
			}
			if _, known := args[c.name]; !known {
				return
			}
			if code != 1 || !strings.Contains(errOut, "la base "+absent+" est introuvable") || !strings.Contains(errOut, "--db") || !strings.Contains(errOut, "FABRIQUE_DB") {
				t.Errorf("exit %d, stderr %q", code, errOut)
			}
		})
	}
	t.Run("backup from another folder creates no data folder", func(t *testing.T) {
		_, errOut, code := runIn(t, bin, dir, "backup", "save.db")
		if code != 1 || !strings.Contains(errOut, "data/fabrique.db est introuvable") || !strings.Contains(errOut, filepath.Join(dir, "data", "fabrique.db")) {
			t.Errorf("exit %d, stderr %q", code, errOut)
		}
		for _, f := range []string{"data", "save.db"} {
			if _, err := os.Stat(filepath.Join(dir, f)); err == nil {
				t.Errorf("%s was created", f)
			}
		}
	})
	t.Run("serve without --demo on a missing file points to migrate", func(t *testing.T) {
		_, errOut, code := runIn(t, bin, dir, "serve", "--addr", "127.0.0.1:0", "--db", absent)
		if code != 1 || !strings.Contains(errOut, "fabrique migrate --db "+absent) {
			t.Errorf("exit %d, stderr %q", code, errOut)
		}
	})
}

// TestBackupBlamesTheDestination: a missing folder is not created, and the
// message names the destination.
func TestBackupBlamesTheDestination(t *testing.T) {
	bin := buildBinary(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "f.db")
	if _, errOut, code := runIn(t, bin, dir, "migrate", "--db", db); code != 0 {
		t.Fatalf("migrate: %s", errOut)
	}
	target := filepath.Join(dir, "absent", "copie.db")
	_, errOut, code := runIn(t, bin, dir, "backup", target, "--db", db)
	if code != 1 || !strings.Contains(errOut, "destination "+target) || !strings.Contains(errOut, "le dossier "+filepath.Join(dir, "absent")+" n'existe pas") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
	if _, err := os.Stat(filepath.Join(dir, "absent")); err == nil {
		t.Error("backup created the missing folder")
	}
	noGoError(t, errOut)
}

// TestKitWritesIntoLinksAndSpecialFiles: a symbolic link stays a link and
// its target gets the document; a FIFO is written into; --html alone
// writes kit.html; a missing folder is said in French.
func TestKitWritesIntoLinksAndSpecialFiles(t *testing.T) {
	bin := buildBinary(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "f.db")
	if _, errOut, code := runIn(t, bin, dir, "demo", "--db", db); code != 0 {
		t.Fatalf("demo: %s", errOut)
	}
	t.Run("a symbolic link stays a link to the document", func(t *testing.T) {
		target := filepath.Join(dir, "vrai.pdf")
		link := filepath.Join(dir, "lien.pdf")
		os.WriteFile(target, []byte("ancien"), 0o644)
		if err := os.Symlink(target, link); err != nil {
			t.Fatal(err)
		}
		if _, errOut, code := runIn(t, bin, dir, "kit", "1", "-o", link, "--db", db); code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		fi, err := os.Lstat(link)
		if err != nil || fi.Mode()&os.ModeSymlink == 0 {
			t.Fatalf("the link was replaced: %v %v", fi.Mode(), err)
		}
		b, _ := os.ReadFile(target)
		if !strings.HasPrefix(string(b), "%PDF-") {
			t.Errorf("the link's target holds %q…", b[:min(len(b), 10)])
		}
	})
	t.Run("a FIFO is written into, not replaced", func(t *testing.T) {
		fifo := filepath.Join(dir, "tube")
		if err := syscall.Mkfifo(fifo, 0o644); err != nil {
			t.Fatal(err)
		}
		got := make(chan []byte, 1)
		go func() {
			f, err := os.Open(fifo)
			if err != nil {
				got <- nil
				return
			}
			defer f.Close()
			b, _ := io.ReadAll(f)
			got <- b
		}()
		if _, errOut, code := runIn(t, bin, dir, "minutes", "1", "-o", fifo, "--db", db); code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		select {
		case b := <-got:
			if !strings.HasPrefix(string(b), "%PDF-") {
				t.Errorf("the reader got %d bytes, not a PDF", len(b))
			}
		case <-time.After(10 * time.Second):
			t.Fatal("nothing came through the FIFO")
		}
		if fi, err := os.Lstat(fifo); err != nil || fi.Mode()&os.ModeNamedPipe == 0 {
			t.Errorf("the FIFO was replaced: %v", fi.Mode())
		}
	})
	t.Run("--html without -o writes kit.html", func(t *testing.T) {
		work := t.TempDir()
		if _, errOut, code := runIn(t, bin, work, "kit", "1", "--html", "--db", db); code != 0 || !strings.Contains(errOut, "kit.html écrit") {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		b, err := os.ReadFile(filepath.Join(work, "kit.html"))
		if err != nil || !strings.Contains(string(b), "<html") {
			t.Errorf("kit.html: %v", err)
		}
		if _, err := os.Stat(filepath.Join(work, "kit.pdf")); err == nil {
			t.Error("HTML was written into kit.pdf")
		}
	})
	t.Run("a missing folder is said in French", func(t *testing.T) {
		_, errOut, code := runIn(t, bin, dir, "kit", "1", "-o", filepath.Join(dir, "absent", "kit.pdf"), "--db", db)
		if code != 1 || !strings.Contains(errOut, "-o : le dossier "+filepath.Join(dir, "absent")+" n'existe pas") {
			t.Errorf("exit %d, stderr %q", code, errOut)
		}
		noGoError(t, errOut)
	})
}

// TestServeTellsTheOperator starts the binary on a new database: the
// banner gives the address listened on, where mails go, the command that
// creates the first account; metrics are served on their own address;
// FABRIQUE_LOG=json gives JSON lines with duration_ms; a clean stop
// leaves no -wal or -shm file.
func TestServeTellsTheOperator(t *testing.T) {
	bin := buildBinary(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "neuve.db")
	if _, errOut, code := runIn(t, bin, dir, "migrate", "--db", db); code != 0 {
		t.Fatalf("migrate: %s", errOut)
	}
	metricsAddr := freeAddr(t)
	cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--db", db, "--metrics-addr", metricsAddr)
	cmd.Env = append(os.Environ(), "FABRIQUE_LOG=json", "FABRIQUE_SMTP_URL=")
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	lines := make(chan string, 1000)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	var banner []string
	deadline := time.After(30 * time.Second)
	for !strings.Contains(strings.Join(banner, "\n"), "--role admin") {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("the service stopped: %v", banner)
			}
			banner = append(banner, l)
		case <-deadline:
			t.Fatalf("no banner: %v", banner)
		}
	}
	text := strings.Join(banner, "\n")
	var base string
	for _, l := range banner {
		if rest, ok := strings.CutPrefix(l, "fabrique écoute sur "); ok {
			base, _, _ = strings.Cut(rest, " ")
		}
	}
	if !strings.HasPrefix(base, "http://127.0.0.1:") || strings.HasSuffix(base, ":0") {
		t.Fatalf("the banner does not give the port listened on: %s", text)
	}
	for _, want := range []string{
		"les courriels sont écrits dans " + filepath.Join(dir, "outbox"),
		"Métriques : http://" + metricsAddr + "/metrics",
		"fabrique user add --db " + db + " --email VOUS@exemple.gouv.fr --role admin",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the banner does not say %q:\n%s", want, text)
		}
	}
	waitHealthy(t, base)
	if r, err := http.Get(base + "/metrics"); err != nil || r.StatusCode != 401 {
		t.Errorf("/metrics on the main address without an account: %v %v", r.StatusCode, err)
	}
	r, err := http.Get("http://" + metricsAddr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(r.Body)
	r.Body.Close()
	for _, want := range []string{`fabrique_http_requests_total{route="/healthz",method="GET",status="200"}`, `fabrique_outbox_messages{state="doubt"} 0`, "fabrique_http_request_duration_seconds_bucket"} {
		if r.StatusCode != 200 || !strings.Contains(string(body), want) {
			t.Errorf("metrics (%d) lack %s:\n%s", r.StatusCode, want, body)
		}
	}
	// One JSON line per request, with its duration in milliseconds.
	found := false
	timeout := time.After(5 * time.Second)
	for !found {
		select {
		case l := <-lines:
			var entry struct {
				Msg        string   `json:"msg"`
				Route      string   `json:"route"`
				DurationMS *float64 `json:"duration_ms"`
			}
			if json.Unmarshal([]byte(l), &entry) == nil && entry.Msg == "request" && entry.Route == "/healthz" {
				found = entry.DurationMS != nil
				if !found {
					t.Fatalf("no duration_ms: %s", l)
				}
			}
		case <-timeout:
			t.Fatal("no JSON request line")
		}
	}
	cmd.Process.Signal(syscall.SIGTERM)
	if err := cmd.Wait(); err != nil {
		t.Errorf("exit after SIGTERM: %v", err)
	}
	for _, suffix := range []string{"-wal", "-shm"} {
		if _, err := os.Stat(db + suffix); err == nil {
			t.Errorf("%s left after a clean stop", filepath.Base(db+suffix))
		}
	}
}

// TestDemoOffLoopbackWarns: the demo's password is public.
func TestDemoOffLoopbackWarns(t *testing.T) {
	bin := buildBinary(t)
	db := filepath.Join(t.TempDir(), "demo.db")
	cmd := exec.Command(bin, "serve", "--demo", "--addr", "0.0.0.0:0", "--db", db)
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		cmd.Process.Signal(syscall.SIGTERM)
		cmd.Wait()
	}()
	lines := make(chan string, 100)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	var seen []string
	deadline := time.After(30 * time.Second)
	for {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("the service stopped:\n%s", strings.Join(seen, "\n"))
			}
			seen = append(seen, l)
			if strings.HasPrefix(l, "ATTENTION") {
				if !strings.Contains(l, "mot de passe est public") {
					t.Errorf("warning: %s", l)
				}
				return
			}
		case <-deadline:
			t.Fatalf("no warning about the public demo password:\n%s", strings.Join(seen, "\n"))
		}
	}
}
