package web_test

import (
	"strings"

	"fabrique/internal/fabrique"
)

// What each role gets on the pages of formats, planning, declarations and
// facilitators, called with its API token on a fresh copy of the template:
// Ministère ouvert #1 (event 1, published, hosted by the Secrétariat
// d'État, a ministry), workshop 3 facilitated by Simon Chignard (facil),
// workshop 5 by Sarah Labelle (facilOther); no declaration yet.
var (
	// sereOnly: administrators and the host's organisers; a visitor is sent to sign in.
	sereOnly = func(ok int) expect { return byPolicy(fabrique.ObjEvent, fabrique.ActChange, sereOwned, ok, 303) }
	// recordsOf3: administrators, the host's organisers, the facilitator of workshop 3.
	recordsOf3 = func(ok int) expect { return byPolicy(fabrique.ObjMinutes, fabrique.ActChange, workshop3, ok, 303) }
	// organisers: the correspondents of the three ministries.
	organisers = func(ok int) expect { return all(403).with(303, anonymous).with(ok, orgSERE, orgForum, orgOther) }
	// posted: a visitor's post without a session is refused by the CSRF check.
	posted = func(e expect) expect { return e.with(403, anonymous) }
)

// planningExpectation returns the request and the expected statuses of the
// routes of pages_formats.go, pages_planning.go, pages_declarations.go and
// pages_facilitators.go; ok is false for the other routes.
func planningExpectation(method, path string) (url, body string, e expect, ok bool) {
	switch method + " " + path {
	case "GET /staff/events/new/:format":
		return "/staff/events/new/open_ministry", "", signedInPage, true
	case "POST /staff/events/new/:format":
		return "/staff/events/new/open_ministry", "", emptyForm, true // no date
	case "GET /staff/events/:id/planning":
		return "/staff/events/1/planning", "", signedInPage, true // a published event: every account sees its conflicts
	case "POST /staff/events/:id/exceptions":
		return "/staff/events/1/exceptions", "", emptyForm, true // no key, no reason: refused before anything else
	case "POST /staff/events/:id/exceptions/:item/delete":
		return "/staff/events/1/exceptions/1/delete", "", posted(sereOnly(404)), true
	case "POST /staff/events/:id/publish":
		return "/staff/events/1/publish", "", posted(sereOnly(303)), true // already published: nothing changes
	case "GET /staff/events/:id/assignment":
		return "/staff/events/1/assignment", "", sereOnly(200), true
	case "POST /staff/events/:id/assignment":
		return "/staff/events/1/assignment", "", posted(sereOnly(409)), true // no fingerprint: the proposal is shown again
	case "GET /staff/declarations":
		return path, "", organisers(200).with(200, admin), true
	case "GET /staff/declarations/new/:format":
		return "/staff/declarations/new/open_ministry", "", organisers(200), true
	case "POST /staff/declarations/new/:format":
		return "/staff/declarations/new/open_ministry", "", posted(organisers(422)), true
	case "GET /staff/declarations/:id":
		return "/staff/declarations/1", "", organisers(404).with(404, admin), true
	case "POST /staff/declarations/:id/accept":
		// no declaration in the template: not found, except for those who may see none
		return "/staff/declarations/1/accept", "", posted(organisers(404).with(404, admin)), true
	case "POST /staff/declarations/:id/changes":
		return "/staff/declarations/1/changes", "", posted(organisers(404).with(404, admin)), true
	case "POST /staff/declarations/:id/resubmit":
		return "/staff/declarations/1/resubmit", "", posted(organisers(404).with(404, admin)), true
	// The API of the review (issue 15): no declaration in the template.
	case "POST /api/v1/declarations":
		// An organiser is told what the empty declaration lacks; nobody else may declare.
		return path, `{}`, all(403).with(401, anonymous).with(422, orgSERE, orgForum, orgOther), true
	case "GET /api/v1/declarations":
		return path, "", all(200).with(401, anonymous).with(403, facil, facilOther), true
	case "GET /api/v1/declarations/:id":
		return "/api/v1/declarations/1", "", all(404).with(401, anonymous).with(403, facil, facilOther), true
	case "POST /api/v1/declarations/:id/accept", "POST /api/v1/declarations/:id/changes":
		return strings.Replace(path, ":id", "1", 1), `{"comment":"Ajoutez un atelier sur l'engagement 12."}`, all(403).with(401, anonymous).with(404, admin), true
	case "POST /api/v1/declarations/:id/resubmit":
		return "/api/v1/declarations/1/resubmit", `{"notes":"Atelier ajouté."}`, all(404).with(401, anonymous).with(403, facil, facilOther), true
	case "GET /staff/my-workshops":
		return path, "", signedInPage, true
	case "GET /staff/workshops/:id/live", "GET /staff/workshops/:id/attendance", "GET /staff/workshops/:id/minutes":
		return pathFor3(path), "", recordsOf3(200), true
	case "POST /staff/workshops/:id/live", "POST /staff/workshops/:id/walk-ins":
		return pathFor3(path), "", posted(recordsOf3(422)), true
	case "POST /staff/workshops/:id/attendance", "POST /staff/workshops/:id/minutes":
		return pathFor3(path), "", posted(recordsOf3(303)), true
	case "POST /staff/workshops/:id/minutes/approve":
		return pathFor3(path), "", posted(byPolicy(fabrique.ObjMinutes, fabrique.ActApprove, workshop3, 303, 403)), true
	}
	return "", "", nil, false
}

// pathFor3 puts the workshop 3 of the copy of Ministère ouvert #1 in a
// path (the demo's own minutes are published: ministry_copy_test.go).
func pathFor3(path string) string { return strings.Replace(path, ":id", itoa(copySimon), 1) }
