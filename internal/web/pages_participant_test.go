package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"fabrique/internal/fabrique"
)

func TestParticipantPage(t *testing.T) {
	srv, st := newServer(t)
	ws := forumWorkshops(t, st)
	rec := registerInStore(t, st, "Léa Martin", "lea.martin@exemple.fr", ws[0])
	page := "/p/" + rec.Token
	t.Run("the agenda gives the French dates, the places, the online link and the workshop with its commitments", func(t *testing.T) {
		w := newBrowser(t, srv).get(page)
		if w.Code != http.StatusOK {
			t.Fatalf("status %d", w.Code)
		}
		contains(t, w, `<html lang="fr">`, "Bonjour Léa Martin", "Inscription confirmée", "Mon agenda",
			"mardi 19 janvier 2027 de 18 h 00 à 19 h 30", "En ligne : <a href=\"https://", "Mon atelier", "Atelier 1 : ", "n° ",
			`href="/api/v1/p/`+rec.Token+`/calendar.ics"`, "Changer d'atelier", `href="/p/`+rec.Token+`/annulation"`)
		if w.Header().Get("X-Robots-Tag") == "" || w.Header().Get("Cache-Control") != "no-store" {
			t.Errorf("headers %v", w.Header())
		}
	})
	t.Run("the calendar file of the page downloads", func(t *testing.T) {
		w := newBrowser(t, srv).get("/api/v1/p/" + rec.Token + "/calendar.ics")
		if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "BEGIN:VCALENDAR") {
			t.Fatalf("status %d: %s", w.Code, w.Body)
		}
	})
	t.Run("a wrong link gives a French page that says what to do, not an error", func(t *testing.T) {
		for _, p := range []string{"/p/p_inconnu", "/p/nimporte-quoi", "/p/" + rec.Token + "x/annulation"} {
			w := newBrowser(t, srv).get(p)
			if w.Code != http.StatusNotFound {
				t.Fatalf("%s: status %d", p, w.Code)
			}
			contains(t, w, "<h1>Lien personnel inconnu</h1>", "inscrivez-vous de nouveau", `<html lang="fr">`)
		}
	})
	t.Run("choosing no workshop is refused next to the field", func(t *testing.T) {
		b := newBrowser(t, srv)
		b.get(page)
		w := b.post(page+"/atelier", url.Values{})
		if w.Code != http.StatusUnprocessableEntity {
			t.Fatalf("status %d", w.Code)
		}
		contains(t, w, `id="changement-workshop_id-erreur"`, "Choisissez un atelier.")
	})
	t.Run("a full workshop needs the participant's agreement to wait", func(t *testing.T) {
		setCapacity(t, st, ws[2], 1)
		registerInStore(t, st, "Autre Personne", "autre@exemple.fr", ws[2])
		b := newBrowser(t, srv)
		b.get(page)
		w := b.post(page+"/atelier", url.Values{"workshop_id": {itoa(ws[2])}})
		if w.Code != http.StatusUnprocessableEntity {
			t.Fatalf("status %d", w.Code)
		}
		contains(t, w, `id="changement-wait-erreur"`, "est complet : cochez cette case", `value="`+itoa(ws[2])+`" checked`)
	})
	t.Run("a change of workshop is confirmed on the page", func(t *testing.T) {
		b := newBrowser(t, srv)
		b.get(page)
		w := b.post(page+"/atelier", url.Values{"workshop_id": {itoa(ws[1])}})
		if w.Code != http.StatusSeeOther {
			t.Fatalf("status %d: %s", w.Code, w.Body)
		}
		contains(t, b.get(w.Header().Get("Location")), "Votre changement d&#39;atelier est enregistré", "Atelier 2 : ")
	})
	t.Run("cancelling asks for a confirmation, then cancels", func(t *testing.T) {
		b := newBrowser(t, srv)
		confirm := b.get(page + "/annulation")
		contains(t, confirm, "Voulez-vous vraiment annuler", "Oui, annuler mon inscription", `action="/p/`+rec.Token+`/annulation"`)
		w := b.post(page+"/annulation", nil)
		if w.Code != http.StatusSeeOther {
			t.Fatalf("status %d: %s", w.Code, w.Body)
		}
		after := b.get(w.Header().Get("Location"))
		contains(t, after, "Votre inscription est annulée.", "Inscription annulée", "votre inscription est annulée")
		lacks(t, after, "/annulation\"", "Changer d'atelier</h2>")
	})
	t.Run("the cancellation page of a cancelled registration goes back to the page", func(t *testing.T) {
		w := newBrowser(t, srv).get(page + "/annulation")
		if w.Code != http.StatusSeeOther || w.Header().Get("Location") != page {
			t.Fatalf("status %d, location %q", w.Code, w.Header().Get("Location"))
		}
	})
}

func TestParticipantOnAWaitingList(t *testing.T) {
	srv, st := newServer(t)
	ws := forumWorkshops(t, st)
	setCapacity(t, st, ws[0], 1)
	registerInStore(t, st, "Première Personne", "premiere@exemple.fr", ws[0])
	rec := registerInStore(t, st, "Seconde Personne", "seconde@exemple.fr", ws[0])
	w := newBrowser(t, srv).get("/p/" + rec.Token)
	contains(t, w, "Sur liste d&#39;attente (n° 1)", "Atelier attendu", "Votre agenda est vide", "Si une place se libère")
	lacks(t, w, "calendar.ics")
}

func TestParticipantCannotChangeOnceRegistrationIsClosed(t *testing.T) {
	srv, st := newServer(t)
	ws := forumWorkshops(t, st)
	rec := registerInStore(t, st, "Léa Martin", "lea.martin@exemple.fr", ws[0])
	closed := time.Now().Add(-time.Hour)
	ctx := fabrique.WithUser(context.Background(), fabrique.System)
	if err := st.Enrolments().SetSettings(ctx, &fabrique.RegistrationSettings{EventID: 2, Allocation: fabrique.AllocFirstCome, ClosesAt: &closed}); err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, srv)
	contains(t, b.get("/p/"+rec.Token), "Le changement d'atelier n'est pas ouvert", "Annuler mon inscription")
	contains(t, b.get("/events/2"), "Les inscriptions à cet événement sont closes.")
	// A form left open in another tab: it carries the visitor's token.
	w := b.post("/p/"+rec.Token+"/atelier", url.Values{"workshop_id": {itoa(ws[1])}, "csrf_token": {b.cookies["fabrique_csrf"].Value}})
	if w.Code != http.StatusConflict {
		t.Fatalf("status %d", w.Code)
	}
	contains(t, w, "rien n&#39;a été modifié", "Atelier 1 : ")
}
