package pages

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"

	"github.com/gin-gonic/gin"

	"fabrique/internal/fabrique"
	"fabrique/internal/schedule"
)

// Creating an event by choosing its format: the template of the format
// (schedule.Build) fills the programme or the phases, written in one
// transaction by store.Scheduling().CreatePlans.

// mountPlanningPages registers the pages of formats, conflicts and
// assignment, declarations and facilitators under /staff.
func (s *Server) mountPlanningPages(st *gin.RouterGroup) {
	st.GET("/events/new/:format", s.page(s.formatPage))
	st.POST("/events/new/:format", s.page(s.createFromFormatForm))
	s.mountPlanningBoard(st)
	s.mountDeclarationPages(st)
	s.mountFacilitatorPages(st)
}

// formatInfo describes a format on its form.
type formatInfo struct {
	Kind   fabrique.EventKind
	Name   string
	Lead   string
	Fields []string
}

var commonFormatFields = []string{"title", "theme", "host_organisation_id", "venue_id", "plenary_room_id", "online_url", "date", "start_time"}

// formats are the five formats, in the order the pages offer them.
var formats = []formatInfo{
	{fabrique.EventOpenMinistry, "Ministère ouvert", "Le programme de référence du 21 juin 2016 (accueil, ouverture, présentation, ateliers en parallèle d'une heure, restitution, clôture), décalé à l'heure de début choisie.",
		append(slices.Clone(commonFormatFields), "workshops", "capacity")},
	{fabrique.EventForum, "Forum Open d'État", "Les quatre phases sur environ six semaines : investigation (2 semaines), lancement (table ronde d'1 h 30), forum (3 h : restitution, 2 à 4 ateliers dont un sur les controverses, propulsion), approfondissement (2 à 4 semaines). Le lancement et le forum tombent un jour ouvré.",
		[]string{"title", "theme", "host_organisation_id", "venue_id", "plenary_room_id", "online_url", "date", "workshops", "capacity", "deepening_weeks", "launch_online", "speaker_ids"}},
	{fabrique.EventWorkshop, "Atelier de travail", "Un atelier de 2 h selon le déroulé type de la DITP : accueil et tour de table, présentation du sujet, travail en atelier, synthèse et prochaines étapes.",
		append(slices.Clone(commonFormatFields), "capacity")},
	{fabrique.EventProgressReview, "Série de points d'étape", "Une réunion ouverte à tous, chaque mois (par exemple le premier mardi), dans une salle avec accès à distance par visioconférence. Chaque date peut ensuite être déplacée ou annulée seule.",
		append(slices.Clone(commonFormatFields), "weekday", "week_of_month", "occurrences", "duration_minutes")},
	{fabrique.EventRelayWorkshop, "Atelier-relais", "Un atelier organisé par un tiers (association, collectivité, université) dans une autre ville, montré dans le programme d'un événement.",
		append(slices.Clone(commonFormatFields), "parent_event_id", "capacity")},
}

// formatOf returns the format named in the path, ENOTFOUND otherwise.
func formatOf(code string) (*formatInfo, error) {
	for i := range formats {
		if string(formats[i].Kind) == code {
			return &formats[i], nil
		}
	}
	return nil, fabrique.Errorf(fabrique.ENOTFOUND, "Format inconnu « %s » : Ministère ouvert, Forum Open d'État, atelier de travail, série de points d'étape ou atelier-relais.", code)
}

// Has reports whether the format's form asks for a field.
func (fi *formatInfo) Has(name string) bool { return slices.Contains(fi.Fields, name) }

// formatChoices are the lists the format form offers.
type formatChoices struct {
	Format        *formatInfo
	Formats       []formatInfo
	Organisations []option
	Venues        []option
	Rooms         []option
	People        []option
	Events        []option
	Weekdays      []option
	Weeks         []option
}

