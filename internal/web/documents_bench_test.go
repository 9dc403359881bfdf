package web_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
	"time"

	"fabrique/internal/fabrique"
	"fabrique/internal/pdf"
	"fabrique/internal/sqlite"
	"fabrique/internal/web/pages"
)

// summitStore fills a fresh database with a summit-sized event: 300
// workshops in 20 rooms over three days, two facilitators and two
// commitments each, 4,000 registered participants (fictional data).
func summitStore(b *testing.B) (*sqlite.Store, int64) {
	b.Helper()
	ctx := fabrique.WithUser(context.Background(), fabrique.System)
	db, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "sommet.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	st := sqlite.NewStore(db)
	must := func(err error) {
		if err != nil {
			b.Fatal(err)
		}
	}
	org := &fabrique.Organisation{Name: "Secrétariat d'État chargé de la Réforme de l'État et de la Simplification", Kind: fabrique.OrgMinistry}
	must(st.Organisations().Create(ctx, org))
	plan := &fabrique.ActionPlan{Title: "Plan d'action national 2015-2017", PeriodStart: "2015-07-16", PeriodEnd: "2017-07-15"}
	must(st.ActionPlans().Create(ctx, plan))
	var commitments []int64
	for i := 1; i <= 26; i++ {
		c := &fabrique.Commitment{PlanID: plan.ID, Number: strconv.Itoa(i), Kind: fabrique.KindCommitment, Status: fabrique.StatusInProgress,
			Title: fmt.Sprintf("Poursuivre l'ouverture des ressources juridiques et la collaboration avec la société civile (n° %d)", i)}
		must(st.Commitments().Create(ctx, c))
		commitments = append(commitments, c.ID)
	}
	venue := &fabrique.Venue{Name: "Palais d'Iéna (lieu indicatif)", Address: "9 place d'Iéna, 75016 Paris", HostOrganisationID: &org.ID}
	must(st.Venues().Create(ctx, venue))
	var rooms []int64
	for i := 0; i < 20; i++ {
		r := &fabrique.Room{VenueID: venue.ID, Name: fmt.Sprintf("Salle %d", 100+i), Capacity: 20}
		must(st.Rooms().Create(ctx, r))
		rooms = append(rooms, r.ID)
	}
	day := func(d, h int) time.Time { return time.Date(2016, time.December, d, h, 0, 0, 0, fabrique.Paris) }
	ev := &fabrique.Event{Kind: fabrique.EventOpenMinistry, Title: "Sommet mondial du Partenariat pour un gouvernement ouvert", HostOrganisationID: org.ID,
		Status: fabrique.EventDraft, VenueID: &venue.ID, Start: day(7, 9), End: day(9, 18)}
	must(st.Events().Create(ctx, ev))
	var facilitators []int64
	for i := 0; i < 40; i++ {
		p := &fabrique.Person{Name: fmt.Sprintf("Françoise Waintrop-Bénard %d", i), OrganisationID: &org.ID, Category: fabrique.CategoryPublicAgent}
		must(st.People().Create(ctx, p))
		facilitators = append(facilitators, p.ID)
	}
	var workshops []int64
	var slot *fabrique.ProgrammeItem
	for i := 0; i < 300; i++ {
		if i%20 == 0 {
			start := day(7+i/100, 9+(i%100)/20)
			slot = &fabrique.ProgrammeItem{EventID: ev.ID, Kind: fabrique.ItemWorkshops, Title: "Ateliers", Start: start, End: start.Add(time.Hour)}
			must(st.Items().Create(ctx, slot))
		}
		w := &fabrique.Workshop{EventID: ev.ID, ItemID: slot.ID, Number: i + 1, Capacity: 20, RoomID: &rooms[i%20],
			Title:          fmt.Sprintf("Transparence, participation et numérique : retour d'expérience n° %d sur la mise en œuvre des engagements", i+1),
			FacilitatorIDs: []int64{facilitators[i%40], facilitators[(i+1)%40]}, CommitmentIDs: []int64{commitments[i%26], commitments[(i+7)%26]}}
		must(st.Workshops().Create(ctx, w))
		workshops = append(workshops, w.ID)
	}
	cats := fabrique.Categories
	for i := 0; i < 4000; i++ {
		p := &fabrique.Person{Name: fmt.Sprintf("Zoé Lefèvre-Œhmichen P%04d", i), OrganisationID: &org.ID, Category: cats[i%len(cats)]}
		must(st.People().Create(ctx, p))
		must(st.Registrations().Create(ctx, &fabrique.Registration{EventID: ev.ID, WorkshopID: &workshops[i%300], PersonID: p.ID, Status: fabrique.RegRegistered}))
	}
	return st, ev.ID
}

// BenchmarkSummitKitFromStore reads a summit-sized event from the store,
// maps it and writes its kit; it reports pages and bytes. With
// FABRIQUE_BENCH_HTML=path it also writes the HTML twin of the same kit
// (to time a browser's print of it).
func BenchmarkSummitKitFromStore(b *testing.B) {
	st, id := summitStore(b)
	ctx := fabrique.WithUser(context.Background(), fabrique.System)
	var buf bytes.Buffer
	for b.Loop() {
		buf.Reset()
		f, err := st.Minutes().KitFile(ctx, id)
		if err != nil {
			b.Fatal(err)
		}
		if err := pdf.WriteKit(&buf, pdf.KitFrom(f)); err != nil {
			b.Fatal(err)
		}
	}
	path := filepath.Join(b.TempDir(), "sommet.pdf")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		b.Fatal(err)
	}
	out, err := exec.Command("pdfinfo", path).Output()
	if err != nil {
		b.Fatalf("pdfinfo: %v", err)
	}
	m := regexp.MustCompile(`Pages:\s+(\d+)`).FindSubmatch(out)
	if m == nil {
		b.Fatalf("pdfinfo: no page count in %s", out)
	}
	pageCount, _ := strconv.Atoi(string(m[1]))
	b.ReportMetric(float64(pageCount), "pages")
	b.ReportMetric(float64(buf.Len()), "bytes")
	if html := os.Getenv("FABRIQUE_BENCH_HTML"); html != "" {
		f, err := st.Minutes().KitFile(ctx, id)
		if err != nil {
			b.Fatal(err)
		}
		page, err := pages.RenderKitHTML(pdf.KitFrom(f))
		if err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(html, page, 0o644); err != nil {
			b.Fatal(err)
		}
	}
}
