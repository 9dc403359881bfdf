package web_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// TestTheOrganisationTypedAtRegistrationIsPrinted registers three people
// to a workshop of the demo forum, each typing their organisation (two the
// same one, written differently), ticks them present, and reads the
// attendance page's data, the kit's sign-in sheet and badges, and the
// minutes, which count the organisations represented.
func TestTheOrganisationTypedAtRegistrationIsPrinted(t *testing.T) {
	s, _ := newServer(t)
	for _, p := range []struct{ name, email, org string }{
		{"Aïcha Benali", "aicha@exemple.fr", "Association Regards Citoyens"},
		{"Bruno Petit", "bruno@exemple.fr", "Mairie de Lyon"},
		{"Chloé Durand", "chloe@exemple.fr", "association  regards citoyens"},
	} {
		w := call(t, s, anonymous, "POST", "/api/v1/events/2/register",
			fmt.Sprintf(`{"name":%q,"email":%q,"category":"civil_society","organisation":%q,"workshop_id":6,"consent":true}`, p.name, p.email, p.org))
		if w.Code != 201 {
			t.Fatalf("register %s: %d %s", p.name, w.Code, w.Body)
		}
	}

	w := call(t, s, orgForum, "GET", "/api/v1/workshops/6/attendance", "")
	var att struct {
		Attendees []struct {
			RegistrationID int64  `json:"registration_id"`
			Name           string `json:"name"`
			Organisation   string `json:"organisation"`
		} `json:"attendees"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &att); err != nil || w.Code != 200 {
		t.Fatalf("attendance: %d %s", w.Code, w.Body)
	}
	var ids []string
	for _, a := range att.Attendees {
		if a.Name == "Bruno Petit" && a.Organisation != "Mairie de Lyon" {
			t.Errorf("the attendance shows Bruno Petit of %q, want the organisation he typed", a.Organisation)
		}
		ids = append(ids, fmt.Sprint(a.RegistrationID))
	}
	if len(ids) != 3 {
		t.Fatalf("%d attendees, want 3", len(ids))
	}
	if w := call(t, s, orgForum, "POST", "/api/v1/workshops/6/attendance", `{"registration_ids":[`+strings.Join(ids, ",")+`],"attended":true}`); w.Code != 200 {
		t.Fatalf("tick: %d %s", w.Code, w.Body)
	}

	kit := call(t, s, orgForum, "GET", "/api/v1/events/2/kit.pdf", "")
	if kit.Code != 200 {
		t.Fatalf("kit: %d", kit.Code)
	}
	var sheet, badges bool
	for _, p := range pdfPages(t, kit.Body.Bytes()) {
		if !strings.Contains(p, "Bruno Petit") {
			continue
		}
		if strings.Contains(p, "Feuille d'émargement") {
			sheet = strings.Contains(p, "Mairie de Lyon")
		} else if !strings.Contains(p, "Fiche") {
			badges = badges || strings.Contains(p, "Mairie de Lyon")
		}
	}
	if !sheet || !badges {
		t.Errorf("the typed organisation on the sign-in sheet: %v, on the badge: %v", sheet, badges)
	}

	minutes := call(t, s, orgForum, "GET", "/events/2/minutes", "").Body.String()
	want := "2 organisations représentées : Association Regards Citoyens et Mairie de Lyon."
	if n := strings.Count(minutes, want); n != 2 {
		t.Errorf("the minutes say %d times %q (want the event and the workshop)", n, want)
	}
	pdf := call(t, s, orgForum, "GET", "/api/v1/events/2/minutes.pdf", "")
	if text := strings.Join(pdfPages(t, pdf.Body.Bytes()), "\n"); !strings.Contains(strings.ReplaceAll(text, "\u202f", " "), want) {
		t.Errorf("the PDF minutes lack %q", want)
	}
}
