package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"fabrique/internal/fabrique"
)

// TestBrowserFollowACommitmentFromThePrivatePageThenUnsubscribe: in a real
// browser, a participant asks from their private page to be told of the
// status changes of their workshop's commitment; the notice's unsubscribe
// link leads to a page that ends the subscription after a click. Each page
// is audited (axe-core).
func TestBrowserFollowACommitmentFromThePrivatePageThenUnsubscribe(t *testing.T) {
	e := newE2E(t)
	rec := registerInStore(t, e.store, "Léa Martin", "lea.martin@exemple.fr", forumWorkshops(t, e.store)[0])
	drainOutbox(t, e.store, 0) // the invitation
	e.run("open the private page", chromedp.Navigate(e.base+"/p/"+rec.Token), chromedp.WaitVisible("#suivi", chromedp.ByQuery))
	e.audit("notif-01-page-personnelle")
	e.run("ask to be told", chromedp.Click(`//form[contains(@action, "/suivi")]//button`, chromedp.BySearch), chromedp.WaitVisible(".notice-success", chromedp.ByQuery))
	if s := e.text(".notice-success"); !strings.Contains(s, "vous recevrez un courriel à chaque changement") {
		t.Errorf("after subscribing: %q", s)
	}
	e.audit("notif-02-abonnement")

	sys := fabrique.WithUser(context.Background(), fabrique.System)
	list, err := e.store.FollowUp().Followed(sys, rec.Token)
	if err != nil || len(list) != 1 || !list[0].Subscribed {
		t.Fatalf("followed: %v %+v", err, list)
	}
	if _, err := e.store.FollowUp().SetStatus(sys, list[0].CommitmentID, &fabrique.StatusInput{Status: fabrique.StatusSubstantial, Justification: "Deux simulateurs de plus sont publiés."}); err != nil {
		t.Fatal(err)
	}
	var link string
	for _, texts := range statusNotices(t, drainOutbox(t, e.store, 0)) {
		if m := unsubscribeLink.FindStringSubmatch(texts[0]); m != nil {
			link = "/desabonnement/" + m[1]
		}
	}
	if link == "" {
		t.Fatal("no notice with an unsubscribe link")
	}
	e.run("open the unsubscribe link", chromedp.Navigate(e.base+link), chromedp.WaitVisible("main form button", chromedp.ByQuery))
	e.audit("notif-03-desabonnement")
	e.run("unsubscribe", chromedp.Click("main form button", chromedp.ByQuery), chromedp.WaitNotPresent("main form", chromedp.ByQuery))
	if s := e.text("main"); !strings.Contains(s, "C'est fait : vous ne recevrez plus de courriel") {
		t.Errorf("after unsubscribing: %q", s)
	}
	e.audit("notif-04-desabonne")
	if list, _ := e.store.FollowUp().Followed(sys, rec.Token); len(list) != 1 || list[0].Subscribed {
		t.Errorf("still subscribed: %+v", list)
	}
}
