package web_test

import (
	"bytes"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"fabrique/internal/demo"
	"fabrique/internal/fabrique"
	"fabrique/internal/sqlite"
)

// followUpCounts counts the rows of the follow-up tables, to prove that a
// refused request wrote nothing.
func followUpCounts(t testing.TB, st *sqlite.Store) string {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+st.DB().Path()+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var out []string
	for _, table := range []string{"commitment_status_changes", "milestones", "indicators", "indicator_values", "consultations", "comments", "plan_followup"} {
		var n int
		if err := db.QueryRow("SELECT COUNT(*) FROM " + table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprintf("%s=%d", table, n))
	}
	return strings.Join(out, " ")
}

// openConsultationNow opens, as the administrator, a consultation on plan 1
// around today, so that comments are accepted whatever day the test runs.
func openConsultationNow(t *testing.T, h http.Handler, moderation string) {
	t.Helper()
	today := time.Now().In(fabrique.Paris)
	body := fmt.Sprintf(`{"title":"Consultation sur le rapport d'étape","opens":%q,"closes":%q,"moderation":%q}`,
		today.AddDate(0, 0, -3).Format("2006-01-02"), today.AddDate(0, 0, 14).Format("2006-01-02"), moderation)
	if w := call(t, h, admin, "POST", "/api/v1/action-plans/1/consultations", body); w.Code != 201 {
		t.Fatalf("open consultation: %d %s", w.Code, w.Body)
	}
}

