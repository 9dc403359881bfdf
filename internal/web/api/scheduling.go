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

// conflictList is the answer of GET /events/{id}/conflicts.
type conflictList struct {
	Conflicts []fabrique.Conflict `json:"conflicts"`
	Blocking  int                 `json:"blocking"` // not waived: they block publication
}

// createdEvents is the answer of POST /events/from-format.
type createdEvents struct {
	Events []*fabrique.Event `json:"events"`
	Series *fabrique.Series  `json:"series,omitempty"`
	// Warnings says what is accepted but unwise, e.g. a date on a « pont ».
	Warnings []string `json:"warnings"`
}

// assignmentRequest is the body of POST /events/{id}/assignment.
type assignmentRequest struct {
	DryRun    bool `json:"dry_run"`
	MaxPerDay int  `json:"max_per_day"` // workshops per facilitator and day; 0 = 2
}

// assignmentReply is the proposal, saved unless dry_run, with the conflicts after it.
type assignmentReply struct {
	DryRun bool `json:"dry_run"`
	schedule.Proposal
	Conflicts []fabrique.Conflict `json:"conflicts"`
}

type exceptionRequest struct {
	Key    string `json:"key"`
	Reason string `json:"reason"`
}

func (s *Server) mountSchedulingAPI(g *gin.RouterGroup) {
	s.api(g, route{method: "POST", path: "/events/from-format", summary: "Créer un événement à partir d'un format (Ministère ouvert, forum, atelier, série de points d'étape, atelier-relais)",
		tag: "Planification", auth: writeOrg, body: reflect.TypeOf(schedule.FormatRequest{}), reply: reflect.TypeOf(createdEvents{}), status: http.StatusCreated}, s.createFromFormat)
	s.api(g, route{method: "GET", path: "/events/:id/conflicts", summary: "Lister les conflits de l'événement (salles, personnes, règles des formats)",
		tag: "Planification", auth: readPublic, reply: reflect.TypeOf(conflictList{})}, s.listConflicts)
	s.api(g, route{method: "POST", path: "/events/:id/exceptions", summary: "Lever un conflit par une exception motivée",
		tag: "Planification", auth: writeEventOrg, body: reflect.TypeOf(exceptionRequest{}), reply: reflect.TypeOf(fabrique.RuleException{}), status: http.StatusCreated}, s.addException)
	s.api(g, route{method: "DELETE", path: "/events/:id/exceptions/:exception", summary: "Retirer une exception",
		tag: "Planification", auth: writeEventOrg, status: http.StatusNoContent}, s.deleteException)
	s.api(g, route{method: "POST", path: "/events/:id/assignment", summary: "Affecter automatiquement salles et animateurs aux ateliers (dry_run : proposer sans enregistrer)",
		tag: "Planification", auth: writeEventOrg, body: reflect.TypeOf(assignmentRequest{}), reply: reflect.TypeOf(assignmentReply{})}, s.assign)
	s.api(g, route{method: "GET", path: "/holidays", summary: "Jours fériés d'une année (?year=2027), en dates civiles AAAA-MM-JJ", tag: "Planification", auth: readAll,
		reply: reflect.TypeOf(holiday{}), list: true, query: []string{"year"}}, s.holidays)
}

func (s *Server) createFromFormat(c *gin.Context) error {
	var r schedule.FormatRequest
	if err := decodeJSON(c, &r); err != nil {
		return err
	}
	plans, series, err := schedule.Build(r)
	if err != nil {
		return err
	}
	if err := s.Store.Scheduling().CreatePlans(c.Request.Context(), plans, series); err != nil {
		return err
	}
	out := createdEvents{Series: series, Warnings: r.Warnings()}
	if out.Warnings == nil {
		out.Warnings = []string{}
	}
	for _, p := range plans {
		out.Events = append(out.Events, &p.Event)
	}
	c.Header("Location", "/api/v1/events/"+strconv.FormatInt(plans[0].Event.ID, 10))
	c.JSON(http.StatusCreated, out)
	return nil
}

func (s *Server) listConflicts(c *gin.Context) error {
	id, err := httpx.PathID(c, "id")
	if err != nil {
		return err
	}
	cs, err := s.Store.Scheduling().Conflicts(c.Request.Context(), id)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, conflictList{Conflicts: cs, Blocking: len(fabrique.Blocking(cs))})
	return nil
}

func (s *Server) addException(c *gin.Context) error {
	id, err := httpx.PathID(c, "id")
	if err != nil {
		return err
	}
	var r exceptionRequest
	if err := decodeJSON(c, &r); err != nil {
		return err
	}
	x := &fabrique.RuleException{EventID: id, Key: r.Key, Reason: r.Reason}
	if err := s.Store.Scheduling().AddException(c.Request.Context(), x); err != nil {
		return err
	}
	c.JSON(http.StatusCreated, x)
	return nil
}

func (s *Server) deleteException(c *gin.Context) error {
	id, err := httpx.PathID(c, "id")
	if err != nil {
		return err
	}
	xid, err := httpx.PathID(c, "exception")
	if err != nil {
		return err
	}
	if err := s.Store.Scheduling().DeleteException(c.Request.Context(), id, xid); err != nil {
		return err
	}
	c.Status(http.StatusNoContent)
	return nil
}

func (s *Server) assign(c *gin.Context) error {
	id, err := httpx.PathID(c, "id")
	if err != nil {
		return err
	}
	var r assignmentRequest
	if err := decodeJSON(c, &r); err != nil {
		return err
	}
	var p fabrique.Problems
	if r.MaxPerDay < 0 || r.MaxPerDay > 10 {
		p.Add("max_per_day", "entre 1 et 10 ateliers par animateur et par jour (0 : 2 par défaut)")
	}
	if err := p.Err(); err != nil {
		return err
	}
	ctx := c.Request.Context()
	data, err := s.Store.Scheduling().AssignmentData(ctx, id)
	if err != nil {
		return err
	}
	proposal := schedule.NewEventInstance(data, r.MaxPerDay).Propose()
	if !r.DryRun && len(proposal.Assignments) > 0 {
		if err := s.Store.Scheduling().ApplyAssignment(ctx, id, proposal.Assignments); err != nil {
			return err
		}
	}
	cs, err := s.Store.Scheduling().Conflicts(ctx, id)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, assignmentReply{DryRun: r.DryRun, Proposal: proposal, Conflicts: cs})
	return nil
}

func (s *Server) holidays(c *gin.Context) error {
	year, err := strconv.Atoi(c.DefaultQuery("year", "2027"))
	if err != nil || year < 1970 || year > 2100 {
		return fabrique.Invalid("year", "une année entre 1970 et 2100 est attendue")
	}
	for k := range c.Request.URL.Query() {
		if k != "year" {
			return fabrique.Invalid(k, "paramètre inconnu : seul year est accepté")
		}
	}
	hs := schedule.Holidays(year)
	items := make([]holiday, len(hs))
	for i, h := range hs {
		items[i] = holiday{Date: h.Date.Format("2006-01-02"), Name: h.Name}
	}
	c.JSON(http.StatusOK, fabrique.Page[holiday]{Items: ptrs(items), Total: len(items), Limit: len(items), Offset: 0})
	return nil
}

// holiday is a French public holiday, as GET /holidays answers it.
type holiday struct {
	Date string `json:"date"` // civil date, YYYY-MM-DD
	Name string `json:"name"` // French name: « Lundi de Pâques »
}

func ptrs[T any](v []T) []*T {
	out := make([]*T, len(v))
	for i := range v {
		out[i] = &v[i]
	}
	return out
}
