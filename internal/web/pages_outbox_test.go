package web_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"net/http"
	"strings"
	"testing"
	"time"

	"fabrique/internal/fabrique"
	"fabrique/internal/mail"
	"fabrique/internal/mail/mailtest"
	"fabrique/internal/outbox"
	"fabrique/internal/sqlite"
)

// drainOutbox sends the due messages to a real SMTP server on loopback,
// which refuses the first `refuse` of them for good.
func drainOutbox(t *testing.T, st *sqlite.Store, refuse int) *mailtest.Server {
	t.Helper()
	srv := mailtest.NewServer(t)
	if refuse > 0 {
		srv.FailNext(refuse, mailtest.Reply{Code: 550, Enhanced: [3]int{5, 1, 1}, Text: "mailbox unavailable"})
	}
	cfg, err := mail.ParseURL(srv.URL("starttls=off"))
	if err != nil {
		t.Fatal(err)
	}
	sender, err := mail.NewSMTPSender(cfg)
	if err != nil {
		t.Fatal(err)
	}
	w := outbox.New(st.Queue(), sender, outbox.Config{BaseURL: "http://fabrique.test", Backoff: func(int) time.Duration { return 0 }})
	if err := w.Drain(context.Background()); err != nil {
		t.Fatal(err)
	}
	return srv
}

func TestRegistrationsPageAndItsExport(t *testing.T) {
	srv, st := newServer(t)
	ws := forumWorkshops(t, st)
	setCapacity(t, st, ws[0], 1)
	registerInStore(t, st, "Léa Martin", "lea@exemple.fr", ws[0])
	registerInStore(t, st, "Noé Attente", "noe@exemple.fr", ws[0])
	registerInStore(t, st, "=HYPERLINK(\"http://x\")", "zoe@exemple.fr", ws[0])
	b := signedIn(t, srv)
	t.Run("the page lists each workshop with its registered people and its waiting list in order", func(t *testing.T) {
		w := b.get("/staff/events/2/registrations")
		if w.Code != http.StatusOK {
			t.Fatalf("status %d", w.Code)
		}
		contains(t, w, "<strong>1</strong> inscrit·e", "<strong>2</strong> sur liste d'attente", "Liste d'attente (2)",
			"Léa Martin", "Noé Attente", "1 / 1 place", `href="/staff/events/2/registrations.csv"`)
		body := w.Body.String()
		if strings.Index(body, "Noé Attente") > strings.Index(body, "HYPERLINK") {
			t.Error("the waiting list is not in the order of arrival")
		}
	})
	t.Run("the export opens in a French spreadsheet and neutralises formulas", func(t *testing.T) {
		w := b.get("/staff/events/2/registrations.csv")
		if w.Code != http.StatusOK || w.Header().Get("Content-Type") != "text/csv; charset=utf-8" ||
			!strings.HasPrefix(w.Header().Get("Content-Disposition"), `attachment; filename="inscriptions-forum-open-d-etat`) {
			t.Fatalf("status %d, headers %v", w.Code, w.Header())
		}
		raw := w.Body.Bytes()
		if !bytes.HasPrefix(raw, []byte("\xEF\xBB\xBF")) {
			t.Fatalf("no byte order mark: %q", raw[:10])
		}
		if !bytes.HasPrefix(raw[3:], []byte("Atelier;Salle;Statut;Rang sur la liste d'attente;Nom;Adresse électronique;")) || !bytes.Contains(raw, []byte("\r\n")) {
			t.Fatalf("header line: %q", raw[:120])
		}
		r := csv.NewReader(bytes.NewReader(raw[3:]))
		r.Comma = ';'
		rows, err := r.ReadAll()
		if err != nil || len(rows) != 4 {
			t.Fatalf("rows %v: %v", rows, err)
		}
		if rows[2][2] != "Liste d'attente" || rows[2][3] != "1" || rows[2][4] != "Noé Attente" || rows[2][7] != "Chercheur·e" {
			t.Errorf("waiting row %q", rows[2])
		}
		if rows[3][4] != `'=HYPERLINK("http://x")` {
			t.Errorf("formula not neutralised: %q", rows[3][4])
		}
	})
	t.Run("an organiser of another ministry may not see them", func(t *testing.T) {
		w := call(t, srv, orgOther, "GET", "/staff/events/2/registrations", "")
		if w.Code != http.StatusForbidden {
			t.Fatalf("status %d", w.Code)
		}
	})
}

