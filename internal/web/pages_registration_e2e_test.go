package web_test

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"fabrique/internal/fabrique"
)

// privateLink finds a participant's private link in a message as received.
var privateLink = regexp.MustCompile(`/p/(p_[A-Za-z0-9_.-]+)`)

// waitText waits until the text of sel contains want.
func (e *e2e) waitText(sel, want string) {
	e.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		got := e.text(sel)
		if strings.Contains(got, want) {
			return
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("%s still says %q, not %q", sel, got, want)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func TestBrowserRegisterThenReleaseAndPreviewTheInvitation(t *testing.T) {
	e := newE2E(t)
	ctx := fabrique.WithUser(context.Background(), fabrique.System)
	// The forum asks for a review before sending: its messages wait for staff.
	if err := e.store.Enrolments().SetSettings(ctx, &fabrique.RegistrationSettings{EventID: 2, Allocation: fabrique.AllocFirstCome, Review: true}); err != nil {
		t.Fatal(err)
	}

	e.run("open the forum's registration form", chromedp.Navigate(e.base+"/events/2#inscription"), chromedp.WaitVisible("#inscription-name", chromedp.ByQuery))
	e.audit("30-inscription-formulaire")
	e.run("send it empty", chromedp.Click("#inscription button[type=submit]", chromedp.ByQuery), chromedp.WaitVisible("#inscription-erreurs", chromedp.ByQuery))
	if s := e.text("#inscription-consent-erreur"); !strings.Contains(s, "accord") {
		t.Errorf("the consent's error says %q", s)
	}
	e.audit("31-inscription-refusee")
	e.run("fill it in and send it",
		chromedp.SendKeys("#inscription-name", "Léa Martin", chromedp.ByQuery),
		chromedp.SendKeys("#inscription-email", "lea.martin@exemple.fr", chromedp.ByQuery),
		setValue("#inscription-category", "researcher"),
		chromedp.SendKeys("#inscription-organisation", "Inria", chromedp.ByQuery),
		chromedp.Click("#inscription-workshop_id input[type=radio]", chromedp.ByQuery),
		chromedp.Click("#inscription-consent", chromedp.ByQuery),
		chromedp.Click("#inscription button[type=submit]", chromedp.ByQuery),
		chromedp.WaitVisible(".confirmation", chromedp.ByQuery))
	if h := e.text("h1"); h != "Inscription confirmée" {
		t.Fatalf("after registering: %q", h)
	}
	e.audit("32-inscription-confirmee")

	e.run("sign in as staff", chromedp.Navigate(e.base+"/signin"),
		chromedp.WaitVisible("#connexion-email", chromedp.ByQuery),
		chromedp.SendKeys("#connexion-email", "admin@fabrique.example", chromedp.ByQuery),
		chromedp.SendKeys("#connexion-password", "demo-fabrique-2016", chromedp.ByQuery),
		chromedp.Click("main button[type=submit]", chromedp.ByQuery),
		chromedp.WaitVisible(".dashboard-status", chromedp.ByQuery))
	if s := e.text(".dashboard-status"); !strings.Contains(s, "Retenus pour relecture : 2") {
		t.Errorf("the dashboard says %q", s)
	}
	e.audit("33-tableau-de-bord-messages")

	e.run("open the outbox", chromedp.Navigate(e.base+"/staff/outbox?event=2&state=held"), chromedp.WaitVisible("#messages", chromedp.ByQuery))
	if s := e.text("main"); !strings.Contains(s, "lea.martin@exemple.fr") || !strings.Contains(s, "Retenu pour relecture") {
		t.Fatalf("the outbox does not show the held invitation: %q", s)
	}
	e.audit("34-messages-retenus")
	e.run("preview the invitation", chromedp.Click("#messages ~ .table-wrap a[href^='/staff/outbox/']", chromedp.ByQuery), chromedp.WaitVisible(".message-text", chromedp.ByQuery))
	if s := e.text(".message-text"); !strings.Contains(s, "Forum Open d'État") || !strings.Contains(s, "Votre atelier : n° 1") {
		t.Errorf("the preview says %q", s)
	}
	if strings.Contains(e.text("main"), "/p/p_") {
		t.Error("the preview shows the private link")
	}
	e.audit("35-apercu-invitation")

	e.run("release the batch", chromedp.Click("form[action='/staff/events/2/outbox/release'] button", chromedp.ByQuery),
		chromedp.WaitVisible("#avancement-barre", chromedp.ByQuery))
	e.waitText("#avancement-texte", "0 sur 2")
	e.audit("36-envoi-en-cours")
	smtp := drainOutbox(t, e.store, 0) // the worker sends the batch while the page is open
	e.waitText("#avancement-texte", "Envoi terminé : 2 messages envoyés sur 2.")
	var value string
	e.run("read the progress bar", chromedp.AttributeValue("#avancement-barre", "value", &value, nil, chromedp.ByQuery))
	if value != "2" {
		t.Errorf("the progress bar is at %q", value)
	}
	e.audit("37-envoi-termine")

	e.run("open the registrations", chromedp.Navigate(e.base+"/staff/events/2/registrations"), chromedp.WaitVisible(".counters", chromedp.ByQuery))
	if !strings.Contains(e.text("main"), "Léa Martin") {
		t.Error("the registration is not listed")
	}
	e.audit("38-inscriptions")

	msgs := smtp.Messages()
	if len(msgs) != 2 {
		t.Fatalf("%d messages received", len(msgs))
	}
	m := privateLink.FindStringSubmatch(strings.ReplaceAll(string(msgs[0].Data), "=\r\n", ""))
	if m == nil {
		t.Fatal("no private link in the invitation")
	}
	e.run("open the participant's page from the email", chromedp.Navigate(e.base+"/p/"+m[1]), chromedp.WaitVisible(".agenda", chromedp.ByQuery))
	if s := e.text(".agenda"); !strings.Contains(s, "mardi 19 janvier 2027 de 18 h 00 à 19 h 30") {
		t.Errorf("the agenda says %q", s)
	}
	e.audit("39-page-participant")
	e.run("ask to cancel", chromedp.Click("a[href$='/annulation']", chromedp.ByQuery), chromedp.WaitVisible("button.danger", chromedp.ByQuery))
	e.audit("40-annulation-confirmer")
	e.run("cancel", chromedp.Click("button.danger", chromedp.ByQuery), chromedp.WaitVisible(".notice-success", chromedp.ByQuery))
	if s := e.text(".facts"); !strings.Contains(s, "Inscription annulée") {
		t.Errorf("after cancelling: %q", s)
	}
	e.audit("41-inscription-annulee")
}
