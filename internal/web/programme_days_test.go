package web_test

import (
	"regexp"
	"strings"
	"testing"
)

// TestAForumProgrammeNamesTheDayOfEachItem checks the HTML twins of the
// kit and of the minutes of the demo forum, whose launch (19 January) and
// forum day (28 January) are nine days apart: each row of the programme
// says its day, so that the two read as two days.
func TestAForumProgrammeNamesTheDayOfEachItem(t *testing.T) {
	s, _ := newServer(t)
	row := regexp.MustCompile(`<tr><th scope="row">([^<]*)<br>([^<]*)</th>\s*<td><strong>([^<]*)</strong>`)
	for _, doc := range []string{"kit", "minutes"} {
		t.Run("the "+doc, func(t *testing.T) {
			h := call(t, s, orgForum, "GET", "/events/2/"+doc, "")
			if h.Code != 200 {
				t.Fatalf("GET /events/2/%s = %d", doc, h.Code)
			}
			days := map[string]string{}
			for _, m := range row.FindAllStringSubmatch(h.Body.String(), -1) {
				days[m[3]] = m[1]
			}
			for title, day := range map[string]string{
				"Table ronde de lancement": "mardi 19 janvier 2027",
				"Temps 1":                  "jeudi 28 janvier 2027",
				"Temps 3":                  "jeudi 28 janvier 2027",
			} {
				found := false
				for t2, d := range days {
					if strings.HasPrefix(t2, title) {
						found = true
						if d != day {
							t.Errorf("%q is dated %q, want %q", t2, d, day)
						}
					}
				}
				if !found {
					t.Errorf("no dated programme row for %q in %v", title, days)
				}
			}
		})
	}
}
