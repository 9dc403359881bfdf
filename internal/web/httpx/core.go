package httpx

import (
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

// Core is what the API and the pages share: the store, the log, the
// settings, the Gin engine with its middleware, the sign-in throttle and
// the request metrics. The API and the pages each embed it in their own
// Server; neither knows the other.
type Core struct {
	Store  fabrique.Store
	Log    *slog.Logger
	Cfg    Config
	Engine *gin.Engine
	// ErrorPage answers an error as a French HTML page; the pages set it
	// when they mount. Until then (or for the API), errors are problems.
	ErrorPage func(c *gin.Context, err error)
	signIns   *Limiter // sign-in attempts per address and per account
	metrics   *metrics // what /metrics tells (metrics.go)
}

// NewCore builds the engine and its middleware: panics become problems,
// security headers, one log line per request, bounded queries, the API
// token or the session cookie, CSRF, and the rate limit of public forms.
func NewCore(store fabrique.Store, log *slog.Logger, cfg Config) *Core {
	gin.SetMode(gin.ReleaseMode)
	s := &Core{Store: store, Log: log, Cfg: cfg, Engine: gin.New(), signIns: NewLimiter(5, 20*time.Second), metrics: newMetrics()}
	if err := s.Engine.SetTrustedProxies(cfg.TrustedProxies); err != nil {
		log.Error("trusted proxies refused: none trusted", slog.String("error", err.Error()))
		s.Engine.SetTrustedProxies(nil)
	}
	s.Engine.HandleMethodNotAllowed = true
	s.Engine.Use(s.recover, s.secureHeaders, s.logRequests, s.boundQuery, s.authenticate, s.session, s.limitPublicForms()) // security.go
	s.Engine.NoMethod(s.Wrap(func(c *gin.Context) error {
		return &fabrique.Error{Code: ErrMethod, Message: fmt.Sprintf("La méthode %s n'est pas permise à cette adresse.", c.Request.Method)}
	}))
	return s
}

// HTTPServer returns an http.Server for the routes, with the timeouts of
// the configuration: a slow body or an idle keep-alive does not hold a
// connection for ever.
func (s *Core) HTTPServer() *http.Server {
	t := s.Cfg.Timeouts.withDefaults()
	return &http.Server{
		Handler:           s.Engine,
		ReadHeaderTimeout: t.ReadHeader,
		ReadTimeout:       t.Read,
		WriteTimeout:      t.Write,
		IdleTimeout:       t.Idle,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.Log.Handler(), slog.LevelWarn),
	}
}

// recover turns a panic into a 500 problem, logged with its stack, never shown.
func (s *Core) recover(c *gin.Context) {
	defer func() {
		if p := recover(); p != nil {
			s.Log.Error("panic", slog.String("route", c.FullPath()), slog.Any("panic", p), slog.String("stack", string(debug.Stack())))
			s.WriteProblem(c, fmt.Errorf("panic: %v", p))
		}
	}()
	c.Next()
}

// logRequests writes one line per request: no query string, no body, no
// personal data; the route pattern rather than the path.
// The same line feeds the metrics.
func (s *Core) logRequests(c *gin.Context) {
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
	s.Log.Info("request", slog.String("method", c.Request.Method), slog.String("route", route),
		slog.Int("status", c.Writer.Status()), slog.Float64("duration_ms", float64(elapsed.Microseconds())/1000),
		slog.Int("bytes", max(c.Writer.Size(), 0)), slog.Int64("user", uid))
}

// authenticate reads an API token from Authorization: Bearer and puts the
// account in the request's context. A wrong token is refused, never
// treated as anonymous.
func (s *Core) authenticate(c *gin.Context) {
	h := c.GetHeader("Authorization")
	if h == "" {
		c.Next()
		return
	}
	token, ok := strings.CutPrefix(h, "Bearer ")
	if !ok || strings.TrimSpace(token) == "" {
		s.WriteProblem(c, &fabrique.Error{Code: fabrique.EUNAUTHORIZED, Message: "En-tête Authorization invalide : « Bearer <jeton> » est attendu."})
		return
	}
	u, err := s.Store.Users().UserByToken(c.Request.Context(), strings.TrimSpace(token))
	if err != nil {
		s.WriteProblem(c, err)
		return
	}
	c.Request = c.Request.WithContext(fabrique.WithUser(c.Request.Context(), u))
	c.Next()
}
