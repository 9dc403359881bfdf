package pages

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"fabrique/internal/fabrique"
	"fabrique/internal/web/httpx"
)

// The administrators' page of staff accounts (issue 11): each account
// with its role, organisation and state, its API tokens with their
// creation, last use and expiry; disable or enable an account, revoke a
// token. A disabled account's sessions end and its tokens stop at once.

// mountAccountPages registers /staff/accounts and its forms.
func (s *Server) mountAccountPages() {
	st := s.Engine.Group("/staff", s.staffOnly)
	st.GET("/accounts", s.page(s.accountsPage))
	st.POST("/accounts/:id/disable", s.page(s.setAccountDisabled(true)))
	st.POST("/accounts/:id/enable", s.page(s.setAccountDisabled(false)))
	st.POST("/tokens/:id/revoke", s.page(s.revokeTokenByForm))
}

// accountNotices are the confirmations of the accounts page.
var accountNotices = map[string]string{
	"desactive": "Le compte est désactivé : ses sessions sont fermées et ses jetons refusés.",
	"reactive":  "Le compte est réactivé.",
	"revoque":   "Le jeton est révoqué.",
}

// accountsView is what the accounts page shows.
type accountsView struct {
	Accounts []*fabrique.Account
	Now      time.Time
	Self     int64 // the administrator viewing the page

	kinds map[int64]fabrique.OrganisationKind // for the name of each role (role_labels.go)
}

// mustManageAccounts lets administrators only.
func mustManageAccounts(c *gin.Context) error {
	return fabrique.AuthorizeService(fabrique.UserFrom(c.Request.Context()), fabrique.ActChange)
}

func (s *Server) accountsPage(c *gin.Context) error {
	return s.showAccounts(c, http.StatusOK, "")
}

// showAccounts renders the page, with flash as an error above it.
func (s *Server) showAccounts(c *gin.Context, status int, flash string) error {
	if err := mustManageAccounts(c); err != nil {
		return err
	}
	list, err := s.Store.Accounts().Accounts(c.Request.Context())
	if err != nil {
		return err
	}
	v := &accountsView{Accounts: list, Now: time.Now(), Self: fabrique.UserFrom(c.Request.Context()).ID}
	if v.kinds, err = s.orgKinds(c.Request.Context()); err != nil {
		return err
	}
	return s.render(c, status, "accounts.html", &view{Title: "Comptes", Data: v, Flash: flash,
		Notice: accountNotices[c.Query("ok")], Crumbs: []crumb{{Label: "Tableau de bord", Href: "/staff"}}})
}

// setAccountDisabled disables or enables the account of the path.
func (s *Server) setAccountDisabled(disabled bool) func(c *gin.Context) error {
	return func(c *gin.Context) error {
		if err := mustManageAccounts(c); err != nil {
			return err
		}
		id, err := httpx.PathID(c, "id")
		if err != nil {
			return err
		}
		if err := s.Store.Accounts().SetDisabled(c.Request.Context(), id, disabled); err != nil {
			if fabrique.ErrorCode(err) != fabrique.ECONFLICT {
				return err
			}
			return s.showAccounts(c, http.StatusConflict, fabrique.ErrorMessage(err))
		}
		ok := "reactive"
		if disabled {
			ok = "desactive"
		}
		return redirect(c, "/staff/accounts", ok)
	}
}

// revokeTokenByForm revokes the token of the path.
func (s *Server) revokeTokenByForm(c *gin.Context) error {
	if err := mustManageAccounts(c); err != nil {
		return err
	}
	id, err := httpx.PathID(c, "id")
	if err != nil {
		return err
	}
	if _, err := s.Store.Accounts().RevokeTokenID(c.Request.Context(), id); err != nil {
		return err
	}
	return redirect(c, "/staff/accounts", "revoque")
}
