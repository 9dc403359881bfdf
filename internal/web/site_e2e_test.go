package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"fabrique/internal/demo"
)

// TestBrowserTheFooterLeadsToTheLegalPages follows the footer's links as a
// visitor would, from the home page, and audits each page (axe-core, and
// no sideways scrolling at 320 px); on a phone the menu folds behind a
// button that opens it.
func TestBrowserTheFooterLeadsToTheLegalPages(t *testing.T) {
	e := newE2E(t)
	for _, p := range []struct{ link, h1, want string }{
		{"Accessibilité : partiellement conforme", "Déclaration d'accessibilité", "partiellement conforme"},
		{"Mentions légales", "Mentions légales", "Directeur de la publication"},
		{"Données personnelles", "Données personnelles", "Durée de conservation"},
		{"Plan du site", "Plan du site", "Connexion du personnel"},
	} {
		e.run("follow "+p.link,
			chromedp.Navigate(e.base+"/"), chromedp.WaitVisible("footer", chromedp.ByQuery),
			chromedp.Click(`//footer//a[normalize-space(.)="`+p.link+`"]`, chromedp.BySearch),
			chromedp.WaitVisible("main h1", chromedp.ByQuery))
		if h := e.text("main h1"); h != p.h1 {
			t.Errorf("the footer's %q leads to %q", p.link, h)
		}
		if body := e.text("main"); !strings.Contains(body, p.want) {
			t.Errorf("%s does not say %q", p.h1, p.want)
		}
		e.audit("site-" + strings.ToLower(strings.Fields(p.link)[0]))
	}

	var expanded string
	var menuShown bool
	e.run("open the menu on a phone",
		chromedp.EmulateViewport(375, 700),
		chromedp.Navigate(e.base+"/"), chromedp.WaitVisible(".menu-toggle", chromedp.ByQuery),
		chromedp.Evaluate(`getComputedStyle(document.querySelector(".menu")).display !== "none"`, &menuShown))
	if menuShown {
		t.Error("on a phone the menu should be folded behind its button")
	}
	e.run("tap Menu",
		chromedp.Click(".menu-toggle", chromedp.ByQuery), chromedp.WaitVisible(".menu a", chromedp.ByQuery),
		chromedp.AttributeValue(".menu-toggle", "aria-expanded", &expanded, nil))
	if expanded != "true" {
		t.Errorf("the open menu's button says aria-expanded=%q", expanded)
	}
	e.audit("site-menu-telephone")
}

// TestBrowserAPublishRefusalTakesTheFocusAndConflictsLeadToTheFix creates
// a Ministère ouvert whose workshops have no rooms yet, asks to publish it
// from the bottom of the planning page: the refusal takes the focus, where
// the user's eyes are; a conflict then leads to the workshop to fix.
func TestBrowserAPublishRefusalTakesTheFocusAndConflictsLeadToTheFix(t *testing.T) {
	e := newE2E(t)
	e.run("sign in",
		chromedp.Navigate(e.base+"/signin"), chromedp.WaitVisible("#connexion-email", chromedp.ByQuery),
		chromedp.SendKeys("#connexion-email", demo.AdminEmail, chromedp.ByQuery),
		chromedp.SendKeys("#connexion-password", demo.Password, chromedp.ByQuery),
		chromedp.Click("main button[type=submit]", chromedp.ByQuery),
		chromedp.WaitVisible(".notice-success", chromedp.ByQuery))
	e.run("create a Ministère ouvert",
		chromedp.Navigate(e.base+"/staff/events/new/open_ministry"), chromedp.WaitVisible("#format-date", chromedp.ByQuery),
		chromedp.SendKeys("#format-title", "Ministère ouvert #2", chromedp.ByQuery),
		setValue("#format-host_organisation_id", "1"), setValue("#format-venue_id", "1"), setValue("#format-date", "2027-03-02"),
		chromedp.Click("main form button[type=submit]", chromedp.ByQuery), chromedp.WaitVisible("#programme", chromedp.ByQuery),
		chromedp.Click(`a[href$="/planning"]`, chromedp.ByQuery), chromedp.WaitVisible("#publication", chromedp.ByQuery))
	var focused string
	e.run("publish it",
		chromedp.Click(`form[action$="/publish"] button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible("#publication-erreurs", chromedp.ByQuery),
		chromedp.Poll(`document.readyState === "complete"`, nil),
		chromedp.Evaluate(`document.activeElement.id`, &focused))
	if focused != "publication-erreurs" {
		t.Errorf("after the refusal the focus is on %q, not on the refusal", focused)
	}
	if msg := e.text("#publication-erreurs"); !strings.Contains(msg, "Publication refusée") {
		t.Errorf("the refusal says %q", msg)
	}
	e.audit("publication-refusee")
	var title, href string
	var ok bool
	e.run("follow a conflict to its workshop",
		chromedp.AttributeValue(`.conflict a[href*="/workshops/"]`, "href", &href, &ok, chromedp.ByQuery))
	if !ok {
		t.Fatal("no conflict links to a workshop")
	}
	e.run("open the workshop", chromedp.Navigate(e.base+href), chromedp.WaitVisible("main h1", chromedp.ByQuery), chromedp.Title(&title))
	if !strings.Contains(title, "Ministère ouvert #2") {
		t.Errorf("the conflict leads to a page titled %q", title)
	}
}

// TestBrowserTheErasurePagesAreAccessible audits the participant's
// confirmation of erasure and the page that follows it.
func TestBrowserTheErasurePagesAreAccessible(t *testing.T) {
	e := newE2E(t)
	rec := registerInStore(t, e.store, "Léa Martin", "lea.martin@exemple.fr", forumWorkshops(t, e.store)[0])
	e.run("open the erasure page from the private page",
		chromedp.Navigate(e.base+"/p/"+rec.Token), chromedp.WaitVisible("main h1", chromedp.ByQuery),
		chromedp.Click(`a[href$="/suppression"]`, chromedp.ByQuery), chromedp.WaitVisible(".button.danger", chromedp.ByQuery))
	e.audit("participant-supprimer")
	e.run("confirm", chromedp.Click(".button.danger", chromedp.ByQuery),
		chromedp.WaitNotPresent(".button.danger", chromedp.ByQuery), chromedp.WaitVisible("main h1", chromedp.ByQuery))
	if h := e.text("main h1"); h != "Vos données sont supprimées" {
		t.Errorf("after the erasure: %q", h)
	}
	e.audit("participant-donnees-supprimees")
}
