package pages

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strconv"

	"github.com/gin-gonic/gin"

	"fabrique/internal/fabrique"
	"fabrique/internal/schedule"
	"fabrique/internal/web/httpx"
)

// The planning page of an event: its conflicts, each explained, with the
// exceptions that waive them; publication (refused while conflicts
// remain); the assignment board of rooms against time slots; automatic
// assignment shown as a proposal before it is saved.

func (s *Server) mountPlanningBoard(st *gin.RouterGroup) {
	st.GET("/events/:id/planning", s.page(s.planningPage))
	st.POST("/events/:id/exceptions", s.page(s.addExceptionForm))
	st.POST("/events/:id/exceptions/:item/delete", s.page(s.deleteExceptionForm))
	st.POST("/events/:id/publish", s.page(s.publishForm))
	st.GET("/events/:id/assignment", s.page(s.assignmentPage))
	st.POST("/events/:id/assignment", s.page(s.applyAssignmentForm))
}

func init() {
	notices["assigned"] = "L'affectation proposée est enregistrée."
	notices["published"] = "L'événement est publié."
	notices["waived"] = "L'exception est enregistrée : le conflit ne bloque plus la publication."
}

// conflictKindLabels name each kind of conflict in French.
var conflictKindLabels = map[fabrique.ConflictKind]string{
	fabrique.ConflictRoomDoubleBooked:    "Salle occupée deux fois",
	fabrique.ConflictPersonDoubleBooked:  "Personne attendue à deux endroits",
	fabrique.ConflictPersonUnavailable:   "Personne indisponible",
	fabrique.ConflictRoomTooSmall:        "Salle trop petite",
	fabrique.ConflictOnlineWithoutLink:   "En ligne sans lien",
	fabrique.ConflictInPersonWithoutRoom: "Sur place sans salle",
	fabrique.ConflictPhaseMissing:        "Phase manquante",
	fabrique.ConflictPhaseOrder:          "Phases dans le désordre",
	fabrique.ConflictPhaseDuration:       "Durée de phase hors méthode",
	fabrique.ConflictWorkshopCount:       "Nombre d'ateliers hors méthode",
	fabrique.ConflictNoControversy:       "Aucun atelier sur les controverses",
	fabrique.ConflictLaunchSpeakers:      "Intervenants du lancement",
	fabrique.ConflictOutsideEvent:        "Hors des horaires de l'événement",
}

// conflictView is a conflict with its French kind and the form that waives it.
type conflictView struct {
	fabrique.Conflict
	KindLabel string
	Form      *form
	Links     []objectLink // the objects involved, linked to where they are fixed
}

// objectLink names an object of a conflict, with the page where it is
// changed when that page is the event's own (its items and workshops).
type objectLink struct {
	Label string
	Href  string // empty when the object is not this event's
}

// conflictLinks links the items and workshops of the event d among objs.
func conflictLinks(d *eventDetail, objs []fabrique.Ref) []objectLink {
	items, workshops := map[int64]bool{}, map[int64]bool{}
	for _, it := range d.Items {
		items[it.ID] = true
	}
	for _, w := range d.Workshops {
		workshops[w.ID] = true
	}
	out := make([]objectLink, 0, len(objs))
	for _, o := range objs {
		l := objectLink{Label: o.Label}
		switch {
		case o.Type == "programme_item" && items[o.ID]:
			l.Href = fmt.Sprintf("/staff/events/%d/items/%d", d.Event.ID, o.ID)
		case o.Type == "workshop" && workshops[o.ID]:
			l.Href = fmt.Sprintf("/staff/events/%d/workshops/%d", d.Event.ID, o.ID)
		}
		out = append(out, l)
	}
	return out
}

// planning is what the planning page shows.
type planning struct {
	Detail    *eventDetail
	Conflicts []conflictView
	Blocking  int
	Board     *board
	Publish   *form
	MaxPerDay []option
	// Declaration is where an organisation that may not publish directly
	// goes (policy.go, PublishGate): its declaration, or the list to
	// declare from; "" when the user may publish.
	Declaration      string
	DeclarationState string
	// MayWaive: the user may waive a conflict (not a third party on a relay).
	MayWaive bool
	// Warnings: what to check before publishing, without forbidding it
	// (provisional titles, workshops tied to no commitment).
	Warnings []string
}

// board is the grid of rooms (rows) against time slots (columns).
type board struct {
	Slots []boardSlot
	Rows  []boardRow
}

// boardSlot is a column: a programme item holding workshops.
type boardSlot struct {
	ID    int64
	Label string
}

// boardRow is a room (or the workshops without a room) with one cell per slot.
type boardRow struct {
	Room     string
	Capacity int
	NoRoom   bool
	Cells    [][]boardEntry
}

