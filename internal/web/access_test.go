package web_test

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"testing"

	_ "github.com/mattn/go-sqlite3"

	"fabrique/internal/fabrique"
	"fabrique/internal/sqlite"
)

// countAll counts the rows of every table, to prove nothing was written.
func countAll(t testing.TB, st *sqlite.Store) string {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+st.DB().Path()+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var out []string
	for _, table := range []string{"action_plans", "commitments", "commitment_carriers", "organisations", "people", "venues", "rooms", "events", "phases", "programme_items", "item_speakers", "workshops", "workshop_facilitators", "workshop_commitments", "registrations", "users", "api_tokens"} {
		var n int
		if err := db.QueryRow("SELECT COUNT(*) FROM " + table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprintf("%s=%d", table, n))
	}
	return strings.Join(out, " ")
}

var roles = []string{anonymous, facilOther, facil, orgOther, orgForum, orgSERE, admin}

// expect lists the status each role gets.
type expect map[string]int

func all(code int) expect {
	e := expect{}
	for _, r := range roles {
		e[r] = code
	}
	return e
}

func (e expect) with(code int, rs ...string) expect {
	out := expect{}
	for k, v := range e {
		out[k] = v
	}
	for _, r := range rs {
		out[r] = code
	}
	return out
}

// The test accounts as the policy sees them: their role, and an
// organisation or a person standing for theirs (the policy only compares
// ids, so these need not be the database's).
var policyUsers = map[string]*fabrique.User{
	admin:      {Role: fabrique.RoleAdmin},
	orgSERE:    {Role: fabrique.RoleOrganiser, OrganisationID: ptr(1)},
	orgForum:   {Role: fabrique.RoleOrganiser, OrganisationID: ptr(2)},
	orgOther:   {Role: fabrique.RoleOrganiser, OrganisationID: ptr(3)},
	facil:      {Role: fabrique.RoleFacilitator, PersonID: ptr(1)},
	facilOther: {Role: fabrique.RoleFacilitator, PersonID: ptr(2)},
}

// The owners of the template's objects, in the ids of policyUsers.
var (
	shared     = fabrique.Owner{Shared: true}                            // plans, commitments, organisations; the service itself
	sereOwned  = fabrique.Owner{Orgs: []int64{1}}                        // Ministère ouvert #1, hosted by the Secrétariat d'État, and its venue
	forumOwned = fabrique.Owner{Orgs: []int64{2}}                        // the forum, hosted by the Transformation ministry
	workshop3  = fabrique.Owner{Orgs: []int64{1}, People: []int64{1}}    // workshop 3 of Ministère ouvert #1, facilitated by Simon Chignard (facil)
	sereStaff  = fabrique.Owner{Orgs: []int64{1}, People: []int64{1, 2}} // Ministère ouvert #1 with the facilitators of its workshops
)

// byPolicy reads from the policy what each role gets when it does act on
// an object of owner: ok when the policy allows it; anon for a visitor it
// refuses (401 from the API, 303 to the sign-in page from a page, 403 for
// a page's form posted without session); 403 for the other accounts.
func byPolicy(obj fabrique.Object, act fabrique.Action, owner fabrique.Owner, ok, anon int) expect {
	e := expect{}
	for _, r := range roles {
		u := policyUsers[r] // nil: anonymous
		switch {
		case fabrique.Can(u, obj, act, owner):
			e[r] = ok
		case u == nil:
			e[r] = anon
		default:
			e[r] = 403
		}
	}
	return e
}

var (
	publicRead = all(200)
	staffRead  = all(200).with(401, anonymous)
	adminWrite = func(ok int) expect { return byPolicy(fabrique.ObjReference, fabrique.ActChange, shared, ok, 401) }
	// sereWrite: what belongs to Ministère ouvert #1, hosted by the Secrétariat d'État.
	sereWrite = func(ok int) expect { return byPolicy(fabrique.ObjEvent, fabrique.ActChange, sereOwned, ok, 401) }
	// forumWrite: what belongs to the forum, hosted by the Transformation ministry.
	forumWrite = func(ok int) expect { return byPolicy(fabrique.ObjEvent, fabrique.ActChange, forumOwned, ok, 401) }
)

