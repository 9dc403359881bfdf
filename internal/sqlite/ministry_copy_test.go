package sqlite_test

import (
	"context"
	"testing"
	"time"

	"fabrique/internal/fabrique"
	"fabrique/internal/sqlite"
)

// copyMinistry copies the demo's Ministère ouvert #1 (event 1), whose
// minutes are published, into « Ministère ouvert #2 (essai) » twenty weeks
// later: the same programme, workshops, facilitators (Simon Chignard on
// its workshop 3, Sarah Labelle on its workshop 5) and commitments, minutes
// in draft. It returns the event and its workshops in the order of
// Ministère ouvert #1's.
func copyMinistry(t *testing.T, st *sqlite.Store) (int64, []int64) {
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
	list, err := st.Workshops().List(ctx, fabrique.ListOptions{Limit: 100, Filters: map[string]string{"event_id": "1"}})
	if err != nil {
		t.Fatal(err)
	}
	var ws []int64
	for _, w := range list.Items {
		w.ID, w.EventID, w.ItemID = 0, ev.ID, itemOf[w.ItemID]
		if err := st.Workshops().Create(ctx, w); err != nil {
			t.Fatal(err)
		}
		ws = append(ws, w.ID)
	}
	if len(ws) != 5 {
		t.Fatalf("%d workshops copied", len(ws))
	}
	return ev.ID, ws
}
