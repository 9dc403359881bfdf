// Package web serves fabrique over HTTP: it assembles the JSON API
// (package api, under /api/v1) and the pages (package pages) on the shared
// plumbing (package httpx), and answers the health check and the metrics.
// Its tests exercise the whole service through the real router: every
// route as every role, the OpenAPI document, and the pages in a browser.
//
// It may import api, pages and httpx; api and pages import httpx and the
// domain, never each other.
package web

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"fabrique/internal/fabrique"
	"fabrique/internal/web/api"
	"fabrique/internal/web/httpx"
	"fabrique/internal/web/pages"
)

// Config is what the web layer needs to know of the service's settings.
type Config = httpx.Config

// Timeouts bound how long a connection may hold the server.
type Timeouts = httpx.Timeouts

// Server is fabrique over HTTP: the API, the pages and what they share.
type Server struct {
	core  *httpx.Core
	pages *pages.Server
}

// New builds the server and its routes.
func New(store fabrique.Store, log *slog.Logger, cfg Config) *Server {
	core := httpx.NewCore(store, log, cfg)
	s := &Server{core: core}
	core.Engine.GET("/healthz", core.Wrap(s.health))
	core.Engine.GET("/metrics", core.Wrap(core.AdminMetrics)) // metrics.go
	api.Mount(core)
	s.pages = pages.Mount(core)
	// An unknown address is a problem for the API and for programs, a
	// French page for a browser.
	core.Engine.NoRoute(func(c *gin.Context) {
		if strings.HasPrefix(c.Request.URL.Path, "/api/") || !strings.Contains(c.GetHeader("Accept"), "text/html") {
			core.WriteProblem(c, fabrique.Errorf(fabrique.ENOTFOUND, "Aucune ressource à l'adresse %s.", c.Request.URL.Path))
			return
		}
		core.ErrorPage(c, fabrique.Errorf(fabrique.ENOTFOUND, "Aucune page à l'adresse %s. Elle a peut-être été déplacée ou supprimée.", c.Request.URL.Path))
	})
	return s
}

// HTTPServer returns an http.Server for the routes, with the timeouts of
// the configuration.
func (s *Server) HTTPServer() *http.Server { return s.core.HTTPServer() }

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.core.Engine.ServeHTTP(w, r) }

// MetricsHandler serves GET /metrics to anyone: for a listen address of
// its own (--metrics-addr), reachable by the supervisor only.
func (s *Server) MetricsHandler() http.Handler { return s.core.MetricsHandler() }

// Routes lists the method and path of every registered route.
func (s *Server) Routes() []string {
	var out []string
	for _, r := range s.core.Engine.Routes() {
		out = append(out, r.Method+" "+r.Path)
	}
	return out
}

// stuckAfter is the age of the oldest message due past which the health
// check says the outbox is stuck (the worker looks every few seconds and
// retries after at most 2 hours of back-off, counted from the due time).
const stuckAfter = 10 * time.Minute

// healthReport is the answer of GET /healthz.
type healthReport struct {
	Status   string        `json:"status"`   // "ok", or "outbox_stuck" (still 200: the service answers)
	Database string        `json:"database"` // "ok"
	Outbox   *outboxHealth `json:"outbox,omitempty"`
}

// outboxHealth is the state of the outbox's queue.
type outboxHealth struct {
	Due              int  `json:"due"`                // pending messages whose time has come
	OldestDueSeconds int  `json:"oldest_due_seconds"` // age of the oldest of them (0: none)
	Doubt            int  `json:"doubt"`              // interrupted mid-SMTP: staff must decide
	Failed           int  `json:"failed"`             // permanent failures or attempts exhausted
	Held             int  `json:"held"`               // held for review by an event
	Stuck            bool `json:"stuck"`              // the oldest due is older than 10 minutes
}

// health answers 200 when the database answers, with the outbox's queue
// for a supervisor to alert on; 503 (problem) when the database does not.
func (s *Server) health(c *gin.Context) error {
	ctx, cancel := context.WithTimeout(c.Request.Context(), 2*time.Second)
	defer cancel()
	if err := s.core.Store.Ping(ctx); err != nil {
		return &fabrique.Error{Code: fabrique.EUNAVAILABLE, Message: "La base de données ne répond pas."}
	}
	rep := healthReport{Status: "ok", Database: "ok"}
	if vr, ok := s.core.Store.(fabrique.VitalsReader); ok {
		now := time.Now()
		v, err := vr.Vitals(ctx, now)
		if err != nil {
			return &fabrique.Error{Code: fabrique.EUNAVAILABLE, Message: "La base de données ne répond pas."}
		}
		o := &outboxHealth{Due: v.Due, Doubt: v.Outbox[fabrique.OutboxDoubt], Failed: v.Outbox[fabrique.OutboxFailed], Held: v.Outbox[fabrique.OutboxHeld]}
		if !v.OldestDue.IsZero() {
			o.OldestDueSeconds = int(now.Sub(v.OldestDue).Seconds())
		}
		o.Stuck = o.Due > 0 && time.Duration(o.OldestDueSeconds)*time.Second > stuckAfter
		if o.Stuck {
			rep.Status = "outbox_stuck"
		}
		rep.Outbox = o
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, rep)
	return nil
}
