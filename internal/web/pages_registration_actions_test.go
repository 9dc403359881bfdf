package web_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"io"
	"mime"
	"mime/multipart"
	"net/mail"
	"net/url"
	"strconv"
	"strings"
	"testing"

	goical "github.com/emersion/go-ical"

	"fabrique/internal/fabrique"
	"fabrique/internal/mail/mailtest"
)

// invite is one calendar item received by a participant: the message's
// subject, the calendar's METHOD and the event's properties.
type invite struct {
	Subject, Method, UID, Sequence, Location, Description, Summary string
}

// receivedInvites parses the .ics attachments the SMTP server received for
// an address, in order.
func receivedInvites(t *testing.T, srv *mailtest.Server, email string) []invite {
	t.Helper()
	var out []invite
	for _, m := range srv.Messages() {
		if m.To[0] != email {
			continue
		}
		msg, err := mail.ReadMessage(bytes.NewReader(m.Data))
		if err != nil {
			t.Fatal(err)
		}
		subject, _ := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
		cals := attachments(t, msg.Header.Get("Content-Type"), msg.Body)
		if len(cals) == 0 {
			out = append(out, invite{Subject: subject})
			continue
		}
		for _, raw := range cals {
			cal, err := goical.NewDecoder(bytes.NewReader(raw)).Decode()
			if err != nil {
				t.Fatalf("the .ics received does not parse: %v\n%s", err, raw)
			}
			in := invite{Subject: subject}
			if p := cal.Props.Get(goical.PropMethod); p != nil {
				in.Method = p.Value
			}
			for _, ev := range cal.Events() {
				text := func(name string) string {
					s, _ := ev.Props.Text(name)
					return s
				}
				in.UID, in.Location = text(goical.PropUID), text(goical.PropLocation)
				if p := ev.Props.Get(goical.PropSequence); p != nil {
					in.Sequence = p.Value
				}
				in.Description, in.Summary = text(goical.PropDescription), text(goical.PropSummary)
			}
			out = append(out, in)
		}
	}
	return out
}

// attachments returns the decoded application/ics parts of a MIME body.
func attachments(t *testing.T, contentType string, body io.Reader) [][]byte {
	t.Helper()
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil || !strings.HasPrefix(mt, "multipart/") {
		return nil
	}
	var out [][]byte
	r := multipart.NewReader(body, params["boundary"])
	for {
		p, err := r.NextPart()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		ct := p.Header.Get("Content-Type")
		b, _ := io.ReadAll(p)
		switch {
		case strings.HasPrefix(ct, "multipart/"):
			out = append(out, attachments(t, ct, bytes.NewReader(b))...)
		case strings.HasPrefix(ct, "application/ics"):
			if strings.EqualFold(p.Header.Get("Content-Transfer-Encoding"), "base64") {
				if b, err = base64.StdEncoding.DecodeString(strings.NewReplacer("\r", "", "\n", "").Replace(string(b))); err != nil {
					t.Fatal(err)
				}
			}
			out = append(out, b)
		}
	}
}

// rosterEntry finds the registration of an address on the event's roster.
func rosterEntry(t *testing.T, st interface {
	Enrolments() fabrique.EnrolmentService
}, eventID int64, email string) fabrique.RosterEntry {
	t.Helper()
	r, err := st.Enrolments().Roster(fabrique.WithUser(context.Background(), fabrique.System), eventID)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range r.Entries {
		if e.Email == email {
			return e
		}
	}
	t.Fatalf("%s is not on the roster", email)
	return fabrique.RosterEntry{}
}

