package web_test

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"fabrique/internal/fabrique"
)

func TestThePublicEventPageIsRenderedOnlyWhenItsDataChange(t *testing.T) {
	s, st := newServer(t)
	get := func(etag string) *httptest.ResponseRecorder {
		req := httptest.NewRequest("GET", "/events/1", nil)
		req.Header.Set("Accept", "text/html")
		if etag != "" {
			req.Header.Set("If-None-Match", etag)
		}
		return serve(s, req)
	}
	first := get("")
	etag := first.Header().Get("ETag")
	if first.Code != 200 || etag == "" || first.Header().Get("Cache-Control") != "no-cache" || !strings.Contains(first.Body.String(), "Ministère ouvert #1") {
		t.Fatalf("first visit: %d %v", first.Code, first.Header())
	}
	if strings.Contains(first.Header().Get("Set-Cookie"), "fabrique_csrf") {
		t.Error("a visitor's CSRF cookie goes with the shared page")
	}
	t.Run("the same bytes come again, and 304 to who holds them", func(t *testing.T) {
		again := get("")
		if again.Body.String() != first.Body.String() || again.Header().Get("ETag") != etag {
			t.Error("the second visit differs")
		}
		if w := get(etag); w.Code != 304 || w.Body.Len() != 0 {
			t.Errorf("If-None-Match: %d, %d bytes", w.Code, w.Body.Len())
		}
		if again.Header().Get("Content-Security-Policy") == "" {
			t.Error("the cached page lost its security headers")
		}
	})
	t.Run("a change of a workshop's title shows at once", func(t *testing.T) {
		w, err := st.Workshops().Get(staffCtx(), 3)
		if err != nil {
			t.Fatal(err)
		}
		w.Title = "Atelier renommé pour l'essai du cache"
		if err := st.Workshops().Update(staffCtx(), w); err != nil {
			t.Fatal(err)
		}
		after := get(etag)
		if after.Code != 200 || !strings.Contains(after.Body.String(), "Atelier renommé pour l&#39;essai du cache") || after.Header().Get("ETag") == etag {
			t.Errorf("after the change: %d, etag %q", after.Code, after.Header().Get("ETag"))
		}
	})
	t.Run("a signed-in user and a notice are not served from the cache", func(t *testing.T) {
		if w := call(t, s, admin, "GET", "/events/1", ""); w.Header().Get("ETag") != "" || w.Code != 200 {
			t.Errorf("signed in: %d %q", w.Code, w.Header().Get("ETag"))
		}
		req := httptest.NewRequest("GET", "/events/1?ok=saved", nil)
		if w := serve(s, req); !strings.Contains(w.Body.String(), "Les modifications sont enregistrées") {
			t.Error("the notice is missing")
		}
	})
	t.Run("each visitor gets the cached registration form with their own CSRF token", func(t *testing.T) {
		a, b := newBrowser(t, s), newBrowser(t, s)
		pa, pb := a.get("/events/2"), b.get("/events/2")
		ca, cb := a.cookies["fabrique_csrf"], b.cookies["fabrique_csrf"]
		if pa.Code != 200 || ca == nil || cb == nil || a.csrf == "" || a.csrf != ca.Value || b.csrf != cb.Value || a.csrf == b.csrf {
			t.Fatalf("tokens: %d page %q cookie %v; page %q cookie %v", pa.Code, a.csrf, ca, b.csrf, cb)
		}
		if strings.ReplaceAll(pa.Body.String(), a.csrf, "T") != strings.ReplaceAll(pb.Body.String(), b.csrf, "T") {
			t.Error("the two visitors' pages differ by more than their tokens")
		}
		if pa.Header().Get("ETag") == pb.Header().Get("ETag") {
			t.Error("two visitors share an ETag")
		}
		again := a.get("/events/2")
		if again.Header().Get("ETag") != pa.Header().Get("ETag") || !strings.Contains(again.Body.String(), `value="`+a.csrf+`"`) {
			t.Error("a visitor's second visit changed token")
		}
	})
	t.Run("a draft event stays hidden from visitors", func(t *testing.T) {
		ev := &fabrique.Event{Kind: fabrique.EventOpenMinistry, Title: "Brouillon secret", HostOrganisationID: 1, Status: fabrique.EventDraft, OnlineURL: "https://webinaire.numerique.gouv.fr/essai",
			Start: time.Date(2027, 3, 2, 17, 30, 0, 0, fabrique.Paris), End: time.Date(2027, 3, 2, 20, 0, 0, 0, fabrique.Paris)}
		if err := st.Events().Create(staffCtx(), ev); err != nil {
			t.Fatal(err)
		}
		req := httptest.NewRequest("GET", "/events/"+jsonInt(ev.ID), nil)
		req.Header.Set("Accept", "text/html")
		if w := serve(s, req); w.Code != 404 || strings.Contains(w.Body.String(), "Brouillon secret") {
			t.Errorf("draft: %d", w.Code)
		}
	})
}
