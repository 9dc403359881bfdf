package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"fabrique/internal/fabrique"
	"fabrique/internal/sqlite"
)

// registrationPageExpectation gives what each role gets on the pages of
// registration, of the participant and of the outbox (hook of expectation).
func registrationPageExpectation(method, path string) (url, body string, e expect, ok bool) {
	hostStaff := byPolicy(fabrique.ObjParticipant, fabrique.ActRead, sereOwned, 200, 303) // Ministère ouvert #1 is hosted by the Secrétariat d'État
	outboxStaff := all(200).with(403, facil, facilOther).with(303, anonymous)
	switch method + " " + path {
	case "POST /events/:id/inscription":
		return "/events/2/inscription", "", emptyForm, true
	case "GET /events/:id/inscription":
		return "/events/2/inscription", "", all(303), true
	case "GET /events/:id/inscription/confirmation":
		return "/events/2/inscription/confirmation?etat=waiting&rang=2", "", all(200), true
	case "GET /p/:token", "GET /p/:token/annulation", "GET /p/:token/suppression":
		return strings.Replace(path, ":token", "p_inconnu", 1), "", all(404), true
	case "POST /p/:token/atelier", "POST /p/:token/annulation", "POST /p/:token/suppression":
		return strings.Replace(path, ":token", "p_inconnu", 1), "", all(404).with(403, anonymous), true
	case "GET /staff/events/:id/registrations", "GET /staff/events/:id/registrations.csv":
		return strings.Replace(path, ":id", "1", 1), "", hostStaff, true
	case "POST /staff/events/:id/outbox/release":
		// nothing is held: back to the outbox of the event
		return "/staff/events/1/outbox/release", "", all(403).with(303, admin, orgSERE), true
	case "GET /staff/outbox":
		return path, "", outboxStaff, true
	case "GET /staff/outbox/:id":
		return "/staff/outbox/999", "", outboxStaff.with(404, admin, orgSERE, orgForum, orgOther), true
	case "POST /staff/outbox/:id/retry":
		return "/staff/outbox/999/retry", "", all(404).with(403, anonymous, facil, facilOther), true
	}
	return "", "", nil, false
}

// forumWorkshops returns the ids of the forum's workshops (event 2), in order.
func forumWorkshops(t *testing.T, st *sqlite.Store) []int64 {
	t.Helper()
	ctx := fabrique.WithUser(context.Background(), fabrique.System)
	p, err := st.Workshops().List(ctx, fabrique.ListOptions{Limit: 50, Filters: map[string]string{"event_id": "2"}})
	if err != nil || len(p.Items) < 3 {
		t.Fatalf("forum workshops: %v", err)
	}
	var ids []int64
	for _, w := range p.Items {
		ids = append(ids, w.ID)
	}
	return ids
}

