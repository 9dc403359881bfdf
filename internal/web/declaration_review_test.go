package web_test

import (
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"fabrique/internal/demo"
	"fabrique/internal/fabrique"
	"fabrique/internal/outbox"
)

// What is declared is what is created, DITP is told, and the reviewer sees
// what changed since the last submission (issue 15).
func TestWhatIsDeclaredIsWhatIsCreatedAndReviewed(t *testing.T) {
	s, st := newServer(t)
	org := newBrowserAs(t, s, demo.OrganiserEmail)
	ditp := signedIn(t, s)
	render := func(m *fabrique.OutboxMessage) (subject, text, html string) {
		t.Helper()
		r := outbox.NewRenderer("http://fabrique.test", outbox.DefaultFrom("http://fabrique.test"))
		mail, err := r.Message(m, time.Now(), true)
		if err != nil {
			t.Fatal(err)
		}
		return mail.Subject, mail.Text, mail.HTML
	}
	org.get("/staff/declarations/new/open_ministry")
	w := org.post("/staff/declarations/new/open_ministry", cloneValues(declaredSession))
	if w.Code != http.StatusSeeOther {
		t.Fatalf("declare: %d %s", w.Code, w.Body)
	}
	page, _, _ := strings.Cut(w.Header().Get("Location"), "?")
	var id int64
	fmt.Sscanf(page, "/staff/declarations/%d", &id)

	type workshop struct {
		ID             int64   `json:"id"`
		Number         int     `json:"number"`
		Title          string  `json:"title"`
		RoomID         *int64  `json:"room_id"`
		FacilitatorIDs []int64 `json:"facilitator_ids"`
		CommitmentIDs  []int64 `json:"commitment_ids"`
	}
	workshops := func() []workshop {
		var p struct{ Items []workshop }
		json.Unmarshal(call(t, s, admin, "GET", fmt.Sprintf("/api/v1/events/%d/workshops", id), "").Body.Bytes(), &p)
		return p.Items
	}
	t.Run("the event is created with the declared workshops", func(t *testing.T) {
		ws := workshops()
		if len(ws) != 3 {
			t.Fatalf("%d workshops: %+v", len(ws), ws)
		}
		w1 := ws[0]
		if w1.Title != "Évaluer les politiques publiques" || w1.RoomID == nil || *w1.RoomID != 2 || !slices.Equal(w1.FacilitatorIDs, []int64{2}) || !slices.Equal(w1.CommitmentIDs, []int64{4}) {
			t.Errorf("workshop 1: %+v", w1)
		}
		if ws[1].Title != "Les registres de données" || ws[2].Title != "Le climat" {
			t.Errorf("titles: %+v", ws)
		}
		for _, w := range ws {
			if strings.HasPrefix(w.Title, "Atelier ") {
				t.Errorf("a placeholder title: %q", w.Title)
			}
		}
	})
	t.Run("a row without title, or a room of another venue, is refused with nothing written", func(t *testing.T) {
		bad := cloneValues(declaredSession)
		bad.Set("w4_room_id", "3")
		bad.Set("w2_room_id", "6") // the forum's venue
		w := org.post("/staff/declarations/new/open_ministry", bad)
		if w.Code != http.StatusUnprocessableEntity {
			t.Fatalf("status %d", w.Code)
		}
		contains(t, w, `id="declaration-w4_title-erreur"`, "Donnez un titre à l&#39;atelier 4")
		if len(queued(t, st, fabrique.MsgDeclarationSubmitted)) != 1 {
			t.Error("a refused declaration was announced")
		}
	})
	t.Run("DITP's administrators are told, by an email naming and linking the declaration, and count it", func(t *testing.T) {
		msgs := queued(t, st, fabrique.MsgDeclarationSubmitted)
		if len(msgs) != 1 || msgs[0].Recipient != demo.AdminEmail {
			t.Fatalf("queued %+v", msgs)
		}
		subject, text, html := render(msgs[0])
		if subject != "Déclaration à examiner : Ministère ouvert #3" || !strings.Contains(text, "http://fabrique.test"+page) || !strings.Contains(html, `href="http://fabrique.test`+page+`"`) ||
			!strings.Contains(text, "Correspondant du Secrétariat d'État (démo)") || strings.Contains(text, "inscription") {
			t.Errorf("%q\n%s", subject, text)
		}
		contains(t, ditp.get("/staff"), "1 déclaration à examiner", `href="/staff/declarations"`)
		lacks(t, org.get("/staff"), "à examiner")
	})
	t.Run("another organisation and nobody see nothing of it", func(t *testing.T) {
		other := newBrowser(t, s)
		other.signIn("interieur@fabrique.example", "mot-de-passe-de-test")
		if w := other.get(page); w.Code != http.StatusNotFound && w.Code != http.StatusForbidden {
			t.Errorf("another organisation: %d", w.Code)
		}
		if w := newBrowser(t, s).get(page); w.Code != http.StatusSeeOther && w.Code != http.StatusUnauthorized {
			t.Errorf("nobody: %d", w.Code)
		}
	})
	ditp.get(page)
	if w := ditp.post(page+"/changes", url.Values{"comment": {"Mettez l'atelier 1 en Salle 109 et précisez son titre."}}); w.Code != http.StatusSeeOther {
		t.Fatalf("changes: %d %s", w.Code, w.Body)
	}
	t.Run("the declarer's email names the declaration and links to it", func(t *testing.T) {
		msgs := queued(t, st, fabrique.MsgDeclarationChanges)
		subject, text, _ := render(msgs[0])
		if subject != "Déclaration à modifier : Ministère ouvert #3" || !strings.Contains(text, "http://fabrique.test"+page) || strings.Contains(subject, "inscription") {
			t.Errorf("%q\n%s", subject, text)
		}
		contains(t, ditp.get("/staff"), "Aucune déclaration à examiner")
	})
	ws := workshops()
	t.Run("the declarer changes the declared event; the change shows before it is submitted", func(t *testing.T) {
		if w := call(t, s, orgSERE, "PATCH", fmt.Sprintf("/api/v1/workshops/%d", ws[0].ID), `{"title":"Évaluer les politiques publiques avec la société civile","room_id":3}`); w.Code != 200 {
			t.Fatalf("change workshop 1: %d %s", w.Code, w.Body)
		}
		contains(t, org.get(page), "Modifié depuis la dernière soumission", "Atelier 1, titre : « Évaluer les politiques publiques » devient « Évaluer les politiques publiques avec la société civile »")
		if w := org.post(page+"/resubmit", url.Values{"notes": {"Atelier 1 déplacé en Salle 109."}}); w.Code != http.StatusSeeOther {
			t.Fatalf("resubmit: %d", w.Code)
		}
	})
	t.Run("DITP sees the declaration as it is now and what changed since the last submission", func(t *testing.T) {
		w := ditp.get(page)
		contains(t, w, "Ce qui a changé depuis la soumission précédente",
			"Atelier 1, titre : « Évaluer les politiques publiques » devient « Évaluer les politiques publiques avec la société civile »",
			"Atelier 1, salle : « Salle B » devient « Salle 109 »",
			"Message à la DITP : « Salle Pierre Mendès-France réservée. » devient « Atelier 1 déplacé en Salle 109. »",
			"<td>1. Évaluer les politiques publiques avec la société civile</td>", "<td>Salle 109</td>", "Jean-Vincent Placé")
		lacks(t, w, "Atelier 2, ")
		msgs := queued(t, st, fabrique.MsgDeclarationSubmitted)
		if len(msgs) != 2 {
			t.Fatalf("%d messages to DITP", len(msgs))
		}
		resubmitted := msgs[0]
		if len(resubmitted.Payload.Changes) == 0 {
			resubmitted = msgs[1]
		}
		subject, text, _ := render(resubmitted)
		if subject != "Déclaration modifiée, à examiner : Ministère ouvert #3" || !strings.Contains(text, "Ce qui a changé depuis la soumission précédente") || !strings.Contains(text, "Atelier 1, salle : « Salle B » devient « Salle 109 »") {
			t.Errorf("%q\n%s", subject, text)
		}
		contains(t, ditp.get("/staff"), "1 déclaration à examiner")
	})
	ditp.get(page)
	if w := ditp.post(page+"/accept", url.Values{}); w.Code != http.StatusSeeOther {
		t.Fatalf("accept: %d", w.Code)
	}
	t.Run("accepted: the email names it, and the automatic assignment keeps the declared facilitators", func(t *testing.T) {
		subject, text, _ := render(queued(t, st, fabrique.MsgDeclarationAccepted)[0])
		if subject != "Déclaration acceptée : Ministère ouvert #3" || !strings.Contains(text, "http://fabrique.test"+page) {
			t.Errorf("%q\n%s", subject, text)
		}
		if w := call(t, s, orgSERE, "POST", fmt.Sprintf("/api/v1/events/%d/assignment", id), `{"dry_run":false}`); w.Code != 200 {
			t.Fatalf("assignment: %d %s", w.Code, w.Body)
		}
		after := workshops()
		if !slices.Equal(after[0].FacilitatorIDs, []int64{2}) || after[0].RoomID == nil || *after[0].RoomID != 3 {
			t.Errorf("the declared workshop 1 after the assignment: %+v", after[0])
		}
	})
}

