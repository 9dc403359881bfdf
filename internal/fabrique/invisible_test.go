package fabrique

import (
	"strings"
	"testing"
)

func TestInvisibleCharactersAreRefusedInNamesAndTitles(t *testing.T) {
	refused := map[string]string{
		"a right-to-left override":   "Atelier \u202Etxet\u202C",
		"a left-to-right embedding":  "\u202AAtelier",
		"a right-to-left isolate":    "Atelier \u2067x\u2069",
		"a first-strong isolate":     "\u2068Atelier\u2069",
		"a right-to-left mark":       "Atelier\u200F",
		"an Arabic letter mark":      "Atelier\u061C",
		"a zero-width space":         "Ate\u200Blier",
		"a word joiner":              "Ate\u2060lier",
		"a byte order mark":          "\uFEFFAtelier",
		"a soft hyphen":              "Ate\u00ADlier",
		"a C1 control":               "Atelier\u0085",
		"a line separator":           "Atelier\u2028deux",
		"an invisible tag character": "Atelier\U000E0041",
	}
	for name, title := range refused {
		t.Run(name+" is refused, naming the field in French", func(t *testing.T) {
			var p Problems
			p.Name("title", title)
			fs := ErrorFields(p.Err())
			if len(fs) != 1 || fs[0].Field != "title" || !strings.Contains(fs[0].Message, "caractère invisible interdit (U+") {
				t.Errorf("%q: %+v", title, fs)
			}
			var q Problems
			q.Text("text", "Première ligne\n"+title)
			if fs := ErrorFields(q.Err()); len(fs) != 1 || fs[0].Field != "text" {
				t.Errorf("in a free text %q: %+v", title, fs)
			}
		})
	}
	for _, ok := range []string{"Atelier « ouverture » – n° 3", "L’État ouvert", "👩‍💻 Données", "مرحبا", "Zoé\u00A0Durand"} {
		var p Problems
		p.Name("title", ok)
		if err := p.Err(); err != nil {
			t.Errorf("%q refused: %v", ok, err)
		}
	}
	r := &RegistrationRequest{Name: "Léa \u202EnitraM", Email: "lea@exemple.fr", Category: CategoryCitizen, Consent: true}
	if fs := fieldsOf(r.Validate()); len(fs) != 1 || fs[0] != "name" {
		t.Errorf("a registration with an override in its name: %v", fs)
	}
}
