package web_test

import (
	"context"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"fabrique/internal/sqlite"
)

// axePath is axe-core as installed by `npm install` in internal/web/e2e.
const axePath = "e2e/node_modules/axe-core/axe.min.js"

// chromium finds Debian's headless browser, or fails the test saying what to install.
func chromium(t *testing.T) string {
	t.Helper()
	for _, p := range []string{os.Getenv("FABRIQUE_CHROMIUM"), "/usr/bin/chromium"} {
		if p == "" {
			continue
		}
		if path, err := exec.LookPath(p); err == nil {
			return path
		}
	}
	t.Fatal("chromium est introuvable : installez-le (apt-get install -y chromium) ou indiquez son chemin dans FABRIQUE_CHROMIUM")
	return ""
}

// axeScript reads axe-core, or fails the test saying how to install it.
func axeScript(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(axePath)
	if err != nil {
		t.Fatalf("axe-core est introuvable (%v) : lancez `make test`, qui l'installe, ou `npm ci` dans internal/web/e2e", err)
	}
	return string(b)
}

// e2e is a headless Chromium on the real server, auditing every page.
type e2e struct {
	t     *testing.T
	ctx   context.Context
	base  string
	axe   string
	shots string
	store *sqlite.Store // the database behind the server
}

func newE2E(t *testing.T) *e2e {
	exe, axe := chromium(t), axeScript(t)
	srv, st := newServer(t) // a real SQLite file in t.TempDir() with the demo loaded
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	shots := os.Getenv("FABRIQUE_SCREENSHOTS")
	if shots == "" {
		shots = t.TempDir()
	} else if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}
	// Chromium's profile is removed after the browser is gone (cleanups
	// run last-in first-out); its helpers may still be writing for a moment.
	profile, err := os.MkdirTemp("", "fabrique-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		for i := 0; i < 50 && os.RemoveAll(profile) != nil; i++ {
			time.Sleep(100 * time.Millisecond)
		}
	})
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck, chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(profile), chromedp.WindowSize(1280, 900),
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(alloc)
	ctx, cancelTimeout := context.WithTimeout(ctx, 10*time.Minute) // a bound, not a target: a busy machine is slow
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	if err := chromedp.Run(ctx); err != nil {
		t.Fatalf("chromium ne démarre pas : %v", err)
	}
	return &e2e{t: t, ctx: ctx, base: ts.URL, axe: axe, shots: shots, store: st}
}

// run runs browser actions and fails the test on error.
func (e *e2e) run(what string, actions ...chromedp.Action) {
	e.t.Helper()
	if err := chromedp.Run(e.ctx, actions...); err != nil {
		e.t.Fatalf("%s: %v", what, err)
	}
}

// audit runs axe-core on the current page and fails on any violation;
// it then writes a screenshot named after the page.
func (e *e2e) audit(name string) {
	e.t.Helper()
	if violations := e.axeViolations(name); violations != "[]" {
		e.t.Errorf("axe-core finds violations on %s: %s", name, violations)
	}
	e.screenshot(name)
	e.reflow(name)
}

// reflow checks that the page needs no horizontal scrolling at 320 CSS
// pixels (WCAG 1.4.10, RGAA 10.11), names what sticks out, and takes the
// phone's screenshot; then it goes back to the desktop's width.
func (e *e2e) reflow(name string) {
	e.t.Helper()
	e.run("320 px view of "+name, chromedp.EmulateViewport(320, 640))
	if wide := e.stickingOut(name); wide != "" {
		e.t.Errorf("%s scrolls sideways at 320 px; sticking out: %s", name, wide)
	}
	if os.Getenv("FABRIQUE_SCREENSHOTS") != "" { // kept for a person to look at; not worth the time otherwise
		e.screenshot(name + "-320px")
	}
	e.run("desktop view", chromedp.EmulateViewport(1280, 900))
}

// axeViolations runs axe-core on the current page and returns its
// violations as JSON ("[]" for none).
func (e *e2e) axeViolations(name string) string {
	e.t.Helper()
	var violations string
	e.run("axe-core on "+name,
		chromedp.Evaluate(e.axe, nil),
		chromedp.Evaluate(`axe.run(document, {resultTypes: ["violations"]}).then(r => JSON.stringify(r.violations.map(v =>
			({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(" ") + " : " + n.failureSummary)}))))`,
			&violations, func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }))
	return violations
}

// stickingOut names the elements that stick out of the viewport's width
// when the page scrolls sideways, "" when it does not.
func (e *e2e) stickingOut(name string) string {
	e.t.Helper()
	var wide string
	e.run("width of "+name, chromedp.Evaluate(`(() => {
			const w = document.documentElement.clientWidth;
			if (document.documentElement.scrollWidth <= w) return "";
			return [...document.querySelectorAll("body *")]
				.filter(el => el.getBoundingClientRect().right > w + 1)
				.slice(-6)
				.map(el => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + (typeof el.className === "string" && el.className ? "." + el.className.trim().split(/\s+/).join(".") : ""))
				.join(", ") || "(body)";
		})()`, &wide))
	return wide
}

