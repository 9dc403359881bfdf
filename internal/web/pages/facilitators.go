package pages

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"fabrique/internal/fabrique"
	"fabrique/internal/web/httpx"
)

// The facilitators' pages: their workshops with the kit's sheets, the live
// entry of contributions (a script saves them through the API and keeps
// them while the network is away; without it the form posts here),
// attendance, and the minutes to review and approve.

func (s *Server) mountFacilitatorPages(st *gin.RouterGroup) {
	st.GET("/my-workshops", s.page(s.myWorkshopsPage))
	st.GET("/workshops/:id/live", s.page(s.livePage))
	st.POST("/workshops/:id/live", s.page(s.addContribution))
	s.mountContributionPages(st) // correct or delete a contribution (contribution.go)
	st.GET("/workshops/:id/attendance", s.page(s.attendancePage))
	st.POST("/workshops/:id/attendance", s.page(s.markAttendance))
	st.POST("/workshops/:id/walk-ins", s.page(s.addWalkIn))
	st.GET("/workshops/:id/minutes", s.page(s.workshopMinutesPage))
	st.POST("/workshops/:id/minutes", s.page(s.saveWorkshopMinutes))
	st.POST("/workshops/:id/minutes/approve", s.page(s.approveWorkshopMinutes))
}

func init() {
	notices["contribution"] = "Contribution enregistrée."
	notices["attendance"] = "Les présences sont enregistrées."
	notices["approved"] = "Le compte rendu de l'atelier est approuvé."
}

// myWorkshop is a workshop of the list, with its event.
type myWorkshop struct {
	*fabrique.Workshop
	Event      *fabrique.Event
	Start, End time.Time // the workshop's own slot (its programme item), not the event's start
	Room       string    // its room (or its slot's)
}

// myWorkshopsPage lists a facilitator's workshops (the workshops of the
// events an administrator or organiser may see).
func (s *Server) myWorkshopsPage(c *gin.Context) error {
	ctx := c.Request.Context()
	u := fabrique.UserFrom(ctx)
	filters := map[string]string{}
	if u.Is(fabrique.RoleFacilitator) {
		if u.PersonID == nil {
			return fabrique.Errorf(fabrique.EFORBIDDEN, "Votre compte d'animateur n'est lié à aucune personne : demandez-le à la DITP.")
		}
		filters["facilitator_id"] = fmt.Sprint(*u.PersonID)
	}
	ws, err := all(ctx, s.Store.Workshops(), filters)
	if err != nil {
		return err
	}
	events := map[int64]*fabrique.Event{}
	var out []myWorkshop
	for _, w := range ws {
		ev, ok := events[w.EventID]
		if !ok {
			if ev, err = s.Store.Events().Get(ctx, w.EventID); err != nil {
				return err
			}
			events[w.EventID] = ev
		}
		if !u.Is(fabrique.RoleFacilitator) && !fabrique.Can(u, fabrique.ObjEvent, fabrique.ActChange, fabrique.Owner{Orgs: []int64{ev.HostOrganisationID}}) {
			continue // an organiser's workshops are those of their organisation's events
		}
		mw, err := s.workshopSlot(ctx, myWorkshop{Workshop: w, Event: ev})
		if err != nil {
			return err
		}
		out = append(out, mw)
	}
	// What comes next first, in order; then what is over, the latest first.
	now := time.Now()
	slices.SortStableFunc(out, func(a, b myWorkshop) int {
		aOver, bOver := a.End.Before(now), b.End.Before(now)
		switch {
		case aOver != bOver && aOver:
			return 1
		case aOver != bOver:
			return -1
		case aOver:
			return b.Start.Compare(a.Start)
		}
		return a.Start.Compare(b.Start)
	})
	v := &view{Title: "Mes ateliers", Data: out}
	if !u.Is(fabrique.RoleFacilitator) { // a facilitator's home is this page
		v.Crumbs = []crumb{{Label: "Tableau de bord", Href: "/staff"}}
	}
	return s.render(c, http.StatusOK, "my_workshops.html", v)
}

// workshopSlot fills the workshop's own date, time and room: those of its
// programme item, and its room (else its item's).
func (s *Server) workshopSlot(ctx context.Context, w myWorkshop) (myWorkshop, error) {
	w.Start, w.End = w.Event.Start, w.Event.End
	it, err := s.Store.Items().Get(ctx, w.ItemID)
	switch fabrique.ErrorCode(err) {
	case "":
		w.Start, w.End = it.Start, it.End
	case fabrique.ENOTFOUND:
	default:
		return w, err
	}
	room := w.Workshop.RoomID
	if room == nil && it != nil {
		room = it.RoomID
	}
	if room != nil {
		r, err := s.Store.Rooms().Get(ctx, *room)
		if err != nil && fabrique.ErrorCode(err) != fabrique.ENOTFOUND {
			return w, err
		}
		if r != nil {
			w.Room = r.Name
		}
	}
	return w, nil
}

