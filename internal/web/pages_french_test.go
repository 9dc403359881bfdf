package web_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"fabrique/internal/fabrique"
)

// French wording (issue 15): every template and every string of the Go
// code is scanned for « de » not elided before a vowel (« de obtenir »),
// « (s) » plurals (« conflit(s) »), internal names in messages
// (« (online_url) », « [online_without_link:programme_item#11] »), and
// « de %s » built at run time without fabrique.De.

var (
	deVowel     = regexp.MustCompile(`(?i)(?:^|[^\p{L}'’])(de|que) (\p{L}[\p{L}-]*)`)
	parenPlural = regexp.MustCompile(`\p{L}\((s|x|e|es|le|ne|rice)\)`)
	internalKey = regexp.MustCompile(`\([a-z]+(?:_[a-z]+)+\)|\[[a-z_]+:[a-z_]+#\d*`)
	deFormat    = regexp.MustCompile(`(?:^|[^\p{L}'’])(de|que) %[sv]`)
	sqlText     = regexp.MustCompile(`^\s*(SELECT|INSERT|UPDATE|DELETE|CREATE|WITH|ALTER|PRAGMA|DROP)\b`)
)

// deFormatsAllowed are the « de %s » whose argument never starts with a
// letter that elides (a time, a path, an address), each with its reason.
var deFormatsAllowed = map[string]string{
	"L'horaire passe de %s – %s à %s – %s.": "times",
	"L'horaire passe de %s à %s.":           "times",
	"%s de %s à %s":                         "times",
	"démarrage de %s : %w":                  "a path",
	"Copie cohérente de %s écrite dans %s (intégrité vérifiée).\n": "a path",
	"-o : écriture de %s impossible : %s":                          "a path",
	"Mot de passe de %s changé ; ses sessions sont fermées.\n":     "an email address",
}

// frenchProblems lists what is wrong in one piece of French text.
func frenchProblems(s string) []string {
	var out []string
	for _, m := range deVowel.FindAllStringSubmatch(s, -1) {
		if fabrique.Elides(m[2]) && !strings.EqualFold(m[2], "user") {
			out = append(out, "« "+m[1]+" "+m[2]+" » : élidez (« "+string([]rune(m[1])[:len([]rune(m[1]))-1])+"'"+m[2]+" »)")
		}
	}
	for _, m := range parenPlural.FindAllString(s, -1) {
		if !strings.Contains(s, "http(s)") {
			out = append(out, "« "+m+" » : écrivez le pluriel selon le nombre")
		}
	}
	for _, m := range internalKey.FindAllString(s, -1) {
		out = append(out, "« "+m+" » : un nom interne dans un message")
	}
	return out
}

func TestFrenchWordingOfTemplatesAndMessages(t *testing.T) {
	for _, bad := range []string{"Votre rôle ne vous permet pas de approuver ce compte rendu.", "afin de obtenir le kit",
		"Publication refusée : 3 conflit(s) à résoudre.", "réessayez dans 4 seconde(s).", "un lien de visioconférence (online_url).",
		"« Accueil » a lieu en ligne. [online_without_link:programme_item#11]"} {
		if len(frenchProblems(bad)) == 0 {
			t.Errorf("the scan misses %q", bad)
		}
	}
	for _, good := range []string{"Votre rôle ne vous permet pas d'approuver ce compte rendu.", "en situation de handicap", "1 conflit, 3 secondes", "http(s)://hôte"} {
		if p := frenchProblems(good); len(p) > 0 {
			t.Errorf("the scan refuses %q: %v", good, p)
		}
	}
	root := filepath.Join("..", "..")
	// Every template.
	err := filepath.WalkDir(filepath.Join(root, "templates"), func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !(strings.HasSuffix(path, ".html") || strings.HasSuffix(path, ".txt")) {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for i, line := range strings.Split(string(b), "\n") {
			for _, p := range frenchProblems(line) {
				t.Errorf("%s:%d: %s", path, i+1, p)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Every string of the Go code (messages, labels, catalogues), tests
	// and the API's documentation of its codes aside.
	fset := token.NewFileSet()
	scanned := 0
	for _, dir := range []string{"internal", "cmd"} {
		err := filepath.WalkDir(filepath.Join(root, dir), func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") ||
				strings.HasPrefix(d.Name(), "openapi") || strings.Contains(path, "testdata") {
				return err
			}
			f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
			if err != nil {
				return err
			}
			ast.Inspect(f, func(n ast.Node) bool {
				lit, ok := n.(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					return true
				}
				s, err := strconv.Unquote(lit.Value)
				if err != nil || sqlText.MatchString(s) { // SQL names its columns
					return true
				}
				scanned++
				where := fset.Position(lit.Pos()).String()
				for _, p := range frenchProblems(s) {
					t.Errorf("%s: %s", where, p)
				}
				if deFormat.MatchString(s) {
					if _, ok := deFormatsAllowed[s]; !ok {
						t.Errorf("%s: %q : « de %%s » ne s'élide pas tout seul ; écrivez fabrique.De(…) (ou dites ici pourquoi l'argument ne commence jamais par une voyelle)", where, s)
					}
				}
				return true
			})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if scanned < 1000 {
		t.Errorf("only %d strings scanned", scanned)
	}
}

// The refusals of the policy are built from its labels: each reads as French.
func TestEveryRefusalOfThePolicyIsElided(t *testing.T) {
	u := &fabrique.User{ID: 1, Role: fabrique.RoleFacilitator}
	for _, r := range fabrique.Policy {
		msg := fabrique.ErrorMessage(fabrique.Authorize(u, r.Object, r.Action, fabrique.Owner{Orgs: []int64{9}}))
		if r.Facilitator != nil && fabrique.Can(u, r.Object, r.Action, fabrique.Owner{Orgs: []int64{9}}) {
			continue
		}
		if p := frenchProblems(msg); len(p) > 0 || !strings.HasPrefix(msg, "Votre rôle ne vous permet pas d") {
			t.Errorf("%q: %v", msg, p)
		}
	}
	if msg := fabrique.ErrorMessage(fabrique.Authorize(u, fabrique.ObjMinutes, fabrique.ActApprove, fabrique.Owner{Orgs: []int64{9}})); !strings.Contains(msg, "pas d'approuver") {
		t.Errorf("%q", msg)
	}
}