// screenshot writes a full-page PNG under the screenshots folder.
func (e *e2e) screenshot(name string) {
	e.t.Helper()
	var png []byte
	e.run("screenshot of "+name, chromedp.FullScreenshot(&png, 100))
	if err := os.WriteFile(filepath.Join(e.shots, name+".png"), png, 0o644); err != nil {
		e.t.Fatal(err)
	}
}

// text returns the text of the first element matching sel.
func (e *e2e) text(sel string) string {
	e.t.Helper()
	var s string
	e.run("read "+sel, chromedp.Text(sel, &s, chromedp.ByQuery))
	return s
}

// setValue sets a field's value as a user would choose it (dates, times, selects).
func setValue(sel, value string) chromedp.Action {
	return chromedp.SetValue(sel, value, chromedp.ByQuery)
}

func TestBrowserSignInCreateAnOpenMinistryAndSeeItPublished(t *testing.T) {
	e := newE2E(t)
	e.run("open the home page", chromedp.Navigate(e.base+"/"), chromedp.WaitVisible("h1", chromedp.ByQuery))
	if h := e.text("h1"); h != "Événements du gouvernement ouvert" {
		t.Errorf("home page title %q", h)
	}
	e.audit("01-accueil")

	e.run("open the forum", chromedp.Navigate(e.base+"/events/2"), chromedp.WaitVisible("svg", chromedp.ByQuery))
	e.audit("02-forum-public")

	e.run("open the sign-in page", chromedp.Navigate(e.base+"/staff"), chromedp.WaitVisible("#connexion-email", chromedp.ByQuery))
	e.audit("03-connexion")
	e.run("sign in with a wrong password",
		chromedp.SendKeys("#connexion-email", "admin@fabrique.example", chromedp.ByQuery),
		chromedp.SendKeys("#connexion-password", "pas-le-bon", chromedp.ByQuery),
		chromedp.Click("main button[type=submit]", chromedp.ByQuery),
		chromedp.WaitVisible(".error-summary", chromedp.ByQuery))
	e.audit("04-connexion-refusee")
	e.run("sign in",
		chromedp.SendKeys("#connexion-password", "demo-fabrique-2016", chromedp.ByQuery),
		chromedp.Click("main button[type=submit]", chromedp.ByQuery),
		chromedp.WaitVisible(".notice-success", chromedp.ByQuery))
	if h := e.text("h1"); h != "Tableau de bord" {
		t.Fatalf("after signing in: %q", h)
	}
	e.audit("05-tableau-de-bord")

	e.run("open the event form", chromedp.Navigate(e.base+"/staff/events/new"), chromedp.WaitVisible("#evenement-kind", chromedp.ByQuery))
	e.audit("06-nouvel-evenement")
	e.run("submit it without a title",
		setValue("#evenement-kind", "open_ministry"),
		setValue("#evenement-host_organisation_id", "1"),
		setValue("#evenement-status", "published"),
		setValue("#evenement-venue_id", "1"),
		setValue("#evenement-date", "2027-03-02"),
		setValue("#evenement-start_time", "17:30"),
		setValue("#evenement-end_time", "20:15"),
		chromedp.Click("main button[type=submit]", chromedp.ByQuery),
		chromedp.WaitVisible("#evenement-title-erreur", chromedp.ByQuery))
	e.audit("07-nouvel-evenement-refuse")
	e.run("fix the title and submit",
		chromedp.SendKeys("#evenement-title", "Ministère ouvert #2", chromedp.ByQuery),
		chromedp.Click("main button[type=submit]", chromedp.ByQuery),
		chromedp.WaitVisible("#programme", chromedp.ByQuery))
	if h := e.text("h1"); h != "Ministère ouvert #2" {
		t.Fatalf("after creating: %q", h)
	}
	var editorURL string
	e.run("read the editor's address", chromedp.Location(&editorURL))
	e.audit("08-editeur-evenement")

	e.run("see it on the dashboard", chromedp.Navigate(e.base+"/staff"), chromedp.WaitVisible("table", chromedp.ByQuery))
	if !strings.Contains(e.text("table"), "Ministère ouvert #2") {
		t.Error("the new event is not on the dashboard")
	}
	e.audit("09-tableau-de-bord-avec-evenement")

	public := strings.Replace(strings.Split(editorURL, "?")[0], "/staff/events/", "/events/", 1)
	e.run("open its public page", chromedp.Navigate(public), chromedp.WaitVisible("h1", chromedp.ByQuery))
	if !strings.Contains(e.text(".facts"), "mardi 2 mars 2027 de 17 h 30 à 20 h 15") {
		t.Errorf("the public page does not give the date in French: %q", e.text(".facts"))
	}
	e.audit("10-evenement-public")

	e.run("open Ministère ouvert #1 on a phone",
		emulation.SetDeviceMetricsOverride(390, 844, 3, true),
		chromedp.Navigate(e.base+"/events/1"), chromedp.WaitVisible("h1", chromedp.ByQuery))
	e.audit("11-ministere-ouvert-1-telephone")
	var overflow bool
	e.run("check nothing overflows sideways", chromedp.Evaluate(`document.documentElement.scrollWidth > window.innerWidth + 1`, &overflow))
	if overflow {
		t.Error("the event page is wider than a phone's screen")
	}
	e.run("back to a desktop", emulation.ClearDeviceMetricsOverride(), page.Reload())
}
