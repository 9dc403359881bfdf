package pages

import (
	"fmt"
	"strings"

	"github.com/gin-gonic/gin"

	"fabrique/internal/fabrique"
	"fabrique/internal/web/httpx"
)

// Staff act on one registration from the registrations page: cancel it,
// move it to another workshop, resend its invitation, or add someone. The
// pages write through the same store functions as the API
// (/api/v1/registrations and /api/v1/registrations/{id}/resend): the same
// rules, the same messages, and the participant told by the same outbox.

func (s *Server) mountRegistrationActionPages(st *gin.RouterGroup) {
	st.POST("/events/:id/registrations", s.page(s.addRegistration))
	st.GET("/events/:id/registrations/:reg/cancel", s.page(s.cancelRegistrationPage))
	st.POST("/events/:id/registrations/:reg/cancel", s.page(s.cancelRegistrationByStaff))
	st.POST("/events/:id/registrations/:reg/move", s.page(s.moveRegistration))
	st.POST("/events/:id/registrations/:reg/resend", s.page(s.resendInvitation))
}

func init() {
	notices["registration-added"] = "La personne est inscrite. Elle reçoit son invitation par courriel."
	notices["registration-waiting"] = "La personne est inscrite sur la liste d'attente. Elle en est prévenue par courriel."
	notices["registration-cancelled"] = "L'inscription est annulée. Un courriel retire l'événement de l'agenda de la personne."
	notices["registration-moved"] = "Le changement d'atelier est enregistré. La personne reçoit une mise à jour de son invitation."
	notices["invitation-resent"] = "L'invitation est renvoyée, avec le même lien personnel."
}

var addRegistrationFields = []string{"name", "email", "category", "organisation", "workshop_id", "waiting"}

// rosterAddForm is the empty form to add someone.
func rosterAddForm(eventID int64) *form {
	return newForm("ajout", fmt.Sprintf("/staff/events/%d/registrations#ajout", eventID), addRegistrationFields...)
}

// staffRegistration reads the registration of the path, which must belong
// to the event of the path.
func (s *Server) staffRegistration(c *gin.Context) (*fabrique.Registration, error) {
	eventID, err := httpx.PathID(c, "id")
	if err != nil {
		return nil, err
	}
	regID, err := httpx.PathID(c, "reg")
	if err != nil {
		return nil, err
	}
	r, err := s.Store.Registrations().Get(c.Request.Context(), regID)
	if err != nil {
		return nil, err
	}
	if r.EventID != eventID {
		return nil, fabrique.Errorf(fabrique.ENOTFOUND, "L'inscription n° %d n'est pas une inscription de cet événement.", regID)
	}
	return r, nil
}

// actOnRegistration runs act, then goes back to the registrations page
// with the notice ok, or re-shows it with the store's refusal above it.
func (s *Server) actOnRegistration(c *gin.Context, act func(r *fabrique.Registration) error, ok string) error {
	r, err := s.staffRegistration(c)
	if err != nil {
		return err
	}
	if err := act(r); err != nil {
		switch fabrique.ErrorCode(err) {
		case fabrique.EINVALID, fabrique.ECONFLICT, fabrique.EFORBIDDEN:
		default:
			return err
		}
		c.Set(ctxFlash, refusalText(err))
		return s.showRoster(c, refusedStatus(err), rosterAddForm(r.EventID))
	}
	return redirect(c, fmt.Sprintf("/staff/events/%d/registrations", r.EventID), ok)
}

// refusalText is the store's refusal as one French sentence.
func refusalText(err error) string {
	fields := fabrique.ErrorFields(err)
	if len(fields) == 0 {
		return fabrique.ErrorMessage(err)
	}
	var parts []string
	for _, f := range fields {
		parts = append(parts, capitalise(f.Message)+".")
	}
	return strings.Join(parts, " ")
}

