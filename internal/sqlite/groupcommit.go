package sqlite

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"

	"github.com/mattn/go-sqlite3"

	"fabrique/internal/fabrique"
)

// maxGroup bounds the registrations committed together.
const maxGroup = 256

// groupCommit runs the changes waiting at one moment in one write
// transaction (issue 14): one commit for many. Each change runs in its own
// savepoint, so that a refused one rolls back nothing of the others, and
// each caller gets its own answer once the transaction is committed.
type groupCommit struct {
	db   *DB
	jobs chan *groupJob
	quit chan struct{}
	done chan struct{}
}

type groupJob struct {
	ctx context.Context
	fn  func(ctx context.Context, tx txer) error
	err chan error
}

var errClosing = &fabrique.Error{Code: fabrique.EUNAVAILABLE, Message: "Le service s'arrête : rien n'a été enregistré. Réessayez dans un instant."}

// group returns the group committer of the database, started on first use.
func (db *DB) group() *groupCommit {
	db.groupOnce.Do(func() {
		db.groups = &groupCommit{db: db, jobs: make(chan *groupJob, maxGroup), quit: make(chan struct{}), done: make(chan struct{})}
		go db.groups.run()
	})
	return db.groups
}

// stopGroup stops the group committer, if started, after the changes it
// has taken; those still waiting are refused (nothing written).
func (db *DB) stopGroup() {
	db.groupOnce.Do(func() {}) // never start one after this
	if g := db.groups; g != nil {
		db.groupStop.Do(func() { close(g.quit) })
		<-g.done
	}
}

// inGroupTx runs fn inside the next group commit and returns its result
// once the transaction is committed (or what made the whole group fail).
// fn must use the context it is given: it carries the values of ctx but
// no cancellation, since interrupting one statement would roll back the
// whole group. A ctx done before fn starts skips fn (nothing written).
func (db *DB) inGroupTx(ctx context.Context, fn func(ctx context.Context, tx txer) error) error {
	g := db.group()
	if g == nil {
		return errClosing
	}
	j := &groupJob{ctx: ctx, fn: fn, err: make(chan error, 1)}
	select {
	case g.jobs <- j:
	case <-g.quit:
		return errClosing
	case <-ctx.Done():
		return ctx.Err()
	}
	return <-j.err
}

func (g *groupCommit) run() {
	defer close(g.done)
	for {
		var first *groupJob
		select {
		case first = <-g.jobs:
		case <-g.quit:
			for {
				select {
				case j := <-g.jobs:
					j.err <- errClosing
				default:
					return
				}
			}
		}
		batch := []*groupJob{first}
	more:
		for len(batch) < maxGroup {
			select {
			case j := <-g.jobs:
				batch = append(batch, j)
			default:
				break more
			}
		}
		g.commit(batch)
	}
}

// commit runs a batch in one transaction, each job in its savepoint.
func (g *groupCommit) commit(batch []*groupJob) {
	errs := make([]error, len(batch))
	cache := &groupCache{events: map[int64]*eventInfo{}, workshops: map[int64]*fabrique.MessageWorkshop{},
		seats: map[int64][]fabrique.WorkshopSeats{}}
	err := g.db.inConnTx(func(ctx context.Context, conn *sql.Conn) error {
		for i, j := range batch {
			if errs[i] = j.ctx.Err(); errs[i] != nil {
				continue
			}
			if _, err := conn.ExecContext(ctx, `SAVEPOINT registration`); err != nil {
				return err
			}
			if errs[i] = runJob(j, conn, cache); errs[i] != nil {
				if _, err := conn.ExecContext(ctx, `ROLLBACK TO registration`); err != nil {
					// The job's failure (a full disk…) ended the
					// transaction: it is what the whole group failed on.
					return errs[i]
				}
			}
			if _, err := conn.ExecContext(ctx, `RELEASE registration`); err != nil {
				return err
			}
		}
		return nil
	})
	for i, j := range batch {
		if err != nil {
			// Nothing of the group was committed.
			errs[i] = err
		}
		j.err <- translate(errs[i])
	}
}

