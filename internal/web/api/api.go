package api

import (
	"bytes"
	"encoding/json"
	"net/http"
	"reflect"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"fabrique/internal/fabrique"
	"fabrique/internal/web/httpx"
)

// route is one API route, registered in Gin and described in OpenAPI.
type route struct {
	method  string
	path    string // Gin syntax: /events/:id
	summary string // French
	tag     string
	auth    string              // who may call it, in French
	body    reflect.Type        // request body, nil for none
	reply   reflect.Type        // response body, nil for none (204)
	list    bool                // reply is a page of reply
	status  int                 // success status
	query   []string            // accepted query parameters
	enums   map[string][]string // values allowed of coded query parameters
}

// api registers a route under /api/v1 and records it for the OpenAPI document.
func (s *Server) api(g *gin.RouterGroup, r route, h handler) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	r.path = "/api/v1" + r.path
	s.routes = append(s.routes, r)
	if r.method != http.MethodGet && !openWrites[r.auth] {
		h = signedInFirst(h)
	}
	g.Handle(r.method, strings.TrimPrefix(r.path, "/api/v1"), s.Wrap(h))
}

// openWrites are the kinds of access of the writes open without an
// account: public forms (registration, comments during a consultation),
// the participant's private link, the unsubscribe link of a notice and
// the confirmation link of a comment.
var openWrites = map[string]bool{readAll: true, byToken: true, writeAnyone: true, byUnsubscribeLink: true, byConfirmLink: true}

// signedInFirst answers 401 to an anonymous write before anything of the
// request (its body) is read or checked.
func signedInFirst(h handler) handler {
	return func(c *gin.Context) error {
		if fabrique.UserFrom(c.Request.Context()) == nil {
			return &fabrique.Error{Code: fabrique.EUNAUTHORIZED, Message: "Authentification requise : connectez-vous, ou fournissez un jeton d'API (en-tête Authorization: Bearer …)."}
		}
		return h(c)
	}
}

// entity describes an entity exposed with list, read, create, update and delete.
type entity[T any] struct {
	path   string // /events
	tag    string // « Événements »
	noun   string // French plural, for summaries: « événements »
	repo   func(fabrique.Store) fabrique.Repository[T]
	id     func(*T) *int64
	read   string // who may read
	write  string // who may write
	nested []nestedList[T]
	// eventOf names the event a write may put in conflict: the answer to
	// a create or an update then carries the event's "conflicts".
	eventOf func(*T) int64
	st      fabrique.Store // set by mountEntity
}

// nestedList is a list and a create under a parent: /events/:id/workshops.
type nestedList[T any] struct {
	parent    string                                                 // /events
	child     string                                                 // /workshops
	field     string                                                 // the filter and the field set on create: event_id
	exists    func(s fabrique.Store, c *gin.Context, id int64) error // the parent is visible
	setParent func(*T, int64)
}

func mountEntity[T any](s *Server, g *gin.RouterGroup, e entity[T]) {
	e.st = s.Store
	t := reflect.TypeOf((*T)(nil)).Elem()
	repo := e.repo(s.Store)
	query := append([]string{"limit", "offset"}, repo.Filters()...)
	coded := enumFilters(t, repo.Filters())
	s.api(g, route{method: "GET", path: e.path, summary: "Lister les " + e.noun, tag: e.tag, auth: e.read, reply: t, list: true, query: query, enums: coded},
		func(c *gin.Context) error { return listEntities(c, repo, nil) })
	s.api(g, route{method: "POST", path: e.path, summary: "Créer (" + e.noun + ")", tag: e.tag, auth: e.write, body: t, reply: t, status: http.StatusCreated},
		func(c *gin.Context) error { return createEntity(c, repo, e, nil) })
	s.api(g, route{method: "GET", path: e.path + "/:id", summary: "Lire (" + e.noun + ")", tag: e.tag, auth: e.read, reply: t},
		func(c *gin.Context) error {
			id, err := httpx.PathID(c, "id")
			if err != nil {
				return err
			}
			v, err := repo.Get(c.Request.Context(), id)
			if err != nil {
				return err
			}
			c.JSON(http.StatusOK, v)
			return nil
		})
	s.api(g, route{method: "PUT", path: e.path + "/:id", summary: "Remplacer (" + e.noun + ")", tag: e.tag, auth: e.write, body: t, reply: t},
		func(c *gin.Context) error { return updateEntity(c, repo, e, false) })
	s.api(g, route{method: "PATCH", path: e.path + "/:id", summary: "Modifier certains champs (" + e.noun + ")", tag: e.tag, auth: e.write, body: t, reply: t},
		func(c *gin.Context) error { return updateEntity(c, repo, e, true) })
	s.api(g, route{method: "DELETE", path: e.path + "/:id", summary: "Supprimer (" + e.noun + ")", tag: e.tag, auth: e.write, status: http.StatusNoContent},
		func(c *gin.Context) error {
			id, err := httpx.PathID(c, "id")
			if err != nil {
				return err
			}
			if err := repo.Delete(c.Request.Context(), id); err != nil {
				return err
			}
			c.Status(http.StatusNoContent)
			return nil
		})
	for _, n := range e.nested {
		n := n
		var nq []string
		for _, q := range query {
			if q != n.field {
				nq = append(nq, q)
			}
		}
		s.api(g, route{method: "GET", path: n.parent + "/:id" + n.child, summary: "Lister les " + e.noun + " de cet élément", tag: e.tag, auth: e.read, reply: t, list: true, query: nq, enums: coded},
			func(c *gin.Context) error {
				id, err := parentID(s, c, n.exists)
				if err != nil {
					return err
				}
				return listEntities(c, repo, map[string]string{n.field: strconv.FormatInt(id, 10)})
			})
		s.api(g, route{method: "POST", path: n.parent + "/:id" + n.child, summary: "Créer (" + e.noun + ") dans cet élément", tag: e.tag, auth: e.write, body: t, reply: t, status: http.StatusCreated},
			func(c *gin.Context) error {
				id, err := parentID(s, c, n.exists)
				if err != nil {
					return err
				}
				return createEntity(c, repo, e, func(v *T) { n.setParent(v, id) })
			})
	}
}

