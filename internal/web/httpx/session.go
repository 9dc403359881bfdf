package httpx

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"fabrique/internal/fabrique"
)

// Cookies and fields of the web interface.
const (
	sessionCookie = "fabrique_session" // the staff session id (HttpOnly)
	csrfCookie    = "fabrique_csrf"    // the double-submit token of visitors' forms
	csrfField     = "csrf_token"       // the hidden field every form posts
	csrfHeader    = "X-CSRF-Token"     // the header scripts send instead
)

// Keys of the Gin context.
const (
	ctxSession = "fabrique.session" // the raw session id of the request
	ctxCSRF    = "fabrique.csrf"    // the CSRF token of the request
)

// secureCookies reports whether cookies must be Secure: the service is
// served over https.
func (s *Core) SecureCookies() bool { return strings.HasPrefix(s.Cfg.BaseURL, "https://") }

// setCookie writes an HttpOnly, SameSite=Lax cookie on /; maxAge < 0 deletes it.
func (s *Core) SetCookie(c *gin.Context, name, value string, maxAge int) {
	http.SetCookie(c.Writer, &http.Cookie{
		Name: name, Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, Secure: s.SecureCookies(), SameSite: http.SameSiteLaxMode,
	})
}

// session reads the session cookie and, when no API token was given, puts
// the session's account in the request's context, as authenticate does for
// a token, so that the store applies the same rules. It then refuses any
// unsafe request without the CSRF token: forms post it as csrf_token,
// scripts send it as X-CSRF-Token. API calls with a bearer token, or
// without any cookie, need none.
func (s *Core) session(c *gin.Context) {
	ctx := c.Request.Context()
	bearer := fabrique.UserFrom(ctx) != nil
	if id, err := c.Cookie(sessionCookie); err == nil && id != "" && !bearer {
		u, err := s.Store.Sessions().UserBySession(ctx, id)
		switch fabrique.ErrorCode(err) {
		case "":
			c.Request = c.Request.WithContext(fabrique.WithUser(ctx, u))
			c.Set(ctxSession, id)
		case fabrique.EUNAUTHORIZED:
			s.SetCookie(c, sessionCookie, "", -1) // expired or revoked: a visitor again
		default:
			s.Refuse(c, err)
			return
		}
	}
	if safeMethod(c.Request.Method) || bearer {
		c.Next()
		return
	}
	api := strings.HasPrefix(c.Request.URL.Path, "/api/")
	if api && c.GetString(ctxSession) == "" {
		c.Next() // an API call without session: nothing ambient to protect
		return
	}
	if !s.ValidCSRF(c, api) {
		s.Refuse(c, &fabrique.Error{Code: fabrique.EFORBIDDEN, Message: "Le formulaire a expiré ou ne vient pas de ce site (jeton de sécurité absent ou invalide). Rechargez la page et recommencez."})
		return
	}
	c.Next()
}

// refuse answers an error as a problem for the API, as a page otherwise.
func (s *Core) Refuse(c *gin.Context, err error) {
	if strings.HasPrefix(c.Request.URL.Path, "/api/") {
		s.WriteProblem(c, err)
		return
	}
	if s.ErrorPage == nil {
		s.WriteProblem(c, err)
		return
	}
	s.ErrorPage(c, err)
}

func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

// csrfToken returns the CSRF token of the request: derived from the session
// id for a signed-in account (synchronizer token), otherwise the random
// value of the visitor's csrf cookie, set when absent (double submit).
func (s *Core) CSRFToken(c *gin.Context) string {
	if t := c.GetString(ctxCSRF); t != "" {
		return t
	}
	var token string
	if id := c.GetString(ctxSession); id != "" {
		m := hmac.New(sha256.New, []byte(id))
		m.Write([]byte("fabrique csrf"))
		token = base64.RawURLEncoding.EncodeToString(m.Sum(nil))
	} else if v, err := c.Cookie(csrfCookie); err == nil && len(v) >= 32 {
		token = v
	} else {
		b := make([]byte, 32)
		rand.Read(b)
		token = base64.RawURLEncoding.EncodeToString(b)
		s.SetCookie(c, csrfCookie, token, 0)
	}
	c.Set(ctxCSRF, token)
	return token
}

// validCSRF compares the token posted (or sent as a header) with the
// request's own, in constant time.
func (s *Core) ValidCSRF(c *gin.Context, api bool) bool {
	var expected string
	if c.GetString(ctxSession) != "" {
		expected = s.CSRFToken(c)
	} else if v, err := c.Cookie(csrfCookie); err == nil && len(v) >= 32 {
		expected = v
	} else {
		return false
	}
	got := c.GetHeader(csrfHeader)
	if got == "" && !api {
		got = c.PostForm(csrfField)
	}
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(expected)) == 1
}

// OverrideCSRF makes token the CSRF token of the rest of the request (the
// page cache renders with a placeholder); "" goes back to the real one.
func OverrideCSRF(c *gin.Context, token string) { c.Set(ctxCSRF, token) }

// OpenSession opens a session for the account that just signed in: the
// visitor's session, if any, is revoked, and the session and CSRF cookies
// are set anew.
func (s *Core) OpenSession(c *gin.Context, userID int64) error {
	if old := c.GetString(ctxSession); old != "" {
		s.Store.Sessions().RevokeSession(c.Request.Context(), old)
	}
	id, _, err := s.Store.Sessions().CreateSession(c.Request.Context(), userID, fabrique.SessionTTL)
	if err != nil {
		return err
	}
	s.SetCookie(c, sessionCookie, id, int(fabrique.SessionTTL.Seconds()))
	s.SetCookie(c, csrfCookie, "", -1)
	return nil
}

// CloseSession ends the request's session (revoked in the store) and
// clears its cookie.
func (s *Core) CloseSession(c *gin.Context) error {
	if id := c.GetString(ctxSession); id != "" {
		if err := s.Store.Sessions().RevokeSession(c.Request.Context(), id); err != nil {
			return err
		}
	}
	s.SetCookie(c, sessionCookie, "", -1)
	return nil
}
