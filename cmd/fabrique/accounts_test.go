package main

import (
	"encoding/json"
	"net/http"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// status calls the API with a token and returns the status.
func status(t *testing.T, method, url, token, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var b strings.Builder
	buf := make([]byte, 4096)
	for {
		n, err := res.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			break
		}
	}
	return res.StatusCode, b.String()
}

func TestAccountsAndTokensFromTheCommandLine(t *testing.T) {
	bin := buildBinary(t)
	db := filepath.Join(t.TempDir(), "data", "fabrique.db")
	if _, errOut, code := runCmd(t, bin, nil, "demo", "--db", db); code != 0 {
		t.Fatalf("demo: %d %s", code, errOut)
	}
	addr := freeAddr(t)
	srv := exec.Command(bin, "serve", "--addr", addr, "--db", db)
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { srv.Process.Kill(); srv.Wait() }()
	base := "http://" + addr
	waitHealthy(t, base)
	const admin = "admin@fabrique.example"
	if _, errOut, code := runCmd(t, bin, []string{"FABRIQUE_PASSWORD=mot-de-passe-de-camille"}, "user", "add", "--email", "camille@exemple.fr", "--role", "admin", "--db", db); code != 0 {
		t.Fatalf("user add: %d %s", code, errOut)
	}

	out, errOut, code := runCmd(t, bin, nil, "token", "create", "--email", "camille@exemple.fr", "--expires", "90d", "--db", db)
	token := strings.TrimSpace(out)
	if code != 0 || !strings.HasPrefix(token, "fab_") || !strings.Contains(errOut, "valable jusqu'au") {
		t.Fatalf("token create: %d %q %q", code, out, errOut)
	}
	if c, _ := status(t, "GET", base+"/api/v1/me", token, ""); c != 200 {
		t.Fatalf("the new token: %d", c)
	}
	t.Run("user list shows every account with its role, organisation and state", func(t *testing.T) {
		out, _, code := runCmd(t, bin, nil, "user", "list", "--db", db)
		if code != 0 || !strings.Contains(out, "ADRESSE") || !regexp.MustCompile(`camille@exemple\.fr\s+admin\s+-\s+actif\s+1`).MatchString(out) ||
			!strings.Contains(out, admin) {
			t.Errorf("user list: %d\n%s", code, out)
		}
	})
	t.Run("token list shows the token with its expiry and its last use", func(t *testing.T) {
		out, _, code := runCmd(t, bin, nil, "token", "list", "--email", "camille@exemple.fr", "--db", db)
		lines := strings.Split(strings.TrimSpace(out), "\n")
		in90 := time.Now().Add(90 * 24 * time.Hour).In(time.FixedZone("", 0)).Format("2006-01")
		if code != 0 || len(lines) != 2 || !strings.Contains(lines[1], "ligne de commande") || strings.Count(lines[1], "-") < 4 ||
			strings.Contains(lines[1], "expiré") || !strings.Contains(lines[1], in90[:4]) {
			t.Errorf("token list: %d\n%s", code, out)
		}
		// The last use was recorded by the call above.
		if fields := regexp.MustCompile(`\s{2,}`).Split(lines[1], -1); len(fields) < 5 || fields[3] == "-" {
			t.Errorf("last use not recorded: %q", fields)
		}
	})
	t.Run("a disabled account's token stops at once, and works again once enabled", func(t *testing.T) {
		if _, errOut, code := runCmd(t, bin, nil, "user", "disable", "--email", "camille@exemple.fr", "--db", db); code != 0 || !strings.Contains(errOut, "désactivé") {
			t.Fatalf("disable: %d %s", code, errOut)
		}
		if c, body := status(t, "GET", base+"/api/v1/me", token, ""); c != 401 || !strings.Contains(body, "désactivé") {
			t.Errorf("the token of a disabled account: %d %s", c, body)
		}
		if c, body := status(t, "POST", base+"/api/v1/auth/token", "", `{"email":"camille@exemple.fr","password":"mot-de-passe-de-camille"}`); c != 401 || !strings.Contains(body, "désactivé") {
			t.Errorf("signing in to a disabled account: %d %s", c, body)
		}
		out, _, _ := runCmd(t, bin, nil, "user", "list", "--db", db)
		if !strings.Contains(out, "désactivé le") {
			t.Errorf("user list after disable:\n%s", out)
		}
		if _, errOut, code := runCmd(t, bin, nil, "user", "enable", "--email", "camille@exemple.fr", "--db", db); code != 0 {
			t.Fatalf("enable: %d %s", code, errOut)
		}
		if c, _ := status(t, "GET", base+"/api/v1/me", token, ""); c != 200 {
			t.Errorf("the token once enabled: %d", c)
		}
	})
	t.Run("user password sets the password given, or prints a generated one", func(t *testing.T) {
		out, _, code := runCmd(t, bin, []string{"FABRIQUE_PASSWORD=un-autre-mot-de-passe"}, "user", "password", "--email", "camille@exemple.fr", "--db", db)
		if code != 0 || out != "" {
			t.Fatalf("password from the environment: %d %q", code, out)
		}
		c, body := status(t, "POST", base+"/api/v1/auth/token", "", `{"email":"camille@exemple.fr","password":"un-autre-mot-de-passe"}`)
		var reply struct {
			Token     string    `json:"token"`
			ExpiresAt time.Time `json:"expires_at"`
		}
		json.Unmarshal([]byte(body), &reply)
		if c != 201 || reply.ExpiresAt.Sub(time.Now()) < 29*24*time.Hour || reply.ExpiresAt.Sub(time.Now()) > 31*24*time.Hour {
			t.Errorf("sign-in with the new password: %d %s (a token of 30 days expected)", c, body)
		}
		out, _, code = runCmd(t, bin, nil, "user", "password", "--email", "camille@exemple.fr", "--db", db)
		generated := strings.TrimSpace(out)
		if code != 0 || len(generated) < 10 {
			t.Fatalf("generated password: %d %q", code, out)
		}
		if c, _ := status(t, "POST", base+"/api/v1/auth/token", "", `{"email":"camille@exemple.fr","password":"`+generated+`"}`); c != 201 {
			t.Errorf("sign-in with the generated password: %d", c)
		}
	})
	t.Run("token revoke ends the token at once", func(t *testing.T) {
		out, _, _ := runCmd(t, bin, nil, "token", "list", "--email", "camille@exemple.fr", "--db", db)
		id := strings.Fields(strings.Split(strings.TrimSpace(out), "\n")[1])[0]
		if _, errOut, code := runCmd(t, bin, nil, "token", "revoke", id, "--db", db); code != 0 || !strings.Contains(errOut, "révoqué") {
			t.Fatalf("revoke %s: %d %s", id, code, errOut)
		}
		if c, _ := status(t, "GET", base+"/api/v1/me", token, ""); c != 401 {
			t.Errorf("a revoked token: %d", c)
		}
	})
	mistakes := []struct {
		name   string
		env    []string
		args   []string
		code   int
		stderr string
	}{
		{"an unknown subcommand of user", nil, []string{"user", "frobnicate", "--db", db}, 2, "sous-commande inconnue « frobnicate »"},
		{"an unknown subcommand of token", nil, []string{"token", "steal", "--db", db}, 2, "sous-commande inconnue « steal »"},
		{"disable without an address", nil, []string{"user", "disable", "--db", db}, 2, "--email est obligatoire"},
		{"disable an unknown account", nil, []string{"user", "disable", "--email", "personne@exemple.fr", "--db", db}, 1, "Aucun compte"},
		{"a validity that is not a duration", nil, []string{"token", "create", "--email", admin, "--expires", "3x", "--db", db}, 2, "--expires « 3x »"},
		{"revoke without a number", nil, []string{"token", "revoke", "abc", "--db", db}, 2, "numéro du jeton"},
		{"revoke a token that does not exist", nil, []string{"token", "revoke", "999", "--db", db}, 1, "Le jeton n° 999 n'existe pas"},
		{"a short password", []string{"FABRIQUE_PASSWORD=court"}, []string{"user", "password", "--email", admin, "--db", db}, 1, "FABRIQUE_PASSWORD : le mot de passe doit compter au moins 10 caractères"},
		{"the last administrator cannot be disabled", nil, []string{"user", "disable", "--email", admin, "--db", db}, 0, "désactivé"},
		{"…nor the one left after", nil, []string{"user", "disable", "--email", "camille@exemple.fr", "--db", db}, 1, "dernier administrateur actif"},
	}
	for _, tt := range mistakes {
		t.Run(tt.name, func(t *testing.T) {
			_, errOut, code := runCmd(t, bin, tt.env, tt.args...)
			if code != tt.code || !strings.Contains(errOut, tt.stderr) || strings.Contains(errOut, "panic") {
				t.Errorf("exit %d (want %d), stderr %q (want %q)", code, tt.code, errOut, tt.stderr)
			}
		})
	}
}
