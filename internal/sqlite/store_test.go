package sqlite_test

import (
	"context"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"fabrique/internal/demo"
	"fabrique/internal/fabrique"
	"fabrique/internal/sqlite"
)

// openStore opens a new database whose passwords are hashed at bcrypt's
// lowest cost: the demo's accounts are then created in microseconds.
func openStore(t *testing.T) (*sqlite.Store, context.Context) {
	t.Helper()
	ctx := fabrique.WithUser(context.Background(), fabrique.System)
	db, err := sqlite.OpenWith(ctx, filepath.Join(t.TempDir(), "fabrique.db"), sqlite.Options{PasswordCost: bcrypt.MinCost})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return sqlite.NewStore(db), ctx
}

func mustCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := fabrique.ErrorCode(err); got != code {
		t.Fatalf("error code = %q, want %q (error: %v)", got, code, err)
	}
}

func TestOpenSetsWALAndForeignKeys(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f.db")
	db, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	mode, fk, err := db.Pragmas(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if mode != "wal" || fk != 1 {
		t.Errorf("journal_mode=%s foreign_keys=%d, want wal and 1", mode, fk)
	}
	db.Close()
	// Opening again applies no migration twice and keeps the data.
	db, err = sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	db.Close()
}

func TestDataSurviveARestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f.db")
	ctx := fabrique.WithUser(context.Background(), fabrique.System)
	db, _ := sqlite.Open(ctx, path)
	org := &fabrique.Organisation{Name: "Etalab", Kind: fabrique.OrgAdministration}
	if err := sqlite.NewStore(db).Organisations().Create(ctx, org); err != nil {
		t.Fatal(err)
	}
	db.Close()
	db, _ = sqlite.Open(ctx, path)
	defer db.Close()
	got, err := sqlite.NewStore(db).Organisations().Get(ctx, org.ID)
	if err != nil || got.Name != "Etalab" {
		t.Fatalf("after restart: %+v, %v", got, err)
	}
}

func TestDemoIsFaithfulAndLoadsOnce(t *testing.T) {
	st, ctx := openStore(t)
	if res, err := demo.Load(ctx, st); err != nil || !res.Loaded {
		t.Fatalf("first load: %+v %v", res, err)
	}
	if res, err := demo.Load(ctx, st); err != nil || res.Loaded {
		t.Fatalf("second load should do nothing: %+v %v", res, err)
	}
	events, err := st.Events().List(ctx, fabrique.ListOptions{Filters: map[string]string{"kind": "open_ministry"}})
	if err != nil || events.Total != 1 {
		t.Fatalf("Ministère ouvert events: %+v %v", events, err)
	}
	mo := events.Items[0]
	if mo.Title != "Ministère ouvert #1" || fabrique.FrenchSpan(mo.Start, mo.End) != "mardi 21 juin 2016 de 17 h 30 à 20 h 15" {
		t.Errorf("event = %q on %s", mo.Title, fabrique.FrenchSpan(mo.Start, mo.End))
	}
	ws, err := st.Workshops().List(ctx, fabrique.ListOptions{Filters: map[string]string{"event_id": itoa(mo.ID)}})
	if err != nil || ws.Total != 5 {
		t.Fatalf("workshops: %d %v", ws.Total, err)
	}
	for i, w := range ws.Items {
		seed := demo.OpenMinistryWorkshops[i]
		room, _ := st.Rooms().Get(ctx, *w.RoomID)
		var names, numbers []string
		for _, id := range w.FacilitatorIDs {
			p, _ := st.People().Get(ctx, id)
			names = append(names, p.Name)
		}
		for _, id := range w.CommitmentIDs {
			c, _ := st.Commitments().Get(ctx, id)
			numbers = append(numbers, c.Number)
		}
		if w.Title != seed.Title || room.Name != seed.Room || strings.Join(names, ",") != strings.Join(seed.Facilitators, ",") || strings.Join(numbers, ",") != strings.Join(seed.Commitments, ",") {
			t.Errorf("atelier %d = %q in %q by %v on %v", i+1, w.Title, room.Name, names, numbers)
		}
	}
	forums, _ := st.Events().List(ctx, fabrique.ListOptions{Filters: map[string]string{"kind": "open_state_forum"}})
	phases, _ := st.Phases().List(ctx, fabrique.ListOptions{Filters: map[string]string{"event_id": itoa(forums.Items[0].ID)}})
	var kinds []string
	for _, p := range phases.Items {
		kinds = append(kinds, string(p.Kind))
	}
	if strings.Join(kinds, ",") != "investigation,launch,forum,deepening" {
		t.Errorf("forum phases = %v", kinds)
	}
}

func itoa(id int64) string { return strconv.FormatInt(id, 10) }