// Request bodies for creation, one per entity path.
var createBodies = map[string]string{
	"/action-plans":    `{"title":"Plan d'action national 2021-2023","period_start":"2021-12-01","period_end":"2023-12-31"}`,
	"/commitments":     `{"plan_id":1,"number":"26","title":"Nouvel engagement","kind":"commitment","status":"not_started"}`,
	"/organisations":   `{"name":"Ville de Lille","kind":"local_authority"}`,
	"/people":          `{"name":"Alix Nouvel","organisation_id":1,"category":"public_agent"}`,
	"/venues":          `{"name":"Annexe","address":"20 avenue de Ségur, 75007 Paris","host_organisation_id":1}`,
	"/rooms":           validRoom,
	"/events":          `{"kind":"open_ministry","title":"Ministère ouvert #2","host_organisation_id":1,"status":"draft","venue_id":1,"start":"2027-03-02T17:30:00+01:00","end":"2027-03-02T20:15:00+01:00"}`,
	"/phases":          `{"event_id":2,"kind":"deepening","start":"2027-02-13T09:00:00+01:00","end":"2027-02-20T18:00:00+01:00"}`,
	"/programme-items": `{"event_id":1,"kind":"break","title":"Pause","start":"2016-06-21T19:15:00+02:00","end":"2016-06-21T19:20:00+02:00"}`,
	"/workshops":       `{"event_id":1,"item_id":4,"number":6,"title":"Atelier 6","capacity":20}`,
	// Person 2 is a contact of the host (issue 11: another organisation's contact is not registered by the host).
	"/registrations": `{"event_id":1,"workshop_id":1,"person_id":2,"status":"registered","consent":true}`,
}

// The object each path's /:id routes target, and what each role may do there.
type target struct {
	id    string
	read  expect
	write func(ok int) expect
	del   int // what an allowed delete answers (409 when others refer to it)
}

var targets = map[string]target{
	"/action-plans":    {"1", publicRead, adminWrite, 409},
	"/commitments":     {"4", publicRead, adminWrite, 409},
	"/organisations":   {"1", publicRead, adminWrite, 409},
	"/people":          {"2", staffRead.with(404, facil, facilOther), nil, 409},
	"/venues":          {"1", publicRead, sereWrite, 409},
	"/rooms":           {"1", publicRead, sereWrite, 409},
	"/events":          {"1", publicRead, sereWrite, 409},
	"/phases":          {"1", publicRead, forumWrite, 204},
	"/programme-items": {"1", publicRead, sereWrite, 204},
	"/workshops":       {"1", publicRead, sereWrite, 409}, // its contributions (demo) refer to it
	"/registrations":   {"1", staffRead.with(404, orgOther, orgForum, facilOther), nil, 204},
}

// peopleWrite: organisers of the person's organisation (Jean-Vincent Placé
// is of the Secrétariat d'État); facilitators cannot even see others.
func peopleWrite(ok int) expect {
	return adminWrite(ok).with(ok, orgSERE).with(404, facil, facilOther)
}

// registrationWrite: the host's organiser; others do not see it.
func registrationWrite(ok int) expect {
	return adminWrite(ok).with(ok, orgSERE).with(404, orgOther, orgForum, facilOther)
}

