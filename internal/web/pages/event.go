package pages

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"time"

	"github.com/gin-gonic/gin"

	"fabrique/internal/fabrique"
	"fabrique/internal/web/httpx"
)

// eventDetail is an event with what its pages show: venue, host,
// programme with rooms and speakers, workshops with their commitments and
// facilitators, and for a forum its phases drawn as a timeline.
type eventDetail struct {
	Event     *fabrique.Event
	Venue     *fabrique.Venue
	Host      *fabrique.Organisation
	Rooms     []*fabrique.Room
	Items     []*itemView
	Workshops []*workshopView
	Phases    []*fabrique.Phase
	Timeline  *timeline
	// Relays are the relay workshops (ateliers-relais) shown in this
	// event's programme, organised by third parties elsewhere.
	Relays []*fabrique.Event
	// MinutesPublished says the minutes are published: the page links to them.
	MinutesPublished bool
}

// itemView is a programme item with the names it refers to.
type itemView struct {
	*fabrique.ProgrammeItem
	Room      string
	Speakers  []string
	Workshops []*workshopView
}

// workshopView is a workshop with its room, commitments and facilitators.
type workshopView struct {
	*fabrique.Workshop
	Room         string
	Commitments  []*fabrique.Commitment
	Facilitators []string
}

// all lists every item of a repository visible to the user (up to the
// largest page), with the given filters.
func all[T any](ctx context.Context, repo fabrique.Repository[T], filters map[string]string) ([]*T, error) {
	p, err := repo.List(ctx, fabrique.ListOptions{Limit: fabrique.MaxPageSize, Filters: filters})
	if err != nil {
		return nil, err
	}
	return p.Items, nil
}

// loadEvent reads an event and everything its pages show. Names of
// facilitators and speakers are public on the programme of an event the
// user may see, so they are read with the system's identity; nothing else
// of those people is shown.
func (s *Server) loadEvent(ctx context.Context, id int64) (*eventDetail, error) {
	ev, err := s.Store.Events().Get(ctx, id)
	if err != nil {
		return nil, err
	}
	d := &eventDetail{Event: ev}
	if d.Host, err = s.Store.Organisations().Get(ctx, ev.HostOrganisationID); err != nil {
		return nil, err
	}
	rooms := map[int64]string{}
	if ev.VenueID != nil {
		if d.Venue, err = s.Store.Venues().Get(ctx, *ev.VenueID); err != nil {
			return nil, err
		}
		if d.Rooms, err = all(ctx, s.Store.Rooms(), map[string]string{"venue_id": fmt.Sprint(*ev.VenueID)}); err != nil {
			return nil, err
		}
	}
	byEvent := map[string]string{"event_id": fmt.Sprint(id)}
	items, err := all(ctx, s.Store.Items(), byEvent)
	if err != nil {
		return nil, err
	}
	workshops, err := all(ctx, s.Store.Workshops(), byEvent)
	if err != nil {
		return nil, err
	}
	if d.Phases, err = all(ctx, s.Store.Phases(), byEvent); err != nil {
		return nil, err
	}
	if d.Relays, err = all(ctx, s.Store.Events(), map[string]string{"parent_event_id": fmt.Sprint(id)}); err != nil {
		return nil, err
	}
	if m, err := s.Store.Minutes().EventMinutes(fabrique.WithUser(ctx, fabrique.System), id); err != nil {
		return nil, err
	} else {
		d.MinutesPublished = m.State == fabrique.MinutesPublished
	}
	roomName := func(id *int64) string {
		if id == nil {
			return ""
		}
		if n, ok := rooms[*id]; ok {
			return n
		}
		r, err := s.Store.Rooms().Get(ctx, *id)
		if err != nil {
			return ""
		}
		rooms[*id] = r.Name
		return r.Name
	}
	sys := fabrique.WithUser(ctx, fabrique.System)
	names := map[int64]string{}
	personName := func(id int64) string {
		if n, ok := names[id]; ok {
			return n
		}
		if p, err := s.Store.People().Get(sys, id); err == nil {
			names[id] = p.Name
		}
		return names[id]
	}
	slots := map[int64]*itemView{}
	for _, it := range items {
		v := &itemView{ProgrammeItem: it, Room: roomName(it.RoomID)}
		for _, p := range it.SpeakerIDs {
			v.Speakers = append(v.Speakers, personName(p))
		}
		slots[it.ID] = v
		d.Items = append(d.Items, v)
	}
	for _, w := range workshops {
		v := &workshopView{Workshop: w, Room: roomName(w.RoomID)}
		for _, cid := range w.CommitmentIDs {
			if cm, err := s.Store.Commitments().Get(ctx, cid); err == nil {
				v.Commitments = append(v.Commitments, cm)
			}
		}
		for _, p := range w.FacilitatorIDs {
			v.Facilitators = append(v.Facilitators, personName(p))
		}
		if it := slots[w.ItemID]; it != nil {
			it.Workshops = append(it.Workshops, v)
		}
		d.Workshops = append(d.Workshops, v)
	}
	if ev.Kind == fabrique.EventForum && len(d.Phases) > 0 {
		d.Timeline = newTimeline(ev, d.Phases)
	}
	return d, nil
}

