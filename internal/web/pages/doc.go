// Package pages is fabrique's web interface in French: the public pages
// (events, registration, the participant's private page, the follow-up of
// commitments), the staff pages, their forms and labels, the cache of
// event pages, and the HTML twins of the printed documents. It renders the
// templates of fabrique/templates; errors are French pages.
//
// It may import the domain (fabrique), the document renderers (pdf) and
// the shared plumbing (httpx); it never imports the API, and the API never
// imports it. What a user may see or do is asked of the domain's policy
// (fabrique.Can), the same question the store and the API ask.
package pages

import (
	"fabrique/internal/web/httpx"
)

// Server holds the pages' routes on the shared core.
type Server struct {
	*httpx.Core
	views views // the HTML pages, parsed once (pages.go)
}

// Mount registers the pages on the core's engine and makes errors outside
// the API answer as French pages.
func Mount(core *httpx.Core) *Server {
	s := &Server{Core: core}
	core.ErrorPage = s.errorPage
	s.mountPages()
	return s
}
