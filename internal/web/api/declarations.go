package api

import (
	"net/http"
	"reflect"
	"strconv"

	"github.com/gin-gonic/gin"

	"fabrique/internal/fabrique"
	"fabrique/internal/schedule"
	"fabrique/internal/web/httpx"
)

// Declarations (issue 15), for programs as for the pages: declaring an
// event (the store decides who may declare which format), the list and
// one declaration as it is now with what changed, and the DITP's
// decisions and the declarer's resubmission.

// declarationRequest is the body of a declaration: the event, as for
// POST /events/from-format, and what the declarer says of it.
type declarationRequest struct {
	Event     schedule.FormatRequest      `json:"event"`
	Workshops []fabrique.DeclaredWorkshop `json:"workshops"`
	RoomIDs   []int64                     `json:"room_ids"`
	Notes     string                      `json:"notes"`
}

// declarationDecision is the body of a decision of the DITP.
type declarationDecision struct {
	Comment string `json:"comment"`
}

// declarationResubmission is the body of a resubmission by the declarer.
type declarationResubmission struct {
	Notes string `json:"notes"`
}

const (
	declaring        = "organisateurs d'un ministère (Ministère ouvert) ou d'un tiers (atelier-relais)"
	readDeclarations = "administrateurs ; organisateurs, les déclarations de leur organisation"
	decideDeclaring  = "administrateurs (la DITP)"
	resubmitDeclared = "organisateurs de l'organisation qui a déclaré"
	tagDeclarations  = "Déclarations"
)

func (s *Server) mountDeclarations(g *gin.RouterGroup) {
	d := s.Store.Declarations()
	s.api(g, route{method: "POST", path: "/declarations", summary: "Déclarer à la DITP un Ministère ouvert ou un atelier-relais : l'événement est créé en brouillon, à examiner",
		tag: tagDeclarations, auth: declaring, body: reflect.TypeOf(declarationRequest{}), reply: reflect.TypeOf(fabrique.Declaration{}), status: http.StatusCreated}, s.declare)
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

// declare records a declaration with the rules of the declaration form:
// a Ministère ouvert describes its workshops (as many as it has), an
// event takes place somewhere or online; the store checks who declares.
func (s *Server) declare(c *gin.Context) error {
	ctx := c.Request.Context()
	u := fabrique.UserFrom(ctx)
	switch {
	case u == nil:
		return fabrique.Errorf(fabrique.EUNAUTHORIZED, "Authentification requise : connectez-vous, ou fournissez un jeton d'API (en-tête Authorization: Bearer …).")
	case !u.Is(fabrique.RoleOrganiser) || u.OrganisationID == nil:
		return fabrique.Errorf(fabrique.EFORBIDDEN, "La déclaration est faite par le correspondant d'une organisation. La DITP crée directement ses événements (POST /api/v1/events/from-format).")
	}
	var r declarationRequest
	if err := decodeJSON(c, &r); err != nil {
		return err
	}
	var p fabrique.Problems
	declarable := true
	switch r.Event.Format {
	case fabrique.EventOpenMinistry:
		if len(r.Workshops) == 0 {
			p.Add("workshops", "décrivez au moins un atelier : son titre, et si vous les connaissez son engagement, sa salle et ses animateurs")
		}
		r.Event.Workshops = len(r.Workshops)
	case fabrique.EventRelayWorkshop:
	default:
		declarable = false
		p.Add("event.format", "on déclare à la DITP un Ministère ouvert ou un atelier-relais")
	}
	if r.Event.VenueID == nil && r.Event.OnlineURL == "" {
		p.Add("event.venue_id", "indiquez le lieu, ou un lien de visioconférence (event.online_url) pour un atelier en ligne")
	}
	r.Event.HostOrganisationID = *u.OrganisationID // the declarer's organisation hosts
	dec := &fabrique.Declaration{Kind: r.Event.Format, Workshops: r.Workshops, RoomIDs: r.RoomIDs, Notes: r.Notes}
	var plans []*fabrique.Plan
	if declarable {
		var err error
		if plans, _, err = schedule.Build(r.Event); err != nil && len(fabrique.ErrorFields(err)) == 0 {
			return err
		}
		p.Merge("event.", err)
	}
	p.Merge("", dec.Validate())
	if err := p.Err(); err != nil {
		return err
	}
	if err := s.Store.Declarations().Declare(ctx, dec, plans[0]); err != nil {
		return err
	}
	v, err := s.Store.Declarations().Declaration(ctx, dec.EventID)
	if err == nil {
		c.Header("Location", "/api/v1/declarations/"+strconv.FormatInt(dec.EventID, 10))
	}
	return reply(c, http.StatusCreated, v, err)
}
