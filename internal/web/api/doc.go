// Package api is fabrique's JSON API under /api/v1: its routes and
// handlers, the OpenAPI document that describes them (every route is
// registered through Server.api, which feeds both), the strict JSON
// decoding of bodies, and the documents served as files (PDF, open data).
// Errors are RFC 9457 problems (httpx.Core.WriteProblem).
//
// It may import the domain (fabrique), the document renderers (pdf, ical)
// and the shared plumbing (httpx); it never imports the pages, and the
// pages never import it.
package api

import (
	"fabrique/internal/web/httpx"
)

// Server holds the API's routes on the shared core.
type Server struct {
	*httpx.Core
	routes []route // every route registered, for the OpenAPI document
}

// handler is an API handler: it returns an error that becomes a problem.
type handler = httpx.Handler

// Mount registers the API's routes on the core's engine.
func Mount(core *httpx.Core) *Server {
	s := &Server{Core: core}
	s.mountAPI()
	return s
}