// expectation returns what each role gets on a route.
func expectation(t *testing.T, method, path string) (url, body string, e expect) {
	if url, body, e, ok := followUpExpectation(method, path); ok { // issue 17: follow-up of commitments
		return url, body, e
	}
	if url, body, e, ok := linksExpectation(method, path); ok { // issue 11: links and accounts
		return url, body, e
	}
	if url, body, e, ok := planningExpectation(method, path); ok { // issue 6: formats, planning, declarations, facilitators
		return url, body, e
	}
	if url, body, e, ok := registrationActionExpectation(method, path); ok { // issue 15: staff act on one registration
		return url, body, e
	}
	if url, body, e, ok := registrationPageExpectation(method, path); ok { // issue 6: registration, participant, outbox pages
		return url, body, e
	}
	if url, body, e, ok := privacyExpectation(method, path); ok { // issue 7
		return url, body, e
	}
	if url, body, e, ok := minutesExpectation(method, path); ok { // issue 5
		return url, body, e
	}
	if url, body, e, ok := referenceExpectation(method, path); ok { // issue 6: edit/delete of reference data, registration settings
		return url, body, e
	}
	if url, body, e, ok := pageExpectation(method, path); ok { // issue 6
		return url, body, e
	}
	if url, body, e, ok := registrationExpectation(method, path); ok { // issue 4
		return url, body, e
	}
	parts := strings.Split(strings.TrimPrefix(path, "/api/v1"), "/")
	base := "/" + parts[1]
	switch {
	case path == "/healthz", path == "/api/v1/openapi.json":
		return path, "", publicRead
	case path == "/metrics": // issue 13: administrators, or an address of its own
		return path, "", byPolicy(fabrique.ObjService, fabrique.ActRead, shared, 200, 401)
	case path == "/api/v1/me":
		return path, "", staffRead
	case path == "/api/v1/auth/token":
		return path, `{"email":"admin@fabrique.example","password":"demo-fabrique-2016"}`, all(201)
	case path == "/api/v1/holidays":
		return path + "?year=2027", "", publicRead
	case path == "/api/v1/events/from-format":
		return path, `{"format":"open_ministry","title":"Ministère ouvert #2","host_organisation_id":1,"venue_id":1,"date":"2027-03-02"}`, sereWrite(201)
	case path == "/api/v1/events/:id/conflicts":
		return "/api/v1/events/1/conflicts", "", publicRead
	case path == "/api/v1/events/:id/exceptions":
		// Ministère ouvert #1 has no conflict: an allowed caller is told the key is unknown.
		return "/api/v1/events/1/exceptions", `{"key":"room_too_small:room#1,workshop#1","reason":"Des chaises ont été ajoutées."}`, sereWrite(422)
	case path == "/api/v1/events/:id/exceptions/:exception":
		return "/api/v1/events/1/exceptions/1", "", sereWrite(404)
	case path == "/api/v1/events/:id/assignment":
		return "/api/v1/events/1/assignment", `{"dry_run":true}`, sereWrite(200)
	}
	if len(parts) == 4 { // nested: /events/:id/workshops
		child := "/" + parts[3]
		if child == "/programme" {
			child = "/programme-items"
		}
		parentID := map[string]string{"/events": "1", "/venues": "1", "/action-plans": "1"}[base]
		if base == "/events" && child == "/phases" {
			parentID = "2"
		}
		url = "/api/v1" + base + "/" + parentID + "/" + parts[3]
		if method == "GET" {
			if child == "/registrations" {
				return url, "", staffRead // outsiders get an empty page
			}
			return url, "", publicRead
		}
		var b map[string]any
		json.Unmarshal([]byte(createBodies[child]), &b)
		delete(b, map[string]string{"/events": "event_id", "/venues": "venue_id", "/action-plans": "plan_id"}[base])
		raw, _ := json.Marshal(b)
		return url, string(raw), writeRule(t, child, true)(201)
	}
	tg := targets[base]
	if tg.id == "" {
		t.Fatalf("no target for %s", path)
	}
	switch {
	case len(parts) == 2 && method == "GET":
		if base == "/people" || base == "/registrations" {
			return "/api/v1" + base, "", staffRead
		}
		return "/api/v1" + base, "", publicRead
	case len(parts) == 2 && method == "POST":
		return "/api/v1" + base, createBodies[base], writeRule(t, base, true)(201)
	case method == "GET":
		return "/api/v1" + base + "/" + tg.id, "", tg.read
	case method == "DELETE":
		return "/api/v1" + base + "/" + tg.id, "", writeRule(t, base, false)(tg.del)
	default: // PUT, PATCH: send back what the administrator reads
		return "/api/v1" + base + "/" + tg.id, "", writeRule(t, base, false)(200)
	}
}

