package sqlite

import (
	"database/sql"
	"io/fs"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// Migration 0010 turns the people of a database of 0009 into contacts and
// participants, one row per host for someone registered with two.
func TestMigrationSealsParticipantsPerHost(t *testing.T) {
	db, err := sql.Open("sqlite3", "file:"+filepath.Join(t.TempDir(), "old.db")+"?_foreign_keys=on")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	names, _ := fs.Glob(migrationFS, "migrations/*.sql")
	sort.Strings(names)
	run := func(name string) {
		t.Helper()
		body, err := fs.ReadFile(migrationFS, name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(string(body)); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	var target string
	for _, name := range names {
		if strings.Contains(name, "/0010_") {
			target = name
			break
		}
		run(name)
	}
	const now = "2016-06-01T10:00:00.000000Z"
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := db.Exec(q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	exec(`INSERT INTO organisations (id, name, kind, created_at, updated_at) VALUES (1, 'Ministère A', 'ministry', ?, ?), (2, 'Ministère B', 'ministry', ?, ?)`, now, now, now, now)
	for id, host := range map[int]int{10: 1, 20: 2, 21: 2} {
		exec(`INSERT INTO events (id, kind, title, host_organisation_id, status, online_url, start_at, end_at, created_at, updated_at)
			VALUES (?, 'simple_workshop', 'Atelier', ?, 'published', 'https://exemple.fr/visio', ?, ?, ?, ?)`, id, host, now, now, now, now)
	}
	exec(`INSERT INTO people (id, name, email, organisation_id, category, created_at, updated_at) VALUES
		(1, 'Léa', 'lea@exemple.fr', NULL, 'citizen', ?, ?),
		(2, 'Fatou', 'fatou@exemple.fr', 1, 'public_agent', ?, ?),
		(3, 'Venu sans inscription', '', 2, 'public_agent', ?, ?)`, now, now, now, now, now, now)
	exec(`INSERT INTO programme_items (id, event_id, kind, title, start_at, end_at, created_at, updated_at) VALUES (1, 10, 'workshops', 'Ateliers', ?, ?, ?, ?)`, now, now, now, now)
	exec(`INSERT INTO workshops (id, event_id, item_id, number, title, capacity, created_at, updated_at) VALUES (1, 10, 1, 1, 'Atelier 1', 20, ?, ?)`, now, now)
	exec(`INSERT INTO workshop_facilitators (workshop_id, person_id, position) VALUES (1, 2, 0)`)
	exec(`INSERT INTO registrations (id, event_id, person_id, status, created_at, updated_at) VALUES
		(1, 10, 1, 'registered', ?, ?), (2, 20, 1, 'registered', ?, ?), (3, 21, 1, 'registered', ?, ?),
		(4, 20, 2, 'registered', ?, ?), (5, 21, 3, 'attended', ?, ?)`, now, now, now, now, now, now, now, now, now, now)
	run(target)

	type row struct {
		kind  string
		owner sql.NullInt64
		email string
	}
	people := map[int64]row{}
	rows, err := db.Query(`SELECT id, kind, owner_organisation_id, email FROM people`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int64
		var r row
		if err := rows.Scan(&id, &r.kind, &r.owner, &r.email); err != nil {
			t.Fatal(err)
		}
		people[id] = r
	}
	rows.Close()
	if len(people) != 4 {
		t.Fatalf("%d people after the migration, want 4 (Léa split in two): %+v", len(people), people)
	}
	if r := people[1]; r.kind != "participant" || r.owner.Int64 != 1 {
		t.Errorf("Léa (first registered with A) = %+v, want a participant of A", r)
	}
	if r := people[2]; r.kind != "contact" || r.owner.Int64 != 1 {
		t.Errorf("Fatou (a facilitator of A) = %+v, want a contact of A", r)
	}
	if r := people[3]; r.kind != "participant" || r.owner.Int64 != 2 {
		t.Errorf("the walk-in of B = %+v, want a participant of B", r)
	}
	if r := people[4]; r.kind != "participant" || r.owner.Int64 != 2 || r.email != "lea@exemple.fr" {
		t.Errorf("Léa's copy = %+v, want a participant of B with her address", r)
	}
	var moved string
	if err := db.QueryRow(`SELECT group_concat(person_id, ',') FROM (SELECT person_id FROM registrations ORDER BY id)`).Scan(&moved); err != nil {
		t.Fatal(err)
	}
	if moved != "1,4,4,2,3" {
		t.Errorf("registrations' people = %s, want 1,4,4,2,3 (Léa's registrations with B on her copy)", moved)
	}
	var plan string
	if err := db.QueryRow(`EXPLAIN QUERY PLAN SELECT id FROM people WHERE kind = 'participant' AND owner_organisation_id = ? AND lower(email) = lower(?)`, 1, "LEA@exemple.fr").Scan(new(int), new(int), new(int), &plan); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(plan, "people_participant_email") {
		t.Errorf("the known-email lookup is not an indexed equality: %s", plan)
	}
}
