package web_test

import (
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/mail"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"fabrique/internal/fabrique"
	"fabrique/internal/mail/mailtest"
)

// readMail decodes a received message: its subject and its text part.
func readMail(t *testing.T, m mailtest.Message) (subject, text string) {
	t.Helper()
	msg, err := mail.ReadMessage(strings.NewReader(string(m.Data)))
	if err != nil {
		t.Fatal(err)
	}
	dec := new(mime.WordDecoder)
	if subject, err = dec.DecodeHeader(msg.Header.Get("Subject")); err != nil {
		t.Fatal(err)
	}
	var walk func(ct string, body io.Reader) string
	walk = func(ct string, body io.Reader) string {
		media, params, _ := mime.ParseMediaType(ct)
		if !strings.HasPrefix(media, "multipart/") {
			return ""
		}
		r := multipart.NewReader(body, params["boundary"])
		for {
			p, err := r.NextPart() // decodes quoted-printable
			if err != nil {
				return ""
			}
			pt := p.Header.Get("Content-Type")
			if strings.HasPrefix(pt, "text/plain") {
				b, _ := io.ReadAll(p)
				return string(b)
			}
			if s := walk(pt, p); s != "" {
				return s
			}
		}
	}
	return subject, walk(msg.Header.Get("Content-Type"), msg.Body)
}

var unsubscribeLink = regexp.MustCompile(`http://fabrique\.test/desabonnement/(d_[A-Za-z0-9_.-]+)`)

// statusNotices are the notices of a status change received, by recipient.
func statusNotices(t *testing.T, srv *mailtest.Server) map[string][]string {
	out := map[string][]string{}
	for _, m := range srv.Messages() {
		subject, text := readMail(t, m)
		if strings.HasPrefix(subject, "Engagement n° ") {
			out[m.To[0]] = append(out[m.To[0]], subject+"\n"+text)
		}
	}
	return out
}

