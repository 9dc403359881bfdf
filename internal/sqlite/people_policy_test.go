package sqlite_test

import (
	"context"
	"testing"

	"fabrique/internal/fabrique"
)

// A participant who registers with two hosts is two rows: each host sees
// and changes only what was given to it.
func TestParticipantsAreSealedPerHost(t *testing.T) {
	st, ctx := openStore(t)
	fa := buildFixture(t, st, ctx, 0, 20)
	fb := buildFixture(t, st, ctx, 0, 20)
	register := func(f *fixture, name string) {
		t.Helper()
		_, err := st.Enrolments().Register(context.Background(), f.event.ID, &fabrique.RegistrationRequest{
			Name: name, Email: "lea@exemple.fr", Category: fabrique.CategoryCitizen, WorkshopID: &f.workshops[0].ID, Consent: true})
		must(t, err)
	}
	register(fa, "Léa Martin")
	register(fb, "Léa M.")
	register(fa, "Léa Martin") // known to A: nothing duplicated

	hostA, hostB := fa.event.HostOrganisationID, fb.event.HostOrganisationID
	asA := fabrique.WithUser(context.Background(), &fabrique.User{ID: 90, Role: fabrique.RoleOrganiser, OrganisationID: &hostA})
	asB := fabrique.WithUser(context.Background(), &fabrique.User{ID: 91, Role: fabrique.RoleOrganiser, OrganisationID: &hostB})
	byEmail := map[string]string{"email": "lea@exemple.fr"}
	pa, err := st.People().List(asA, fabrique.ListOptions{Filters: byEmail})
	must(t, err)
	pb, err := st.People().List(asB, fabrique.ListOptions{Filters: byEmail})
	must(t, err)
	if pa.Total != 1 || pb.Total != 1 {
		t.Fatalf("host A finds %d people, host B %d; want one each", pa.Total, pb.Total)
	}
	a, b := pa.Items[0], pb.Items[0]
	if a.ID == b.ID || a.Name != "Léa Martin" || b.Name != "Léa M." || a.Kind != fabrique.PersonParticipant || *a.OwnerOrganisationID != hostA {
		t.Fatalf("A's row %+v, B's row %+v", a, b)
	}
	if _, err := st.People().Get(asA, b.ID); fabrique.ErrorCode(err) != fabrique.ENOTFOUND {
		t.Errorf("host A reads host B's participant: %v", err)
	}
	b.Email = "attaquant@exemple.fr"
	if err := st.People().Update(asA, b); fabrique.ErrorCode(err) != fabrique.ENOTFOUND {
		t.Errorf("host A changes host B's participant: %v", err)
	}
	a.Name = "Léa Martin-Durand"
	must(t, st.People().Update(asA, a))
	again, err := st.People().Get(asB, b.ID)
	must(t, err)
	if again.Name != "Léa M." || again.Email != "lea@exemple.fr" {
		t.Errorf("host A's change reached host B's row: %+v", again)
	}
	regs, err := st.Registrations().List(asA, fabrique.ListOptions{})
	must(t, err)
	if regs.Total != 1 || regs.Items[0].PersonID != a.ID {
		t.Errorf("host A sees registrations %+v", regs.Items)
	}
}

// The SQL filters of people are the list form of the policy: a user
// lists exactly the people the policy lets them read whole, with their
// email, and others' contacts by name only.
func TestPeopleListsFollowThePolicy(t *testing.T) {
	st, ctx := openStore(t)
	fa := buildFixture(t, st, ctx, 0, 20)
	fb := buildFixture(t, st, ctx, 0, 20)
	hostA, hostB := fa.event.HostOrganisationID, fb.event.HostOrganisationID
	for i, f := range []*fixture{fa, fb, fa} {
		_, err := st.Enrolments().Register(context.Background(), f.event.ID, &fabrique.RegistrationRequest{
			Name: "Participant", Email: []string{"p1@exemple.fr", "p1@exemple.fr", "p2@exemple.fr"}[i], Category: fabrique.CategoryCitizen,
			WorkshopID: &f.workshops[0].ID, Consent: true})
		must(t, err)
	}
	for _, p := range []*fabrique.Person{
		{Name: "Contact de A", Email: "a@exemple.fr", OrganisationID: &hostA, Category: fabrique.CategoryPublicAgent},
		{Name: "Contact de B", Email: "b@exemple.fr", OrganisationID: &hostB, Category: fabrique.CategoryPublicAgent},
		{Name: "Contact de la DITP", Email: "ditp@exemple.fr", Category: fabrique.CategoryPublicAgent},
	} {
		must(t, st.People().Create(ctx, p))
	}
	everyone, err := st.People().List(ctx, fabrique.ListOptions{Limit: 500})
	must(t, err)
	contactA := int64(0)
	for _, p := range everyone.Items {
		if p.Name == "Contact de A" {
			contactA = p.ID
		}
	}
	users := map[string]*fabrique.User{
		"organiser of A": {ID: 90, Role: fabrique.RoleOrganiser, OrganisationID: &hostA},
		"organiser of B": {ID: 91, Role: fabrique.RoleOrganiser, OrganisationID: &hostB},
		"facilitator":    {ID: 92, Role: fabrique.RoleFacilitator, PersonID: &contactA},
		"administrator":  {ID: 93, Role: fabrique.RoleAdmin},
	}
	for name, u := range users {
		t.Run(name, func(t *testing.T) {
			page, err := st.People().List(fabrique.WithUser(context.Background(), u), fabrique.ListOptions{Limit: 500})
			must(t, err)
			listed := map[int64]*fabrique.Person{}
			for _, p := range page.Items {
				listed[p.ID] = p
			}
			for _, p := range everyone.Items {
				read := fabrique.Can(u, p.PolicyObject(), fabrique.ActRead, p.Owner())
				pick := p.Kind == fabrique.PersonContact && fabrique.Can(u, fabrique.ObjContact, fabrique.ActUse, p.Owner())
				got, ok := listed[p.ID]
				switch {
				case read && (!ok || got.Email != p.Email):
					t.Errorf("%s (%s) may be read whole but is listed as %+v", p.Name, p.Email, got)
				case !read && pick && (!ok || got.Email != ""):
					t.Errorf("%s may be picked by name only but is listed as %+v", p.Name, got)
				case !read && !pick && ok:
					t.Errorf("%s is listed though the policy hides it", p.Name)
				}
			}
			// Filtering on an address finds only the people one may read whole.
			for _, email := range []string{"b@exemple.fr", "p1@exemple.fr", "ditp@exemple.fr"} {
				found, err := st.People().List(fabrique.WithUser(context.Background(), u), fabrique.ListOptions{Filters: map[string]string{"email": email}})
				must(t, err)
				for _, p := range found.Items {
					if p.Email != email {
						t.Errorf("?email=%s finds %s without its address", email, p.Name)
					}
				}
			}
		})
	}
}
