package web_test

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// The house (issue 12): the API and the pages never import each other;
// the plumbing imports neither; each package says what it is for; no
// source file grows past about 600 lines.
func TestTheAPIAndThePagesStandApart(t *testing.T) {
	forbidden := map[string][]string{
		"api":   {"fabrique/internal/web/pages", "fabrique/internal/web\""},
		"pages": {"fabrique/internal/web/api", "fabrique/internal/web\""},
		"httpx": {"fabrique/internal/web/api", "fabrique/internal/web/pages", "fabrique/internal/web\""},
	}
	for dir, banned := range forbidden {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil || len(files) == 0 {
			t.Fatalf("%s: no source (%v)", dir, err)
		}
		documented := false
		for _, f := range files {
			src, err := parser.ParseFile(token.NewFileSet(), f, nil, parser.ImportsOnly|parser.ParseComments)
			if err != nil {
				t.Fatal(err)
			}
			if src.Doc != nil && strings.HasPrefix(src.Doc.Text(), "Package "+dir+" ") && strings.Contains(src.Doc.Text(), "import") {
				documented = true
			}
			for _, imp := range src.Imports {
				path, _ := strconv.Unquote(imp.Path.Value)
				for _, b := range banned {
					if path+"\"" == b || path == b {
						t.Errorf("%s imports %s", f, path)
					}
				}
			}
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if n := strings.Count(string(b), "\n"); n > 650 {
				t.Errorf("%s has %d lines: split it where its parts differ", f, n)
			}
		}
		if !documented {
			t.Errorf("package %s has no doc comment saying what it is for and what it may import", dir)
		}
	}
}