func parentID(s *Server, c *gin.Context, exists func(fabrique.Store, *gin.Context, int64) error) (int64, error) {
	id, err := httpx.PathID(c, "id")
	if err != nil {
		return 0, err
	}
	return id, exists(s.Store, c, id)
}

// listEntities answers a page, reading limit, offset and the filters.
func listEntities[T any](c *gin.Context, repo fabrique.Repository[T], fixed map[string]string) error {
	opt, err := listOptions(c, fixed)
	if err != nil {
		return err
	}
	for name, allowed := range enumFilters(reflect.TypeOf((*T)(nil)).Elem(), repo.Filters()) {
		if v, ok := opt.Filters[name]; ok {
			if err := checkEnum(name, v, allowed); err != nil {
				return err
			}
		}
	}
	page, err := repo.List(c.Request.Context(), opt)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, page)
	return nil
}

// listOptions reads limit, offset and the filters of a list from the
// query; fixed filters come from the path and may not be repeated there.
func listOptions(c *gin.Context, fixed map[string]string) (fabrique.ListOptions, error) {
	opt := fabrique.ListOptions{Limit: 50, Filters: map[string]string{}}
	var p fabrique.Problems
	for key, values := range c.Request.URL.Query() {
		if len(values) != 1 {
			p.Add(key, "paramètre répété : une seule valeur est attendue")
			continue
		}
		v := values[0]
		switch key {
		case "limit":
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 || n > fabrique.MaxPageSize {
				p.Add("limit", "un nombre entre 1 et %d est attendu", fabrique.MaxPageSize)
			}
			opt.Limit = n
		case "offset":
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				p.Add("offset", "un nombre entier positif ou nul est attendu")
			}
			opt.Offset = n
		default:
			if _, ok := fixed[key]; ok {
				p.Add(key, "ce filtre est déjà donné par l'adresse")
			}
			opt.Filters[key] = v
		}
	}
	if err := p.Err(); err != nil {
		return opt, err
	}
	for k, v := range fixed {
		opt.Filters[k] = v
	}
	return opt, nil
}

func createEntity[T any](c *gin.Context, repo fabrique.Repository[T], e entity[T], set func(*T)) error {
	v := new(T)
	if err := decodeEntity(c, v, e); err != nil {
		return err
	}
	if set != nil {
		set(v)
	}
	if err := repo.Create(c.Request.Context(), v); err != nil {
		return err
	}
	c.Header("Location", "/api/v1"+e.path+"/"+strconv.FormatInt(*e.id(v), 10))
	return writeWithConflicts(c, http.StatusCreated, v, e)
}

// writeWithConflicts answers a written entity; for what belongs to an
// event, with the event's conflicts beside its fields (plans are drafts:
// a write that creates a conflict is accepted, and says so).
func writeWithConflicts[T any](c *gin.Context, status int, v *T, e entity[T]) error {
	emptyLists(v)
	if e.eventOf == nil {
		c.JSON(status, v)
		return nil
	}
	conflicts, err := e.st.Scheduling().Conflicts(c.Request.Context(), e.eventOf(v))
	if err != nil {
		return err
	}
	body, err := json.Marshal(v)
	if err != nil {
		return err
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(body, &fields); err != nil {
		return err
	}
	fields["conflicts"], _ = json.Marshal(conflicts)
	c.JSON(status, fields)
	return nil
}

// decodeEntity decodes a body, without the "conflicts" of a previous answer.
func decodeEntity[T any](c *gin.Context, v *T, e entity[T]) error {
	body, err := readBody(c)
	if err != nil {
		return err
	}
	if e.eventOf != nil {
		body = withoutConflicts(body)
	}
	return decodeBytes(body, v)
}

// withoutConflicts removes the "conflicts" an answer carried, so that a
// client may send back what it read or wrote.
func withoutConflicts(body []byte) []byte {
	if !bytes.Contains(body, []byte(`"conflicts"`)) {
		return body
	}
	var fields map[string]json.RawMessage
	if json.Unmarshal(body, &fields) != nil {
		return body
	}
	delete(fields, "conflicts")
	out, err := json.Marshal(fields)
	if err != nil {
		return body
	}
	return out
}

// updateEntity replaces (PUT) or merges (PATCH) the body onto the entity.
func updateEntity[T any](c *gin.Context, repo fabrique.Repository[T], e entity[T], merge bool) error {
	id, err := httpx.PathID(c, "id")
	if err != nil {
		return err
	}
	v := new(T)
	if merge {
		if v, err = repo.Get(c.Request.Context(), id); err != nil {
			return err
		}
	}
	if err := decodeEntity(c, v, e); err != nil {
		return err
	}
	*e.id(v) = id
	if err := repo.Update(c.Request.Context(), v); err != nil {
		return err
	}
	return writeWithConflicts(c, http.StatusOK, v, e)
}

// emptyLists sets the nil slices of a struct to empty ones: a list field is
// answered [] (never null) even when the body left it out.
func emptyLists(v any) {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.Elem().Kind() != reflect.Struct {
		return
	}
	rv = rv.Elem()
	for i := 0; i < rv.NumField(); i++ {
		f := rv.Field(i)
		if f.Kind() == reflect.Slice && f.IsNil() && f.CanSet() {
			f.Set(reflect.MakeSlice(f.Type(), 0, 0))
		}
	}
}
