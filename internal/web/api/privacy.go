package api

import (
	"net/http"
	"reflect"

	"github.com/gin-gonic/gin"

	"fabrique/internal/fabrique"
	"fabrique/internal/web/httpx"
)

// Personal data (RGPD, issue 7): a participant downloads and erases their
// data with their private link; administrators do the same on request and
// read the register of processing; staff of an event set its retention.

const privacyTag = "Données personnelles"

// mountPrivacy registers the routes of personal data: the API under g and
// the register's page under /staff.
func (s *Server) mountPrivacy(g *gin.RouterGroup) {
	pv := func() fabrique.PrivacyService { return s.Store.Privacy() }
	s.api(g, route{method: "GET", path: "/p/:token/data", summary: "Toutes les données détenues sur la personne du lien personnel (JSON à télécharger)", tag: privacyTag,
		auth: byToken, reply: reflect.TypeOf(fabrique.PersonalData{})}, func(c *gin.Context) error {
		d, err := pv().ParticipantData(c.Request.Context(), c.Param("token"))
		if err == nil {
			c.Header("Content-Disposition", `attachment; filename="mes-donnees-fabrique.json"`)
		}
		return reply(c, http.StatusOK, d, err)
	})
	s.api(g, route{method: "POST", path: "/p/:token/erase", summary: "Effacer ses données : inscriptions annulées et anonymisées, lien personnel désactivé", tag: privacyTag,
		auth: byToken, reply: reflect.TypeOf(fabrique.Erasure{})}, func(c *gin.Context) error {
		e, err := pv().EraseParticipant(c.Request.Context(), c.Param("token"))
		return reply(c, http.StatusOK, e, err)
	})
	s.api(g, route{method: "GET", path: "/people/:id/personal-data", summary: "Toutes les données détenues sur une personne, à sa demande", tag: privacyTag,
		auth: writeAdmin, reply: reflect.TypeOf(fabrique.PersonalData{})}, func(c *gin.Context) error {
		id, err := httpx.PathID(c, "id")
		if err != nil {
			return err
		}
		d, err := pv().PersonData(c.Request.Context(), id)
		return reply(c, http.StatusOK, d, err)
	})
	s.api(g, route{method: "POST", path: "/people/:id/erase", summary: "Effacer les données de participation d'une personne, à sa demande", tag: privacyTag,
		auth: writeAdmin, reply: reflect.TypeOf(fabrique.Erasure{})}, func(c *gin.Context) error {
		id, err := httpx.PathID(c, "id")
		if err != nil {
			return err
		}
		e, err := pv().ErasePerson(c.Request.Context(), id)
		return reply(c, http.StatusOK, e, err)
	})
	s.api(g, route{method: "GET", path: "/events/:id/retention", summary: "La durée de conservation des données des participants d'un événement", tag: privacyTag,
		auth: staffOfHost, reply: reflect.TypeOf(fabrique.Retention{})}, func(c *gin.Context) error {
		id, err := httpx.PathID(c, "id")
		if err != nil {
			return err
		}
		r, err := pv().Retention(c.Request.Context(), id)
		return reply(c, http.StatusOK, r, err)
	})
	s.api(g, route{method: "PUT", path: "/events/:id/retention", summary: "Changer la durée de conservation (en mois après la fin de l'événement, 1 à 36)", tag: privacyTag,
		auth: staffOfHost, body: reflect.TypeOf(fabrique.Retention{}), reply: reflect.TypeOf(fabrique.Retention{})}, func(c *gin.Context) error {
		id, err := httpx.PathID(c, "id")
		if err != nil {
			return err
		}
		var b fabrique.Retention // the read-only fields of a GET answer sent back are ignored
		if err := decodeJSON(c, &b); err != nil {
			return err
		}
		r := &fabrique.Retention{EventID: id, Months: b.Months}
		err = pv().SetRetention(c.Request.Context(), r)
		return reply(c, http.StatusOK, r, err)
	})
	s.api(g, route{method: "GET", path: "/privacy/register", summary: "Le registre des traitements : données conservées, finalités, durées, destinataires", tag: privacyTag,
		auth: writeAdmin, reply: reflect.TypeOf(fabrique.Processing{}), list: true}, func(c *gin.Context) error {
		if err := fabrique.AuthorizeService(fabrique.UserFrom(c.Request.Context()), fabrique.ActRead); err != nil {
			return err
		}
		items := fabrique.ProcessingRegister()
		return reply(c, http.StatusOK, gin.H{"items": items, "total": len(items), "limit": len(items), "offset": 0}, nil)
	})
}
