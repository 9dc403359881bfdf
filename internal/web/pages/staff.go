package pages

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"fabrique/internal/fabrique"
	"fabrique/internal/web/httpx"
)

// dashboard is the staff's home: the events they may see, upcoming first.
type dashboard struct {
	Upcoming []*fabrique.Event
	Past     []*fabrique.Event
	Status   *dashboardStatus // the outbox and the open conflicts (outbox.go)
	Work     *roleDashboard   // declarations to review or of the organisation (dashboard_roles.go)
}

// dashboardPage shows the events visible to the account (drafts included).
func (s *Server) dashboardPage(c *gin.Context) error {
	u := fabrique.UserFrom(c.Request.Context())
	if u.Is(fabrique.RoleFacilitator) {
		return s.facilitatorHome(c) // their workshops (dashboard_roles.go)
	}
	events, err := all(c.Request.Context(), s.Store.Events(), nil)
	if err != nil {
		return err
	}
	var d dashboard
	if d.Work, err = s.roleWork(c.Request.Context(), u); err != nil {
		return err
	}
	now := time.Now()
	for _, e := range ownEvents(u, events) {
		if e.End.After(now) {
			d.Upcoming = append(d.Upcoming, e)
		} else {
			d.Past = append([]*fabrique.Event{e}, d.Past...)
		}
	}
	if d.Status, err = s.dashboardStatus(c.Request.Context(), d.Upcoming); err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "dashboard.html", &view{Title: "Tableau de bord", Data: &d})
}

// plansPage lists the action plans, with a form to add one.
func (s *Server) plansPage(c *gin.Context) error {
	return s.showPlans(c, http.StatusOK, newForm("plan", "/staff/plans", planFields...))
}

var planFields = []string{"title", "period_start", "period_end"}

func (s *Server) showPlans(c *gin.Context, status int, f *form) error {
	plans, err := all(c.Request.Context(), s.Store.ActionPlans(), nil)
	if err != nil {
		return err
	}
	return s.render(c, status, "plans.html", &view{Title: "Plans d'action", Data: plans, Forms: map[string]*form{"plan": f}})
}

// createPlan adds an action plan (administrators).
func (s *Server) createPlan(c *gin.Context) error {
	f := postedForm(c, "plan", "/staff/plans", planFields...)
	v := &fabrique.ActionPlan{}
	readPlan(f, v)
	status, err := submit(f, nil, v.Validate, func() error { return s.Store.ActionPlans().Create(c.Request.Context(), v) })
	if err != nil || status != 0 {
		return orErr(err, func() error { return s.showPlans(c, status, f) })
	}
	return redirect(c, fmt.Sprintf("/staff/plans/%d", v.ID), "created")
}

// orErr returns err, or runs show when err is nil.
func orErr(err error, show func() error) error {
	if err != nil {
		return err
	}
	return show()
}

// planView is a plan with its commitments and what their forms offer.
type planView struct {
	Plan        *fabrique.ActionPlan
	Commitments []*commitmentView
	Parents     []option
	Carriers    []option
	Kinds       []option
	Statuses    []option
	Principles  []option
}

// commitmentView is a commitment with the names of its carriers.
type commitmentView struct {
	*fabrique.Commitment
	Carriers []string
}

var commitmentFields = []string{"number", "title", "kind", "parent_id", "status", "principles", "carrier_ids", "description"}

// planPage shows a plan's commitments with a form to add one.
func (s *Server) planPage(c *gin.Context) error {
	f := newForm("engagement", "", commitmentFields...)
	f.Set("kind", string(fabrique.KindCommitment))
	f.Set("status", string(fabrique.StatusNotStarted))
	return s.showPlan(c, http.StatusOK, f)
}

