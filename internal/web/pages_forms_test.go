package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestFormsShowErrorsNextToTheirFields(t *testing.T) {
	srv, st := newServer(t)
	b := signedIn(t, srv)
	cases := []struct {
		name   string
		page   string
		action string
		form   url.Values
		status int
		want   []string
	}{
		{"an event without title and with a wrong time keeps what was typed", "/staff/events/new", "/staff/events",
			url.Values{"kind": {"open_ministry"}, "theme": {"Données « ouvertes »"}, "host_organisation_id": {"1"}, "status": {"draft"}, "venue_id": {"1"},
				"date": {"2027-03-02"}, "start_time": {"17:30"}, "end_time": {"25:99"}},
			http.StatusUnprocessableEntity,
			[]string{`id="evenement-title-erreur"`, "Ce champ est obligatoire.", `aria-describedby="evenement-title-aide evenement-title-erreur"`,
				`id="evenement-end_time-erreur"`, "Heure invalide", `value="Données « ouvertes »"`, `value="17:30"`, `value="25:99"`,
				`<option value="open_ministry" selected>`, `href="#evenement-title"`, "<title>Erreur : Créer un événement"}},
		{"an event ending before it starts names the end", "/staff/events/new", "/staff/events",
			url.Values{"kind": {"open_ministry"}, "title": {"Ministère ouvert #2"}, "host_organisation_id": {"1"}, "status": {"draft"}, "venue_id": {"1"},
				"date": {"2027-03-02"}, "start_time": {"20:00"}, "end_time": {"18:00"}},
			http.StatusUnprocessableEntity,
			[]string{`id="evenement-end_time-erreur"`, "La fin doit être après le début."}},
		{"an event without venue nor link says so next to the venue", "/staff/events/new", "/staff/events",
			url.Values{"kind": {"open_ministry"}, "title": {"Ministère ouvert #2"}, "host_organisation_id": {"1"}, "status": {"draft"},
				"date": {"2027-03-02"}, "start_time": {"17:30"}, "end_time": {"20:15"}},
			http.StatusUnprocessableEntity,
			[]string{`id="evenement-venue_id-erreur"`, "Indiquez un lieu ou, pour un événement en ligne"}},
		{"an organisation with a wrong address and link", "/staff/organisations", "/staff/organisations",
			url.Values{"name": {"Ville de Lille"}, "kind": {"local_authority"}, "contact_email": {"mairie@"}, "website": {"lille.fr"}},
			http.StatusUnprocessableEntity,
			[]string{`id="organisation-contact_email-erreur"`, "Adresse électronique invalide", `id="organisation-website-erreur"`, "Lien invalide", `value="mairie@"`}},
		{"an organisation whose name is taken is refused without losing the form", "/staff/organisations", "/staff/organisations",
			url.Values{"name": {"Etalab"}, "kind": {"administration"}},
			http.StatusConflict,
			[]string{"Cet élément existe déjà", `value="Etalab"`}},
		{"a room with a capacity in letters", "/staff/venues/1", "/staff/venues/1/rooms",
			url.Values{"name": {"Salle 12"}, "capacity": {"vingt"}},
			http.StatusUnprocessableEntity,
			[]string{`id="salle-capacity-erreur"`, "Un nombre entier est attendu", `value="vingt"`, `value="Salle 12"`}},
		{"a plan whose period ends before it starts", "/staff/plans", "/staff/plans",
			url.Values{"title": {"Plan 2021-2023"}, "period_start": {"2023-12-31"}, "period_end": {"2021-12-01"}},
			http.StatusUnprocessableEntity,
			[]string{`id="plan-period_end-erreur"`, "La fin de la période doit être après son début."}},
		{"an action without its commitment", "/staff/plans/1", "/staff/plans/1/commitments",
			url.Values{"number": {"15.1"}, "title": {"Ouvrir les données des transports"}, "kind": {"action"}, "status": {"in_progress"}, "principles": {"transparency"}},
			http.StatusUnprocessableEntity,
			[]string{`id="engagement-parent_id-erreur"`, "Une action doit être rattachée à un engagement.", `value="transparency" checked`}},
		{"a programme item ending before it starts", "/staff/events/1", "/staff/events/1/items",
			url.Values{"kind": {"break"}, "title": {"Pause"}, "date": {"2016-06-21"}, "start_time": {"19:20"}, "end_time": {"19:15"}},
			http.StatusUnprocessableEntity,
			[]string{`id="element-end_time-erreur"`, "La fin doit être après le début.", `value="Pause"`, "<details class=\"panel\" open>"}},
		{"a workshop with four facilitators", "/staff/events/1", "/staff/events/1/workshops",
			url.Values{"title": {"Atelier 6"}, "item_id": {"4"}, "capacity": {"20"}, "facilitator_ids": {"1", "2", "3", "4"}},
			http.StatusUnprocessableEntity,
			[]string{`id="atelier-facilitator_ids-erreur"`, "3 éléments au plus", `value="Atelier 6"`}},
		{"a partner without kind", "/staff/events/2/partners", "/staff/events/2/partners",
			url.Values{"name": {"Ville de Lille"}, "status": {"to_contact"}},
			http.StatusUnprocessableEntity,
			[]string{`id="partenaire-kind-erreur"`, "Ce champ est obligatoire.", `value="Ville de Lille"`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := countAll(t, st)
			b.get(c.page)
			w := b.post(c.action, c.form)
			if w.Code != c.status {
				t.Fatalf("status %d, want %d: %s", w.Code, c.status, w.Body)
			}
			contains(t, w, c.want...)
			contains(t, w, "Rien n'a été enregistré")
			if after := countAll(t, st); after != before {
				t.Errorf("something was written:\n%s\n%s", before, after)
			}
		})
	}
}

