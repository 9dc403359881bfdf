package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"fabrique/internal/demo"
	"fabrique/internal/fabrique"
)

// referencePaths are the edit and delete pages of the reference data, with
// the object each targets in the template and who may write it.
var referencePaths = map[string]struct {
	url   string
	allow expect // the statuses of the roles allowed (200), the others
}{
	"/staff/plans/:id":                   {"/staff/plans/1", adminOnlyPage},
	"/staff/plans/:id/commitments/:item": {"/staff/plans/1/commitments/4", adminOnlyPage},
	"/staff/organisations/:id":           {"/staff/organisations/1", adminOnlyPage},
	"/staff/people/:id":                  {"/staff/people/2", adminOnlyPage.with(200, orgSERE).with(404, facil, facilOther)},
	"/staff/venues/:id":                  {"/staff/venues/1", adminOnlyPage.with(200, orgSERE)},
	"/staff/venues/:id/rooms/:item":      {"/staff/venues/1/rooms/1", adminOnlyPage.with(200, orgSERE)},
}

// adminOnlyPage: the administrator sees the page, other accounts get the
// French 403 page, a visitor is sent to the sign-in page.
var adminOnlyPage = byPolicy(fabrique.ObjReference, fabrique.ActChange, shared, 200, 303)

// referenceExpectation returns the expected statuses of the registration
// settings routes (pages_regsettings.go) and of the edit and delete routes
// of pages_reference.go: the page for the allowed, an empty form
// refused with 422, a delete refused with 409 because the template's
// objects are all referred to (a visitor's POST fails the CSRF check).
func referenceExpectation(method, path string) (url, body string, e expect, ok bool) {
	hostOnly := byPolicy(fabrique.ObjEvent, fabrique.ActChange, sereOwned, 200, 303) // event 1 is the Secrétariat d'État's
	switch method + " " + path {
	case "GET /staff/events/:id/registration-settings":
		return "/staff/events/1/registration-settings", "", hostOnly, true
	case "POST /staff/events/:id/registration-settings":
		return "/staff/events/1/registration-settings", "", all(403).with(422, admin, orgSERE), true
	case "GET /staff/events/:id/modifications":
		return "/staff/events/1/modifications", "", hostOnly, true
	case "POST /staff/events/:id/modifications/publier":
		return "/staff/events/1/modifications/publier", "", all(403).with(303, admin, orgSERE), true
	case "POST /staff/events/:id/modifications/delai":
		return "/staff/events/1/modifications/delai", "", all(403).with(422, admin, orgSERE), true
	case "POST /staff/events/:id/allocate":
		// event 1 gives its places in order of arrival: nothing to allocate
		return "/staff/events/1/allocate", "", all(403).with(409, admin, orgSERE), true
	}
	for _, suffix := range []string{"/edit", "/delete"} {
		base, found := strings.CutSuffix(path, suffix)
		p, known := referencePaths[base]
		if !found || !known {
			continue
		}
		if method == "GET" {
			return p.url + suffix, "", p.allow, true
		}
		done := 422
		if suffix == "/delete" {
			done = 409
		}
		e := expect{}
		for role, code := range p.allow {
			switch code {
			case 200:
				code = done
			case 303:
				code = 403
			}
			e[role] = code
		}
		return p.url + suffix, "", e, true
	}
	return "", "", nil, false
}

func TestReferenceEditPagesArePrefilled(t *testing.T) {
	srv, _ := newServer(t)
	b := signedIn(t, srv)
	cases := []struct {
		name string
		page string
		want []string
	}{
		{"a plan shows its title and period", "/staff/plans/1/edit", []string{`name="title"`, `value="2015-07-16"`, "Enregistrer les modifications", `href="/staff/plans/1/delete"`}},
		{"a commitment shows its number and checked carriers", "/staff/plans/1/commitments/4/edit", []string{`name="number"`, `name="carrier_ids"`, " checked", `href="/staff/plans/1/commitments/4/delete"`}},
		{"an organisation shows its name", "/staff/organisations/1/edit", []string{`name="name"`, `selected`, `href="/staff/organisations/1/delete"`}},
		{"a person shows their name and category", "/staff/people/2/edit", []string{`name="email"`, `selected`, `href="/staff/people/2/delete"`}},
		{"a venue shows its address", "/staff/venues/1/edit", []string{`name="address"`, `href="/staff/venues/1/delete"`}},
		{"a room shows its capacity", "/staff/venues/1/rooms/1/edit", []string{`name="capacity" value="40"`, `href="/staff/venues/1/rooms/1/delete"`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := b.get(c.page)
			if w.Code != http.StatusOK {
				t.Fatalf("status %d: %s", w.Code, w.Body)
			}
			contains(t, w, c.want...)
		})
	}
}

