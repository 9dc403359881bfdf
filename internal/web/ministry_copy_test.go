package web_test

import (
	"context"
	"testing"

	"fabrique/internal/demo/demotest"
	"fabrique/internal/fabrique"
	"fabrique/internal/sqlite"
)

// The tests of the minutes' life work on a copy of Ministère ouvert #1
// (demotest.CopyMinistry), with one registration to its workshop 3.

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

// copyMinistry makes the copy in st and registers Camille's twin.
func copyMinistry(t testing.TB, st *sqlite.Store) *ministryCopy {
	t.Helper()
	ev, ws, err := demotest.CopyMinistry(st)
	if err != nil {
		t.Fatal(err)
	}
	out := &ministryCopy{Event: ev, Workshops: ws}
	ctx := fabrique.WithUser(context.Background(), fabrique.System)
	e, err := st.Events().Get(ctx, ev)
	if err != nil {
		t.Fatal(err)
	}
	p := &fabrique.Person{Name: "Camille Participante", Email: "camille@exemple.fr", Category: fabrique.CategoryCitizen,
		Kind: fabrique.PersonParticipant, OwnerOrganisationID: &e.HostOrganisationID}
	if err := st.People().Create(ctx, p); err != nil {
		t.Fatal(err)
	}
	r := &fabrique.Registration{EventID: ev, WorkshopID: &out.Workshops[2], PersonID: p.ID, Status: fabrique.RegRegistered, Consent: true}
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
