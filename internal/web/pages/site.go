package pages

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"fabrique/internal/fabrique"
)

// The pages every French public site links from its footer: the
// accessibility statement (RGAA 4.1 model), the legal notice, the public
// part of the register of processing, and the site map.

// mountSitePages registers the footer's pages; they are public.
func (s *Server) mountSitePages() {
	g := s.Engine
	g.GET("/accessibilite", s.page(s.sitePage("accessibility.html", "Déclaration d'accessibilité", nil)))
	g.GET("/mentions-legales", s.page(s.sitePage("legal.html", "Mentions légales", nil)))
	g.GET("/donnees-personnelles", s.page(s.sitePage("personal_data.html", "Données personnelles", func() any { return fabrique.ProcessingRegister() })))
	g.GET("/plan-du-site", s.page(s.sitePage("sitemap.html", "Plan du site", nil)))
}

// sitePage renders one of the footer's pages with optional data.
func (s *Server) sitePage(page, title string, data func() any) func(*gin.Context) error {
	return func(c *gin.Context) error {
		v := &view{Title: title}
		if data != nil {
			v.Data = data()
		}
		return s.render(c, http.StatusOK, page, v)
	}
}
