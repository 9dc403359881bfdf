package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestAFacilitatorCorrectsAContribution: a typo noted live is corrected by
// the workshop's facilitator; approved minutes go back to draft, so that
// the correction is approved again; another workshop's facilitator cannot
// touch it; a bad correction names its field and changes nothing.
func TestAFacilitatorCorrectsAContribution(t *testing.T) {
	s, st := newServer(t)
	copyMinistry(t, st) // the demo's Ministère ouvert #1 has its minutes published
	w := call(t, s, facil, "POST", "/api/v1/workshops/11/contributions", `{"category":"future_commitments","text":"Publier les codes sourecs","publishable":true}`)
	if w.Code != 201 {
		t.Fatalf("record: %d %s", w.Code, w.Body)
	}
	loc := w.Header().Get("Location")
	if w := call(t, s, facil, "POST", "/api/v1/workshops/11/minutes/approve", ""); w.Code != 200 {
		t.Fatalf("approve: %d", w.Code)
	}
	if w := call(t, s, facilOther, "PUT", loc, `{"category":"future_commitments","text":"Autre chose"}`); w.Code != 403 {
		t.Errorf("another workshop's facilitator corrects: %d", w.Code)
	}
	if w := call(t, s, facil, "PUT", loc, `{"category":"future_commitments","text":""}`); w.Code != 422 || !strings.Contains(w.Body.String(), `"field":"text"`) {
		t.Errorf("an empty correction: %d %s", w.Code, w.Body)
	}
	w = call(t, s, facil, "PUT", loc, `{"category":"future_commitments","text":"Publier les codes sources","publishable":true}`)
	if w.Code != 200 || !strings.Contains(w.Body.String(), `"text":"Publier les codes sources"`) {
		t.Fatalf("correct: %d %s", w.Code, w.Body)
	}
	list := call(t, s, facil, "GET", "/api/v1/workshops/11/contributions", "").Body.String()
	if !strings.Contains(list, "Publier les codes sources") || strings.Contains(list, "sourecs") {
		t.Errorf("the list after the correction: %s", list)
	}
	if m := call(t, s, facil, "GET", "/api/v1/workshops/11/minutes", "").Body.String(); !strings.Contains(m, `"state":"draft"`) {
		t.Errorf("the approved minutes did not go back to draft: %s", m)
	}
}

// TestAContributionIsCorrectedFromTheLivePage follows « Corriger » from the
// live page, corrects the text, then deletes the contribution.
func TestAContributionIsCorrectedFromTheLivePage(t *testing.T) {
	s, st := newServer(t)
	copyMinistry(t, st) // the demo's Ministère ouvert #1 has its minutes published
	w := call(t, s, admin, "POST", "/api/v1/workshops/11/contributions", `{"category":"impact_indicators","text":"Nombre de réutilisatoins","publishable":true}`)
	if w.Code != 201 {
		t.Fatalf("record: %d %s", w.Code, w.Body)
	}
	id := strings.TrimPrefix(w.Header().Get("Location"), "/api/v1/contributions/")
	b := signedIn(t, s)
	edit := "/staff/workshops/11/contributions/" + id
	contains(t, b.get("/staff/workshops/11/live"), `href="`+edit+`"`, "Corriger")
	contains(t, b.get(edit), "Corriger une contribution", "Nombre de réutilisatoins", "Supprimer cette contribution")
	bad := b.post(edit, url.Values{"category": {"impact_indicators"}, "text": {""}})
	if bad.Code != http.StatusUnprocessableEntity {
		t.Fatalf("an empty text: %d", bad.Code)
	}
	contains(t, bad, `id="correction-text-erreur"`)
	done := b.post(edit, url.Values{"category": {"impact_indicators"}, "text": {"Nombre de réutilisations"}, "publishable": {"1"}})
	if done.Code != http.StatusSeeOther {
		t.Fatalf("correct: %d %s", done.Code, done.Body)
	}
	live := b.get(done.Header().Get("Location"))
	contains(t, live, "La contribution est corrigée.", "Nombre de réutilisations")
	lacks(t, live, "réutilisatoins")
	if w := b.post(edit+"/delete", url.Values{}); w.Code != http.StatusSeeOther {
		t.Fatalf("delete: %d", w.Code)
	}
	lacks(t, b.get("/staff/workshops/11/live"), "Nombre de réutilisations")
}
