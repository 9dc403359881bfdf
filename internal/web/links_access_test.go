package web_test

import (
	"fabrique/internal/fabrique"
	"strings"
)

// linksExpectation returns the request and the expected statuses of the
// routes of issue 11 (private links, accounts); ok is false for the others.
// Routes of a private link are called with an unknown link here.
func linksExpectation(method, path string) (url, body string, e expect, ok bool) {
	switch method + " " + path {
	case "POST /api/v1/p/:token/email":
		return "/api/v1/p/p_inconnu/email", `{"email":"nouvelle@exemple.fr"}`, all(404), true
	case "POST /p/:token/adresse":
		return "/p/p_inconnu/adresse", "", all(404).with(403, anonymous), true
	case "GET /staff/accounts":
		return path, "", byPolicy(fabrique.ObjService, fabrique.ActChange, shared, 200, 303), true
	case "POST /staff/accounts/:id/disable", "POST /staff/accounts/:id/enable", "POST /staff/tokens/:id/revoke":
		// an account or token that does not exist: nothing changes for the other roles' calls
		return strings.Replace(path, ":id", "999", 1), "", byPolicy(fabrique.ObjService, fabrique.ActChange, shared, 404, 403), true
	}
	return "", "", nil, false
}