// workshopPageData is a workshop with its event, for the facilitators' pages.
type workshopPageData struct {
	Workshop      *fabrique.Workshop
	Event         *fabrique.Event
	Categories    []option
	Contributions []*fabrique.Contribution
	Attendance    *fabrique.Attendance
	Minutes       *fabrique.WorkshopMinutes
	Groups        []contributionGroup
	StaffCats     []option
}

// contributionGroup is the contributions of one category.
type contributionGroup struct {
	Label         string
	Contributions []*fabrique.Contribution
}

// loadWorkshopPage reads the workshop of the path and its event.
func (s *Server) loadWorkshopPage(c *gin.Context) (*workshopPageData, error) {
	ctx := c.Request.Context()
	id, err := httpx.PathID(c, "id")
	if err != nil {
		return nil, err
	}
	w, err := s.Store.Workshops().Get(ctx, id)
	if err != nil {
		return nil, err
	}
	ev, err := s.Store.Events().Get(ctx, w.EventID)
	if err != nil {
		return nil, err
	}
	d := &workshopPageData{Workshop: w, Event: ev}
	for _, cat := range fabrique.CategoriesFor(ev.Kind) {
		d.Categories = append(d.Categories, option{Value: string(cat), Label: cat.Label()})
	}
	return d, nil
}

func (d *workshopPageData) crumbs() []crumb {
	return []crumb{{Label: "Mes ateliers", Href: "/staff/my-workshops"}, {Label: d.Event.Title, Href: fmt.Sprintf("/events/%d", d.Event.ID)}}
}

func (d *workshopPageData) name() string {
	return fmt.Sprintf("atelier %d « %s »", d.Workshop.Number, d.Workshop.Title)
}

var contributionFields = []string{"category", "text", "author", "consent", "publishable"}

// livePage is the live entry of contributions.
func (s *Server) livePage(c *gin.Context) error {
	f := newForm("saisie", "", contributionFields...)
	f.Set("publishable", "1")
	return s.showLive(c, http.StatusOK, f)
}

func (s *Server) showLive(c *gin.Context, status int, f *form) error {
	d, err := s.loadWorkshopPage(c)
	if err != nil {
		return err
	}
	if d.Contributions, err = s.Store.Minutes().Contributions(c.Request.Context(), d.Workshop.ID); err != nil {
		return err
	}
	slices.Reverse(d.Contributions) // the latest first, as the script shows them
	f.Action = fmt.Sprintf("/staff/workshops/%d/live", d.Workshop.ID)
	if f.Get("category") == "" && len(d.Categories) > 0 {
		f.Set("category", d.Categories[0].Value)
	}
	return s.render(c, status, "live.html", &view{Title: "Saisie en direct : " + d.name(), Data: d, Forms: map[string]*form{"saisie": f},
		Crumbs: d.crumbs(), Scripts: []string{"live.js"}})
}

// addContribution records a contribution posted without the script.
func (s *Server) addContribution(c *gin.Context) error {
	id, err := httpx.PathID(c, "id")
	if err != nil {
		return err
	}
	f := postedForm(c, "saisie", "", contributionFields...)
	p := parser{f}
	v := &fabrique.Contribution{WorkshopID: id, Category: fabrique.ContributionCategory(p.text("category")), Text: p.text("text"),
		Author: p.text("author"), Consent: p.checked("consent"), Publishable: p.checked("publishable")}
	status, err := submit(f, nil, v.Validate, func() error { return s.Store.Minutes().CreateContribution(c.Request.Context(), v) })
	if err != nil || status != 0 {
		return orErr(err, func() error { return s.showLive(c, status, f) })
	}
	return redirect(c, fmt.Sprintf("/staff/workshops/%d/live#saisie-text", id), "contribution")
}

var walkInFields = []string{"name", "email", "category"}

// attendancePage shows the sign-in sheet to tick, and a form for walk-ins.
func (s *Server) attendancePage(c *gin.Context) error {
	return s.showAttendance(c, http.StatusOK, newForm("sansinscription", "", walkInFields...))
}

func (s *Server) showAttendance(c *gin.Context, status int, f *form) error {
	d, err := s.loadWorkshopPage(c)
	if err != nil {
		return err
	}
	if d.Attendance, err = s.Store.Minutes().Attendance(c.Request.Context(), d.Workshop.ID); err != nil {
		return err
	}
	d.StaffCats = options("category", fabrique.Categories)
	f.Action = fmt.Sprintf("/staff/workshops/%d/walk-ins", d.Workshop.ID)
	return s.render(c, status, "attendance.html", &view{Title: "Présences : " + d.name(), Data: d, Forms: map[string]*form{"walkin": f}, Crumbs: d.crumbs()})
}