func TestOutboxPages(t *testing.T) {
	srv, st := newServer(t)
	ws := forumWorkshops(t, st)
	registerInStore(t, st, "Léa Martin", "lea@exemple.fr", ws[0])
	smtp := drainOutbox(t, st, 1) // the first of Léa's two invitations is refused for good
	if smtp.Count() != 1 {
		t.Fatalf("%d messages accepted", smtp.Count())
	}
	b := signedIn(t, srv)
	var failed *fabrique.OutboxMessage
	page, _ := st.Outbox().ListOutbox(fabrique.WithUser(context.Background(), fabrique.System), fabrique.ListOptions{Limit: 10, Filters: map[string]string{"state": "failed"}})
	if page.Total != 1 {
		t.Fatalf("%d failed", page.Total)
	}
	failed = page.Items[0]
	t.Run("the outbox counts the messages by state and shows the SMTP answer of a failure", func(t *testing.T) {
		w := b.get("/staff/outbox")
		contains(t, w, "<h1>Messages aux participants</h1>", "Envoyés : <strong>1</strong>", "En échec : <strong>1</strong>", "Invitation",
			"lea@exemple.fr", "550", "mailbox unavailable", `action="/staff/outbox/`+itoa(failed.ID)+`/retry"`)
	})
	t.Run("a filter by state keeps only those messages", func(t *testing.T) {
		w := b.get("/staff/outbox?state=sent")
		contains(t, w, "1 message.", `<option value="sent" selected>`)
		lacks(t, w, "mailbox unavailable")
	})
	t.Run("the preview shows the message as received, with the private link hidden", func(t *testing.T) {
		w := b.get("/staff/outbox/" + itoa(failed.ID))
		contains(t, w, "Message n° "+itoa(failed.ID), "Léa Martin &lt;lea@exemple.fr&gt;", "Texte du message", "Forum Open d&#39;État",
			"METHOD:REQUEST", "Renvoyer ce message", `href="/api/v1/outbox/`+itoa(failed.ID)+`/eml"`)
		lacks(t, w, "/p/p_")
	})
	t.Run("a failed message is retried, then sent", func(t *testing.T) {
		w := b.post("/staff/outbox/"+itoa(failed.ID)+"/retry", nil)
		if w.Code != http.StatusSeeOther {
			t.Fatalf("status %d: %s", w.Code, w.Body)
		}
		contains(t, b.get(w.Header().Get("Location")), "Le message est remis en file", "En attente d&#39;envoi")
		if smtp := drainOutbox(t, st, 0); smtp.Count() != 1 {
			t.Fatalf("%d sent after the retry", smtp.Count())
		}
		contains(t, b.get("/staff/outbox/"+itoa(failed.ID)), "Envoyé le")
	})
	t.Run("a sent message cannot be retried", func(t *testing.T) {
		w := b.post("/staff/outbox/"+itoa(failed.ID)+"/retry", nil)
		if w.Code != http.StatusConflict {
			t.Fatalf("status %d", w.Code)
		}
		contains(t, w, "Seul un message en échec")
	})
}

func TestHeldMessagesAreReleasedAsABatchWithItsProgress(t *testing.T) {
	srv, st := newServer(t)
	ws := forumWorkshops(t, st)
	ctx := fabrique.WithUser(context.Background(), fabrique.System)
	if err := st.Enrolments().SetSettings(ctx, &fabrique.RegistrationSettings{EventID: 2, Allocation: fabrique.AllocFirstCome, Review: true}); err != nil {
		t.Fatal(err)
	}
	registerInStore(t, st, "Léa Martin", "lea@exemple.fr", ws[0])
	b := signedIn(t, srv)
	t.Run("the dashboard shows the held messages and that no event has open conflicts", func(t *testing.T) {
		w := b.get("/staff")
		contains(t, w, "À surveiller", "Retenus pour relecture : <strong>2</strong>", "et libérer les messages retenus",
			"Aucun événement à venir n'a de conflit de planning non résolu.")
	})
	t.Run("the dashboard names the upcoming events with open conflicts", func(t *testing.T) {
		setCapacity(t, st, ws[1], 500) // more seats than its room holds
		w := b.get("/staff")
		contains(t, w, "1 événement à venir a des conflits de planning non résolus", `<li><a href="/staff/events/2">Forum Open d&#39;État`)
	})
	t.Run("the outbox offers to review and release them", func(t *testing.T) {
		w := b.get("/staff/outbox")
		contains(t, w, "Libérer 2 messages", `action="/staff/events/2/outbox/release"`, `href="/staff/outbox?event=2&amp;state=held"`)
	})
	w := b.post("/staff/events/2/outbox/release", nil)
	loc := w.Header().Get("Location")
	if w.Code != http.StatusSeeOther || !strings.HasPrefix(loc, "/staff/outbox?batch=r") {
		t.Fatalf("status %d, location %q", w.Code, loc)
	}
	t.Run("the batch's progress is a progress bar, live with a script and refreshable without", func(t *testing.T) {
		w := b.get(loc)
		contains(t, w, "Les messages retenus sont libérés", `<progress id="avancement-barre" max="2" value="0"`, `aria-live="polite"`,
			"0 sur 2 messages traités", "Actualiser l'avancement", `<script src="/assets/js/outbox-progress.js" defer></script>`,
			`data-progress-url="/api/v1/events/2/outbox/progress?batch=r`)
	})
	t.Run("once sent, the progress says it is over and the script is not loaded", func(t *testing.T) {
		drainOutbox(t, st, 0)
		w := b.get(loc)
		contains(t, w, `value="2"`, "Envoi terminé : 2 messages envoyés sur 2.")
		lacks(t, w, "outbox-progress.js", "Actualiser l'avancement")
	})
	t.Run("the script is served", func(t *testing.T) {
		w := b.get("/assets/js/outbox-progress.js")
		if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "data-progress-url") {
			t.Fatalf("status %d", w.Code)
		}
	})
}
