package sqlite_test

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"
	"time"

	"fabrique/internal/fabrique"
	"fabrique/internal/sqlite"
)

// holding lists the "table.column" cells of the database that contain s.
func holding(t *testing.T, st *sqlite.Store, s string) []string {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+st.DB().Path()+"?mode=ro")
	must(t, err)
	defer db.Close()
	tables, err := db.Query(`SELECT name FROM sqlite_master WHERE type = 'table'`)
	must(t, err)
	var names []string
	for tables.Next() {
		var n string
		must(t, tables.Scan(&n))
		names = append(names, n)
	}
	tables.Close()
	var found []string
	for _, table := range names {
		rows, err := db.Query("SELECT * FROM " + table)
		must(t, err)
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			must(t, rows.Scan(ptrs...))
			for i, v := range vals {
				if strings.Contains(strings.ToLower(fmt.Sprintf("%s", v)), strings.ToLower(s)) {
					found = append(found, table+"."+cols[i])
				}
			}
		}
		rows.Close()
	}
	return found
}

// exec runs SQL on the database file beside the store (for what no API writes here).
func exec(t *testing.T, st *sqlite.Store, query string, args ...any) {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+st.DB().Path()+"?_foreign_keys=on&_busy_timeout=5000")
	must(t, err)
	defer db.Close()
	_, err = db.Exec(query, args...)
	must(t, err)
}

func (f *fixture) registerAs(t *testing.T, name, email string, cat fabrique.Category, workshop int) *fabrique.RegistrationReceipt {
	t.Helper()
	rec, err := f.st.Enrolments().Register(context.Background(), f.event.ID, &fabrique.RegistrationRequest{
		Name: name, Email: email, Category: cat, Organisation: "Collectif " + name, WorkshopID: &f.workshops[workshop].ID, Consent: true})
	must(t, err)
	return rec
}

// byCategory counts the event's registrations by category and status.
func byCategory(t *testing.T, f *fixture) string {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+f.st.DB().Path()+"?mode=ro")
	must(t, err)
	defer db.Close()
	rows, err := db.Query(`SELECT p.category, r.status, COUNT(*) FROM registrations r JOIN people p ON p.id = r.person_id
		WHERE r.event_id = ? GROUP BY 1, 2 ORDER BY 1, 2`, f.event.ID)
	must(t, err)
	defer rows.Close()
	var out []string
	for rows.Next() {
		var cat, status string
		var n int
		must(t, rows.Scan(&cat, &status, &n))
		out = append(out, fmt.Sprintf("%s/%s=%d", cat, status, n))
	}
	return strings.Join(out, " ")
}

