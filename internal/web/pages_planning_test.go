package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// createFormat posts the form of a format and returns the new event's editor path.
func createFormat(t *testing.T, b *browser, format string, form url.Values) string {
	t.Helper()
	b.get("/staff/events/new/" + format)
	w := b.post("/staff/events/new/"+format, cloneValues(form))
	if w.Code != http.StatusSeeOther {
		t.Fatalf("create %s: status %d: %s", format, w.Code, w.Body)
	}
	loc, _, _ := strings.Cut(w.Header().Get("Location"), "?")
	return loc
}

var openMinistry2027 = url.Values{"title": {"Ministère ouvert #2"}, "host_organisation_id": {"1"}, "venue_id": {"1"},
	"date": {"2027-03-02"}, "start_time": {"18:00"}, "workshops": {"4"}, "capacity": {"15"}}

func TestFormatPages(t *testing.T) {
	s, _ := newServer(t)
	b := signedIn(t, s)
	t.Run("the new event page offers the five formats", func(t *testing.T) {
		w := b.get("/staff/events/new")
		contains(t, w, `href="/staff/events/new/open_ministry"`, `href="/staff/events/new/open_state_forum"`, `href="/staff/events/new/simple_workshop"`,
			`href="/staff/events/new/progress_review"`, `href="/staff/events/new/relay_workshop"`)
	})
	t.Run("each format asks for its own fields", func(t *testing.T) {
		contains(t, b.get("/staff/events/new/open_ministry"), `id="format-workshops"`, `id="format-start_time"`, `id="format-plenary_room_id"`)
		w := b.get("/staff/events/new/open_state_forum")
		contains(t, w, `id="format-deepening_weeks"`, `id="format-launch_online"`, "Début de l&#39;investigation")
		lacks(t, w, `id="format-start_time"`)
		contains(t, b.get("/staff/events/new/progress_review"), `id="format-weekday"`, `id="format-occurrences"`)
		contains(t, b.get("/staff/events/new/relay_workshop"), `id="format-parent_event_id"`)
	})
	t.Run("an unknown format is not found", func(t *testing.T) {
		if w := b.get("/staff/events/new/banquet"); w.Code != http.StatusNotFound {
			t.Errorf("status %d", w.Code)
		}
	})
	t.Run("a holiday is refused next to the date with the next working day proposed", func(t *testing.T) {
		b.get("/staff/events/new/open_ministry")
		form := url.Values{"title": {"Ministère ouvert du 1er mai"}, "host_organisation_id": {"1"}, "venue_id": {"1"}, "date": {"2027-05-01"}, "start_time": {"17:30"}}
		w := b.post("/staff/events/new/open_ministry", form)
		if w.Code != http.StatusUnprocessableEntity {
			t.Fatalf("status %d", w.Code)
		}
		contains(t, w, `id="format-date-erreur"`, "Samedi 1er mai 2027 n&#39;est pas un jour ouvré (Fête du Travail)", "lundi 3 mai 2027",
			`value="Ministère ouvert du 1er mai"`)
	})
	t.Run("a plenary room of another venue is refused next to its field", func(t *testing.T) {
		form := url.Values{"host_organisation_id": {"1"}, "venue_id": {"2"}, "plenary_room_id": {"1"}, "date": {"2027-03-02"}, "start_time": {"17:30"}}
		w := b.post("/staff/events/new/open_ministry", form)
		contains(t, w, `id="format-plenary_room_id-erreur"`, "pas dans le lieu choisi")
	})
	t.Run("a Ministère ouvert gets the reference programme shifted to its start", func(t *testing.T) {
		editor := createFormat(t, b, "open_ministry", openMinistry2027)
		w := b.get(editor)
		contains(t, w, "Ministère ouvert #2", "18 h 00 – 18 h 30", "Accueil", "Ateliers de suivi des engagements", "Atelier 4", "20 h 10 – 20 h 45")
		lacks(t, w, "Atelier 5")
	})
	t.Run("a forum gets its four phases and its timeline", func(t *testing.T) {
		editor := createFormat(t, b, "open_state_forum", url.Values{"title": {"Forum sur les communs"}, "host_organisation_id": {"1"}, "venue_id": {"2"},
			"date": {"2027-04-05"}, "workshops": {"3"}, "deepening_weeks": {"3"}, "launch_online": {"1"}})
		w := b.get(editor + "/planning")
		contains(t, w, "<svg", "Frise des 4 phases du forum", "Investigation", "Approfondissement")
	})
	t.Run("a series of progress reviews creates one event per month", func(t *testing.T) {
		createFormat(t, b, "progress_review", url.Values{"title": {"Point d'étape"}, "host_organisation_id": {"1"}, "venue_id": {"1"},
			"online_url": {"https://webinaire.numerique.gouv.fr/pe"}, "date": {"2027-01-01"}, "start_time": {"18:00"}, "weekday": {"mardi"},
			"week_of_month": {"1"}, "occurrences": {"3"}, "duration_minutes": {"90"}})
		contains(t, b.get("/staff"), "Point d&#39;étape — janvier 2027", "Point d&#39;étape — février 2027", "Point d&#39;étape — mars 2027")
	})
}