// markAttendance ticks the registrations checked as present, and unticks
// the others that were.
func (s *Server) markAttendance(c *gin.Context) error {
	ctx := c.Request.Context()
	id, err := httpx.PathID(c, "id")
	if err != nil {
		return err
	}
	f := postedForm(c, "presences", "", "registration_ids")
	ticked := parser{f}.ids("registration_ids")
	if f.Failed() {
		return fabrique.Invalid("registration_ids", "choix invalide : cochez dans la liste")
	}
	before, err := s.Store.Minutes().Attendance(ctx, id)
	if err != nil {
		return err
	}
	var unticked []int64
	for _, a := range before.Attendees {
		if a.Status == fabrique.RegAttended && !slices.Contains(ticked, a.RegistrationID) {
			unticked = append(unticked, a.RegistrationID)
		}
	}
	if len(ticked) > 0 {
		if _, err := s.Store.Minutes().MarkAttendance(ctx, id, ticked, true); err != nil {
			return err
		}
	}
	if len(unticked) > 0 {
		if _, err := s.Store.Minutes().MarkAttendance(ctx, id, unticked, false); err != nil {
			return err
		}
	}
	return redirect(c, fmt.Sprintf("/staff/workshops/%d/attendance", id), "attendance")
}

// addWalkIn adds a person who came without registering.
func (s *Server) addWalkIn(c *gin.Context) error {
	id, err := httpx.PathID(c, "id")
	if err != nil {
		return err
	}
	f := postedForm(c, "sansinscription", "", walkInFields...)
	p := parser{f}
	v := &fabrique.WalkIn{Name: p.text("name"), Email: p.text("email"), Category: fabrique.Category(p.text("category"))}
	status, err := submit(f, nil, v.Validate, func() error {
		_, err := s.Store.Minutes().AddWalkIn(c.Request.Context(), id, v)
		return err
	})
	if err != nil || status != 0 {
		return orErr(err, func() error { return s.showAttendance(c, status, f) })
	}
	return redirect(c, fmt.Sprintf("/staff/workshops/%d/attendance", id), "created")
}

// workshopMinutesPage shows the minutes of a workshop to review and approve.
func (s *Server) workshopMinutesPage(c *gin.Context) error {
	return s.showWorkshopMinutes(c, http.StatusOK, nil)
}

func (s *Server) showWorkshopMinutes(c *gin.Context, status int, f *form) error {
	ctx := c.Request.Context()
	d, err := s.loadWorkshopPage(c)
	if err != nil {
		return err
	}
	m := s.Store.Minutes()
	if d.Minutes, err = m.WorkshopMinutes(ctx, d.Workshop.ID); err != nil {
		return err
	}
	if d.Attendance, err = m.Attendance(ctx, d.Workshop.ID); err != nil {
		return err
	}
	if d.Contributions, err = m.Contributions(ctx, d.Workshop.ID); err != nil {
		return err
	}
	for _, cat := range fabrique.CategoriesFor(d.Event.Kind) {
		g := contributionGroup{Label: cat.Label()}
		for _, ct := range d.Contributions {
			if ct.Category == cat {
				g.Contributions = append(g.Contributions, ct)
			}
		}
		d.Groups = append(d.Groups, g)
	}
	if f == nil {
		f = newForm("compterendu", "", "summary")
		f.Set("summary", d.Minutes.Summary)
	}
	f.Action = fmt.Sprintf("/staff/workshops/%d/minutes", d.Workshop.ID)
	return s.render(c, status, "workshop_minutes.html", &view{Title: "Compte rendu : " + d.name(), Data: d, Forms: map[string]*form{"summary": f}, Crumbs: d.crumbs()})
}

// saveWorkshopMinutes saves the summary (approved minutes go back to draft).
func (s *Server) saveWorkshopMinutes(c *gin.Context) error {
	id, err := httpx.PathID(c, "id")
	if err != nil {
		return err
	}
	f := postedForm(c, "compterendu", "", "summary")
	v := &fabrique.WorkshopMinutes{WorkshopID: id, Summary: parser{f}.text("summary")}
	status, err := submit(f, nil, v.Validate, func() error { return s.Store.Minutes().SaveWorkshopMinutes(c.Request.Context(), v) })
	if err != nil || status != 0 {
		return orErr(err, func() error { return s.showWorkshopMinutes(c, status, f) })
	}
	return redirect(c, fmt.Sprintf("/staff/workshops/%d/minutes", id), "saved")
}

// approveWorkshopMinutes approves the minutes of the workshop.
func (s *Server) approveWorkshopMinutes(c *gin.Context) error {
	id, err := httpx.PathID(c, "id")
	if err != nil {
		return err
	}
	if _, err := s.Store.Minutes().ApproveWorkshopMinutes(c.Request.Context(), id); err != nil {
		if code := fabrique.ErrorCode(err); code != fabrique.ECONFLICT && code != fabrique.EINVALID {
			return err
		}
		c.Set(ctxFlash, fabrique.ErrorMessage(err))
		return s.showWorkshopMinutes(c, refusedStatus(err), nil)
	}
	return redirect(c, "/staff/workshops/"+strconv.FormatInt(id, 10)+"/minutes", "approved")
}
