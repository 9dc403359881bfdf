package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
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
