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
	views   views // the HTML pages, parsed once (pages.go)
}

// New builds the server and its routes.
func New(store fabrique.Store, log *slog.Logger, cfg Config) *Server {
	gin.SetMode(gin.ReleaseMode)
	s := &Server{store: store, log: log, cfg: cfg, engine: gin.New(), signIns: newLimiter(5, 20*time.Second)}
	s.engine.SetTrustedProxies(nil)
	s.engine.HandleMethodNotAllowed = true
	s.engine.Use(s.recover, s.secureHeaders, s.logRequests, s.authenticate, s.session, s.limitPublicForms()) // security.go
	s.engine.NoRoute(s.wrap(func(c *gin.Context) error {
		return fabrique.Errorf(fabrique.ENOTFOUND, "Aucune ressource à l'adresse %s.", c.Request.URL.Path)
	}))
	s.engine.NoMethod(s.wrap(func(c *gin.Context) error {
		return &fabrique.Error{Code: errMethod, Message: fmt.Sprintf("La méthode %s n'est pas permise à cette adresse.", c.Request.Method)}
	}))
	s.engine.GET("/healthz", s.wrap(s.health))
	s.mountAPI()
	s.mountPages()
	return s
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

func (s *Server) health(c *gin.Context) error {
	ctx, cancel := context.WithTimeout(c.Request.Context(), 2*time.Second)
	defer cancel()
	if err := s.store.Ping(ctx); err != nil {
		return &fabrique.Error{Code: fabrique.EUNAVAILABLE, Message: "La base de données ne répond pas."}
	}
	c.JSON(http.StatusOK, gin.H{"status": "ok"})
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
func (s *Server) logRequests(c *gin.Context) {
	start := time.Now()
	c.Next()
	route := c.FullPath()
	if route == "" {
		route = "(aucune route)"
	}
	var uid int64
	if u := fabrique.UserFrom(c.Request.Context()); u != nil {
		uid = u.ID
	}
	s.log.Info("request", slog.String("method", c.Request.Method), slog.String("route", route),
		slog.Int("status", c.Writer.Status()), slog.Duration("duration", time.Since(start)),
		slog.Int("bytes", c.Writer.Size()), slog.Int64("user", uid))
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
