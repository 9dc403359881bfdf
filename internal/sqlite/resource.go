package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"fabrique/internal/fabrique"
)

// queryer is what read helpers need: a transaction of either pool.
type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// txer is what the statements of a change run on: a *sql.Tx, or the
// connection of a group commit inside its transaction (groupcommit.go).
type txer interface {
	queryer
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// filterKind says how a list filter's value is parsed.
type filterKind int

const (
	filterText  filterKind = iota // exact match
	filterID                      // positive integer
	filterBool                    // true / false
	filterLike                    // substring, case-insensitive
	filterAfter                   // instant: column >= value
	filterUpTo                    // instant: column < value
	filterSQL                     // integer used in a custom condition
)

// filter maps a query parameter to a condition on the table (aliased t).
type filter struct {
	column string
	kind   filterKind
	where  string // for filterSQL: a condition with one ? placeholder
	// private filters match only the rows the user may read whole (the
	// resource's readable), so that a value hidden from the user (an
	// email) cannot be found by filtering on it.
	private bool
}

// parentRef is a reference from an entity to another table, checked before
// writing so that the error names the field.
type parentRef struct {
	field string
	table string
	label string // French, with its article: « le lieu »
	id    *int64
}

// childRef is a table referring to an entity, blocking its deletion.
type childRef struct {
	table  string
	column string
	label  string // French singular and plural: « salle|salles »
}

// joinList stores a list of ids of an entity in a join table, in order.
type joinList[T any] struct {
	table    string // e.g. workshop_facilitators
	owner    string // e.g. workshop_id
	other    string // e.g. person_id
	refTable string // e.g. people
	field    string // e.g. facilitator_ids
	label    string // French singular: « la personne »
	ids      func(*T) *[]int64
}

// resource describes how one entity is stored. The generic methods below
// implement fabrique.Repository for it.
type resource[T any] struct {
	db       *DB
	table    string
	label    string   // French, with its article: « l'événement »
	cols     []string // stored columns, without id, created_at, updated_at
	values   func(*T) []any
	scan     func(*T) []any // pointers for the columns, in the order of cols
	meta     func(*T) (id *int64, created, updated *time.Time)
	order    string
	filters  map[string]filter
	parents  func(*T) []parentRef
	children []childRef
	joins    []joinList[T]
	// visible returns a condition on t restricting what the user may read,
	// or "" for everything. It may return an error to refuse outright.
	visible func(u *fabrique.User) (string, []any, error)
	// readable returns the condition on t of the rows the user may read
	// whole, for private filters; nil when every visible row is.
	readable func(u *fabrique.User) (string, []any)
	// present hides, in what a list or a read answers, the fields the
	// user may not read (the email of another organisation's contact).
	present func(u *fabrique.User, v *T)
	// canWrite checks the user's right to write v (old is nil on create,
	// v is nil on delete).
	canWrite func(ctx context.Context, tx *sql.Tx, u *fabrique.User, old, v *T) error
	// check runs rules that need the database (same event, ...).
	check func(ctx context.Context, tx *sql.Tx, v *T) error
	// beforeUpdate runs after the checks, before an update is written
	// (refusing to publish an event with conflicts).
	beforeUpdate func(ctx context.Context, tx *sql.Tx, old, v *T) error
	// afterUpdate runs in the same transaction after an update is written
	// (queueing the messages a changed time or room causes).
	afterUpdate func(ctx context.Context, tx *sql.Tx, old, v *T) error
	// afterCreate runs in the same transaction after a create is written.
	afterCreate func(ctx context.Context, tx *sql.Tx, v *T) error
	// beforeDelete runs after the checks, before a delete is written.
	beforeDelete func(ctx context.Context, tx *sql.Tx, old *T) error
}

func (r *resource[T]) selectSQL() string {
	return "SELECT t.id, t." + strings.Join(r.cols, ", t.") + ", t.created_at, t.updated_at FROM " + r.table + " t"
}

func (r *resource[T]) dest(v *T) []any {
	id, c, u := r.meta(v)
	d := []any{id}
	d = append(d, r.scan(v)...)
	return append(d, instant{c}, instant{u})
}

// Filters lists the accepted filter names.
func (r *resource[T]) Filters() []string {
	names := make([]string, 0, len(r.filters))
	for k := range r.filters {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

// List returns a page of the visible entities matching the filters.
func (r *resource[T]) List(ctx context.Context, opt fabrique.ListOptions) (*fabrique.Page[T], error) {
	where, args, err := r.conditions(ctx, opt.Filters)
	if err != nil {
		return nil, err
	}
	if opt.Limit <= 0 || opt.Limit > fabrique.MaxPageSize {
		opt.Limit = 50
	}
	if opt.Offset < 0 {
		opt.Offset = 0
	}
	page := &fabrique.Page[T]{Limit: opt.Limit, Offset: opt.Offset, Items: []*T{}}
	err = r.db.inReadTx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+r.table+" t"+where, args...).Scan(&page.Total); err != nil {
			return err
		}
		items, err := r.query(ctx, tx, where+" ORDER BY "+r.order+" LIMIT ? OFFSET ?", append(args, opt.Limit, opt.Offset)...)
		page.Items = items
		return err
	})
	r.presentAll(ctx, page.Items...)
	return page, err
}