// TestParticipantsAreToldOfAStatusChangeAndUnsubscribe follows the
// notifications of issue 17 end to end: people registered to a workshop
// on a commitment subscribe from their private page (form and API), the
// carrier changes the status, the SMTP server receives one French email per
// subscriber with a working unsubscribe link; after unsubscribing, and
// after an erasure, the next change sends nothing.
func TestParticipantsAreToldOfAStatusChangeAndUnsubscribe(t *testing.T) {
	s, st := newServer(t)
	people := map[string]string{"ada@exemple.fr": "Ada Lovelace", "alan@exemple.fr": "Alan Turing", "grace@exemple.fr": "Grace Hopper"}
	for email, name := range people {
		if w := call(t, s, anonymous, "POST", "/api/v1/events/2/register", `{"name":"`+name+`","email":"`+email+`","category":"citizen","workshop_id":6,"consent":true}`); w.Code != 201 {
			t.Fatalf("register %s: %d %s", email, w.Code, w.Body)
		}
	}
	links := map[string]string{}
	for email, l := range mailedLinks(drainOutbox(t, st, 0)) {
		links[email] = l[0]
	}
	// The commitment of workshop 1 of the forum: n° 16, carried by the Secrétariat d'État.
	var list fabrique.Page[fabrique.FollowedCommitment]
	w := call(t, s, anonymous, "GET", "/api/v1/p/"+links["ada@exemple.fr"]+"/subscriptions", "")
	if err := json.Unmarshal(w.Body.Bytes(), &list); err != nil || w.Code != 200 || len(list.Items) != 1 || list.Items[0].Number != "16" || list.Items[0].Subscribed {
		t.Fatalf("the commitments of the workshop: %d %s", w.Code, w.Body)
	}
	c := list.Items[0]
	id := fmt.Sprint(c.CommitmentID)

	t.Run("Ada subscribes from her private page", func(t *testing.T) {
		b := newBrowser(t, s)
		page := "/p/" + links["ada@exemple.fr"]
		contains(t, b.get(page), `id="suivi"`, "Suivre les engagements de mon atelier", "Engagement n° 16 : Favoriser l&#39;ouverture des modèles de calcul",
			"État d'avancement : limitée", "Me prévenir des changements")
		w := b.post(page+"/suivi", url.Values{"commitment_id": {"4"}, "subscribed": {"1"}})
		contains(t, w, "Cet engagement n&#39;est pas travaillé dans votre atelier : rien n&#39;a été modifié.")
		if w.Code != 422 {
			t.Errorf("a commitment of another workshop: %d", w.Code)
		}
		w = b.post(page+"/suivi", url.Values{"commitment_id": {id}, "subscribed": {"1"}})
		if w.Code != 303 || w.Header().Get("Location") != page+"?ok=suivi#suivi" {
			t.Fatalf("subscribe: %d %v", w.Code, w.Header())
		}
		contains(t, b.get(page+"?ok=suivi"), "vous recevrez un courriel à chaque changement", "Vous êtes prévenu·e de ses changements.", "Ne plus être prévenu·e")
	})
	t.Run("Alan subscribes through the API; a commitment of another workshop is refused, naming the field", func(t *testing.T) {
		base := "/api/v1/p/" + links["alan@exemple.fr"] + "/subscriptions"
		w := call(t, s, anonymous, "POST", base, `{"commitment_id":4,"subscribed":true}`)
		if p := problemOf(t, w); w.Code != 422 || len(p.Errors) != 1 || p.Errors[0].Field != "commitment_id" {
			t.Fatalf("another workshop's commitment: %d %s", w.Code, w.Body)
		}
		w = call(t, s, anonymous, "POST", base, `{"commitment_id":`+id+`,"subscribed":true}`)
		if w.Code != 200 || !strings.Contains(w.Body.String(), `"subscribed":true`) {
			t.Fatalf("subscribe: %d %s", w.Code, w.Body)
		}
		if n := countTable(t, st, "status_subscriptions"); n != 2 {
			t.Fatalf("%d subscriptions, want 2", n)
		}
	})

	setStatus := func(t *testing.T, status, justification string) {
		t.Helper()
		if w := call(t, s, orgSERE, "POST", "/api/v1/commitments/"+id+"/status", `{"status":"`+status+`","justification":"`+justification+`"}`); w.Code != 201 {
			t.Fatalf("status: %d %s", w.Code, w.Body)
		}
	}
	unsubscribe := map[string]string{}
	t.Run("a change of status sends one French email to each subscriber, with an unsubscribe link", func(t *testing.T) {
		before := storedFiles(t, st.DB().Path())
		setStatus(t, "completed", "Le code source de trois simulateurs est publié sur le dépôt de l'État.")
		pending := storedFiles(t, st.DB().Path())
		got := statusNotices(t, drainOutbox(t, st, 0))
		if len(got) != 2 || len(got["ada@exemple.fr"]) != 1 || len(got["alan@exemple.fr"]) != 1 {
			t.Fatalf("notices: %v", got)
		}
		for email, texts := range got {
			text := texts[0]
			for _, want := range []string{"Engagement n° 16 : avancement « complète »", "Bonjour " + people[email],
				"l'engagement n° 16 « Favoriser l'ouverture des modèles de calcul et des simulateurs de l'Etat »",
				"il passe de « limitée » à « complète »", "Justification des porteurs : Le code source de trois simulateurs est publié sur le dépôt de l'État.",
				"http://fabrique.test/plans/1/engagements/16", "Pour ne plus recevoir ces courriels, sans vous connecter"} {
				if !strings.Contains(text, want) {
					t.Errorf("the notice to %s lacks %q:\n%s", email, want, text)
				}
			}
			m := unsubscribeLink.FindStringSubmatch(text)
			if m == nil {
				t.Fatalf("no unsubscribe link to %s:\n%s", email, text)
			}
			unsubscribe[email] = m[1]
		}
		if unsubscribe["ada@exemple.fr"] == unsubscribe["alan@exemple.fr"] {
			t.Error("both subscribers got the same unsubscribe link")
		}
		for when, files := range map[string]map[string][]byte{"before": before, "while pending": pending, "after sending": storedFiles(t, st.DB().Path())} {
			for name, b := range files {
				for _, l := range unsubscribe {
					if strings.Contains(string(b), l) || strings.Contains(string(b), l[strings.LastIndex(l, ".")+1:]) {
						t.Errorf("%s, %s holds the unsubscribe link %s", when, name, l)
					}
				}
			}
		}
	})
	t.Run("Ada unsubscribes with her link, without signing in, after a click", func(t *testing.T) {
		b := newBrowser(t, s)
		page := "/desabonnement/" + unsubscribe["ada@exemple.fr"]
		contains(t, b.get(page), "Ne plus être prévenu·e", "Voulez-vous ne plus le recevoir ?", "Me désabonner")
		if n := countTable(t, st, "status_subscriptions"); n != 2 {
			t.Fatalf("opening the link unsubscribed: %d subscriptions left", n)
		}
		contains(t, b.post(page, url.Values{}), "C'est fait : vous ne recevrez plus de courriel", "engagement n° 16")
		contains(t, b.get(page), "Vous ne recevez déjà plus de courriel")
		if w := b.get("/desabonnement/" + unsubscribe["ada@exemple.fr"] + "x"); w.Code != 404 || !strings.Contains(w.Body.String(), "Lien de désabonnement inconnu") {
			t.Errorf("a wrong link: %d", w.Code)
		}
		if w := call(t, s, anonymous, "GET", "/api/v1/unsubscribe/"+unsubscribe["alan@exemple.fr"], ""); w.Code != 200 || !strings.Contains(w.Body.String(), `"subscribed":true`) {
			t.Errorf("Alan's link through the API: %d %s", w.Code, w.Body)
		}
	})
	t.Run("Ada's data carry the confirmation of a comment she wrote, a message of no event", func(t *testing.T) {
		openConsultationNow(t, s, "before")
		if w := call(t, s, anonymous, "POST", "/api/v1/commitments/"+id+"/comments", `{"author":"Ada","email":"ada@exemple.fr","text":"Merci pour ce suivi.","consent":true}`); w.Code != 201 {
			t.Fatalf("comment: %d %s", w.Code, w.Body)
		}
		if w := call(t, s, anonymous, "GET", "/api/v1/p/"+links["ada@exemple.fr"]+"/data", ""); w.Code != 200 || !strings.Contains(w.Body.String(), `"event_id":0,"kind":"comment_confirm"`) {
			t.Errorf("Ada's data: %d %s", w.Code, w.Body)
		}
		var page fabrique.Page[fabrique.OutboxMessage]
		w := call(t, s, admin, "GET", "/api/v1/outbox?kind=comment_confirm", "")
		if err := json.Unmarshal(w.Body.Bytes(), &page); err != nil || page.Total != 1 || page.Items[0].EventID != 0 {
			t.Fatalf("the confirmation in the administrators' outbox: %d %s", w.Code, w.Body)
		}
		if w := call(t, s, orgSERE, "GET", "/api/v1/outbox?kind=comment_confirm", ""); !strings.Contains(w.Body.String(), `"total":0`) {
			t.Errorf("an organiser sees a message of no event: %s", w.Body)
		}
		eml := call(t, s, admin, "GET", fmt.Sprintf("/api/v1/outbox/%d/eml", page.Items[0].ID), "")
		if eml.Code != 200 || !strings.Contains(mailBody(mailtest.Message{Data: eml.Body.Bytes()}), "lien de confirmation masqu") {
			t.Errorf("the preview: %d %s", eml.Code, eml.Body)
		}
		contains(t, signedIn(t, s).get(fmt.Sprintf("/staff/outbox/%d", page.Items[0].ID)), "Confirmez votre commentaire sur l&#39;engagement n° 16", "Confirmation d&#39;un commentaire")
		link := mailedConfirmations(t, drainOutbox(t, st, 0))["ada@exemple.fr"][1]
		if link == "" {
			t.Fatal("no confirmation link mailed")
		}
		for name, b := range storedFiles(t, st.DB().Path()) {
			if strings.Contains(string(b), link) || strings.Contains(string(b), link[strings.LastIndex(link, ".")+1:]) {
				t.Errorf("%s holds the confirmation link %s", name, link)
			}
		}
	})
	t.Run("the next change goes to Alan only", func(t *testing.T) {
		setStatus(t, "substantial", "Un simulateur attend encore la publication de son code.")
		got := statusNotices(t, drainOutbox(t, st, 0))
		if len(got) != 1 || len(got["alan@exemple.fr"]) != 1 || !strings.Contains(got["alan@exemple.fr"][0], "de « complète » à « substantielle »") {
			t.Fatalf("notices: %v", got)
		}
	})
	t.Run("the erasure of Alan's data removes his subscriptions: the next change sends nothing", func(t *testing.T) {
		if w := call(t, s, anonymous, "GET", "/api/v1/p/"+links["alan@exemple.fr"]+"/data", ""); w.Code != 200 ||
			!strings.Contains(w.Body.String(), `"subscriptions":[{"commitment_id":`+id+`,"plan_id":1,"number":"16"`) {
			t.Errorf("Alan's data lack his subscription: %d %s", w.Code, w.Body)
		}
		if w := call(t, s, anonymous, "POST", "/api/v1/p/"+links["alan@exemple.fr"]+"/erase", ""); w.Code != 200 {
			t.Fatalf("erase: %d %s", w.Code, w.Body)
		}
		if n := countTable(t, st, "status_subscriptions"); n != 0 {
			t.Errorf("%d subscriptions left", n)
		}
		setStatus(t, "completed", "Tous les codes sources sont publiés.")
		if got := statusNotices(t, drainOutbox(t, st, 0)); len(got) != 0 {
			t.Errorf("notices after erasure: %v", got)
		}
		if w := call(t, s, anonymous, "POST", "/api/v1/unsubscribe/"+unsubscribe["alan@exemple.fr"], ""); w.Code != 200 || !strings.Contains(w.Body.String(), `"subscribed":false`) {
			t.Errorf("Alan's link after erasure: %d %s", w.Code, w.Body)
		}
	})
}

