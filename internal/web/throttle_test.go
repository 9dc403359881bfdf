package web_test

import (
	"fmt"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestSignInIsThrottledAgainstGuessing(t *testing.T) {
	s, _ := newServer(t)
	body := `{"email":"admin@fabrique.example","password":"devinette-%d"}`
	for i := 0; i < 5; i++ {
		if w := call(t, s, anonymous, "POST", "/api/v1/auth/token", strings.Replace(body, "%d", string(rune('a'+i)), 1)); w.Code != 401 {
			t.Fatalf("attempt %d: %d", i+1, w.Code)
		}
	}
	w := call(t, s, anonymous, "POST", "/api/v1/auth/token", `{"email":"admin@fabrique.example","password":"demo-fabrique-2016"}`)
	p := problemOf(t, w)
	if w.Code != 429 || w.Header().Get("Retry-After") == "" || !strings.Contains(p.Detail, "Trop de tentatives") {
		t.Errorf("the sixth attempt, even right: %d %q %+v", w.Code, w.Header().Get("Retry-After"), p)
	}
}

func TestAnOutsiderCannotLockAStaffMemberOut(t *testing.T) {
	s, _ := newServer(t)
	from := func(addr, body string) *httptest.ResponseRecorder {
		req := httptest.NewRequest("POST", "/api/v1/auth/token", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.RemoteAddr = addr + ":40000"
		w := httptest.NewRecorder()
		s.ServeHTTP(w, req)
		return w
	}
	// Twelve wrong passwords from twelve addresses, at once.
	var wg sync.WaitGroup
	codes := make([]int, 12)
	for i := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i] = from(fmt.Sprintf("203.0.113.%d", i+1), fmt.Sprintf(`{"email":"admin@fabrique.example","password":"devinette-%d"}`, i)).Code
		}()
	}
	wg.Wait()
	for i, c := range codes {
		if c != 401 {
			t.Fatalf("wrong attempt %d: %d", i+1, c)
		}
	}
	t.Run("the right password from a fresh address signs in, slowed down but not refused", func(t *testing.T) {
		start := time.Now()
		w := from("198.51.100.7", `{"email":"admin@fabrique.example","password":"demo-fabrique-2016"}`)
		if w.Code != 201 || !strings.Contains(w.Body.String(), `"token":"fab_`) {
			t.Fatalf("the owner's sign-in: %d %s", w.Code, w.Body)
		}
		if d := time.Since(start); d < time.Second {
			t.Errorf("an account guessed from many addresses answered in %s: no slow-down", d)
		}
	})
	t.Run("the same through the sign-in form", func(t *testing.T) {
		b := newBrowser(t, s)
		b.get("/signin")
		w := b.post("/signin", url.Values{"email": {"admin@fabrique.example"}, "password": {"demo-fabrique-2016"}})
		if w.Code != 303 || !strings.HasPrefix(w.Header().Get("Location"), "/staff?") {
			t.Errorf("the form: %d %s", w.Code, w.Header().Get("Location"))
		}
	})
	t.Run("an address that guessed wrong five times is still refused, even with the right password", func(t *testing.T) {
		for i := 0; i < 5; i++ {
			from("192.0.2.99", `{"email":"organisateur@exemple.fr","password":"devinette"}`)
		}
		if w := from("192.0.2.99", `{"email":"admin@fabrique.example","password":"demo-fabrique-2016"}`); w.Code != 429 || w.Header().Get("Retry-After") == "" {
			t.Errorf("the sixth attempt from the guessing address: %d", w.Code)
		}
	})
}
