package api

import (
	"fabrique/internal/web/httpx"
	"net/http"

	"github.com/gin-gonic/gin"
)

// mountRegistrationResend registers POST /registrations/{id}/resend: staff
// send a participant's invitation again (the registrations page's
// « Renvoyer l'invitation » calls the same store function).
func (s *Server) mountRegistrationResend(g *gin.RouterGroup) {
	s.api(g, route{method: "POST", path: "/registrations/:id/resend", status: http.StatusNoContent, tag: "Inscriptions", auth: staffOfHost,
		summary: "Renvoyer son invitation à un participant inscrit (même UID, même lien personnel)"}, func(c *gin.Context) error {
		id, err := httpx.PathID(c, "id")
		if err != nil {
			return err
		}
		if err := s.Store.Enrolments().ResendInvitation(c.Request.Context(), id); err != nil {
			return err
		}
		c.Status(http.StatusNoContent)
		return nil
	})
}