// boardEntry is a workshop in a cell, with what is wrong with it.
type boardEntry struct {
	ID           int64
	Number       int
	Title        string
	Capacity     int
	Facilitators []string
	Conflicts    []string
}

var exceptionFields = []string{"key", "reason"}

// planningPage shows the conflicts, the board and the forms of an event.
func (s *Server) planningPage(c *gin.Context) error {
	return s.showPlanning(c, http.StatusOK, nil, nil)
}

// showPlanning renders the planning page; failed is a refused exception
// form (by conflict key) and publish a refused publication.
func (s *Server) showPlanning(c *gin.Context, status int, failed *form, publish *form) error {
	ctx := c.Request.Context()
	id, err := httpx.PathID(c, "id")
	if err != nil {
		return err
	}
	d, err := s.loadEvent(ctx, id)
	if err != nil {
		return err
	}
	cs, err := s.Store.Scheduling().Conflicts(ctx, id)
	if err != nil {
		return err
	}
	p := &planning{Detail: d, Blocking: len(fabrique.Blocking(cs)), Publish: publish}
	if d.Event.Status != fabrique.EventPublished {
		ws := make([]*fabrique.Workshop, len(d.Workshops))
		for i, w := range d.Workshops {
			ws[i] = w.Workshop
		}
		p.Warnings = fabrique.PublishWarnings(ws)
	}
	if err := s.publishWay(ctx, p, d.Event); err != nil {
		return err
	}
	for i, cf := range cs {
		f := newForm(fmt.Sprintf("exception-%d", i+1), fmt.Sprintf("/staff/events/%d/exceptions", id), exceptionFields...)
		if failed != nil && failed.Get("key") == cf.Key {
			failed.ID = f.ID
			f = failed
		}
		f.Set("key", cf.Key)
		p.Conflicts = append(p.Conflicts, conflictView{Conflict: cf, KindLabel: conflictKindLabels[cf.Kind], Form: f, Links: conflictLinks(d, cf.Objects)})
	}
	if p.Publish == nil {
		p.Publish = newForm("publication", fmt.Sprintf("/staff/events/%d/publish", id))
	}
	for n := 1; n <= 4; n++ {
		p.MaxPerDay = append(p.MaxPerDay, option{Value: strconv.Itoa(n), Label: strconv.Itoa(n)})
	}
	p.Board = newBoard(d, cs)
	return s.render(c, status, "planning.html", &view{Title: "Conflits et affectation", Data: p,
		Crumbs: []crumb{{Label: "Tableau de bord", Href: "/staff"}, {Label: d.Event.Title, Href: fmt.Sprintf("/staff/events/%d", id)}}})
}

// publishWay fills what the policy says of publishing and waiving the event.
func (s *Server) publishWay(ctx context.Context, p *planning, ev *fabrique.Event) error {
	u := fabrique.UserFrom(ctx)
	relay := ev.Kind == fabrique.EventRelayWorkshop || ev.ParentEventID != nil
	p.MayWaive = fabrique.WaiveGate(u, relay, fabrique.OrgOwner(&ev.HostOrganisationID)) == nil
	if u.Is(fabrique.RoleAdmin) || !fabrique.Can(u, fabrique.ObjEvent, fabrique.ActPublish, fabrique.OrgOwner(&ev.HostOrganisationID)) {
		return nil
	}
	org, err := s.Store.Organisations().Get(ctx, ev.HostOrganisationID)
	if err != nil {
		return err
	}
	var state fabrique.DeclarationState
	if d, err := s.Store.Declarations().Declaration(ctx, ev.ID); err == nil {
		state = d.State
	} else if fabrique.ErrorCode(err) != fabrique.ENOTFOUND {
		return err
	}
	if fabrique.PublishGate(u, org.Trusted, state, ev.ID) == nil {
		return nil
	}
	p.Declaration = "/staff/declarations"
	if state != "" {
		p.Declaration, p.DeclarationState = fmt.Sprintf("/staff/declarations/%d", ev.ID), state.Label()
	}
	return nil
}