func TestAParticipantDownloadsTheirDataThenErasesIt(t *testing.T) {
	f := newFixture(t, 0, 1)
	lea := f.registerAs(t, "Léa Martin", "lea.martin@exemple.fr", fabrique.CategoryCitizen, 0)
	noe := f.registerAs(t, "Noé Durand", "noe.durand@exemple.fr", fabrique.CategoryResearcher, 0)
	if noe.Status != fabrique.RegWaiting {
		t.Fatalf("Noé: %s", noe.Status)
	}
	var person int64
	must(t, f.st.DB().Count(f.ctx, "people", new(int)))
	d, err := f.st.Privacy().ParticipantData(context.Background(), lea.Token)
	must(t, err)
	person = d.Person.ID
	exec(t, f.st, `INSERT INTO contributions (workshop_id, category, text, author, person_id, consent, publishable, created_at)
		VALUES (?, 'proposal', 'Publier les données des marchés publics.', 'Léa Martin', ?, 1, 1, '2030-06-18T17:00:00Z')`, f.workshops[0].ID, person)

	t.Run("the download holds the person, the registration with its consent, the contribution and the messages", func(t *testing.T) {
		d, err := f.st.Privacy().ParticipantData(context.Background(), lea.Token)
		must(t, err)
		r := d.Registrations
		if d.Person.Email != "lea.martin@exemple.fr" || d.Person.Name != "Léa Martin" || len(r) != 1 || !r[0].Consent ||
			r[0].ConsentAt == nil || !strings.Contains(r[0].ConsentText, "organiser cet événement") || r[0].Organisation != "Collectif Léa Martin" {
			t.Fatalf("data %+v", d)
		}
		if want := f.event.End.AddDate(1, 0, 0); !r[0].RetainedUntil.Equal(want) {
			t.Errorf("retained until %s, want %s (12 months after the end)", r[0].RetainedUntil, want)
		}
		if len(d.Contributions) != 1 || len(d.Messages) == 0 || d.Messages[0].Recipient != "lea.martin@exemple.fr" || r[0].PrivateLinkCount == 0 {
			t.Errorf("contributions %+v messages %+v", d.Contributions, d.Messages)
		}
	})
	before := byCategory(t, f)
	e, err := f.st.Privacy().EraseParticipant(context.Background(), lea.Token)
	must(t, err)
	t.Run("the erasure frees the seat, removes the author and deletes the person", func(t *testing.T) {
		if e.Registrations != 1 || e.Cancelled != 1 || e.Contributions != 1 || e.People != 1 || e.Messages == 0 {
			t.Errorf("erasure %+v", e)
		}
		if _, err := f.st.Enrolments().Agenda(context.Background(), lea.Token); fabrique.ErrorCode(err) != fabrique.ENOTFOUND {
			t.Errorf("the private link still works: %v", err)
		}
		if a := f.agenda(t, noe.Token); a.Status != fabrique.RegRegistered {
			t.Errorf("Noé was not moved up from the waiting list: %s", a.Status)
		}
	})
	t.Run("only the CANCEL of the evening still in her agenda holds her address, until it is sent", func(t *testing.T) {
		if e.CancelsSent != 1 {
			t.Errorf("cancellations queued: %+v", e)
		}
		if cells := holding(t, f.st, "lea.martin@exemple.fr"); len(cells) != 1 || cells[0] != "outbox.recipient" {
			t.Errorf("before sending, the address is in %v", cells)
		}
		if sent := sendEverything(t, f.st); sent["lea.martin@exemple.fr"] != "CANCEL erased" {
			t.Errorf("sent %v", sent)
		}
	})
	t.Run("nothing of the person is left in any table", func(t *testing.T) {
		for _, s := range []string{"lea.martin@exemple.fr", "Léa Martin", "Collectif Léa"} {
			if cells := holding(t, f.st, s); len(cells) > 0 {
				t.Errorf("%q is still in %v", s, cells)
			}
		}
	})
	t.Run("the counts by category and the contribution's text are kept", func(t *testing.T) {
		after := byCategory(t, f)
		if before != "citizen/registered=1 researcher/waiting=1" || after != "citizen/cancelled=1 researcher/registered=1" {
			t.Errorf("by category before %q, after %q", before, after)
		}
		if cells := holding(t, f.st, "marchés publics"); len(cells) != 1 || cells[0] != "contributions.text" {
			t.Errorf("the contribution's text: %v", cells)
		}
	})
}

