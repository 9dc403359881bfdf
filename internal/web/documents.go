package web

import (
	"bytes"
	"context"
	"fmt"
	"html/template"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"fabrique/internal/fabrique"
	"fabrique/internal/pdf"
	"fabrique/templates"
)

// mountDocuments registers the kit and the minutes as PDF and as their
// HTML twins, and the open data of published contributions.
func (s *Server) mountDocuments(g *gin.RouterGroup, m fabrique.MinutesService) {
	s.api(g, route{method: "GET", path: "/events/:id/kit.pdf", summary: "Le kit à imprimer de l'événement (PDF A4)", tag: tagDocuments, auth: readKit},
		func(c *gin.Context) error {
			return s.document(c, m.KitFile, "kit", func(f *fabrique.EventFile, b *bytes.Buffer) error { return pdf.WriteKit(b, pdf.KitFrom(f)) })
		})
	s.api(g, route{method: "GET", path: "/events/:id/minutes.pdf", summary: "Le compte rendu de l'événement (PDF A4)", tag: tagDocuments, auth: readMinutes},
		func(c *gin.Context) error {
			return s.document(c, m.MinutesFile, "compte-rendu", func(f *fabrique.EventFile, b *bytes.Buffer) error {
				return pdf.WriteMinutes(b, pdf.MinutesFrom(f))
			})
		})
	s.api(g, route{method: "GET", path: "/events/:id/contributions.json", summary: "Les contributions publiées de l'événement (données ouvertes, JSON)", tag: tagDocuments,
		auth: "public une fois le compte rendu publié", reply: reflect.TypeOf(openContribution{})}, func(c *gin.Context) error {
		f, err := publishedFile(c, m)
		if err != nil {
			return err
		}
		c.Header("Content-Disposition", `inline; filename="`+fileSlug(f.Event.Title)+`-contributions.json"`)
		c.JSON(http.StatusOK, openData(f))
		return nil
	})
	s.api(g, route{method: "GET", path: "/events/:id/contributions.csv", summary: "Les contributions publiées de l'événement (données ouvertes, CSV UTF-8)", tag: tagDocuments,
		auth: "public une fois le compte rendu publié"}, func(c *gin.Context) error {
		f, err := publishedFile(c, m)
		if err != nil {
			return err
		}
		b, err := writeCSV(openData(f))
		if err != nil {
			return err
		}
		c.Header("Content-Disposition", `attachment; filename="`+fileSlug(f.Event.Title)+`-contributions.csv"`)
		c.Data(http.StatusOK, "text/csv; charset=utf-8", b)
		return nil
	})
	// The HTML twins answer errors as French pages, like every page.
	s.engine.GET("/events/:id/kit", s.page(func(c *gin.Context) error {
		return s.documentPage(c, m.KitFile, "kit.html", func(f *fabrique.EventFile) any { return kitPage{Kit: pdf.KitFrom(f), Questions: pdf.Questions} })
	}))
	s.engine.GET("/events/:id/minutes", s.page(func(c *gin.Context) error {
		return s.documentPage(c, m.MinutesFile, "minutes.html", func(f *fabrique.EventFile) any {
			return minutesPage{Minutes: pdf.MinutesFrom(f), State: f.Minutes.State}
		})
	}))
}

// publishedFile returns the minutes file of an event whose minutes are published.
func publishedFile(c *gin.Context, m fabrique.MinutesService) (*fabrique.EventFile, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return nil, err
	}
	f, err := m.MinutesFile(c.Request.Context(), id)
	if err != nil {
		return nil, err
	}
	if f.Minutes.State != fabrique.MinutesPublished {
		return nil, fabrique.Errorf(fabrique.ENOTFOUND, "Les contributions de l'événement n° %d ne sont pas encore publiées.", id)
	}
	return f, nil
}

// document answers a PDF built from the event's file.
func (s *Server) document(c *gin.Context, load func(ctx context.Context, id int64) (*fabrique.EventFile, error), name string, write func(*fabrique.EventFile, *bytes.Buffer) error) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	f, err := load(c.Request.Context(), id)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := write(f, &buf); err != nil {
		return err
	}
	c.Header("Content-Disposition", `inline; filename="`+name+"-"+fileSlug(f.Event.Title)+`.pdf"`)
	c.Header("Cache-Control", "private, no-store")
	c.Data(http.StatusOK, "application/pdf", buf.Bytes())
	return nil
}

