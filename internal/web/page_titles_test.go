package web_test

import (
	"regexp"
	"testing"
)

// TestPageTitlesNameTheirEvent checks the document title (RGAA 8.6) of the
// pages that belong to one event: it names the event, so that a list of
// tabs, or a screen reader's announcement, says which event is open.
func TestPageTitlesNameTheirEvent(t *testing.T) {
	s, _ := newServer(t)
	b := signedIn(t, s)
	title := regexp.MustCompile(`<title>([^<]*)</title>`)
	for path, want := range map[string]string{
		"/staff/events/1/planning":              "Conflits et affectation — Ministère ouvert #1 — fabrique",
		"/staff/events/1/registration-settings": "Règles d&#39;inscription — Ministère ouvert #1 — fabrique",
		"/staff/events/2/partners":              "Communauté à mobiliser — Forum Open d&#39;État : la transparence des algorithmes publics — fabrique",
		"/staff/workshops/3/attendance":         "— Ministère ouvert #1 — fabrique",
		"/staff/events/1/registrations":         "Inscriptions : Ministère ouvert #1 — fabrique",
	} {
		w := b.get(path)
		m := title.FindStringSubmatch(w.Body.String())
		if w.Code != 200 || m == nil {
			t.Errorf("%s: %d, no title", path, w.Code)
			continue
		}
		if got := m[1]; !regexp.MustCompile(regexp.QuoteMeta(want) + `$`).MatchString(got) {
			t.Errorf("%s is titled %q, want it to end with %q", path, got, want)
		}
	}
}