func (s *Server) showPlan(c *gin.Context, status int, f *form) error {
	ctx := c.Request.Context()
	id, err := httpx.PathID(c, "id")
	if err != nil {
		return err
	}
	plan, err := s.Store.ActionPlans().Get(ctx, id)
	if err != nil {
		return err
	}
	cs, err := all(ctx, s.Store.Commitments(), map[string]string{"plan_id": fmt.Sprint(id)})
	if err != nil {
		return err
	}
	orgs, err := all(ctx, s.Store.Organisations(), nil)
	if err != nil {
		return err
	}
	names := map[int64]string{}
	d := &planView{Plan: plan, Kinds: options("commitment", fabrique.CommitmentKinds),
		Statuses: options("progress", fabrique.CommitmentStatuses), Principles: options("principle", fabrique.Principles)}
	for _, o := range orgs {
		names[o.ID] = o.Name
		d.Carriers = append(d.Carriers, option{Value: fmt.Sprint(o.ID), Label: o.Name})
	}
	for _, cm := range cs {
		v := &commitmentView{Commitment: cm}
		for _, o := range cm.CarrierIDs {
			v.Carriers = append(v.Carriers, names[o])
		}
		d.Commitments = append(d.Commitments, v)
		if cm.Kind == fabrique.KindCommitment {
			d.Parents = append(d.Parents, option{Value: fmt.Sprint(cm.ID), Label: "n° " + cm.Number + " — " + cm.Title})
		}
	}
	f.Action = fmt.Sprintf("/staff/plans/%d/commitments", id)
	return s.render(c, status, "plan.html", &view{Title: plan.Title, Data: d, Forms: map[string]*form{"commitment": f},
		Crumbs: []crumb{{Label: "Plans d'action", Href: "/staff/plans"}}})
}

// createCommitment adds a commitment, an action or an initiative to a plan.
func (s *Server) createCommitment(c *gin.Context) error {
	id, err := httpx.PathID(c, "id")
	if err != nil {
		return err
	}
	f := postedForm(c, "engagement", "", commitmentFields...)
	v := &fabrique.Commitment{PlanID: id}
	readCommitment(f, v)
	status, err := submit(f, nil, v.Validate, func() error { return s.Store.Commitments().Create(c.Request.Context(), v) })
	if err != nil || status != 0 {
		return orErr(err, func() error { return s.showPlan(c, status, f) })
	}
	return redirect(c, fmt.Sprintf("/staff/plans/%d", id), "created")
}

var organisationFields = []string{"name", "acronym", "kind", "contact_name", "contact_email", "website", "trusted"}

// organisationsPage lists organisations by kind, with a form to add one.
func (s *Server) organisationsPage(c *gin.Context) error {
	return s.showOrganisations(c, http.StatusOK, newForm("organisation", "/staff/organisations", organisationFields...))
}

func (s *Server) showOrganisations(c *gin.Context, status int, f *form) error {
	orgs, err := all(c.Request.Context(), s.Store.Organisations(), nil)
	if err != nil {
		return err
	}
	return s.render(c, status, "organisations.html", &view{Title: "Organisations", Data: map[string]any{
		"Organisations": orgs, "Kinds": options("org", fabrique.OrganisationKinds)}, Forms: map[string]*form{"organisation": f}})
}

// createOrganisation adds an organisation (administrators).
func (s *Server) createOrganisation(c *gin.Context) error {
	f := postedForm(c, "organisation", "/staff/organisations", organisationFields...)
	v := &fabrique.Organisation{}
	readOrganisation(f, v)
	status, err := submit(f, nil, v.Validate, func() error { return s.Store.Organisations().Create(c.Request.Context(), v) })
	if err != nil || status != 0 {
		return orErr(err, func() error { return s.showOrganisations(c, status, f) })
	}
	return redirect(c, "/staff/organisations", "created")
}

var personFields = []string{"name", "email", "organisation_id", "category", "role", "topics"}

// peoplePage lists the people the account may see, with a form to add one.
func (s *Server) peoplePage(c *gin.Context) error {
	return s.showPeople(c, http.StatusOK, newForm("personne", "/staff/people", personFields...))
}

func (s *Server) showPeople(c *gin.Context, status int, f *form) error {
	ctx := c.Request.Context()
	people, err := all(ctx, s.Store.People(), nil)
	if err != nil {
		return err
	}
	orgs, err := s.orgOptions(c)
	if err != nil {
		return err
	}
	names := map[string]string{}
	for _, o := range orgs {
		names[o.Value] = o.Label
	}
	type row struct {
		*fabrique.Person
		Organisation string
	}
	rows := make([]row, len(people))
	for i, p := range people {
		rows[i] = row{Person: p}
		if p.OrganisationID != nil {
			rows[i].Organisation = names[fmt.Sprint(*p.OrganisationID)]
		}
	}
	return s.render(c, status, "people.html", &view{Title: "Personnes", Data: map[string]any{
		"People": rows, "Organisations": ownOrgOptions(c, f, "organisation_id", orgs), "Categories": options("category", fabrique.Categories)}, Forms: map[string]*form{"person": f}})
}

