package pages

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"fabrique/internal/fabrique"
	"fabrique/internal/web/httpx"
)

// Edit and delete pages of the reference data the staff create on the
// list pages (staff.go): action plans and their commitments,
// organisations, people, venues and their rooms. Each has an edit page
// (GET pre-filled, POST through the store's Update) and a delete
// confirmation (GET asks, POST deletes; a refusal because other data
// still refer to it is shown on the page).

// mountReferencePages registers the edit and delete routes on the staff group.
func (s *Server) mountReferencePages(st *gin.RouterGroup) {
	st.GET("/plans/:id/edit", s.page(s.planEditPage))
	st.POST("/plans/:id/edit", s.page(s.updatePlan))
	st.GET("/plans/:id/delete", s.page(s.planDeletePage))
	st.POST("/plans/:id/delete", s.page(s.deletePlan))
	st.GET("/plans/:id/commitments/:item/edit", s.page(s.commitmentEditPage))
	st.POST("/plans/:id/commitments/:item/edit", s.page(s.updateCommitment))
	st.GET("/plans/:id/commitments/:item/delete", s.page(s.commitmentDeletePage))
	st.POST("/plans/:id/commitments/:item/delete", s.page(s.deleteCommitment))
	st.GET("/organisations/:id/edit", s.page(s.organisationEditPage))
	st.POST("/organisations/:id/edit", s.page(s.updateOrganisation))
	st.GET("/organisations/:id/delete", s.page(s.organisationDeletePage))
	st.POST("/organisations/:id/delete", s.page(s.deleteOrganisation))
	st.GET("/people/:id/edit", s.page(s.personEditPage))
	st.POST("/people/:id/edit", s.page(s.updatePerson))
	st.GET("/people/:id/delete", s.page(s.personDeletePage))
	st.POST("/people/:id/delete", s.page(s.deletePerson))
	st.GET("/venues/:id/edit", s.page(s.venueEditPage))
	st.POST("/venues/:id/edit", s.page(s.updateVenue))
	st.GET("/venues/:id/delete", s.page(s.venueDeletePage))
	st.POST("/venues/:id/delete", s.page(s.deleteVenue))
	st.GET("/venues/:id/rooms/:item/edit", s.page(s.roomEditPage))
	st.POST("/venues/:id/rooms/:item/edit", s.page(s.updateRoom))
	st.GET("/venues/:id/rooms/:item/delete", s.page(s.roomDeletePage))
	st.POST("/venues/:id/rooms/:item/delete", s.page(s.deleteRoom))
}

// mayWrite refuses, with the French 403 page, a user the store would
// refuse: it asks the policy (fabrique.Policy) for the object and its owner.
func mayWrite(c *gin.Context, what string, obj fabrique.Object, owner fabrique.Owner) error {
	if fabrique.Can(fabrique.UserFrom(c.Request.Context()), obj, fabrique.ActChange, owner) {
		return nil
	}
	return fabrique.Errorf(fabrique.EFORBIDDEN, "Votre rôle ne vous permet pas %s.", fabrique.De(what))
}

// reference is the owner of plans, commitments and organisations.
var reference = fabrique.Owner{Shared: true}

// deletion is what a delete confirmation page shows.
type deletion struct {
	What   string // « le lieu « Ségur » »
	Action string // where the confirmation posts
	Back   string // where « Annuler » leads
}

// confirmDelete shows the confirmation page of a deletion.
func (s *Server) confirmDelete(c *gin.Context, status int, d deletion, crumbs []crumb) error {
	return s.render(c, status, "confirm_delete.html", &view{Title: "Supprimer " + d.What, Data: d, Crumbs: crumbs})
}

