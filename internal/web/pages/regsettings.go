package pages

import (
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"fabrique/internal/fabrique"
)

// The staff's page of an event's registration rules: review of the
// messages before sending, closing date, allocation by ranked choices, and
// the allocation of the places once registration has closed.

// mountSettingsPages registers the registration settings routes on the staff group.
func (s *Server) mountSettingsPages(st *gin.RouterGroup) {
	st.GET("/events/:id/registration-settings", s.page(s.settingsPage))
	st.POST("/events/:id/registration-settings", s.page(s.saveSettings))
	st.POST("/events/:id/allocate", s.page(s.allocatePlaces))
}

var settingsFields = []string{"allocation", "closes_date", "closes_time", "review"}

// allocationOptions are the modes of allocation, in French.
var allocationOptions = []option{
	{Value: string(fabrique.AllocFirstCome), Label: "Dans l'ordre d'arrivée : chacun choisit son atelier"},
	{Value: string(fabrique.AllocPreference), Label: "Par choix classés (1 à 3), répartis à la clôture"},
}

// settingsView is what the settings page shows.
type settingsView struct {
	Event       *fabrique.Event
	Settings    *fabrique.RegistrationSettings
	Allocations []option
	CanAllocate bool // ranked choices, not yet allocated
}

// settingsPage shows the registration rules of an event, filled.
func (s *Server) settingsPage(c *gin.Context) error {
	ev, err := s.pathEvent(c)
	if err != nil {
		return err
	}
	return s.showStoredSettings(c, http.StatusOK, ev, "")
}

// showStoredSettings shows the settings page with the stored rules and an optional notice.
func (s *Server) showStoredSettings(c *gin.Context, status int, ev *fabrique.Event, notice string) error {
	st, err := s.Store.Enrolments().Settings(c.Request.Context(), ev.ID)
	if err != nil {
		return err
	}
	f := newForm("inscriptions", fmt.Sprintf("/staff/events/%d/registration-settings", ev.ID), settingsFields...)
	f.Set("allocation", string(st.Allocation))
	if st.ClosesAt != nil {
		at := st.ClosesAt.In(fabrique.Paris)
		f.Set("closes_date", at.Format("2006-01-02"))
		f.Set("closes_time", at.Format("15:04"))
	}
	if st.Review {
		f.Set("review", "1")
	}
	return s.showSettings(c, status, f, ev, st, notice)
}

func (s *Server) showSettings(c *gin.Context, status int, f *form, ev *fabrique.Event, st *fabrique.RegistrationSettings, notice string) error {
	v := &settingsView{Event: ev, Settings: st, Allocations: allocationOptions,
		CanAllocate: st.Allocation == fabrique.AllocPreference && st.AllocatedAt == nil}
	return s.render(c, status, "registration_settings.html", &view{Title: "Règles d'inscription", Data: v, Notice: notice,
		Forms: map[string]*form{"settings": f}, Crumbs: []crumb{{Label: ev.Title, Href: fmt.Sprintf("/staff/events/%d", ev.ID)}}})
}

// saveSettings writes the registration rules of an event.
func (s *Server) saveSettings(c *gin.Context) error {
	ev, err := s.pathEvent(c)
	if err != nil {
		return err
	}
	ctx := c.Request.Context()
	stored, err := s.Store.Enrolments().Settings(ctx, ev.ID)
	if err != nil {
		return err
	}
	f := postedForm(c, "inscriptions", fmt.Sprintf("/staff/events/%d/registration-settings", ev.ID), settingsFields...)
	p := parser{f}
	st := &fabrique.RegistrationSettings{EventID: ev.ID, Allocation: fabrique.Allocation(p.text("allocation")), Review: p.checked("review")}
	if p.text("closes_date") != "" || p.text("closes_time") != "" {
		day, ok := p.date("closes_date")
		at := p.clock("closes_time", day, ok)
		if ok && !at.IsZero() {
			st.ClosesAt = &at
		}
	}
	status, err := submit(f, map[string]string{"closes_at": "closes_date"}, st.Validate,
		func() error { return s.Store.Enrolments().SetSettings(ctx, st) })
	if err != nil || status != 0 {
		return orErr(err, func() error { return s.showSettings(c, status, f, ev, stored, "") })
	}
	return redirect(c, fmt.Sprintf("/staff/events/%d/registration-settings", ev.ID), "saved")
}

// allocatePlaces allocates the ranked choices of an event; a refusal (not
// by ranked choices, already allocated…) is shown on the settings page.
func (s *Server) allocatePlaces(c *gin.Context) error {
	ev, err := s.pathEvent(c)
	if err != nil {
		return err
	}
	ctx := c.Request.Context()
	r, err := s.Store.Enrolments().Allocate(ctx, ev.ID)
	if err != nil {
		code := fabrique.ErrorCode(err)
		if code != fabrique.ECONFLICT && code != fabrique.EINVALID {
			return err
		}
		c.Set(ctxFlash, "Les places n'ont pas été réparties : "+fabrique.ErrorMessage(err))
		return s.showStoredSettings(c, refusedStatus(err), ev, "")
	}
	return s.showStoredSettings(c, http.StatusOK, ev, fmt.Sprintf("Les places sont réparties : %d participant·es, %d au premier choix, %d au deuxième, %d au troisième, %d en liste d'attente. Chacun est prévenu par courriel.",
		r.Participants, r.FirstChoice, r.SecondChoice, r.ThirdChoice, r.Waiting))
}
