package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// The facilitator's journey on a phone (issue 15, « done when »): on a
// 375 px wide screen, Simon Chignard signs in, lands on « Mes ateliers »,
// opens his workshop, sees who is expected, notes contributions live and
// corrects one; no page scrolls sideways and axe finds nothing.

// phoneWidth is the CSS width of the phone (an iPhone's 375 px).
const phoneWidth, phoneHeight = 375, 812

// auditPhone runs axe-core on the page as shown on the phone, checks that
// nothing sticks out sideways at 375 px, and keeps the phone's width.
func (e *e2e) auditPhone(name string) {
	e.t.Helper()
	violations := e.axeViolations(name + " at 375 px")
	wide := e.stickingOut(name)
	if violations != "[]" {
		e.t.Errorf("axe-core finds violations on %s at 375 px: %s", name, violations)
	}
	if wide != "" {
		e.t.Errorf("%s scrolls sideways at 375 px; sticking out: %s", name, wide)
	}
	e.screenshot(name)
}

func TestBrowserAFacilitatorRecordsHisWorkshopOnAPhone(t *testing.T) {
	e := newE2E(t)
	// The demo's minutes of Ministère ouvert #1 are published: he notes the
	// contributions of the copy's workshop 3 (id 11), which he facilitates too.
	copyMinistry(t, e.store)
	e.run("a phone's screen", chromedp.EmulateViewport(phoneWidth, phoneHeight, chromedp.EmulateMobile, chromedp.EmulateScale(2)))
	var width int
	e.run("read the width", chromedp.Navigate(e.base+"/signin"), chromedp.WaitVisible("#connexion-email", chromedp.ByQuery),
		chromedp.Evaluate(`document.documentElement.clientWidth`, &width))
	if width != phoneWidth {
		t.Fatalf("the page is %d CSS pixels wide, want %d", width, phoneWidth)
	}
	e.auditPhone("t01-connexion-375px")
	e.run("sign in",
		chromedp.SendKeys("#connexion-email", "simon.chignard@fabrique.example", chromedp.ByQuery),
		chromedp.SendKeys("#connexion-password", "demo-fabrique-2016", chromedp.ByQuery),
		chromedp.Click("main button[type=submit]", chromedp.ByQuery),
		chromedp.WaitVisible("main .workshops", chromedp.ByQuery))
	var path string
	e.run("where he lands", chromedp.Evaluate(`location.pathname`, &path))
	if h := e.text("h1"); path != "/staff/my-workshops" || h != "Mes ateliers" {
		t.Fatalf("after signing in: %s, « %s »", path, h)
	}
	// His workshop with its own date, time and room, not the event's start.
	var slot string
	e.run("read the slot of workshop 3", chromedp.Text(`//ul[contains(@class, "workshops")]/li[.//a[@href="/staff/workshops/3/live"]]//p[@class="workshop-slot"]`, &slot, chromedp.BySearch))
	if slot != "mardi 21 juin 2016 de 18 h 20 à 19 h 20, Salle 109" {
		t.Errorf("the workshop's slot reads %q", slot)
	}
	e.auditPhone("t02-mes-ateliers-375px")

	e.run("open his workshop's attendance: who is expected",
		chromedp.Click(`main .workshops a[href="/staff/workshops/3/attendance"]`, chromedp.ByQuery),
		chromedp.WaitVisible("main form", chromedp.ByQuery))
	if page := e.text("main"); !strings.Contains(page, "Camille Participante") {
		t.Errorf("the attendance page does not list the registered participant: %q", page)
	}
	e.auditPhone("t03-presences-375px")

	e.run("back to his workshops, then the sign-in sheet",
		chromedp.Navigate(e.base+"/staff/my-workshops"), chromedp.WaitVisible("main .workshops", chromedp.ByQuery),
		chromedp.Click(`main .workshops a[href="/events/1/kit#h-emargement-3"]`, chromedp.ByQuery),
		chromedp.WaitVisible("#h-emargement-3", chromedp.ByQuery))
	if sheet := e.text("#h-emargement-3"); !strings.Contains(sheet, "3") {
		t.Errorf("the sign-in sheet's heading: %q", sheet)
	}
	e.auditPhone("t04-feuille-d-emargement-375px")

	e.run("open the live entry of his workshop",
		chromedp.Navigate(e.base+"/staff/my-workshops"), chromedp.WaitVisible("main .workshops", chromedp.ByQuery),
		chromedp.Click(`main .workshops a[href="/staff/workshops/`+itoa(copySimon)+`/live"]`, chromedp.ByQuery),
		chromedp.WaitVisible("#saisie-text", chromedp.ByQuery))
	e.auditPhone("t05-saisie-375px")
	e.run("note two contributions as they are said",
		chromedp.Focus("#saisie-text", chromedp.ByQuery),
		chromedp.SendKeys("#saisie-text", "Publier les algoritmes des calculateurs fiscaux"+kb.Enter, chromedp.ByQuery),
		chromedp.WaitVisible("#saisie-liste .live-sent", chromedp.ByQuery),
		chromedp.SendKeys("#saisie-text", "Mesurer les réutilisations des jeux de données"+kb.Enter, chromedp.ByQuery),
		chromedp.WaitVisible("#saisie-liste li:nth-child(2).live-sent", chromedp.ByQuery))
	e.auditPhone("t06-saisie-envoyee-375px")

	e.run("reload, then correct the typo",
		chromedp.Reload(), chromedp.WaitVisible("#saisie-liste", chromedp.ByQuery),
		chromedp.Click(`//ol[@id="saisie-liste"]/li[contains(., "algoritmes")]/a`, chromedp.BySearch),
		chromedp.WaitVisible("#correction-text", chromedp.ByQuery))
	if h := e.text("h1"); h != "Corriger une contribution" {
		t.Fatalf("the correction page: %q", h)
	}
	e.auditPhone("t07-correction-375px")
	e.run("type the correction and save it",
		chromedp.Clear("#correction-text", chromedp.ByQuery),
		chromedp.SendKeys("#correction-text", "Publier les algorithmes des calculateurs fiscaux", chromedp.ByQuery),
		chromedp.Click(`main form button[type=submit].button:not(.danger)`, chromedp.ByQuery),
		chromedp.WaitVisible(".notice-success", chromedp.ByQuery))
	if notice := e.text(".notice-success"); notice != "La contribution est corrigée." {
		t.Errorf("after the correction: %q", notice)
	}
	list := e.text("#saisie-liste")
	if !strings.Contains(list, "Publier les algorithmes des calculateurs fiscaux") || strings.Contains(list, "algoritmes") ||
		!strings.Contains(list, "Mesurer les réutilisations des jeux de données") {
		t.Errorf("the contributions after the correction: %q", list)
	}
	e.auditPhone("t08-saisie-corrigee-375px")
}