func TestWritesCheckReferencesAndNameTheField(t *testing.T) {
	st, ctx := openStore(t)
	err := st.Rooms().Create(ctx, &fabrique.Room{VenueID: 99, Name: "Salle B", Capacity: 20})
	mustCode(t, err, fabrique.EINVALID)
	if f := fabrique.ErrorFields(err); len(f) != 1 || f[0].Field != "venue_id" || f[0].Message != "le lieu n° 99 n'existe pas" {
		t.Errorf("fields = %+v", f)
	}
	var n int
	if err := st.DB().Count(ctx, "rooms", &n); err != nil || n != 0 {
		t.Errorf("rooms written: %d (%v)", n, err)
	}
}

func TestDeleteThatWouldOrphanIsRefused(t *testing.T) {
	st, ctx := openStore(t)
	org := &fabrique.Organisation{Name: "Ville de Lille", Kind: fabrique.OrgLocalAuthority}
	st.Organisations().Create(ctx, org)
	venue := &fabrique.Venue{Name: "Hôtel de ville", Address: "Place Augustin Laurent, Lille", HostOrganisationID: &org.ID}
	if err := st.Venues().Create(ctx, venue); err != nil {
		t.Fatal(err)
	}
	st.Rooms().Create(ctx, &fabrique.Room{VenueID: venue.ID, Name: "Salle du conseil", Capacity: 80})
	err := st.Venues().Delete(ctx, venue.ID)
	mustCode(t, err, fabrique.ECONFLICT)
	if !strings.Contains(fabrique.ErrorMessage(err), "1 salle y fait encore référence") {
		t.Errorf("message = %q", fabrique.ErrorMessage(err))
	}
	if _, err := st.Venues().Get(ctx, venue.ID); err != nil {
		t.Errorf("venue lost: %v", err)
	}
}

func TestUpdateKeepsCreationAndReplacesLists(t *testing.T) {
	st, ctx := openStore(t)
	demo.Load(ctx, st)
	w, _ := st.Workshops().Get(ctx, 3)
	created := w.CreatedAt
	w.FacilitatorIDs = []int64{w.FacilitatorIDs[0], 1}
	w.Title = "Ouverture des données, des codes sources et des algorithmes"
	if err := st.Workshops().Update(ctx, w); err != nil {
		t.Fatal(err)
	}
	got, _ := st.Workshops().Get(ctx, 3)
	if got.Title != w.Title || len(got.FacilitatorIDs) != 2 || got.FacilitatorIDs[1] != 1 || !got.CreatedAt.Equal(created) {
		t.Errorf("after update: %+v", got)
	}
}

func TestVisibilityByRole(t *testing.T) {
	st, ctx := openStore(t)
	demo.Load(ctx, st)
	draft := &fabrique.Event{Kind: fabrique.EventWorkshop, Title: "Atelier interne", HostOrganisationID: 1, Status: fabrique.EventDraft,
		OnlineURL: "https://webinaire.numerique.gouv.fr/x", Start: time.Date(2027, 3, 2, 10, 0, 0, 0, fabrique.Paris), End: time.Date(2027, 3, 2, 12, 0, 0, 0, fabrique.Paris)}
	if err := st.Events().Create(ctx, draft); err != nil {
		t.Fatal(err)
	}
	anon := context.Background()
	if _, err := st.Events().Get(anon, draft.ID); fabrique.ErrorCode(err) != fabrique.ENOTFOUND {
		t.Errorf("anonymous sees a draft: %v", err)
	}
	org1 := fabrique.WithUser(anon, &fabrique.User{ID: 7, Role: fabrique.RoleOrganiser, OrganisationID: ptr(1)})
	if _, err := st.Events().Get(org1, draft.ID); err != nil {
		t.Errorf("the host's organiser cannot see its draft: %v", err)
	}
	org2 := fabrique.WithUser(anon, &fabrique.User{ID: 8, Role: fabrique.RoleOrganiser, OrganisationID: ptr(2)})
	if _, err := st.Events().Get(org2, draft.ID); fabrique.ErrorCode(err) != fabrique.ENOTFOUND {
		t.Errorf("another organiser sees the draft: %v", err)
	}
	_, err := st.People().List(anon, fabrique.ListOptions{})
	mustCode(t, err, fabrique.EUNAUTHORIZED)
	draft.Title = "Atelier détourné"
	mustCode(t, st.Events().Update(org2, draft), fabrique.ENOTFOUND)
	pub, _ := st.Events().Get(anon, 1)
	pub.Title = "Ministère détourné"
	mustCode(t, st.Events().Update(org2, pub), fabrique.EFORBIDDEN)
}

func TestConcurrentWritersAllSucceed(t *testing.T) {
	st, ctx := openStore(t)
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for i := 0; i < 40; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			errs <- st.Organisations().Create(ctx, &fabrique.Organisation{Name: "Association " + strconv.Itoa(i+1), Kind: fabrique.OrgCivilSociety})
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("concurrent create: %v", err)
		}
	}
	page, _ := st.Organisations().List(ctx, fabrique.ListOptions{Limit: 100})
	if page.Total != 40 {
		t.Errorf("organisations = %d, want 40", page.Total)
	}
}

func ptr(v int64) *int64 { return &v }
