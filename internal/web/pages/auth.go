package pages

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"fabrique/internal/fabrique"
)

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
		done, refused := s.SignInGate(c, cred.Email)
		if refused != nil {
			return refused // 429 and Retry-After, as a French page (security.go)
		}
		u, err = s.Store.Users().Authenticate(c.Request.Context(), cred)
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
	if err := s.OpenSession(c, u.ID); err != nil {
		return err
	}
	return redirect(c, localPath(f.Get("next"), homeFor(u)), "signed-in") // each role lands on its work (dashboard_roles.go)
}

// signOut ends the session (revoked in the store) and clears its cookie.
func (s *Server) signOut(c *gin.Context) error {
	if err := s.CloseSession(c); err != nil {
		return err
	}
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
