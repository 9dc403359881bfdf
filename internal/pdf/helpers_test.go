package pdf

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// requireTool fails the test when an external tool is missing.
func requireTool(t testing.TB, name, pkg string) {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		t.Fatalf("%s not found: install %s (e.g. apt-get install %s)", name, pkg, pkg)
	}
}

func requirePoppler(t testing.TB) {
	requireTool(t, "pdftotext", "poppler-utils")
	requireTool(t, "pdfinfo", "poppler-utils")
}

// run runs a command and returns its standard output.
func run(t testing.TB, name string, args ...string) string {
	t.Helper()
	var out, errb bytes.Buffer
	cmd := exec.Command(name, args...)
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %s: %v\n%s%s", name, strings.Join(args, " "), err, out.String(), errb.String())
	}
	return out.String()
}

// writeKitFile writes the kit to a temporary file and returns its path.
func writeKitFile(t testing.TB, k *Kit) string {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteKit(&buf, k); err != nil {
		t.Fatalf("WriteKit: %v", err)
	}
	return writeFile(t, "kit.pdf", buf.Bytes())
}

// writeMinutesFile writes the minutes to a temporary file.
func writeMinutesFile(t testing.TB, m *Minutes) string {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteMinutes(&buf, m); err != nil {
		t.Fatalf("WriteMinutes: %v", err)
	}
	return writeFile(t, "compte-rendu.pdf", buf.Bytes())
}

func writeFile(t testing.TB, name string, b []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// pageTexts extracts every page with pdftotext (-layout or plain) and
// returns one string per page.
func pageTexts(t testing.TB, path string, layout bool) []string {
	t.Helper()
	requirePoppler(t)
	args := []string{"-enc", "UTF-8", path, "-"}
	if layout {
		args = append([]string{"-layout"}, args...)
	}
	pages := strings.Split(run(t, "pdftotext", args...), "\f")
	if n := len(pages); n > 0 && strings.TrimSpace(pages[n-1]) == "" {
		pages = pages[:n-1]
	}
	return pages
}

// cropText extracts the text of an area of one page, in millimetres.
func cropText(t testing.TB, path string, page int, x, y, w, h float64) string {
	t.Helper()
	pt := func(mm float64) string { return strconv.Itoa(int(mm * 72 / 25.4)) }
	p := strconv.Itoa(page)
	return run(t, "pdftotext", "-enc", "UTF-8", "-f", p, "-l", p,
		"-x", pt(x), "-y", pt(y), "-W", pt(w), "-H", pt(h), path, "-")
}

// numPages returns the page count reported by pdfinfo.
func numPages(t testing.TB, path string) int {
	t.Helper()
	info := pdfInfo(t, path)
	n, err := strconv.Atoi(info["Pages"])
	if err != nil {
		t.Fatalf("pdfinfo Pages %q: %v", info["Pages"], err)
	}
	return n
}

// pdfInfo returns the fields printed by pdfinfo.
func pdfInfo(t testing.TB, path string) map[string]string {
	t.Helper()
	requirePoppler(t)
	out := run(t, "pdfinfo", "-enc", "UTF-8", path)
	info := map[string]string{}
	for _, line := range strings.Split(out, "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok {
			info[strings.TrimSpace(k)] = strings.TrimSpace(v)
		}
	}
	return info
}

var spaces = regexp.MustCompile(`\s+`)

// norm turns no-break spaces into spaces and collapses white space, so
// that wrapped text compares with the string it came from.
func norm(s string) string {
	s = strings.NewReplacer("\u202f", " ", "\u00a0", " ").Replace(s)
	return strings.TrimSpace(spaces.ReplaceAllString(s, " "))
}

// word is a word of pdftotext -bbox output, in points.
type word struct {
	page                   int
	xMin, yMin, xMax, yMax float64
	text                   string
}

var (
	pageRe = regexp.MustCompile(`<page width="([\d.]+)" height="([\d.]+)">`)
	wordRe = regexp.MustCompile(`<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>`)
)

// pageSize is a page's width and height in points.
type pageSize struct{ w, h float64 }

// bboxWords returns every word with its box, and the page sizes.
func bboxWords(t testing.TB, path string) ([]word, []pageSize) {
	t.Helper()
	requirePoppler(t)
	out := run(t, "pdftotext", "-enc", "UTF-8", "-bbox", path, "-")
	var words []word
	var sizes []pageSize
	for _, chunk := range strings.Split(out, "<page ")[1:] {
		m := pageRe.FindStringSubmatch("<page " + chunk)
		if m == nil {
			t.Fatalf("unexpected pdftotext -bbox output")
		}
		sizes = append(sizes, pageSize{atof(m[1]), atof(m[2])})
		for _, w := range wordRe.FindAllStringSubmatch(chunk, -1) {
			words = append(words, word{len(sizes), atof(w[1]), atof(w[2]), atof(w[3]), atof(w[4]), w[5]})
		}
	}
	return words, sizes
}

func atof(s string) float64 {
	f, _ := strconv.ParseFloat(s, 64)
	return f
}

// mm converts millimetres to points.
func mm(v float64) float64 { return v * 72 / 25.4 }

// assertInsidePages checks that no word sticks out of the page margins.
func assertInsidePages(t *testing.T, path string) {
	t.Helper()
	words, sizes := bboxWords(t, path)
	if len(words) == 0 {
		t.Fatal("no text extracted")
	}
	for _, w := range words {
		s := sizes[w.page-1]
		if w.xMin < mm(marginLeft)-1 || w.xMax > s.w-mm(marginRight)+1 || w.yMin < 0 || w.yMax > s.h {
			t.Errorf("page %d: word %q at x %.1f–%.1f, y %.1f–%.1f sticks out of the %.0f×%.0f page margins",
				w.page, w.text, w.xMin, w.xMax, w.yMin, w.yMax, s.w, s.h)
		}
	}
}

// findPages returns the 1-based numbers of the pages whose normalised
// text contains every one of subs.
func findPages(pages []string, subs ...string) []int {
	var out []int
	for i, p := range pages {
		np := norm(p)
		ok := true
		for _, s := range subs {
			if !strings.Contains(np, norm(s)) {
				ok = false
				break
			}
		}
		if ok {
			out = append(out, i+1)
		}
	}
	return out
}
