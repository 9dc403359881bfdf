package web_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"fabrique/internal/demo"
)

// browser drives the real router like a browser without JavaScript: it
// keeps cookies and posts forms with the CSRF token of the last page.
type browser struct {
	t       testing.TB
	h       http.Handler
	cookies map[string]*http.Cookie
	csrf    string
}

func newBrowser(t testing.TB, h http.Handler) *browser {
	return &browser{t: t, h: h, cookies: map[string]*http.Cookie{}}
}

var csrfInput = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// do sends a request with the browser's cookies and records the new ones.
func (b *browser) do(method, target string, form url.Values) *httptest.ResponseRecorder {
	b.t.Helper()
	target, _, _ = strings.Cut(target, "#") // a browser keeps the fragment to itself
	var req *http.Request
	if form != nil {
		req = httptest.NewRequest(method, target, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	} else {
		req = httptest.NewRequest(method, target, nil)
	}
	req.Header.Set("Accept", "text/html")
	for _, c := range b.cookies {
		req.AddCookie(c)
	}
	w := httptest.NewRecorder()
	b.h.ServeHTTP(w, req)
	for _, c := range w.Result().Cookies() {
		if c.MaxAge < 0 {
			delete(b.cookies, c.Name)
		} else {
			b.cookies[c.Name] = c
		}
	}
	if m := csrfInput.FindStringSubmatch(w.Body.String()); m != nil {
		b.csrf = m[1]
	}
	return w
}

// get loads a page.
func (b *browser) get(target string) *httptest.ResponseRecorder {
	b.t.Helper()
	return b.do("GET", target, nil)
}

// post submits a form with the CSRF token of the last page loaded.
func (b *browser) post(target string, form url.Values) *httptest.ResponseRecorder {
	b.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if form.Get("csrf_token") == "" && b.csrf != "" {
		form.Set("csrf_token", b.csrf)
	}
	return b.do("POST", target, form)
}

// signIn signs in through the form and fails the test otherwise.
func (b *browser) signIn(email, password string) {
	b.t.Helper()
	b.get("/signin")
	w := b.post("/signin", url.Values{"email": {email}, "password": {password}})
	if w.Code != http.StatusSeeOther || !strings.HasPrefix(w.Header().Get("Location"), "/staff") {
		b.t.Fatalf("sign-in as %s: status %d, location %q, body %s", email, w.Code, w.Header().Get("Location"), w.Body)
	}
}

// signedIn returns a browser signed in as the demo administrator.
func signedIn(t testing.TB, h http.Handler) *browser {
	b := newBrowser(t, h)
	b.signIn(demo.AdminEmail, demo.Password)
	return b
}

// contains fails the test unless the body holds every string.
func contains(t testing.TB, w *httptest.ResponseRecorder, want ...string) {
	t.Helper()
	body := w.Body.String()
	for _, s := range want {
		if !strings.Contains(body, s) {
			t.Errorf("the page does not contain %q (status %d)", s, w.Code)
		}
	}
	if t.Failed() && testing.Verbose() {
		t.Log(body)
	}
}

// lacks fails the test if the body holds any of the strings.
func lacks(t testing.TB, w *httptest.ResponseRecorder, unwanted ...string) {
	t.Helper()
	for _, s := range unwanted {
		if strings.Contains(w.Body.String(), s) {
			t.Errorf("the page contains %q", s)
		}
	}
}

// httptestRequest builds a JSON request carrying the browser's cookies.
func httptestRequest(method, target, body string, b *browser) *http.Request {
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for _, c := range b.cookies {
		req.AddCookie(c)
	}
	return req
}

// serve runs a request through the handler.
func serve(h http.Handler, req *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w
}

func quietLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }
