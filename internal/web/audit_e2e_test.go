package web_test

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"fabrique/internal/demo"
)

// TestBrowserAuditTheStaffPagesNotVisitedElsewhere runs axe-core on the
// staff pages the other browser tests do not visit: declarations, a
// workshop's attendance and minutes, the privacy register, the
// registrations, the confirmation of a cancellation and the registration
// settings of an event, and the edit and delete pages of the reference
// data.
func TestBrowserAuditTheStaffPagesNotVisitedElsewhere(t *testing.T) {
	e := newE2E(t)
	copyMinistry(t, e.store) // its workshop 3 (id 11) has draft minutes: the demo's are published
	declaration := declareOverHTTP(t, e.base)

	e.run("sign in as the demo administrator",
		chromedp.Navigate(e.base+"/signin"), chromedp.WaitVisible("#connexion-email", chromedp.ByQuery),
		chromedp.SendKeys("#connexion-email", demo.AdminEmail, chromedp.ByQuery),
		chromedp.SendKeys("#connexion-password", demo.Password, chromedp.ByQuery),
		chromedp.Click("main button[type=submit]", chromedp.ByQuery),
		chromedp.WaitVisible(".notice-success", chromedp.ByQuery))
	pages := []struct{ name, path, want string }{
		{"40-declarations", "/staff/declarations", "Ministère ouvert #3"},
		{"41-declaration", declaration, "Ministère ouvert #3"},
		{"42-atelier-presences", "/staff/workshops/11/attendance", ""},
		{"43-atelier-compte-rendu", "/staff/workshops/11/minutes", ""},
		{"44-registre-donnees", "/staff/privacy", ""},
		{"45-inscriptions", "/staff/events/1/registrations", ""},
		{"45b-inscription-annuler", "/staff/events/1/registrations/1/cancel", "Voulez-vous vraiment annuler l'inscription de"},
		{"46-regles-inscription", "/staff/events/1/registration-settings", "Attribution des places"},
		{"47-lieu-modifier", "/staff/venues/1/edit", "Enregistrer les modifications"},
		{"47b-engagement-modifier", "/staff/plans/1/commitments/4/edit", "Organisations porteuses"},
		{"47c-plan-avec-liens", "/staff/plans/1", "Modifier le plan"},
		{"47d-organisations-avec-liens", "/staff/organisations", "Modifier"},
		{"47e-personnes-avec-liens", "/staff/people", "Modifier"},
		{"47f-lieu-avec-liens", "/staff/venues/1", "Modifier le lieu"},
		{"47g-modifications-a-annoncer", "/staff/events/2/modifications", "Envoi automatique"},
		{"48-lieu-supprimer", "/staff/venues/1/delete", "Oui, supprimer"}, // last: the test goes on from this page
	}
	for _, p := range pages {
		e.run("open "+p.path, chromedp.Navigate(e.base+p.path), chromedp.WaitVisible("main h1", chromedp.ByQuery))
		if body := e.text("main"); !strings.Contains(body, p.want) {
			t.Errorf("%s does not show %q: %s", p.path, p.want, body)
		}
		e.audit(p.name)
	}
	e.run("delete the venue still in use",
		chromedp.Click("main form button[type=submit]", chromedp.ByQuery), chromedp.WaitVisible("[role=alert]", chromedp.ByQuery))
	if s := e.text("[role=alert]"); !strings.Contains(s, "La suppression est refusée") {
		t.Errorf("the refusal says %q", s)
	}
	e.audit("49-lieu-suppression-refusee")
	e.run("submit the venue without its address",
		chromedp.Navigate(e.base+"/staff/venues/1/edit"), chromedp.WaitVisible("#lieu-address", chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelector("#lieu-address").value = ""`, nil),
		chromedp.Click("main form button[type=submit]", chromedp.ByQuery), chromedp.WaitVisible(".error-summary", chromedp.ByQuery))
	e.audit("50-lieu-modifier-refuse")
}

// declareOverHTTP declares a Ministère ouvert as the demo organiser through
// the real form and returns the address of its declaration page.
func declareOverHTTP(t *testing.T, base string) string {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	cl := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	var csrf string
	do := func(method, path string, form url.Values) *http.Response {
		var body io.Reader
		if form != nil {
			form.Set("csrf_token", csrf)
			body = strings.NewReader(form.Encode())
		}
		req, err := http.NewRequest(method, base+path, body)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Accept", "text/html")
		if form != nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		resp, err := cl.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if m := csrfInput.FindStringSubmatch(string(b)); m != nil {
			csrf = m[1]
		}
		return resp
	}
	do("GET", "/signin", nil)
	if r := do("POST", "/signin", url.Values{"email": {demo.OrganiserEmail}, "password": {demo.Password}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("organiser's sign-in: %d", r.StatusCode)
	}
	do("GET", "/staff/declarations/new/open_ministry", nil)
	r := do("POST", "/staff/declarations/new/open_ministry", cloneValues(declaredSession))
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("declaration: %d", r.StatusCode)
	}
	page, _, _ := strings.Cut(r.Header.Get("Location"), "?")
	return page
}
