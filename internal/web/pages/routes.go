package pages

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"fabrique/internal/fabrique"
)

// mountPages parses the page templates and registers the HTML routes:
// public pages, sign-in, and the staff's pages under /staff.
func (s *Server) mountPages() {
	v, err := sharedViews()
	if err != nil {
		panic(err) // the templates are embedded: a test fails before any release
	}
	s.views = v
	s.serveAssets()
	apiNotFound := s.Wrap(func(c *gin.Context) error {
		return fabrique.Errorf(fabrique.ENOTFOUND, "Aucune ressource à l'adresse %s.", c.Request.URL.Path)
	})
	s.Engine.NoRoute(func(c *gin.Context) {
		if strings.HasPrefix(c.Request.URL.Path, "/api/") || !strings.Contains(c.GetHeader("Accept"), "text/html") {
			apiNotFound(c)
			return
		}
		s.errorPage(c, fabrique.Errorf(fabrique.ENOTFOUND, "Aucune page à l'adresse %s. Elle a peut-être été déplacée ou supprimée.", c.Request.URL.Path))
	})

	g := s.Engine
	g.GET("/", s.page(s.homePage))
	g.GET("/events/:id", s.cachedEventPage(s.eventPage)) // rendered when its data change (eventcache.go)
	g.GET("/signin", s.page(s.signInPage))
	g.POST("/signin", s.page(s.signIn))
	g.POST("/signout", s.page(s.signOut))
	s.mountSitePages() // accessibility statement, legal notice, personal data, site map (site.go)

	st := s.Engine.Group("/staff", s.staffOnly)
	st.GET("", s.page(s.dashboardPage))
	st.GET("/privacy", s.page(s.privacyPage)) // the register of processing (privacy.go)
	st.GET("/plans", s.page(s.plansPage))
	st.POST("/plans", s.page(s.createPlan))
	st.GET("/plans/:id", s.page(s.planPage))
	st.POST("/plans/:id/commitments", s.page(s.createCommitment))
	st.GET("/organisations", s.page(s.organisationsPage))
	st.POST("/organisations", s.page(s.createOrganisation))
	st.GET("/people", s.page(s.peoplePage))
	st.POST("/people", s.page(s.createPerson))
	st.GET("/venues", s.page(s.venuesPage))
	st.POST("/venues", s.page(s.createVenue))
	st.GET("/venues/:id", s.page(s.venuePage))
	st.POST("/venues/:id/rooms", s.page(s.createRoom))
	st.GET("/events/new", s.page(s.newEventPage))
	st.POST("/events", s.page(s.createEvent))
	st.GET("/events/:id", s.page(s.editorPage))
	st.GET("/events/:id/edit", s.page(s.editEventPage))
	st.POST("/events/:id/edit", s.page(s.updateEvent))
	mountChild(s, st, items)     // the programme (children.go)
	mountChild(s, st, workshops) // the workshops (children.go)
	st.GET("/events/:id/partners", s.page(s.partnersPage))
	st.POST("/events/:id/partners", s.page(s.createPartner))
	st.POST("/events/:id/partners/:item/delete", s.page(s.deletePartner))
	s.mountPlanningPages(st) // formats, conflicts and assignment, declarations, facilitators (formats.go)
	// Registration, the participant's page, registrations and the outbox (participant.go).
	s.mountRegistrationPages(st)
	s.mountSettingsPages(st)                // registration settings and allocation of an event (regsettings.go)
	s.mountChangePages(st)                  // changes of a published event, told once (changes.go)
	s.mountReferencePages(st)               // edit and delete of plans, commitments, organisations, people, venues, rooms (reference.go)
	s.mountFollowUpPages(st)                // follow-up of commitments, consultation, progress report (followup.go)
	s.mountParticipantAddress()             // a participant changes their address (participant_address.go)
	s.mountAccountPages()                   // administrators manage accounts (accounts.go)
	s.mountDocumentPages(s.Store.Minutes()) // the HTML twins of the kit and the minutes (documents.go)
}

// staffOnly sends visitors to the sign-in page (a form posted without a
// session is refused): every /staff page needs a signed-in account.
func (s *Server) staffOnly(c *gin.Context) {
	if _, err := requireUser(c); err != nil {
		s.errorPage(c, err)
		return
	}
	c.Next()
}

// HasErrors reports whether a form of the page was refused.
func (v *view) HasErrors() bool {
	for _, f := range v.Forms {
		if f.Failed() {
			return true
		}
	}
	return false
}

// DocTitle is the page's title in the browser's tab and for screen
// readers (RGAA 8.6): the page's own title, the event it belongs to (the
// nearest crumb leading to an event) when the title does not name it
// already, and « Erreur » first when a form was refused.
func (v *view) DocTitle() string {
	t := v.Title
	for i := len(v.Crumbs) - 1; i >= 0; i-- {
		c := v.Crumbs[i]
		if strings.HasPrefix(c.Href, "/staff/events/") || strings.HasPrefix(c.Href, "/events/") {
			if !strings.Contains(t, c.Label) {
				t += " — " + c.Label
			}
			break
		}
	}
	if v.HasErrors() {
		t = "Erreur : " + t
	}
	return t
}

// refusedStatus is the status of a page re-shown with a refused form.
func refusedStatus(err error) int {
	switch fabrique.ErrorCode(err) {
	case fabrique.ECONFLICT:
		return http.StatusConflict
	case fabrique.EFORBIDDEN:
		return http.StatusForbidden
	case fabrique.ENOTFOUND:
		return http.StatusNotFound
	}
	return http.StatusUnprocessableEntity
}

// submit validates v (after the form's own parsing) and, when nothing is
// wrong, saves it with save. It returns the status to re-show the form
// with, or 0 when saved; any error a form cannot show is returned.
func submit(f *form, alias map[string]string, validate func() error, save func() error) (int, error) {
	if f.Failed() {
		f.refuse(validate(), alias) // add the domain's own remarks on other fields
		return http.StatusUnprocessableEntity, nil
	}
	err := save()
	if err == nil {
		return 0, nil
	}
	if !f.refuse(err, alias) {
		return 0, err
	}
	return refusedStatus(err), nil
}
