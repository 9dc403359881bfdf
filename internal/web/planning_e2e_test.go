package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// emulate turns the emulation of a network outage on or off.
func emulate(offline bool, conditions []*network.Conditions) chromedp.Action {
	return chromedp.ActionFunc(func(ctx context.Context) error {
		_, err := network.EmulateNetworkConditionsByRule(offline, conditions).Do(ctx)
		return err
	})
}

// awaitPromise lets chromedp.Evaluate wait for a promise.
func awaitPromise(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }

func TestBrowserCreateByFormatAssignRecordAndDownloadTheKit(t *testing.T) {
	e := newE2E(t)
	copyMinistry(t, e.store) // its workshop 3 (id 11) has draft minutes: the demo's are published
	e.run("sign in",
		chromedp.Navigate(e.base+"/staff"), chromedp.WaitVisible("#connexion-email", chromedp.ByQuery),
		chromedp.SendKeys("#connexion-email", "admin@fabrique.example", chromedp.ByQuery),
		chromedp.SendKeys("#connexion-password", "demo-fabrique-2016", chromedp.ByQuery),
		chromedp.Click("main button[type=submit]", chromedp.ByQuery),
		chromedp.WaitVisible(".notice-success", chromedp.ByQuery))

	e.run("choose the format", chromedp.Navigate(e.base+"/staff/events/new"), chromedp.WaitVisible(".format-list", chromedp.ByQuery))
	e.audit("p01-choisir-un-format")
	e.run("open the Ministère ouvert form",
		chromedp.Click(`a[href="/staff/events/new/open_ministry"]`, chromedp.ByQuery), chromedp.WaitVisible("#format-date", chromedp.ByQuery))
	e.audit("p02-formulaire-ministere-ouvert")
	e.run("submit it on a holiday",
		chromedp.SendKeys("#format-title", "Ministère ouvert #2", chromedp.ByQuery),
		setValue("#format-host_organisation_id", "1"), setValue("#format-venue_id", "1"),
		setValue("#format-date", "2027-05-08"), // Victoire 1945, a Saturday
		chromedp.Click("main form button[type=submit]", chromedp.ByQuery),
		chromedp.WaitVisible("#format-date-erreur", chromedp.ByQuery))
	if msg := e.text("#format-date-erreur"); !strings.Contains(msg, "lundi 10 mai 2027") {
		t.Errorf("the date error does not propose the next working day: %q", msg)
	}
	e.audit("p03-date-feriee-refusee")
	e.run("choose a working day",
		setValue("#format-date", "2027-03-02"),
		chromedp.Click("main form button[type=submit]", chromedp.ByQuery),
		chromedp.WaitVisible("#programme", chromedp.ByQuery))
	if h := e.text("h1"); h != "Ministère ouvert #2" {
		t.Fatalf("after creating: %q", h)
	}
	if p := e.text("#programme + .table-wrap"); !strings.Contains(p, "Ateliers de suivi des engagements") || !strings.Contains(p, "19 h 40 – 20 h 15") {
		t.Errorf("the programme is not the reference one: %q", p)
	}
	e.audit("p04-evenement-cree")

	e.run("open the planning page",
		chromedp.Click(`a[href$="/planning"]`, chromedp.ByQuery), chromedp.WaitVisible("table.board", chromedp.ByQuery))
	if board := e.text("table.board"); !strings.Contains(board, "Sans salle") || !strings.Contains(board, "Conflit") {
		t.Errorf("the board does not show the workshops without a room: %q", board)
	}
	e.audit("p05-conflits-et-tableau")
	e.run("assign automatically: see the proposal",
		chromedp.Click(".inline-form button[type=submit]", chromedp.ByQuery),
		chromedp.WaitReady(`input[name="fingerprint"]`, chromedp.ByQuery))
	if lead := e.text("main .lead"); !strings.Contains(lead, "Rien n'est encore enregistré") {
		t.Errorf("the proposal page: %q", lead)
	}
	e.audit("p06-proposition-d-affectation")
	e.run("confirm it",
		chromedp.Click(`main form button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible(".notice-success", chromedp.ByQuery))
	if board := e.text("table.board"); strings.Contains(board, "Sans salle") {
		t.Errorf("workshops are still without a room after the assignment: %q", board)
	}
	e.audit("p07-affectation-enregistree")

	e.run("open the live entry of workshop 3", chromedp.Navigate(e.base+"/staff/workshops/11/live"), chromedp.WaitVisible("#saisie-text", chromedp.ByQuery))
	e.audit("p08-saisie-en-direct")
	e.run("type a contribution and press Enter",
		chromedp.Focus("#saisie-text", chromedp.ByQuery),
		chromedp.SendKeys("#saisie-text", "Mesurer les réutilisations des jeux de données"+kb.Enter, chromedp.ByQuery),
		chromedp.WaitVisible("#saisie-liste .live-sent", chromedp.ByQuery))
	var focused string
	var value string
	e.run("the focus is back on the empty text",
		chromedp.Evaluate(`document.activeElement.id`, &focused), chromedp.Value("#saisie-text", &value, chromedp.ByQuery))
	if focused != "saisie-text" || value != "" {
		t.Errorf("after adding: focus on %q, text %q", focused, value)
	}
	offline := []*network.Conditions{{DownloadThroughput: -1, UploadThroughput: -1}}
	e.run("the network drops while a contribution is added",
		network.Enable(), emulate(true, offline),
		chromedp.SendKeys("#saisie-text", "Ouvrir les codes sources des calculateurs"+kb.Enter, chromedp.ByQuery),
		chromedp.WaitVisible("#saisie-liste .live-offline", chromedp.ByQuery))
	var kept int
	e.run("the contribution is kept on the device",
		chromedp.Evaluate(`JSON.parse(localStorage.getItem("fabrique.saisie.11") || "[]").length`, &kept))
	if kept != 1 {
		t.Errorf("%d contributions kept in localStorage while offline", kept)
	}
	e.screenshot("p09-saisie-hors-ligne")
	e.run("the network comes back",
		emulate(false, offline),
		chromedp.Evaluate(`window.dispatchEvent(new Event("online"))`, nil),
		chromedp.WaitNotPresent("#saisie-liste .live-offline, #saisie-liste .live-sending, #saisie-liste .live-pending", chromedp.ByQuery))
	e.run("the queue is empty", chromedp.Evaluate(`JSON.parse(localStorage.getItem("fabrique.saisie.11") || "[]").length`, &kept))
	if kept != 0 {
		t.Errorf("%d contributions left after the network came back", kept)
	}
	e.audit("p10-saisie-envoyee")
	e.run("reload: both contributions come from the server",
		chromedp.Reload(), chromedp.WaitVisible("#saisie-liste", chromedp.ByQuery))
	if list := e.text("#saisie-liste"); !strings.Contains(list, "Mesurer les réutilisations") || !strings.Contains(list, "Ouvrir les codes sources") {
		t.Errorf("after reloading: %q", list)
	}

	e.run("open the facilitators' list", chromedp.Navigate(e.base+"/staff/my-workshops"), chromedp.WaitVisible("main .workshops", chromedp.ByQuery))
	e.audit("p11-mes-ateliers")
	var kit string
	e.run("download the kit",
		chromedp.Evaluate(`fetch("/api/v1/events/1/kit.pdf").then(r => r.arrayBuffer().then(b =>
			r.status + " " + r.headers.get("Content-Type") + " " + String.fromCharCode(...new Uint8Array(b.slice(0, 5))) + " " + b.byteLength))`, &kit, awaitPromise))
	parts := strings.Fields(kit)
	if len(parts) != 4 || parts[0] != "200" || parts[1] != "application/pdf" || parts[2] != "%PDF-" {
		t.Errorf("the kit is not a PDF: %q", kit)
	}
}
