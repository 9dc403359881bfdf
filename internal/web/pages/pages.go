package pages

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"path"
	"strings"
	"sync"

	"github.com/gin-gonic/gin"

	"fabrique/assets"
	"fabrique/internal/fabrique"
	"fabrique/internal/web/httpx"
	"fabrique/templates"
)

// The HTML pages: one template set per page (layout + partials + the page),
// parsed once when the server starts, rendered into a buffer, then written.

// ctxFlash is the key of the Gin context holding an error to show above a
// re-shown page.
const ctxFlash = "fabrique.flash"

// views holds the parsed template set of every page, by file name.
type views map[string]*template.Template

// sharedViews parses the views once per process: the templates are
// embedded and never change, and a parsed template may be executed by
// several servers at once.
var sharedViews = sync.OnceValues(parseViews)

// parseViews parses every file of templates/pages with the layout and the partials.
func parseViews() (views, error) {
	names, err := fs.Glob(templates.FS, "pages/*.html")
	if err != nil {
		return nil, err
	}
	v := views{}
	for _, name := range names {
		t, err := template.New(path.Base(name)).Funcs(viewFuncs).ParseFS(templates.FS, "layout/*.html", "partials/*.html", name)
		if err != nil {
			return nil, fmt.Errorf("web: template %s: %w", name, err)
		}
		v[path.Base(name)] = t
	}
	return v, nil
}

// view is what every page template receives.
type view struct {
	Title   string           // the page's own title, without the site's name
	User    *fabrique.User   // nil for a visitor
	CSRF    string           // the token every form posts back as csrf_token
	Path    string           // the path requested, for the navigation
	Notice  string           // a confirmation after a redirect (?ok=code)
	Flash   string           // an error message shown above the content
	Forms   map[string]*form // the forms of the page, by id, with values and errors
	Data    any              // the page's own data
	Crumbs  []crumb          // the breadcrumb, after the home page
	Menu    []menuItem       // the navigation of the header
	Scripts []string         // scripts under /assets/js (staff pages only)
	Status  int              // the HTTP status, for the error page
	Error   string           // the French message of the error page
	// RoleLabel names the user's role, for an organiser by their
	// organisation's kind (role_labels.go).
	RoleLabel string
}

// crumb is one step of a breadcrumb.
type crumb struct {
	Label string
	Href  string
}

// menuItem is one link of the header's navigation.
type menuItem struct {
	Label   string
	Href    string
	Current bool
}

// render executes the page's template into a buffer and writes it with status.
func (s *Server) render(c *gin.Context, status int, page string, v *view) error {
	t, ok := s.views[page]
	if !ok {
		return fmt.Errorf("web: no template %q", page)
	}
	s.fillView(c, v)
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "base", v); err != nil {
		return fmt.Errorf("web: render %s: %w", page, err)
	}
	h := c.Writer.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	// The security headers (CSP, nosniff, Referrer-Policy…) are set for every answer by secureHeaders (security.go).
	c.Status(status)
	_, err := c.Writer.Write(buf.Bytes())
	return err
}

// fillView sets what every page shows: the user, the CSRF token, the menu.
func (s *Server) fillView(c *gin.Context, v *view) {
	v.User = fabrique.UserFrom(c.Request.Context())
	v.RoleLabel = s.userRoleLabel(c.Request.Context(), v.User)
	v.CSRF = s.CSRFToken(c)
	v.Path = c.Request.URL.Path
	if v.Flash == "" {
		v.Flash = c.GetString(ctxFlash)
	}
	if v.Notice == "" {
		v.Notice = notices[c.Query("ok")]
	}
	v.Menu = []menuItem{{Label: "Événements", Href: "/"}}
	if v.User != nil {
		home := menuItem{Label: "Tableau de bord", Href: "/staff"}
		if v.User.Is(fabrique.RoleFacilitator) { // their home is their workshops (dashboard_roles.go)
			home = menuItem{Label: "Mes ateliers", Href: "/staff/my-workshops"}
		}
		v.Menu = append(v.Menu,
			home,
			menuItem{Label: "Plans d'action", Href: "/staff/plans"},
			menuItem{Label: "Organisations", Href: "/staff/organisations"},
			menuItem{Label: "Personnes", Href: "/staff/people"},
			menuItem{Label: "Lieux", Href: "/staff/venues"})
	}
	for i := range v.Menu {
		m := &v.Menu[i]
		m.Current = m.Href == v.Path || (m.Href != "/" && m.Href != "/staff" && strings.HasPrefix(v.Path, m.Href+"/"))
	}
}

