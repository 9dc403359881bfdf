package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/http"
	"net/mail"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"fabrique/internal/demo"
	"fabrique/internal/fabrique"
	"fabrique/internal/mail/mailtest"
)

// The « done when » of issue 15, first half: the seed 004 evening
// (« Ministère ouvert : retour sur les ateliers initiant la mise à jour du
// Plan d'action national », four workshops at the Secrétariat d'État) is
// declared through the pages by the Secrétariat d'État's correspondent,
// DITP asks for a change, the correspondent makes it, DITP sees what
// changed and accepts, and the event exists with its workshops as
// declared; the host publishes it, participants register, the host moves
// the evening by 30 minutes and changes one room, publishes the changes,
// and each participant receives exactly one update saying what changed,
// then one reminder (real HTTP, real SQLite, loopback SMTP).
//
// The evening is rebuilt on the same weekday twelve years on (Tuesday 27
// February 2029): registrations and reminders are for events to come.
func TestBrowserTheSeed004EveningIsDeclaredReviewedChangedAndToldOnce(t *testing.T) {
	e := newE2E(t)
	sys := fabrique.WithUser(context.Background(), fabrique.System)
	st := e.store
	// The facilitators of seed 004, as contacts the correspondent may propose.
	people := map[string]int64{}
	for _, p := range []struct{ name, role string }{
		{"Cécile Le Guen", "chercheuse à l'IRM de l'OGP"}, {"Marie Heuzé", "juriste, mission Etalab"},
		{"Olivier Picavet", "expert en évaluation, mission Etalab"}, {"Léa Douhard", "chargée de mission au Centre de Recherches Interdisciplinaires"},
		{"Damien Monnerie", "directeur de l'association Innovons pour la Citoyenneté sur Internet"},
	} {
		v := &fabrique.Person{Name: p.name, Role: p.role, Category: fabrique.CategoryCivilSociety, Kind: fabrique.PersonContact}
		if err := st.People().Create(sys, v); err != nil {
			t.Fatal(err)
		}
		people[p.name] = v.ID
	}
	commitment := func(number string) string {
		p, err := st.Commitments().List(sys, fabrique.ListOptions{Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range p.Items {
			if c.Number == number {
				return fmt.Sprint(c.ID)
			}
		}
		t.Fatalf("no commitment n° %s", number)
		return ""
	}
	rooms := map[string]string{"Cantine": "1", "Salle B": "2", "Salle 109": "3", "Salle de la Chapelle": "4", "Salle de Marbre": "5"}
	signIn := func(email string) {
		t.Helper()
		e.run("sign in as "+email,
			chromedp.Navigate(e.base+"/staff"), chromedp.WaitVisible("#connexion-email", chromedp.ByQuery),
			chromedp.SendKeys("#connexion-email", email, chromedp.ByQuery),
			chromedp.SendKeys("#connexion-password", demo.Password, chromedp.ByQuery),
			chromedp.Click("main button[type=submit]", chromedp.ByQuery),
			chromedp.WaitVisible(".notice-success", chromedp.ByQuery))
	}
	signOut := func() {
		t.Helper()
		e.run("sign out", chromedp.Evaluate(`document.querySelector('form[action="/signout"]').requestSubmit()`, nil),
			chromedp.WaitVisible("h1", chromedp.ByQuery))
	}
	submit := func(what, field, waitFor string) {
		t.Helper()
		e.run(what, chromedp.Evaluate(fmt.Sprintf(`document.querySelector(%q).form.requestSubmit()`, field), nil),
			chromedp.WaitVisible(waitFor, chromedp.ByQuery))
	}

	// 1. The correspondent declares the evening with its four workshops.
	signIn(demo.OrganiserEmail)
	e.run("open the declaration form", chromedp.Navigate(e.base+"/staff/declarations/new/open_ministry"), chromedp.WaitVisible("#declaration-w1_title", chromedp.ByQuery))
	workshops := []struct{ title, commitment, room, facilitator, second string }{
		{"Retour d'expérience du Plan d'action national 2015-2017", "3", "Salle 109", "Cécile Le Guen", ""},
		{"Un Plan d'action national impactant et innovant", "4", "Salle B", "Marie Heuzé", "Olivier Picavet"},
		{"Les nouvelles thématiques du gouvernement ouvert", "22", "Salle de la Chapelle", "Léa Douhard", ""},
		{"Les nouveaux acteurs du gouvernement ouvert", "13", "Cantine", "Damien Monnerie", ""},
	}
	actions := []chromedp.Action{
		chromedp.SendKeys("#declaration-title", "Ministère ouvert : mise à jour du Plan d'action national", chromedp.ByQuery),
		chromedp.SendKeys("#declaration-theme", "Initier la mise à jour du Plan d'action national 2017-2019", chromedp.ByQuery),
		setValue("#declaration-date", "2029-02-27"), setValue("#declaration-start_time", "17:30"),
		setValue("#declaration-venue_id", "1"), setValue("#declaration-plenary_room_id", rooms["Salle de Marbre"]),
		setValue("#declaration-capacity", "25"),
		chromedp.SendKeys("#declaration-notes", "Plus de 100 participants attendus, en présence du secrétaire d'État.", chromedp.ByQuery),
	}
	for i, w := range workshops {
		n := i + 1
		actions = append(actions, chromedp.SendKeys(fmt.Sprintf("#declaration-w%d_title", n), w.title, chromedp.ByQuery),
			setValue(fmt.Sprintf("#declaration-w%d_commitment_id", n), commitment(w.commitment)),
			setValue(fmt.Sprintf("#declaration-w%d_room_id", n), rooms[w.room]),
			setValue(fmt.Sprintf("#declaration-w%d_facilitator_id", n), fmt.Sprint(people[w.facilitator])))
		if w.second != "" {
			actions = append(actions, setValue(fmt.Sprintf("#declaration-w%d_cofacilitator_id", n), fmt.Sprint(people[w.second])))
		}
	}
	e.run("fill the declaration", actions...)
	e.audit("declaration-01-formulaire")
	submit("send the declaration", "#declaration-title", ".notice-success")
	var location string
	e.run("read the declaration's address", chromedp.Location(&location))
	page := strings.TrimPrefix(strings.Split(location, "?")[0], e.base)
	var id int64
	if _, err := fmt.Sscanf(page, "/staff/declarations/%d", &id); err != nil {
		t.Fatalf("after declaring: %s", location)
	}
	if s := e.text("main"); !strings.Contains(s, "Soumise pour examen") || !strings.Contains(s, "Un Plan d'action national impactant et innovant") || !strings.Contains(s, "Marie Heuzé, Olivier Picavet") {
		t.Errorf("the declaration as declared: %s", s)
	}
	e.audit("declaration-02-soumise")
	signOut()

	// 2. DITP sees it to review and asks for a change.
	signIn(demo.AdminEmail)
	if s := e.text(".dashboard-status"); !strings.Contains(s, "1 déclaration à examiner") {
		t.Errorf("the DITP's dashboard: %s", s)
	}
	e.run("open the declaration", chromedp.Navigate(e.base+page), chromedp.WaitVisible("#modifications-comment", chromedp.ByQuery),
		chromedp.SendKeys("#modifications-comment", "L'atelier 4 aura plus de monde : prenez la Salle de Marbre après la plénière ? Sinon une salle plus grande.", chromedp.ByQuery))
	submit("ask for changes", "#modifications-comment", ".notice-success")
	e.audit("declaration-03-modifications-demandees")
	signOut()

	// 3. The correspondent changes workshop 4's room and submits again.
	signIn(demo.OrganiserEmail)
	ws := eventWorkshops(t, e, id)
	if len(ws) != 4 {
		t.Fatalf("%d workshops", len(ws))
	}
	e.run("open workshop 4", chromedp.Navigate(fmt.Sprintf("%s/staff/events/%d/workshops/%d", e.base, id, ws[3].ID)), chromedp.WaitVisible("#atelier-room_id", chromedp.ByQuery),
		setValue("#atelier-room_id", rooms["Salle de la Chapelle"]))
	// Workshop 3 goes to the Cantine, which holds more people.
	submit("save workshop 4", "#atelier-room_id", ".notice-success")
	e.run("open workshop 3", chromedp.Navigate(fmt.Sprintf("%s/staff/events/%d/workshops/%d", e.base, id, ws[2].ID)), chromedp.WaitVisible("#atelier-room_id", chromedp.ByQuery),
		setValue("#atelier-room_id", rooms["Cantine"]))
	submit("save workshop 3", "#atelier-room_id", ".notice-success")
	e.run("open the declaration again", chromedp.Navigate(e.base+page), chromedp.WaitVisible("#resoumission-notes", chromedp.ByQuery))
	if s := e.text(".declaration-changes"); !strings.Contains(s, "Atelier 4, salle : « Cantine » devient « Salle de la Chapelle »") {
		t.Errorf("the correspondent's pending changes: %s", s)
	}
	e.run("say what changed", chromedp.SendKeys("#resoumission-notes", "Les ateliers 3 et 4 échangent leurs salles : la Chapelle pour l'atelier 4.", chromedp.ByQuery))
	submit("submit again", "#resoumission-notes", ".notice-success")
	signOut()

	// 4. DITP sees the declaration as it is now, what changed, and accepts.
	signIn(demo.AdminEmail)
	e.run("open the declaration", chromedp.Navigate(e.base+page), chromedp.WaitVisible(".declaration-changes", chromedp.ByQuery))
	changes := e.text(".declaration-changes")
	for _, want := range []string{"Ce qui a changé depuis la soumission précédente", "Atelier 3, salle : « Salle de la Chapelle » devient « Cantine »",
		"Atelier 4, salle : « Cantine » devient « Salle de la Chapelle »", "Message à la DITP"} {
		if !strings.Contains(changes, want) {
			t.Errorf("the reviewer does not see %q in %s", want, changes)
		}
	}
	if strings.Contains(changes, "Atelier 1") || strings.Contains(changes, "Titre") {
		t.Errorf("unchanged fields shown as changed: %s", changes)
	}
	e.audit("declaration-04-ce-qui-a-change")
	submit("accept", "#acceptation-comment", ".notice-success")
	signOut()

	// The event exists with its workshops as declared (and as changed).
	ws = eventWorkshops(t, e, id)
	for i, w := range workshops {
		got := ws[i]
		room := w.room
		switch i {
		case 2:
			room = "Cantine"
		case 3:
			room = "Salle de la Chapelle"
		}
		want := []int64{people[w.facilitator]}
		if w.second != "" {
			want = append(want, people[w.second])
		}
		if got.Title != w.title || got.RoomID == nil || fmt.Sprint(*got.RoomID) != rooms[room] || fmt.Sprint(got.FacilitatorIDs) != fmt.Sprint(want) ||
			len(got.CommitmentIDs) != 1 || fmt.Sprint(got.CommitmentIDs[0]) != commitment(w.commitment) {
			t.Errorf("workshop %d: %+v, declared %+v", i+1, got, w)
		}
	}

	// 5. The host publishes it from its planning page.
	signIn(demo.OrganiserEmail)
	e.run("open the planning", chromedp.Navigate(fmt.Sprintf("%s/staff/events/%d/planning", e.base, id)), chromedp.WaitVisible("#publication", chromedp.ByQuery))
	e.run("publish", chromedp.Click(`form[action$="/publish"] button[type=submit]`, chromedp.ByQuery), chromedp.WaitVisible(".notice-success", chromedp.ByQuery))
	if s := e.text("#publication ~ p"); !strings.Contains(s, "publié") {
		t.Fatalf("after « Publier l'événement »: %s", e.text("main"))
	}

	// 6. Participants register (real HTTP), one per workshop.
	emails := []string{"alice@exemple.fr", "bruno@exemple.fr", "chloe@exemple.fr", "driss@exemple.fr"}
	for i, addr := range emails {
		body := fmt.Sprintf(`{"name":"Participant %d","email":%q,"category":"citizen","workshop_id":%d,"consent":true}`, i+1, addr, ws[i].ID)
		if code, answer := httpDo(t, e.base, "", "POST", fmt.Sprintf("/api/v1/events/%d/register", id), body); code != 201 {
			t.Fatalf("register %s: %d %s", addr, code, answer)
		}
	}
	first := byRecipient(t, drainOutbox(t, st, 0)) // the invitations, and the declaration's messages
	subjects := func(addr string) (out []string) {
		for _, m := range first[addr] {
			out = append(out, m.subject)
		}
		return out
	}
	title := "Ministère ouvert : mise à jour du Plan d'action national"
	if got, want := subjects(demo.AdminEmail), []string{"Déclaration à examiner : " + title, "Déclaration modifiée, à examiner : " + title}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("the DITP receives %q, want %q", got, want)
	}
	if got, want := subjects(demo.OrganiserEmail), []string{"Déclaration à modifier : " + title, "Déclaration acceptée : " + title}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("the correspondent receives %q, want %q", got, want)
	}
	for _, m := range append(first[demo.AdminEmail], first[demo.OrganiserEmail]...) {
		if !strings.Contains(m.text, "http://fabrique.test"+page) {
			t.Errorf("%q does not link to the declaration:\n%s", m.subject, m.text)
		}
	}

	// 7. The host moves the evening by 30 minutes and changes one room.
	token := tokens[orgSERE]
	if code, answer := httpDo(t, e.base, token, "PATCH", fmt.Sprintf("/api/v1/events/%d", id), `{"start":"2029-02-27T18:00:00+01:00","end":"2029-02-27T20:45:00+01:00"}`); code != 200 {
		t.Fatalf("move: %d %s", code, answer)
	}
	if code, answer := httpDo(t, e.base, token, "PATCH", fmt.Sprintf("/api/v1/workshops/%d", ws[1].ID), `{"room_id":3}`); code != 200 {
		t.Fatalf("room of workshop 2: %d %s", code, answer)
	}
	if srv := drainOutbox(t, st, 0); srv.Count() != 0 {
		t.Fatalf("%d messages before the changes are published", srv.Count())
	}
	e.run("open the changes", chromedp.Navigate(fmt.Sprintf("%s/staff/events/%d/modifications", e.base, id)), chromedp.WaitVisible("main form button[type=submit]", chromedp.ByQuery))
	if s := e.text("main"); !strings.Contains(s, "4 participants seront informés") {
		t.Errorf("the changes page: %s", s)
	}
	e.audit("declaration-05-modifications-a-publier")
	e.run("publish the changes", chromedp.Click(`form[action$="/modifications/publier"] button[type=submit]`, chromedp.ByQuery), chromedp.WaitVisible(".notice-success", chromedp.ByQuery))

	// Each participant receives exactly one update saying what changed.
	updates := byRecipient(t, drainOutbox(t, st, 0))
	for i, addr := range emails {
		got := updates[addr]
		if len(got) != 1 || !strings.HasPrefix(got[0].subject, "Modification : ") {
			t.Errorf("%s receives %d messages: %+v", addr, len(got), got)
			continue
		}
		if !strings.Contains(got[0].text, "L'horaire passe de 17 h 30 à 18 h 00.") {
			t.Errorf("%s is not told the new time:\n%s", addr, got[0].text)
		}
		room := strings.Contains(got[0].text, "Salle 109 au lieu de Salle B")
		if room != (i == 1) {
			t.Errorf("%s (workshop %d) told of the room: %v\n%s", addr, i+1, room, got[0].text)
		}
	}
	if got := updates[emails[1]]; len(got) == 1 {
		t.Logf("the update to %s:\n%s\n%s", emails[1], got[0].subject, got[0].text)
	}
	if len(updates) != len(emails) {
		t.Errorf("messages to %d addresses: %v", len(updates), updates)
	}

	// Then one reminder each, two days before.
	if _, err := st.Changes().RemindDue(sys, time.Date(2029, time.February, 25, 18, 30, 0, 0, fabrique.Paris)); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Changes().RemindDue(sys, time.Date(2029, time.February, 26, 9, 0, 0, 0, fabrique.Paris)); err != nil {
		t.Fatal(err)
	}
	reminders := byRecipient(t, drainOutbox(t, st, 0))
	for _, addr := range emails {
		if got := reminders[addr]; len(got) != 1 || !strings.HasPrefix(got[0].subject, "Rappel : Ministère ouvert : mise à jour du Plan d'action national") ||
			!strings.Contains(got[0].text, "18 h 00") {
			t.Errorf("%s's reminders: %+v", addr, got)
		}
	}
}

