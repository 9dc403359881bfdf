package api

import (
	"net/http"
	"reflect"
	"time"

	"github.com/gin-gonic/gin"

	"fabrique/internal/fabrique"
)

// Who may call what, as written in the API description.
const (
	readPublic    = "public (les événements non publiés : administrateurs, organisateurs de l'organisation hôte, animateurs de leurs ateliers)"
	readAll       = "public"
	readStaff     = "comptes du personnel : les contacts et participants de son organisation en entier, les contacts des autres par leur nom et leur organisation seulement ; un animateur ne voit que lui-même"
	readRegs      = "administrateurs ; organisateurs pour leurs événements ; animateurs pour leurs ateliers"
	writeAdmin    = "administrateurs"
	writeOrg      = "administrateurs ; organisateurs pour leur organisation"
	writeEventOrg = "administrateurs ; organisateurs de l'organisation hôte de l'événement"
)

func eventExists(s fabrique.Store, c *gin.Context, id int64) error {
	_, err := s.Events().Get(c.Request.Context(), id)
	return err
}

func (s *Server) mountAPI() {
	g := s.Engine.Group("/api/v1")
	s.api(g, route{method: "GET", path: "/openapi.json", summary: "Description OpenAPI 3 de l'API", tag: "Service", auth: readAll},
		func(c *gin.Context) error {
			c.JSON(http.StatusOK, s.openAPI())
			return nil
		})
	s.api(g, route{method: "POST", path: "/auth/token", summary: "Obtenir un jeton d'API avec une adresse et un mot de passe", tag: "Comptes", auth: readAll,
		body: reflect.TypeOf(fabrique.Credentials{}), reply: reflect.TypeOf(tokenReply{}), status: http.StatusCreated}, s.createToken)
	s.api(g, route{method: "GET", path: "/me", summary: "Le compte du jeton utilisé", tag: "Comptes", auth: "tout compte", reply: reflect.TypeOf(fabrique.User{})}, s.me)
	s.mountSchedulingAPI(g)

	mountEntity(s, g, entity[fabrique.ActionPlan]{path: "/action-plans", tag: "Plans d'action", noun: "plans d'action",
		repo: fabrique.Store.ActionPlans, id: func(v *fabrique.ActionPlan) *int64 { return &v.ID }, read: readAll, write: writeAdmin})
	mountEntity(s, g, entity[fabrique.Commitment]{path: "/commitments", tag: "Plans d'action", noun: "engagements",
		repo: fabrique.Store.Commitments, id: func(v *fabrique.Commitment) *int64 { return &v.ID }, read: readAll, write: writeAdmin,
		nested: []nestedList[fabrique.Commitment]{{parent: "/action-plans", child: "/commitments", field: "plan_id",
			exists: func(st fabrique.Store, c *gin.Context, id int64) error {
				_, err := st.ActionPlans().Get(c.Request.Context(), id)
				return err
			},
			setParent: func(v *fabrique.Commitment, id int64) { v.PlanID = id }}}})
	mountEntity(s, g, entity[fabrique.Organisation]{path: "/organisations", tag: "Organisations et personnes", noun: "organisations",
		repo: fabrique.Store.Organisations, id: func(v *fabrique.Organisation) *int64 { return &v.ID }, read: readAll, write: writeAdmin})
	mountEntity(s, g, entity[fabrique.Person]{path: "/people", tag: "Organisations et personnes", noun: "personnes",
		repo: fabrique.Store.People, id: func(v *fabrique.Person) *int64 { return &v.ID }, read: readStaff, write: writeOrg})
	mountEntity(s, g, entity[fabrique.Venue]{path: "/venues", tag: "Lieux et salles", noun: "lieux",
		repo: fabrique.Store.Venues, id: func(v *fabrique.Venue) *int64 { return &v.ID }, read: readAll, write: writeOrg})
	mountEntity(s, g, entity[fabrique.Room]{path: "/rooms", tag: "Lieux et salles", noun: "salles",
		repo: fabrique.Store.Rooms, id: func(v *fabrique.Room) *int64 { return &v.ID }, read: readAll, write: writeOrg,
		nested: []nestedList[fabrique.Room]{{parent: "/venues", child: "/rooms", field: "venue_id",
			exists: func(st fabrique.Store, c *gin.Context, id int64) error {
				_, err := st.Venues().Get(c.Request.Context(), id)
				return err
			},
			setParent: func(v *fabrique.Room, id int64) { v.VenueID = id }}}})
	mountEntity(s, g, entity[fabrique.Event]{path: "/events", tag: "Événements", noun: "événements",
		repo: fabrique.Store.Events, id: func(v *fabrique.Event) *int64 { return &v.ID },
		eventOf: func(v *fabrique.Event) int64 { return v.ID }, read: readPublic, write: writeOrg})
	mountEntity(s, g, entity[fabrique.Phase]{path: "/phases", tag: "Événements", noun: "phases",
		repo: fabrique.Store.Phases, id: func(v *fabrique.Phase) *int64 { return &v.ID },
		eventOf: func(v *fabrique.Phase) int64 { return v.EventID }, read: readPublic, write: writeEventOrg,
		nested: []nestedList[fabrique.Phase]{{parent: "/events", child: "/phases", field: "event_id", exists: eventExists,
			setParent: func(v *fabrique.Phase, id int64) { v.EventID = id }}}})
	mountEntity(s, g, entity[fabrique.ProgrammeItem]{path: "/programme-items", tag: "Événements", noun: "éléments de programme",
		repo: fabrique.Store.Items, id: func(v *fabrique.ProgrammeItem) *int64 { return &v.ID },
		eventOf: func(v *fabrique.ProgrammeItem) int64 { return v.EventID }, read: readPublic, write: writeEventOrg,
		nested: []nestedList[fabrique.ProgrammeItem]{{parent: "/events", child: "/programme", field: "event_id", exists: eventExists,
			setParent: func(v *fabrique.ProgrammeItem, id int64) { v.EventID = id }}}})
	mountEntity(s, g, entity[fabrique.Workshop]{path: "/workshops", tag: "Événements", noun: "ateliers",
		repo: fabrique.Store.Workshops, id: func(v *fabrique.Workshop) *int64 { return &v.ID },
		eventOf: func(v *fabrique.Workshop) int64 { return v.EventID }, read: readPublic, write: writeEventOrg,
		nested: []nestedList[fabrique.Workshop]{{parent: "/events", child: "/workshops", field: "event_id", exists: eventExists,
			setParent: func(v *fabrique.Workshop, id int64) { v.EventID = id }}}})
	mountEntity(s, g, entity[fabrique.Registration]{path: "/registrations", tag: "Inscriptions", noun: "inscriptions",
		repo: fabrique.Store.Registrations, id: func(v *fabrique.Registration) *int64 { return &v.ID }, read: readRegs, write: writeEventOrg,
		nested: []nestedList[fabrique.Registration]{{parent: "/events", child: "/registrations", field: "event_id", exists: eventExists,
			setParent: func(v *fabrique.Registration, id int64) { v.EventID = id }}}})
	s.mountMinutes(g) // contributions, attendance, minutes, kit and open data (issue 5)
	// Registration, participants' pages, calendar feeds, outbox (issue 4).
	s.mountRegistration(g)
	s.mountRegistrationResend(g) // staff resend a participant's invitation (issue 15)
	s.mountPrivacy(g)            // personal data: download, erasure, retention, register of processing (issue 7)
	s.mountChanges(g)            // changes of published events, told once at their release (issue 15)
	s.mountFollowUpAPI(g)        // follow-up of commitments: status, milestones, indicators, consultation, report, open data (issue 17)
	s.mountParticipantAddress(g) // a participant changes their address (issue 11)
	s.mountDeclarations(g)       // the review of declarations (issue 15)
}

