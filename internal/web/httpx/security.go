package httpx

import (
	"crypto/sha256"
	"encoding/base64"
	"io/fs"
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"fabrique/internal/fabrique"
	"fabrique/templates"
)

// The security headers of every answer, and the rate limit of the public
// forms. Pages load their scripts and styles from /assets only: no inline
// <script>, style="" or on…="" attribute is allowed by the policy.

// contentPolicy is the Content-Security-Policy of every answer.
const contentPolicy = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; " +
	"object-src 'none'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// documentPolicy is the policy of the HTML twins of the kit and minutes:
// they are also written as standalone files, so their one style sheet is
// inline; it is allowed by its hash, nothing else inline is.
var documentPolicy = sync.OnceValue(func() string {
	style, err := fs.ReadFile(templates.FS, "documents/style.html")
	if err != nil {
		return contentPolicy
	}
	body := string(style)
	if i := strings.Index(body, "<style>"); i >= 0 {
		body = body[i+len("<style>"):]
	}
	if i := strings.Index(body, "</style>"); i >= 0 {
		body = body[:i]
	}
	sum := sha256.Sum256([]byte(body))
	return strings.Replace(contentPolicy, "style-src 'self'", "style-src 'self' 'sha256-"+base64.StdEncoding.EncodeToString(sum[:])+"'", 1)
})

// documentRoutes are the routes answering a document's HTML twin.
var documentRoutes = map[string]bool{"/events/:id/kit": true, "/events/:id/minutes": true, "/plans/:id/rapport": true}

// secureHeaders sets the security headers before anything is written:
// the content policy, nosniff, no framing, the referrer policy (none at
// all from a page whose address holds a private token), and HSTS when the
// service is served over https.
func (s *Core) secureHeaders(c *gin.Context) {
	h := c.Writer.Header()
	if documentRoutes[c.FullPath()] {
		h.Set("Content-Security-Policy", documentPolicy())
	} else {
		h.Set("Content-Security-Policy", contentPolicy)
	}
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	if privatePath(c.Request.URL.Path) {
		h.Set("Referrer-Policy", "no-referrer")
	} else {
		h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
	}
	if s.SecureCookies() {
		h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
	}
	c.Next()
}

// privatePath reports whether a path carries a private token: a
// participant's page or a private calendar feed.
func privatePath(p string) bool {
	for _, prefix := range []string{"/p/", "/api/v1/p/", "/api/v1/feeds/", "/feeds/"} {
		if strings.HasPrefix(p, prefix) {
			return true
		}
	}
	return false
}

// Public forms: each address may post this many at once, then one more
// every publicFormInterval (a household or an office behind one address
// registers several people; a script cannot register thousands).
const (
	publicFormBurst    = 30
	publicFormInterval = 2 * time.Second
)

// publicForm reports whether a request posts a public form: a
// registration (API or page), or a change made with a participant's link.
func publicForm(c *gin.Context) bool {
	if c.Request.Method != http.MethodPost {
		return false
	}
	route := c.FullPath()
	switch {
	case route == "":
		return false
	case strings.HasPrefix(route, "/p/"), strings.HasPrefix(route, "/api/v1/p/"):
		return true
	case strings.HasSuffix(route, "/register"), strings.HasSuffix(route, "/registration"), strings.HasSuffix(route, "/inscription"):
		return true
	case route == "/api/v1/commitments/:id/comments", route == "/plans/:id/engagements/:number/commentaires": // issue 17
		return true
	}
	return false
}

// limitPublicForms refuses, per address, the public forms posted too
// often: 429 with Retry-After, as a problem for the API and a French
// page otherwise.
func (s *Core) limitPublicForms() gin.HandlerFunc {
	l := NewLimiter(publicFormBurst, publicFormInterval)
	return func(c *gin.Context) {
		if !publicForm(c) {
			c.Next()
			return
		}
		if err := s.Throttle(c, l, "form:"+c.ClientIP()); err != nil {
			s.Refuse(c, err)
			return
		}
		c.Next()
	}
}

// refuseThrottled answers 429 with Retry-After when a key has no attempt
// left, without using one (the sign-in form counts failures only).
func (s *Core) RefuseThrottled(c *gin.Context, l *Limiter, keys ...string) error {
	for _, k := range keys {
		if wait := l.wait(k); wait > 0 {
			secs := int(math.Ceil(wait.Seconds()))
			c.Header("Retry-After", strconv.Itoa(secs))
			return &fabrique.Error{Code: ErrTooMany, Message: "Trop de tentatives : réessayez dans " + fabrique.Count(secs, "seconde", "secondes") + "."}
		}
	}
	return nil
}

// wait says how long until key has an attempt left (0: it has one now).
func (l *Limiter) wait(key string) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.buckets[key]
	if b == nil {
		return 0
	}
	tokens := math.Min(l.burst, b.tokens+float64(l.now().Sub(b.at))/float64(l.interval))
	if tokens >= 1 {
		return 0
	}
	return time.Duration((1 - tokens) * float64(l.interval))
}

// take uses one attempt of each key (a failed sign-in).
func (l *Limiter) take(keys ...string) {
	for _, k := range keys {
		l.allow(k)
	}
}
