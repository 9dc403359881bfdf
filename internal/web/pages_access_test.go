package web_test

import "strings"

// What each role gets on the HTML pages of issue 6 when it calls them with
// its API token (a token counts as a session; no CSRF token is needed for
// it) on a fresh copy of the template. Staff pages send a visitor to the
// sign-in page; an empty form is refused with 422 and nothing written.
var (
	// signedInPage: every account sees the page; a visitor is redirected.
	signedInPage = all(200).with(303, anonymous)
	// emptyForm: any account's empty form is refused as invalid; a visitor
	// (no session, no token) is refused by the CSRF check.
	emptyForm = all(422).with(403, anonymous)
)

// pageExpectation returns the request and the expected statuses of a page
// route of issue 6; ok is false for the other routes.
func pageExpectation(method, path string) (url, body string, e expect, ok bool) {
	if strings.HasPrefix(path, "/api/") || path == "/healthz" {
		return "", "", nil, false
	}
	r := strings.NewReplacer(":id", "1")
	switch method + " " + path {
	case "GET /", "GET /events/:id", "GET /accessibilite", "GET /mentions-legales", "GET /donnees-personnelles", "GET /plan-du-site":
		return r.Replace(path), "", all(200), true
	case "GET /assets/*path", "HEAD /assets/*path":
		return "/assets/css/fabrique.css", "", all(200), true
	case "GET /signin":
		return path, "", all(303).with(200, anonymous), true // signed in: on to the dashboard
	case "POST /signin":
		return path, "", emptyForm, true
	case "POST /signout":
		return path, "", all(303).with(403, anonymous), true
	case "GET /staff/events/:id/items/:item":
		return "/staff/events/1/items/2", "", signedInPage, true
	case "POST /staff/events/:id/items/:item":
		return "/staff/events/1/items/2", "", emptyForm, true
	case "GET /staff/events/:id/workshops/:item":
		return "/staff/events/1/workshops/3", "", signedInPage, true
	case "POST /staff/events/:id/workshops/:item":
		return "/staff/events/1/workshops/3", "", emptyForm, true
	case "GET /staff/events/:id/partners":
		return "/staff/events/2/partners", "", signedInPage, true // the forum is published: every account sees its map
	case "GET /staff/events/:id/edit":
		return "/staff/events/1/edit", "", signedInPage, true
	case "POST /staff/events/:id/items/:item/delete":
		// the workshops slot (item 4) still holds workshops: refused with the reason
		return "/staff/events/1/items/4/delete", "", all(403).with(409, admin, orgSERE), true
	case "POST /staff/events/:id/workshops/:item/delete":
		// workshop 3 holds a registration: refused with the reason
		return "/staff/events/1/workshops/3/delete", "", all(403).with(409, admin, orgSERE), true
	case "POST /staff/events/:id/partners/:item/delete":
		return "/staff/events/2/partners/1/delete", "", all(404).with(403, anonymous), true
	case "POST /staff/events/:id/partners":
		return "/staff/events/2/partners", "", emptyForm, true
	}
	if strings.HasPrefix(path, "/staff") {
		if method == "GET" {
			return r.Replace(path), "", signedInPage, true
		}
		return r.Replace(path), "", emptyForm, true
	}
	return "", "", nil, false
}
