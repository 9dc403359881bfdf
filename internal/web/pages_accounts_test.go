package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

func TestTheAccountsPageDisablesAccountsAndRevokesTokens(t *testing.T) {
	s, _ := newServer(t)
	adminB := signedIn(t, s)
	other := newBrowser(t, s) // the organiser of the Intérieur, signed in elsewhere
	other.signIn("interieur@fabrique.example", "mot-de-passe-de-test")
	if w := other.get("/staff"); w.Code != 200 {
		t.Fatalf("the organiser's session: %d", w.Code)
	}
	if w := call(t, s, orgOther, "GET", "/api/v1/me", ""); w.Code != 200 {
		t.Fatalf("the organiser's token: %d", w.Code)
	}

	t.Run("administrators see every account with its role, organisation, state and tokens", func(t *testing.T) {
		w := adminB.get("/staff/accounts")
		contains(t, w, "<h1>Comptes</h1>", "interieur@fabrique.example", "Correspondant·e ministériel·le", "Administrateur·rice DITP", "Actif",
			"Jetons d'API", "Dernier usage", "sans expiration", `name="csrf_token"`, "Désactiver<span class=\"visually-hidden\"> le compte interieur@fabrique.example</span>")
		if strings.Contains(w.Body.String(), "Désactiver<span class=\"visually-hidden\"> le compte admin@fabrique.example") {
			t.Error("an administrator is offered to disable their own account")
		}
	})
	t.Run("others are refused in French", func(t *testing.T) {
		if w := other.get("/staff/accounts"); w.Code != http.StatusForbidden || !strings.Contains(w.Body.String(), "ne vous permet pas de gérer les comptes") {
			t.Errorf("an organiser: %d", w.Code)
		}
	})
	id := regexp.MustCompile(`/staff/accounts/(\d+)/disable"><input [^>]*><button [^>]*>Désactiver<span class="visually-hidden"> le compte interieur@`).
		FindStringSubmatch(adminB.get("/staff/accounts").Body.String())
	if id == nil {
		t.Fatal("no form to disable the organiser")
	}
	t.Run("a form without its CSRF token changes nothing", func(t *testing.T) {
		req := httptestRequest("POST", "/staff/accounts/"+id[1]+"/disable", "", adminB)
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if w := serve(s, req); w.Code != http.StatusForbidden {
			t.Errorf("without CSRF: %d", w.Code)
		}
		if w := other.get("/staff"); w.Code != 200 {
			t.Errorf("the organiser was signed out: %d", w.Code)
		}
	})
	t.Run("disabling signs the account out at once and refuses its tokens", func(t *testing.T) {
		w := adminB.post("/staff/accounts/"+id[1]+"/disable", url.Values{})
		if w.Code != http.StatusSeeOther {
			t.Fatalf("disable: %d %s", w.Code, w.Body)
		}
		contains(t, adminB.get(w.Header().Get("Location")), "Le compte est désactivé", "Désactivé le", "Réactiver")
		if w := other.get("/staff"); w.Code != http.StatusSeeOther || !strings.HasPrefix(w.Header().Get("Location"), "/signin") {
			t.Errorf("the disabled organiser's next page: %d %s", w.Code, w.Header().Get("Location"))
		}
		if w := call(t, s, orgOther, "GET", "/api/v1/me", ""); w.Code != 401 {
			t.Errorf("the disabled organiser's token: %d", w.Code)
		}
		w = adminB.post("/staff/accounts/"+id[1]+"/enable", url.Values{})
		contains(t, adminB.get(w.Header().Get("Location")), "Le compte est réactivé")
		if w := call(t, s, orgOther, "GET", "/api/v1/me", ""); w.Code != 200 {
			t.Errorf("the token once enabled: %d", w.Code)
		}
	})
	t.Run("revoking a token refuses it at once", func(t *testing.T) {
		page := adminB.get("/staff/accounts").Body.String()
		m := regexp.MustCompile(`/staff/tokens/(\d+)/revoke"><input [^>]*><button [^>]*>Révoquer<span class="visually-hidden"> le jeton n° \d+ de interieur@`).FindStringSubmatch(page)
		if m == nil {
			t.Fatalf("no form to revoke the organiser's token")
		}
		w := adminB.post("/staff/tokens/"+m[1]+"/revoke", url.Values{})
		contains(t, adminB.get(w.Header().Get("Location")), "Le jeton est révoqué")
		if w := call(t, s, orgOther, "GET", "/api/v1/me", ""); w.Code != 401 {
			t.Errorf("the revoked token: %d", w.Code)
		}
	})
}