// orgOptions lists the organisations as choices.
func (s *Server) orgOptions(c *gin.Context) ([]option, error) {
	orgs, err := all(c.Request.Context(), s.Store.Organisations(), nil)
	if err != nil {
		return nil, err
	}
	out := make([]option, len(orgs))
	for i, o := range orgs {
		out[i] = option{Value: fmt.Sprint(o.ID), Label: o.Name}
	}
	return out, nil
}

// splitList reads a comma-separated list, trimmed, without empty items.
func splitList(s string) []string {
	var out []string
	for _, x := range strings.Split(s, ",") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

// createPerson adds a person (administrators; organisers for their organisation).
func (s *Server) createPerson(c *gin.Context) error {
	f := postedForm(c, "personne", "/staff/people", personFields...)
	v := &fabrique.Person{}
	readPerson(f, v)
	status, err := submit(f, nil, v.Validate, func() error { return s.Store.People().Create(c.Request.Context(), v) })
	if err != nil || status != 0 {
		return orErr(err, func() error { return s.showPeople(c, status, f) })
	}
	return redirect(c, "/staff/people", "created")
}

var venueFields = []string{"name", "address", "city", "host_organisation_id", "access_notes"}

// venuesPage lists the venues, with a form to add one.
func (s *Server) venuesPage(c *gin.Context) error {
	return s.showVenues(c, http.StatusOK, newForm("lieu", "/staff/venues", venueFields...))
}

func (s *Server) showVenues(c *gin.Context, status int, f *form) error {
	venues, err := all(c.Request.Context(), s.Store.Venues(), nil)
	if err != nil {
		return err
	}
	orgs, err := s.orgOptions(c)
	if err != nil {
		return err
	}
	return s.render(c, status, "venues.html", &view{Title: "Lieux et salles", Data: map[string]any{
		"Venues": venues, "Organisations": ownOrgOptions(c, f, "host_organisation_id", orgs)}, Forms: map[string]*form{"venue": f}})
}

// createVenue adds a venue.
func (s *Server) createVenue(c *gin.Context) error {
	f := postedForm(c, "lieu", "/staff/venues", venueFields...)
	v := &fabrique.Venue{}
	readVenue(f, v)
	status, err := submit(f, nil, v.Validate, func() error { return s.Store.Venues().Create(c.Request.Context(), v) })
	if err != nil || status != 0 {
		return orErr(err, func() error { return s.showVenues(c, status, f) })
	}
	return redirect(c, fmt.Sprintf("/staff/venues/%d", v.ID), "created")
}

var roomFields = []string{"name", "capacity", "step_free", "equipment"}

// venuePage shows a venue's rooms with a form to add one.
func (s *Server) venuePage(c *gin.Context) error {
	return s.showVenue(c, http.StatusOK, newForm("salle", "", roomFields...))
}

func (s *Server) showVenue(c *gin.Context, status int, f *form) error {
	ctx := c.Request.Context()
	id, err := httpx.PathID(c, "id")
	if err != nil {
		return err
	}
	venue, err := s.Store.Venues().Get(ctx, id)
	if err != nil {
		return err
	}
	rooms, err := all(ctx, s.Store.Rooms(), map[string]string{"venue_id": fmt.Sprint(id)})
	if err != nil {
		return err
	}
	f.Action = fmt.Sprintf("/staff/venues/%d/rooms", id)
	return s.render(c, status, "venue.html", &view{Title: venue.Name, Data: map[string]any{"Venue": venue, "Rooms": rooms},
		Forms: map[string]*form{"room": f}, Crumbs: []crumb{{Label: "Lieux et salles", Href: "/staff/venues"}}})
}

// createRoom adds a room to a venue.
func (s *Server) createRoom(c *gin.Context) error {
	id, err := httpx.PathID(c, "id")
	if err != nil {
		return err
	}
	f := postedForm(c, "salle", "", roomFields...)
	v := &fabrique.Room{VenueID: id}
	readRoom(f, v)
	status, err := submit(f, nil, v.Validate, func() error { return s.Store.Rooms().Create(c.Request.Context(), v) })
	if err != nil || status != 0 {
		return orErr(err, func() error { return s.showVenue(c, status, f) })
	}
	return redirect(c, fmt.Sprintf("/staff/venues/%d", id), "created")
}