func TestStaffActOnOneRegistrationFromTheRegistrationsPage(t *testing.T) {
	s, st := newServer(t)
	ws := forumWorkshops(t, st)
	registerInStore(t, st, "Léa Martin", "lea@exemple.fr", ws[0])
	first := receivedInvites(t, drainOutbox(t, st, 0), "lea@exemple.fr")
	// The forum has two calendar items: its online launch and its forum day.
	if len(first) != 2 || first[0].Method != "REQUEST" || first[0].UID == first[1].UID {
		t.Fatalf("the first invitation: %+v", first)
	}
	uids := map[string]bool{first[0].UID: true, first[1].UID: true}
	lea := rosterEntry(t, st, 2, "lea@exemple.fr")
	base := "/staff/events/2/registrations/" + strconv.FormatInt(lea.RegistrationID, 10)
	b := newBrowser(t, s)
	b.signIn("forum@fabrique.example", "mot-de-passe-de-test") // the correspondent of the forum's host
	page := b.get("/staff/events/2/registrations")
	contains(t, page, `action="`+base+`/resend"`, `action="`+base+`/move"`, `href="`+base+`/cancel"`,
		"Renvoyer l'invitation<span class=\"visually-hidden\"> à Léa Martin</span>", "<h2 id=\"ajout\" tabindex=\"-1\">Inscrire une personne</h2>")

	t.Run("the LOCATION is where the participant arrives, their workshop's room in the text", func(t *testing.T) {
		day := first[1]
		if !strings.HasPrefix(day.Location, "Salle Marianne, ") {
			t.Errorf("LOCATION of the forum day %q: want the plenary room", day.Location)
		}
		w, err := st.Workshops().Get(fabrique.WithUser(context.Background(), fabrique.System), ws[0])
		if err != nil {
			t.Fatal(err)
		}
		room, err := st.Rooms().Get(fabrique.WithUser(context.Background(), fabrique.System), *w.RoomID)
		if err != nil {
			t.Fatal(err)
		}
		if room.Name == "Salle Marianne" || !strings.Contains(day.Description, "salle : "+room.Name+".") {
			t.Errorf("DESCRIPTION %q: want the workshop's room %q", day.Description, room.Name)
		}
	})
	t.Run("resend: the same invitation again, with the same UID and the same link", func(t *testing.T) {
		w := b.post(base+"/resend", nil)
		if w.Code != 303 || w.Header().Get("Location") != "/staff/events/2/registrations?ok=invitation-resent" {
			t.Fatalf("resend: %d %s", w.Code, w.Header().Get("Location"))
		}
		contains(t, b.get(w.Header().Get("Location")), "L&#39;invitation est renvoyée, avec le même lien personnel.")
		srv := drainOutbox(t, st, 0)
		got := receivedInvites(t, srv, "lea@exemple.fr")
		if len(got) != 2 {
			t.Fatalf("received %+v", got)
		}
		for _, in := range got {
			if in.Method != "REQUEST" || !uids[in.UID] || !strings.HasPrefix(in.Subject, "Invitation : ") || in.Sequence <= first[0].Sequence {
				t.Errorf("resent %+v", in)
			}
		}
		if links := mailedLinks(srv)["lea@exemple.fr"]; len(links) != 1 {
			t.Errorf("links resent: %v", links)
		}
	})
	t.Run("move: one update per calendar item, nothing else", func(t *testing.T) {
		w := b.post(base+"/move", url.Values{"workshop_id": {strconv.FormatInt(ws[1], 10)}})
		if w.Code != 303 {
			t.Fatalf("move: %d %s", w.Code, w.Body)
		}
		got := receivedInvites(t, drainOutbox(t, st, 0), "lea@exemple.fr")
		seen := map[string]int{}
		for _, in := range got {
			seen[in.UID]++
			if in.Method != "REQUEST" || !strings.HasPrefix(in.Subject, "Modification : ") || !uids[in.UID] {
				t.Errorf("after the move %+v", in)
			}
		}
		if len(got) != 2 || len(seen) != 2 {
			t.Errorf("updates received: %+v", got)
		}
		if e := rosterEntry(t, st, 2, "lea@exemple.fr"); e.WorkshopID == nil || *e.WorkshopID != ws[1] {
			t.Errorf("workshop after the move: %v", e.WorkshopID)
		}
	})
	t.Run("a move to a full workshop is refused in French, nothing sent", func(t *testing.T) {
		setCapacity(t, st, ws[2], 1)
		registerInStore(t, st, "Noé Plein", "noe@exemple.fr", ws[2])
		drainOutbox(t, st, 0)
		b.get("/staff/events/2/registrations")
		w := b.post(base+"/move", url.Values{"workshop_id": {strconv.FormatInt(ws[2], 10)}})
		if w.Code != 422 {
			t.Fatalf("move to a full workshop: %d", w.Code)
		}
		contains(t, w, `class="notice notice-error" role="alert"`, "est complet (1 place", "liste d&#39;attente")
		lacks(t, w, "status waiting")
		if n := len(receivedInvites(t, drainOutbox(t, st, 0), "lea@exemple.fr")); n != 0 {
			t.Errorf("%d messages after a refused move", n)
		}
	})
	t.Run("add: a refused registration leaves no contact behind", func(t *testing.T) {
		b.get("/staff/events/2/registrations")
		// ws[2] is full (capacity 1, Noé) and the waiting list is not asked for.
		w := b.post("/staff/events/2/registrations", url.Values{"name": {"Zoé Refusée"}, "email": {"zoe@exemple.fr"}, "category": {"citizen"},
			"workshop_id": {strconv.FormatInt(ws[2], 10)}})
		if w.Code < 400 || w.Code >= 500 {
			t.Fatalf("an addition to a full workshop: %d %s", w.Code, w.Body)
		}
		contains(t, w, `role="alert"`, "complet")
		found, err := st.People().List(fabrique.WithUser(context.Background(), fabrique.System),
			fabrique.ListOptions{Limit: 10, Filters: map[string]string{"email": "zoe@exemple.fr"}})
		if err != nil {
			t.Fatal(err)
		}
		if len(found.Items) != 0 {
			t.Errorf("the refused addition left %d contact(s): %+v", len(found.Items), found.Items[0])
		}
	})
	t.Run("add: the person receives their invitation", func(t *testing.T) {
		b.get("/staff/events/2/registrations")
		w := b.post("/staff/events/2/registrations", url.Values{"name": {"Inès Ajoutée"}, "email": {"pas-une-adresse"}, "category": {"citizen"}})
		if w.Code != 422 {
			t.Fatalf("a bad address: %d", w.Code)
		}
		contains(t, w, `id="ajout-email-erreur"`, `value="Inès Ajoutée"`)
		w = b.post("/staff/events/2/registrations", url.Values{"name": {"Inès Ajoutée"}, "email": {"ines@exemple.fr"}, "category": {"citizen"},
			"organisation": {"Regards Citoyens"}, "workshop_id": {strconv.FormatInt(ws[0], 10)}})
		if w.Code != 303 || !strings.HasSuffix(w.Header().Get("Location"), "ok=registration-added") {
			t.Fatalf("add: %d %s", w.Code, w.Body)
		}
		srv := drainOutbox(t, st, 0)
		got := receivedInvites(t, srv, "ines@exemple.fr")
		if len(got) != 2 || got[0].Method != "REQUEST" || !strings.HasPrefix(got[0].Subject, "Invitation : ") {
			t.Errorf("the person added received %+v", got)
		}
		if links := mailedLinks(srv)["ines@exemple.fr"]; len(links) != 1 {
			t.Errorf("links: %v", links)
		}
		if e := rosterEntry(t, st, 2, "ines@exemple.fr"); e.Organisation != "Regards Citoyens" || e.Status != fabrique.RegRegistered {
			t.Errorf("the person added on the roster: %+v", e)
		}
		w = b.post("/staff/events/2/registrations", url.Values{"name": {"Inès A."}, "email": {"ines@exemple.fr"}, "category": {"citizen"}})
		if w.Code != 422 {
			t.Fatalf("the same address twice: %d", w.Code)
		}
		contains(t, w, "a déjà une inscription à cet événement (inscrit·e)")
	})
	t.Run("cancel: the participant receives a CANCEL of the same items; resending is then refused", func(t *testing.T) {
		b.get("/staff/events/2/registrations")
		// The roster's link asks first: nothing is cancelled yet.
		confirm := b.get(base + "/cancel")
		contains(t, confirm, "Voulez-vous vraiment annuler l'inscription de Léa Martin (lea@exemple.fr) à « ",
			"Sa place sera donnée à la première personne en attente", `action="`+base+`/cancel"`, "Oui, annuler l'inscription",
			`href="/staff/events/2/registrations">Non, revenir aux inscriptions</a>`)
		if e := rosterEntry(t, st, 2, "lea@exemple.fr"); e.Status != fabrique.RegRegistered {
			t.Fatalf("the confirmation page changed the registration: %+v", e)
		}
		w := b.post(base+"/cancel", nil)
		if w.Code != 303 || !strings.HasSuffix(w.Header().Get("Location"), "ok=registration-cancelled") {
			t.Fatalf("cancel: %d %s", w.Code, w.Body)
		}
		got := receivedInvites(t, drainOutbox(t, st, 0), "lea@exemple.fr")
		if len(got) != 2 {
			t.Fatalf("after the cancel: %+v", got)
		}
		for _, in := range got {
			if in.Method != "CANCEL" || !uids[in.UID] {
				t.Errorf("after the cancel %+v", in)
			}
		}
		b.get("/staff/events/2/registrations")
		w = b.post(base+"/resend", nil)
		if w.Code != 409 {
			t.Fatalf("resend of a cancelled registration: %d", w.Code)
		}
		contains(t, w, "Léa Martin n&#39;a pas de place (inscription annulée)")
	})
	t.Run("the API resends with the same rule; another organisation does not see the registration", func(t *testing.T) {
		ines := rosterEntry(t, st, 2, "ines@exemple.fr")
		path := "/api/v1/registrations/" + strconv.FormatInt(ines.RegistrationID, 10) + "/resend"
		if w := call(t, s, orgOther, "POST", path, ""); w.Code != 404 {
			t.Errorf("another organisation: %d %s", w.Code, w.Body)
		}
		if w := call(t, s, facil, "POST", path, ""); w.Code != 404 {
			t.Errorf("a facilitator: %d %s", w.Code, w.Body)
		}
		if w := call(t, s, admin, "POST", path, ""); w.Code != 204 {
			t.Fatalf("administrator: %d %s", w.Code, w.Body)
		}
		if got := receivedInvites(t, drainOutbox(t, st, 0), "ines@exemple.fr"); len(got) != 2 || got[0].Method != "REQUEST" {
			t.Errorf("resent through the API: %+v", got)
		}
		lea := "/api/v1/registrations/" + strconv.FormatInt(lea.RegistrationID, 10) + "/resend"
		if p := problemOf(t, call(t, s, admin, "POST", lea, "")); p.Status != 409 || !strings.Contains(p.Detail, "pas de place") {
			t.Errorf("a cancelled registration through the API: %+v", p)
		}
	})
}

