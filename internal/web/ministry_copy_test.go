package web_test

import (
	"context"
	"testing"
	"time"

	"fabrique/internal/fabrique"
	"fabrique/internal/sqlite"
)

// The demo publishes the minutes of Ministère ouvert #1 with its workshops'
// contributions (issue 17): they can no longer change. The tests of the
// minutes' life (recording, correcting, approving, publishing) work on a
// copy of it made in their own database: « Ministère ouvert #2 (essai) »,
// twenty weeks later, with the same programme, workshops, facilitators
// (Simon Chignard on its workshop 3, Sarah Labelle on its workshop 5) and
// commitments, minutes in draft and one registration to its workshop 3.

// ministryCopy is the copy of Ministère ouvert #1 in a database.
type ministryCopy struct {
	Event        int64
	Workshops    []int64 // in the order of Ministère ouvert #1's workshops 1–5
	Registration int64   // Camille's twin, registered to workshop 3
}

// The ids of the copy on a fresh copy of the template (checked by copyMinistry).
const (
	copyEvent        = 3
	copySimon        = 11 // its workshop 3, facilitated by Simon Chignard
	copySarah        = 13 // its workshop 5, facilitated by Sarah Labelle
	copyRegistration = 2
)

// copyMinistry makes the copy in st.
func copyMinistry(t testing.TB, st *sqlite.Store) *ministryCopy {
	t.Helper()
	ctx := fabrique.WithUser(context.Background(), fabrique.System)
	shift := func(v time.Time) time.Time { return v.AddDate(0, 0, 140) }
	ev, err := st.Events().Get(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	ev.ID, ev.Title, ev.Start, ev.End = 0, "Ministère ouvert #2 (essai)", shift(ev.Start), shift(ev.End)
	if err := st.Events().Create(ctx, ev); err != nil {
		t.Fatal(err)
	}
	out := &ministryCopy{Event: ev.ID}
	items, err := st.Items().List(ctx, fabrique.ListOptions{Limit: 100, Filters: map[string]string{"event_id": "1"}})
	if err != nil {
		t.Fatal(err)
	}
	itemOf := map[int64]int64{}
	for _, it := range items.Items {
		old := it.ID
		it.ID, it.EventID, it.Start, it.End = 0, ev.ID, shift(it.Start), shift(it.End)
		if err := st.Items().Create(ctx, it); err != nil {
			t.Fatal(err)
		}
		itemOf[old] = it.ID
	}
	ws, err := st.Workshops().List(ctx, fabrique.ListOptions{Limit: 100, Filters: map[string]string{"event_id": "1"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range ws.Items {
		w.ID, w.EventID, w.ItemID = 0, ev.ID, itemOf[w.ItemID]
		if err := st.Workshops().Create(ctx, w); err != nil {
			t.Fatal(err)
		}
		out.Workshops = append(out.Workshops, w.ID)
	}
	p := &fabrique.Person{Name: "Camille Participante", Email: "camille@exemple.fr", Category: fabrique.CategoryCitizen,
		Kind: fabrique.PersonParticipant, OwnerOrganisationID: &ev.HostOrganisationID}
	if err := st.People().Create(ctx, p); err != nil {
		t.Fatal(err)
	}
	r := &fabrique.Registration{EventID: ev.ID, WorkshopID: &out.Workshops[2], PersonID: p.ID, Status: fabrique.RegRegistered, Consent: true}
	if err := st.Registrations().Create(ctx, r); err != nil {
		t.Fatal(err)
	}
	out.Registration = r.ID
	if out.Event != copyEvent || len(out.Workshops) != 5 || out.Workshops[2] != copySimon || out.Workshops[4] != copySarah || out.Registration != copyRegistration {
		t.Fatalf("the copy of Ministère ouvert #1 has other ids: %+v", out)
	}
	return out
}

func TestTheCopyOfTheMinistryHasItsIDs(t *testing.T) {
	_, st := newServer(t)
	copyMinistry(t, st)
}
