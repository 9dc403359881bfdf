package web_test

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"fabrique/internal/fabrique"
	"fabrique/internal/web"
)

// privacyExpectation returns the request and the expected statuses of the
// routes of personal data (issue 7); ok is false for the other routes.
// Routes of a private link are called with an unknown link here: the
// participant's own use is in TestAParticipantDownloadsAndErasesTheirData.
func privacyExpectation(method, path string) (url, body string, e expect, ok bool) {
	switch method + " " + path {
	case "GET /api/v1/p/:token/data":
		return "/api/v1/p/p_inconnu/data", "", all(404), true
	case "POST /api/v1/p/:token/erase":
		return "/api/v1/p/p_inconnu/erase", "", all(404), true
	case "GET /api/v1/people/:id/personal-data":
		return "/api/v1/people/1/personal-data", "", adminWrite(200), true
	case "POST /api/v1/people/:id/erase":
		return "/api/v1/people/1/erase", "", adminWrite(200), true
	case "GET /api/v1/events/:id/retention", "PUT /api/v1/events/:id/retention":
		return "/api/v1/events/1/retention", "", sereWrite(200), true
	case "GET /api/v1/events/:id/changes", "POST /api/v1/events/:id/changes/release":
		return "/api/v1/events/1/changes" + map[string]string{"GET": "", "POST": "/release"}[method], "", sereWrite(200), true
	case "GET /api/v1/events/:id/changes/settings", "PUT /api/v1/events/:id/changes/settings":
		return "/api/v1/events/1/changes/settings", `{"delay_minutes":30,"reminder_days":2}`, sereWrite(200), true
	case "GET /api/v1/privacy/register":
		return path, "", byPolicy(fabrique.ObjService, fabrique.ActRead, shared, 200, 401), true
	case "GET /staff/privacy":
		return path, "", byPolicy(fabrique.ObjService, fabrique.ActRead, shared, 200, 303), true
	}
	return "", "", nil, false
}

// lockedBuffer is a log destination safe for concurrent handlers.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func TestAParticipantDownloadsAndErasesTheirData(t *testing.T) {
	_, st := newServer(t)
	logs := &lockedBuffer{}
	s := web.New(st, slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})), web.Config{BaseURL: "http://fabrique.test"})
	const name, email = "Clémence Vasseur-Quintin", "clemence.vq@exemple.fr"
	w := call(t, s, anonymous, "POST", "/api/v1/events/2/register", `{"name":"`+name+`","email":"`+email+`","category":"citizen","workshop_id":7,"consent":true}`)
	if w.Code != 201 {
		t.Fatalf("register: %d %s", w.Code, w.Body)
	}
	// The link is in the invitation: sent to a real SMTP server on loopback.
	links := mailedLinks(drainOutbox(t, st, 0))[email]
	msgs, err := st.Outbox().ListOutbox(staffCtx(), fabrique.ListOptions{Limit: 10, Filters: map[string]string{"recipient": email}})
	if err != nil || len(msgs.Items) == 0 || len(links) != 1 {
		t.Fatalf("outbox: %v %+v", err, msgs)
	}
	base := "/api/v1/p/" + links[0]
	var regID int64
	// Mistakes and staff reads that name the person, to fill the logs.
	call(t, s, anonymous, "POST", "/api/v1/events/2/register", `{"name":"`+name+`","email":"`+email+`x","category":"citizen","consent":false}`)
	call(t, s, admin, "GET", "/api/v1/registrations?event_id=2", "")
	call(t, s, admin, "GET", "/api/v1/outbox?recipient="+email, "")
	call(t, s, admin, "GET", "/api/v1/people?q="+strings.ReplaceAll(name, " ", "+"), "")
	call(t, s, anonymous, "POST", base+"/workshop", `{"workshop_id":99999}`)

	t.Run("the download has everything, as an attachment, never cached", func(t *testing.T) {
		w := call(t, s, anonymous, "GET", base+"/data", "")
		var d fabrique.PersonalData
		if err := json.Unmarshal(w.Body.Bytes(), &d); err != nil || w.Code != 200 {
			t.Fatalf("data: %d %s", w.Code, w.Body)
		}
		if d.Person.Email != email || d.Person.Name != name || len(d.Registrations) != 1 || d.Registrations[0].ID == 0 ||
			!d.Registrations[0].Consent || len(d.Messages) == 0 || d.Processing == "" {
			t.Errorf("data %+v", d)
		}
		if len(d.Registrations) > 0 {
			regID = d.Registrations[0].ID
		}
		if !strings.HasPrefix(w.Header().Get("Content-Disposition"), "attachment") || w.Header().Get("Cache-Control") != "no-store" ||
			w.Header().Get("Referrer-Policy") != "no-referrer" {
			t.Errorf("headers %v", w.Header())
		}
	})
	t.Run("the erasure answers what was done and the link stops working", func(t *testing.T) {
		w := call(t, s, anonymous, "POST", base+"/erase", "")
		var e fabrique.Erasure
		json.Unmarshal(w.Body.Bytes(), &e)
		if w.Code != 200 || e.Registrations != 1 || e.Cancelled != 1 || e.People != 1 {
			t.Fatalf("erase: %d %s", w.Code, w.Body)
		}
		if w := call(t, s, anonymous, "GET", base, ""); w.Code != 404 {
			t.Errorf("the link after erasure: %d", w.Code)
		}
		w = call(t, s, admin, "GET", "/api/v1/registrations/"+jsonInt(regID), "")
		if w.Code != 200 || strings.Contains(w.Body.String(), "Clémence") || !strings.Contains(w.Body.String(), `"status":"cancelled"`) {
			t.Errorf("the registration after erasure: %d %s", w.Code, w.Body)
		}
	})
	t.Run("no name or address ever reached the logs", func(t *testing.T) {
		out := logs.String()
		if strings.Count(out, `"msg":"request"`) < 9 {
			t.Fatalf("the requests were not logged: %s", out)
		}
		for _, s := range []string{email, "clemence", "Clémence", "Vasseur", links[0]} {
			if strings.Contains(out, s) {
				t.Errorf("the logs hold %q:\n%s", s, out)
			}
		}
	})
}

