package pages

import (
	"context"
	"fmt"
	"slices"

	"github.com/gin-gonic/gin"

	"fabrique/internal/fabrique"
)

// Each user's first page is their work (issue 15): a facilitator lands on
// « Mes ateliers », a correspondent on their organisation's events and
// declarations, the DITP on what awaits review and what has conflicts.

// roleDashboard is what the dashboard adds for the user's role.
type roleDashboard struct {
	ToReview     []declarationRow // administrators: declarations submitted, to examine
	Declarations []declarationRow // organisers: their organisation's declarations
	OwnEvents    bool             // the events listed are the organisation's only
}

// homeFor is where a user lands after signing in.
func homeFor(u *fabrique.User) string {
	if u.Is(fabrique.RoleFacilitator) {
		return "/staff/my-workshops"
	}
	return "/staff"
}

// ownEvents keeps, for an organiser, the events their organisation hosts
// (the others' published events are on the public list).
func ownEvents(u *fabrique.User, events []*fabrique.Event) []*fabrique.Event {
	if !u.Is(fabrique.RoleOrganiser) || u.OrganisationID == nil {
		return events
	}
	var out []*fabrique.Event
	for _, e := range events {
		if e.HostOrganisationID == *u.OrganisationID {
			out = append(out, e)
		}
	}
	return out
}

// roleWork reads the declarations the dashboard shows to u.
func (s *Server) roleWork(ctx context.Context, u *fabrique.User) (*roleDashboard, error) {
	r := &roleDashboard{OwnEvents: u.Is(fabrique.RoleOrganiser)}
	if !u.Is(fabrique.RoleAdmin) && !u.Is(fabrique.RoleOrganiser) {
		return r, nil
	}
	list, err := s.Store.Declarations().Declarations(ctx)
	switch fabrique.ErrorCode(err) {
	case "":
	case fabrique.EFORBIDDEN:
		return r, nil
	default:
		return nil, err
	}
	for _, d := range list {
		row := declarationRow{Declaration: d, StateLabel: declarationStates[d.State]}
		switch {
		case u.Is(fabrique.RoleAdmin) && d.State == fabrique.DeclarationSubmitted:
			r.ToReview = append(r.ToReview, row)
		case u.Is(fabrique.RoleOrganiser):
			r.Declarations = append(r.Declarations, row)
		}
	}
	return r, nil
}

// facilitatorHome is the staff home of a facilitator: their workshops.
func (s *Server) facilitatorHome(c *gin.Context) error {
	return s.myWorkshopsPage(c)
}

// declarationsList is the declarations page: the declarations, and the
// formats the user's organisation may declare.
type declarationsList struct {
	Rows    []declarationRow
	Formats []option // path segment → « Déclarer un Ministère ouvert »
}

// declarableFormats lists the formats the user's organisation declares: a
// ministry or an administration a Ministère ouvert, an association, a local
// authority or a university an atelier-relais; none for the DITP.
func (s *Server) declarableFormats(c *gin.Context) ([]option, error) {
	u := fabrique.UserFrom(c.Request.Context())
	if !u.Is(fabrique.RoleOrganiser) || u.OrganisationID == nil {
		return nil, nil
	}
	org, err := s.Store.Organisations().Get(c.Request.Context(), *u.OrganisationID)
	if err != nil {
		return nil, err
	}
	var out []option
	for _, f := range []struct {
		kind        fabrique.EventKind
		path, label string
	}{{fabrique.EventOpenMinistry, "open_ministry", "Déclarer un Ministère ouvert"}, {fabrique.EventRelayWorkshop, "relay_workshop", "Déclarer un atelier-relais"}} {
		if slices.Contains(declarerKinds[f.kind], org.Kind) {
			out = append(out, option{Value: f.path, Label: f.label})
		}
	}
	return out, nil
}

// ownOrgOptions keeps, for an organiser, only their organisation among the
// choices of a form's field (a contact or a venue is attached to it; the
// policy refuses any other) and chooses it when nothing is; an
// administrator chooses among all.
func ownOrgOptions(c *gin.Context, f *form, field string, orgs []option) []option {
	u := fabrique.UserFrom(c.Request.Context())
	if u == nil || u.Is(fabrique.RoleAdmin) || u.OrganisationID == nil {
		return orgs
	}
	own := fmt.Sprint(*u.OrganisationID)
	for _, o := range orgs {
		if o.Value == own {
			if f != nil && f.Get(field) == "" {
				f.Set(field, own)
			}
			return []option{o}
		}
	}
	return orgs
}
