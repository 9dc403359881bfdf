package api

import (
	"net/http"
	"reflect"

	"github.com/gin-gonic/gin"

	"fabrique/internal/fabrique"
	"fabrique/internal/web/httpx"
)

// The review of declarations (issue 15), for programs as for the pages:
// the list and one declaration as it is now with what changed, and the
// DITP's decisions and the declarer's resubmission. Declaring itself
// fills the form of a format: it is done from the pages.

// declarationDecision is the body of a decision of the DITP.
type declarationDecision struct {
	Comment string `json:"comment"`
}

// declarationResubmission is the body of a resubmission by the declarer.
type declarationResubmission struct {
	Notes string `json:"notes"`
}

const (
	readDeclarations = "administrateurs ; organisateurs, les déclarations de leur organisation"
	decideDeclaring  = "administrateurs (la DITP)"
	resubmitDeclared = "organisateurs de l'organisation qui a déclaré"
	tagDeclarations  = "Déclarations"
)

func (s *Server) mountDeclarations(g *gin.RouterGroup) {
	d := s.Store.Declarations()
	s.api(g, route{method: "GET", path: "/declarations", summary: "Les déclarations visibles, celles à examiner d'abord", tag: tagDeclarations,
		auth: readDeclarations, reply: reflect.TypeOf(fabrique.Declaration{}), list: true}, func(c *gin.Context) error {
		list, err := d.Declarations(c.Request.Context())
		if err != nil {
			return err
		}
		return reply(c, http.StatusOK, gin.H{"items": list, "total": len(list), "limit": len(list), "offset": 0}, nil)
	})
	s.api(g, route{method: "GET", path: "/declarations/:id", summary: "Une déclaration telle qu'elle est, avec ce qui a changé depuis la soumission précédente",
		tag: tagDeclarations, auth: readDeclarations, reply: reflect.TypeOf(fabrique.Declaration{})}, func(c *gin.Context) error {
		id, err := httpx.PathID(c, "id")
		if err != nil {
			return err
		}
		v, err := d.Declaration(c.Request.Context(), id)
		return reply(c, http.StatusOK, v, err)
	})
	decide := func(path, summary, auth string, body any, run func(c *gin.Context, id int64, text string) (*fabrique.Declaration, error)) {
		s.api(g, route{method: "POST", path: "/declarations/:id/" + path, summary: summary, tag: tagDeclarations, auth: auth,
			body: reflect.TypeOf(body), reply: reflect.TypeOf(fabrique.Declaration{})}, func(c *gin.Context) error {
			id, err := httpx.PathID(c, "id")
			if err != nil {
				return err
			}
			var text string
			switch b := body.(type) {
			case declarationDecision:
				err = decodeJSON(c, &b)
				text = b.Comment
			case declarationResubmission:
				err = decodeJSON(c, &b)
				text = b.Notes
			}
			if err != nil {
				return err
			}
			v, err := run(c, id, text)
			return reply(c, http.StatusOK, v, err)
		})
	}
	decide("accept", "Accepter une déclaration : l'événement pourra être publié ; le déclarant est prévenu", decideDeclaring, declarationDecision{},
		func(c *gin.Context, id int64, text string) (*fabrique.Declaration, error) {
			return d.Accept(c.Request.Context(), id, text)
		})
	decide("changes", "Demander des modifications, en disant lesquelles ; le déclarant est prévenu", decideDeclaring, declarationDecision{},
		func(c *gin.Context, id int64, text string) (*fabrique.Declaration, error) {
			return d.RequestChanges(c.Request.Context(), id, text)
		})
	decide("resubmit", "Soumettre de nouveau une déclaration après les modifications demandées ; la DITP est prévenue", resubmitDeclared, declarationResubmission{},
		func(c *gin.Context, id int64, text string) (*fabrique.Declaration, error) {
			return d.Resubmit(c.Request.Context(), id, text)
		})
}