// newBoard places the workshops of the event in the grid, each with the
// conflicts naming it.
func newBoard(d *eventDetail, cs []fabrique.Conflict) *board {
	b := &board{}
	slotIndex := map[int64]int{}
	for _, it := range d.Items {
		if it.Kind != fabrique.ItemWorkshops {
			continue
		}
		slotIndex[it.ID] = len(b.Slots)
		label := fabrique.FrenchTime(it.Start) + " – " + fabrique.FrenchTime(it.End)
		if it.Start.In(fabrique.Paris).YearDay() != d.Event.Start.In(fabrique.Paris).YearDay() {
			label = fabrique.FrenchDate(it.Start) + ", " + label
		}
		b.Slots = append(b.Slots, boardSlot{ID: it.ID, Label: label})
	}
	problems := map[int64][]string{}
	for _, cf := range fabrique.Blocking(cs) {
		for _, o := range cf.Objects {
			if o.Type == "workshop" {
				problems[o.ID] = append(problems[o.ID], cf.Message)
			}
		}
	}
	rowOf := map[string]int{}
	newRow := func(name string, capacity int, none bool) int {
		b.Rows = append(b.Rows, boardRow{Room: name, Capacity: capacity, NoRoom: none, Cells: make([][]boardEntry, len(b.Slots))})
		rowOf[name] = len(b.Rows) - 1
		return rowOf[name]
	}
	for _, r := range d.Rooms {
		newRow(r.Name, r.Capacity, false)
	}
	var loose []*workshopView
	for _, w := range d.Workshops {
		col, ok := slotIndex[w.ItemID]
		if !ok {
			continue
		}
		if w.Room == "" {
			loose = append(loose, w)
			continue
		}
		row, ok := rowOf[w.Room]
		if !ok {
			row = newRow(w.Room, 0, false)
		}
		b.Rows[row].Cells[col] = append(b.Rows[row].Cells[col], entryOf(w, problems))
	}
	if len(loose) > 0 {
		row := newRow("Sans salle", 0, true)
		for _, w := range loose {
			b.Rows[row].Cells[slotIndex[w.ItemID]] = append(b.Rows[row].Cells[slotIndex[w.ItemID]], entryOf(w, problems))
		}
	}
	return b
}

func entryOf(w *workshopView, problems map[int64][]string) boardEntry {
	return boardEntry{ID: w.ID, Number: w.Number, Title: w.Title, Capacity: w.Capacity, Facilitators: w.Facilitators, Conflicts: problems[w.ID]}
}

// addExceptionForm waives a conflict with a reason.
func (s *Server) addExceptionForm(c *gin.Context) error {
	id, err := httpx.PathID(c, "id")
	if err != nil {
		return err
	}
	f := postedForm(c, "exception", "", exceptionFields...)
	x := &fabrique.RuleException{EventID: id, Key: parser{f}.text("key"), Reason: parser{f}.text("reason")}
	status, err := submit(f, nil, x.Validate, func() error { return s.Store.Scheduling().AddException(c.Request.Context(), x) })
	if err != nil || status != 0 {
		return orErr(err, func() error { return s.showPlanning(c, status, f, nil) })
	}
	return redirect(c, fmt.Sprintf("/staff/events/%d/planning#conflits", id), "waived")
}

// deleteExceptionForm removes an exception: the conflict blocks again.
func (s *Server) deleteExceptionForm(c *gin.Context) error {
	id, err := httpx.PathID(c, "id")
	if err != nil {
		return err
	}
	xid, err := httpx.PathID(c, "item")
	if err != nil {
		return err
	}
	if err := s.Store.Scheduling().DeleteException(c.Request.Context(), id, xid); err != nil {
		return err
	}
	return redirect(c, fmt.Sprintf("/staff/events/%d/planning#conflits", id), "deleted")
}

// publishForm publishes the event; with conflicts left (or a declaration
// not accepted), the page comes back with the list.
func (s *Server) publishForm(c *gin.Context) error {
	ev, err := s.pathEvent(c)
	if err != nil {
		return err
	}
	f := postedForm(c, "publication", fmt.Sprintf("/staff/events/%d/publish", ev.ID))
	ev.Status = fabrique.EventPublished
	err = s.Store.Events().Update(c.Request.Context(), ev)
	switch fabrique.ErrorCode(err) {
	case "":
		return redirect(c, fmt.Sprintf("/staff/events/%d/planning", ev.ID), "published")
	case fabrique.ECONFLICT, fabrique.EINVALID, fabrique.EFORBIDDEN:
		f.Other = append(f.Other, fabrique.ErrorMessage(err))
		for _, fe := range fabrique.ErrorFields(err) {
			f.Other = append(f.Other, capitalise(fe.Message))
		}
		return s.showPlanning(c, refusedStatus(err), nil, f)
	}
	return err
}

// proposalView is a dry run of the automatic assignment, with names.
type proposalView struct {
	Event       *fabrique.Event
	Rows        []proposalRow
	Unassigned  []schedule.UnassignedWorkshop
	Workshops   int
	Assigned    int
	Optimal     bool // the number assigned is proven maximum
	Gap         int  // otherwise, at most this many more could be assigned
	Fingerprint string
	MaxPerDay   int
}