// cancelRegistrationByStaff cancels a registration (PUT status cancelled
// through the API): the participant receives a CANCEL, the seat goes to
// the first person waiting.
// cancelRegistrationPage asks staff to confirm a cancellation: the
// participant loses their place and is told by email, so one click on the
// registrations page must not do it.
func (s *Server) cancelRegistrationPage(c *gin.Context) error {
	eventID, err := httpx.PathID(c, "id")
	if err != nil {
		return err
	}
	regID, err := httpx.PathID(c, "reg")
	if err != nil {
		return err
	}
	ctx := c.Request.Context()
	ev, err := s.Store.Events().Get(ctx, eventID)
	if err != nil {
		return err
	}
	u := fabrique.UserFrom(ctx)
	if !can(u, string(fabrique.ActChange), participantsOf{ev}) {
		return fabrique.Authorize(u, fabrique.ObjParticipant, fabrique.ActChange, fabrique.Owner{Orgs: []int64{ev.HostOrganisationID}})
	}
	roster, err := s.Store.Enrolments().Roster(ctx, eventID)
	if err != nil {
		return err
	}
	var entry *fabrique.RosterEntry
	for i := range roster.Entries {
		if e := &roster.Entries[i]; e.RegistrationID == regID && e.Status != fabrique.RegCancelled {
			entry = e
		}
	}
	if entry == nil {
		return fabrique.Errorf(fabrique.ENOTFOUND, "L'inscription n° %d n'est pas une inscription en cours de cet événement.", regID)
	}
	workshop := ""
	for _, w := range roster.Workshops {
		if entry.WorkshopID != nil && w.ID == *entry.WorkshopID {
			workshop = fabrique.WorkshopLabel(w.Number, w.Title)
		}
	}
	back := fmt.Sprintf("/staff/events/%d/registrations", eventID)
	return s.render(c, 200, "registration_cancel.html", &view{Title: "Annuler l'inscription de " + entry.Name,
		Data: map[string]any{"Event": ev, "Entry": entry, "Workshop": workshop, "Back": back,
			"Action": fmt.Sprintf("%s/%d/cancel", back, regID)},
		Crumbs: []crumb{{Label: "Tableau de bord", Href: "/staff"}, {Label: ev.Title, Href: fmt.Sprintf("/staff/events/%d", eventID)},
			{Label: "Inscriptions", Href: back}}})
}

func (s *Server) cancelRegistrationByStaff(c *gin.Context) error {
	return s.actOnRegistration(c, func(r *fabrique.Registration) error {
		if r.Status == fabrique.RegCancelled {
			return fabrique.Errorf(fabrique.ECONFLICT, "Cette inscription est déjà annulée.")
		}
		r.Status = fabrique.RegCancelled
		return s.Store.Registrations().Update(c.Request.Context(), r)
	}, "registration-cancelled")
}

// moveRegistration moves a registration to another workshop (PUT
// workshop_id through the API): one update to the participant.
func (s *Server) moveRegistration(c *gin.Context) error {
	f := postedForm(c, "deplacement", "", "workshop_id")
	return s.actOnRegistration(c, func(r *fabrique.Registration) error {
		to := parser{f}.id("workshop_id")
		switch {
		case f.Failed():
			return fabrique.Invalid("workshop_id", "choisissez l'atelier dans la liste")
		case to == nil:
			return fabrique.Invalid("workshop_id", "choisissez l'atelier où déplacer la personne")
		case r.WorkshopID != nil && *r.WorkshopID == *to:
			return fabrique.Invalid("workshop_id", "la personne est déjà dans cet atelier : choisissez-en un autre")
		}
		r.WorkshopID = to
		return s.Store.Registrations().Update(c.Request.Context(), r)
	}, "registration-moved")
}

// resendInvitation sends a registration's invitation again: the same UID,
// the same private link.
func (s *Server) resendInvitation(c *gin.Context) error {
	return s.actOnRegistration(c, func(r *fabrique.Registration) error {
		return s.Store.Enrolments().ResendInvitation(c.Request.Context(), r.ID)
	}, "invitation-resent")
}