func TestPlanningPage(t *testing.T) {
	s, _ := newServer(t)
	b := signedIn(t, s)
	editor := createFormat(t, b, "open_ministry", openMinistry2027)
	planning := editor + "/planning"
	t.Run("the staff event page links to the planning and the documents", func(t *testing.T) {
		contains(t, b.get(editor), `href="`+planning+`"`, "/kit.pdf", "Compte rendu (PDF)")
	})
	t.Run("conflicts are listed and explained in French", func(t *testing.T) {
		w := b.get(planning)
		contains(t, w, "Sur place sans salle", "bloquent la publication", "Lever ce conflit par une exception")
	})
	t.Run("the page warns of provisional titles and workshops tied to no commitment", func(t *testing.T) {
		w := b.get(planning)
		contains(t, w, "À vérifier avant de publier", "4 ateliers portent encore un titre provisoire (Atelier 1, Atelier 2, Atelier 3, Atelier 4)",
			"4 ateliers ne sont rattachés à aucun engagement du plan d&#39;action")
	})
	t.Run("publishing is refused with the list of conflicts", func(t *testing.T) {
		w := b.post(editor+"/publish", url.Values{})
		if w.Code != http.StatusConflict {
			t.Fatalf("status %d", w.Code)
		}
		contains(t, w, "Publication refusée", "Rien n'a été enregistré")
	})
	t.Run("an exception without a real reason is refused next to its field", func(t *testing.T) {
		key := regexp.MustCompile(`name="key" value="([^"]+)"`).FindStringSubmatch(b.get(planning).Body.String())
		if key == nil {
			t.Fatal("no exception form")
		}
		w := b.post(editor+"/exceptions", url.Values{"key": {htmlUnescape(key[1])}, "reason": {"car"}})
		if w.Code != http.StatusUnprocessableEntity {
			t.Fatalf("status %d", w.Code)
		}
		contains(t, w, `id="exception-1-reason-erreur"`, "10 caractères")
		w = b.post(editor+"/exceptions", url.Values{"key": {htmlUnescape(key[1])}, "reason": {"Atelier tenu dans le hall, faute de salle."}})
		if w.Code != http.StatusSeeOther {
			t.Fatalf("status %d: %s", w.Code, w.Body)
		}
		w = b.get(planning)
		contains(t, w, "Levé par exception", "« Atelier tenu dans le hall, faute de salle. »", "Retirer l'exception")
		del := regexp.MustCompile(`action="(/staff/events/\d+/exceptions/\d+/delete)"`).FindStringSubmatch(w.Body.String())
		if del == nil {
			t.Fatal("no removal form")
		}
		if w := b.post(del[1], nil); w.Code != http.StatusSeeOther {
			t.Fatalf("remove: status %d", w.Code)
		}
		lacks(t, b.get(planning), "Levé par exception")
	})
	t.Run("the board is a table of rooms against slots with headers", func(t *testing.T) {
		w := b.get(planning)
		contains(t, w, `<table class="board">`, `<th scope="col">18 h 50 – 19 h 50</th>`, `<th scope="row">Sans salle`, "Conflit :")
	})
	t.Run("automatic assignment shows the proposal first and saves it on confirmation", func(t *testing.T) {
		w := b.get(editor + "/assignment?max_per_day=2")
		if w.Code != http.StatusOK {
			t.Fatalf("status %d: %s", w.Code, w.Body)
		}
		contains(t, w, "Rien n'est encore enregistré", "Ce nombre est le plus grand possible", "Confirmer et enregistrer")
		lacks(t, b.get(planning), "Animation : ")
		fp := regexp.MustCompile(`name="fingerprint" value="([^"]+)"`).FindStringSubmatch(w.Body.String())
		if fp == nil {
			t.Fatal("no confirmation form")
		}
		if w := b.post(editor+"/assignment", url.Values{"fingerprint": {"autre"}, "max_per_day": {"2"}}); w.Code != http.StatusConflict {
			t.Errorf("a stale proposal: status %d", w.Code)
		}
		if w := b.post(editor+"/assignment", url.Values{"fingerprint": {fp[1]}, "max_per_day": {"2"}}); w.Code != http.StatusSeeOther {
			t.Fatalf("confirm: status %d: %s", w.Code, w.Body)
		}
		w = b.get(planning + "?ok=assigned")
		contains(t, w, "L&#39;affectation proposée est enregistrée.")
		lacks(t, w, `<th scope="row">Sans salle`)
	})
	t.Run("a wrong maximum per day is refused", func(t *testing.T) {
		if w := b.get(editor + "/assignment?max_per_day=99"); w.Code != http.StatusUnprocessableEntity {
			t.Errorf("status %d", w.Code)
		}
	})
}

// htmlUnescape undoes the escaping of an attribute value.
func htmlUnescape(s string) string {
	return strings.NewReplacer("&#34;", `"`, "&#39;", "'", "&amp;", "&", "&lt;", "<", "&gt;", ">", "&#43;", "+").Replace(s)
}

// cloneValues copies form values, so that a shared form keeps no CSRF token.
func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}
