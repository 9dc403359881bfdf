// Package web serves fabrique over HTTP with Gin: the JSON API under
// /api/v1 (described by an OpenAPI document), the health check, and the
// middleware for logging, authentication and errors. It is the only
// package that imports Gin.
package web

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"fabrique/internal/fabrique"
)

// Config is what the web layer needs to know of the service's settings.
type Config struct {
	BaseURL string // public address, e.g. https://fabrique.example.gouv.fr
	// TrustedProxies are the addresses or CIDRs of the reverse proxies
	// whose X-Forwarded-For (or X-Real-IP) gives the client's address, for
	// the rate limits. None by default: the client is the socket's peer.
	TrustedProxies []string
	// Timeouts of the HTTP server (HTTPServer); zero fields take defaults.
	Timeouts Timeouts
}

// Timeouts bound how long a connection may hold the server.
type Timeouts struct {
	ReadHeader time.Duration // the request's headers (default 10 s)
	Read       time.Duration // the whole request, body included (default 30 s)
	Write      time.Duration // from the end of the headers to the end of the answer (default 2 min)
	Idle       time.Duration // a keep-alive connection between requests (default 30 s)
}

func (t Timeouts) withDefaults() Timeouts {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&t.ReadHeader, 10*time.Second)
	def(&t.Read, 30*time.Second)
	def(&t.Write, 2*time.Minute)
	def(&t.Idle, 30*time.Second)
	return t
}

// Server holds the HTTP routes of fabrique.
type Server struct {
	store  fabrique.Store
	log    *slog.Logger
	cfg    Config
	engine *gin.Engine
	routes []route
	// signIns throttles sign-in attempts per address and per account.
	signIns *limiter
	views   views    // the HTML pages, parsed once (pages.go)
	metrics *metrics // what /metrics tells (metrics.go)
}

// New builds the server and its routes.
func New(store fabrique.Store, log *slog.Logger, cfg Config) *Server {
	gin.SetMode(gin.ReleaseMode)
	s := &Server{store: store, log: log, cfg: cfg, engine: gin.New(), signIns: newLimiter(5, 20*time.Second), metrics: newMetrics()}
	if err := s.engine.SetTrustedProxies(cfg.TrustedProxies); err != nil {
		log.Error("trusted proxies refused: none trusted", slog.String("error", err.Error()))
		s.engine.SetTrustedProxies(nil)
	}
	s.engine.HandleMethodNotAllowed = true
	s.engine.Use(s.recover, s.secureHeaders, s.logRequests, s.boundQuery, s.authenticate, s.session, s.limitPublicForms()) // security.go
	s.engine.NoRoute(s.wrap(func(c *gin.Context) error {
		return fabrique.Errorf(fabrique.ENOTFOUND, "Aucune ressource à l'adresse %s.", c.Request.URL.Path)
	}))
	s.engine.NoMethod(s.wrap(func(c *gin.Context) error {
		return &fabrique.Error{Code: errMethod, Message: fmt.Sprintf("La méthode %s n'est pas permise à cette adresse.", c.Request.Method)}
	}))
	s.engine.GET("/healthz", s.wrap(s.health))
	s.engine.GET("/metrics", s.wrap(s.adminMetrics)) // metrics.go
	s.mountAPI()
	s.mountPages()
	return s
}

// HTTPServer returns an http.Server for the routes, with the timeouts of
// the configuration: a slow body or an idle keep-alive does not hold a
// connection for ever.
func (s *Server) HTTPServer() *http.Server {
	t := s.cfg.Timeouts.withDefaults()
	return &http.Server{
		Handler:           s,
		ReadHeaderTimeout: t.ReadHeader,
		ReadTimeout:       t.Read,
		WriteTimeout:      t.Write,
		IdleTimeout:       t.Idle,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.engine.ServeHTTP(w, r) }

// Routes lists the method and path of every registered route.
func (s *Server) Routes() []string {
	var out []string
	for _, r := range s.engine.Routes() {
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
	if err := s.store.Ping(ctx); err != nil {
		return &fabrique.Error{Code: fabrique.EUNAVAILABLE, Message: "La base de données ne répond pas."}
	}
	rep := healthReport{Status: "ok", Database: "ok"}
	if vr, ok := s.store.(fabrique.VitalsReader); ok {
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

// recover turns a panic into a 500 problem, logged with its stack, never shown.
func (s *Server) recover(c *gin.Context) {
	defer func() {
		if p := recover(); p != nil {
			s.log.Error("panic", slog.String("route", c.FullPath()), slog.Any("panic", p), slog.String("stack", string(debug.Stack())))
			s.writeProblem(c, fmt.Errorf("panic: %v", p))
		}
	}()
	c.Next()
}

// logRequests writes one line per request: no query string, no body, no
// personal data; the route pattern rather than the path.
// The same line feeds the metrics.
func (s *Server) logRequests(c *gin.Context) {
	start := time.Now()
	c.Next()
	elapsed := time.Since(start)
	route := c.FullPath()
	if route == "" {
		route = "(aucune route)"
	}
	var uid int64
	if u := fabrique.UserFrom(c.Request.Context()); u != nil {
		uid = u.ID
	}
	s.metrics.observe(c.Request.Method, route, c.Writer.Status(), elapsed)
	s.log.Info("request", slog.String("method", c.Request.Method), slog.String("route", route),
		slog.Int("status", c.Writer.Status()), slog.Float64("duration_ms", float64(elapsed.Microseconds())/1000),
		slog.Int("bytes", max(c.Writer.Size(), 0)), slog.Int64("user", uid))
}

// authenticate reads an API token from Authorization: Bearer and puts the
// account in the request's context. A wrong token is refused, never
// treated as anonymous.
func (s *Server) authenticate(c *gin.Context) {
	h := c.GetHeader("Authorization")
	if h == "" {
		c.Next()
		return
	}
	token, ok := strings.CutPrefix(h, "Bearer ")
	if !ok || strings.TrimSpace(token) == "" {
		s.writeProblem(c, &fabrique.Error{Code: fabrique.EUNAUTHORIZED, Message: "En-tête Authorization invalide : « Bearer <jeton> » est attendu."})
		return
	}
	u, err := s.store.Users().UserByToken(c.Request.Context(), strings.TrimSpace(token))
	if err != nil {
		s.writeProblem(c, err)
		return
	}
	c.Request = c.Request.WithContext(fabrique.WithUser(c.Request.Context(), u))
	c.Next()
}
