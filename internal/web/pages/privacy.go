package pages

import (
	"fabrique/internal/fabrique"
	"net/http"

	"github.com/gin-gonic/gin"
)

// privacyPage shows the register of processing to administrators.
func (s *Server) privacyPage(c *gin.Context) error {
	if err := fabrique.AuthorizeService(fabrique.UserFrom(c.Request.Context()), fabrique.ActRead); err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "privacy.html", &view{Title: "Registre des traitements", Data: fabrique.ProcessingRegister(),
		Crumbs: []crumb{{Label: "Tableau de bord", Href: "/staff"}}})
}
