package api

import (
	"bytes"
	"net/http"

	"github.com/gin-gonic/gin"

	"fabrique/internal/fabrique"
	"fabrique/internal/pdf"
	"fabrique/internal/web/httpx"
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
		c.Header("Content-Disposition", `inline; filename="rapport-d-etape-`+httpx.FileSlug(f.Plan.Title)+`.pdf"`)
		c.Data(http.StatusOK, "application/pdf", buf.Bytes())
		return nil
	})
	s.api(g, route{method: "GET", path: "/action-plans/:id/open-data/:file", summary: "Données ouvertes du suivi : suivi.json, engagements.csv, jalons.csv, indicateurs.csv, commentaires.csv",
		tag: tagDocuments, auth: readAll}, func(c *gin.Context) error { return s.openDataFile(c, fu) })
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
