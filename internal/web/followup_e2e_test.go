package web_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"fabrique/internal/demo"
	"fabrique/internal/fabrique"
)

// signInAs signs in through the form, after forgetting any previous session.
func (e *e2e) signInAs(email, password string) {
	e.t.Helper()
	e.run("sign in as "+email, network.ClearBrowserCookies(),
		chromedp.Navigate(e.base+"/signin"), chromedp.WaitVisible("#connexion-email", chromedp.ByQuery),
		chromedp.SendKeys("#connexion-email", email, chromedp.ByQuery),
		chromedp.SendKeys("#connexion-password", password, chromedp.ByQuery),
		chromedp.Click("main button[type=submit]", chromedp.ByQuery),
		chromedp.WaitVisible(".notice-success", chromedp.ByQuery))
}

// waitNotice waits until the page (the next one, after a form) confirms with want.
func (e *e2e) waitNotice(want string) {
	e.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		var got string
		err := chromedp.Run(e.ctx, chromedp.Evaluate(`(document.querySelector(".notice-success, .error-summary") || {}).textContent || ""`, &got))
		if err == nil && strings.Contains(got, want) {
			return
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("the page says %q, not %q", got, want)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// fetch downloads a file of the server as a visitor.
func (e *e2e) fetch(path string) string {
	e.t.Helper()
	resp, err := http.Get(e.base + path)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != 200 {
		e.t.Fatalf("GET %s: %d %v", path, resp.StatusCode, err)
	}
	return string(b)
}

// TestBrowserFollowACommitmentCommentAnswerAndReport is the journey of
// issue 17: a carrier sets commitment 4 to « substantielle » with a
// justification and an indicator value; a citizen comments during the
// consultation; staff publish the comment; the carrier answers; the page
// shows it all with the workshop of 21 June 2016 and its contributions; the
// progress report, the JSON and the CSV carry them.
func TestBrowserFollowACommitmentCommentAnswerAndReport(t *testing.T) {
	e := newE2E(t)
	sys := fabrique.WithUser(context.Background(), fabrique.System)
	fu := e.store.FollowUp()
	// The workshop of 21 June 2016 on commitment 4, its contributions and
	// its published minutes come from the demo.
	// A consultation open around the test's clock.
	today := time.Now().In(fabrique.Paris)
	if err := fu.OpenConsultation(sys, &fabrique.Consultation{PlanID: 1, Title: "Consultation sur le rapport final", Opens: today.AddDate(0, 0, -2).Format("2006-01-02"),
		Closes: today.AddDate(0, 0, 10).Format("2006-01-02"), Moderation: fabrique.ModerationBefore}); err != nil {
		t.Fatal(err)
	}
	const (
		page          = "/plans/1/engagements/4"
		justification = "Quatorze rapports d'évaluation sont en ligne et le programme 2017 est publié."
		comment       = "Pourriez-vous publier aussi les cahiers des charges des évaluations ?"
		answer        = "Oui : ils seront en ligne avec chaque rapport dès septembre."
	)

	e.signInAs(demo.OrganiserEmail, demo.Password)
	e.run("open commitment 4 as its carrier", chromedp.Navigate(e.base+page), chromedp.WaitVisible("#etat-status", chromedp.ByQuery))
	e.audit("suivi-01-engagement-porteur")
	e.run("set the status without a justification",
		setValue("#etat-status", "substantial"),
		chromedp.Click("#etat button[type=submit]", chromedp.ByQuery),
		chromedp.WaitVisible("#etat-justification-erreur", chromedp.ByQuery))
	e.audit("suivi-02-etat-refuse")
	e.run("set the status with a justification",
		chromedp.SendKeys("#etat-justification", justification, chromedp.ByQuery),
		chromedp.Click("#etat button[type=submit]", chromedp.ByQuery),
		chromedp.WaitVisible(".notice-success", chromedp.ByQuery))
	e.run("record a value of the indicator",
		setValue("#valeurs-indicator_id", "1"),
		chromedp.SendKeys("#valeurs-value", "17", chromedp.ByQuery),
		setValue("#valeurs-measured_on", today.Format("2006-01-02")),
		chromedp.SendKeys("#valeurs-source", "SGMAP, tableau de suivi", chromedp.ByQuery),
		chromedp.Click("#valeurs button[type=submit]", chromedp.ByQuery))
	e.waitNotice("Les modifications sont enregistrées.")
	if s := e.text(".facts"); !strings.Contains(s, "Mise en œuvre substantielle") || !strings.Contains(s, justification) {
		t.Errorf("the facts after the carrier's update: %q", s)
	}

	e.run("a citizen opens the page", network.ClearBrowserCookies(), chromedp.Navigate(e.base+page), chromedp.WaitVisible("#commentaire-author", chromedp.ByQuery))
	e.audit("suivi-03-engagement-public")
	e.run("comment",
		chromedp.SendKeys("#commentaire-author", "Claire D.", chromedp.ByQuery),
		chromedp.SendKeys("#commentaire-email", "claire@exemple.fr", chromedp.ByQuery),
		chromedp.SendKeys("#commentaire-text", comment, chromedp.ByQuery),
		chromedp.Click("#commentaire-consent", chromedp.ByQuery),
		chromedp.Click("#commenter button[type=submit]", chromedp.ByQuery),
		chromedp.WaitVisible(".notice-success", chromedp.ByQuery))
	if s := e.text(".notice-success"); !strings.Contains(s, "ouvrez le lien qu'il contient pour confirmer votre commentaire") {
		t.Errorf("after commenting: %q", s)
	}
	if pending, err := fu.PendingComments(sys, 1); err != nil || len(pending) != 0 {
		t.Fatalf("a comment awaits moderation before its author confirmed it: %v %d", err, len(pending))
	}
	confirm := mailedConfirmations(t, drainOutbox(t, e.store, 0))["claire@exemple.fr"][0]
	if confirm == "" {
		t.Fatal("no confirmation link mailed to the commenter")
	}
	e.run("confirm the comment with the link of the email", chromedp.Navigate(e.base+confirm), chromedp.WaitVisible("form button[type=submit]", chromedp.ByQuery))
	e.audit("suivi-03b-confirmation-commentaire")
	e.run("confirm", chromedp.Click("main form button[type=submit]", chromedp.ByQuery), chromedp.WaitNotPresent("main form", chromedp.ByQuery))
	if s := e.text("main"); !strings.Contains(s, "Merci : il est confirmé. Il sera publié après relecture") {
		t.Errorf("after confirming: %q", s)
	}
	pending, err := fu.PendingComments(sys, 1)
	if err != nil || len(pending) != 1 {
		t.Fatalf("pending comments: %v %d", err, len(pending))
	}
	id := pending[0].ID

	e.signInAs(demo.AdminEmail, demo.Password)
	e.run("open the moderation", chromedp.Navigate(e.base+"/staff/plans/1/moderation"), chromedp.WaitVisible("#attente-titre", chromedp.ByQuery))
	e.audit("suivi-04-moderation")
	e.run("publish the comment",
		chromedp.Click(fmt.Sprintf(`#commentaire-%d ~ form button[value="published"]`, id), chromedp.ByQuery),
		chromedp.WaitVisible(".notice-success", chromedp.ByQuery))

	e.signInAs(demo.OrganiserEmail, demo.Password)
	e.run("answer as the carrier", chromedp.Navigate(e.base+page+"#commentaires"),
		chromedp.WaitVisible(fmt.Sprintf("#reponse-%d", id), chromedp.ByQuery),
		chromedp.SendKeys(fmt.Sprintf("#reponse-%d", id), answer, chromedp.ByQuery),
		chromedp.Submit(fmt.Sprintf("#reponse-%d", id), chromedp.ByQuery),
		chromedp.WaitVisible(".notice-success", chromedp.ByQuery))

	e.run("a visitor reads the page", network.ClearBrowserCookies(), chromedp.Navigate(e.base+page), chromedp.WaitVisible("#ateliers", chromedp.ByQuery))
	e.audit("suivi-05-engagement-complet")
	body := strings.NewReplacer("\u202f", " ", "\u00a0", " ").Replace(e.text("main"))
	for _, want := range []string{"Mise en œuvre substantielle", justification, "17 rapports le " + fabrique.FrenchDate(today), comment, "Réponse du porteur", answer,
		"Ministère ouvert #1 — Atelier 1 : Evaluation des politiques publiques, mardi 21 juin 2016",
		"Quels indicateurs pour mesurer l'impact des actions entreprises ?", "Compter les rapports d'évaluation publiés, et le délai",
		"Les ministères hésitent à publier les évaluations défavorables", "(Association Données ouvertes et citoyenneté (démo))"} {
		if !strings.Contains(body, want) {
			t.Errorf("the commitment's page lacks %q", want)
		}
	}
	var desc string
	e.run("read the chart's text alternative", chromedp.TextContent("svg.chart desc", &desc, chromedp.ByQuery))
	if !strings.Contains(desc, "17 rapports") || !strings.Contains(desc, "cible : 40 rapports") {
		t.Errorf("the chart's text alternative: %q", desc)
	}
	e.run("open the plan's page", chromedp.Navigate(e.base+"/plans/1"), chromedp.WaitVisible("#porteurs-titre", chromedp.ByQuery))
	e.audit("suivi-06-plan")

	pages := pdfPages(t, []byte(e.fetch("/api/v1/action-plans/1/progress-report.pdf")))
	report := strings.Join(pages, " ")
	for _, want := range []string{"Engagement 4 : Evaluation des politiques publiques", "substantielle", justification, comment, "Réponse du porteur", answer,
		"Compter les rapports d'évaluation publiés", "mardi 21 juin 2016", fmt.Sprintf("page 2 sur %d", len(pages))} {
		if !strings.Contains(report, want) {
			t.Errorf("the progress report lacks %q", want)
		}
	}
	for file, wants := range map[string][]string{
		"suivi.json":       {`"status":"substantial"`, justification, comment, answer, `"carrier_answer":true`},
		"commentaires.csv": {"Claire D.", comment, answer},
		"engagements.csv":  {"substantielle", justification},
		"indicateurs.csv":  {"Rapports d'évaluation publiés", ";17;"},
	} {
		got := e.fetch("/api/v1/action-plans/1/open-data/" + file)
		for _, want := range wants {
			if !strings.Contains(got, want) {
				t.Errorf("%s lacks %q", file, want)
			}
		}
		if strings.Contains(got, "claire@exemple.fr") {
			t.Errorf("%s carries the commenter's email", file)
		}
	}
}