func TestTheFollowUpOfACommitmentThroughTheAPI(t *testing.T) {
	s, st := newServer(t)
	status := `{"status":"substantial","justification":"Douze évaluations publiées sur modernisation.gouv.fr."}`
	before := followUpCounts(t, st)
	for role, code := range map[string]int{anonymous: 401, facil: 403, orgOther: 403, orgForum: 403} {
		if w := call(t, s, role, "POST", "/api/v1/commitments/4/status", status); w.Code != code {
			t.Errorf("status as %s: %d, want %d: %s", role, w.Code, code, w.Body)
		}
	}
	if after := followUpCounts(t, st); after != before {
		t.Fatalf("refused requests wrote: %s → %s", before, after)
	}
	w := call(t, s, orgSERE, "POST", "/api/v1/commitments/4/status", `{"status":"finished","justification":""}`)
	if p := problemOf(t, w); w.Code != 422 || len(p.Errors) != 2 || !strings.Contains(w.Header().Get("Content-Type"), "problem+json") {
		t.Fatalf("bad status: %d %s", w.Code, w.Body)
	}
	if w := call(t, s, orgSERE, "POST", "/api/v1/commitments/4/status", status); w.Code != 201 {
		t.Fatalf("status as carrier: %d %s", w.Code, w.Body)
	}
	w = call(t, s, orgSERE, "POST", "/api/v1/commitments/4/indicators", `{"name":"Évaluations publiées","unit":"évaluations","target":40}`)
	if w.Code != 201 {
		t.Fatalf("indicator: %d %s", w.Code, w.Body)
	}
	var ind fabrique.Indicator
	json.Unmarshal(w.Body.Bytes(), &ind)
	if w := call(t, s, orgSERE, "POST", fmt.Sprintf("/api/v1/indicators/%d/measurements", ind.ID), `{"value":12,"measured_on":"2016-06-01","source":"SGMAP"}`); w.Code != 201 {
		t.Fatalf("measurement: %d %s", w.Code, w.Body)
	}
	if w := call(t, s, orgOther, "POST", fmt.Sprintf("/api/v1/indicators/%d/measurements", ind.ID), `{"value":13,"measured_on":"2016-06-02","source":"x"}`); w.Code != 403 {
		t.Fatalf("measurement by another ministry: %d", w.Code)
	}
	if w := call(t, s, orgSERE, "POST", "/api/v1/commitments/4/milestones", `{"title":"Publier le calendrier","due":"2016-31-12"}`); w.Code != 422 || !strings.Contains(w.Body.String(), `"due"`) {
		t.Fatalf("bad milestone: %d %s", w.Code, w.Body)
	}

	// A comment is refused while no consultation is open.
	comment := `{"author":"Claire D.","email":"claire@exemple.fr","text":"Où trouver le calendrier des évaluations ?","consent":true}`
	if w := call(t, s, anonymous, "POST", "/api/v1/commitments/4/comments", comment); w.Code != 409 {
		t.Fatalf("comment without consultation: %d %s", w.Code, w.Body)
	}
	if w := call(t, s, orgSERE, "POST", "/api/v1/action-plans/1/consultations", `{"title":"x","opens":"2016-06-13","closes":"2016-06-30","moderation":"before"}`); w.Code != 403 {
		t.Fatalf("consultation by an organiser: %d", w.Code)
	}
	openConsultationNow(t, s, "before")
	links := `{"author":"Spam","email":"s@exemple.fr","text":"http://a.fr http://b.fr http://c.fr","consent":true}`
	if w := call(t, s, anonymous, "POST", "/api/v1/commitments/4/comments", links); w.Code != 422 || problemOf(t, w).Errors[0].Field != "text" {
		t.Fatalf("three links: %d %s", w.Code, w.Body)
	}
	w = call(t, s, anonymous, "POST", "/api/v1/commitments/4/comments", comment)
	if w.Code != 201 || strings.Contains(w.Body.String(), "claire@exemple.fr") {
		t.Fatalf("comment: %d %s", w.Code, w.Body)
	}
	var cm fabrique.Comment
	json.Unmarshal(w.Body.Bytes(), &cm)
	if w := call(t, s, anonymous, "GET", "/api/v1/commitments/4/follow-up", ""); strings.Contains(w.Body.String(), "Claire D.") {
		t.Fatal("a pending comment is public")
	}
	if w := call(t, s, orgSERE, "POST", fmt.Sprintf("/api/v1/comments/%d/moderation", cm.ID), `{"decision":"published"}`); w.Code != 403 {
		t.Fatalf("moderation by a carrier: %d", w.Code)
	}
	if w := call(t, s, admin, "POST", fmt.Sprintf("/api/v1/comments/%d/moderation", cm.ID), `{"decision":"published"}`); w.Code != 409 {
		t.Fatalf("moderation before the author's confirmation: %d %s", w.Code, w.Body)
	}
	link := mailedConfirmations(t, drainOutbox(t, st, 0))["claire@exemple.fr"][1]
	if w := call(t, s, anonymous, "POST", "/api/v1/comment-confirmations/"+link, ""); w.Code != 200 || !strings.Contains(w.Body.String(), `"confirmed":true`) {
		t.Fatalf("confirmation %q: %d %s", link, w.Code, w.Body)
	}
	if w := call(t, s, admin, "POST", fmt.Sprintf("/api/v1/comments/%d/moderation", cm.ID), `{"decision":"published"}`); w.Code != 200 {
		t.Fatalf("moderation: %d %s", w.Code, w.Body)
	}
	if w := call(t, s, orgOther, "POST", fmt.Sprintf("/api/v1/comments/%d/answers", cm.ID), `{"text":"Pas nous."}`); w.Code != 403 {
		t.Fatalf("answer by another ministry: %d", w.Code)
	}
	if w := call(t, s, orgSERE, "POST", fmt.Sprintf("/api/v1/comments/%d/answers", cm.ID), `{"text":"Le calendrier est en ligne depuis le 1er juin."}`); w.Code != 201 {
		t.Fatalf("answer: %d %s", w.Code, w.Body)
	}

	w = call(t, s, anonymous, "GET", "/api/v1/commitments/4/follow-up", "")
	var rec fabrique.CommitmentRecord
	if err := json.Unmarshal(w.Body.Bytes(), &rec); err != nil {
		t.Fatal(err)
	}
	// The demo brings one change of status, an indicator, a comment of June 2016 and its answer.
	if rec.Commitment.Status != fabrique.StatusSubstantial || len(rec.History) != 2 || len(rec.Comments) != 4 || !rec.Comments[3].CarrierAnswer ||
		rec.Comments[2].Author != "Claire D." || len(rec.Indicators) != 2 || rec.Indicators[1].Latest().Value != 12 || len(rec.Workshops) != 1 || rec.Workshops[0].Start.Format("2006-01-02") != "2016-06-21" {
		t.Errorf("record: %s", w.Body)
	}
	if strings.Contains(w.Body.String(), "claire@exemple.fr") {
		t.Error("the email of a commenter is shown")
	}
	w = call(t, s, anonymous, "GET", "/api/v1/action-plans/1/follow-up?status=not_started", "")
	var plan fabrique.PlanFollowUp
	json.Unmarshal(w.Body.Bytes(), &plan)
	if w.Code != 200 || len(plan.Commitments) != 1 || plan.Commitments[0].Commitment.Number != "7" {
		t.Errorf("plan filtered by status: %d, %d commitments", w.Code, len(plan.Commitments))
	}
	if w := call(t, s, anonymous, "GET", "/api/v1/action-plans/1/follow-up?principle=magic", ""); w.Code != 422 || problemOf(t, w).Errors[0].Field != "principle" {
		t.Errorf("bad filter: %d %s", w.Code, w.Body)
	}
}

