package pages

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"fabrique/internal/fabrique"
	"fabrique/internal/web/httpx"
)

// The public page of an event is rendered only when what it shows has
// changed: the bytes are kept with the version of the event's data
// (store.PublicVersion, raised by the database on every write concerning
// the event) and served again, with an ETag, while the version is the same.
// Only visitors' plain requests are cached (a signed-in user or a query
// string, such as a notice after a redirect, is rendered each time). The
// page holds the registration form: it is rendered with a placeholder for
// the visitor's CSRF token, replaced in the bytes for each visitor.

// bootID makes the ETags of one process differ from another's, whose
// templates may differ.
var bootID = strconv.FormatInt(time.Now().UnixNano(), 36)

// csrfPlaceholder stands for the visitor's CSRF token in a cached page.
var csrfPlaceholder = []byte("fabriqueCsrfPlaceholder" + bootID)

// cachedPage is a rendered page and the version of the data it shows.
type cachedPage struct {
	version  string
	etag     string
	body     []byte
	hasToken bool // the body holds csrfPlaceholder
}

// capture keeps what a handler writes instead of sending it.
type capture struct {
	gin.ResponseWriter
	status int
	buf    bytes.Buffer
}

func (w *capture) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
}
func (w *capture) WriteHeaderNow() {}
func (w *capture) Write(b []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	return w.buf.Write(b)
}
func (w *capture) WriteString(s string) (int, error) {
	w.WriteHeader(http.StatusOK)
	return w.buf.WriteString(s)
}
func (w *capture) Status() int {
	if w.status == 0 {
		return http.StatusOK
	}
	return w.status
}
func (w *capture) Size() int           { return w.buf.Len() }
func (w *capture) Written() bool       { return w.status != 0 }
func (w *capture) Flush()              {}
func (w *capture) Pusher() http.Pusher { return nil }

// cachedEventPage serves h (the public page of the event :id) from a
// cache keyed by the version of the event's data, answering 304 Not
// Modified to a visitor who already holds the current version.
func (s *Server) cachedEventPage(h pageHandler) gin.HandlerFunc {
	var mu sync.RWMutex
	pages := map[int64]*cachedPage{}
	render := s.page(h)
	return func(c *gin.Context) {
		id, err := strconv.ParseInt(c.Param("id"), 10, 64)
		if err != nil || c.Request.URL.RawQuery != "" || fabrique.UserFrom(c.Request.Context()) != nil {
			render(c)
			return
		}
		version, err := s.Store.PublicVersion(c.Request.Context(), id)
		if err != nil {
			render(c)
			return
		}
		// What depends on the clock (registration closing, "à venir") is at most a minute late.
		version += "-" + strconv.FormatInt(time.Now().Unix()/60, 36)
		mu.RLock()
		p := pages[id]
		mu.RUnlock()
		if p == nil || p.version != version {
			if p = s.renderForCache(c, render, id, version); p == nil {
				return // answered without caching
			}
			mu.Lock()
			pages[id] = p
			mu.Unlock()
		}
		body, etag := p.body, p.etag
		if p.hasToken {
			token := s.CSRFToken(c) // the visitor's own (its cookie is set when new)
			sum := sha256.Sum256([]byte(token))
			body = bytes.ReplaceAll(p.body, csrfPlaceholder, []byte(token))
			etag = strings.TrimSuffix(etag, `"`) + "-" + hex.EncodeToString(sum[:6]) + `"`
		}
		h := c.Writer.Header()
		h.Set("ETag", etag)
		h.Set("Cache-Control", "no-cache")
		if etagMatches(c.GetHeader("If-None-Match"), etag) {
			c.Status(http.StatusNotModified)
			return
		}
		h.Set("Content-Type", "text/html; charset=utf-8")
		c.Status(http.StatusOK)
		c.Writer.Write(body)
	}
}

// renderForCache renders the page with the placeholder for the CSRF
// token; it returns it for the cache, or sends an error page at once and
// returns nil.
func (s *Server) renderForCache(c *gin.Context, render gin.HandlerFunc, id int64, version string) *cachedPage {
	real := c.Writer
	w := &capture{ResponseWriter: real}
	c.Writer = w
	httpx.OverrideCSRF(c, string(csrfPlaceholder))
	render(c)
	httpx.OverrideCSRF(c, "")
	c.Writer = real
	body := w.buf.Bytes()
	if w.Status() != http.StatusOK {
		real.WriteHeader(w.Status())
		real.Write(bytes.ReplaceAll(body, csrfPlaceholder, []byte(s.CSRFToken(c))))
		return nil
	}
	etag := `"e` + strconv.FormatInt(id, 10) + "-" + version + "-" + bootID + `"`
	return &cachedPage{version: version, etag: etag, body: bytes.Clone(body), hasToken: bytes.Contains(body, csrfPlaceholder)}
}

// etagMatches reports whether an If-None-Match header names etag.
func etagMatches(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(t), "W/"))
		if t == etag || t == "*" {
			return true
		}
	}
	return false
}