// conditions builds the WHERE clause from the filters and the visibility.
func (r *resource[T]) conditions(ctx context.Context, filters map[string]string) (string, []any, error) {
	var conds []string
	var args []any
	var p fabrique.Problems
	names := make([]string, 0, len(filters))
	for k := range filters {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, name := range names {
		value := filters[name]
		f, ok := r.filters[name]
		if !ok {
			p.Add(name, "filtre inconnu : filtres possibles %s", strings.Join(r.Filters(), ", "))
			continue
		}
		if f.private && r.readable != nil {
			if cond, rargs := r.readable(fabrique.UserFrom(ctx)); cond != "" {
				conds, args = append(conds, "("+cond+")"), append(args, rargs...)
			}
		}
		switch f.kind {
		case filterText:
			conds, args = append(conds, "t."+f.column+" = ?"), append(args, value)
		case filterLike:
			conds, args = append(conds, "t."+f.column+" LIKE ? ESCAPE '\\'"), append(args, "%"+likeEscape(value)+"%")
		case filterID, filterSQL:
			id, err := strconv.ParseInt(value, 10, 64)
			if err != nil || id <= 0 {
				p.Add(name, "identifiant invalide « %s »", value)
				continue
			}
			if f.kind == filterSQL {
				conds, args = append(conds, f.where), append(args, id)
			} else {
				conds, args = append(conds, "t."+f.column+" = ?"), append(args, id)
			}
		case filterBool:
			b, err := strconv.ParseBool(value)
			if err != nil {
				p.Add(name, "valeur attendue : true ou false")
				continue
			}
			conds, args = append(conds, "t."+f.column+" = ?"), append(args, b)
		case filterAfter, filterUpTo:
			t, err := parseInstant(value)
			if err != nil {
				p.Add(name, "date invalide « %s » : format attendu 2016-06-21 ou 2016-06-21T18:00:00+02:00", value)
				continue
			}
			op := " >= ?"
			if f.kind == filterUpTo {
				op = " < ?"
			}
			conds, args = append(conds, "t."+f.column+op), append(args, ts(t))
		}
	}
	if err := p.Err(); err != nil {
		return "", nil, err
	}
	if r.visible != nil {
		cond, vargs, err := r.visible(fabrique.UserFrom(ctx))
		if err != nil {
			return "", nil, err
		}
		if cond != "" {
			conds, args = append(conds, "("+cond+")"), append(args, vargs...)
		}
	}
	if len(conds) == 0 {
		return "", nil, nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args, nil
}

// parseInstant reads a filter date: a civil day (midnight in Paris) or RFC 3339.
func parseInstant(s string) (time.Time, error) {
	if t, err := time.ParseInLocation("2006-01-02", s, fabrique.Paris); err == nil {
		return t, nil
	}
	return time.Parse(time.RFC3339, s)
}

func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// query reads the entities matching a clause, with their joined lists.
func (r *resource[T]) query(ctx context.Context, q queryer, clause string, args ...any) ([]*T, error) {
	rows, err := q.QueryContext(ctx, r.selectSQL()+clause, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	items := []*T{}
	for rows.Next() {
		v := new(T)
		if err := rows.Scan(r.dest(v)...); err != nil {
			return nil, err
		}
		items = append(items, v)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return items, r.loadJoins(ctx, q, items)
}

// loadJoins fills the id lists of the items from their join tables.
func (r *resource[T]) loadJoins(ctx context.Context, q queryer, items []*T) error {
	if len(items) == 0 {
		return nil
	}
	byID := make(map[int64]*T, len(items))
	ids := make([]any, 0, len(items))
	for _, v := range items {
		id, _, _ := r.meta(v)
		byID[*id] = v
		ids = append(ids, *id)
	}
	for _, j := range r.joins {
		for _, v := range items {
			*j.ids(v) = []int64{}
		}
		for start := 0; start < len(ids); start += 500 {
			chunk := ids[start:min(start+500, len(ids))]
			rows, err := q.QueryContext(ctx, "SELECT "+j.owner+", "+j.other+" FROM "+j.table+" WHERE "+j.owner+" IN ("+placeholders(len(chunk))+") ORDER BY "+j.owner+", position", chunk...)
			if err != nil {
				return err
			}
			for rows.Next() {
				var owner, other int64
				if err := rows.Scan(&owner, &other); err != nil {
					rows.Close()
					return err
				}
				list := j.ids(byID[owner])
				*list = append(*list, other)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
		}
	}
	return nil
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?,", n), ",")
}

// Get returns one visible entity.
func (r *resource[T]) Get(ctx context.Context, id int64) (*T, error) {
	where, args, err := r.conditions(ctx, nil)
	if err != nil {
		return nil, err
	}
	var v *T
	err = r.db.inReadTx(ctx, func(tx *sql.Tx) error {
		v, err = r.get(ctx, tx, id, where, args)
		return err
	})
	if err == nil {
		r.presentAll(ctx, v)
	}
	return v, err
}

// presentAll hides what the user may not read in items read for them.
func (r *resource[T]) presentAll(ctx context.Context, items ...*T) {
	if r.present == nil {
		return
	}
	u := fabrique.UserFrom(ctx)
	for _, v := range items {
		r.present(u, v)
	}
}

func (r *resource[T]) get(ctx context.Context, q queryer, id int64, where string, args []any) (*T, error) {
	if where == "" {
		where = " WHERE t.id = ?"
	} else {
		where += " AND t.id = ?"
	}
	items, err := r.query(ctx, q, where, append(args, id)...)
	if err != nil {
		return nil, err
	}
	if len(items) == 0 {
		return nil, fabrique.Errorf(fabrique.ENOTFOUND, "%s n° %d n'existe pas.", capitalise(r.label), id)
	}
	return items[0], nil
}

// Create validates, checks rights and references, and inserts v.
func (r *resource[T]) Create(ctx context.Context, v *T) error {
	if err := validate(v); err != nil {
		return err
	}
	return r.db.inTx(ctx, func(tx *sql.Tx) error { return r.createTx(ctx, tx, v) })
}

// createTx inserts v inside a write transaction, after the checks.
func (r *resource[T]) createTx(ctx context.Context, tx *sql.Tx, v *T) error {
	id, created, updated := r.meta(v)
	*id = 0
	if err := validate(v); err != nil {
		return err
	}
	if err := r.canWrite(ctx, tx, fabrique.UserFrom(ctx), nil, v); err != nil {
		return err
	}
	if err := r.checkAll(ctx, tx, v); err != nil {
		return err
	}
	now := r.db.now()
	*created, *updated = now.In(fabrique.Paris), now.In(fabrique.Paris)
	q := "INSERT INTO " + r.table + " (" + strings.Join(r.cols, ", ") + ", created_at, updated_at) VALUES (" + placeholders(len(r.cols)+2) + ")"
	res, err := tx.ExecContext(ctx, q, append(r.values(v), ts(now), ts(now))...)
	if err != nil {
		return err
	}
	if *id, err = res.LastInsertId(); err != nil {
		return err
	}
	if err := r.saveJoins(ctx, tx, v); err != nil {
		return err
	}
	if r.afterCreate != nil {
		return r.afterCreate(ctx, tx, v)
	}
	return nil
}

// Update validates, checks rights and references, and replaces v.
func (r *resource[T]) Update(ctx context.Context, v *T) error {
	if err := validate(v); err != nil {
		return err
	}
	return r.db.inTx(ctx, func(tx *sql.Tx) error {
		_, err := r.updateTx(ctx, tx, v)
		return err
	})
}

// updateTx replaces v inside a write transaction and returns what it replaced.
func (r *resource[T]) updateTx(ctx context.Context, tx *sql.Tx, v *T) (*T, error) {
	id, created, updated := r.meta(v)
	if err := validate(v); err != nil {
		return nil, err
	}
	old, err := r.visibleForWrite(ctx, tx, *id)
	if err != nil {
		return nil, err
	}
	if err := r.canWrite(ctx, tx, fabrique.UserFrom(ctx), old, v); err != nil {
		return nil, err
	}
	if err := r.checkAll(ctx, tx, v); err != nil {
		return nil, err
	}
	if r.beforeUpdate != nil {
		if err := r.beforeUpdate(ctx, tx, old, v); err != nil {
			return nil, err
		}
	}
	_, oldCreated, _ := r.meta(old)
	now := r.db.now()
	*created, *updated = *oldCreated, now.In(fabrique.Paris)
	q := "UPDATE " + r.table + " SET " + strings.Join(r.cols, " = ?, ") + " = ?, updated_at = ? WHERE id = ?"
	if _, err := tx.ExecContext(ctx, q, append(r.values(v), ts(now), *id)...); err != nil {
		return nil, err
	}
	if err := r.saveJoins(ctx, tx, v); err != nil {
		return nil, err
	}
	if r.afterUpdate != nil {
		return old, r.afterUpdate(ctx, tx, old, v)
	}
	return old, nil
}

// Delete removes an entity nothing else refers to.
func (r *resource[T]) Delete(ctx context.Context, id int64) error {
	return r.db.inTx(ctx, func(tx *sql.Tx) error {
		old, err := r.visibleForWrite(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := r.canWrite(ctx, tx, fabrique.UserFrom(ctx), old, nil); err != nil {
			return err
		}
		var uses []string
		total := 0
		for _, c := range r.children {
			var n int
			if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+c.table+" WHERE "+c.column+" = ?", id).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				one, many, _ := strings.Cut(c.label, "|")
				uses = append(uses, fabrique.Count(n, one, many))
				total += n
			}
		}
		if len(uses) > 0 {
			verb := "fait"
			if total > 1 {
				verb = "font"
			}
			return fabrique.Errorf(fabrique.ECONFLICT, "Impossible de supprimer %s n° %d : %s y %s encore référence. Supprimez ou rattachez ailleurs d'abord ce qui en dépend ; rien n'a été supprimé.", r.label, id, joinFrench(uses), verb)
		}
		if r.beforeDelete != nil {
			if err := r.beforeDelete(ctx, tx, old); err != nil {
				return err
			}
		}
		_, err = tx.ExecContext(ctx, "DELETE FROM "+r.table+" WHERE id = ?", id)
		return err
	})
}

// visibleForWrite reads the stored entity inside a write transaction; an
// entity the user may not see is reported as not found.
func (r *resource[T]) visibleForWrite(ctx context.Context, tx *sql.Tx, id int64) (*T, error) {
	if fabrique.UserFrom(ctx) == nil {
		return nil, errAnonymous
	}
	where, args, err := r.conditions(ctx, nil)
	if err != nil {
		return nil, err
	}
	return r.get(ctx, tx, id, where, args)
}

// checkAll checks that every reference exists, then the entity's own rules.
func (r *resource[T]) checkAll(ctx context.Context, tx *sql.Tx, v *T) error {
	var p fabrique.Problems
	if r.parents != nil {
		for _, ref := range r.parents(v) {
			if ref.id == nil {
				continue
			}
			if ok, err := exists(ctx, tx, ref.table, *ref.id); err != nil {
				return err
			} else if !ok {
				p.Add(ref.field, "%s n° %d n'existe pas", ref.label, *ref.id)
			}
		}
	}
	for _, j := range r.joins {
		for _, other := range *j.ids(v) {
			if ok, err := exists(ctx, tx, j.refTable, other); err != nil {
				return err
			} else if !ok {
				p.Add(j.field, "%s n° %d n'existe pas", j.label, other)
			}
		}
	}
	if err := p.Err(); err != nil {
		return err
	}
	if r.check != nil {
		return r.check(ctx, tx, v)
	}
	return nil
}

func exists(ctx context.Context, q queryer, table string, id int64) (bool, error) {
	var n int
	err := q.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+table+" WHERE id = ?", id).Scan(&n)
	return n > 0, err
}

// readIDs reads a column of integers.
func readIDs(ctx context.Context, q queryer, query string, args ...any) ([]int64, error) {
	return scanAll(ctx, q, func(rows *sql.Rows, id *int64) error { return rows.Scan(id) }, query, args...)
}

// scanAll reads every row of query, each into a value filled by scan; the
// rows are closed when it returns, so that the transaction may go on.
func scanAll[T any](ctx context.Context, q queryer, scan func(rows *sql.Rows, v *T) error, query string, args ...any) ([]T, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		var v T
		if err := scan(rows, &v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// saveJoins replaces the join-table rows of v.
func (r *resource[T]) saveJoins(ctx context.Context, tx *sql.Tx, v *T) error {
	id, _, _ := r.meta(v)
	for _, j := range r.joins {
		if _, err := tx.ExecContext(ctx, "DELETE FROM "+j.table+" WHERE "+j.owner+" = ?", *id); err != nil {
			return err
		}
		list := j.ids(v)
		if *list == nil {
			*list = []int64{}
		}
		for pos, other := range *list {
			if _, err := tx.ExecContext(ctx, "INSERT INTO "+j.table+" ("+j.owner+", "+j.other+", position) VALUES (?, ?, ?)", *id, other, pos); err != nil {
				return err
			}
		}
	}
	return nil
}

func validate(v any) error {
	if x, ok := v.(interface{ Validate() error }); ok {
		return x.Validate()
	}
	return nil
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	return strings.ToUpper(string(r[0])) + string(r[1:])
}

// jsonList stores a list as a JSON array.
func jsonList[E any](v []E) string {
	if v == nil {
		return "[]"
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// jsonScan scans a JSON array column.
type jsonScan[E any] struct{ v *[]E }

// Scan implements sql.Scanner.
func (j jsonScan[E]) Scan(src any) error {
	var b []byte
	switch s := src.(type) {
	case string:
		b = []byte(s)
	case []byte:
		b = s
	case nil:
		*j.v = []E{}
		return nil
	default:
		return fmt.Errorf("sqlite: cannot scan %T into a list", src)
	}
	*j.v = []E{}
	return json.Unmarshal(b, j.v)
}

// joinFrench joins items as French does: « a, b et c ».
func joinFrench(items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " et " + items[len(items)-1]
}
