package sqlite_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"fabrique/internal/sqlite"
)

// TestARefusedChangeOfAGroupRollsBackNothingOfTheOthers holds a first
// change until 199 others wait, so that they are committed together; every
// odd one writes, then is refused: only its own writes are undone.
func TestARefusedChangeOfAGroupRollsBackNothingOfTheOthers(t *testing.T) {
	st, ctx := openStore(t)
	db := st.DB()
	refused := errors.New("refusé après avoir écrit")
	started, release := make(chan struct{}), make(chan struct{})
	errs := make([]error, 200)
	var wg sync.WaitGroup
	for i := range 200 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = db.InGroupTx(ctx, func(ctx context.Context, tx sqlite.Tx) error {
				if i == 0 {
					close(started)
					<-release
				}
				if _, err := tx.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES (?, 'x')`, fmt.Sprintf("group-%d", i)); err != nil {
					return err
				}
				if i%2 == 1 {
					return refused
				}
				return nil
			})
		}()
		if i == 0 {
			<-started
		}
	}
	deadline := time.Now().Add(10 * time.Second)
	for db.GroupQueued() < 199 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	queued := db.GroupQueued()
	close(release)
	wg.Wait()
	if queued != 199 {
		t.Fatalf("%d changes waited for the next group, want 199", queued)
	}
	for i, err := range errs {
		if i%2 == 1 && !errors.Is(err, refused) || i%2 == 0 && err != nil {
			t.Errorf("change %d answered %v", i, err)
		}
	}
	for i := range 200 {
		v, err := st.Meta(ctx, fmt.Sprintf("group-%d", i))
		must(t, err)
		if written := v != ""; written != (i%2 == 0) {
			t.Errorf("change %d: written %v", i, written)
		}
	}
}

// TestAChangeWhoseCallerLeftBeforeItsTurnWritesNothing: a request gone
// (its context cancelled) before its turn in the group is skipped.
func TestAChangeWhoseCallerLeftBeforeItsTurnWritesNothing(t *testing.T) {
	st, ctx := openStore(t)
	db := st.DB()
	started, release := make(chan struct{}), make(chan struct{})
	first := make(chan error, 1)
	go func() {
		first <- db.InGroupTx(ctx, func(ctx context.Context, tx sqlite.Tx) error { close(started); <-release; return nil })
	}()
	<-started
	gone, cancel := context.WithCancel(ctx)
	second := make(chan error, 1)
	go func() {
		second <- db.InGroupTx(gone, func(ctx context.Context, tx sqlite.Tx) error {
			_, err := tx.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES ('gone', 'x')`)
			return err
		})
	}()
	for db.GroupQueued() == 0 {
		time.Sleep(time.Millisecond)
	}
	cancel()
	close(release)
	must(t, <-first)
	if err := <-second; !errors.Is(err, context.Canceled) {
		t.Errorf("the change of a caller gone answered %v", err)
	}
	if v, err := st.Meta(ctx, "gone"); err != nil || v != "" {
		t.Errorf("the change of a caller gone wrote %q (%v)", v, err)
	}
}