// formatDefaults are the values a new form of each format starts with.
var formatDefaults = map[fabrique.EventKind]map[string]string{
	fabrique.EventOpenMinistry:   {"start_time": "17:30", "workshops": "5", "capacity": "20"},
	fabrique.EventForum:          {"workshops": "3", "capacity": "20", "deepening_weeks": "2", "launch_online": "1"},
	fabrique.EventWorkshop:       {"start_time": "14:00", "capacity": "20"},
	fabrique.EventProgressReview: {"start_time": "18:00", "weekday": "mardi", "week_of_month": "1", "occurrences": "6", "duration_minutes": "90"},
	fabrique.EventRelayWorkshop:  {"start_time": "14:00", "capacity": "20"},
}

// formatPage shows the form of one format.
func (s *Server) formatPage(c *gin.Context) error {
	fi, err := formatOf(c.Param("format"))
	if err != nil {
		return err
	}
	f := newForm("format", "/staff/events/new/"+string(fi.Kind), fi.Fields...)
	for k, v := range formatDefaults[fi.Kind] {
		f.Set(k, v)
	}
	if u := fabrique.UserFrom(c.Request.Context()); u != nil && u.OrganisationID != nil {
		f.Set("host_organisation_id", fmt.Sprint(*u.OrganisationID))
	}
	return s.showFormat(c, http.StatusOK, fi, f)
}

func (s *Server) showFormat(c *gin.Context, status int, fi *formatInfo, f *form) error {
	d, err := s.formatChoices(c, fi)
	if err != nil {
		return err
	}
	return s.render(c, status, "event_format.html", &view{Title: "Créer : " + fi.Name, Data: d, Forms: map[string]*form{"format": f},
		Crumbs: []crumb{{Label: "Tableau de bord", Href: "/staff"}, {Label: "Créer un événement", Href: "/staff/events/new"}}})
}

// formatChoices reads the organisations, venues, rooms, people and events a form offers.
func (s *Server) formatChoices(c *gin.Context, fi *formatInfo) (*formatChoices, error) {
	ctx := c.Request.Context()
	d := &formatChoices{Format: fi, Formats: formats, Weeks: []option{{"1", "la première semaine"}, {"2", "la deuxième semaine"}, {"3", "la troisième semaine"}, {"4", "la quatrième semaine"}, {"-1", "la dernière semaine"}}}
	for _, w := range []string{"lundi", "mardi", "mercredi", "jeudi", "vendredi"} {
		d.Weekdays = append(d.Weekdays, option{w, w})
	}
	var err error
	if d.Organisations, err = s.orgOptions(c); err != nil {
		return nil, err
	}
	venues, err := all(ctx, s.Store.Venues(), nil)
	if err != nil {
		return nil, err
	}
	names := map[int64]string{}
	u := fabrique.UserFrom(ctx)
	for _, v := range venues {
		if !bookable(u, v) { // another organisation's venue is not offered (policy.go)
			continue
		}
		names[v.ID] = v.Name
		d.Venues = append(d.Venues, option{Value: fmt.Sprint(v.ID), Label: v.Name + " (" + v.City + ")"})
	}
	rooms, err := all(ctx, s.Store.Rooms(), nil)
	if err != nil {
		return nil, err
	}
	for _, r := range rooms {
		if _, ok := names[r.VenueID]; !ok {
			continue
		}
		d.Rooms = append(d.Rooms, option{Value: fmt.Sprint(r.ID), Label: fmt.Sprintf("%s — %s (%d places)", r.Name, names[r.VenueID], r.Capacity)})
	}
	if fi.Has("speaker_ids") || fi.Has("facilitator_ids") {
		if d.People, err = s.contactOptions(ctx); err != nil { // names only (policy.go)
			return nil, err
		}
	}
	if fi.Has("parent_event_id") {
		events, err := all(ctx, s.Store.Events(), nil)
		if err != nil {
			return nil, err
		}
		for _, e := range events {
			if e.Kind != fabrique.EventRelayWorkshop && e.Kind != fabrique.EventProgressReview {
				d.Events = append(d.Events, option{Value: fmt.Sprint(e.ID), Label: e.Title + " — " + fabrique.FrenchDate(e.Start)})
			}
		}
	}
	return d, nil
}