// notices are the confirmations shown after a redirect (?ok=code).
var notices = map[string]string{
	"signed-in":      "Vous êtes connecté·e.",
	"signed-out":     "Vous êtes déconnecté·e.",
	"created":        "C'est enregistré.",
	"created-bridge": "L'événement est créé. Attention : la date choisie est un jour de pont, entre un jour férié et le week-end ; beaucoup de participants risquent d'être absents.",
	"saved":          "Les modifications sont enregistrées.",
	"deleted":        "L'élément a été supprimé.",
}

// redirect answers 303 See Other to path, with an optional confirmation code.
func redirect(c *gin.Context, to, ok string) error {
	if ok != "" {
		path, frag, hasFrag := strings.Cut(to, "#")
		sep := "?"
		if strings.Contains(path, "?") {
			sep = "&"
		}
		to = path + sep + "ok=" + url.QueryEscape(ok)
		if hasFrag {
			to += "#" + frag
		}
	}
	c.Redirect(http.StatusSeeOther, to)
	return nil
}

// pageHandler is a page's handler; its error becomes an HTML error page.
type pageHandler func(c *gin.Context) error

// page adapts a page handler: a coded error is shown as a French HTML page
// (a visitor who must sign in is sent to the sign-in page instead).
func (s *Server) page(h pageHandler) gin.HandlerFunc {
	return func(c *gin.Context) {
		if err := h(c); err != nil {
			s.errorPage(c, err)
		}
	}
}

// errorPage shows err as an HTML page with the status of its code.
func (s *Server) errorPage(c *gin.Context, err error) {
	code := fabrique.ErrorCode(err)
	if code == fabrique.EUNAUTHORIZED && c.Request.Method == http.MethodGet {
		c.Redirect(http.StatusSeeOther, "/signin?next="+url.QueryEscape(c.Request.URL.RequestURI()))
		c.Abort()
		return
	}
	status, code, title := httpx.Status(err)
	if code == fabrique.EINTERNAL {
		s.Log.ErrorContext(c.Request.Context(), "internal error", slog.String("route", c.FullPath()), slog.String("error", err.Error()))
	}
	if code == fabrique.ENOTFOUND {
		title = "Page introuvable"
	}
	v := &view{Title: title, Status: status, Error: fabrique.ErrorMessage(err)}
	if rerr := s.render(c, status, "error.html", v); rerr != nil {
		s.Log.ErrorContext(c.Request.Context(), "error page", slog.String("error", rerr.Error()))
		c.String(http.StatusInternalServerError, "Erreur interne du service.")
	}
	c.Abort()
}

// requireUser refuses visitors: staff pages need a signed-in account.
func requireUser(c *gin.Context) (*fabrique.User, error) {
	u := fabrique.UserFrom(c.Request.Context())
	if u == nil {
		return nil, &fabrique.Error{Code: fabrique.EUNAUTHORIZED, Message: "Connectez-vous pour accéder à cette page."}
	}
	return u, nil
}

// serveAssets serves the embedded css, js and fonts under /assets, cached.
func (s *Server) serveAssets() {
	files := http.FileServer(http.FS(assets.FS))
	h := func(c *gin.Context) {
		p := c.Param("path")
		if strings.HasPrefix(p, "/fonts/") && !strings.HasSuffix(p, ".ttf") || strings.HasSuffix(p, "/") {
			s.errorPage(c, fabrique.Errorf(fabrique.ENOTFOUND, "Aucun fichier à l'adresse %s.", c.Request.URL.Path))
			return
		}
		c.Header("Cache-Control", "public, max-age=3600")
		c.Header("X-Content-Type-Options", "nosniff")
		r := c.Request.Clone(c.Request.Context())
		r.URL.Path = p
		files.ServeHTTP(c.Writer, r)
	}
	s.Engine.GET("/assets/*path", h)
	s.Engine.HEAD("/assets/*path", h)
}
