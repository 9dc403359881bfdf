package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"fabrique/internal/demo"
	"fabrique/internal/fabrique"
	"fabrique/internal/sqlite"
)

// The way in (issue 15): an organisation that is not the DITP publishes
// only through a declaration the DITP accepted, unless an administrator
// marked it trusted; only the DITP waives a relay workshop's conflicts.

// draftOf creates, as role, an online working session (no conflict) and returns its id.
func draftOf(t *testing.T, s http.Handler, role string, host int64) int64 {
	t.Helper()
	w := call(t, s, role, "POST", "/api/v1/events", fmt.Sprintf(`{"kind":"simple_workshop","title":"Atelier de travail en ligne","host_organisation_id":%d,"status":"draft",
		"online_url":"https://webinaire.numerique.gouv.fr/atelier","start":"2027-03-02T14:00:00+01:00","end":"2027-03-02T16:00:00+01:00"}`, host))
	if w.Code != 201 {
		t.Fatalf("draft as %s: %d %s", role, w.Code, w.Body)
	}
	var ev struct{ ID int64 }
	json.Unmarshal(w.Body.Bytes(), &ev)
	return ev.ID
}

// tokenFor gives an API token to an account created in the test.
func tokenFor(t *testing.T, st *sqlite.Store, email string) string {
	t.Helper()
	ctx := fabrique.WithUser(context.Background(), fabrique.System)
	u, err := st.Users().UserByEmail(ctx, email)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := st.Users().CreateToken(ctx, u.ID, "test")
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func TestAMinistryPublishesOnlyThroughAnAcceptedDeclaration(t *testing.T) {
	s, _ := newServer(t)
	id := draftOf(t, s, orgSERE, 1)
	publish := `{"status":"published"}`
	t.Run("as the owner, not trusted: refused, pointing to the declarations", func(t *testing.T) {
		w := call(t, s, orgSERE, "PATCH", fmt.Sprintf("/api/v1/events/%d", id), publish)
		p := problemOf(t, w)
		if w.Code != 409 || !strings.Contains(p.Detail, "déclaration à la DITP") || !strings.Contains(p.Detail, "/staff/declarations") || len(p.Errors) != 1 || p.Errors[0].Field != "status" {
			t.Fatalf("%d %+v", w.Code, p)
		}
		if w := call(t, s, orgSERE, "GET", fmt.Sprintf("/api/v1/events/%d", id), ""); !strings.Contains(w.Body.String(), `"status":"draft"`) {
			t.Errorf("the event changed: %s", w.Body)
		}
		w = call(t, s, orgSERE, "POST", "/api/v1/events", `{"kind":"simple_workshop","title":"Publié d'emblée","host_organisation_id":1,"status":"published",
			"online_url":"https://webinaire.numerique.gouv.fr/x","start":"2027-03-03T14:00:00+01:00","end":"2027-03-03T16:00:00+01:00"}`)
		if w.Code != 409 || !strings.Contains(problemOf(t, w).Detail, "déclaration à la DITP") {
			t.Errorf("created directly as published: %d %s", w.Code, w.Body)
		}
	})
	t.Run("as the owner, through the page « Publier »: the French refusal", func(t *testing.T) {
		b := newBrowserAs(t, s, demo.OrganiserEmail)
		b.get(fmt.Sprintf("/staff/events/%d/planning", id))
		w := b.post(fmt.Sprintf("/staff/events/%d/publish", id), nil)
		if w.Code != http.StatusConflict {
			t.Fatalf("status %d", w.Code)
		}
		contains(t, w, "déclaration à la DITP", `href="/staff/declarations"`)
	})
	t.Run("as another organisation and as nobody: refused", func(t *testing.T) {
		if w := call(t, s, orgOther, "PATCH", fmt.Sprintf("/api/v1/events/%d", id), publish); w.Code != 404 {
			t.Errorf("another organisation: %d %s", w.Code, w.Body)
		}
		if w := call(t, s, anonymous, "PATCH", fmt.Sprintf("/api/v1/events/%d", id), publish); w.Code != 401 {
			t.Errorf("nobody: %d %s", w.Code, w.Body)
		}
	})
	t.Run("only an administrator marks an organisation trusted", func(t *testing.T) {
		for _, role := range []string{orgSERE, orgOther, anonymous} {
			if w := call(t, s, role, "PATCH", "/api/v1/organisations/1", `{"trusted":true}`); w.Code != 403 && w.Code != 401 {
				t.Errorf("%s marks the Secrétariat d'État trusted: %d %s", role, w.Code, w.Body)
			}
		}
		if w := call(t, s, admin, "GET", "/api/v1/organisations/1", ""); !strings.Contains(w.Body.String(), `"trusted":false`) {
			t.Errorf("the Secrétariat d'État: %s", w.Body)
		}
		b := signedIn(t, s)
		contains(t, b.get("/staff/organisations/1/edit"), `name="trusted"`, "Organisation de confiance")
		w := b.post("/staff/organisations/1/edit", url.Values{"name": {"Secrétariat d'État chargé de la Réforme de l'État et de la Simplification"}, "kind": {"ministry"}, "trusted": {"1"}})
		if w.Code != http.StatusSeeOther {
			t.Fatalf("the edit page: %d %s", w.Code, w.Body)
		}
		contains(t, b.get("/staff/organisations"), "publie sans déclaration")
	})
	t.Run("trusted, the owner publishes directly", func(t *testing.T) {
		if w := call(t, s, orgSERE, "PATCH", fmt.Sprintf("/api/v1/events/%d", id), publish); w.Code != 200 {
			t.Fatalf("%d %s", w.Code, w.Body)
		}
	})
	t.Run("the DITP publishes any event directly", func(t *testing.T) {
		other := draftOf(t, s, orgOther, 5)
		if w := call(t, s, orgOther, "PATCH", fmt.Sprintf("/api/v1/events/%d", other), publish); w.Code != 409 {
			t.Errorf("the Intérieur, not trusted: %d %s", w.Code, w.Body)
		}
		if w := call(t, s, admin, "PATCH", fmt.Sprintf("/api/v1/events/%d", other), publish); w.Code != 200 {
			t.Errorf("the DITP: %d %s", w.Code, w.Body)
		}
	})
}

// An association cannot bypass the DITP by creating its relay workshop
// from the format and waiving its own conflicts.
func TestAThirdPartyNeitherWaivesNorPublishesItsRelayAlone(t *testing.T) {
	s, st := newServer(t)
	email, _ := thirdParty(t, st)
	tok := tokenFor(t, st, email)
	as := func(method, target, body string) (int, string) {
		r, _ := http.NewRequest(method, target, strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		r.Header.Set("Authorization", "Bearer "+tok)
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		return w.Code, w.Body.String()
	}
	var orgID int64
	{
		_, body := as("GET", "/api/v1/organisations?q=Lille", "")
		var page struct{ Items []struct{ ID int64 } }
		json.Unmarshal([]byte(body), &page)
		orgID = page.Items[0].ID
	}
	venue := &fabrique.Venue{Name: "Maison des associations de Lille", Address: "72 rue Royale", City: "Lille", HostOrganisationID: &orgID}
	if err := st.Venues().Create(fabrique.WithUser(context.Background(), fabrique.System), venue); err != nil {
		t.Fatal(err)
	}
	code, body := as("POST", "/api/v1/events/from-format", fmt.Sprintf(`{"format":"relay_workshop","title":"Atelier-relais à Lille","host_organisation_id":%d,
		"venue_id":%d,"date":"2027-01-21","start_time":"18:00"}`, orgID, venue.ID))
	if code != 201 {
		t.Fatalf("from format: %d %s", code, body)
	}
	var created struct{ Events []struct{ ID int64 } }
	json.Unmarshal([]byte(body), &created)
	id := created.Events[0].ID
	r := getConflicts(t, s, id)
	if len(r.Conflicts) == 0 {
		t.Fatalf("no conflict to waive: %+v", r)
	}
	key := r.Conflicts[0].Key
	exception := `{"key":"` + key + `","reason":"Nous trouverons une salle sur place, promis."}`
	if code, body := as("POST", fmt.Sprintf("/api/v1/events/%d/exceptions", id), exception); code != 403 || !strings.Contains(body, "Seule la DITP") {
		t.Errorf("the association waives its relay's conflict: %d %s", code, body)
	}
	if w := call(t, s, orgOther, "POST", fmt.Sprintf("/api/v1/events/%d/exceptions", id), exception); w.Code != 404 && w.Code != 403 {
		t.Errorf("another organisation waives it: %d %s", w.Code, w.Body)
	}
	if w := call(t, s, anonymous, "POST", fmt.Sprintf("/api/v1/events/%d/exceptions", id), exception); w.Code != 401 {
		t.Errorf("nobody waives it: %d %s", w.Code, w.Body)
	}
	if r := getConflicts(t, s, id); r.Blocking != len(r.Conflicts) {
		t.Errorf("a conflict was waived: %+v", r)
	}
	if code, body := as("PATCH", fmt.Sprintf("/api/v1/events/%d", id), `{"status":"published"}`); code != 409 || !strings.Contains(body, "déclaration à la DITP") {
		t.Errorf("the association publishes its relay: %d %s", code, body)
	}
	// Nor on an event one does not host: the forum's host on the Secrétariat d'État's evening.
	if w := call(t, s, orgForum, "POST", "/api/v1/events/1/exceptions", `{"key":"x","reason":"Une raison assez longue pour passer."}`); w.Code != 403 && w.Code != 404 {
		t.Errorf("the forum's host waives a conflict of another host's event: %d %s", w.Code, w.Body)
	}
	// The DITP may.
	if w := call(t, s, admin, "POST", fmt.Sprintf("/api/v1/events/%d/exceptions", id), exception); w.Code != 201 {
		t.Errorf("the DITP waives it: %d %s", w.Code, w.Body)
	}
}

// An organiser who must declare is told so on « Créer un événement », with
// the way to declare; the DITP and a trusted host are not.
func TestCreatingAnEventSaysAMinistryDeclaresFirst(t *testing.T) {
	s, _ := newServer(t)
	const notice = "Votre organisation publie ses événements par une déclaration à la DITP"
	for role, want := range map[string]bool{orgSERE: true, orgOther: true, admin: false, orgForum: false} { // the forum's host is trusted in the demo
		w := call(t, s, role, "GET", "/staff/events/new", "")
		if w.Code != 200 {
			t.Fatalf("%s: %d", role, w.Code)
		}
		body := w.Body.String()
		if got := strings.Contains(body, notice); got != want {
			t.Errorf("%s: notice shown %v, want %v", role, got, want)
		}
		if want && !strings.Contains(body, `href="/staff/declarations/new/open_ministry"`) {
			t.Errorf("%s: no link to declare", role)
		}
	}
}
