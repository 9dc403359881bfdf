// Package demotest helps tests that start from the demonstration data
// (package demo). Only tests import it.
//
// The demo publishes the minutes of Ministère ouvert #1 with its
// workshops' contributions (issue 17): they can no longer change. The
// tests of the minutes' life (recording, correcting, approving,
// publishing) work on a copy of it made in their own database.
package demotest

import (
	"context"
	"fmt"
	"time"

	"fabrique/internal/fabrique"
)

// CopyMinistry copies the demo's Ministère ouvert #1 (event 1) into
// « Ministère ouvert #2 (essai) » twenty weeks later: the same programme,
// workshops, facilitators (Simon Chignard on its workshop 3, Sarah Labelle
// on its workshop 5) and commitments, minutes in draft. It returns the
// event and its workshops in the order of Ministère ouvert #1's.
func CopyMinistry(st fabrique.Store) (int64, []int64, error) {
	ctx := fabrique.WithUser(context.Background(), fabrique.System)
	shift := func(v time.Time) time.Time { return v.AddDate(0, 0, 140) }
	ev, err := st.Events().Get(ctx, 1)
	if err != nil {
		return 0, nil, err
	}
	ev.ID, ev.Title, ev.Start, ev.End = 0, "Ministère ouvert #2 (essai)", shift(ev.Start), shift(ev.End)
	if err := st.Events().Create(ctx, ev); err != nil {
		return 0, nil, err
	}
	items, err := st.Items().List(ctx, fabrique.ListOptions{Limit: 100, Filters: map[string]string{"event_id": "1"}})
	if err != nil {
		return 0, nil, err
	}
	itemOf := map[int64]int64{}
	for _, it := range items.Items {
		old := it.ID
		it.ID, it.EventID, it.Start, it.End = 0, ev.ID, shift(it.Start), shift(it.End)
		if err := st.Items().Create(ctx, it); err != nil {
			return 0, nil, err
		}
		itemOf[old] = it.ID
	}
	list, err := st.Workshops().List(ctx, fabrique.ListOptions{Limit: 100, Filters: map[string]string{"event_id": "1"}})
	if err != nil {
		return 0, nil, err
	}
	var ws []int64
	for _, w := range list.Items {
		w.ID, w.EventID, w.ItemID = 0, ev.ID, itemOf[w.ItemID]
		if err := st.Workshops().Create(ctx, w); err != nil {
			return 0, nil, err
		}
		ws = append(ws, w.ID)
	}
	if len(ws) != 5 {
		return 0, nil, fmt.Errorf("%d workshops copied, want 5", len(ws))
	}
	return ev.ID, ws, nil
}
