package web

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
	ctxFlash   = "fabrique.flash"   // an error to show above a re-shown page
)

// secureCookies reports whether cookies must be Secure: the service is
// served over https.
func (s *Server) secureCookies() bool { return strings.HasPrefix(s.cfg.BaseURL, "https://") }

// setCookie writes an HttpOnly, SameSite=Lax cookie on /; maxAge < 0 deletes it.
func (s *Server) setCookie(c *gin.Context, name, value string, maxAge int) {
	http.SetCookie(c.Writer, &http.Cookie{
		Name: name, Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, Secure: s.secureCookies(), SameSite: http.SameSiteLaxMode,
	})
}

// session reads the session cookie and, when no API token was given, puts
// the session's account in the request's context, as authenticate does for
// a token, so that the store applies the same rules. It then refuses any
// unsafe request without the CSRF token: forms post it as csrf_token,
// scripts send it as X-CSRF-Token. API calls with a bearer token, or
// without any cookie, need none.
func (s *Server) session(c *gin.Context) {
	ctx := c.Request.Context()
	bearer := fabrique.UserFrom(ctx) != nil
	if id, err := c.Cookie(sessionCookie); err == nil && id != "" && !bearer {
		u, err := s.store.Sessions().UserBySession(ctx, id)
		switch fabrique.ErrorCode(err) {
		case "":
			c.Request = c.Request.WithContext(fabrique.WithUser(ctx, u))
			c.Set(ctxSession, id)
		case fabrique.EUNAUTHORIZED:
			s.setCookie(c, sessionCookie, "", -1) // expired or revoked: a visitor again
		default:
			s.refuse(c, err)
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
	if !s.validCSRF(c, api) {
		s.refuse(c, &fabrique.Error{Code: fabrique.EFORBIDDEN, Message: "Le formulaire a expiré ou ne vient pas de ce site (jeton de sécurité absent ou invalide). Rechargez la page et recommencez."})
		return
	}
	c.Next()
}

// refuse answers an error as a problem for the API, as a page otherwise.
func (s *Server) refuse(c *gin.Context, err error) {
	if strings.HasPrefix(c.Request.URL.Path, "/api/") {
		s.writeProblem(c, err)
		return
	}
	s.errorPage(c, err)
}

func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

// csrfToken returns the CSRF token of the request: derived from the session
// id for a signed-in account (synchronizer token), otherwise the random
// value of the visitor's csrf cookie, set when absent (double submit).
func (s *Server) csrfToken(c *gin.Context) string {
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
		s.setCookie(c, csrfCookie, token, 0)
	}
	c.Set(ctxCSRF, token)
	return token
}

// validCSRF compares the token posted (or sent as a header) with the
// request's own, in constant time.
func (s *Server) validCSRF(c *gin.Context, api bool) bool {
	var expected string
	if c.GetString(ctxSession) != "" {
		expected = s.csrfToken(c)
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

// signInPage shows the sign-in form.
func (s *Server) signInPage(c *gin.Context) error {
	if u := fabrique.UserFrom(c.Request.Context()); u != nil {
		return redirect(c, localPath(c.Query("next"), homeFor(u)), "")
	}
	f := newForm("connexion", "/signin", "email", "password")
	f.Set("next", localPath(c.Query("next"), ""))
	return s.render(c, http.StatusOK, "signin.html", &view{Title: "Connexion", Forms: map[string]*form{"signin": f}})
}

// signIn checks the address and password, opens a session and sets its cookie.
func (s *Server) signIn(c *gin.Context) error {
	f := postedForm(c, "connexion", "/signin", "email", "password")
	f.Set("next", localPath(c.PostForm("next"), ""))
	cred := fabrique.Credentials{Email: strings.TrimSpace(f.Get("email")), Password: f.Get("password")}
	f.Values.Del("password") // never sent back
	var p fabrique.Problems
	p.Email("email", cred.Email, true)
	if cred.Password == "" {
		p.Add("password", "le mot de passe est obligatoire")
	}
	err := p.Err()
	var u *fabrique.User
	if err == nil {
		done, refused := s.signInGate(c, cred.Email)
		if refused != nil {
			return refused // 429 and Retry-After, as a French page (security.go)
		}
		u, err = s.store.Users().Authenticate(c.Request.Context(), cred)
		done(fabrique.ErrorCode(err) == fabrique.EUNAUTHORIZED)
	}
	if err != nil {
		status := http.StatusUnprocessableEntity
		if fabrique.ErrorCode(err) == fabrique.EUNAUTHORIZED {
			f.Other = append(f.Other, fabrique.ErrorMessage(err))
			status = http.StatusUnauthorized
		} else if !f.refuse(err, nil) {
			return err
		}
		return s.render(c, status, "signin.html", &view{Title: "Connexion", Forms: map[string]*form{"signin": f}})
	}
	if old := c.GetString(ctxSession); old != "" {
		s.store.Sessions().RevokeSession(c.Request.Context(), old)
	}
	id, _, err := s.store.Sessions().CreateSession(c.Request.Context(), u.ID, fabrique.SessionTTL)
	if err != nil {
		return err
	}
	s.setCookie(c, sessionCookie, id, int(fabrique.SessionTTL.Seconds()))
	s.setCookie(c, csrfCookie, "", -1)
	return redirect(c, localPath(f.Get("next"), homeFor(u)), "signed-in") // each role lands on its work (pages_dashboard_roles.go)
}

// signOut ends the session (revoked in the store) and clears its cookie.
func (s *Server) signOut(c *gin.Context) error {
	if id := c.GetString(ctxSession); id != "" {
		if err := s.store.Sessions().RevokeSession(c.Request.Context(), id); err != nil {
			return err
		}
	}
	s.setCookie(c, sessionCookie, "", -1)
	return redirect(c, "/", "signed-out")
}

// localPath keeps a redirection target only when it is a path of this
// site, so that a link cannot send a signed-in user elsewhere.
func localPath(p, def string) string {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.ContainsAny(p, "\\\r\n") {
		return def
	}
	return p
}
