package api

import (
	"net/http"
	"reflect"

	"github.com/gin-gonic/gin"

	"fabrique/internal/fabrique"
	"fabrique/internal/web/httpx"
)

// Changes of a published event are gathered and told once (issue 15): the
// API lists what is pending and who will be told, releases it, and sets
// the quiet delay after which the changes go by themselves.

const changesTag = "Modifications annoncées aux participants"

func (s *Server) mountChanges(g *gin.RouterGroup) {
	s.api(g, route{method: "GET", path: "/events/:id/changes", summary: "Les modifications d'un événement publié qui n'ont pas encore été annoncées aux participants, et qui en sera informé",
		tag: changesTag, auth: staffOfHost, reply: reflect.TypeOf(fabrique.PendingChanges{})}, func(c *gin.Context) error {
		id, err := httpx.PathID(c, "id")
		if err != nil {
			return err
		}
		p, err := s.Store.Changes().PendingChanges(c.Request.Context(), id)
		return reply(c, http.StatusOK, p, err)
	})
	s.api(g, route{method: "POST", path: "/events/:id/changes/release", summary: "Publier les modifications : une mise à jour par participant et par rendez-vous, qui dit ce qui change",
		tag: changesTag, auth: staffOfHost, reply: reflect.TypeOf(fabrique.ChangeRelease{})}, func(c *gin.Context) error {
		id, err := httpx.PathID(c, "id")
		if err != nil {
			return err
		}
		r, err := s.Store.Changes().ReleaseChanges(c.Request.Context(), id)
		return reply(c, http.StatusOK, r, err)
	})
	s.api(g, route{method: "GET", path: "/events/:id/changes/settings", summary: "Le délai sans modification après lequel les modifications partent d'elles-mêmes",
		tag: changesTag, auth: staffOfHost, reply: reflect.TypeOf(fabrique.ChangeSettings{})}, func(c *gin.Context) error {
		id, err := httpx.PathID(c, "id")
		if err != nil {
			return err
		}
		p, err := s.Store.Changes().PendingChanges(c.Request.Context(), id)
		if err != nil {
			return err
		}
		return reply(c, http.StatusOK, &fabrique.ChangeSettings{DelayMinutes: p.DelayMinutes, ReminderDays: p.ReminderDays}, nil)
	})
	s.api(g, route{method: "PUT", path: "/events/:id/changes/settings", summary: "Le délai sans modification avant l'envoi automatique des modifications (minutes, 0 à 1440 ; 0 : aussitôt) et le rappel (jours avant l'événement, 0 à 30 ; 0 : aucun)",
		tag: changesTag, auth: staffOfHost, body: reflect.TypeOf(fabrique.ChangeSettings{}), reply: reflect.TypeOf(fabrique.ChangeSettings{})}, func(c *gin.Context) error {
		id, err := httpx.PathID(c, "id")
		if err != nil {
			return err
		}
		var b fabrique.ChangeSettings
		if err := decodeJSON(c, &b); err != nil {
			return err
		}
		err = s.Store.Changes().SetChangeSettings(c.Request.Context(), id, &b)
		return reply(c, http.StatusOK, &b, err)
	})
}
