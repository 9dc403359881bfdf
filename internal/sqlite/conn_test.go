package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/mattn/go-sqlite3"
)

// Every connection, the writer's and the readers', keeps its plans whatever
// the values bound (else go-sqlite3 compiles the statements with a join
// again at each execution) and journals the savepoints of a group commit
// in memory (issue 14).
func TestConnectionsKeepTheirPlans(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "fabrique.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for name, pool := range map[string]*sql.DB{"writer": db.write, "reader": db.read} {
		conn, err := pool.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var stable bool
		err = conn.Raw(func(dc any) error {
			c, ok := dc.(*sqlite3.SQLiteConn)
			if !ok {
				return fmt.Errorf("the driver's connection is a %T", dc)
			}
			stable = plannerStable(c)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if !stable {
			t.Errorf("%s: the query planner stability guarantee is off (has go-sqlite3 renamed its field db?)", name)
		}
		var store int
		if err := conn.QueryRowContext(ctx, `PRAGMA temp_store`).Scan(&store); err != nil {
			t.Fatal(err)
		}
		if store != 2 {
			t.Errorf("%s: temp_store is %d, want 2 (memory)", name, store)
		}
		conn.Close()
	}
}
