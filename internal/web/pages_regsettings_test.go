package web_test

import (
	"net/http"
	"net/url"
	"testing"
)

func TestRegistrationSettingsPage(t *testing.T) {
	srv, _ := newServer(t)
	b := signedIn(t, srv)
	const page = "/staff/events/1/registration-settings"  // a Ministère ouvert with a registration
	const forum = "/staff/events/2/registration-settings" // the forum, nobody registered yet
	t.Run("the event page links to the settings", func(t *testing.T) {
		contains(t, b.get("/staff/events/1"), `href="`+page+`"`, "Règles d'inscription")
	})
	t.Run("the page shows the stored rules", func(t *testing.T) {
		w := b.get(page)
		if w.Code != http.StatusOK {
			t.Fatalf("status %d: %s", w.Code, w.Body)
		}
		contains(t, w, `<option value="first_come" selected>`, `name="closes_date"`, `name="review"`)
		lacks(t, w, "Répartir les places")
	})
	t.Run("allocating an event without ranked choices is refused in French", func(t *testing.T) {
		b.get(page)
		w := b.post("/staff/events/1/allocate", nil)
		if w.Code != http.StatusConflict {
			t.Fatalf("status %d: %s", w.Code, w.Body)
		}
		contains(t, w, `role="alert"`, "Les places n&#39;ont pas été réparties")
	})
	t.Run("a wrong closing date is shown next to its field, values kept", func(t *testing.T) {
		b.get(page)
		w := b.post(page, url.Values{"allocation": {"preference"}, "closes_date": {"2016-02-30"}, "closes_time": {"18:00"}, "review": {"1"}})
		if w.Code != http.StatusUnprocessableEntity {
			t.Fatalf("status %d: %s", w.Code, w.Body)
		}
		contains(t, w, `id="inscriptions-closes_date-erreur"`, "Date invalide", `value="2016-02-30"`, `<option value="preference" selected>`, "Rien n'a été enregistré")
	})
	t.Run("an unknown allocation is refused next to its field", func(t *testing.T) {
		b.get(page)
		w := b.post(page, url.Values{"allocation": {"tirage"}})
		if w.Code != http.StatusUnprocessableEntity {
			t.Fatalf("status %d: %s", w.Code, w.Body)
		}
		contains(t, w, `id="inscriptions-allocation-erreur"`)
	})
	t.Run("the allocation cannot change once people have registered", func(t *testing.T) {
		b.get(page)
		w := b.post(page, url.Values{"allocation": {"preference"}})
		if w.Code != http.StatusUnprocessableEntity {
			t.Fatalf("status %d: %s", w.Code, w.Body)
		}
		contains(t, w, `id="inscriptions-allocation-erreur"`, "ne peut plus changer")
	})
	t.Run("ranked choices, a closing date and review are saved", func(t *testing.T) {
		b.get(forum)
		w := b.post(forum, url.Values{"allocation": {"preference"}, "closes_date": {"2016-06-20"}, "closes_time": {"18:00"}, "review": {"1"}})
		if w.Code != http.StatusSeeOther {
			t.Fatalf("status %d: %s", w.Code, w.Body)
		}
		contains(t, b.get(w.Header().Get("Location")), "Les modifications sont enregistrées.", `<option value="preference" selected>`,
			`value="2016-06-20"`, `value="18:00"`, "checked", "Répartir les places")
	})
	t.Run("the places are allocated once, with a report", func(t *testing.T) {
		b.get(forum)
		w := b.post("/staff/events/2/allocate", nil)
		if w.Code != http.StatusOK {
			t.Fatalf("status %d: %s", w.Code, w.Body)
		}
		contains(t, w, "Les places sont réparties", "en liste d&#39;attente", "Les places ont été réparties le")
		lacks(t, w, ">Répartir les places</button>")
	})
}
