package sqlite_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"fabrique/internal/demo"
	"fabrique/internal/fabrique"
	"fabrique/internal/sqlite"
)

// BenchmarkStatusChangeTo500Subscribers changes the status of a commitment
// followed by 500 participants of a forum workshop: the change, its
// history and the 500 notices are written in one transaction (issue 17).
//
//	go test ./internal/sqlite/ -run '^$' -bench StatusChangeTo500Subscribers -benchtime 20x
func BenchmarkStatusChangeTo500Subscribers(b *testing.B) {
	ctx := fabrique.WithUser(context.Background(), fabrique.System)
	db, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "fabrique.db"))
	must(b, err)
	b.Cleanup(func() { db.Close() })
	st := sqlite.NewStore(db)
	_, err = demo.Load(ctx, st)
	must(b, err)
	ws, err := st.Workshops().List(ctx, fabrique.ListOptions{Limit: 10, Filters: map[string]string{"event_id": "2"}})
	must(b, err)
	w := ws.Items[0]
	w.Capacity = 600
	must(b, st.Workshops().Update(ctx, w))
	ev, err := st.Events().Get(ctx, 2)
	must(b, err)
	ev.Capacity = 0
	must(b, st.Events().Update(ctx, ev))
	fu := st.FollowUp()
	var commitment int64
	for i := 0; i < 500; i++ {
		rec, err := st.Enrolments().Register(context.Background(), 2, &fabrique.RegistrationRequest{Name: fmt.Sprintf("Participant %d", i),
			Email: fmt.Sprintf("p%d@exemple.fr", i), Category: fabrique.CategoryCitizen, WorkshopID: &w.ID, Consent: true})
		must(b, err)
		list, err := fu.Followed(context.Background(), rec.Token)
		must(b, err)
		if len(list) == 0 {
			b.Fatalf("participant %d has nothing to follow (%s)", i, rec.Status)
		}
		commitment = list[0].CommitmentID
		_, err = fu.Follow(context.Background(), rec.Token, &fabrique.SubscriptionInput{CommitmentID: commitment, Subscribed: true})
		must(b, err)
	}
	statuses := []fabrique.CommitmentStatus{fabrique.StatusSubstantial, fabrique.StatusLimited}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := fu.SetStatus(ctx, commitment, &fabrique.StatusInput{Status: statuses[i%2], Justification: "Point d'étape."}); err != nil {
			b.Fatal(err)
		}
	}
}
