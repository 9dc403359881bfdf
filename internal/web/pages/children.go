package pages

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"fabrique/internal/fabrique"
	"fabrique/internal/web/httpx"
)

// The children of an event edited from its editor: programme items and
// workshops. Both are created from a form of the editor, edited on a page
// of their own, and deleted with a button; one helper serves both.

// eventChild is what the editor knows of a kind of child, whatever its type.
type eventChild struct {
	key    string            // the form's key in the editor's view: "item", "workshop"
	form   string            // the form's name (and anchor): "element", "atelier"
	path   string            // under the event's address: "items", "workshops"
	anchor string            // the editor's section to go back to: "programme", "ateliers"
	fields []string          // the form's fields
	alias  map[string]string // the store's field names that are not the form's
	blank  func(*form, *editor)
}

// childKind is a kind of child of type T and how to read, write and show it.
type childKind[T any] struct {
	eventChild
	page     string                                      // the template of its edit page
	alien    string                                      // « L'atelier »: the start of « … n° 3 n'appartient pas à cet événement. »
	editing  string                                      // « Modifier l'atelier »: the start of the edit page's title
	repo     func(fabrique.Store) fabrique.Repository[T] // where it is stored
	of       func(*T) (id, eventID int64, title string)  // what it is
	newFor   func(eventID int64) *T                      // a new one of the event
	read     func(*form, *T)                             // the posted form into it
	fill     func(*form, *T)                             // it into the edit form
	validate func(*T) error
}

// mountChild registers the create, edit, update and delete routes of a
// kind of child under /staff/events/:id/<path>.
func mountChild[T any](s *Server, g *gin.RouterGroup, k *childKind[T]) {
	base := "/events/:id/" + k.path
	g.POST(base, s.page(func(c *gin.Context) error { return createChild(s, c, k) }))
	g.GET(base+"/:item", s.page(func(c *gin.Context) error { return childPage(s, c, k) }))
	g.POST(base+"/:item", s.page(func(c *gin.Context) error { return updateChild(s, c, k) }))
	g.POST(base+"/:item/delete", s.page(func(c *gin.Context) error { return deleteChild(s, c, k) }))
}

// createChild adds a child to the event; a refused form is shown again in
// the editor.
func createChild[T any](s *Server, c *gin.Context, k *childKind[T]) error {
	ev, err := s.pathEvent(c)
	if err != nil {
		return err
	}
	f := postedForm(c, k.form, "", k.fields...)
	v := k.newFor(ev.ID)
	k.read(f, v)
	status, err := submit(f, k.alias, func() error { return k.validate(v) }, func() error { return k.repo(s.Store).Create(c.Request.Context(), v) })
	if err != nil || status != 0 {
		return orErr(err, func() error { return s.showEditor(c, status, map[string]*form{k.key: f}) })
	}
	return redirect(c, fmt.Sprintf("/staff/events/%d#%s", ev.ID, k.anchor), "created")
}

// pathChild reads the child of the path; one of another event is not found.
func pathChild[T any](s *Server, c *gin.Context, k *childKind[T]) (*T, error) {
	ev, err := s.pathEvent(c)
	if err != nil {
		return nil, err
	}
	id, err := httpx.PathID(c, "item")
	if err != nil {
		return nil, err
	}
	v, err := k.repo(s.Store).Get(c.Request.Context(), id)
	if err != nil {
		return nil, err
	}
	if _, eventID, _ := k.of(v); eventID != ev.ID {
		return nil, fabrique.Errorf(fabrique.ENOTFOUND, "%s n° %d n'appartient pas à cet événement.", k.alien, id)
	}
	return v, nil
}

// childPage shows the form that edits a child.
func childPage[T any](s *Server, c *gin.Context, k *childKind[T]) error {
	v, err := pathChild(s, c, k)
	if err != nil {
		return err
	}
	f := newForm(k.form, "", k.fields...)
	k.fill(f, v)
	return showChild(s, c, k, http.StatusOK, f, v)
}

func showChild[T any](s *Server, c *gin.Context, k *childKind[T], status int, f *form, v *T) error {
	ed, err := s.loadEditor(c)
	if err != nil {
		return err
	}
	id, _, title := k.of(v)
	f.Action = fmt.Sprintf("/staff/events/%d/%s/%d", ed.Event.ID, k.path, id)
	return s.render(c, status, k.page, &view{Title: k.editing + " « " + title + " »", Data: ed,
		Forms:  map[string]*form{k.key: f},
		Crumbs: []crumb{{Label: "Tableau de bord", Href: "/staff"}, {Label: ed.Event.Title, Href: fmt.Sprintf("/staff/events/%d", ed.Event.ID)}}})
}

// updateChild saves a child from its edit page.
func updateChild[T any](s *Server, c *gin.Context, k *childKind[T]) error {
	v, err := pathChild(s, c, k)
	if err != nil {
		return err
	}
	f := postedForm(c, k.form, "", k.fields...)
	k.read(f, v)
	status, err := submit(f, k.alias, func() error { return k.validate(v) }, func() error { return k.repo(s.Store).Update(c.Request.Context(), v) })
	if err != nil || status != 0 {
		return orErr(err, func() error { return showChild(s, c, k, status, f, v) })
	}
	_, eventID, _ := k.of(v)
	return redirect(c, fmt.Sprintf("/staff/events/%d#%s", eventID, k.anchor), "saved")
}

