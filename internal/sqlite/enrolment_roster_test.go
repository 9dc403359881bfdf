package sqlite_test

import (
	"context"
	"fmt"
	"testing"

	"fabrique/internal/fabrique"
)

func TestRosterListsRegistrationsByWorkshopWithWaitingRanks(t *testing.T) {
	f := newFixture(t, 0, 1, 5)
	f.register(t, "a@exemple.fr", 0)
	b := f.register(t, "b@exemple.fr", 0)
	f.register(t, "c@exemple.fr", 0)
	f.register(t, "d@exemple.fr", 1)
	if b.Status != fabrique.RegWaiting {
		t.Fatalf("b is %s", b.Status)
	}
	r, err := f.st.Enrolments().Roster(f.ctx, f.event.ID)
	must(t, err)
	var got []string
	for _, e := range r.Entries {
		got = append(got, fmt.Sprintf("%s %s %d %d", e.Email, e.Status, *e.WorkshopID, e.Rank))
	}
	w1, w2 := f.workshops[0].ID, f.workshops[1].ID
	t.Run("the registered come first, then the waiting in the order of their list", func(t *testing.T) {
		equal(t, got, []string{
			fmt.Sprintf("a@exemple.fr registered %d 0", w1), fmt.Sprintf("b@exemple.fr waiting %d 1", w1),
			fmt.Sprintf("c@exemple.fr waiting %d 2", w1), fmt.Sprintf("d@exemple.fr registered %d 0", w2)})
	})
	t.Run("the organisation typed at registration is given", func(t *testing.T) {
		if r.Entries[0].Organisation != "Association Regards Citoyens" || r.Entries[0].Category != fabrique.CategoryCitizen {
			t.Errorf("entry %+v", r.Entries[0])
		}
	})
	t.Run("the workshops come with their counts", func(t *testing.T) {
		if len(r.Workshops) != 2 || r.Workshops[0].Registered != 1 || r.Workshops[0].Waiting != 2 {
			t.Errorf("workshops %+v", r.Workshops)
		}
	})
	t.Run("a visitor is refused", func(t *testing.T) {
		_, err := f.st.Enrolments().Roster(context.Background(), f.event.ID)
		mustCode(t, err, fabrique.EUNAUTHORIZED)
	})
	t.Run("a facilitator is refused", func(t *testing.T) {
		ctx := fabrique.WithUser(context.Background(), &fabrique.User{ID: 99, Role: fabrique.RoleFacilitator})
		_, err := f.st.Enrolments().Roster(ctx, f.event.ID)
		mustCode(t, err, fabrique.EFORBIDDEN)
	})
	t.Run("an unknown event is not found", func(t *testing.T) {
		_, err := f.st.Enrolments().Roster(f.ctx, 9999)
		mustCode(t, err, fabrique.ENOTFOUND)
	})
}
