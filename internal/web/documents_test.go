package web_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"fabrique/internal/fabrique"
	"fabrique/internal/sqlite"
)

// pdfPages writes a PDF answer to a file, checks it with qpdf and returns
// the text of each page as pdftotext extracts it (plain, whitespace collapsed).
func pdfPages(t *testing.T, body []byte) []string {
	t.Helper()
	for _, tool := range []string{"pdftotext", "qpdf"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s not found: install poppler-utils and qpdf", tool)
		}
	}
	path := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(path, body, 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("qpdf", "--check", path).CombinedOutput(); err != nil {
		t.Fatalf("qpdf --check: %v\n%s", err, out)
	}
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	pages := strings.Split(string(out), "\f")
	space := regexp.MustCompile(`[\s\x{202f}\x{a0}]+`)
	for i := range pages {
		pages[i] = space.ReplaceAllString(pages[i], " ")
	}
	return pages[:len(pages)-1]
}

// register creates people and their registrations to workshops of event 1.
func register(t *testing.T, st *sqlite.Store, workshop int64, status fabrique.RegistrationStatus, names ...string) {
	t.Helper()
	ctx := fabrique.WithUser(context.Background(), fabrique.System)
	for _, n := range names {
		p := &fabrique.Person{Name: n, OrganisationID: ptr(12), Category: fabrique.CategoryCivilSociety}
		if err := st.People().Create(ctx, p); err != nil {
			t.Fatal(err)
		}
		r := &fabrique.Registration{EventID: 1, WorkshopID: ptr(workshop), PersonID: p.ID, Status: status}
		if err := st.Registrations().Create(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
}

func TestTheKitOfMinistereOuvertIsBuiltFromTheStore(t *testing.T) {
	s, st := newServer(t)
	registered := map[int64][]string{
		1: {"Zoé Lefèvre", "Benoît Œhmichen"},
		2: {"Hélène Bénard", "Loïc Thérond", "Maëlle Brûlé"},
		3: {"Camille Participante", "Jérôme Chênevert"}, // Camille is in the template
		5: {"Anaïs Lagüe"},
	}
	for ws, names := range registered {
		if ws == 3 {
			names = names[1:]
		}
		register(t, st, ws, fabrique.RegRegistered, names...)
	}
	register(t, st, 4, fabrique.RegCancelled, "Noémie Désistée")
	register(t, st, 4, fabrique.RegWaiting, "Cécile Enattente")

	w := call(t, s, orgSERE, "GET", "/api/v1/events/1/kit.pdf", "")
	if w.Code != 200 || w.Header().Get("Content-Type") != "application/pdf" {
		t.Fatalf("kit: %d %s", w.Code, w.Header().Get("Content-Type"))
	}
	pages := pdfPages(t, w.Body.Bytes())
	all := strings.Join(pages, "\n")
	for _, want := range []string{"Ministère ouvert #1", "mardi 21 juin 2016", "17 h 30 – 20 h 15", "Liste des ateliers et engagements abordés",
		"Secrétariat d'État chargé de la Réforme de l'État et de la Simplification"} {
		if !strings.Contains(all, want) {
			t.Errorf("the kit does not say %q", want)
		}
	}
	var list string
	for _, p := range pages {
		if strings.Contains(p, "Liste des ateliers et engagements abordés") {
			list = p
		}
	}
	for _, row := range []string{
		"Atelier 1 : Evaluation des politiques publiques 18 h 20 – 19 h 20 Engagement 4 – Evaluation des politiques publiques Animé par : Vincent Lahuec et Guillaume Thibault Cantine",
		"Animé par : Paula Forteza, Céline Pelletier et Françoise Waintrop Salle B",
		"Engagement 11 – Coproduire avec la société civile",
		"Animé par : Simon Chignard Salle 109",
		"Engagement 18 – Mieux interagir avec l'utilisateur et améliorer les services publics grâce à l'administration numérique",
		"Salle de la Chapelle", "Jean-Baptiste Bodin et Sarah Labelle", "Salle de Marbre",
	} {
		if !strings.Contains(list, row) {
			t.Errorf("the workshop table lacks %q:\n%s", row, list)
		}
	}
	t.Run("each sign-in sheet lists exactly the registered participants of its workshop", func(t *testing.T) {
		everyone := []string{"Noémie Désistée", "Cécile Enattente"}
		for _, names := range registered {
			everyone = append(everyone, names...)
		}
		for ws := int64(1); ws <= 5; ws++ {
			var sheet string
			for _, p := range pages {
				if strings.Contains(p, "Feuille d'émargement") && strings.Contains(p, fmt.Sprintf("Atelier %d :", ws)) {
					sheet += p
				}
			}
			if sheet == "" {
				t.Fatalf("no sign-in sheet for workshop %d", ws)
			}
			for _, n := range everyone {
				want := false
				for _, r := range registered[ws] {
					want = want || r == n
				}
				if got := strings.Contains(sheet, n); got != want {
					t.Errorf("workshop %d: %q listed = %v, want %v", ws, n, got, want)
				}
			}
		}
	})
	t.Run("the HTML twin has the same table, in French, with headers and print styles", func(t *testing.T) {
		h := call(t, s, orgSERE, "GET", "/events/1/kit", "")
		body := h.Body.String()
		for _, want := range []string{`<html lang="fr">`, `<th scope="col">Engagements</th>`, `@media print`, "mardi 21 juin 2016",
			"Paula Forteza, Céline Pelletier et Françoise Waintrop", "Salle de la Chapelle", "Feuille d'émargement", "Jérôme Chênevert"} {
			if !strings.Contains(body, want) {
				t.Errorf("the HTML kit lacks %q", want)
			}
		}
		if strings.Contains(body, "Noémie Désistée") {
			t.Error("a cancelled registration is on the HTML sign-in sheet")
		}
	})
}

func TestTheKitIsForTheStaffOfTheEvent(t *testing.T) {
	s, _ := newServer(t)
	for role, want := range map[string]int{anonymous: 401, orgOther: 403, orgForum: 403, facilOther: 200, facil: 200, admin: 200} {
		if w := call(t, s, role, "GET", "/api/v1/events/1/kit.pdf", ""); w.Code != want {
			t.Errorf("%s: %d, want %d", role, w.Code, want)
		}
	}
}

func TestMinutesArePublishedAfterApprovalAndThenOpen(t *testing.T) {
	s, st := newServer(t)
	copyMinistry(t, st) // the demo's Ministère ouvert #1 has its minutes published
	do := func(role, method, url, body string, want int) string {
		t.Helper()
		w := call(t, s, role, method, url, body)
		if w.Code != want {
			t.Fatalf("%s %s as %s: %d, want %d: %s", method, url, role, w.Code, want, w.Body)
		}
		return w.Body.String()
	}
	do(facil, "POST", "/api/v1/workshops/11/contributions", `{"category":"future_commitments","text":"Publier les codes sources des simulateurs, « sans délai »","author":"Regards Citoyens","consent":true,"publishable":true}`, 201)
	do(facil, "POST", "/api/v1/workshops/11/contributions", `{"category":"impact_indicators","text":"Nombre de réutilisations = indicateur","author":"Jeanne Réservée","consent":false,"publishable":true}`, 201)
	do(facil, "POST", "/api/v1/workshops/11/contributions", `{"category":"implementation_challenges","text":"Propos confidentiel","publishable":false}`, 201)
	do(facilOther, "POST", "/api/v1/workshops/11/contributions", `{"category":"impact_indicators","text":"x"}`, 403)
	do(facil, "POST", "/api/v1/workshops/11/attendance", `{"registration_ids":[2]}`, 200)
	do(facil, "PUT", "/api/v1/workshops/11/minutes", `{"summary":"Des échanges nourris sur l'ouverture des codes."}`, 200)
	do(orgSERE, "PUT", "/api/v1/events/3/minutes", `{"report_back":"Cinq ateliers, une soixantaine de participants."}`, 200)
	do(anonymous, "GET", "/api/v1/events/3/minutes.pdf", "", 401)
	do(anonymous, "GET", "/events/3/minutes", "", 303) // to the sign-in page
	if w := call(t, s, orgOther, "GET", "/events/3/minutes", ""); (w.Code != 403 && w.Code != 404) || !strings.Contains(w.Header().Get("Content-Type"), "text/html") || !strings.Contains(w.Body.String(), "<html lang=\"fr\">") {
		t.Errorf("the HTML twin refuses with %d %q: want a French HTML page", w.Code, w.Header().Get("Content-Type"))
	}
	do(anonymous, "GET", "/api/v1/events/3/contributions.csv", "", 401)
	do(facilOther, "POST", "/api/v1/workshops/11/minutes/approve", "", 403)
	do(orgSERE, "POST", "/api/v1/workshops/11/minutes/approve", "", 403)
	if !strings.Contains(do(facil, "POST", "/api/v1/workshops/11/minutes/approve", "", 200), `"state":"approved"`) {
		t.Error("the facilitator's approval did not approve")
	}
	do(orgSERE, "POST", "/api/v1/events/3/minutes/publish", "", 409)
	for _, ws := range []string{"9", "10", "12", "13"} {
		do(admin, "POST", "/api/v1/workshops/"+ws+"/minutes/approve", "", 200)
	}
	do(orgSERE, "POST", "/api/v1/events/3/minutes/publish", "", 200)

	pages := pdfPages(t, []byte(do(anonymous, "GET", "/api/v1/events/3/minutes.pdf", "", 200)))
	text := strings.Join(pages, "\n")
	for _, want := range []string{"Publier les codes sources des simulateurs, « sans délai » (Regards Citoyens)",
		"Quels engagements futurs pourrait-on prendre ?", "Des échanges nourris", "Cinq ateliers", "Citoyens 1"} {
		if !strings.Contains(text, want) {
			t.Errorf("the published minutes lack %q", want)
		}
	}
	for _, hidden := range []string{"Propos confidentiel", "Jeanne Réservée"} {
		if strings.Contains(text, hidden) {
			t.Errorf("the published minutes show %q", hidden)
		}
	}

	w := call(t, s, anonymous, "GET", "/api/v1/events/3/contributions.csv", "")
	if w.Code != 200 || w.Header().Get("Content-Type") != "text/csv; charset=utf-8" || !utf8.Valid(w.Body.Bytes()) {
		t.Fatalf("csv: %d %q", w.Code, w.Header().Get("Content-Type"))
	}
	rows := frenchCSV(t, w.Body.Bytes())
	if got := strings.Join(rows[0], ","); got != "evenement_id,evenement,date,atelier_numero,atelier,categorie,categorie_libelle,contribution,auteur,engagements" {
		t.Errorf("header = %s", got)
	}
	want := [][]string{
		{"3", "Ministère ouvert #2 (essai)", "2016-11-08", "3", "Ouverture des données et des codes sources", "future_commitments", "Quels engagements futurs pourrait-on prendre ?", "Publier les codes sources des simulateurs, « sans délai »", "Regards Citoyens", "11, 15, 16"},
		{"3", "Ministère ouvert #2 (essai)", "2016-11-08", "3", "Ouverture des données et des codes sources", "impact_indicators", "Quels indicateurs pour mesurer l'impact des actions entreprises ?", "Nombre de réutilisations = indicateur", "", "11, 15, 16"},
	}
	if fmt.Sprint(rows[1:]) != fmt.Sprint(want) {
		t.Errorf("rows =\n%q\nwant\n%q", rows[1:], want)
	}
	j := do(anonymous, "GET", "/api/v1/events/3/contributions.json", "", 200)
	if !strings.Contains(j, `"commitments":["11","15","16"]`) || strings.Contains(j, "confidentiel") {
		t.Errorf("json = %s", j)
	}
	do(facil, "POST", "/api/v1/workshops/11/contributions", `{"category":"impact_indicators","text":"Trop tard"}`, 409)
}

func TestBadMinutesInputsNameTheField(t *testing.T) {
	tests := []struct {
		name, role, method, url, body string
		status                        int
		field                         string
	}{
		{"an unknown category is named", facil, "POST", "/api/v1/workshops/3/contributions", `{"category":"gossip","text":"x"}`, 422, "category"},
		{"a forum heading in a Ministère ouvert is named", facil, "POST", "/api/v1/workshops/3/contributions", `{"category":"controversies","text":"x"}`, 422, "category"},
		{"an empty text is named", facil, "POST", "/api/v1/workshops/3/contributions", `{"category":"impact_indicators","text":""}`, 422, "text"},
		{"a text past 10,000 characters is named", facil, "POST", "/api/v1/workshops/3/contributions", `{"category":"impact_indicators","text":"` + strings.Repeat("é", 10001) + `"}`, 422, "text"},
		{"an unknown field is named", facil, "POST", "/api/v1/workshops/3/contributions", `{"category":"impact_indicators","text":"x","mood":"bon"}`, 422, "mood"},
		{"a wrong type is named", facil, "POST", "/api/v1/workshops/3/contributions", `{"category":"impact_indicators","text":"x","publishable":"oui"}`, 422, "publishable"},
		{"a person who does not exist is named", facil, "POST", "/api/v1/workshops/3/contributions", `{"category":"impact_indicators","text":"x","person_id":999}`, 422, "person_id"},
		{"another workshop in the body is named", facil, "POST", "/api/v1/workshops/3/contributions", `{"workshop_id":2,"category":"impact_indicators","text":"x"}`, 422, "workshop_id"},
		{"a registration of another workshop is named", orgSERE, "POST", "/api/v1/workshops/2/attendance", `{"registration_ids":[1]}`, 422, "registration_ids"},
		{"an empty attendance is named", facil, "POST", "/api/v1/workshops/3/attendance", `{"registration_ids":[]}`, 422, "registration_ids"},
		{"a walk-in without a name is named", facil, "POST", "/api/v1/workshops/3/walk-ins", `{"category":"citizen"}`, 422, "name"},
		{"a walk-in of an unknown category is named", facil, "POST", "/api/v1/workshops/3/walk-ins", `{"name":"Alix","category":"alien"}`, 422, "category"},
		{"a summary with a control character is named", facil, "PUT", "/api/v1/workshops/3/minutes", `{"summary":"a\u0007b"}`, 422, "summary"},
		{"a workshop that does not exist is a 404", facil, "POST", "/api/v1/workshops/999/attendance", `{"registration_ids":[1]}`, 404, ""},
		{"an event that does not exist is a 404", admin, "GET", "/api/v1/events/999/kit.pdf", "", 404, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, st := newServer(t)
			before := countAll(t, st) + countMinutes(t, st)
			w := call(t, s, tt.role, tt.method, tt.url, tt.body)
			if w.Code != tt.status {
				t.Fatalf("status = %d, want %d: %s", w.Code, tt.status, w.Body)
			}
			p := problemOf(t, w)
			if tt.field != "" && (len(p.Errors) == 0 || p.Errors[0].Field != tt.field || p.Errors[0].Message == "") {
				t.Errorf("errors = %+v, want the field %q named", p.Errors, tt.field)
			}
			if after := countAll(t, st) + countMinutes(t, st); after != before {
				t.Errorf("something was written: %v → %v", before, after)
			}
		})
	}
}

// countMinutes counts the rows of the tables of issue 5.
func countMinutes(t *testing.T, st *sqlite.Store) string {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+st.DB().Path()+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var out string
	for _, table := range []string{"contributions", "workshop_minutes", "event_minutes"} {
		var n int
		if err := db.QueryRow("SELECT COUNT(*) FROM " + table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		out += fmt.Sprintf(" %s=%d", table, n)
	}
	return out
}