var confirmationLink = regexp.MustCompile(`http://fabrique\.test(/commentaires/confirmation/(c_[A-Za-z0-9_.-]+))`)

// mailedConfirmations are the confirmation links of comments received,
// by recipient: the page's path and the token.
func mailedConfirmations(t *testing.T, srv *mailtest.Server) map[string][2]string {
	out := map[string][2]string{}
	for _, m := range srv.Messages() {
		subject, text := readMail(t, m)
		if strings.HasPrefix(subject, "Confirmez votre commentaire") {
			if l := confirmationLink.FindStringSubmatch(text); l != nil {
				out[m.To[0]] = [2]string{l[1], l[2]}
			}
		}
	}
	return out
}

// TestSomeoneOnAWaitingListFollowsTheWorkshopsCommitments checks that a
// person waiting for a seat in a workshop may follow its commitments from
// their private page, as those who have a seat.
func TestSomeoneOnAWaitingListFollowsTheWorkshopsCommitments(t *testing.T) {
	s, st := newServer(t)
	setCapacity(t, st, 6, 1)
	for _, p := range [][2]string{{"Paul Assis", "paul@exemple.fr"}, {"Wanda Attend", "wanda@exemple.fr"}} {
		if w := call(t, s, anonymous, "POST", "/api/v1/events/2/register", `{"name":"`+p[0]+`","email":"`+p[1]+`","category":"citizen","workshop_id":6,"consent":true}`); w.Code != 201 {
			t.Fatalf("register %s: %d %s", p[1], w.Code, w.Body)
		}
	}
	if e := rosterEntry(t, st, 2, "wanda@exemple.fr"); e.Status != fabrique.RegWaiting {
		t.Fatalf("Wanda should wait: %+v", e)
	}
	link := mailedLinks(drainOutbox(t, st, 0))["wanda@exemple.fr"][0]
	base := "/api/v1/p/" + link + "/subscriptions"
	var list fabrique.Page[fabrique.FollowedCommitment]
	w := call(t, s, anonymous, "GET", base, "")
	if err := json.Unmarshal(w.Body.Bytes(), &list); err != nil || w.Code != 200 || len(list.Items) != 1 || list.Items[0].Number != "16" {
		t.Fatalf("the commitments of the workshop waited for: %d %s", w.Code, w.Body)
	}
	contains(t, newBrowser(t, s).get("/p/"+link), "Suivre les engagements de mon atelier", "Me prévenir des changements")
	w = call(t, s, anonymous, "POST", base, fmt.Sprintf(`{"commitment_id":%d,"subscribed":true}`, list.Items[0].CommitmentID))
	if w.Code != 200 || !strings.Contains(w.Body.String(), `"subscribed":true`) {
		t.Fatalf("subscribe while waiting: %d %s", w.Code, w.Body)
	}
	if n := countTable(t, st, "status_subscriptions"); n != 1 {
		t.Errorf("%d subscriptions, want 1", n)
	}
}
