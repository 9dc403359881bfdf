package pages

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"fabrique/internal/fabrique"
	"fabrique/internal/web/httpx"
)

// The staff's event pages: create or edit an event, its programme, its
// workshops, and for a forum the community to mobilise.

var eventFields = []string{"kind", "title", "theme", "host_organisation_id", "status", "venue_id", "online_url",
	"date", "start_time", "end_date", "end_time", "capacity", "description"}

// eventAlias ties the domain's field names to the form's.
var eventAlias = map[string]string{"start": "start_time", "end": "end_time"}

// eventChoices are the lists the event form offers.
type eventChoices struct {
	Event         *fabrique.Event
	Kinds         []option
	Statuses      []option
	Organisations []option
	Venues        []option
	// MustDeclare: the user's organisation publishes through a declaration
	// accepted by the DITP (it is not trusted): the page says so first,
	// with the formats it may declare.
	MustDeclare bool
	Declarable  []option
}

// newEventPage shows the form that creates an event by choosing its format.
func (s *Server) newEventPage(c *gin.Context) error {
	f := newForm("evenement", "/staff/events", eventFields...)
	f.Set("status", string(fabrique.EventDraft))
	if u := fabrique.UserFrom(c.Request.Context()); u != nil && u.OrganisationID != nil {
		f.Set("host_organisation_id", fmt.Sprint(*u.OrganisationID))
	}
	return s.showEventForm(c, http.StatusOK, f, nil)
}

func (s *Server) showEventForm(c *gin.Context, status int, f *form, ev *fabrique.Event) error {
	orgs, err := s.orgOptions(c)
	if err != nil {
		return err
	}
	venues, err := all(c.Request.Context(), s.Store.Venues(), nil)
	if err != nil {
		return err
	}
	d := &eventChoices{Event: ev, Kinds: options("event", fabrique.EventKinds), Statuses: options("status", fabrique.EventStatuses), Organisations: orgs}
	u := fabrique.UserFrom(c.Request.Context())
	for _, v := range venues {
		if !bookable(u, v) && (ev == nil || ev.VenueID == nil || *ev.VenueID != v.ID) { // policy.go
			continue
		}
		d.Venues = append(d.Venues, option{Value: fmt.Sprint(v.ID), Label: v.Name + " (" + v.City + ")"})
	}
	if ev == nil && u != nil && !u.Is(fabrique.RoleAdmin) && u.OrganisationID != nil {
		if org, err := s.Store.Organisations().Get(c.Request.Context(), *u.OrganisationID); err == nil {
			d.MustDeclare = fabrique.PublishGate(u, org.Trusted, "", 0) != nil
		}
		if d.MustDeclare {
			if d.Declarable, err = s.declarableFormats(c); err != nil {
				return err
			}
		}
	}
	title := "Créer un événement"
	crumbs := []crumb{{Label: "Tableau de bord", Href: "/staff"}}
	if ev != nil {
		title = "Modifier « " + ev.Title + " »"
		crumbs = append(crumbs, crumb{Label: ev.Title, Href: fmt.Sprintf("/staff/events/%d", ev.ID)})
	}
	return s.render(c, status, "event_form.html", &view{Title: title, Data: d, Forms: map[string]*form{"event": f}, Crumbs: crumbs})
}

// eventFromForm reads the event form into ev.
func eventFromForm(f *form, ev *fabrique.Event) {
	p := parser{f}
	ev.Kind = fabrique.EventKind(p.text("kind"))
	ev.Title, ev.Theme, ev.Description = p.text("title"), p.text("theme"), p.text("description")
	if id := p.id("host_organisation_id"); id != nil {
		ev.HostOrganisationID = *id
	} else {
		ev.HostOrganisationID = 0
	}
	ev.Status = fabrique.EventStatus(p.text("status"))
	ev.VenueID = p.id("venue_id")
	ev.OnlineURL = p.text("online_url")
	day, ok := p.date("date")
	ev.Start = p.clock("start_time", day, ok)
	endDay, endOK := day, ok
	if p.text("end_date") != "" {
		endDay, endOK = p.date("end_date")
	}
	ev.End = p.clock("end_time", endDay, endOK)
	ev.Capacity = p.integer("capacity", 0)
}

// createEvent creates the event and opens its page.
func (s *Server) createEvent(c *gin.Context) error {
	f := postedForm(c, "evenement", "/staff/events", eventFields...)
	ev := &fabrique.Event{}
	eventFromForm(f, ev)
	status, err := submit(f, eventAlias, ev.Validate, func() error { return s.Store.Events().Create(c.Request.Context(), ev) })
	if err != nil || status != 0 {
		return orErr(err, func() error { return s.showEventForm(c, status, f, nil) })
	}
	return redirect(c, fmt.Sprintf("/staff/events/%d", ev.ID), "created")
}

