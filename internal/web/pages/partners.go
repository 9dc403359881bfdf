package pages

import (
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"fabrique/internal/fabrique"
	"fabrique/internal/web/httpx"
)

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