// addRegistration registers someone as staff (POST /people then POST
// /registrations through the API): the participant of the host with this
// address, or a new one; a seat when the workshop and the event have one
// (or the waiting list when asked), and the invitation by email.
func (s *Server) addRegistration(c *gin.Context) error {
	ctx := c.Request.Context()
	eventID, err := httpx.PathID(c, "id")
	if err != nil {
		return err
	}
	ev, err := s.Store.Events().Get(ctx, eventID)
	if err != nil {
		return err
	}
	if !can(fabrique.UserFrom(ctx), string(fabrique.ActChange), participantsOf{ev}) {
		return fabrique.Authorize(fabrique.UserFrom(ctx), fabrique.ObjParticipant, fabrique.ActChange, fabrique.Owner{Orgs: []int64{ev.HostOrganisationID}})
	}
	f := postedForm(c, "ajout", fmt.Sprintf("/staff/events/%d/registrations#ajout", eventID), addRegistrationFields...)
	p := parser{f}
	person := &fabrique.Person{Name: p.text("name"), Email: p.text("email"), Category: fabrique.Category(p.text("category")),
		Kind: fabrique.PersonParticipant, OwnerOrganisationID: &ev.HostOrganisationID}
	reg := &fabrique.Registration{EventID: eventID, WorkshopID: p.id("workshop_id"), Status: fabrique.RegRegistered, Organisation: p.text("organisation")}
	if p.checked("waiting") {
		reg.Status = fabrique.RegWaiting
	}
	var pr fabrique.Problems
	pr.Email("email", person.Email, true)
	if person.Category == "" {
		pr.Add("category", "choisissez la catégorie de la personne")
	}
	pr.Line("organisation", reg.Organisation, fabrique.MaxName)
	for _, err := range []error{pr.Err(), person.Validate()} {
		if err != nil {
			f.refuse(err, nil)
		}
	}
	status, err := submit(f, nil, func() error { return nil }, func() error { return s.registerSomeone(c, ev, person, reg) })
	if err != nil || status != 0 {
		return orErr(err, func() error { return s.showRoster(c, status, f) })
	}
	if reg.Status == fabrique.RegWaiting {
		return redirect(c, fmt.Sprintf("/staff/events/%d/registrations", eventID), "registration-waiting")
	}
	return redirect(c, fmt.Sprintf("/staff/events/%d/registrations", eventID), "registration-added")
}

// registerSomeone finds or creates the participant, then the registration;
// a participant created here is removed again when the registration is
// refused (nothing half written).
func (s *Server) registerSomeone(c *gin.Context, ev *fabrique.Event, person *fabrique.Person, reg *fabrique.Registration) error {
	ctx := c.Request.Context()
	found, err := s.Store.People().List(ctx, fabrique.ListOptions{Limit: 50, Filters: map[string]string{"email": person.Email, "kind": string(fabrique.PersonParticipant)}})
	if err != nil {
		return err
	}
	for _, x := range found.Items {
		if x.OwnerOrganisationID != nil && *x.OwnerOrganisationID == ev.HostOrganisationID {
			person = x
		}
	}
	if person.ID != 0 {
		regs, err := s.Store.Registrations().List(ctx, fabrique.ListOptions{Limit: 1, Filters: map[string]string{
			"event_id": fmt.Sprint(ev.ID), "person_id": fmt.Sprint(person.ID)}})
		if err != nil {
			return err
		}
		if len(regs.Items) > 0 {
			return fabrique.Invalid("email", "%s (%s) a déjà une inscription à cet événement (%s) : agissez sur celle-ci dans la liste",
				person.Name, person.Email, strings.ToLower(registrationLabel(regs.Items[0].Status)))
		}
	}
	// A new person and the registration in one transaction: a refusal
	// leaves no contact behind.
	return s.Store.Enrolments().AddRegistration(ctx, person, reg)
}
