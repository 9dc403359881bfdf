package pdf

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"fabrique/internal/fabrique"
)

// summitKit is a summit-sized event: 300 workshops over three days and
// 4,000 registered participants spread over them (fictional data).
func summitKit() *Kit {
	day := func(d, h, m int) time.Time { return time.Date(2016, time.December, d, h, m, 0, 0, fabrique.Paris) }
	k := &Kit{
		Title:   "Sommet mondial du Partenariat pour un gouvernement ouvert",
		Kind:    "Ministère ouvert",
		Host:    "Secrétariat d'État chargé de la Réforme de l'État et de la Simplification",
		Venue:   "Palais d'Iéna (lieu indicatif)",
		Address: "9 place d'Iéna, 75016 Paris",
		Start:   day(7, 9, 0),
		End:     day(9, 18, 0),
	}
	const workshops, people = 300, 4000
	for i := 0; i < workshops; i++ {
		start := day(7+i/100, 9+(i%100)/20, 0)
		ws := Workshop{
			Number: i + 1,
			Title:  fmt.Sprintf("Transparence, participation et numérique : retour d'expérience n° %d sur la mise en œuvre des engagements", i+1),
			Room:   fmt.Sprintf("Salle %d", 100+i%20),
			Start:  start, End: start.Add(time.Hour), Capacity: 20,
			Facilitators: []string{"Françoise Waintrop", "Bénédicte Roullier"},
			Commitments: []Commitment{
				{fmt.Sprint(1 + i%26), "Poursuivre l'ouverture des ressources juridiques et la collaboration avec la société civile"},
				{fmt.Sprint(1 + (i+7)%26), "Diffuser l'innovation et approfondir la recherche sur le gouvernement ouvert"},
			},
		}
		n := people / workshops
		if i < people%workshops {
			n++
		}
		ws.Participants = participants(i+1, n)
		k.Workshops = append(k.Workshops, ws)
		if i%20 == 0 {
			k.Programme = append(k.Programme, ProgrammeItem{Start: start, End: start.Add(time.Hour), Title: "Ateliers"})
		}
	}
	return k
}

// BenchmarkSummitKit generates the kit of a summit-sized event and
// reports its pages and bytes.
func BenchmarkSummitKit(b *testing.B) {
	k := summitKit()
	var buf bytes.Buffer
	for b.Loop() {
		buf.Reset()
		if err := WriteKit(&buf, k); err != nil {
			b.Fatal(err)
		}
	}
	path := writeFile(b, "sommet.pdf", buf.Bytes())
	b.ReportMetric(float64(numPages(b, path)), "pages")
	b.ReportMetric(float64(buf.Len()), "bytes")
}

// BenchmarkSeedKit generates the 27-page kit of Ministère ouvert #1.
func BenchmarkSeedKit(b *testing.B) {
	k := seed001Kit()
	var buf bytes.Buffer
	for b.Loop() {
		buf.Reset()
		if err := WriteKit(&buf, k); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(buf.Len()), "bytes")
}

// BenchmarkFonts measures the per-document cost of parsing both DejaVu
// fonts.
func BenchmarkFonts(b *testing.B) {
	for b.Loop() {
		if _, err := newDoc("x", meta{title: "x"}); err != nil {
			b.Fatal(err)
		}
	}
}