// proposalRow is one workshop the proposal fills.
type proposalRow struct {
	Workshop     string
	When         string
	Room         string
	Facilitators []string
}

// propose runs the solver on the event without saving anything.
func (s *Server) propose(c *gin.Context, maxPerDay int) (*fabrique.AssignmentData, schedule.Proposal, error) {
	id, err := httpx.PathID(c, "id")
	if err != nil {
		return nil, schedule.Proposal{}, err
	}
	data, err := s.Store.Scheduling().AssignmentData(c.Request.Context(), id)
	if err != nil {
		return nil, schedule.Proposal{}, err
	}
	return data, schedule.NewEventInstance(data, maxPerDay).Propose(), nil
}

// maxPerDayOf reads max_per_day (1 to 10; empty is the default of 2).
func maxPerDayOf(v string) (int, error) {
	if v == "" {
		return schedule.DefaultMaxPerDay, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > 10 {
		return 0, fabrique.Invalid("max_per_day", "entre 1 et 10 ateliers par animateur et par jour (reçu : « %s »)", v)
	}
	return n, nil
}

// fingerprint identifies a proposal, so that what is confirmed is what was shown.
func fingerprint(p schedule.Proposal) string {
	b, _ := json.Marshal(p.Assignments)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:12])
}

// assignmentPage shows the proposal of the automatic assignment (a dry run).
func (s *Server) assignmentPage(c *gin.Context) error {
	n, err := maxPerDayOf(c.Query("max_per_day"))
	if err != nil {
		return err
	}
	return s.showProposal(c, http.StatusOK, n)
}

func (s *Server) showProposal(c *gin.Context, status, maxPerDay int) error {
	data, p, err := s.propose(c, maxPerDay)
	if err != nil {
		return err
	}
	v := &proposalView{Event: data.Event, Unassigned: p.Unassigned, Workshops: p.Workshops, Assigned: p.Assigned, Optimal: p.Optimal, Gap: p.Gap, Fingerprint: fingerprint(p), MaxPerDay: maxPerDay}
	rooms, people, workshops := map[int64]string{}, map[int64]string{}, map[int64]*fabrique.Workshop{}
	for _, r := range data.Rooms {
		rooms[r.ID] = fmt.Sprintf("%s (%d places)", r.Name, r.Capacity)
	}
	for _, pr := range data.People {
		people[pr.ID] = pr.Name
	}
	for _, w := range data.Workshops {
		workshops[w.ID] = w
	}
	for _, a := range p.Assignments {
		w := workshops[a.WorkshopID]
		row := proposalRow{Workshop: fabrique.WorkshopLabel(w.Number, w.Title)}
		if t, ok := data.ItemTimes[w.ItemID]; ok {
			row.When = fabrique.FrenchTime(t.Start) + " – " + fabrique.FrenchTime(t.End)
		}
		if a.RoomID != nil {
			row.Room = rooms[*a.RoomID]
		}
		for _, pid := range a.FacilitatorIDs {
			row.Facilitators = append(row.Facilitators, people[pid])
		}
		v.Rows = append(v.Rows, row)
	}
	sort.SliceStable(v.Rows, func(i, j int) bool { return v.Rows[i].Workshop < v.Rows[j].Workshop })
	return s.render(c, status, "assignment.html", &view{Title: "Affectation automatique proposée", Data: v,
		Crumbs: []crumb{{Label: "Tableau de bord", Href: "/staff"}, {Label: data.Event.Title, Href: fmt.Sprintf("/staff/events/%d", data.Event.ID)},
			{Label: "Conflits et affectation", Href: fmt.Sprintf("/staff/events/%d/planning", data.Event.ID)}}})
}

// applyAssignmentForm saves the proposal the user confirmed; when the
// situation changed since it was shown, the new proposal is shown instead.
func (s *Server) applyAssignmentForm(c *gin.Context) error {
	n, err := maxPerDayOf(c.PostForm("max_per_day"))
	if err != nil {
		return err
	}
	data, p, err := s.propose(c, n)
	if err != nil {
		return err
	}
	if fingerprint(p) != c.PostForm("fingerprint") {
		c.Set(ctxFlash, "La proposition a changé depuis son affichage (un autre enregistrement a eu lieu entre-temps) : rien n'a été enregistré. Vérifiez la nouvelle proposition ci-dessous avant de la confirmer.")
		return s.showProposal(c, http.StatusConflict, n)
	}
	if len(p.Assignments) > 0 {
		if err := s.Store.Scheduling().ApplyAssignment(c.Request.Context(), data.Event.ID, p.Assignments); err != nil {
			return err
		}
	}
	return redirect(c, fmt.Sprintf("/staff/events/%d/planning#tableau", data.Event.ID), "assigned")
}
