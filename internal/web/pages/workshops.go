package pages

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"fabrique/internal/fabrique"
	"fabrique/internal/web/httpx"
)

// workshopFromForm reads the workshop form into w.
func workshopFromForm(f *form, w *fabrique.Workshop) {
	p := parser{f}
	w.Number = p.integer("number", 0)
	w.Title, w.Description = p.text("title"), p.text("description")
	if id := p.id("item_id"); id != nil {
		w.ItemID = *id
	} else {
		w.ItemID = 0
	}
	w.RoomID = p.id("room_id")
	w.Capacity = p.integer("capacity", 0)
	w.Controversy = p.checked("controversy")
	w.CommitmentIDs = p.ids("commitment_ids")
	w.FacilitatorIDs = p.ids("facilitator_ids")
}

// createWorkshop adds a workshop to the event.
func (s *Server) createWorkshop(c *gin.Context) error {
	ev, err := s.pathEvent(c)
	if err != nil {
		return err
	}
	f := postedForm(c, "atelier", "", workshopFields...)
	w := &fabrique.Workshop{EventID: ev.ID}
	workshopFromForm(f, w)
	status, err := submit(f, nil, w.Validate, func() error { return s.Store.Workshops().Create(c.Request.Context(), w) })
	if err != nil || status != 0 {
		return orErr(err, func() error { return s.showEditor(c, status, nil, f) })
	}
	return redirect(c, fmt.Sprintf("/staff/events/%d#ateliers", ev.ID), "created")
}

// pathWorkshop reads the workshop of the path, which must belong to the event.
func (s *Server) pathWorkshop(c *gin.Context) (*fabrique.Workshop, error) {
	ev, err := s.pathEvent(c)
	if err != nil {
		return nil, err
	}
	id, err := httpx.PathID(c, "item")
	if err != nil {
		return nil, err
	}
	w, err := s.Store.Workshops().Get(c.Request.Context(), id)
	if err == nil && w.EventID != ev.ID {
		err = fabrique.Errorf(fabrique.ENOTFOUND, "L'atelier n° %d n'appartient pas à cet événement.", id)
	}
	return w, err
}

// workshopPage shows the form that edits a workshop.
func (s *Server) workshopPage(c *gin.Context) error {
	w, err := s.pathWorkshop(c)
	if err != nil {
		return err
	}
	f := newForm("atelier", "", workshopFields...)
	f.Set("number", strconv.Itoa(w.Number))
	f.Set("title", w.Title)
	f.Set("description", w.Description)
	f.Set("item_id", fmt.Sprint(w.ItemID))
	if w.RoomID != nil {
		f.Set("room_id", fmt.Sprint(*w.RoomID))
	}
	f.Set("capacity", strconv.Itoa(w.Capacity))
	if w.Controversy {
		f.Set("controversy", "1")
	}
	for _, id := range w.CommitmentIDs {
		f.Values.Add("commitment_ids", fmt.Sprint(id))
	}
	for _, id := range w.FacilitatorIDs {
		f.Values.Add("facilitator_ids", fmt.Sprint(id))
	}
	return s.showWorkshop(c, http.StatusOK, f, w)
}

func (s *Server) showWorkshop(c *gin.Context, status int, f *form, w *fabrique.Workshop) error {
	ed, err := s.loadEditor(c)
	if err != nil {
		return err
	}
	f.Action = fmt.Sprintf("/staff/events/%d/workshops/%d", ed.Event.ID, w.ID)
	return s.render(c, status, "workshop.html", &view{Title: "Modifier l'atelier « " + w.Title + " »", Data: ed,
		Forms:  map[string]*form{"workshop": f},
		Crumbs: []crumb{{Label: "Tableau de bord", Href: "/staff"}, {Label: ed.Event.Title, Href: fmt.Sprintf("/staff/events/%d", ed.Event.ID)}}})
}

// updateWorkshop saves a workshop.
func (s *Server) updateWorkshop(c *gin.Context) error {
	w, err := s.pathWorkshop(c)
	if err != nil {
		return err
	}
	f := postedForm(c, "atelier", "", workshopFields...)
	workshopFromForm(f, w)
	status, err := submit(f, nil, w.Validate, func() error { return s.Store.Workshops().Update(c.Request.Context(), w) })
	if err != nil || status != 0 {
		return orErr(err, func() error { return s.showWorkshop(c, status, f, w) })
	}
	return redirect(c, fmt.Sprintf("/staff/events/%d#ateliers", w.EventID), "saved")
}

