package pages

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"fabrique/internal/fabrique"
	"fabrique/internal/web/httpx"
)

// The staff's page of an event's registrations, by workshop with the
// waiting lists, and its export for a French spreadsheet.

// mountStaffRegistrationPages registers the staff's pages of registrations
// and of the outbox on the /staff group.
func (s *Server) mountStaffRegistrationPages(st *gin.RouterGroup) {
	st.GET("/events/:id/registrations", s.page(s.rosterPage))
	st.GET("/events/:id/registrations.csv", s.page(s.rosterCSV))
	st.GET("/outbox", s.page(s.outboxPage))
	st.GET("/outbox/:id", s.page(s.messagePage))
	st.POST("/outbox/:id/retry", s.page(s.retryMessage))
	st.POST("/events/:id/outbox/release", s.page(s.releaseHeld))
}

// rosterView is the registrations page's data.
type rosterView struct {
	Roster    *fabrique.Roster
	Groups    []*rosterGroup
	Pending   []fabrique.RosterEntry // ranked choices waiting for the allocation
	Cancelled []fabrique.RosterEntry
	Counts    rosterCounts
	Choices   map[int64]string // workshop id → « Atelier 3 : … », for the ranked choices
	// What staff may do on each registration (registration_actions.go).
	Event      *fabrique.Event
	CanChange  bool     // the policy lets the user change the event's participants
	CSRF       string   // for the forms of each row
	Workshops  []option // where a registration may be moved
	Categories []option
}

// rosterGroup is a workshop (or the event, for those without one) with its
// registered people and its waiting list in order.
type rosterGroup struct {
	Title      string
	Seats      *fabrique.WorkshopSeats // nil for the group without a workshop
	Registered []fabrique.RosterEntry
	Waiting    []fabrique.RosterEntry
}

// rosterCounts counts the registrations by state.
type rosterCounts struct {
	Registered, Attended, Waiting, Pending, Cancelled int
}

// newRosterView groups the entries of r by workshop.
func newRosterView(r *fabrique.Roster) *rosterView {
	v := &rosterView{Roster: r, Choices: map[int64]string{}}
	byID := map[int64]*rosterGroup{}
	for i := range r.Workshops {
		w := &r.Workshops[i]
		g := &rosterGroup{Title: fabrique.WorkshopLabel(w.Number, w.Title), Seats: w}
		byID[w.ID] = g
		v.Choices[w.ID] = g.Title
		v.Groups = append(v.Groups, g)
	}
	var none *rosterGroup
	for _, e := range r.Entries {
		switch e.Status {
		case fabrique.RegPending:
			v.Counts.Pending++
			v.Pending = append(v.Pending, e)
			continue
		case fabrique.RegCancelled:
			v.Counts.Cancelled++
			v.Cancelled = append(v.Cancelled, e)
			continue
		}
		g := none
		if e.WorkshopID != nil {
			g = byID[*e.WorkshopID]
		}
		if g == nil {
			if none == nil {
				none = &rosterGroup{Title: "Sans atelier"}
				v.Groups = append(v.Groups, none)
			}
			g = none
		}
		switch e.Status {
		case fabrique.RegWaiting:
			v.Counts.Waiting++
			g.Waiting = append(g.Waiting, e)
		case fabrique.RegAttended:
			v.Counts.Attended++
			g.Registered = append(g.Registered, e)
		default:
			v.Counts.Registered++
			g.Registered = append(g.Registered, e)
		}
	}
	return v
}

// ChoiceLabels names the ranked choices of an entry.
func (v *rosterView) ChoiceLabels(e fabrique.RosterEntry) []string {
	var out []string
	for _, id := range e.Choices {
		out = append(out, v.Choices[id])
	}
	return out
}

// rosterPage shows an event's registrations by workshop, with the waiting
// lists in order, to the administrators and the organisers of its host.
func (s *Server) rosterPage(c *gin.Context) error {
	id, err := httpx.PathID(c, "id")
	if err != nil {
		return err
	}
	return s.showRoster(c, http.StatusOK, rosterAddForm(id))
}

