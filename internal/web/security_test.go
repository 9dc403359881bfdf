package web_test

import (
	"crypto/sha256"
	"encoding/base64"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"fabrique/internal/demo"
	"fabrique/internal/web"
	"fabrique/templates"
)

func TestEveryAnswerCarriesTheSecurityHeaders(t *testing.T) {
	s, _ := newServer(t)
	cases := []struct {
		name, path, referrer string
		html                 bool
	}{
		{"a public page", "/events/1", "strict-origin-when-cross-origin", true},
		{"the sign-in page", "/signin", "strict-origin-when-cross-origin", true},
		{"a page that does not exist", "/nulle-part", "strict-origin-when-cross-origin", true},
		{"an API answer", "/api/v1/events/1", "strict-origin-when-cross-origin", false},
		{"an API problem", "/api/v1/events/999", "strict-origin-when-cross-origin", false},
		{"a static file", "/assets/css/fabrique.css", "strict-origin-when-cross-origin", false},
		{"a participant's private API page", "/api/v1/p/p_inconnu", "no-referrer", false},
		{"a participant's private page", "/p/p_inconnu", "no-referrer", true},
		{"a private calendar feed", "/api/v1/feeds/f_inconnu/calendar.ics", "no-referrer", false},
	}
	for _, c := range cases {
		t.Run(c.name+" has them", func(t *testing.T) {
			req := httptest.NewRequest("GET", c.path, nil)
			if c.html {
				req.Header.Set("Accept", "text/html")
			}
			w := serve(s, req)
			h := w.Header()
			csp := h.Get("Content-Security-Policy")
			for _, want := range []string{"default-src 'self'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'", "form-action 'self'", "base-uri 'none'"} {
				if !strings.Contains(csp, want) {
					t.Errorf("CSP %q lacks %q", csp, want)
				}
			}
			if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
				t.Errorf("CSP allows inline code: %q", csp)
			}
			if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") != c.referrer || h.Get("X-Frame-Options") != "DENY" {
				t.Errorf("headers: nosniff=%q referrer=%q (want %q) frame=%q", h.Get("X-Content-Type-Options"), h.Get("Referrer-Policy"), c.referrer, h.Get("X-Frame-Options"))
			}
			if h.Get("Strict-Transport-Security") != "" {
				t.Error("HSTS sent by a service on http")
			}
		})
	}
}

func TestHSTSIsSentWhenTheServiceIsOnHTTPS(t *testing.T) {
	_, st := newServer(t)
	s := web.New(st, slog.New(slog.NewTextHandler(io.Discard, nil)), web.Config{BaseURL: "https://fabrique.example.gouv.fr"})
	w := serve(s, httptest.NewRequest("GET", "/api/v1/events/1", nil))
	if got := w.Header().Get("Strict-Transport-Security"); !strings.HasPrefix(got, "max-age=31536000") {
		t.Errorf("Strict-Transport-Security = %q", got)
	}
}

// inlineCode finds what a Content-Security-Policy without 'unsafe-inline'
// would block: inline scripts, style elements or attributes, handlers.
var inlineCode = regexp.MustCompile(`(?i)<script(\s[^>]*)?>\s*[^<\s]|<style[\s>]|\sstyle\s*=|\son[a-z]+\s*=|javascript:`)

