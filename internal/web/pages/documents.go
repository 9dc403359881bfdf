package pages

import (
	"bytes"
	"context"
	"fabrique/internal/fabrique"
	"fabrique/internal/pdf"
	"fabrique/internal/web/httpx"
	"fabrique/templates"
	"fmt"
	"html/template"
	"maps"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
)

// The HTML twins of the printed documents: the kit, the minutes and the
// progress report of a plan, rendered from the templates of
// templates/documents with the wording of the PDF.

// mountDocumentPages registers the HTML twins; they answer errors as
// French pages, like every page.
func (s *Server) mountDocumentPages(m fabrique.MinutesService) {
	s.Engine.GET("/events/:id/kit", s.page(func(c *gin.Context) error {
		return s.documentPage(c, m.KitFile, "kit.html", func(f *fabrique.EventFile) any { return kitPage{Kit: pdf.KitFrom(f), Questions: pdf.Questions} })
	}))
	s.Engine.GET("/events/:id/minutes", s.page(func(c *gin.Context) error {
		return s.documentPage(c, m.MinutesFile, "minutes.html", func(f *fabrique.EventFile) any {
			return minutesPage{Minutes: pdf.MinutesFrom(f), State: f.Minutes.State}
		})
	}))
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
	id, err := httpx.PathID(c, "id")
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

// commentCount counts the published comments and the carriers' answers.
type commentCount struct{ Comments, Answers int }

// Summary says the counts in French: « 1 commentaire publié, aucune réponse du porteur. ».
func (n commentCount) Summary() string { return fabrique.CommentSummary(n.Comments, n.Answers) }

var progressFuncs = template.FuncMap{
	"civil":          pdf.CivilDate,
	"milestoneState": pdf.MilestoneState,
	"indicatorLine":  pdf.IndicatorLine,
	"number":         pdf.NumberFR,
	"discussed":      pdf.DiscussedLabel,
	"groups":         pdf.GroupContributions,
	"principle":      pdf.PrincipleLabel,
	"statusCounts":   pdf.StatusCounts,
	"lastChange": func(r *fabrique.CommitmentRecord) *fabrique.StatusChange {
		if len(r.History) == 0 {
			return nil
		}
		return r.History[len(r.History)-1]
	},
	"commentCounts": countComments,
}

func countComments(r *fabrique.CommitmentRecord) commentCount {
	var n commentCount
	for _, c := range r.Comments {
		if c.State != fabrique.CommentPublished {
			continue
		}
		if c.CarrierAnswer {
			n.Answers++
		} else {
			n.Comments++
		}
	}
	return n
}

var (
	reportOnce sync.Once
	reportView *template.Template
	reportErr  error
)

// RenderProgressHTML writes the HTML twin of a plan's progress report.
func RenderProgressHTML(f *fabrique.PlanFollowUp) ([]byte, error) {
	reportOnce.Do(func() {
		funcs := maps.Clone(docFuncs)
		maps.Copy(funcs, progressFuncs)
		reportView, reportErr = template.New("progress.html").Funcs(funcs).ParseFS(templates.FS, "documents/style.html", "documents/progress.html")
		if reportErr != nil {
			reportErr = fmt.Errorf("web: template documents/progress.html: %w", reportErr)
		}
	})
	if reportErr != nil {
		return nil, reportErr
	}
	var buf bytes.Buffer
	err := reportView.Execute(&buf, f)
	return buf.Bytes(), err
}

// progressPage answers the HTML twin of the progress report.
func (s *Server) progressPage(c *gin.Context) error {
	f, err := s.publicFollowUp(c, s.Store.FollowUp())
	if err != nil {
		return err
	}
	b, err := RenderProgressHTML(f)
	if err != nil {
		return err
	}
	c.Data(http.StatusOK, "text/html; charset=utf-8", b)
	return nil
}

// publicFollowUp reads a plan's follow-up as a visitor sees it (published
// comments only), whoever asks: documents are public.
func (s *Server) publicFollowUp(c *gin.Context, fu fabrique.FollowUpService) (*fabrique.PlanFollowUp, error) {
	id, err := httpx.PathID(c, "id")
	if err != nil {
		return nil, err
	}
	return fu.Plan(fabrique.WithUser(c.Request.Context(), nil), id, "")
}
