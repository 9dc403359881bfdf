package sqlite_test

import (
	"context"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"fabrique/internal/fabrique"
	"fabrique/internal/sqlite"
)

// TestBackupUnderWriteLoadRestores takes a backup while writers create
// events of two programme items, each event in one transaction, then
// restores the copy and checks it is whole: every event has both items.
func TestBackupUnderWriteLoadRestores(t *testing.T) {
	st, ctx := openStore(t)
	org := &fabrique.Organisation{Name: "Ville de Nantes", Kind: fabrique.OrgLocalAuthority}
	st.Organisations().Create(ctx, org)
	start := time.Date(2027, 3, 2, 14, 0, 0, 0, fabrique.Paris)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var written atomic.Int64
	for w := 0; w < 3; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				plan := &fabrique.Plan{Event: fabrique.Event{Kind: fabrique.EventWorkshop, Title: "Atelier " + strconv.Itoa(w) + "-" + strconv.Itoa(i),
					HostOrganisationID: org.ID, Status: fabrique.EventDraft, OnlineURL: "https://webinaire.numerique.gouv.fr/x", Start: start, End: start.Add(2 * time.Hour)},
					Items: []fabrique.PlanItem{
						{Item: fabrique.ProgrammeItem{Kind: fabrique.ItemWelcome, Title: "Accueil", Start: start, End: start.Add(time.Hour), Online: true}},
						{Item: fabrique.ProgrammeItem{Kind: fabrique.ItemReportBack, Title: "Synthèse", Start: start.Add(time.Hour), End: start.Add(2 * time.Hour), Online: true}},
					}}
				if err := st.Scheduling().CreatePlans(ctx, []*fabrique.Plan{plan}, nil); err != nil {
					t.Error(err)
					return
				}
				written.Add(1)
			}
		}(w)
	}
	for written.Load() < 20 {
		time.Sleep(5 * time.Millisecond)
	}
	backup := filepath.Join(t.TempDir(), "copie.db")
	err := st.DB().Backup(context.Background(), backup)
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	if err := st.DB().Backup(context.Background(), backup); err == nil {
		t.Error("a backup over an existing file must be refused")
	}
	restored, err := sqlite.Open(context.Background(), backup)
	if err != nil {
		t.Fatal(err)
	}
	defer restored.Close()
	rs := sqlite.NewStore(restored)
	events, _ := rs.Events().List(ctx, fabrique.ListOptions{Limit: 1})
	items, _ := rs.Items().List(ctx, fabrique.ListOptions{Limit: 1})
	if events.Total < 20 || items.Total != 2*events.Total {
		t.Errorf("restored copy: %d events and %d items (written before the copy: at least 20)", events.Total, items.Total)
	}
}