func TestStaffBuildAnEventThroughTheForms(t *testing.T) {
	srv, _ := newServer(t)
	b := signedIn(t, srv)
	b.get("/staff/events/new")
	w := b.post("/staff/events", url.Values{"kind": {"open_ministry"}, "title": {"Ministère ouvert #2"}, "theme": {"Données ouvertes"},
		"host_organisation_id": {"1"}, "status": {"published"}, "venue_id": {"1"}, "date": {"2027-03-02"}, "start_time": {"17:30"}, "end_time": {"20:15"}})
	if w.Code != http.StatusSeeOther {
		t.Fatalf("create: status %d: %s", w.Code, w.Body)
	}
	editor := strings.TrimSuffix(w.Header().Get("Location"), "?ok=created")
	if !strings.HasPrefix(editor, "/staff/events/") {
		t.Fatalf("redirected to %q", editor)
	}
	step := func(name, action string, form url.Values, want ...string) {
		t.Run(name, func(t *testing.T) {
			b.get(editor)
			w := b.post(action, form)
			if w.Code != http.StatusSeeOther {
				t.Fatalf("status %d: %s", w.Code, w.Body)
			}
			page := b.get(w.Header().Get("Location"))
			contains(t, page, want...)
		})
	}
	step("the event is on the dashboard", editor+"/edit", url.Values{"kind": {"open_ministry"}, "title": {"Ministère ouvert #2"},
		"host_organisation_id": {"1"}, "status": {"published"}, "venue_id": {"1"}, "date": {"2027-03-02"}, "start_time": {"17:30"}, "end_time": {"20:15"}},
		"Les modifications sont enregistrées.", "mardi 2 mars 2027 de 17 h 30 à 20 h 15")
	step("an item is added to the programme", editor+"/items", url.Values{"kind": {"workshops"}, "title": {"Ateliers de suivi"},
		"date": {"2027-03-02"}, "start_time": {"18:20"}, "end_time": {"19:20"}},
		"C&#39;est enregistré.", "18 h 20 – 19 h 20", "Ateliers de suivi", "Ajouter un atelier")
	var itemID string
	t.Run("the item is found in the editor", func(t *testing.T) {
		body := b.get(editor).Body.String()
		i := strings.Index(body, editor+"/items/")
		if i < 0 {
			t.Fatal("no edit link for the item")
		}
		rest := body[i+len(editor+"/items/"):]
		itemID = rest[:strings.IndexAny(rest, `"/`)]
	})
	step("the item is renamed", editor+"/items/"+itemID, url.Values{"kind": {"workshops"}, "title": {"Ateliers en parallèle"},
		"date": {"2027-03-02"}, "start_time": {"18:20"}, "end_time": {"19:20"}},
		"Ateliers en parallèle")
	step("a workshop is added with its commitments and facilitator", editor+"/workshops", url.Values{"number": {"1"}, "title": {"Ouvrir les données"},
		"item_id": {itemID}, "room_id": {"3"}, "capacity": {"20"}, "commitment_ids": {"13"}, "facilitator_ids": {personID(t, b, "Simon Chignard")}},
		"Atelier 1 : Ouvrir les données", "Salle 109", "n° 15", "Simon Chignard")
	t.Run("the public page shows it", func(t *testing.T) {
		contains(t, newBrowser(t, srv).get(strings.Replace(editor, "/staff", "", 1)), "Ministère ouvert #2", "Atelier 1 : Ouvrir les données", "18 h 20")
	})
	step("a partner is added to the forum's map", "/staff/events/2/partners", url.Values{"name": {"Ville de Lille"}, "kind": {"local_authority"}, "status": {"contacted"}},
		"Collectivité territoriale", "Ville de Lille", "1 / 5")
}

// personID finds the id of a person in the workshop form's checkboxes.
func personID(t *testing.T, b *browser, name string) string {
	body := b.get("/staff/events/1").Body.String()
	i := strings.Index(body, ">"+name+" (") // the pickers name the organisation beside the person
	if i < 0 {
		i = strings.Index(body, ">"+name+"</label>")
	}
	if i < 0 {
		t.Fatalf("no checkbox for %s", name)
	}
	j := strings.LastIndex(body[:i], `name="facilitator_ids" value="`)
	rest := body[j+len(`name="facilitator_ids" value="`):]
	return rest[:strings.Index(rest, `"`)]
}
