package pages

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"fabrique/internal/fabrique"
)

// The page of an event's changes not yet told to its participants: what
// changed, who will be told, « Publier les modifications », and the quiet
// delay after which they go by themselves (issue 15).

func (s *Server) mountChangePages(st *gin.RouterGroup) {
	st.GET("/events/:id/modifications", s.page(s.changesPage))
	st.POST("/events/:id/modifications/publier", s.page(s.releaseChangesForm))
	st.POST("/events/:id/modifications/delai", s.page(s.changeDelayForm))
}

func init() {
	notices["changes-released"] = "Les modifications sont annoncées : chaque participant concerné reçoit une seule mise à jour."
}

var changeFields = []string{"delay_minutes", "reminder_days"}

// changesView is what the page shows.
type changesView struct {
	Event   *fabrique.Event
	Pending *fabrique.PendingChanges
}

func (s *Server) changesPage(c *gin.Context) error {
	return s.showChanges(c, http.StatusOK, nil)
}

func (s *Server) showChanges(c *gin.Context, status int, f *form) error {
	ev, err := s.pathEvent(c)
	if err != nil {
		return err
	}
	p, err := s.Store.Changes().PendingChanges(c.Request.Context(), ev.ID)
	if err != nil {
		return err
	}
	if f == nil {
		f = newForm("delai", fmt.Sprintf("/staff/events/%d/modifications/delai", ev.ID), changeFields...)
		f.Set("delay_minutes", strconv.Itoa(p.DelayMinutes))
		f.Set("reminder_days", strconv.Itoa(p.ReminderDays))
	}
	return s.render(c, status, "changes.html", &view{Title: "Modifications à annoncer", Data: &changesView{Event: ev, Pending: p},
		Forms:  map[string]*form{"delai": f},
		Crumbs: []crumb{{Label: "Tableau de bord", Href: "/staff"}, {Label: ev.Title, Href: fmt.Sprintf("/staff/events/%d", ev.ID)}}})
}

// releaseChangesForm tells the participants now.
func (s *Server) releaseChangesForm(c *gin.Context) error {
	ev, err := s.pathEvent(c)
	if err != nil {
		return err
	}
	if _, err := s.Store.Changes().ReleaseChanges(c.Request.Context(), ev.ID); err != nil {
		return err
	}
	return redirect(c, fmt.Sprintf("/staff/events/%d/modifications", ev.ID), "changes-released")
}

// changeDelayForm sets the quiet delay.
func (s *Server) changeDelayForm(c *gin.Context) error {
	ev, err := s.pathEvent(c)
	if err != nil {
		return err
	}
	f := postedForm(c, "delai", fmt.Sprintf("/staff/events/%d/modifications/delai", ev.ID), changeFields...)
	p := parser{f}
	if p.text("delay_minutes") == "" {
		f.fail("delay_minutes", "Indiquez un nombre de minutes, de 0 à 1440 (0 : chaque modification part aussitôt).")
	}
	if p.text("reminder_days") == "" {
		f.fail("reminder_days", "Indiquez un nombre de jours, de 0 à 30 (0 : pas de rappel).")
	}
	st := &fabrique.ChangeSettings{DelayMinutes: p.integer("delay_minutes", 0), ReminderDays: p.integer("reminder_days", 0)}
	status, err := submit(f, nil, st.Validate, func() error { return s.Store.Changes().SetChangeSettings(c.Request.Context(), ev.ID, st) })
	if err != nil || status != 0 {
		return orErr(err, func() error { return s.showChanges(c, status, f) })
	}
	return redirect(c, fmt.Sprintf("/staff/events/%d/modifications", ev.ID), "saved")
}
