package web

import (
	"bytes"
	"fmt"
	"html/template"
	"maps"
	"net/http"
	"sync"

	"github.com/gin-gonic/gin"

	"fabrique/internal/fabrique"
	"fabrique/internal/pdf"
	"fabrique/templates"
)

// mountFollowUpDocuments registers the progress report (PDF) and the open
// data of a plan's follow-up.
func (s *Server) mountFollowUpDocuments(g *gin.RouterGroup, fu fabrique.FollowUpService) {
	s.api(g, route{method: "GET", path: "/action-plans/:id/progress-report.pdf", summary: "Le rapport d'étape du plan d'action (PDF A4, sommaire, page X sur N)",
		tag: tagDocuments, auth: readAll}, func(c *gin.Context) error {
		f, err := s.publicFollowUp(c, fu)
		if err != nil {
			return err
		}
		var buf bytes.Buffer
		if err := pdf.WriteProgressReport(&buf, f); err != nil {
			return err
		}
		c.Header("Content-Disposition", `inline; filename="rapport-d-etape-`+fileSlug(f.Plan.Title)+`.pdf"`)
		c.Data(http.StatusOK, "application/pdf", buf.Bytes())
		return nil
	})
	s.api(g, route{method: "GET", path: "/action-plans/:id/open-data/:file", summary: "Données ouvertes du suivi : suivi.json, engagements.csv, jalons.csv, indicateurs.csv, commentaires.csv",
		tag: tagDocuments, auth: readAll}, func(c *gin.Context) error { return s.openDataFile(c, fu) })
}

// publicFollowUp reads a plan's follow-up as a visitor sees it (published
// comments only), whoever asks: documents are public.
func (s *Server) publicFollowUp(c *gin.Context, fu fabrique.FollowUpService) (*fabrique.PlanFollowUp, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return nil, err
	}
	return fu.Plan(fabrique.WithUser(c.Request.Context(), nil), id, "")
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
	f, err := s.publicFollowUp(c, s.store.FollowUp())
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