func TestReferenceEditShowsErrorsAndKeepsValues(t *testing.T) {
	srv, st := newServer(t)
	b := signedIn(t, srv)
	cases := []struct {
		name   string
		action string
		form   url.Values
		want   []string
	}{
		{"a plan whose period ends before it starts", "/staff/plans/1/edit",
			url.Values{"title": {"Plan « révisé »"}, "period_start": {"2023-12-31"}, "period_end": {"2021-12-01"}},
			[]string{`id="plan-period_end-erreur"`, "La fin de la période doit être après son début.", `value="Plan « révisé »"`}},
		{"an organisation with a wrong address", "/staff/organisations/1/edit",
			url.Values{"name": {"Etalab"}, "kind": {"administration"}, "contact_email": {"etalab@"}},
			[]string{`id="organisation-contact_email-erreur"`, "Adresse électronique invalide", `value="etalab@"`}},
		{"a person without name", "/staff/people/2/edit",
			url.Values{"name": {""}, "email": {"jv@exemple.fr"}, "category": {"elected_official"}},
			[]string{`id="personne-name-erreur"`, "Ce champ est obligatoire.", `value="jv@exemple.fr"`}},
		{"a venue without address", "/staff/venues/1/edit",
			url.Values{"name": {"Ségur"}, "address": {""}},
			[]string{`id="lieu-address-erreur"`, `value="Ségur"`}},
		{"a room with a capacity in letters", "/staff/venues/1/rooms/1/edit",
			url.Values{"name": {"Salle 12"}, "capacity": {"vingt"}},
			[]string{`id="salle-capacity-erreur"`, "Un nombre entier est attendu", `value="vingt"`}},
		{"an action without its commitment", "/staff/plans/1/commitments/4/edit",
			url.Values{"number": {"15.1"}, "title": {"Ouvrir"}, "kind": {"action"}, "status": {"in_progress"}},
			[]string{`id="engagement-parent_id-erreur"`, `value="15.1"`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := countAll(t, st)
			b.get(c.action)
			w := b.post(c.action, c.form)
			if w.Code != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422: %s", w.Code, w.Body)
			}
			contains(t, w, c.want...)
			contains(t, w, "Rien n'a été enregistré")
			if after := countAll(t, st); after != before {
				t.Errorf("something was written:\n%s\n%s", before, after)
			}
		})
	}
}

func TestReferenceEditSaves(t *testing.T) {
	srv, _ := newServer(t)
	b := signedIn(t, srv)
	cases := []struct {
		name, action string
		form         url.Values
		page         string
		want         []string
	}{
		{"a plan is renamed", "/staff/plans/1/edit", url.Values{"title": {"Plan révisé"}, "period_start": {"2015-07-01"}, "period_end": {"2017-07-01"}},
			"/staff/plans", []string{"Plan révisé"}},
		{"an organisation gets an acronym", "/staff/organisations/1/edit", url.Values{"name": {"Mission Etalab"}, "acronym": {"ETL"}, "kind": {"administration"}},
			"/staff/organisations", []string{"Mission Etalab", "ETL"}},
		{"a person gets topics", "/staff/people/2/edit", url.Values{"name": {"Jean-Vincent Placé"}, "category": {"elected_official"}, "topics": {"open data, transparence"}},
			"/staff/people", []string{"open data, transparence"}},
		{"a venue moves", "/staff/venues/1/edit", url.Values{"name": {"Centre Ségur"}, "address": {"20 avenue de Ségur, 75007 Paris"}, "host_organisation_id": {"1"}},
			"/staff/venues/1", []string{"Centre Ségur", "20 avenue de Ségur"}},
		{"a room grows", "/staff/venues/1/rooms/1/edit", url.Values{"name": {"Grande salle"}, "capacity": {"140"}, "step_free": {"1"}},
			"/staff/venues/1", []string{"Grande salle", "<td>140</td>"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b.get(c.action)
			w := b.post(c.action, c.form)
			if w.Code != http.StatusSeeOther {
				t.Fatalf("status %d: %s", w.Code, w.Body)
			}
			contains(t, b.get(c.page), c.want...)
		})
	}
}