func TestRetentionAnonymisesParticipantsOnceItEnds(t *testing.T) {
	f := newFixture(t, 0, 5)
	f.registerAs(t, "Léa Martin", "lea.martin@exemple.fr", fabrique.CategoryCitizen, 0)
	f.registerAs(t, "Inès Roux", "ines.roux@exemple.fr", fabrique.CategoryPublicAgent, 0)
	f.registerAs(t, "Noé Durand", "noe.durand@exemple.fr", fabrique.CategoryResearcher, 0)
	exec(t, f.st, `INSERT INTO contributions (workshop_id, category, text, author, consent, publishable, created_at)
		VALUES (?, 'proposal', 'Ouvrir le code source des calculateurs.', 'Inès Roux', 1, 1, '2030-06-18T17:00:00Z')`, f.workshops[0].ID)
	before := byCategory(t, f)
	r, err := f.st.Privacy().Retention(f.ctx, f.event.ID)
	must(t, err)
	if r.Months != 12 || !r.PurgeAfter.Equal(f.event.End.AddDate(1, 0, 0)) || r.PurgedAt != nil {
		t.Fatalf("default retention %+v", r)
	}
	t.Run("nothing is anonymised before the end of the period", func(t *testing.T) {
		e, err := f.st.Privacy().Purge(f.ctx, r.PurgeAfter.Add(-time.Hour))
		must(t, err)
		if e.Registrations != 0 || len(holding(t, f.st, "lea.martin@exemple.fr")) == 0 {
			t.Errorf("purged too early: %+v", e)
		}
	})
	t.Run("after it, names, addresses and authors are gone; counts and texts stay", func(t *testing.T) {
		e, err := f.st.Privacy().Purge(f.ctx, r.PurgeAfter.Add(time.Hour))
		must(t, err)
		if e.Registrations != 3 || e.People != 3 || e.Contributions != 1 || e.Messages == 0 {
			t.Errorf("purge %+v", e)
		}
		for _, s := range []string{"lea.martin@exemple.fr", "Inès Roux", "noe.durand", "Collectif"} {
			if cells := holding(t, f.st, s); len(cells) > 0 {
				t.Errorf("%q is still in %v", s, cells)
			}
		}
		if after := byCategory(t, f); after != before {
			t.Errorf("counts by category changed: %q → %q", before, after)
		}
		if cells := holding(t, f.st, "calculateurs"); len(cells) != 1 {
			t.Errorf("the contribution's text: %v", cells)
		}
		again, err := f.st.Privacy().Purge(f.ctx, r.PurgeAfter.Add(2*time.Hour))
		must(t, err)
		if again.Registrations != 0 || again.People != 0 {
			t.Errorf("a second purge did something: %+v", again)
		}
		if r, _ := f.st.Privacy().Retention(f.ctx, f.event.ID); r.PurgedAt == nil {
			t.Error("purged_at is not set")
		}
	})
}

func TestAShorterRetentionIsSetPerEvent(t *testing.T) {
	f := newFixture(t, 0, 5)
	f.registerAs(t, "Léa Martin", "lea.martin@exemple.fr", fabrique.CategoryCitizen, 0)
	for _, months := range []int{0, 37} {
		err := f.st.Privacy().SetRetention(f.ctx, &fabrique.Retention{EventID: f.event.ID, Months: months})
		if fe := fabrique.ErrorFields(err); len(fe) != 1 || fe[0].Field != "months" {
			t.Errorf("%d months: %v", months, err)
		}
	}
	r := &fabrique.Retention{EventID: f.event.ID, Months: 3}
	must(t, f.st.Privacy().SetRetention(f.ctx, r))
	if !r.PurgeAfter.Equal(f.event.End.AddDate(0, 3, 0)) {
		t.Fatalf("retention %+v", r)
	}
	e, err := f.st.Privacy().Purge(f.ctx, f.event.End.AddDate(0, 4, 0))
	must(t, err)
	if e.Registrations != 1 {
		t.Errorf("purge after 4 months with 3 kept: %+v", e)
	}
	_, err = f.st.Privacy().Purge(context.Background(), time.Now())
	mustCode(t, err, fabrique.EUNAUTHORIZED)
}