func TestNoTemplateOfThePagesHoldsInlineCode(t *testing.T) {
	err := fs.WalkDir(templates.FS, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".html") {
			return err
		}
		if strings.HasPrefix(path, "email/") || path == "documents/style.html" {
			return nil // e-mails are not under the policy; the documents' style is allowed by its hash
		}
		b, err := fs.ReadFile(templates.FS, path)
		if err != nil {
			return err
		}
		if m := inlineCode.Find(b); m != nil {
			t.Errorf("%s holds inline code the Content-Security-Policy blocks: %q (move it to assets/)", path, m)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestTheKitTwinsInlineStyleIsAllowedByItsHashOnly(t *testing.T) {
	s, _ := newServer(t)
	w := call(t, s, admin, "GET", "/events/1/kit", "")
	if w.Code != 200 {
		t.Fatalf("kit: %d", w.Code)
	}
	m := regexp.MustCompile(`(?s)<style>(.*?)</style>`).FindStringSubmatch(w.Body.String())
	if m == nil {
		t.Fatal("the kit has no style element")
	}
	sum := sha256.Sum256([]byte(m[1]))
	hash := "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
	if csp := w.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "style-src 'self' "+hash) {
		t.Errorf("the kit's CSP %q does not allow its style %s", csp, hash)
	}
	if csp := call(t, s, admin, "GET", "/events/1", "").Header().Get("Content-Security-Policy"); strings.Contains(csp, "sha256-") {
		t.Errorf("an ordinary page allows the kit's style: %q", csp)
	}
}

func TestTheSignInFormIsThrottledLikeTheAPI(t *testing.T) {
	s, _ := newServer(t)
	b := newBrowser(t, s)
	b.get("/signin")
	for i := 0; i < 5; i++ {
		if w := b.post("/signin", url.Values{"email": {demo.AdminEmail}, "password": {"devinette-" + string(rune('a'+i))}}); w.Code != http.StatusUnauthorized {
			t.Fatalf("attempt %d: %d", i+1, w.Code)
		}
	}
	w := b.post("/signin", url.Values{"email": {demo.AdminEmail}, "password": {demo.Password}})
	if w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") == "" {
		t.Fatalf("the sixth attempt, even right: %d, Retry-After %q", w.Code, w.Header().Get("Retry-After"))
	}
	contains(t, w, `<html lang="fr">`, "Trop de tentatives", "seconde")
	if _, ok := b.cookies["fabrique_session"]; ok {
		t.Error("a session was opened")
	}
	// The API shares the count: the same account is refused there too.
	api := call(t, s, anonymous, "POST", "/api/v1/auth/token", `{"email":"`+demo.AdminEmail+`","password":"`+demo.Password+`"}`)
	if api.Code != http.StatusTooManyRequests {
		t.Errorf("the API after five wrong forms: %d", api.Code)
	}
}

// postFrom posts a JSON body from a given client address.
func postFrom(s http.Handler, addr, target, body string) *httptest.ResponseRecorder {
	req := httptest.NewRequest("POST", target, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.RemoteAddr = addr + ":40000"
	return serve(s, req)
}

func TestPublicFormsAreRateLimitedPerAddress(t *testing.T) {
	for _, target := range []string{"/api/v1/events/2/register", "/api/v1/p/p_inconnu/cancel", "/api/v1/p/p_inconnu/workshop", "/api/v1/p/p_inconnu/erase"} {
		t.Run("POST "+target+" is refused with 429 after a burst from one address", func(t *testing.T) {
			s, _ := newServer(t)
			for i := 0; i < 30; i++ {
				if w := postFrom(s, "198.51.100.7", target, `{}`); w.Code == http.StatusTooManyRequests {
					t.Fatalf("attempt %d already refused", i+1)
				}
			}
			w := postFrom(s, "198.51.100.7", target, `{}`)
			if w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") != "2" {
				t.Fatalf("the 31st: %d, Retry-After %q", w.Code, w.Header().Get("Retry-After"))
			}
			if p := problemOf(t, w); !strings.Contains(p.Detail, "réessayez dans 2 seconde") {
				t.Errorf("problem %+v", p)
			}
			if w := postFrom(s, "198.51.100.8", target, `{}`); w.Code == http.StatusTooManyRequests {
				t.Error("another address is refused too")
			}
		})
	}
	t.Run("reading the registration form is not limited", func(t *testing.T) {
		s, _ := newServer(t)
		for i := 0; i < 40; i++ {
			if w := call(t, s, anonymous, "GET", "/api/v1/events/2/registration", ""); w.Code != 200 {
				t.Fatalf("read %d: %d", i+1, w.Code)
			}
		}
	})
}

func TestSuccessfulSignInsThroughTheFormAreNotCounted(t *testing.T) {
	s, _ := newServer(t)
	for i := 0; i < 8; i++ {
		signedIn(t, s) // fails the test on a refusal
	}
}
