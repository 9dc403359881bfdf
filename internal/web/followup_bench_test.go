package web_test

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"

	"fabrique/internal/fabrique"
	"fabrique/internal/pdf"
	"fabrique/internal/sqlite"
	"fabrique/internal/web/pages"
)

// followUpStore fills a fresh database with a large plan (fictional data):
// 100 commitments carried by 10 organisations, each with 3 milestones, 2
// indicators of 4 values, 2 changes of status and 6 comments (3 answered);
// 300 workshops in 100 published events, each on 2 commitments, with
// published minutes of 8 contributions.
func followUpStore(b *testing.B) *sqlite.Store {
	b.Helper()
	ctx := fabrique.WithUser(context.Background(), fabrique.System)
	path := filepath.Join(b.TempDir(), "suivi.db")
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	raw, err := sql.Open("sqlite3", "file:"+path+"?_foreign_keys=on&_busy_timeout=10000")
	if err != nil {
		b.Fatal(err)
	}
	defer raw.Close()
	tx, err := raw.Begin()
	if err != nil {
		b.Fatal(err)
	}
	now := "2016-06-01T10:00:00Z"
	exec := func(q string, args ...any) int64 {
		res, err := tx.Exec(q, args...)
		if err != nil {
			b.Fatalf("%s: %v", q, err)
		}
		id, _ := res.LastInsertId()
		return id
	}
	var orgs []int64
	for i := 0; i < 10; i++ {
		orgs = append(orgs, exec(`INSERT INTO organisations (name, kind, created_at, updated_at) VALUES (?, 'ministry', ?, ?)`, fmt.Sprintf("Ministère n° %d de l'Écologie et de la Transition", i+1), now, now))
	}
	plan := exec(`INSERT INTO action_plans (title, period_start, period_end, created_at, updated_at) VALUES ('Plan d''action national 2015-2017', '2015-07-16', '2017-07-15', ?, ?)`, now, now)
	cons := exec(`INSERT INTO consultations (plan_id, title, opens, closes, created_at) VALUES (?, 'Consultation sur le rapport d''étape', '2016-06-13', '2016-06-30', ?)`, plan, now)
	statuses := []string{"not_started", "limited", "substantial", "completed"}
	var commitments []int64
	for i := 1; i <= 100; i++ {
		c := exec(`INSERT INTO commitments (plan_id, number, title, kind, principles, status, created_at, updated_at) VALUES (?, ?, ?, 'commitment', '["transparency","digital"]', ?, ?, ?)`,
			plan, fmt.Sprint(i), fmt.Sprintf("Renforcer la transparence de la commande publique et l'accès aux données essentielles (n° %d)", i), statuses[i%4], now, now)
		commitments = append(commitments, c)
		exec(`INSERT INTO commitment_carriers (commitment_id, organisation_id, position) VALUES (?, ?, 0)`, c, orgs[i%10])
		exec(`INSERT INTO commitment_status_changes (commitment_id, from_status, to_status, justification, changed_by, changed_at) VALUES (?, 'not_started', 'limited', 'Premiers jeux de données publiés en juin.', 'Correspondant', '2016-03-01T10:00:00Z')`, c)
		exec(`INSERT INTO commitment_status_changes (commitment_id, from_status, to_status, justification, changed_by, changed_at) VALUES (?, 'limited', ?, 'Le décret est publié ; la plateforme est ouverte aux réutilisateurs.', 'Correspondant', '2016-06-13T10:00:00Z')`, c, statuses[i%4])
		for m := 0; m < 3; m++ {
			exec(`INSERT INTO milestones (commitment_id, title, due, done_on, updated_at) VALUES (?, ?, ?, ?, ?)`, c, fmt.Sprintf("Étape %d : publier le référentiel et l'ouvrir à la société civile", m+1), fmt.Sprintf("2016-0%d-30", 3+m*2), map[bool]string{true: "2016-04-01", false: ""}[m == 0], now)
		}
		for k := 0; k < 2; k++ {
			ind := exec(`INSERT INTO indicators (commitment_id, name, unit, target) VALUES (?, ?, 'jeux de données', 100)`, c, fmt.Sprintf("Jeux de données ouverts (indicateur %d)", k+1))
			for v := 0; v < 4; v++ {
				exec(`INSERT INTO indicator_values (indicator_id, value, measured_on, source, created_at) VALUES (?, ?, ?, 'data.gouv.fr', ?)`, ind, 10*(v+1), fmt.Sprintf("2016-0%d-01", v+1), now)
			}
		}
		for k := 0; k < 6; k++ {
			cm := exec(`INSERT INTO comments (commitment_id, consultation_id, author, email, text, state, created_at, published_at) VALUES (?, ?, 'Camille', 'camille@exemple.fr', 'Où trouver le calendrier ? Les données devraient être publiées au standard international.', 'published', ?, ?)`, c, cons, now, now)
			if k%2 == 0 {
				exec(`INSERT INTO comments (commitment_id, consultation_id, parent_id, author, text, state, carrier_answer, created_at, published_at) VALUES (?, ?, ?, 'Ministère', 'Le calendrier est en ligne depuis juin ; le standard sera adopté à la rentrée.', 'published', 1, ?, ?)`, c, cons, cm, now, now)
			}
		}
	}
	categories := []string{"impact_indicators", "inspiring_initiatives", "implementation_challenges", "future_commitments"}
	for e := 0; e < 100; e++ {
		ev := exec(`INSERT INTO events (kind, title, host_organisation_id, status, start_at, end_at, created_at, updated_at) VALUES ('open_ministry', ?, ?, 'published', '2016-06-21T15:30:00Z', '2016-06-21T18:15:00Z', ?, ?)`, fmt.Sprintf("Ministère ouvert #%d", e+1), orgs[e%10], now, now)
		item := exec(`INSERT INTO programme_items (event_id, kind, title, start_at, end_at, created_at, updated_at) VALUES (?, 'workshops', 'Ateliers de suivi des engagements', '2016-06-21T16:20:00Z', '2016-06-21T17:20:00Z', ?, ?)`, ev, now, now)
		for w := 0; w < 3; w++ {
			ws := exec(`INSERT INTO workshops (event_id, item_id, number, title, capacity, created_at, updated_at) VALUES (?, ?, ?, 'Ouverture des données et des codes sources', 20, ?, ?)`, ev, item, w+1, now, now)
			n := e*3 + w
			exec(`INSERT INTO workshop_commitments (workshop_id, commitment_id, position) VALUES (?, ?, 0), (?, ?, 1)`, ws, commitments[n%100], ws, commitments[(n+37)%100])
			exec(`INSERT INTO workshop_minutes (workshop_id, state, published_at, updated_at) VALUES (?, 'published', ?, ?)`, ws, now, now)
			for k := 0; k < 8; k++ {
				exec(`INSERT INTO contributions (workshop_id, category, text, publishable, created_at) VALUES (?, ?, 'Publier un tableau de bord trimestriel des données ouvertes, avec leur qualité et leurs réutilisations.', 1, ?)`, ws, categories[k%4], now)
			}
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	return sqlite.NewStore(db)
}

// BenchmarkProgressReportFromStore reads a plan of 100 commitments and 300
// workshops from the store and writes its progress report (PDF); its HTML
// twin is measured beside it.
func BenchmarkProgressReportFromStore(b *testing.B) {
	st := followUpStore(b)
	ctx := context.Background()
	b.Run("pdf", func(b *testing.B) {
		var size int
		for b.Loop() {
			f, err := st.FollowUp().Plan(ctx, 1, "")
			if err != nil {
				b.Fatal(err)
			}
			var buf bytes.Buffer
			if err := pdf.WriteProgressReport(&buf, f); err != nil {
				b.Fatal(err)
			}
			size = buf.Len()
		}
		b.ReportMetric(float64(size)/1e6, "MB")
	})
	b.Run("html", func(b *testing.B) {
		for b.Loop() {
			f, err := st.FollowUp().Plan(ctx, 1, "")
			if err != nil {
				b.Fatal(err)
			}
			if _, err := pages.RenderProgressHTML(f); err != nil {
				b.Fatal(err)
			}
		}
	})
}