// writeRule gives the write expectation of a path; creating differs from
// changing for people and registrations (the object must first be visible).
func writeRule(t *testing.T, base string, create bool) func(int) expect {
	switch {
	case base == "/people" && create:
		return func(ok int) expect { return adminWrite(ok).with(ok, orgSERE) }
	case base == "/people":
		return peopleWrite
	case base == "/registrations" && create:
		return sereWrite
	case base == "/registrations":
		return func(ok int) expect { return registrationWrite(ok).with(403, facil) }
	}
	return targets[base].write
}

// TestEveryRouteWithEveryRole walks every route of the router with every
// role on a fresh copy of the database and checks the status each gets.
func TestEveryRouteWithEveryRole(t *testing.T) {
	s, _ := newServer(t)
	routes := s.Routes()
	sort.Strings(routes)
	if len(routes) < 80 {
		t.Fatalf("only %d routes", len(routes))
	}
	for _, rt := range routes {
		method, path, _ := strings.Cut(rt, " ")
		url, body, want := expectation(t, method, path)
		for _, role := range roles {
			t.Run(rt+" as "+role, func(t *testing.T) {
				s, st := newServer(t)
				if usesMinistryCopy(method, path) {
					copyMinistry(t, st)
				}
				b := body
				if (method == "PUT" || method == "PATCH") && body == "" { // send back what the object holds
					b = readAsAdmin(t, st, url)
				}
				w := call(t, s, role, method, url, b)
				if w.Code != want[role] {
					t.Errorf("%s %s as %s: status %d, want %d: %s", method, url, role, w.Code, want[role], w.Body)
				}
			})
		}
	}
}

func readAsAdmin(t *testing.T, st *sqlite.Store, url string) string {
	t.Helper()
	s, _ := newServerOn(st)
	w := call(t, s, admin, "GET", url, "")
	if w.Code != 200 {
		t.Fatalf("read %s: %d", url, w.Code)
	}
	return w.Body.String()
}

func TestOpenAPIDescribesEveryRoute(t *testing.T) {
	s, _ := newServer(t)
	w := call(t, s, anonymous, "GET", "/api/v1/openapi.json", "")
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &doc); err != nil || !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Fatalf("openapi: %v %q", err, doc.OpenAPI)
	}
	for _, rt := range s.Routes() {
		method, path, _ := strings.Cut(rt, " ")
		if !strings.HasPrefix(path, "/api/v1/") {
			continue
		}
		oa := regexp.MustCompile(`:([a-z_]+)`).ReplaceAllString(path, "{$1}")
		if _, ok := doc.Paths[oa][strings.ToLower(method)]; !ok {
			t.Errorf("%s %s is missing from openapi.json", method, oa)
		}
	}
	if !strings.Contains(w.Body.String(), `"open_ministry"`) {
		t.Error("the event kinds are not listed in the schema")
	}
}

// A private link's token is a string in the OpenAPI document, an id an integer.
func TestOpenAPIPathParametersHaveTheirTypes(t *testing.T) {
	s, _ := newServer(t)
	w := call(t, s, anonymous, "GET", "/api/v1/openapi.json", "")
	var doc struct {
		Paths map[string]map[string]struct {
			Parameters []struct {
				Name, In string
				Schema   struct{ Type string }
			}
		}
	}
	if err := json.Unmarshal(w.Body.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for path, ops := range doc.Paths {
		for method, op := range ops {
			for _, p := range op.Parameters {
				if p.In != "path" {
					continue
				}
				want := "integer"
				if p.Name == "token" || p.Name == "file" {
					want = "string"
				}
				seen[p.Name] = true
				if p.Schema.Type != want {
					t.Errorf("%s %s: {%s} is %q, want %q", method, path, p.Name, p.Schema.Type, want)
				}
			}
		}
	}
	if !seen["token"] || !seen["id"] {
		t.Fatalf("path parameters seen: %v", seen)
	}
}
