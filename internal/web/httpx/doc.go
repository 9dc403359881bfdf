// Package httpx is the HTTP plumbing that fabrique's API and pages share:
// the Gin engine and its middleware (panics, security headers, request
// logs and metrics, bounded queries, API tokens, sessions and CSRF, rate
// limits), the sign-in throttle, RFC 9457 problems and the adapter from
// handlers that return errors, and the CSV writer for French spreadsheets.
//
// It may import the domain (fabrique) and the templates' files (for the
// documents' content policy); it never imports the API or the pages.
package httpx