func TestAFacilitatorWhoRegisteredKeepsTheirRecordWhenErased(t *testing.T) {
	f := newFixture(t, 0, 5)
	rec := f.registerAs(t, "Simon Chignard", "simon@exemple.fr", fabrique.CategoryPublicAgent, 0)
	d, err := f.st.Privacy().ParticipantData(context.Background(), rec.Token)
	must(t, err)
	exec(t, f.st, `INSERT INTO workshop_facilitators (workshop_id, person_id, position) VALUES (?, ?, 0)`, f.workshops[0].ID, d.Person.ID)
	e, err := f.st.Privacy().ErasePerson(f.ctx, d.Person.ID)
	must(t, err)
	if e.People != 0 || e.Registrations != 1 || len(e.Kept) == 0 || !strings.Contains(e.Kept[0], "anime") {
		t.Errorf("erasure %+v", e)
	}
	sendEverything(t, f.st)
	if cells := holding(t, f.st, "simon@exemple.fr"); len(cells) != 1 || cells[0] != "people.email" {
		t.Errorf("the facilitator's record: %v", cells)
	}
	_, err = f.st.Privacy().ErasePerson(fabrique.WithUser(context.Background(), &fabrique.User{ID: 9, Role: fabrique.RoleOrganiser}), d.Person.ID)
	mustCode(t, err, fabrique.EFORBIDDEN)
}

func TestThePublicVersionChangesWithWhatThePageShows(t *testing.T) {
	f := newFixture(t, 0, 5)
	other := newFixtureOn(t, f)
	v0, err := f.st.PublicVersion(f.ctx, f.event.ID)
	must(t, err)
	w := f.workshops[0]
	w.Title = "Atelier renommé"
	must(t, f.st.Workshops().Update(f.ctx, w))
	v1, _ := f.st.PublicVersion(f.ctx, f.event.ID)
	if v1 == v0 {
		t.Fatal("renaming a workshop did not change the version")
	}
	ow := other.workshops[0]
	ow.Title = "Atelier d'un autre événement"
	must(t, f.st.Workshops().Update(f.ctx, ow))
	if v2, _ := f.st.PublicVersion(f.ctx, f.event.ID); v2 != v1 {
		t.Errorf("another event's workshop changed this event's version: %s → %s", v1, v2)
	}
	f.registerAs(t, "Léa Martin", "lea.martin@exemple.fr", fabrique.CategoryCitizen, 0)
	v3, _ := f.st.PublicVersion(f.ctx, f.event.ID)
	if v3 == v1 {
		t.Error("a registration (seats left) did not change the version")
	}
	room, err := f.st.Rooms().Get(f.ctx, f.rooms[0])
	must(t, err)
	room.Name = "Salle Marianne"
	must(t, f.st.Rooms().Update(f.ctx, room))
	if v4, _ := f.st.PublicVersion(f.ctx, f.event.ID); v4 == v3 {
		t.Error("renaming a room did not change the version")
	}
}

// newFixtureOn builds a second event in the same database.
func newFixtureOn(t *testing.T, f *fixture) *fixture {
	return buildFixture(t, f.st, f.ctx, 0, 5)
}

// sendEverything plays the worker: it claims every message due and marks
// it sent; it returns the method and kind of the last message to each
// recipient.
func sendEverything(t *testing.T, st *sqlite.Store) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, m := range claimAndSend(t, st) {
		out[m.Recipient] = m.Method + " " + m.Kind
		if m.Kind == fabrique.MsgErased && m.LinkToken != "" {
			t.Errorf("the CANCEL after an erasure carries a link")
		}
	}
	return out
}

// claimAndSend claims every message due, as the worker does (with the
// links it derives), marks them sent and returns them.
func claimAndSend(t *testing.T, st *sqlite.Store) []*fabrique.OutboxMessage {
	t.Helper()
	ctx, q, now := context.Background(), st.Queue(), time.Now().Add(time.Hour)
	msgs, err := q.Claim(ctx, now, time.Minute, 1000)
	must(t, err)
	var ids []int64
	var done []fabrique.OutboxOutcome
	for _, m := range msgs {
		ids = append(ids, m.ID)
		done = append(done, fabrique.OutboxOutcome{ID: m.ID, State: fabrique.OutboxSent, Reply: "250 2.0.0 Ok"})
	}
	_, err = q.Mark(ctx, now, nil, ids, time.Minute)
	must(t, err)
	_, err = q.Mark(ctx, now, done, nil, time.Minute)
	must(t, err)
	return msgs
}
