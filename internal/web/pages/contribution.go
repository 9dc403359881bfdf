package pages

import (
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"fabrique/internal/fabrique"
	"fabrique/internal/web/httpx"
)

// Correcting or deleting a contribution noted live, from the live page:
// a typo does not go into the minutes (issue 15).

func (s *Server) mountContributionPages(st *gin.RouterGroup) {
	st.GET("/workshops/:id/contributions/:contribution", s.page(s.contributionPage))
	st.POST("/workshops/:id/contributions/:contribution", s.page(s.correctContribution))
	st.POST("/workshops/:id/contributions/:contribution/delete", s.page(s.deleteContribution))
}

func init() {
	notices["contribution-corrected"] = "La contribution est corrigée."
	notices["contribution-deleted"] = "La contribution est supprimée."
}

// contributionView is a contribution with its workshop, for its form.
type contributionView struct {
	*workshopPageData
	Contribution *fabrique.Contribution
}

// loadContribution reads the workshop of the path and its contribution.
func (s *Server) loadContribution(c *gin.Context) (*contributionView, error) {
	d, err := s.loadWorkshopPage(c)
	if err != nil {
		return nil, err
	}
	id, err := httpx.PathID(c, "contribution")
	if err != nil {
		return nil, err
	}
	v, err := s.Store.Minutes().Contribution(c.Request.Context(), id)
	if err != nil {
		return nil, err
	}
	if v.WorkshopID != d.Workshop.ID {
		return nil, fabrique.Errorf(fabrique.ENOTFOUND, "La contribution n° %d n'est pas de cet atelier.", id)
	}
	return &contributionView{workshopPageData: d, Contribution: v}, nil
}

func (s *Server) contributionPage(c *gin.Context) error {
	v, err := s.loadContribution(c)
	if err != nil {
		return err
	}
	f := newForm("correction", c.Request.URL.Path, contributionFields...)
	f.Set("category", string(v.Contribution.Category))
	f.Set("text", v.Contribution.Text)
	f.Set("author", v.Contribution.Author)
	for name, on := range map[string]bool{"consent": v.Contribution.Consent, "publishable": v.Contribution.Publishable} {
		if on {
			f.Set(name, "1")
		}
	}
	return s.showContribution(c, http.StatusOK, v, f)
}

func (s *Server) showContribution(c *gin.Context, status int, v *contributionView, f *form) error {
	return s.render(c, status, "contribution.html", &view{Title: "Corriger une contribution : " + v.name(), Data: v,
		Forms: map[string]*form{"correction": f}, Crumbs: v.crumbs()})
}

// correctContribution saves the corrected contribution.
func (s *Server) correctContribution(c *gin.Context) error {
	v, err := s.loadContribution(c)
	if err != nil {
		return err
	}
	f := postedForm(c, "correction", c.Request.URL.Path, contributionFields...)
	p := parser{f}
	in := &fabrique.Contribution{ID: v.Contribution.ID, WorkshopID: v.Workshop.ID, Category: fabrique.ContributionCategory(p.text("category")),
		Text: p.text("text"), Author: p.text("author"), Consent: p.checked("consent"), Publishable: p.checked("publishable"),
		PersonID: v.Contribution.PersonID, OrganisationID: v.Contribution.OrganisationID}
	status, err := submit(f, nil, in.Validate, func() error { return s.Store.Minutes().UpdateContribution(c.Request.Context(), in) })
	if err != nil || status != 0 {
		return orErr(err, func() error { return s.showContribution(c, status, v, f) })
	}
	return redirect(c, fmt.Sprintf("/staff/workshops/%d/live", v.Workshop.ID), "contribution-corrected")
}

// deleteContribution deletes the contribution.
func (s *Server) deleteContribution(c *gin.Context) error {
	v, err := s.loadContribution(c)
	if err != nil {
		return err
	}
	if err := s.Store.Minutes().DeleteContribution(c.Request.Context(), v.Contribution.ID); err != nil {
		return err
	}
	return redirect(c, fmt.Sprintf("/staff/workshops/%d/live", v.Workshop.ID), "contribution-deleted")
}