func TestAdministratorsActOnRequestAndReadTheRegister(t *testing.T) {
	s, st := newServer(t)
	p, err := st.People().List(staffCtx(), fabrique.ListOptions{Filters: map[string]string{"q": "Camille Participante"}})
	if err != nil || len(p.Items) != 1 {
		t.Fatalf("Camille: %v", err)
	}
	id := jsonInt(p.Items[0].ID)
	w := call(t, s, admin, "GET", "/api/v1/people/"+id+"/personal-data", "")
	if w.Code != 200 || !strings.Contains(w.Body.String(), "camille@exemple.fr") {
		t.Fatalf("data: %d %s", w.Code, w.Body)
	}
	if w := call(t, s, orgSERE, "POST", "/api/v1/people/"+id+"/erase", ""); w.Code != 403 {
		t.Errorf("an organiser erases: %d", w.Code)
	}
	w = call(t, s, admin, "POST", "/api/v1/people/"+id+"/erase", "")
	if w.Code != 200 || !strings.Contains(w.Body.String(), `"people":1`) {
		t.Errorf("erase: %d %s", w.Code, w.Body)
	}
	if w := call(t, s, admin, "GET", "/api/v1/people/"+id+"/personal-data", ""); w.Code != 404 {
		t.Errorf("the person after erasure: %d", w.Code)
	}
	t.Run("the retention of an event is read and changed by its staff, within bounds", func(t *testing.T) {
		w := call(t, s, orgSERE, "PUT", "/api/v1/events/1/retention", `{"months":40}`)
		if p := problemOf(t, w); w.Code != 422 || len(p.Errors) != 1 || p.Errors[0].Field != "months" {
			t.Errorf("40 months: %d %+v", w.Code, p)
		}
		w = call(t, s, orgSERE, "PUT", "/api/v1/events/1/retention", `{"months":6}`)
		if w.Code != 200 || !strings.Contains(w.Body.String(), `"months":6`) || !strings.Contains(w.Body.String(), `"purge_after":"2016-12-21T`) {
			t.Errorf("6 months: %d %s", w.Code, w.Body)
		}
	})
	t.Run("the register of processing is served to administrators as JSON and as a page", func(t *testing.T) {
		w := call(t, s, admin, "GET", "/api/v1/privacy/register", "")
		if w.Code != 200 || !strings.Contains(w.Body.String(), "Inscriptions aux événements") || !strings.Contains(w.Body.String(), "12 mois") {
			t.Errorf("register: %d %s", w.Code, w.Body)
		}
		b := signedIn(t, s)
		page := b.get("/staff/privacy")
		if page.Code != 200 {
			t.Fatalf("page: %d", page.Code)
		}
		contains(t, page, "<h1>Registre des traitements</h1>", "Durée de conservation", "Qui peut les voir")
	})
}
