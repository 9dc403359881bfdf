package web_test

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"fabrique/internal/fabrique"
	"fabrique/internal/mail/mailtest"
)

// received sums up what the SMTP server received for an address: the
// kinds of message (by subject) and whether any carried a private link.
func received(srv *mailtest.Server, email string) (subjects []string, links []string) {
	for _, m := range srv.Messages() {
		if m.To[0] != email {
			continue
		}
		body := mailBody(m)
		if i := strings.Index(body, "Subject: "); i >= 0 {
			subjects = append(subjects, strings.TrimSpace(body[i+9:i+strings.Index(body[i:], "\r\n")]))
		}
	}
	return subjects, mailedLinks(srv)[email]
}

func TestAParticipantsAddressChangesThroughTheAPIAndThePage(t *testing.T) {
	s, st := newServer(t)
	const old = "clemence@exemple.fr"
	if w := call(t, s, anonymous, "POST", "/api/v1/events/2/register", `{"name":"Clémence Durand","email":"`+old+`","category":"citizen","workshop_id":7,"consent":true}`); w.Code != 201 {
		t.Fatalf("register: %d %s", w.Code, w.Body)
	}
	links := mailedLinks(drainOutbox(t, st, 0))[old]
	if len(links) != 1 {
		t.Fatalf("links mailed: %v", links)
	}
	link := links[0]

	t.Run("a bad address is a 422 naming the field, nothing changed", func(t *testing.T) {
		w := call(t, s, anonymous, "POST", "/api/v1/p/"+link+"/email", `{"email":"pas-une-adresse"}`)
		if p := problemOf(t, w); w.Code != 422 || len(p.Errors) != 1 || p.Errors[0].Field != "email" {
			t.Errorf("%d %+v", w.Code, p)
		}
		if w := call(t, s, anonymous, "GET", "/api/v1/p/"+link, ""); w.Code != 200 || !strings.Contains(w.Body.String(), old) {
			t.Errorf("the link after the refusal: %d", w.Code)
		}
	})
	t.Run("the participant's new address gets the new link, the old one a notice without link", func(t *testing.T) {
		w := call(t, s, anonymous, "POST", "/api/v1/p/"+link+"/email", `{"email":"clemence.durand@ailleurs.fr"}`)
		var ch fabrique.AddressChange
		if err := json.Unmarshal(w.Body.Bytes(), &ch); err != nil || w.Code != 200 || ch.Email != "clemence.durand@ailleurs.fr" {
			t.Fatalf("change: %d %s", w.Code, w.Body)
		}
		srv := drainOutbox(t, st, 0)
		oldSubjects, oldLinks := received(srv, old)
		newSubjects, newLinks := received(srv, "clemence.durand@ailleurs.fr")
		// The forum's launch and forum day: two calendar items for each.
		if len(oldSubjects) != 2 || len(oldLinks) != 0 || !strings.Contains(mailBody(srv.Messages()[0]), "METHOD:CANCEL") {
			t.Errorf("the old address received %q with links %v", oldSubjects, oldLinks)
		}
		if len(newSubjects) != 2 || len(newLinks) != 1 || newLinks[0] == link {
			t.Errorf("the new address received %q with links %v", newSubjects, newLinks)
		}
		if w := call(t, s, anonymous, "GET", "/api/v1/p/"+link, ""); w.Code != 404 {
			t.Errorf("the old link answers %d", w.Code)
		}
		if w := call(t, s, anonymous, "GET", "/api/v1/p/"+newLinks[0], ""); w.Code != 200 || !strings.Contains(w.Body.String(), "clemence.durand@ailleurs.fr") {
			t.Errorf("the new link answers %d %s", w.Code, w.Body)
		}
		link = newLinks[0]
	})
	t.Run("staff changing the address through the API do the same", func(t *testing.T) {
		w := call(t, s, anonymous, "GET", "/api/v1/p/"+link+"/data", "")
		var d fabrique.PersonalData
		json.Unmarshal(w.Body.Bytes(), &d)
		w = call(t, s, admin, "PATCH", "/api/v1/people/"+jsonInt(d.Person.ID), `{"email":"c.durand@exemple.org"}`)
		if w.Code != 200 {
			t.Fatalf("patch: %d %s", w.Code, w.Body)
		}
		srv := drainOutbox(t, st, 0)
		oldSubjects, oldLinks := received(srv, "clemence.durand@ailleurs.fr")
		newSubjects, newLinks := received(srv, "c.durand@exemple.org")
		if len(oldSubjects) != 2 || len(oldLinks) != 0 || len(newSubjects) != 2 || len(newLinks) != 1 || newLinks[0] == link {
			t.Errorf("old address %q %v, new address %q %v", oldSubjects, oldLinks, newSubjects, newLinks)
		}
		if w := call(t, s, anonymous, "GET", "/api/v1/p/"+link, ""); w.Code != 404 {
			t.Errorf("the link before the change answers %d", w.Code)
		}
		link = newLinks[0]
	})
	t.Run("the private page offers the change; a mistake is shown next to the field; then the page says where the link went", func(t *testing.T) {
		b := newBrowser(t, s)
		contains(t, b.get("/p/"+link), `<h2 id="adresse" tabindex="-1">Changer d'adresse électronique</h2>`, `action="/p/`+link+`/adresse#adresse"`)
		w := b.post("/p/"+link+"/adresse", url.Values{"email": {"c.durand@exemple.org"}})
		if w.Code != 422 {
			t.Fatalf("the same address: %d", w.Code)
		}
		contains(t, w, `id="adresse-email-erreur"`, "déjà l&#39;adresse de votre inscription")
		w = b.post("/p/"+link+"/adresse", url.Values{"email": {"clemence@exemple.fr"}})
		if w.Code != 200 {
			t.Fatalf("the change: %d %s", w.Code, w.Body)
		}
		contains(t, w, "<h1>Adresse électronique changée</h1>", "<strong>clemence@exemple.fr</strong>", "ne fonctionne plus")
		if strings.Contains(w.Body.String(), "/p/p_") {
			t.Error("the page shows a private link")
		}
		if _, links := received(drainOutbox(t, st, 0), "clemence@exemple.fr"); len(links) != 1 || links[0] == link {
			t.Errorf("links mailed to the address given: %v", links)
		}
	})
}
