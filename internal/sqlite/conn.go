package sqlite

/*
typedef struct sqlite3 sqlite3;
int sqlite3_db_config(sqlite3*, int op, ...);

enum { FABRIQUE_DBCONFIG_ENABLE_QPSG = 1007 }; // SQLITE_DBCONFIG_ENABLE_QPSG of sqlite3.h

// fabrique_qpsg sets the query planner stability guarantee of a connection
// (on: 1 sets it, 0 clears it, -1 leaves it) and returns its state, or -1.
static int fabrique_qpsg(void *db, int on) {
	int state = -1;
	if (sqlite3_db_config((sqlite3*)db, FABRIQUE_DBCONFIG_ENABLE_QPSG, on, &state) != 0) {
		return -1;
	}
	return state;
}
*/
import "C"

import (
	"database/sql"
	"reflect"
	"unsafe"

	"github.com/mattn/go-sqlite3"
)

// driverName is go-sqlite3 with the settings every connection of fabrique
// needs (issue 14), applied when the connection opens:
//
//   - temp_store = MEMORY: the savepoint of each registration of a group
//     commit (groupcommit.go) journals the pages it changes; in a file,
//     that is one write(2) per page, about sixty per registration.
//   - the query planner stability guarantee (SQLITE_DBCONFIG_ENABLE_QPSG):
//     without it SQLite 3.54 marks a statement to be prepared again when a
//     parameter it looked at while planning is bound anew, and go-sqlite3
//     clears the bindings after each use, so every statement with a join
//     or an unindexed `column = ?` was compiled again at each execution
//     (a join on two primary keys: 14 µs instead of 3). Plans no longer
//     depend on the values bound, which is what EXPLAIN QUERY PLAN checks.
const driverName = "sqlite3_fabrique"

func init() {
	sql.Register(driverName, &sqlite3.SQLiteDriver{ConnectHook: func(c *sqlite3.SQLiteConn) error {
		if _, err := c.Exec(`PRAGMA temp_store = MEMORY`, nil); err != nil {
			return err
		}
		if h := connHandle(c); h != nil {
			C.fabrique_qpsg(h, 1)
		}
		return nil
	}})
}

// connHandle is the sqlite3* of a connection, which go-sqlite3 keeps in
// its unexported field db; nil if a version of the driver names it
// otherwise (TestConnectionsKeepTheirPlans then fails).
func connHandle(c *sqlite3.SQLiteConn) unsafe.Pointer {
	f := reflect.ValueOf(c).Elem().FieldByName("db")
	if !f.IsValid() || f.Kind() != reflect.Pointer || f.IsNil() {
		return nil
	}
	return f.UnsafePointer()
}

// plannerStable reports whether a connection has the query planner
// stability guarantee.
func plannerStable(c *sqlite3.SQLiteConn) bool {
	h := connHandle(c)
	return h != nil && C.fabrique_qpsg(h, -1) == 1
}
