package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

const simon = "simon.chignard@fabrique.example" // facilitates workshop 3 of Ministère ouvert #1

func TestFacilitatorPages(t *testing.T) {
	s, st := newServer(t)
	copyMinistry(t, st) // the demo's Ministère ouvert #1 has its minutes published
	b := newBrowserAs(t, s, simon)
	t.Run("a facilitator sees only their workshops, with the kit's sheets", func(t *testing.T) {
		w := b.get("/staff/my-workshops")
		contains(t, w, `href="/staff/workshops/11/live"`, `href="/events/3/kit#atelier-3"`, `href="/events/3/kit#h-emargement-3"`, `href="/api/v1/events/3/kit.pdf"`)
		lacks(t, w, `href="/staff/workshops/13/live"`, `href="/staff/workshops/9/live"`)
	})
	t.Run("another facilitator's workshop is refused", func(t *testing.T) {
		if w := b.get("/staff/workshops/13/live"); w.Code != http.StatusForbidden {
			t.Errorf("status %d", w.Code)
		}
	})
	t.Run("the live entry page loads its script and offers the four questions", func(t *testing.T) {
		w := b.get("/staff/workshops/11/live")
		contains(t, w, `<script src="/assets/js/live.js" defer></script>`, `data-endpoint="/api/v1/workshops/11/contributions"`,
			"Quels indicateurs pour mesurer", "Quels engagements futurs", `autofocus`)
		lacks(t, w, "Controverses", "<script>", " onclick=", ` style="`)
	})
	t.Run("without the script an empty contribution is refused next to the text", func(t *testing.T) {
		w := b.post("/staff/workshops/11/live", url.Values{"category": {"impact_indicators"}, "text": {"  "}})
		if w.Code != http.StatusUnprocessableEntity {
			t.Fatalf("status %d", w.Code)
		}
		contains(t, w, `id="saisie-text-erreur"`, `aria-invalid="true"`)
	})
	t.Run("without the script the form records the contribution", func(t *testing.T) {
		w := b.post("/staff/workshops/11/live", url.Values{"category": {"inspiring_initiatives"}, "text": {"Le hackathon « Code de l’environnement »"}, "publishable": {"1"}})
		if w.Code != http.StatusSeeOther {
			t.Fatalf("status %d: %s", w.Code, w.Body)
		}
		contains(t, b.get("/staff/workshops/11/live"), "Le hackathon « Code de l’environnement »", "enregistrée")
	})
	t.Run("the script's call with the session cookie needs the CSRF header", func(t *testing.T) {
		body := `{"category":"implementation_challenges","text":"Former les agents à l'ouverture des données","publishable":true}`
		req := httptestRequest("POST", "/api/v1/workshops/11/contributions", body, b)
		if w := serve(s, req); w.Code != http.StatusForbidden {
			t.Errorf("without X-CSRF-Token: status %d", w.Code)
		}
		req = httptestRequest("POST", "/api/v1/workshops/11/contributions", body, b)
		req.Header.Set("X-CSRF-Token", b.csrf)
		if w := serve(s, req); w.Code != http.StatusCreated {
			t.Fatalf("with it: status %d: %s", w.Code, w.Body)
		}
		contains(t, b.get("/staff/workshops/11/minutes"), "Former les agents à l&#39;ouverture des données", "Quels sont les défis de mise en œuvre")
	})
	t.Run("attendance is ticked from the sign-in sheet and walk-ins are added", func(t *testing.T) {
		w := b.get("/staff/workshops/11/attendance")
		contains(t, w, "Camille Participante", `name="registration_ids"`)
		if w := b.post("/staff/workshops/11/attendance", url.Values{"registration_ids": {"2"}}); w.Code != http.StatusSeeOther {
			t.Fatalf("tick: status %d: %s", w.Code, w.Body)
		}
		contains(t, b.get("/staff/workshops/11/attendance"), "1 personne présente", `value="2" checked`)
		w = b.post("/staff/workshops/11/walk-ins", url.Values{"name": {"Dominique Sansinscription"}})
		if w.Code != http.StatusUnprocessableEntity {
			t.Fatalf("walk-in without category: status %d", w.Code)
		}
		contains(t, w, `id="sansinscription-category-erreur"`, `value="Dominique Sansinscription"`)
		if w := b.post("/staff/workshops/11/walk-ins", url.Values{"name": {"Dominique Sansinscription"}, "category": {"citizen"}}); w.Code != http.StatusSeeOther {
			t.Fatalf("walk-in: status %d: %s", w.Code, w.Body)
		}
		contains(t, b.get("/staff/workshops/11/attendance"), "2 personnes présentes", "Dominique Sansinscription")
		if w := b.post("/staff/workshops/11/attendance", url.Values{}); w.Code != http.StatusSeeOther {
			t.Fatalf("untick: status %d", w.Code)
		}
		lacks(t, b.get("/staff/workshops/11/attendance"), `value="2" checked`)
	})
	t.Run("the facilitator writes the summary and approves the minutes", func(t *testing.T) {
		if w := b.post("/staff/workshops/11/minutes", url.Values{"summary": {"Un atelier riche en propositions."}}); w.Code != http.StatusSeeOther {
			t.Fatalf("summary: status %d", w.Code)
		}
		w := b.get("/staff/workshops/11/minutes")
		contains(t, w, "Un atelier riche en propositions.", "brouillon", ">Approuver</button>")
		if w := b.post("/staff/workshops/11/minutes/approve", nil); w.Code != http.StatusSeeOther {
			t.Fatalf("approve: status %d: %s", w.Code, w.Body)
		}
		w = b.get("/staff/workshops/11/minutes")
		contains(t, w, "Compte rendu approuvé")
		if strings.Contains(w.Body.String(), ">Approuver</button>") {
			t.Error("approved minutes still offer to approve")
		}
	})
}
