package web_test

import (
	"strings"
	"testing"
)

func TestInvisibleControlsAreRefusedNamingTheField(t *testing.T) {
	s, st := newServer(t)
	before := countTable(t, st, "registrations")
	t.Run("a registration whose name hides a right-to-left override is a 422 naming the name", func(t *testing.T) {
		w := call(t, s, anonymous, "POST", "/api/v1/events/2/register",
			`{"name":"Léa \u202EnitraM","email":"lea@exemple.fr","category":"citizen","workshop_id":7,"consent":true}`)
		p := problemOf(t, w)
		if w.Code != 422 || len(p.Errors) != 1 || p.Errors[0].Field != "name" || !strings.Contains(p.Errors[0].Message, "U+202E") ||
			!strings.Contains(p.Errors[0].Message, "caractère invisible interdit") {
			t.Errorf("%d %+v", w.Code, p)
		}
		if n := countTable(t, st, "registrations"); n != before {
			t.Errorf("%d registrations, want %d", n, before)
		}
	})
	t.Run("a workshop title with an isolate is a 422 naming the title, nothing changed", func(t *testing.T) {
		w := call(t, s, admin, "PATCH", "/api/v1/workshops/3", `{"title":"Ouverture \u2067des codes\u2069"}`)
		p := problemOf(t, w)
		if w.Code != 422 || len(p.Errors) != 1 || p.Errors[0].Field != "title" || !strings.Contains(p.Errors[0].Message, "U+2067") {
			t.Errorf("%d %+v", w.Code, p)
		}
		if w := call(t, s, anonymous, "GET", "/api/v1/workshops/3", ""); !strings.Contains(w.Body.String(), `"title":"Ouverture des données et des codes sources"`) {
			t.Errorf("the workshop after the refusal: %s", w.Body)
		}
	})
	t.Run("an event title with a zero-width space is a 422", func(t *testing.T) {
		w := call(t, s, admin, "PATCH", "/api/v1/events/1", `{"title":"Minist\u200Bère ouvert"}`)
		if p := problemOf(t, w); w.Code != 422 || len(p.Errors) != 1 || p.Errors[0].Field != "title" {
			t.Errorf("%d %+v", w.Code, p)
		}
	})
	t.Run("the registration form shows the refusal next to the name, in French", func(t *testing.T) {
		ws := forumWorkshops(t, st)
		b := newBrowser(t, s)
		b.get("/events/2")
		f := registrationForm(ws[0])
		f.Set("name", "Léa \u202EnitraM")
		w := b.post("/events/2/inscription", f)
		if w.Code != 422 {
			t.Fatalf("form: %d", w.Code)
		}
		contains(t, w, `<p class="error-message" id="inscription-name-erreur">`, "caractère invisible interdit (U&#43;202E, contrôle de direction du texte)")
	})
}