// deleteWorkshop removes a workshop; one with registrations is refused.
func (s *Server) deleteWorkshop(c *gin.Context) error {
	w, err := s.pathWorkshop(c)
	if err != nil {
		return err
	}
	if err := s.Store.Workshops().Delete(c.Request.Context(), w.ID); err != nil {
		if code := fabrique.ErrorCode(err); code != fabrique.ECONFLICT && code != fabrique.EFORBIDDEN {
			return err
		}
		c.Set(ctxFlash, fabrique.ErrorMessage(err))
		return s.showEditor(c, refusedStatus(err), nil, nil)
	}
	return redirect(c, fmt.Sprintf("/staff/events/%d#ateliers", w.EventID), "deleted")
}

// community is a forum's map of partners to mobilise, grouped by kind,
// counted against the five institutional and five external the method asks.
type community struct {
	Event         *fabrique.Event
	Groups        []partnerGroup
	Institutional int
	External      int
	Target        int
	Kinds         []option
	Statuses      []option
}

// partnerGroup is the partners of one kind of organisation.
type partnerGroup struct {
	Kind          string
	Institutional bool
	Partners      []*fabrique.Partner
}

var partnerFields = []string{"name", "kind", "contact", "status", "notes"}

// partnersPage shows the community map of a forum, with a form to add a partner.
func (s *Server) partnersPage(c *gin.Context) error {
	f := newForm("partenaire", "", partnerFields...)
	f.Set("status", string(fabrique.PartnerToContact))
	return s.showPartners(c, http.StatusOK, f)
}

func (s *Server) showPartners(c *gin.Context, status int, f *form) error {
	ev, err := s.pathEvent(c)
	if err != nil {
		return err
	}
	if ev.Kind != fabrique.EventForum {
		return fabrique.Errorf(fabrique.ENOTFOUND, "La carte de la communauté ne concerne que les Forums Open d'État.")
	}
	partners, err := all(c.Request.Context(), s.Store.Partners(), map[string]string{"event_id": fmt.Sprint(ev.ID)})
	if err != nil {
		return err
	}
	d := &community{Event: ev, Target: fabrique.PartnersPerSide, Kinds: options("org", fabrique.OrganisationKinds), Statuses: options("partner", fabrique.PartnerStatuses)}
	for _, k := range fabrique.OrganisationKinds {
		g := partnerGroup{Kind: label("org", k), Institutional: k.Institutional()}
		for _, p := range partners {
			if p.Kind == k {
				g.Partners = append(g.Partners, p)
			}
		}
		if len(g.Partners) > 0 {
			d.Groups = append(d.Groups, g)
		}
	}
	for _, p := range partners {
		if p.Status == fabrique.PartnerDeclined {
			continue
		}
		if p.Institutional() {
			d.Institutional++
		} else {
			d.External++
		}
	}
	f.Action = fmt.Sprintf("/staff/events/%d/partners", ev.ID)
	return s.render(c, status, "partners.html", &view{Title: "Communauté à mobiliser", Data: d, Forms: map[string]*form{"partner": f},
		Crumbs: []crumb{{Label: "Tableau de bord", Href: "/staff"}, {Label: ev.Title, Href: fmt.Sprintf("/staff/events/%d", ev.ID)}}})
}

// createPartner adds a partner to the community map.
func (s *Server) createPartner(c *gin.Context) error {
	ev, err := s.pathEvent(c)
	if err != nil {
		return err
	}
	f := postedForm(c, "partenaire", "", partnerFields...)
	p := parser{f}
	v := &fabrique.Partner{EventID: ev.ID, Name: p.text("name"), Kind: fabrique.OrganisationKind(p.text("kind")),
		Contact: p.text("contact"), Status: fabrique.PartnerStatus(p.text("status")), Notes: p.text("notes")}
	status, err := submit(f, nil, v.Validate, func() error { return s.Store.Partners().Create(c.Request.Context(), v) })
	if err != nil || status != 0 {
		return orErr(err, func() error { return s.showPartners(c, status, f) })
	}
	return redirect(c, fmt.Sprintf("/staff/events/%d/partners", ev.ID), "created")
}

// deletePartner removes a partner of the community map.
func (s *Server) deletePartner(c *gin.Context) error {
	ev, err := s.pathEvent(c)
	if err != nil {
		return err
	}
	id, err := httpx.PathID(c, "item")
	if err != nil {
		return err
	}
	p, err := s.Store.Partners().Get(c.Request.Context(), id)
	if err == nil && p.EventID != ev.ID {
		err = fabrique.Errorf(fabrique.ENOTFOUND, "Le partenaire n° %d n'appartient pas à cet événement.", id)
	}
	if err == nil {
		err = s.Store.Partners().Delete(c.Request.Context(), id)
	}
	if err != nil {
		return err
	}
	return redirect(c, fmt.Sprintf("/staff/events/%d/partners", ev.ID), "deleted")
}
