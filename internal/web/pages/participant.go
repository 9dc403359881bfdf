package pages

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"fabrique/internal/fabrique"
)

// The participant's private page, reached with the link of their emails
// (no account): their agenda, the calendar file, a change of workshop,
// the cancellation. Everything works without JavaScript.

// mountRegistrationPages registers the public registration, the
// participant's pages, and the staff's pages of registrations and of the
// outbox (st is the /staff group).
func (s *Server) mountRegistrationPages(st *gin.RouterGroup) {
	g := s.Engine
	g.POST("/events/:id/inscription", s.page(s.registerByForm))
	g.GET("/events/:id/inscription", s.page(s.registrationFormAgain))
	g.GET("/events/:id/inscription/confirmation", s.page(s.confirmationPage))
	g.GET("/p/:token", s.page(s.participantPage))
	g.POST("/p/:token/atelier", s.page(s.changeWorkshop))
	g.GET("/p/:token/annulation", s.page(s.cancelPage))
	g.POST("/p/:token/annulation", s.page(s.cancelRegistration))
	g.GET("/p/:token/suppression", s.page(s.erasePage))
	g.POST("/p/:token/suppression", s.page(s.eraseByParticipant))
	s.mountSubscriptionPages()
	s.mountStaffRegistrationPages(st)
	s.mountRegistrationActionPages(st) // cancel, move, resend, add (registration_actions.go)
}

// participantNotices are the confirmations of the participant's page.
var participantNotices = map[string]string{
	"atelier-change": "Votre changement d'atelier est enregistré. Un courriel met à jour votre agenda.",
	"annulee":        "Votre inscription est annulée. Un courriel retire l'événement de votre agenda.",
	"suivi":          "C'est noté : vous recevrez un courriel à chaque changement de l'état d'avancement de cet engagement.",
	"suivi-fin":      "C'est noté : vous ne recevrez plus de courriel sur cet engagement.",
}

// participantView is what the participant's page shows.
type participantView struct {
	Token    string
	Agenda   *fabrique.Agenda
	Items    []agendaItem
	Event    *eventDetail  // the event's public details; nil when they cannot be read
	Workshop *workshopView // the participant's workshop, with its commitments
	Ended    bool          // the event is over: nothing can change
	// Followed are the commitments of the workshop, which the participant
	// may ask to be told about (followup_subscriptions.go).
	Followed []*fabrique.FollowedCommitment
}

// agendaItem is an item of the agenda, with its online link apart.
type agendaItem struct {
	fabrique.CalendarItem
	Online string // the link of an online item
}

// StatusLabel says in French where the registration stands.
func (v *participantView) StatusLabel() string {
	a := v.Agenda
	switch a.Status {
	case fabrique.RegRegistered:
		return "Inscription confirmée"
	case fabrique.RegWaiting:
		if a.WaitingPosition > 0 {
			return fmt.Sprintf("Sur liste d'attente (n° %d)", a.WaitingPosition)
		}
		return "Sur liste d'attente"
	case fabrique.RegPending:
		return "En attente de la répartition des places"
	case fabrique.RegAttended:
		return "Présence enregistrée"
	}
	return "Inscription annulée"
}

// CanCancel reports whether the participant may still cancel.
func (v *participantView) CanCancel() bool {
	switch v.Agenda.Status {
	case fabrique.RegRegistered, fabrique.RegWaiting, fabrique.RegPending:
		return !v.Ended
	}
	return false
}

// Radios is the choice of another workshop in the form f.
func (v *participantView) Radios(f *form) *radioGroup {
	var skip int64
	if w := v.Agenda.Workshop; w != nil {
		skip = w.ID
	}
	return newRadioGroup(f, "workshop_id", "Le nouvel atelier", v.Agenda.Workshops, skip)
}

// loadParticipant reads the agenda of the token of the path and what the
// page shows beside it. A wrong link is a French "not found" page.
func (s *Server) loadParticipant(c *gin.Context) (*participantView, error) {
	c.Header("X-Robots-Tag", "noindex, nofollow")
	token := c.Param("token")
	a, err := s.Store.Enrolments().Agenda(c.Request.Context(), token)
	if err != nil {
		return nil, err
	}
	v := &participantView{Token: token, Agenda: a}
	if v.Followed, err = s.Store.FollowUp().Followed(c.Request.Context(), token); err != nil {
		return nil, err
	}
	for _, it := range a.Items {
		ai := agendaItem{CalendarItem: it}
		if u, ok := strings.CutPrefix(it.Location, "En ligne : "); ok {
			ai.Online = u
		}
		v.Items = append(v.Items, ai)
	}
	// The event's public details: the programme and the commitments of the
	// workshop. A cancelled or unpublished event may hide them: the agenda
	// stands on its own.
	if d, err := s.loadEvent(c.Request.Context(), a.EventID); err == nil {
		v.Event = d
		v.Ended = !d.Event.End.After(time.Now())
		if a.Workshop != nil {
			for _, w := range d.Workshops {
				if w.ID == a.Workshop.ID {
					v.Workshop = w
				}
			}
		}
	}
	return v, nil
}

