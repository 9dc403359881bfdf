package api

import (
	"fabrique/internal/fabrique"
	"net/http"
	"reflect"

	"github.com/gin-gonic/gin"
)

// mountParticipantAddress registers the change of address of a
// participant, from their private link: the link they used dies, the new
// one is mailed to the new address only, and the old address is told,
// without link (issue 11).
func (s *Server) mountParticipantAddress(g *gin.RouterGroup) {
	s.api(g, route{method: "POST", path: "/p/:token/email", summary: "Changer l'adresse électronique de son inscription (le nouveau lien part à la nouvelle adresse)",
		tag: "Inscriptions", auth: byToken, body: reflect.TypeOf(fabrique.EmailChange{}), reply: reflect.TypeOf(fabrique.AddressChange{})},
		func(c *gin.Context) error {
			var ch fabrique.EmailChange
			if err := decodeJSON(c, &ch); err != nil {
				return err
			}
			a, err := s.Store.Enrolments().ChangeEmail(c.Request.Context(), c.Param("token"), ch.Email)
			return reply(c, http.StatusOK, a, err)
		})
}