func TestReferenceDeleteIsConfirmedAndExplainsRefusals(t *testing.T) {
	srv, st := newServer(t)
	b := signedIn(t, srv)
	t.Run("the confirmation page asks before deleting", func(t *testing.T) {
		w := b.get("/staff/venues/1/delete")
		if w.Code != http.StatusOK {
			t.Fatalf("status %d", w.Code)
		}
		contains(t, w, "Voulez-vous vraiment supprimer le lieu", `action="/staff/venues/1/delete"`, "Oui, supprimer", "Annuler")
	})
	for _, path := range []string{"/staff/plans/1", "/staff/plans/1/commitments/4", "/staff/organisations/1", "/staff/people/2", "/staff/venues/1", "/staff/venues/1/rooms/1"} {
		t.Run("a delete of "+path+" still referred to is refused in French", func(t *testing.T) {
			before := countAll(t, st)
			b.get(path + "/delete")
			w := b.post(path+"/delete", nil)
			if w.Code != http.StatusConflict {
				t.Fatalf("status %d, want 409: %s", w.Code, w.Body)
			}
			contains(t, w, `role="alert"`, "La suppression est refusée")
			if after := countAll(t, st); after != before {
				t.Errorf("something was deleted:\n%s\n%s", before, after)
			}
		})
	}
	t.Run("a room nobody uses is deleted", func(t *testing.T) {
		b.get("/staff/venues/1")
		w := b.post("/staff/venues/1/rooms", url.Values{"name": {"Salle éphémère"}, "capacity": {"10"}})
		if w.Code != http.StatusSeeOther {
			t.Fatalf("create: %d %s", w.Code, w.Body)
		}
		body := b.get("/staff/venues/1").Body.String()
		i := strings.Index(body, "la salle Salle éphémère")
		j := strings.LastIndex(body[:i], `href="`)
		link := body[j+len(`href="`) : j+strings.Index(body[j:], `/edit"`)]
		b.get(link + "/delete")
		w = b.post(link+"/delete", nil)
		if w.Code != http.StatusSeeOther {
			t.Fatalf("delete: %d %s", w.Code, w.Body)
		}
		page := b.get(w.Header().Get("Location"))
		contains(t, page, "L&#39;élément a été supprimé.")
		lacks(t, page, "Salle éphémère")
	})
	t.Run("a room of another venue is not found", func(t *testing.T) {
		if w := b.get("/staff/venues/2/rooms/1/edit"); w.Code != http.StatusNotFound {
			t.Fatalf("status %d", w.Code)
		}
	})
}

func TestReferenceEditFollowsTheStoreRules(t *testing.T) {
	srv, _ := newServer(t)
	org := newBrowser(t, srv)
	org.signIn(demo.OrganiserEmail, demo.Password) // the Secrétariat d'État's correspondent
	t.Run("an organiser edits their organisation's venue", func(t *testing.T) {
		if w := org.get("/staff/venues/1/edit"); w.Code != http.StatusOK {
			t.Fatalf("status %d", w.Code)
		}
	})
	t.Run("an organiser gets the French 403 page on an organisation", func(t *testing.T) {
		w := org.get("/staff/organisations/1/edit")
		if w.Code != http.StatusForbidden {
			t.Fatalf("status %d", w.Code)
		}
		contains(t, w, "Votre rôle ne vous permet pas de modifier les organisations.")
		lacks(t, w, `name="name"`)
	})
	t.Run("an organiser does not see the links to what they cannot edit", func(t *testing.T) {
		lacks(t, org.get("/staff/organisations"), "/staff/organisations/1/edit")
		lacks(t, org.get("/staff/plans/1"), "/commitments/4/edit")
	})
	t.Run("an organiser cannot give their venue to another organisation", func(t *testing.T) {
		org.get("/staff/venues/1/edit")
		w := org.post("/staff/venues/1/edit", url.Values{"name": {"Ségur"}, "address": {"20 avenue de Ségur, 75007 Paris"}, "host_organisation_id": {"2"}}) // 1 is the Secrétariat d'État
		if w.Code != http.StatusForbidden {
			t.Fatalf("status %d: %s", w.Code, w.Body)
		}
		contains(t, w, "Votre rôle ne vous permet pas", `value="Ségur"`)
	})
}