type tokenReply struct {
	Token     string         `json:"token"`
	User      *fabrique.User `json:"user"`
	ExpiresAt *time.Time     `json:"expires_at"` // 30 days after the sign-in (fabrique.DefaultTokenTTL)
}

func (s *Server) createToken(c *gin.Context) error {
	var cred fabrique.Credentials
	if err := decodeJSON(c, &cred); err != nil {
		return err
	}
	var p fabrique.Problems
	p.Email("email", cred.Email, true)
	if cred.Password == "" {
		p.Add("password", "le mot de passe est obligatoire")
	}
	if err := p.Err(); err != nil {
		return err
	}
	done, err := s.SignInGate(c, cred.Email)
	if err != nil {
		return err
	}
	u, err := s.Store.Users().Authenticate(c.Request.Context(), cred)
	done(fabrique.ErrorCode(err) == fabrique.EUNAUTHORIZED)
	if err != nil {
		return err
	}
	// Tokens of a sign-in expire (issue 11): they do not pile up for ever.
	token, t, err := s.Store.Accounts().IssueToken(fabrique.WithUser(c.Request.Context(), u), u.ID, "connexion "+c.ClientIP(), fabrique.DefaultTokenTTL)
	if err != nil {
		return err
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusCreated, tokenReply{Token: token, User: u, ExpiresAt: t.ExpiresAt})
	return nil
}

func (s *Server) me(c *gin.Context) error {
	u := fabrique.UserFrom(c.Request.Context())
	if u == nil {
		return &fabrique.Error{Code: fabrique.EUNAUTHORIZED, Message: "Authentification requise : fournissez un jeton d'API (Authorization: Bearer …)."}
	}
	c.JSON(http.StatusOK, u)
	return nil
}