// setCapacity sets the capacity of a workshop.
func setCapacity(t *testing.T, st *sqlite.Store, id int64, n int) {
	t.Helper()
	ctx := fabrique.WithUser(context.Background(), fabrique.System)
	w, err := st.Workshops().Get(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	w.Capacity = n
	if err := st.Workshops().Update(ctx, w); err != nil {
		t.Fatal(err)
	}
}

// registerInStore registers a person to a workshop of the forum and
// returns the receipt with the private token.
func registerInStore(t *testing.T, st *sqlite.Store, name, email string, workshop int64) *fabrique.RegistrationReceipt {
	t.Helper()
	rec, err := st.Enrolments().Register(context.Background(), 2, &fabrique.RegistrationRequest{Name: name, Email: email,
		Category: fabrique.CategoryResearcher, Organisation: "Inria", WorkshopID: &workshop, Consent: true})
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

// registrationForm is a valid form for the forum's first workshop.
func registrationForm(workshop int64) url.Values {
	return url.Values{"name": {"Léa Martin"}, "email": {"lea.martin@exemple.fr"}, "category": {"researcher"},
		"organisation": {"Inria"}, "workshop_id": {itoa(workshop)}, "consent": {"1"}}
}

func TestRegistrationFormOnThePublicEventPage(t *testing.T) {
	srv, st := newServer(t)
	ws := forumWorkshops(t, st)
	t.Run("the forum's page offers the workshops with their seats and the consent with its purpose and retention", func(t *testing.T) {
		w := newBrowser(t, srv).get("/events/2")
		contains(t, w, `id="inscription"`, "S'inscrire", `action="/events/2/inscription#inscription"`, `type="radio"`, `name="workshop_id"`,
			"20 places restantes", `<label for="inscription-name">Nom et prénom</label>`, `autocomplete="email"`, `name="csrf_token"`,
			"Pourquoi :", "Combien de temps :", "conservées un an après la fin de l", `name="consent"`, "M'inscrire")
	})
	t.Run("a past event says that registrations are closed, without a form", func(t *testing.T) {
		w := newBrowser(t, srv).get("/events/1")
		contains(t, w, "Les inscriptions à cet événement sont closes.")
		lacks(t, w, `name="workshop_id"`)
	})
	t.Run("an empty form is refused with an error next to each field, and nothing is written", func(t *testing.T) {
		before := countAll(t, st)
		b := newBrowser(t, srv)
		b.get("/events/2")
		w := b.post("/events/2/inscription", nil)
		if w.Code != http.StatusUnprocessableEntity {
			t.Fatalf("status %d", w.Code)
		}
		contains(t, w, "<title>Erreur : ", "Rien n'a été enregistré", `id="inscription-name-erreur"`, `id="inscription-email-erreur"`,
			`id="inscription-category-erreur"`, `id="inscription-workshop_id-erreur"`, `id="inscription-consent-erreur"`,
			`href="#inscription-workshop_id"`, "Choisissez un atelier", "Votre accord sur l&#39;usage de vos données")
		if after := countAll(t, st); after != before {
			t.Errorf("written:\n%s\n%s", before, after)
		}
	})
	t.Run("what was typed is kept when the address is wrong", func(t *testing.T) {
		b := newBrowser(t, srv)
		b.get("/events/2")
		f := registrationForm(ws[1])
		f.Set("email", "lea.martin@")
		w := b.post("/events/2/inscription", f)
		if w.Code != http.StatusUnprocessableEntity {
			t.Fatalf("status %d", w.Code)
		}
		contains(t, w, `value="Léa Martin"`, `value="lea.martin@"`, `value="Inria"`, `id="inscription-email-erreur"`,
			`value="`+itoa(ws[1])+`" checked`, `value="researcher" selected`, `name="consent" value="1" checked`)
	})
	t.Run("a form without the security token is refused", func(t *testing.T) {
		b := newBrowser(t, srv)
		w := b.do("POST", "/events/2/inscription", registrationForm(ws[0]))
		if w.Code != http.StatusForbidden {
			t.Fatalf("status %d", w.Code)
		}
	})
	t.Run("a registration is confirmed, and the page says the private link was sent", func(t *testing.T) {
		b := newBrowser(t, srv)
		b.get("/events/2")
		w := b.post("/events/2/inscription", registrationForm(ws[0]))
		loc := w.Header().Get("Location")
		if w.Code != http.StatusSeeOther || !strings.HasPrefix(loc, "/events/2/inscription/confirmation?") {
			t.Fatalf("status %d, location %q: %s", w.Code, loc, w.Body)
		}
		done := b.get(loc)
		contains(t, done, "<h1>Inscription confirmée</h1>", "Vous êtes inscrit·e à", "Atelier 1 : ", "Un courriel contenant le lien de votre page personnelle")
		page, err := st.Outbox().ListOutbox(fabrique.WithUser(context.Background(), fabrique.System),
			fabrique.ListOptions{Limit: 5, Filters: map[string]string{"recipient": "lea.martin@exemple.fr"}})
		if err != nil || page.Total != 2 || page.Items[0].Kind != fabrique.MsgInvitation || page.Items[1].Kind != fabrique.MsgInvitation {
			t.Fatalf("outbox: %v %+v", err, page) // the forum's launch and forum day: two invitations
		}
	})
	t.Run("the event's page then shows one seat less", func(t *testing.T) {
		contains(t, newBrowser(t, srv).get("/events/2"), "19 places restantes")
	})
	t.Run("registering again with the same address duplicates nothing", func(t *testing.T) {
		b := newBrowser(t, srv)
		b.get("/events/2")
		w := b.post("/events/2/inscription", registrationForm(ws[0]))
		// The same page as a newcomer's: nothing tells the address was known.
		if loc := w.Header().Get("Location"); !strings.Contains(loc, "etat=registered") || strings.Contains(loc, "connu") {
			t.Errorf("redirected to %s", loc)
		}
		page := b.get(w.Header().Get("Location")).Body.String()
		if !strings.Contains(page, "Inscription confirmée") || !strings.Contains(page, "sans rien dupliquer") || strings.Contains(page, "déjà inscrite à") {
			t.Errorf("confirmation page:\n%s", page)
		}
	})
}

func TestRegistrationToAFullWorkshopGivesARankOnTheWaitingList(t *testing.T) {
	srv, st := newServer(t)
	ws := forumWorkshops(t, st)
	setCapacity(t, st, ws[2], 1)
	registerInStore(t, st, "Première Personne", "premiere@exemple.fr", ws[2])
	registerInStore(t, st, "Deuxième Personne", "deuxieme@exemple.fr", ws[2])
	b := newBrowser(t, srv)
	page := b.get("/events/2")
	contains(t, page, "Complet : liste d'attente (1 personne en attente)")
	w := b.post("/events/2/inscription", registrationForm(ws[2]))
	if w.Code != http.StatusSeeOther {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	contains(t, b.get(w.Header().Get("Location")), "<h1>Vous êtes sur la liste d&#39;attente</h1>", "<strong>n° 2</strong> sur la liste d'attente")
}

func TestRankedChoicesWhenTheEventAllocatesByPreference(t *testing.T) {
	srv, st := newServer(t)
	ws := forumWorkshops(t, st)
	ctx := fabrique.WithUser(context.Background(), fabrique.System)
	if err := st.Enrolments().SetSettings(ctx, &fabrique.RegistrationSettings{EventID: 2, Allocation: fabrique.AllocPreference}); err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, srv)
	contains(t, b.get("/events/2"), "Vos ateliers, par ordre de préférence", `id="inscription-choice1"`, "Troisième choix")
	form := func(choices ...int64) url.Values {
		f := registrationForm(0)
		f.Del("workshop_id")
		for i, c := range choices {
			f.Set("choice"+itoa(int64(i+1)), itoa(c))
		}
		return f
	}
	t.Run("no choice at all is refused next to the first choice", func(t *testing.T) {
		w := b.post("/events/2/inscription", form())
		contains(t, w, `id="inscription-choice1-erreur"`, "Classez 1 à 3 ateliers")
	})
	t.Run("the same workshop twice is refused next to the second choice", func(t *testing.T) {
		w := b.post("/events/2/inscription", form(ws[0], ws[0]))
		if w.Code != http.StatusUnprocessableEntity {
			t.Fatalf("status %d", w.Code)
		}
		contains(t, w, `id="inscription-choice2-erreur"`, "déjà parmi vos choix")
	})
	t.Run("ranked choices are received and wait for the allocation", func(t *testing.T) {
		w := b.post("/events/2/inscription", form(ws[1], ws[0], ws[2]))
		if w.Code != http.StatusSeeOther {
			t.Fatalf("status %d: %s", w.Code, w.Body)
		}
		contains(t, b.get(w.Header().Get("Location")), "Demande d&#39;inscription enregistrée", "Les places seront réparties")
	})
}
