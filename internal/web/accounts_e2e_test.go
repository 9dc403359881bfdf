package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"fabrique/internal/demo"
)

// TestBrowserAccountsPageAndChangeOfAddress audits with axe-core the
// administrators' accounts page (before and after disabling an account)
// and the participant's change of address, in headless Chromium.
func TestBrowserAccountsPageAndChangeOfAddress(t *testing.T) {
	e := newE2E(t)
	e.run("sign in as the demo administrator",
		chromedp.Navigate(e.base+"/signin"), chromedp.WaitVisible("#connexion-email", chromedp.ByQuery),
		chromedp.SendKeys("#connexion-email", demo.AdminEmail, chromedp.ByQuery),
		chromedp.SendKeys("#connexion-password", demo.Password, chromedp.ByQuery),
		chromedp.Click("main button[type=submit]", chromedp.ByQuery),
		chromedp.WaitVisible(".notice-success", chromedp.ByQuery))
	e.run("open the accounts", chromedp.Navigate(e.base+"/staff/accounts"), chromedp.WaitVisible("main h1", chromedp.ByQuery))
	if s := e.text("main"); !strings.Contains(s, "interieur@fabrique.example") || !strings.Contains(s, "Jetons d'API") {
		t.Errorf("the accounts page shows %q", s)
	}
	e.audit("60-comptes")
	e.run("disable the organiser of the Intérieur",
		chromedp.Click(`form[action$="/disable"] button`, chromedp.ByQuery), chromedp.WaitVisible(".notice-success", chromedp.ByQuery))
	if s := e.text("main"); !strings.Contains(s, "Le compte est désactivé") || !strings.Contains(s, "Réactiver") {
		t.Errorf("after disabling: %q", s)
	}
	e.audit("61-compte-desactive")

	res, err := http.Post(e.base+"/api/v1/events/2/register", "application/json",
		strings.NewReader(`{"name":"Léa Martin","email":"lea@exemple.fr","category":"researcher","workshop_id":7,"consent":true}`))
	if err != nil || res.StatusCode != 201 {
		t.Fatalf("register: %v %v", err, res)
	}
	res.Body.Close()
	links := mailedLinks(drainOutbox(t, e.store, 0))["lea@exemple.fr"]
	if len(links) != 1 {
		t.Fatalf("links mailed: %v", links)
	}
	e.run("open the participant's page and give an address that is not one",
		chromedp.Navigate(e.base+"/p/"+links[0]), chromedp.WaitVisible("#adresse-email", chromedp.ByQuery),
		chromedp.SendKeys("#adresse-email", "pas-une-adresse", chromedp.ByQuery),
		chromedp.Click(`form[action*="/adresse"] button`, chromedp.ByQuery), chromedp.WaitVisible("#adresse-email-erreur", chromedp.ByQuery))
	e.audit("62-adresse-refusee")
	e.run("give the new address",
		chromedp.SetValue("#adresse-email", "lea.martin@ailleurs.fr", chromedp.ByQuery),
		chromedp.Click(`form[action*="/adresse"] button`, chromedp.ByQuery), chromedp.WaitVisible(".notice-success", chromedp.ByQuery))
	if s := e.text("main"); !strings.Contains(s, "lea.martin@ailleurs.fr") || !strings.Contains(s, "ne fonctionne plus") {
		t.Errorf("after the change: %q", s)
	}
	e.audit("63-adresse-changee")
}