func TestOpenDataOfTheFollowUp(t *testing.T) {
	s, st := newServer(t)
	call(t, s, orgSERE, "POST", "/api/v1/commitments/4/status", `{"status":"limited","justification":"=HYPERLINK(\"http://x\")"}`)
	openConsultationNow(t, s, "none")
	call(t, s, anonymous, "POST", "/api/v1/commitments/4/comments", `{"author":"Jeanne","email":"jeanne@exemple.fr","text":"Bravo pour l'ouverture.","consent":true}`)
	if w := call(t, s, anonymous, "POST", "/api/v1/comment-confirmations/"+mailedConfirmations(t, drainOutbox(t, st, 0))["jeanne@exemple.fr"][1], ""); w.Code != 200 {
		t.Fatalf("confirmation: %d %s", w.Code, w.Body)
	}

	w := call(t, s, anonymous, "GET", "/api/v1/action-plans/1/open-data/suivi.json", "")
	if w.Code != 200 || !strings.Contains(w.Body.String(), "Bravo pour l'ouverture.") || strings.Contains(w.Body.String(), "jeanne@exemple.fr") {
		t.Fatalf("json: %d %s", w.Code, w.Body)
	}
	for file, want := range map[string]string{"engagements.csv": "limitée", "commentaires.csv": "Jeanne", "jalons.csv": "echeance", "indicateurs.csv": "unite"} {
		w := call(t, s, anonymous, "GET", "/api/v1/action-plans/1/open-data/"+file, "")
		raw := w.Body.Bytes()
		if w.Code != 200 || !bytes.HasPrefix(raw, []byte("\xEF\xBB\xBF")) || !bytes.Contains(raw, []byte("\r\n")) || !bytes.Contains(raw, []byte(want)) {
			t.Errorf("%s: %d %q", file, w.Code, raw)
			continue
		}
		r := csv.NewReader(bytes.NewReader(raw[3:]))
		r.Comma = ';'
		rows, err := r.ReadAll()
		if err != nil || len(rows) < 1 {
			t.Errorf("%s: %v", file, err)
		}
		if bytes.Contains(raw, []byte("jeanne@exemple.fr")) {
			t.Errorf("%s carries an email", file)
		}
		if file == "engagements.csv" && !strings.Contains(string(raw), `'=HYPERLINK`) {
			t.Errorf("a formula is not neutralised: %s", raw)
		}
	}
	if w := call(t, s, anonymous, "GET", "/api/v1/action-plans/1/open-data/secret.txt", ""); w.Code != 404 {
		t.Errorf("unknown file: %d", w.Code)
	}
}