// deleteThen deletes with remove and redirects to to; a refusal because
// other data still refer to it re-shows the confirmation with the
// store's French explanation.
func (s *Server) deleteThen(c *gin.Context, d deletion, crumbs []crumb, remove func() error, to string) error {
	if err := remove(); err != nil {
		if fabrique.ErrorCode(err) != fabrique.ECONFLICT {
			return err
		}
		c.Set(ctxFlash, "La suppression est refusée : "+fabrique.ErrorMessage(err))
		return s.confirmDelete(c, http.StatusConflict, d, crumbs)
	}
	return redirect(c, to, "deleted")
}

// showEdit renders an edit page.
func (s *Server) showEdit(c *gin.Context, status int, page, title string, f *form, data any, crumbs []crumb) error {
	return s.render(c, status, page, &view{Title: title, Data: data, Forms: map[string]*form{"edit": f}, Crumbs: crumbs})
}

// idText renders an optional id for a form.
func idText(id *int64) string {
	if id == nil {
		return ""
	}
	return fmt.Sprint(*id)
}

// --- Action plans -----------------------------------------------------------

var plansCrumbs = []crumb{{Label: "Plans d'action", Href: "/staff/plans"}}

func (s *Server) pathPlan(c *gin.Context) (*fabrique.ActionPlan, error) {
	id, err := httpx.PathID(c, "id")
	if err != nil {
		return nil, err
	}
	v, err := s.Store.ActionPlans().Get(c.Request.Context(), id)
	if err != nil {
		return nil, err
	}
	return v, mayWrite(c, "modifier les plans d'action", fabrique.ObjReference, reference)
}

// planEditPage shows the form of an action plan, filled.
func (s *Server) planEditPage(c *gin.Context) error {
	v, err := s.pathPlan(c)
	if err != nil {
		return err
	}
	f := newForm("plan", fmt.Sprintf("/staff/plans/%d/edit", v.ID), planFields...)
	f.Set("title", v.Title)
	f.Set("period_start", v.PeriodStart)
	f.Set("period_end", v.PeriodEnd)
	return s.showEdit(c, http.StatusOK, "plan_edit.html", "Modifier le plan « "+v.Title+" »", f, v, plansCrumbs)
}

// updatePlan saves an action plan.
func (s *Server) updatePlan(c *gin.Context) error {
	v, err := s.pathPlan(c)
	if err != nil {
		return err
	}
	title := v.Title
	f := postedForm(c, "plan", fmt.Sprintf("/staff/plans/%d/edit", v.ID), planFields...)
	readPlan(f, v)
	status, err := submit(f, nil, v.Validate, func() error { return s.Store.ActionPlans().Update(c.Request.Context(), v) })
	if err != nil || status != 0 {
		return orErr(err, func() error {
			return s.showEdit(c, status, "plan_edit.html", "Modifier le plan « "+title+" »", f, v, plansCrumbs)
		})
	}
	return redirect(c, fmt.Sprintf("/staff/plans/%d", v.ID), "saved")
}

func planDeletion(v *fabrique.ActionPlan) deletion {
	return deletion{What: "le plan « " + v.Title + " »", Action: fmt.Sprintf("/staff/plans/%d/delete", v.ID), Back: fmt.Sprintf("/staff/plans/%d", v.ID)}
}

// planDeletePage asks to confirm the deletion of an action plan.
func (s *Server) planDeletePage(c *gin.Context) error {
	v, err := s.pathPlan(c)
	if err != nil {
		return err
	}
	return s.confirmDelete(c, http.StatusOK, planDeletion(v), plansCrumbs)
}

// deletePlan removes an action plan.
func (s *Server) deletePlan(c *gin.Context) error {
	v, err := s.pathPlan(c)
	if err != nil {
		return err
	}
	return s.deleteThen(c, planDeletion(v), plansCrumbs, func() error { return s.Store.ActionPlans().Delete(c.Request.Context(), v.ID) }, "/staff/plans")
}

// --- Commitments ------------------------------------------------------------