// showRoster renders the registrations page of the event of the path, with
// the form to add someone (registration_actions.go).
func (s *Server) showRoster(c *gin.Context, status int, add *form) error {
	id, err := httpx.PathID(c, "id")
	if err != nil {
		return err
	}
	ctx := c.Request.Context()
	r, err := s.Store.Enrolments().Roster(ctx, id)
	if err != nil {
		return err
	}
	v := newRosterView(r)
	if v.Event, err = s.Store.Events().Get(ctx, id); err != nil {
		return err
	}
	v.CanChange = can(fabrique.UserFrom(ctx), string(fabrique.ActChange), participantsOf{v.Event})
	v.CSRF = s.CSRFToken(c)
	for _, w := range r.Workshops {
		v.Workshops = append(v.Workshops, option{Value: fmt.Sprint(w.ID), Label: fabrique.WorkshopLabel(w.Number, w.Title)})
	}
	v.Categories = options("category", fabrique.Categories)
	return s.render(c, status, "registrations.html", &view{Title: "Inscriptions : " + r.Title, Data: v,
		Forms:  map[string]*form{"ajout": add},
		Crumbs: []crumb{{Label: "Tableau de bord", Href: "/staff"}, {Label: r.Title, Href: fmt.Sprintf("/staff/events/%d", id)}}})
}

// rosterHeader names the columns of the export, in French.
var rosterHeader = []string{"Atelier", "Salle", "Statut", "Rang sur la liste d'attente", "Nom", "Adresse électronique",
	"Organisation", "Catégorie", "Choix classés", "Inscription le"}

// rosterCSV exports the registrations for a French spreadsheet: UTF-8 with
// a byte order mark, semicolons, CRLF, French headers, and no cell that a
// spreadsheet would read as a formula.
func (s *Server) rosterCSV(c *gin.Context) error {
	id, err := httpx.PathID(c, "id")
	if err != nil {
		return err
	}
	r, err := s.Store.Enrolments().Roster(c.Request.Context(), id)
	if err != nil {
		return err
	}
	b, err := writeRosterCSV(r)
	if err != nil {
		return err
	}
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="inscriptions-%s.csv"`, httpx.FileSlug(r.Title)))
	c.Header("Cache-Control", "no-store")
	c.Header("X-Content-Type-Options", "nosniff")
	c.Data(http.StatusOK, "text/csv; charset=utf-8", b)
	return nil
}

// writeRosterCSV writes the roster as CSV for a French spreadsheet.
func writeRosterCSV(r *fabrique.Roster) ([]byte, error) {
	ws := map[int64]fabrique.WorkshopSeats{}
	for _, w := range r.Workshops {
		ws[w.ID] = w
	}
	rows := [][]string{append([]string(nil), rosterHeader...)}
	for _, e := range r.Entries {
		var workshop, room, rank string
		if e.WorkshopID != nil {
			x := ws[*e.WorkshopID]
			workshop, room = fabrique.WorkshopLabel(x.Number, x.Title), x.Room
		}
		if e.Rank > 0 {
			rank = strconv.Itoa(e.Rank)
		}
		var choices []string
		for i, id := range e.Choices {
			x := ws[id]
			choices = append(choices, fmt.Sprintf("%d. %s", i+1, fabrique.WorkshopLabel(x.Number, x.Title)))
		}
		rows = append(rows, []string{workshop, room, registrationLabel(e.Status), rank, e.Name, e.Email, e.Organisation,
			label("category", e.Category), strings.Join(choices, " / "), e.CreatedAt.In(fabrique.Paris).Format("02/01/2006 15:04")})
	}
	return httpx.SpreadsheetCSV(rows)
}

// registrationLabel is the state of a registration in French.
func registrationLabel(st fabrique.RegistrationStatus) string {
	switch st {
	case fabrique.RegRegistered:
		return "Inscrit·e"
	case fabrique.RegWaiting:
		return "Liste d'attente"
	case fabrique.RegPending:
		return "En attente de répartition"
	case fabrique.RegAttended:
		return "Présent·e"
	case fabrique.RegCancelled:
		return "Annulée"
	}
	return string(st)
}

// rosterTable is one table of registrations (partial "roster-table").
type rosterTable struct {
	View    *rosterView
	Entries []fabrique.RosterEntry
	Caption string
	Ranked  bool // a waiting list: the rank comes first
}

// Table builds a table of entries for the template.
func (v *rosterView) Table(entries []fabrique.RosterEntry, caption string, ranked bool) rosterTable {
	return rosterTable{View: v, Entries: entries, Caption: caption, Ranked: ranked}
}