func TestTheProgressReportIsReadBack(t *testing.T) {
	s, _ := newServer(t)
	call(t, s, orgSERE, "POST", "/api/v1/commitments/4/status", `{"status":"substantial","justification":"Douze évaluations publiées, œuvre commune."}`)
	call(t, s, orgSERE, "POST", "/api/v1/commitments/4/milestones", `{"title":"Publier le programme des évaluations","due":"2016-03-31"}`)
	w := call(t, s, anonymous, "GET", "/api/v1/action-plans/1/progress-report.pdf", "")
	if w.Code != 200 || w.Header().Get("Content-Type") != "application/pdf" {
		t.Fatalf("report: %d %s", w.Code, w.Body)
	}
	pages := pdfPages(t, w.Body.Bytes())
	all := strings.Join(pages, "\n")
	for _, want := range []string{"Rapport d'étape", "Sommaire", "Engagement 4 : Evaluation des politiques publiques", "substantielle",
		"Douze évaluations publiées, œuvre commune.", "Publier le programme des évaluations", "en retard", "Ministère ouvert #1",
		"mardi 21 juin 2016", fmt.Sprintf("page 3 sur %d", len(pages))} {
		if !strings.Contains(all, want) {
			t.Errorf("the report lacks %q", want)
		}
	}
	// The table of contents gives the page where commitment 4 starts.
	for i, p := range pages {
		if strings.HasPrefix(strings.TrimSpace(p), "Engagement 4 : Evaluation") {
			if !strings.Contains(pages[1], fmt.Sprintf("Engagement 4 : Evaluation des politiques publiques %d", i+1)) {
				t.Errorf("the contents do not say page %d: %s", i+1, pages[1])
			}
		}
	}
	html := call(t, s, anonymous, "GET", "/plans/1/rapport", "")
	if csp := html.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "style-src 'self' 'sha256-") {
		t.Errorf("the report's HTML twin may not use its style sheet: %q", csp)
	}
	contains(t, html, "<h2 id=\"h-engagement-4\">Engagement 4 : Evaluation des politiques publiques</h2>", "Douze évaluations publiées, œuvre commune.", "en retard")
}