// eventPage is the public page of an event.
func (s *Server) eventPage(c *gin.Context) error {
	id, err := httpx.PathID(c, "id")
	if err != nil {
		return err
	}
	d, err := s.loadEvent(c.Request.Context(), id)
	if err != nil {
		return err
	}
	return s.showEvent(c, http.StatusOK, d, nil) // with the registration form (registration.go)
}

// eventList is the home page's data: published events, upcoming first.
type eventList struct {
	Upcoming []*fabrique.Event
	Past     []*fabrique.Event
}

// homePage lists the published events: upcoming ones first, then past ones
// from the most recent.
func (s *Server) homePage(c *gin.Context) error {
	events, err := all(c.Request.Context(), s.Store.Events(), map[string]string{"status": string(fabrique.EventPublished)})
	if err != nil {
		return err
	}
	var d eventList
	now := time.Now()
	for _, e := range events {
		if e.End.After(now) {
			d.Upcoming = append(d.Upcoming, e)
		} else {
			d.Past = append(d.Past, e)
		}
	}
	sort.SliceStable(d.Past, func(i, j int) bool { return d.Past[i].Start.After(d.Past[j].Start) })
	return s.render(c, http.StatusOK, "home.html", &view{Title: "Événements du gouvernement ouvert", Data: &d})
}

// timeline is a forum's phases drawn over its weeks, as inline SVG.
type timeline struct {
	Width, Height int
	Weeks         []tick
	Bars          []bar
	Summary       string
}

type tick struct {
	X     int
	Label string
}

type bar struct {
	Y, X, W  int
	TextX    int
	Label    string
	Dates    string
	Point    bool // a phase of a few hours, drawn as a marker
	Fill     string
	TextLeft bool
}

// Geometry of the timeline, in SVG units.
const (
	tlWidth  = 720
	tlLeft   = 10
	tlRight  = 10
	tlTop    = 34
	tlRow    = 46
	tlBarH   = 18
	tlMinBar = 8
)

// newTimeline draws the phases over the weeks from the event's start.
func newTimeline(ev *fabrique.Event, phases []*fabrique.Phase) *timeline {
	start := ev.Start.In(fabrique.Paris)
	start = time.Date(start.Year(), start.Month(), start.Day(), 0, 0, 0, 0, fabrique.Paris)
	end := ev.End
	for _, p := range phases {
		if p.End.After(end) {
			end = p.End
		}
	}
	weeks := int(end.Sub(start).Hours()/(24*7)) + 1
	if weeks < 6 {
		weeks = 6
	}
	span := float64(weeks) * 7 * 24
	inner := tlWidth - tlLeft - tlRight
	x := func(t time.Time) int { return tlLeft + int(float64(inner)*t.Sub(start).Hours()/span) }
	t := &timeline{Width: tlWidth, Height: tlTop + tlRow*len(phases) + 6}
	for w := 0; w < weeks; w++ {
		t.Weeks = append(t.Weeks, tick{X: tlLeft + inner*w/weeks, Label: fmt.Sprintf("Semaine %d", w+1)})
	}
	fills := map[fabrique.PhaseKind]string{fabrique.PhaseInvestigation: "#6a6af4", fabrique.PhaseLaunch: "#e1000f",
		fabrique.PhaseForum: "#000091", fabrique.PhaseDeepening: "#18753c"}
	for i, p := range phases {
		b := bar{Y: tlTop + tlRow*i, X: x(p.Start), Label: label("phase", p.Kind), Fill: fills[p.Kind]}
		b.W = x(p.End) - b.X
		if b.W < tlMinBar {
			b.W, b.Point = tlMinBar, true
		}
		if p.Start.In(fabrique.Paris).YearDay() == p.End.In(fabrique.Paris).YearDay() {
			b.Dates = fabrique.FrenchSpan(p.Start, p.End)
		} else {
			b.Dates = "du " + fabrique.FrenchDate(p.Start) + " au " + fabrique.FrenchDate(p.End)
		}
		b.TextX = b.X
		if b.X > tlWidth/2 {
			b.TextX, b.TextLeft = b.X+b.W, true
		}
		t.Bars = append(t.Bars, b)
	}
	t.Summary = fmt.Sprintf("Frise des %d phases du forum sur %d semaines, à partir du %s.", len(phases), weeks, fabrique.FrenchDate(start))
	return t
}