// formatRequest reads the form of a format into a request for schedule.Build.
func formatRequest(fi *formatInfo, f *form) schedule.FormatRequest {
	p := parser{f}
	r := schedule.FormatRequest{Format: fi.Kind, Title: p.text("title"), Theme: p.text("theme"), VenueID: p.id("venue_id"),
		PlenaryRoomID: p.id("plenary_room_id"), OnlineURL: p.text("online_url"), Date: p.text("date"), StartTime: p.text("start_time")}
	if id := p.id("host_organisation_id"); id != nil {
		r.HostOrganisationID = *id
	}
	if fi.Has("workshops") {
		r.Workshops = p.integer("workshops", 0)
	}
	if fi.Has("capacity") {
		r.Capacity = p.integer("capacity", 0)
	}
	if fi.Has("deepening_weeks") {
		r.DeepeningWeeks = p.integer("deepening_weeks", 0)
		online := p.checked("launch_online")
		r.LaunchOnline = &online
		r.SpeakerIDs = p.ids("speaker_ids")
	}
	if fi.Has("weekday") {
		r.Weekday, r.WeekOfMonth = p.text("weekday"), p.integer("week_of_month", 0)
		r.Occurrences, r.DurationMinutes = p.integer("occurrences", 0), p.integer("duration_minutes", 0)
	}
	if fi.Has("parent_event_id") {
		r.ParentEventID = p.id("parent_event_id")
	}
	if r.Date == "" {
		f.fail("date", "La date est obligatoire.")
	}
	return r
}

// planAlias ties the fields of the plans CreatePlans checks to the form's.
var planAlias = func() map[string]string {
	m := map[string]string{}
	for _, prefix := range []string{"event."} {
		for _, name := range []string{"title", "theme", "host_organisation_id", "venue_id", "online_url", "parent_event_id"} {
			m[prefix+name] = name
		}
		m[prefix+"start"], m[prefix+"end"] = "date", "date"
	}
	for i := 0; i < 24; i++ {
		prefix := "occurrences[" + strconv.Itoa(i) + "].event."
		for _, name := range []string{"title", "theme", "host_organisation_id", "venue_id", "online_url"} {
			m[prefix+name] = name
		}
	}
	for i := 0; i < 10; i++ {
		m["programme["+strconv.Itoa(i)+"].room_id"] = "plenary_room_id"
		m["workshops["+strconv.Itoa(i)+"].room_id"] = "plenary_room_id"
	}
	return m
}()

// createFromFormatForm builds the event of the format and writes it with
// its programme (or phases, or occurrences) in one transaction.
func (s *Server) createFromFormatForm(c *gin.Context) error {
	fi, err := formatOf(c.Param("format"))
	if err != nil {
		return err
	}
	ctx := c.Request.Context()
	f := postedForm(c, "format", "/staff/events/new/"+string(fi.Kind), fi.Fields...)
	r := formatRequest(fi, f)
	if r.PlenaryRoomID != nil {
		if room, err := s.Store.Rooms().Get(ctx, *r.PlenaryRoomID); err != nil {
			f.fail("plenary_room_id", "Cette salle n'existe pas : choisissez dans la liste.")
		} else if r.VenueID != nil && room.VenueID != *r.VenueID {
			f.fail("plenary_room_id", "Cette salle n'est pas dans le lieu choisi : choisissez une salle de ce lieu, ou un autre lieu.")
		}
	}
	var plans []*fabrique.Plan
	validate := func() error { _, _, err := schedule.Build(r); return err }
	save := func() error {
		var series *fabrique.Series
		var err error
		if plans, series, err = schedule.Build(r); err != nil {
			return err
		}
		return s.Store.Scheduling().CreatePlans(ctx, plans, series)
	}
	status, err := submit(f, planAlias, validate, save)
	if err != nil || status != 0 {
		return orErr(err, func() error { return s.showFormat(c, status, fi, f) })
	}
	done := "created"
	if len(r.Warnings()) > 0 {
		done = "created-bridge"
	}
	return redirect(c, fmt.Sprintf("/staff/events/%d", plans[0].Event.ID), done)
}
