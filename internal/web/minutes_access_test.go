package web_test

import (
	"fabrique/internal/fabrique"
	"strings"
)

// What each role gets on the routes of contributions, attendance, minutes
// and documents, on a fresh copy of the template with the copy of
// Ministère ouvert #1 (ministry_copy_test.go; the demo's own minutes are
// published): event 3, hosted by the Secrétariat d'État, its workshop 3
// (id 11) facilitated by Simon Chignard (facil), its workshop 5 by Sarah
// Labelle (facilOther); the minutes are drafts.
var (
	// recorders: administrators, the host's organisers, the facilitators of workshop 3.
	recorders = func(ok int) expect {
		return byPolicy(fabrique.ObjMinutes, fabrique.ActChange, workshop3, ok, 401)
	}
	// eventStaff: administrators, the host's organisers, every facilitator of the event.
	eventStaff = func(ok int) expect {
		return byPolicy(fabrique.ObjMinutes, fabrique.ActChange, sereStaff, ok, 401)
	}
	// publishers: administrators and the host's organisers.
	publishers = func(ok int) expect {
		return byPolicy(fabrique.ObjMinutes, fabrique.ActPublish, sereOwned, ok, 401)
	}
)

// minutesExpectation returns the request and the expected statuses of a
// route of issue 5; ok is false for the other routes.
func minutesExpectation(method, path string) (url, body string, e expect, ok bool) {
	switch method + " " + path {
	case "POST /api/v1/workshops/:id/contributions":
		return "/api/v1/workshops/" + itoa(copySimon) + "/contributions", `{"category":"impact_indicators","text":"Compter les réutilisations des données","publishable":true}`, recorders(201), true
	case "GET /api/v1/workshops/:id/contributions":
		return "/api/v1/workshops/" + itoa(copySimon) + "/contributions", "", recorders(200), true
	case "DELETE /api/v1/contributions/:id":
		return "/api/v1/contributions/999", "", all(404).with(401, anonymous), true // an unknown contribution
	case "GET /staff/workshops/:id/contributions/:contribution":
		return "/staff/workshops/" + itoa(copySimon) + "/contributions/999", "", all(404).with(303, anonymous), true // an unknown contribution
	case "POST /staff/workshops/:id/contributions/:contribution", "POST /staff/workshops/:id/contributions/:contribution/delete":
		return "/staff/workshops/" + itoa(copySimon) + "/contributions/999" + strings.TrimPrefix(path, "/staff/workshops/:id/contributions/:contribution"), "", all(404).with(403, anonymous), true
	case "GET /api/v1/contributions/:id":
		return "/api/v1/contributions/999", "", all(404).with(401, anonymous), true
	case "PUT /api/v1/contributions/:id":
		return "/api/v1/contributions/999", `{"category":"impact_indicators","text":"Corrigée"}`, all(404).with(401, anonymous), true
	case "GET /api/v1/workshops/:id/attendance":
		return "/api/v1/workshops/" + itoa(copySimon) + "/attendance", "", recorders(200), true
	case "POST /api/v1/workshops/:id/attendance":
		return "/api/v1/workshops/" + itoa(copySimon) + "/attendance", `{"registration_ids":[` + itoa(copyRegistration) + `]}`, recorders(200), true
	case "POST /api/v1/workshops/:id/walk-ins":
		return "/api/v1/workshops/" + itoa(copySimon) + "/walk-ins", `{"name":"Dominique Sansinscription","category":"citizen"}`, recorders(201), true
	case "GET /api/v1/workshops/:id/minutes":
		return "/api/v1/workshops/" + itoa(copySimon) + "/minutes", "", recorders(200), true
	case "PUT /api/v1/workshops/:id/minutes":
		return "/api/v1/workshops/" + itoa(copySimon) + "/minutes", "", recorders(200), true
	case "POST /api/v1/workshops/:id/minutes/approve":
		return "/api/v1/workshops/" + itoa(copySimon) + "/minutes/approve", "", byPolicy(fabrique.ObjMinutes, fabrique.ActApprove, workshop3, 200, 401), true
	case "POST /api/v1/workshops/:id/minutes/publish":
		return "/api/v1/workshops/" + itoa(copySimon) + "/minutes/publish", "", publishers(409), true // not approved yet
	case "GET /api/v1/events/:id/minutes", "GET /api/v1/events/:id/minutes.pdf":
		return pathFor(path), "", eventStaff(200), true
	case "GET /events/:id/minutes", "GET /events/:id/kit": // HTML twins: a visitor is sent to the sign-in page
		return pathFor(path), "", eventStaff(200).with(303, anonymous), true
	case "PUT /api/v1/events/:id/minutes":
		return "/api/v1/events/" + itoa(copyEvent) + "/minutes", "", publishers(200), true
	case "POST /api/v1/events/:id/minutes/publish":
		return "/api/v1/events/" + itoa(copyEvent) + "/minutes/publish", "", publishers(409), true // workshops not approved
	case "GET /api/v1/events/:id/kit.pdf":
		return pathFor(path), "", eventStaff(200), true
	case "GET /api/v1/events/:id/contributions.json", "GET /api/v1/events/:id/contributions.csv":
		return pathFor(path), "", eventStaff(404), true // not published yet
	}
	return "", "", nil, false
}

func pathFor(path string) string { return strings.Replace(path, ":id", itoa(copyEvent), 1) }

// usesMinistryCopy reports whether the walk makes the copy of Ministère
// ouvert #1 before calling a route.
func usesMinistryCopy(method, path string) bool {
	_, _, _, ok := minutesExpectation(method, path)
	return ok || strings.HasPrefix(path, "/staff/workshops/:id/")
}