// registrationActionExpectation is the route × role walk of the staff's
// actions on one registration (access_test.go).
func registrationActionExpectation(method, path string) (url, body string, e expect, ok bool) {
	switch method + " " + path {
	case "POST /api/v1/registrations/:id/resend":
		// Camille's registration to Ministère ouvert #1, an event over.
		return "/api/v1/registrations/1/resend", "", all(404).with(409, admin, orgSERE).with(401, anonymous), true
	case "POST /staff/events/:id/registrations":
		return "/staff/events/1/registrations", "", all(403).with(422, admin, orgSERE), true // a visitor: refused without a session
	case "GET /staff/events/:id/registrations/:reg/cancel":
		// Camille's registration to Ministère ouvert #1: only those who
		// may change its participants are asked to confirm.
		return "/staff/events/1/registrations/1/cancel", "", byPolicy(fabrique.ObjParticipant, fabrique.ActChange, sereOwned, 200, 303), true
	case "POST /staff/events/:id/registrations/:reg/cancel", "POST /staff/events/:id/registrations/:reg/move", "POST /staff/events/:id/registrations/:reg/resend":
		return strings.NewReplacer(":id", "1", ":reg", "999").Replace(path), "", all(404).with(403, anonymous), true
	}
	return "", "", nil, false
}