// deleteChild removes a child; a refusal of the store (an item still
// holding workshops, a workshop with registrations) is shown in the editor.
func deleteChild[T any](s *Server, c *gin.Context, k *childKind[T]) error {
	v, err := pathChild(s, c, k)
	if err != nil {
		return err
	}
	id, eventID, _ := k.of(v)
	if err := k.repo(s.Store).Delete(c.Request.Context(), id); err != nil {
		if code := fabrique.ErrorCode(err); code != fabrique.ECONFLICT && code != fabrique.EFORBIDDEN {
			return err
		}
		c.Set(ctxFlash, fabrique.ErrorMessage(err))
		return s.showEditor(c, refusedStatus(err), nil)
	}
	return redirect(c, fmt.Sprintf("/staff/events/%d#%s", eventID, k.anchor), "deleted")
}

// items are the programme items of an event.
var items = &childKind[fabrique.ProgrammeItem]{
	eventChild: eventChild{key: "item", form: "element", path: "items", anchor: "programme",
		fields: []string{"kind", "title", "date", "start_time", "end_time", "room_id", "phase_id", "online", "description"},
		alias:  map[string]string{"start": "start_time", "end": "end_time"},
		blank: func(f *form, ed *editor) {
			f.Set("date", ed.Event.Start.In(fabrique.Paris).Format("2006-01-02"))
		}},
	page: "item.html", alien: "L'élément de programme", editing: "Modifier l'élément",
	repo:     fabrique.Store.Items,
	of:       func(it *fabrique.ProgrammeItem) (int64, int64, string) { return it.ID, it.EventID, it.Title },
	newFor:   func(eventID int64) *fabrique.ProgrammeItem { return &fabrique.ProgrammeItem{EventID: eventID} },
	validate: (*fabrique.ProgrammeItem).Validate,
	read: func(f *form, it *fabrique.ProgrammeItem) {
		p := parser{f}
		it.Kind = fabrique.ItemKind(p.text("kind"))
		it.Title, it.Description = p.text("title"), p.text("description")
		day, ok := p.date("date")
		it.Start = p.clock("start_time", day, ok)
		it.End = p.clock("end_time", day, ok)
		it.RoomID = p.id("room_id")
		it.PhaseID = p.id("phase_id")
		it.Online = p.checked("online")
	},
	fill: func(f *form, it *fabrique.ProgrammeItem) {
		f.Set("kind", string(it.Kind))
		f.Set("title", it.Title)
		f.Set("description", it.Description)
		f.Set("date", it.Start.In(fabrique.Paris).Format("2006-01-02"))
		f.Set("start_time", it.Start.In(fabrique.Paris).Format("15:04"))
		f.Set("end_time", it.End.In(fabrique.Paris).Format("15:04"))
		setID(f, "room_id", it.RoomID)
		setID(f, "phase_id", it.PhaseID)
		if it.Online {
			f.Set("online", "1")
		}
	},
}

// workshops are the workshops of an event.
var workshops = &childKind[fabrique.Workshop]{
	eventChild: eventChild{key: "workshop", form: "atelier", path: "workshops", anchor: "ateliers",
		fields: []string{"number", "title", "item_id", "room_id", "capacity", "controversy", "commitment_ids", "facilitator_ids", "description"},
		blank: func(f *form, ed *editor) {
			f.Set("capacity", "20")
			f.Set("number", strconv.Itoa(len(ed.Workshops)+1))
		}},
	page: "workshop.html", alien: "L'atelier", editing: "Modifier l'atelier",
	repo:     fabrique.Store.Workshops,
	of:       func(w *fabrique.Workshop) (int64, int64, string) { return w.ID, w.EventID, w.Title },
	newFor:   func(eventID int64) *fabrique.Workshop { return &fabrique.Workshop{EventID: eventID} },
	validate: (*fabrique.Workshop).Validate,
	read: func(f *form, w *fabrique.Workshop) {
		p := parser{f}
		w.Number = p.integer("number", 0)
		w.Title, w.Description = p.text("title"), p.text("description")
		w.ItemID = 0
		if id := p.id("item_id"); id != nil {
			w.ItemID = *id
		}
		w.RoomID = p.id("room_id")
		w.Capacity = p.integer("capacity", 0)
		w.Controversy = p.checked("controversy")
		w.CommitmentIDs = p.ids("commitment_ids")
		w.FacilitatorIDs = p.ids("facilitator_ids")
	},
	fill: func(f *form, w *fabrique.Workshop) {
		f.Set("number", strconv.Itoa(w.Number))
		f.Set("title", w.Title)
		f.Set("description", w.Description)
		f.Set("item_id", fmt.Sprint(w.ItemID))
		setID(f, "room_id", w.RoomID)
		f.Set("capacity", strconv.Itoa(w.Capacity))
		if w.Controversy {
			f.Set("controversy", "1")
		}
		for _, id := range w.CommitmentIDs {
			f.Values.Add("commitment_ids", fmt.Sprint(id))
		}
		for _, id := range w.FacilitatorIDs {
			f.Values.Add("facilitator_ids", fmt.Sprint(id))
		}
	},
}

// The editor's forms, in its order.
var itemChild, workshopChild = items.eventChild, workshops.eventChild

// setID sets an optional id field; nil leaves it empty.
func setID(f *form, name string, id *int64) {
	if id != nil {
		f.Set(name, fmt.Sprint(*id))
	}
}