func TestThePagesOfTheFollowUp(t *testing.T) {
	s, st := newServer(t)
	b := newBrowser(t, s)
	w := b.get("/plans/1")
	contains(t, w, "Suivi des engagements", "Evaluation des politiques publiques", "Les engagements de chaque organisation porteuse", "engagements.csv")
	if w := b.get("/plans/1?etat=bidon"); w.Code != 422 {
		t.Errorf("bad filter: %d", w.Code)
	}
	if w := b.get("/plans/1/engagements/99"); w.Code != 404 {
		t.Errorf("unknown commitment: %d", w.Code)
	}
	w = b.get("/plans/1/engagements/4")
	contains(t, w, "Engagement 4 : Evaluation des politiques publiques", "Atelier 1", "mardi 21 juin 2016", "les commentaires sont fermés")
	lacks(t, w, "Enregistrer l'état")

	carrier := newBrowser(t, s)
	carrier.signIn(demo.OrganiserEmail, demo.Password)
	w = carrier.get("/plans/1/engagements/4")
	contains(t, w, "Enregistrer l'état")
	w = carrier.post("/staff/plans/1/engagements/4/etat", url.Values{"status": {"substantial"}})
	if w.Code != 422 {
		t.Fatalf("no justification: %d", w.Code)
	}
	contains(t, w, "Ce champ est obligatoire.", `aria-invalid="true"`)
	w = carrier.post("/staff/plans/1/engagements/4/etat", url.Values{"status": {"substantial"}, "justification": {"Douze évaluations publiées."}})
	if w.Code != 303 {
		t.Fatalf("status: %d %s", w.Code, w.Body)
	}
	w = carrier.post("/staff/plans/1/engagements/4/indicateurs", url.Values{"name": {"Évaluations publiées"}, "unit": {"évaluations"}, "target": {"40"}})
	if w.Code != 303 {
		t.Fatalf("indicator: %d %s", w.Code, w.Body)
	}
	w = carrier.get("/plans/1/engagements/4")
	contains(t, w, "Mise en œuvre substantielle", "Douze évaluations publiées.", "<svg role=\"img\"", "Évaluations publiées : aucune valeur relevée ; cible : 40 évaluations.")

	other := newBrowser(t, s)
	other.signIn("interieur@fabrique.example", "mot-de-passe-de-test")
	other.get("/plans/1/engagements/4")
	if w := other.post("/staff/plans/1/engagements/4/etat", url.Values{"status": {"completed"}, "justification": {"x"}}); w.Code != 403 {
		t.Errorf("another ministry: %d", w.Code)
	}

	openConsultationNow(t, s, "before")
	w = b.get("/plans/1/engagements/4")
	contains(t, w, "Nom ou pseudonyme", "jamais publiée", fabrique.CommentRetention)
	w = b.post("/plans/1/engagements/4/commentaires", url.Values{"author": {"Claire"}, "email": {"pas-une-adresse"}, "text": {"Bien."}})
	if w.Code != 422 {
		t.Fatalf("bad comment: %d", w.Code)
	}
	contains(t, w, "Adresse électronique invalide", "Cochez la case", `value="Claire"`)
	w = b.post("/plans/1/engagements/4/commentaires", url.Values{"author": {"Claire"}, "email": {"claire@exemple.fr"}, "text": {"Où est le calendrier ?"}, "consent": {"1"}})
	if w.Code != 303 {
		t.Fatalf("comment: %d %s", w.Code, w.Body)
	}
	w = b.get(w.Header().Get("Location"))
	contains(t, w, "Un courriel vient de vous être envoyé : ouvrez le lien qu&#39;il contient pour confirmer votre commentaire")
	lacks(t, w, "Où est le calendrier ?")

	staff := signedIn(t, s)
	lacks(t, staff.get("/staff/plans/1/moderation"), "Où est le calendrier ?") // not confirmed yet
	confirm := mailedConfirmations(t, drainOutbox(t, st, 0))["claire@exemple.fr"][0]
	citizen := newBrowser(t, s)
	contains(t, citizen.get(confirm), "Confirmer mon commentaire", "Où est le calendrier ?", "signé « Claire »", "publié après relecture")
	contains(t, citizen.post(confirm, url.Values{}), "Merci : il est confirmé. Il sera publié après relecture")
	contains(t, citizen.get(confirm), "Il est déjà confirmé.")
	if w := citizen.get(confirm + "x"); w.Code != 404 || !strings.Contains(w.Body.String(), "Lien de confirmation inconnu") {
		t.Errorf("a wrong confirmation link: %d", w.Code)
	}
	w = staff.get("/staff/plans/1/moderation")
	contains(t, w, "Où est le calendrier ?", "Commentaires en attente (1)")
	if w := carrier.get("/staff/plans/1/moderation"); w.Code != 403 {
		t.Errorf("moderation page for a carrier: %d", w.Code)
	}
}

func TestTheCommentFormsAreRateLimited(t *testing.T) {
	s, st := newServer(t)
	openConsultationNow(t, s, "before")
	before := followUpCounts(t, st)
	var last *httptest.ResponseRecorder
	for i := 0; i < 40; i++ {
		last = call(t, s, anonymous, "POST", "/api/v1/commitments/4/comments", `{"author":"Robot","email":"r@exemple.fr","text":"x","consent":true}`)
		if last.Code == 429 {
			break
		}
		if last.Code != 422 {
			t.Fatalf("comment %d: %d %s", i, last.Code, last.Body)
		}
	}
	if last.Code != 429 || last.Header().Get("Retry-After") == "" {
		t.Fatalf("40 comments from one address: last status %d", last.Code)
	}
	if after := followUpCounts(t, st); after != before {
		t.Errorf("refused comments wrote: %s → %s", before, after)
	}
}