// The review page of a relay workshop says which programme it joins.
func TestARelayDeclarationSaysWhichProgrammeItJoins(t *testing.T) {
	s, st := newServer(t)
	email, password := thirdParty(t, st)
	b := newBrowser(t, s)
	b.signIn(email, password)
	b.get("/staff/declarations/new/relay_workshop")
	w := b.post("/staff/declarations/new/relay_workshop", url.Values{"title": {"Atelier-relais à Lille"}, "parent_event_id": {"2"},
		"online_url": {"https://webinaire.numerique.gouv.fr/lille"}, "date": {"2027-02-03"}, "start_time": {"14:00"}, "capacity": {"25"},
		"w1_title": {"Les algorithmes publics à Lille"}, "w1_commitment_id": {"16"}})
	if w.Code != http.StatusSeeOther {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	page, _, _ := strings.Cut(w.Header().Get("Location"), "?")
	var forum struct {
		Title string `json:"title"`
	}
	json.Unmarshal(call(t, s, admin, "GET", "/api/v1/events/2", "").Body.Bytes(), &forum)
	var commitment struct {
		Number string `json:"number"`
	}
	json.Unmarshal(call(t, s, admin, "GET", "/api/v1/commitments/16", "").Body.Bytes(), &commitment)
	contains(t, signedIn(t, s).get(page), "Programme rejoint", html.EscapeString(forum.Title), "Les algorithmes publics à Lille", "n° "+commitment.Number+" — ")
}