// eventForm fills the event form with a stored event.
func eventForm(ev *fabrique.Event) *form {
	f := newForm("evenement", fmt.Sprintf("/staff/events/%d/edit", ev.ID), eventFields...)
	f.Set("kind", string(ev.Kind))
	f.Set("title", ev.Title)
	f.Set("theme", ev.Theme)
	f.Set("description", ev.Description)
	f.Set("host_organisation_id", fmt.Sprint(ev.HostOrganisationID))
	f.Set("status", string(ev.Status))
	if ev.VenueID != nil {
		f.Set("venue_id", fmt.Sprint(*ev.VenueID))
	}
	f.Set("online_url", ev.OnlineURL)
	f.Set("date", ev.Start.In(fabrique.Paris).Format("2006-01-02"))
	f.Set("start_time", ev.Start.In(fabrique.Paris).Format("15:04"))
	f.Set("end_date", ev.End.In(fabrique.Paris).Format("2006-01-02"))
	f.Set("end_time", ev.End.In(fabrique.Paris).Format("15:04"))
	f.Set("capacity", strconv.Itoa(ev.Capacity))
	return f
}

// editEventPage shows the event form filled with the stored event.
func (s *Server) editEventPage(c *gin.Context) error {
	ev, err := s.pathEvent(c)
	if err != nil {
		return err
	}
	return s.showEventForm(c, http.StatusOK, eventForm(ev), ev)
}

// updateEvent saves the event form.
func (s *Server) updateEvent(c *gin.Context) error {
	ev, err := s.pathEvent(c)
	if err != nil {
		return err
	}
	f := postedForm(c, "evenement", fmt.Sprintf("/staff/events/%d/edit", ev.ID), eventFields...)
	eventFromForm(f, ev)
	status, err := submit(f, eventAlias, ev.Validate, func() error { return s.Store.Events().Update(c.Request.Context(), ev) })
	if err != nil || status != 0 {
		return orErr(err, func() error { return s.showEventForm(c, status, f, ev) })
	}
	return redirect(c, fmt.Sprintf("/staff/events/%d", ev.ID), "saved")
}

// pathEvent reads the event of the path.
func (s *Server) pathEvent(c *gin.Context) (*fabrique.Event, error) {
	id, err := httpx.PathID(c, "id")
	if err != nil {
		return nil, err
	}
	return s.Store.Events().Get(c.Request.Context(), id)
}

// editor is the staff's page of an event: its detail and what the forms offer.
type editor struct {
	*eventDetail
	Detail      *eventDetail // the same, for the shared event partials
	ItemKinds   []option
	Rooms       []option
	Slots       []option
	Phases      []option
	People      []option
	Commitments []option
}

// editorPage shows an event with its programme editor and workshops.
func (s *Server) editorPage(c *gin.Context) error {
	return s.showEditor(c, http.StatusOK, nil)
}

// showEditor renders the editor with the forms given, by key ("item",
// "workshop"), and new empty ones for the others.
func (s *Server) showEditor(c *gin.Context, status int, forms map[string]*form) error {
	ed, err := s.loadEditor(c)
	if err != nil {
		return err
	}
	ev := ed.Event
	all := map[string]*form{}
	for _, k := range []eventChild{itemChild, workshopChild} {
		f := forms[k.key]
		if f == nil {
			f = newForm(k.form, "", k.fields...)
			k.blank(f, ed)
		}
		f.Action = fmt.Sprintf("/staff/events/%d/%s", ev.ID, k.path)
		all[k.key] = f
	}
	return s.render(c, status, "editor.html", &view{Title: ev.Title, Data: ed, Forms: all,
		Crumbs: []crumb{{Label: "Tableau de bord", Href: "/staff"}}})
}

// loadEditor reads the event of the path and the choices of its forms.
func (s *Server) loadEditor(c *gin.Context) (*editor, error) {
	ctx := c.Request.Context()
	id, err := httpx.PathID(c, "id")
	if err != nil {
		return nil, err
	}
	d, err := s.loadEvent(ctx, id)
	if err != nil {
		return nil, err
	}
	ed := &editor{eventDetail: d, Detail: d, ItemKinds: options("item", fabrique.ItemKinds)}
	for _, r := range d.Rooms {
		ed.Rooms = append(ed.Rooms, option{Value: fmt.Sprint(r.ID), Label: fmt.Sprintf("%s (%d places)", r.Name, r.Capacity)})
	}
	for _, it := range d.Items {
		o := option{Value: fmt.Sprint(it.ID), Label: fabrique.FrenchTime(it.Start) + " – " + it.Title}
		if it.Kind == fabrique.ItemWorkshops {
			ed.Slots = append(ed.Slots, o)
		}
	}
	for _, p := range d.Phases {
		ed.Phases = append(ed.Phases, option{Value: fmt.Sprint(p.ID), Label: label("phase", p.Kind)})
	}
	if ed.People, err = s.contactOptions(ctx); err != nil { // names only (policy.go)
		return nil, err
	}
	cs, err := all(ctx, s.Store.Commitments(), map[string]string{"kind": string(fabrique.KindCommitment)})
	if err != nil {
		return nil, err
	}
	for _, cm := range cs {
		ed.Commitments = append(ed.Commitments, option{Value: fmt.Sprint(cm.ID), Label: "n° " + cm.Number + " — " + cm.Title})
	}
	return ed, nil
}
