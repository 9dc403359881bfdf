package web_test

import (
	"regexp"
	"strings"
	"testing"

	"fabrique/internal/demo"
)

// actionLinks counts the Modifier, Supprimer and Publier links and
// buttons of a page.
var actionLinks = regexp.MustCompile(`>(Modifier|Supprimer|Publier|Retirer l'exception|Enregistrer l'exception|Affecter automatiquement)[^<]*<`)

// The pages show only the actions the policy allows: a facilitator and
// another ministry's organiser see none on an event they cannot change,
// the host's organiser sees them.
func TestEventPagesShowOnlyTheActionsThePolicyAllows(t *testing.T) {
	s, _ := newServer(t)
	accounts := []struct {
		role, email, password string
		actions               bool
	}{
		{facil, "simon.chignard@fabrique.example", demo.Password, false},
		{orgOther, "interieur@fabrique.example", "mot-de-passe-de-test", false},
		{orgSERE, demo.OrganiserEmail, demo.Password, true},
		{admin, demo.AdminEmail, demo.Password, true},
	}
	for _, a := range accounts {
		t.Run(a.role, func(t *testing.T) {
			b := newBrowser(t, s)
			b.signIn(a.email, a.password)
			for _, page := range []string{"/staff/events/1", "/staff/events/1/planning"} {
				w := b.get(page)
				if w.Code != 200 {
					t.Fatalf("%s: %d", page, w.Code)
				}
				found := actionLinks.FindAllString(w.Body.String(), -1)
				if a.actions != (len(found) > 0) {
					t.Errorf("%s shows %d actions %v to %s", page, len(found), found, a.role)
				}
			}
			w := b.get("/staff/events/1")
			if a.actions {
				contains(t, w, `href="/staff/events/1/edit"`, `href="/staff/events/1/registrations"`, "Ajouter un élément au programme")
			} else {
				lacks(t, w, `href="/staff/events/1/edit"`, `href="/staff/events/1/registrations"`, `href="/staff/events/1/registration-settings"`, "Ajouter un élément au programme", "Ajouter un atelier")
			}
		})
	}
}

// The host sees « Publier » on its draft once trusted (before, the way to
// declare it: declaration_gate_test.go); the pickers show staff contacts
// by name and organisation, never an email, never a registrant.
func TestTheHostPublishesAndPicksByNameOnly(t *testing.T) {
	s, _ := newServer(t)
	w := call(t, s, orgSERE, "POST", "/api/v1/events/from-format", `{"format":"open_ministry","title":"Ministère ouvert #2","host_organisation_id":1,"venue_id":1,"date":"2027-03-02"}`)
	if w.Code != 201 {
		t.Fatalf("draft: %d %s", w.Code, w.Body)
	}
	id := regexp.MustCompile(`"id":(\d+)`).FindStringSubmatch(w.Body.String())[1]
	b := newBrowser(t, s)
	b.signIn(demo.OrganiserEmail, demo.Password)
	planning := b.get("/staff/events/" + id + "/planning")
	contains(t, planning, "publie ses événements par une déclaration à la DITP", `href="/staff/declarations"`)
	lacks(t, planning, "Publier l'événement")
	if w := call(t, s, admin, "PATCH", "/api/v1/organisations/1", `{"trusted":true}`); w.Code != 200 {
		t.Fatalf("trust: %d %s", w.Code, w.Body)
	}
	contains(t, b.get("/staff/events/"+id+"/planning"), "Publier l'événement")
	editor := b.get("/staff/events/" + id)
	contains(t, editor, ">Laure de la Bretèche (SGMAP)</label>", ">Jean-Vincent Placé (Secrétariat d&#39;État chargé de la Réforme de l&#39;État et de la Simplification)</label>")
	options := strings.Join(regexp.MustCompile(`<(option|label)[^>]*>[^<]*</(option|label)>`).FindAllString(editor.Body.String(), -1), "\n")
	if strings.Contains(options, "@") || strings.Contains(options, "Camille Participante") {
		t.Errorf("a picker shows an email or a registrant:\n%s", options)
	}
	for _, format := range []string{"/staff/events/new/open_ministry", "/staff/declarations/new/open_ministry"} {
		form := b.get(format)
		if form.Code != 200 {
			continue // the declaration form is for ministries' correspondents: checked where it is shown
		}
		if strings.Contains(form.Body.String(), "Camille Participante") || strings.Contains(form.Body.String(), "camille@exemple.fr") {
			t.Errorf("%s offers a registrant", format)
		}
		if strings.Contains(form.Body.String(), "Ministère de la Transformation et de la Fonction publiques (Paris)") {
			t.Errorf("%s offers another organisation's venue", format)
		}
	}
}
