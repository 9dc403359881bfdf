package api

import (
	"bytes"
	"context"
	"net/http"
	"reflect"

	"github.com/gin-gonic/gin"

	"fabrique/internal/fabrique"
	"fabrique/internal/pdf"
	"fabrique/internal/web/httpx"
)

// mountDocuments registers the kit and the minutes as PDF (their HTML
// twins are pages), and the open data of published contributions.
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
		c.Header("Content-Disposition", `inline; filename="`+httpx.FileSlug(f.Event.Title)+`-contributions.json"`)
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
		c.Header("Content-Disposition", `attachment; filename="`+httpx.FileSlug(f.Event.Title)+`-contributions.csv"`)
		c.Data(http.StatusOK, "text/csv; charset=utf-8", b)
		return nil
	})
}

// publishedFile returns the minutes file of an event whose minutes are published.
func publishedFile(c *gin.Context, m fabrique.MinutesService) (*fabrique.EventFile, error) {
	id, err := httpx.PathID(c, "id")
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
	id, err := httpx.PathID(c, "id")
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
	c.Header("Content-Disposition", `inline; filename="`+name+"-"+httpx.FileSlug(f.Event.Title)+`.pdf"`)
	c.Header("Cache-Control", "private, no-store")
	c.Data(http.StatusOK, "application/pdf", buf.Bytes())
	return nil
}