func (s *Server) pathCommitment(c *gin.Context) (*fabrique.ActionPlan, *fabrique.Commitment, error) {
	ctx := c.Request.Context()
	id, err := httpx.PathID(c, "id")
	if err != nil {
		return nil, nil, err
	}
	item, err := httpx.PathID(c, "item")
	if err != nil {
		return nil, nil, err
	}
	plan, err := s.Store.ActionPlans().Get(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	v, err := s.Store.Commitments().Get(ctx, item)
	if err != nil {
		return nil, nil, err
	}
	if v.PlanID != plan.ID {
		return nil, nil, fabrique.Errorf(fabrique.ENOTFOUND, "Le plan « %s » n'a pas d'engagement n° %d.", plan.Title, item)
	}
	return plan, v, mayWrite(c, "modifier les engagements", fabrique.ObjReference, reference)
}

func commitmentCrumbs(plan *fabrique.ActionPlan) []crumb {
	return append(plansCrumbs[:1:1], crumb{Label: plan.Title, Href: fmt.Sprintf("/staff/plans/%d", plan.ID)})
}

// commitmentChoices lists what the commitment form offers, without v itself as a parent.
func (s *Server) commitmentChoices(c *gin.Context, v *fabrique.Commitment) (*planView, error) {
	ctx := c.Request.Context()
	cs, err := all(ctx, s.Store.Commitments(), map[string]string{"plan_id": fmt.Sprint(v.PlanID)})
	if err != nil {
		return nil, err
	}
	carriers, err := s.orgOptions(c)
	if err != nil {
		return nil, err
	}
	d := &planView{Carriers: carriers, Kinds: options("commitment", fabrique.CommitmentKinds),
		Statuses: options("progress", fabrique.CommitmentStatuses), Principles: options("principle", fabrique.Principles)}
	for _, cm := range cs {
		if cm.Kind == fabrique.KindCommitment && cm.ID != v.ID {
			d.Parents = append(d.Parents, option{Value: fmt.Sprint(cm.ID), Label: "n° " + cm.Number + " — " + cm.Title})
		}
	}
	return d, nil
}

func (s *Server) showCommitmentEdit(c *gin.Context, status int, f *form, plan *fabrique.ActionPlan, v *fabrique.Commitment, title string) error {
	d, err := s.commitmentChoices(c, v)
	if err != nil {
		return err
	}
	d.Plan = plan
	return s.showEdit(c, status, "commitment_edit.html", "Modifier « "+title+" »", f, d, commitmentCrumbs(plan))
}

// commitmentEditPage shows the form of a commitment, filled.
func (s *Server) commitmentEditPage(c *gin.Context) error {
	plan, v, err := s.pathCommitment(c)
	if err != nil {
		return err
	}
	f := newForm("engagement", fmt.Sprintf("/staff/plans/%d/commitments/%d/edit", plan.ID, v.ID), commitmentFields...)
	f.Set("number", v.Number)
	f.Set("title", v.Title)
	f.Set("kind", string(v.Kind))
	f.Set("parent_id", idText(v.ParentID))
	f.Set("status", string(v.Status))
	f.Set("description", v.Description)
	for _, pr := range v.Principles {
		f.Values.Add("principles", string(pr))
	}
	for _, o := range v.CarrierIDs {
		f.Values.Add("carrier_ids", fmt.Sprint(o))
	}
	return s.showCommitmentEdit(c, http.StatusOK, f, plan, v, v.Title)
}

// updateCommitment saves a commitment.
func (s *Server) updateCommitment(c *gin.Context) error {
	plan, v, err := s.pathCommitment(c)
	if err != nil {
		return err
	}
	title := v.Title
	f := postedForm(c, "engagement", fmt.Sprintf("/staff/plans/%d/commitments/%d/edit", plan.ID, v.ID), commitmentFields...)
	readCommitment(f, v)
	status, err := submit(f, nil, v.Validate, func() error { return s.Store.Commitments().Update(c.Request.Context(), v) })
	if err != nil || status != 0 {
		return orErr(err, func() error { return s.showCommitmentEdit(c, status, f, plan, v, title) })
	}
	return redirect(c, fmt.Sprintf("/staff/plans/%d", plan.ID), "saved")
}

func commitmentDeletion(plan *fabrique.ActionPlan, v *fabrique.Commitment) deletion {
	return deletion{What: "l'engagement n° " + v.Number + " « " + v.Title + " »",
		Action: fmt.Sprintf("/staff/plans/%d/commitments/%d/delete", plan.ID, v.ID), Back: fmt.Sprintf("/staff/plans/%d", plan.ID)}
}

// commitmentDeletePage asks to confirm the deletion of a commitment.
func (s *Server) commitmentDeletePage(c *gin.Context) error {
	plan, v, err := s.pathCommitment(c)
	if err != nil {
		return err
	}
	return s.confirmDelete(c, http.StatusOK, commitmentDeletion(plan, v), commitmentCrumbs(plan))
}

// deleteCommitment removes a commitment.
func (s *Server) deleteCommitment(c *gin.Context) error {
	plan, v, err := s.pathCommitment(c)
	if err != nil {
		return err
	}
	return s.deleteThen(c, commitmentDeletion(plan, v), commitmentCrumbs(plan),
		func() error { return s.Store.Commitments().Delete(c.Request.Context(), v.ID) }, fmt.Sprintf("/staff/plans/%d", plan.ID))
}

// --- Organisations ----------------------------------------------------------

var organisationsCrumbs = []crumb{{Label: "Organisations", Href: "/staff/organisations"}}

func (s *Server) pathOrganisation(c *gin.Context) (*fabrique.Organisation, error) {
	id, err := httpx.PathID(c, "id")
	if err != nil {
		return nil, err
	}
	v, err := s.Store.Organisations().Get(c.Request.Context(), id)
	if err != nil {
		return nil, err
	}
	return v, mayWrite(c, "modifier les organisations", fabrique.ObjReference, reference)
}

func (s *Server) showOrganisationEdit(c *gin.Context, status int, f *form, name string) error {
	return s.showEdit(c, status, "organisation_edit.html", "Modifier « "+name+" »", f,
		map[string]any{"Kinds": options("org", fabrique.OrganisationKinds)}, organisationsCrumbs)
}

// organisationEditPage shows the form of an organisation, filled.
func (s *Server) organisationEditPage(c *gin.Context) error {
	v, err := s.pathOrganisation(c)
	if err != nil {
		return err
	}
	f := newForm("organisation", fmt.Sprintf("/staff/organisations/%d/edit", v.ID), organisationFields...)
	for name, value := range map[string]string{"name": v.Name, "acronym": v.Acronym, "kind": string(v.Kind),
		"contact_name": v.ContactName, "contact_email": v.ContactEmail, "website": v.Website} {
		f.Set(name, value)
	}
	if v.Trusted {
		f.Set("trusted", "1")
	}
	return s.showOrganisationEdit(c, http.StatusOK, f, v.Name)
}

// updateOrganisation saves an organisation.
func (s *Server) updateOrganisation(c *gin.Context) error {
	v, err := s.pathOrganisation(c)
	if err != nil {
		return err
	}
	name := v.Name
	f := postedForm(c, "organisation", fmt.Sprintf("/staff/organisations/%d/edit", v.ID), organisationFields...)
	readOrganisation(f, v)
	status, err := submit(f, nil, v.Validate, func() error { return s.Store.Organisations().Update(c.Request.Context(), v) })
	if err != nil || status != 0 {
		return orErr(err, func() error { return s.showOrganisationEdit(c, status, f, name) })
	}
	return redirect(c, "/staff/organisations", "saved")
}

func organisationDeletion(v *fabrique.Organisation) deletion {
	return deletion{What: "l'organisation « " + v.Name + " »", Action: fmt.Sprintf("/staff/organisations/%d/delete", v.ID), Back: "/staff/organisations"}
}

// organisationDeletePage asks to confirm the deletion of an organisation.
func (s *Server) organisationDeletePage(c *gin.Context) error {
	v, err := s.pathOrganisation(c)
	if err != nil {
		return err
	}
	return s.confirmDelete(c, http.StatusOK, organisationDeletion(v), organisationsCrumbs)
}

// deleteOrganisation removes an organisation.
func (s *Server) deleteOrganisation(c *gin.Context) error {
	v, err := s.pathOrganisation(c)
	if err != nil {
		return err
	}
	return s.deleteThen(c, organisationDeletion(v), organisationsCrumbs,
		func() error { return s.Store.Organisations().Delete(c.Request.Context(), v.ID) }, "/staff/organisations")
}

// --- People -----------------------------------------------------------------

var peopleCrumbs = []crumb{{Label: "Personnes", Href: "/staff/people"}}

func (s *Server) pathPerson(c *gin.Context) (*fabrique.Person, error) {
	id, err := httpx.PathID(c, "id")
	if err != nil {
		return nil, err
	}
	v, err := s.Store.People().Get(c.Request.Context(), id)
	if err != nil {
		return nil, err
	}
	return v, mayWrite(c, "modifier cette personne", v.PolicyObject(), v.Owner())
}

func (s *Server) showPersonEdit(c *gin.Context, status int, f *form, name string) error {
	orgs, err := s.orgOptions(c)
	if err != nil {
		return err
	}
	return s.showEdit(c, status, "person_edit.html", "Modifier « "+name+" »", f,
		map[string]any{"Organisations": orgs, "Categories": options("category", fabrique.Categories)}, peopleCrumbs)
}

// personEditPage shows the form of a person, filled.
func (s *Server) personEditPage(c *gin.Context) error {
	v, err := s.pathPerson(c)
	if err != nil {
		return err
	}
	f := newForm("personne", fmt.Sprintf("/staff/people/%d/edit", v.ID), personFields...)
	f.Set("name", v.Name)
	f.Set("email", v.Email)
	f.Set("organisation_id", idText(v.OrganisationID))
	f.Set("category", string(v.Category))
	f.Set("role", v.Role)
	f.Set("topics", strings.Join(v.Topics, ", "))
	return s.showPersonEdit(c, http.StatusOK, f, v.Name)
}

// updatePerson saves a person (their availability is kept).
func (s *Server) updatePerson(c *gin.Context) error {
	v, err := s.pathPerson(c)
	if err != nil {
		return err
	}
	name := v.Name
	f := postedForm(c, "personne", fmt.Sprintf("/staff/people/%d/edit", v.ID), personFields...)
	readPerson(f, v)
	status, err := submit(f, nil, v.Validate, func() error { return s.Store.People().Update(c.Request.Context(), v) })
	if err != nil || status != 0 {
		return orErr(err, func() error { return s.showPersonEdit(c, status, f, name) })
	}
	return redirect(c, "/staff/people", "saved")
}

func personDeletion(v *fabrique.Person) deletion {
	return deletion{What: "la fiche de « " + v.Name + " »", Action: fmt.Sprintf("/staff/people/%d/delete", v.ID), Back: "/staff/people"}
}

// personDeletePage asks to confirm the deletion of a person.
func (s *Server) personDeletePage(c *gin.Context) error {
	v, err := s.pathPerson(c)
	if err != nil {
		return err
	}
	return s.confirmDelete(c, http.StatusOK, personDeletion(v), peopleCrumbs)
}

// deletePerson removes a person.
func (s *Server) deletePerson(c *gin.Context) error {
	v, err := s.pathPerson(c)
	if err != nil {
		return err
	}
	return s.deleteThen(c, personDeletion(v), peopleCrumbs, func() error { return s.Store.People().Delete(c.Request.Context(), v.ID) }, "/staff/people")
}