// inConnTx runs fn in a write transaction (BEGIN IMMEDIATE) that statements
// begin and end on a connection of the writer, rather than in a *sql.Tx:
// database/sql starts a goroutine to watch the context of a *sql.Tx at each
// of its queries, which during a rush cost as much processor as the rest
// of the registrations' reads (issue 14). Committed when fn returns nil,
// rolled back otherwise; a connection that would stay in a transaction is
// closed rather than given back to the pool. fn's statements must use the
// context it is given, which is never cancelled.
func (db *DB) inConnTx(fn func(ctx context.Context, conn *sql.Conn) error) error {
	ctx := context.Background()
	conn, err := db.write.Conn(ctx)
	if err != nil {
		return translate(err)
	}
	committed := false
	defer func() {
		if !committed {
			conn.ExecContext(ctx, `ROLLBACK`)
		}
		conn.Raw(func(dc any) error {
			if c, ok := dc.(*sqlite3.SQLiteConn); ok && !c.AutoCommit() {
				return driver.ErrBadConn // closes it
			}
			return nil
		})
		conn.Close()
	}()
	if _, err := conn.ExecContext(ctx, `BEGIN IMMEDIATE`); err != nil {
		return translate(err)
	}
	if err := fn(ctx, conn); err != nil {
		return translate(err)
	}
	if _, err := conn.ExecContext(ctx, `COMMIT`); err != nil {
		return translate(err)
	}
	committed = true
	return nil
}

// runJob runs one job, turning a panic into its error.
func runJob(j *groupJob, tx txer, cache *groupCache) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("sqlite: panic in a grouped change: %v", r)
		}
	}()
	return j.fn(context.WithValue(context.WithoutCancel(j.ctx), groupCacheKey{}, cache), tx)
}

// groupCache keeps, for one group, what registrations read and never
// write: the installation's name, the events and the workshops as
// messages describe them. A savepoint rolled back cannot make it wrong.
type groupCache struct {
	instance  string
	events    map[int64]*eventInfo
	workshops map[int64]*fabrique.MessageWorkshop
	seats     map[int64][]fabrique.WorkshopSeats // an event's workshops, without their counts
}

type groupCacheKey struct{}

// groupTxQueue is newTxQueue for a change of a group: the queue reads
// through the group's cache.
func (db *DB) groupTxQueue(ctx context.Context, tx txer) (*txQueue, error) {
	c, _ := ctx.Value(groupCacheKey{}).(*groupCache)
	if c == nil {
		return db.newTxQueue(ctx, tx)
	}
	if c.instance == "" {
		q, err := db.newTxQueue(ctx, tx)
		if err != nil {
			return nil, err
		}
		c.instance, q.cache = q.instance, c
		return q, nil
	}
	q := db.bareTxQueue(ctx, tx)
	q.instance, q.cache = c.instance, c
	return q, nil
}

// publishedEvent is publishedEvent read through the group's cache.
func (q *txQueue) publishedEvent(id int64) (*eventInfo, error) {
	if q.cache == nil {
		return publishedEvent(q.ctx, q.tx, id)
	}
	if ev, ok := q.cache.events[id]; ok {
		c := *ev
		return &c, nil
	}
	ev, err := publishedEvent(q.ctx, q.tx, id)
	if err == nil {
		c := *ev
		q.cache.events[id] = &c
	}
	return ev, err
}

// seats is seats for a registration to workshop (nil: none) within a
// group: the event's workshops are read once, then only the counts of
// workshop are read (the others' counts are left at zero: do not use them).
func (q *txQueue) seats(eventID int64, workshop *int64) ([]fabrique.WorkshopSeats, error) {
	if q.cache == nil {
		return seats(q.ctx, q.tx, eventID)
	}
	list, ok := q.cache.seats[eventID]
	if !ok {
		ws, err := seats(q.ctx, q.tx, eventID)
		if err != nil {
			return nil, err
		}
		list = make([]fabrique.WorkshopSeats, len(ws))
		for i, w := range ws {
			w.Registered, w.Waiting, w.SeatsLeft = 0, 0, 0
			list[i] = w
		}
		q.cache.seats[eventID] = list
	}
	ws := append([]fabrique.WorkshopSeats(nil), list...)
	if workshop == nil {
		return ws, nil
	}
	if w := findSeat(ws, *workshop); w != nil {
		err := q.tx.QueryRowContext(q.ctx, `SELECT seated, waiting FROM workshop_seats WHERE workshop_id = ?`, w.ID).Scan(&w.Registered, &w.Waiting)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, err
		}
		w.SeatsLeft = max(0, w.Capacity-w.Registered)
	}
	return ws, nil
}

// workshop is workshopOf (without the phase) read through the group's cache.
func (q *txQueue) workshop(id int64) (*fabrique.MessageWorkshop, error) {
	if q.cache != nil {
		if w, ok := q.cache.workshops[id]; ok {
			c := *w
			return &c, nil
		}
	}
	w, _, err := workshopOf(q.ctx, q.tx, id)
	if err == nil && q.cache != nil {
		c := *w
		q.cache.workshops[id] = &c
	}
	return w, err
}
