package web_test

import (
	"strings"
	"testing"
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