// kitPage is what templates/documents/kit.html receives.
type kitPage struct {
	Kit       *pdf.Kit
	Questions []string
}

// minutesPage is what templates/documents/minutes.html receives.
type minutesPage struct {
	Minutes *pdf.Minutes
	State   fabrique.MinutesState
}

var (
	documentViewsOnce sync.Once
	documentViews     map[string]*template.Template
	documentViewsErr  error
)

// docFuncs are the helpers of the document templates: the wording of the PDF.
var docFuncs = template.FuncMap{
	"date":      func(t time.Time) string { return fabrique.FrenchDate(t) },
	"dateRange": pdf.FrenchDateRange,
	"timeRange": pdf.FrenchTimeRange,
	"spansDays": pdf.SpansDays,
	"orgLine":   pdf.OrganisationsLine,
	"programmeWhen": func(it pdf.ProgrammeItem, withDay bool) template.HTML {
		return template.HTML(strings.ReplaceAll(template.HTMLEscapeString(pdf.ProgrammeWhen(it, withDay)), "\n", "<br>"))
	},
	"time":      func(t time.Time) string { return fabrique.FrenchTime(t) },
	"workshop":  pdf.WorkshopLabel,
	"commit":    pdf.CommitmentLabel,
	"join":      pdf.JoinFrench,
	"eventName": pdf.EventName,
	"phaseWhen": pdf.PhaseWhen,
	"timing":    func(w pdf.Workshop) []pdf.Step { return pdf.Timing(&w) },
	"paras":     docParagraphs,
	"blankRows": func(n int) []int { return make([]int, max(n, 5)) },
	"total": func(a []pdf.Attendance) int {
		n := 0
		for _, x := range a {
			n += x.Count
		}
		return n
	},
}

// docParagraphs splits a text at blank lines.
func docParagraphs(text string) []string {
	var out []string
	for _, p := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// parseDocuments parses each document template with the shared style, once.
func parseDocuments() (map[string]*template.Template, error) {
	documentViewsOnce.Do(func() {
		documentViews = map[string]*template.Template{}
		for _, name := range []string{"kit.html", "minutes.html"} {
			t, err := template.New(name).Funcs(docFuncs).ParseFS(templates.FS, "documents/style.html", "documents/"+name)
			if err != nil {
				documentViewsErr = fmt.Errorf("web: template documents/%s: %w", name, err)
				return
			}
			documentViews[name] = t
		}
	})
	return documentViews, documentViewsErr
}

// RenderKitHTML writes the HTML twin of a kit (used to compare with the
// PDF, and by the benchmark against a browser's print).
func RenderKitHTML(k *pdf.Kit) ([]byte, error) {
	views, err := parseDocuments()
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	err = views["kit.html"].Execute(&buf, kitPage{Kit: k, Questions: pdf.Questions})
	return buf.Bytes(), err
}

// documentPage renders the HTML twin of a document of the event.
func (s *Server) documentPage(c *gin.Context, load func(ctx context.Context, id int64) (*fabrique.EventFile, error), page string, data func(*fabrique.EventFile) any) error {
	views, err := parseDocuments()
	if err != nil {
		return err
	}
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	f, err := load(c.Request.Context(), id)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := views[page].Execute(&buf, data(f)); err != nil {
		return err
	}
	c.Header("Cache-Control", "private, no-store")
	c.Data(http.StatusOK, "text/html; charset=utf-8", buf.Bytes())
	return nil
}

// fileSlug turns a title into a file name: « Ministère ouvert #1 » → ministere-ouvert-1.
func fileSlug(title string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(slugFold.Replace(title)) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}

var slugFold = strings.NewReplacer("à", "a", "â", "a", "ç", "c", "é", "e", "è", "e", "ê", "e", "ë", "e", "î", "i", "ï", "i",
	"ô", "o", "ù", "u", "û", "u", "ü", "u", "œ", "oe", "É", "e", "È", "e", "À", "a", "Ç", "c", "Œ", "oe", "’", "-", "'", "-")
