package pages

import (
	"context"

	"fabrique/internal/fabrique"
)

// The name of a staff account's role depends on its organisation: a
// ministry's correspondent is « Correspondant·e ministériel·le », an
// association's is not (issue 15).

// organiserLabels names an organiser by the kind of their organisation.
var organiserLabels = map[fabrique.OrganisationKind]string{
	fabrique.OrgMinistry:       "Correspondant·e ministériel·le",
	fabrique.OrgAdministration: "Correspondant·e de l'administration",
	fabrique.OrgAuthority:      "Correspondant·e de l'autorité",
	fabrique.OrgLocalAuthority: "Correspondant·e de la collectivité",
	fabrique.OrgCivilSociety:   "Correspondant·e de l'association",
	fabrique.OrgResearch:       "Correspondant·e de l'établissement de recherche",
	fabrique.OrgCompany:        "Correspondant·e de l'entreprise",
}

// roleLabel is the French name of a role, for an organiser by the kind of
// their organisation (kind "" when unknown).
func roleLabel(role fabrique.Role, kind fabrique.OrganisationKind) string {
	if role == fabrique.RoleOrganiser {
		if l, ok := organiserLabels[kind]; ok {
			return l
		}
		return "Correspondant·e d'une organisation"
	}
	return label("role", role)
}

// userRoleLabel names the role of u, reading their organisation's kind.
func (s *Server) userRoleLabel(ctx context.Context, u *fabrique.User) string {
	if u == nil {
		return ""
	}
	var kind fabrique.OrganisationKind
	if u.Is(fabrique.RoleOrganiser) && u.OrganisationID != nil {
		if o, err := s.Store.Organisations().Get(ctx, *u.OrganisationID); err == nil {
			kind = o.Kind
		}
	}
	return roleLabel(u.Role, kind)
}

// orgKinds maps each organisation to its kind, for the accounts page.
func (s *Server) orgKinds(ctx context.Context) (map[int64]fabrique.OrganisationKind, error) {
	orgs, err := all(ctx, s.Store.Organisations(), nil)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]fabrique.OrganisationKind, len(orgs))
	for _, o := range orgs {
		out[o.ID] = o.Kind
	}
	return out, nil
}

// RoleLabel names the role of an account of the list.
func (v *accountsView) RoleLabel(a *fabrique.Account) string {
	var kind fabrique.OrganisationKind
	if a.OrganisationID != nil {
		kind = v.kinds[*a.OrganisationID]
	}
	return roleLabel(a.Role, kind)
}
