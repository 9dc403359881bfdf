package sqlite_test

import (
	"testing"

	"fabrique/internal/demo/demotest"
	"fabrique/internal/sqlite"
)

// copyMinistry copies the demo's Ministère ouvert #1, whose minutes are
// published, into a draft twin (see demotest.CopyMinistry). It returns the
// event and its workshops in the order of Ministère ouvert #1's.
func copyMinistry(t *testing.T, st *sqlite.Store) (int64, []int64) {
	t.Helper()
	ev, ws, err := demotest.CopyMinistry(st)
	if err != nil {
		t.Fatal(err)
	}
	return ev, ws
}