type apiWorkshop struct {
	ID             int64   `json:"id"`
	Title          string  `json:"title"`
	RoomID         *int64  `json:"room_id"`
	FacilitatorIDs []int64 `json:"facilitator_ids"`
	CommitmentIDs  []int64 `json:"commitment_ids"`
}

// eventWorkshops reads the workshops of an event as the DITP, over HTTP.
func eventWorkshops(t *testing.T, e *e2e, id int64) []apiWorkshop {
	t.Helper()
	code, body := httpDo(t, e.base, tokens[admin], "GET", fmt.Sprintf("/api/v1/events/%d/workshops", id), "")
	if code != 200 {
		t.Fatalf("workshops: %d %s", code, body)
	}
	var p struct{ Items []apiWorkshop }
	json.Unmarshal([]byte(body), &p)
	return p.Items
}

// httpDo sends a real HTTP request to the test server.
func httpDo(t *testing.T, base, token, method, path, body string) (int, string) {
	t.Helper()
	r, err := http.NewRequest(method, base+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	r.Header.Set("Content-Type", "application/json")
	if token != "" {
		r.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

type receivedMail struct{ subject, text string }

// byRecipient reads the messages the loopback SMTP server received: the
// decoded subject and text part, by recipient.
func byRecipient(t *testing.T, srv *mailtest.Server) map[string][]receivedMail {
	t.Helper()
	out := map[string][]receivedMail{}
	dec := new(mime.WordDecoder)
	for _, m := range srv.Messages() {
		msg, err := mail.ReadMessage(bytes.NewReader(m.Data))
		if err != nil {
			t.Fatal(err)
		}
		subject, _ := dec.DecodeHeader(msg.Header.Get("Subject"))
		text := textPart(t, msg.Header.Get("Content-Type"), msg.Header.Get("Content-Transfer-Encoding"), msg.Body)
		for _, to := range m.To {
			out[to] = append(out[to], receivedMail{subject: subject, text: text})
		}
	}
	return out
}

// textPart finds the text/plain part of a MIME body, decoded.
func textPart(t *testing.T, contentType, encoding string, body io.Reader) string {
	t.Helper()
	media, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		t.Fatal(err)
	}
	if strings.HasPrefix(media, "multipart/") {
		r := multipart.NewReader(body, params["boundary"])
		for {
			p, err := r.NextRawPart()
			if err != nil {
				return ""
			}
			if s := textPart(t, p.Header.Get("Content-Type"), p.Header.Get("Content-Transfer-Encoding"), p); s != "" {
				return s
			}
		}
	}
	if media != "text/plain" {
		return ""
	}
	if strings.EqualFold(encoding, "quoted-printable") {
		body = quotedprintable.NewReader(body)
	}
	b, _ := io.ReadAll(body)
	return string(b)
}