// participantError shows a wrong or unknown link as a French page, with
// what to do; other errors go to the usual error page.
func (s *Server) participantError(c *gin.Context, err error) error {
	if fabrique.ErrorCode(err) != fabrique.ENOTFOUND {
		return err
	}
	return s.render(c, http.StatusNotFound, "error.html", &view{Title: "Lien personnel inconnu", Status: http.StatusNotFound,
		Error: "Ce lien personnel est inconnu : vérifiez qu'il est complet (copiez-le en entier depuis le courriel reçu). Pour recevoir un nouveau lien, inscrivez-vous de nouveau à l'événement avec la même adresse électronique : rien ne sera dupliqué."})
}

// participantPage shows the participant's agenda and what they may do.
func (s *Server) participantPage(c *gin.Context) error {
	return s.showParticipant(c, http.StatusOK, nil)
}

// showParticipant renders the participant's page with the change form f
// (an empty one when nil) and the change of address form (addr, or an
// empty one).
func (s *Server) showParticipant(c *gin.Context, status int, f *form, addr ...*form) error {
	v, err := s.loadParticipant(c)
	if err != nil {
		return s.participantError(c, err)
	}
	if f == nil {
		f = newForm("changement", "", "workshop_id", "wait")
	}
	f.Action = "/p/" + v.Token + "/atelier#changer"
	return s.render(c, status, "participant.html", &view{Title: "Mon inscription : " + v.Agenda.EventTitle, Data: v,
		Notice: participantNotices[c.Query("ok")], Forms: map[string]*form{"change": f, "address": append(addr, addressForm(v.Token))[0]}})
}

// changeWorkshop moves the participant to the workshop chosen; a full one
// needs their agreement to join its waiting list.
func (s *Server) changeWorkshop(c *gin.Context) error {
	v, err := s.loadParticipant(c)
	if err != nil {
		return s.participantError(c, err)
	}
	if !v.Agenda.CanChange {
		return s.render(c, http.StatusConflict, "participant.html", &view{Title: "Mon inscription : " + v.Agenda.EventTitle, Data: v,
			Flash: "Le changement d'atelier n'est pas ouvert pour cette inscription : rien n'a été modifié."})
	}
	f := postedForm(c, "changement", "", "workshop_id", "wait")
	p := parser{f}
	ch := fabrique.WorkshopChange{Wait: p.checked("wait")}
	if id := p.id("workshop_id"); id != nil {
		ch.WorkshopID = *id
		for _, w := range v.Agenda.Workshops {
			if w.ID == *id && w.SeatsLeft == 0 && !ch.Wait && v.Agenda.Status == fabrique.RegRegistered {
				f.fail("wait", fmt.Sprintf("L'atelier « %s » est complet : cochez cette case pour rejoindre sa liste d'attente (votre place actuelle sera libérée), ou choisissez un autre atelier.", w.Title))
			}
		}
	} else if !f.Failed() {
		f.fail("workshop_id", "Choisissez un atelier.")
	}
	status, err := submit(f, nil, func() error { return nil }, func() error {
		_, err := s.Store.Enrolments().ChangeWorkshop(c.Request.Context(), v.Token, ch)
		return err
	})
	if err != nil || status != 0 {
		return orErr(err, func() error { return s.showParticipant(c, status, f) })
	}
	return redirect(c, "/p/"+v.Token, "atelier-change")
}

// cancelPage asks the participant to confirm the cancellation.
func (s *Server) cancelPage(c *gin.Context) error {
	v, err := s.loadParticipant(c)
	if err != nil {
		return s.participantError(c, err)
	}
	if !v.CanCancel() {
		return redirect(c, "/p/"+v.Token, "")
	}
	return s.render(c, http.StatusOK, "participant_cancel.html", &view{Title: "Annuler mon inscription", Data: v,
		Crumbs: []crumb{{Label: "Mon inscription", Href: "/p/" + v.Token}}})
}

// cancelRegistration cancels the participant's registration.
func (s *Server) cancelRegistration(c *gin.Context) error {
	v, err := s.loadParticipant(c)
	if err != nil {
		return s.participantError(c, err)
	}
	if _, err := s.Store.Enrolments().CancelRegistration(c.Request.Context(), v.Token); err != nil {
		if fabrique.ErrorCode(err) != fabrique.ECONFLICT {
			return err
		}
		return s.render(c, http.StatusConflict, "participant_cancel.html", &view{Title: "Annuler mon inscription", Data: v,
			Flash: fabrique.ErrorMessage(err), Crumbs: []crumb{{Label: "Mon inscription", Href: "/p/" + v.Token}}})
	}
	return redirect(c, "/p/"+v.Token, "annulee")
}

// erasePage asks the participant to confirm the erasure of their data.
func (s *Server) erasePage(c *gin.Context) error {
	v, err := s.loadParticipant(c)
	if err != nil {
		return s.participantError(c, err)
	}
	return s.render(c, http.StatusOK, "participant_erase.html", &view{Title: "Supprimer mes données", Data: v,
		Crumbs: []crumb{{Label: "Mon inscription", Href: "/p/" + v.Token}}})
}

// eraseByParticipant erases the participant's data; the private link then
// stops working, so the answer is a page of its own, not a redirect to it.
func (s *Server) eraseByParticipant(c *gin.Context) error {
	v, err := s.loadParticipant(c)
	if err != nil {
		return s.participantError(c, err)
	}
	e, err := s.Store.Privacy().EraseParticipant(c.Request.Context(), v.Token)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "participant_erased.html", &view{Title: "Vos données sont supprimées", Data: e})
}
