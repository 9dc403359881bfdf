package pdf

import (
	"fmt"
	"strings"
	"testing"
)

// TestKitSeed001 prints the kit of Ministère ouvert #1 from the seed's real
// data and checks what a reader sees on the cover, the programme, the list
// of workshops and the footers.
func TestKitSeed001(t *testing.T) {
	k := seed001Kit()
	path := writeKitFile(t, k)
	pages := pageTexts(t, path, true)
	n := numPages(t, path)
	if len(pages) != n {
		t.Fatalf("pdftotext gives %d pages, pdfinfo %d", len(pages), n)
	}
	// 1 cover + 1 programme + 1 list + 5 × (2 facilitator + 1 sign-in + 1
	// sign) + 4 pages of badges (30 participants, 8 per page).
	if want := 3 + 5*4 + 4; n != want {
		t.Errorf("kit has %d pages, want %d", n, want)
	}
	for i, p := range pages {
		footer := fmt.Sprintf("page %d sur %d", i+1, n)
		if !strings.Contains(norm(p), footer) {
			t.Errorf("page %d: footer %q missing", i+1, footer)
		}
		if !strings.Contains(p, "Ministère ouvert #1") {
			t.Errorf("page %d: event title missing from the footer", i+1)
		}
	}

	cover := norm(pages[0])
	for _, want := range []string{"MINISTÈRE OUVERT", "Ministère ouvert #1", "mardi 21 juin 2016", "17 h 30 – 20 h 15",
		"Secrétariat d'État chargé de la Réforme de l'État et de la Simplification",
		"Centre de conférences (lieu fictif)", "1 rue de l'Exemple, 75007 Paris"} {
		if !strings.Contains(cover, want) {
			t.Errorf("cover: %q missing in:\n%s", want, pages[0])
		}
	}

	prog := pages[1]
	for _, want := range []string{"Programme", "17 h 30 Accueil", "18 h 00 – 18 h 10 Ouverture",
		"par Laure de la Bretèche", "18 h 10 – 18 h 20 Présentation des dix engagements",
		"18 h 20 – 19 h 20 Ateliers de suivi des engagements", "• Atelier 4 : Etat plateforme et administration numérique – Salle de la",
		"19 h 20 – 19 h 40 Restitution des ateliers en plénière", "19 h 40 – 20 h 15 Clôture", "Jean-Vincent Placé"} {
		if !strings.Contains(norm(prog), want) {
			t.Errorf("programme: %q missing in:\n%s", want, prog)
		}
	}
	if strings.Index(prog, "Accueil") > strings.Index(prog, "Ouverture") || strings.Index(prog, "Ouverture") > strings.Index(prog, "Clôture") {
		t.Errorf("programme out of order:\n%s", prog)
	}

	list := findPages(pages, "Liste des ateliers et engagements abordés", "Engagements abordés", "Animation", "Salle")
	if len(list) != 1 || list[0] != 3 {
		t.Fatalf("list of workshops on pages %v, want [3]", list)
	}
	page := list[0]
	// The first layout line of each row holds the start of every cell.
	lines := strings.Split(pages[page-1], "\n")
	for _, ws := range k.Workshops {
		row := ""
		for _, l := range lines {
			if strings.Contains(norm(l), fmt.Sprintf("Atelier %d :", ws.Number)) {
				row = norm(l)
			}
		}
		if row == "" {
			t.Errorf("no row for workshop %d in:\n%s", ws.Number, pages[page-1])
			continue
		}
		for _, want := range []string{"Engagement " + ws.Commitments[0].Number + " –", "Animé par :", strings.Fields(ws.Room)[0]} {
			if !strings.Contains(row, want) {
				t.Errorf("first line of the row of workshop %d %q lacks %q", ws.Number, row, want)
			}
		}
	}
	// Each column, cropped, reads whole and in order: titles, commitments,
	// facilitators and rooms wrap inside their cells.
	colText := func(x, w float64) string {
		return norm(cropText(t, path, page, x+0.4, 15, w-0.8, 262))
	}
	workshops := colText(marginLeft, listColWorkshop)
	commitments := colText(marginLeft+listColWorkshop, listColCommitments)
	facilitators := colText(marginLeft+listColWorkshop+listColCommitments, listColFacilitator)
	rooms := colText(marginLeft+listColWorkshop+listColCommitments+listColFacilitator, listColRoom)
	lastW, lastC, lastF, lastR := -1, -1, -1, -1
	inOrder := func(col, what string, last *int) {
		t.Helper()
		i := strings.Index(col, norm(what))
		if i < 0 {
			t.Errorf("%q missing from its column:\n%s", what, col)
			return
		}
		if i < *last {
			t.Errorf("%q out of order in its column", what)
		}
		*last = i
	}
	for _, ws := range k.Workshops {
		inOrder(workshops, workshopLabel(ws.Number, ws.Title), &lastW)
		for _, c := range ws.Commitments {
			inOrder(commitments, commitmentLabel(c), &lastC)
		}
		inOrder(facilitators, "Animé par : "+joinFrench(ws.Facilitators), &lastF)
		inOrder(rooms, ws.Room, &lastR)
	}
	for _, want := range []string{"Françoise Waintrop", "Bénédicte Roullier", "Amélie Banzet", "Céline Pelletier"} {
		if !strings.Contains(facilitators, want) {
			t.Errorf("facilitators column lacks %q", want)
		}
	}

	// Facilitator sheets: the four questions with œ, and the hour's timing.
	sheets := findPages(pages, "Fiche animateur")
	if len(sheets) != 5 {
		t.Errorf("%d facilitator sheets, want 5 (pages %v)", len(sheets), sheets)
	}
	sheet := norm(pages[sheets[1]-1] + pages[sheets[1]]) // a sheet runs over two pages
	for _, want := range append([]string{"Atelier 2 : Expression citoyenne", "Salle : Salle B",
		"18 h 20 – 18 h 30 10 min", "18 h 30 – 19 h 10 40 min", "19 h 10 – 19 h 20 10 min",
		"Engagement 13 – Capitaliser sur les consultations menées"}, Questions...) {
		if !strings.Contains(sheet, norm(want)) {
			t.Errorf("facilitator sheet of workshop 2 lacks %q:\n%s", want, sheet)
		}
	}
	if !strings.Contains(sheet, "mise en œuvre") {
		t.Error("œ lost on the facilitator sheet")
	}

	// Room signs: the room and the title, alone on a landscape page.
	signs := findPages(pages, "Salle de la Chapelle", "Atelier 4", "Etat plateforme et administration numérique")
	info := pdfInfoPage(t, path, signs)
	if !info {
		t.Errorf("no landscape room sign for workshop 4 among pages %v", signs)
	}

	// Badges: one per participant, on the last four pages.
	plain := pageTexts(t, path, false)
	badgeText := norm(strings.Join(plain[n-4:], "\n"))
	for _, ws := range k.Workshops {
		for _, p := range ws.Participants {
			if got := strings.Count(badgeText, norm(p.Name)); got != 1 {
				t.Errorf("badge of %q printed %d times", p.Name, got)
			}
		}
	}
	if !strings.Contains(badgeText, "Salle : Salle de Marbre") {
		t.Error("badges do not show the room")
	}
	assertInsidePages(t, path)
}

// pdfInfoPage reports whether one of pages is landscape.
func pdfInfoPage(t *testing.T, path string, pages []int) bool {
	t.Helper()
	out := run(t, "pdfinfo", "-f", "1", "-l", "999", path)
	for _, p := range pages {
		for _, l := range strings.Split(out, "\n") {
			if strings.HasPrefix(l, fmt.Sprintf("Page %4d size:", p)) && strings.Contains(l, "841.89 x 595.28") {
				return true
			}
		}
	}
	return false
}

// TestSignInSheet checks that a sign-in sheet lists exactly the
// participants of its workshop, in order, and that a long one runs over
// pages with its header row repeated.
func TestSignInSheet(t *testing.T) {
	k := seed001Kit()
	k.Workshops[2].Participants = participants(3, 60)
	path := writeKitFile(t, k)
	pages := pageTexts(t, path, true)

	for _, ws := range k.Workshops {
		nums := findPages(pages, "Feuille d'émargement", workshopLabel(ws.Number, "")+" ")
		var sheet []string
		for _, p := range nums {
			if strings.Contains(norm(pages[p-1]), norm(workshopLabel(ws.Number, ws.Title))) ||
				strings.Contains(pages[p-1], "(suite)") {
				sheet = append(sheet, pages[p-1])
			}
		}
		if len(sheet) == 0 {
			t.Fatalf("no sign-in sheet for workshop %d", ws.Number)
		}
		// The name column, cropped page by page, reads in order.
		names := ""
		for _, p := range nums {
			names += " " + cropText(t, path, p, marginLeft+0.4, 15, signColName-0.8, 262)
		}
		names = norm(names)
		text := strings.Join(sheet, "\n")
		for _, other := range k.Workshops {
			for _, p := range other.Participants {
				got := strings.Contains(names, norm(p.Name))
				if want := other.Number == ws.Number; got != want {
					t.Errorf("sign-in sheet of workshop %d: %q present = %v, want %v", ws.Number, p.Name, got, want)
				}
			}
		}
		last := -1
		for _, p := range ws.Participants {
			i := strings.Index(names, norm(p.Name))
			if i < last {
				t.Errorf("workshop %d: %q out of order", ws.Number, p.Name)
			}
			last = i
		}
		if !strings.Contains(norm(text), "Date : mardi 21 juin 2016, 18 h 20 – 19 h 20") || !strings.Contains(norm(text), "Salle : "+ws.Room) {
			t.Errorf("workshop %d: date or room missing from the sign-in sheet:\n%s", ws.Number, sheet[0])
		}
		if ws.Number == 3 {
			if len(sheet) < 3 {
				t.Fatalf("60 participants fit on %d pages, want at least 3", len(sheet))
			}
			for i, p := range sheet {
				header := false
				for _, l := range strings.Split(p, "\n") {
					f := strings.Fields(l)
					if len(f) == 4 && f[0] == "Nom" && f[1] == "Organisation" && f[2] == "Catégorie" && f[3] == "Signature" {
						header = true
					}
				}
				if !header {
					t.Errorf("page %d of the long sign-in sheet has no header row:\n%s", i+1, p)
				}
				if i > 0 && !strings.Contains(p, "Feuille d'émargement (suite)") {
					t.Errorf("page %d of the long sign-in sheet lacks its continuation title", i+1)
				}
			}
		}
	}
}

// TestLongTitleWraps gives a workshop a 300-character title and checks that
// it reads whole, in order, inside its column, and that no word leaves the
// page.
func TestLongTitleWraps(t *testing.T) {
	k := seed001Kit()
	title := strings.Repeat("Coconstruction ", 2) + "des politiques publiques ouvertes avec les citoyens, " +
		"les chercheurs, les élus et les associations, pour évaluer la transparence de l'action publique, " +
		"mesurer l'impact des consultations et Anticonstitutionnellementcoconstruites ouvrir durablement " +
		"les données et les codes sources des administrations centrales"
	title = title[:len(title)-(len([]rune(title))-300)]
	if n := len([]rune(title)); n != 300 {
		t.Fatalf("title has %d characters, want 300", n)
	}
	k.Workshops[1].Title = title
	path := writeKitFile(t, k)
	pages := pageTexts(t, path, true)
	list := findPages(pages, "Liste des ateliers et engagements abordés", "Engagements abordés", "Animation")
	if len(list) == 0 {
		t.Fatal("no list of workshops")
	}
	col := cropText(t, path, list[0], marginLeft+0.4, 15, listColWorkshop-0.8, 262)
	// A word wider than the column is hard-broken, so compare without
	// white space: every character is there, in order.
	if !strings.Contains(spaces.ReplaceAllString(col, ""), spaces.ReplaceAllString(workshopLabel(2, title), "")) {
		t.Errorf("300-character title not whole in its column:\n%s", col)
	}
	words, _ := bboxWords(t, path)
	right := mm(marginLeft + listColWorkshop)
	top := 0.0 // the header row of the table
	for _, w := range words {
		if w.page == list[0] && w.text == "Engagements" && top == 0 {
			top = w.yMin
		}
	}
	if top == 0 {
		t.Fatal("header row of the list of workshops not found")
	}
	for _, w := range words {
		if w.page == list[0] && w.yMin >= top && w.xMin < right && w.xMax > right+0.5 {
			t.Errorf("word %q overflows the workshop column (%.1f > %.1f)", w.text, w.xMax, right)
		}
	}
	plain := pageTexts(t, path, false)
	sheet := findPages(plain, "Fiche animateur", "Atelier 2")
	if len(sheet) == 0 || !strings.Contains(spaces.ReplaceAllString(plain[sheet[0]-1], ""), spaces.ReplaceAllString(title, "")) {
		t.Errorf("300-character title not whole on the facilitator sheet")
	}
	assertInsidePages(t, path)
}

// TestSpecialCharacters checks that accents, œ, guillemets, the typographic
// apostrophe, the dash, the ellipsis and the narrow no-break space survive
// printing and extraction.
func TestSpecialCharacters(t *testing.T) {
	k := seed001Kit()
	special := "Œuvre « ouverte » : l’été à Noël – ça… ?"
	k.Title = special
	k.Workshops[0].Title = "Mise en œuvre – c’est déjà « là »"
	path := writeKitFile(t, k)
	for _, layout := range []bool{false, true} {
		text := strings.Join(pageTexts(t, path, layout), "\n")
		for _, want := range []string{"é", "è", "à", "ç", "œ", "Œ", "«", "»", "’", "–", "…", "Françoise", "Bénédicte",
			"Œuvre «\u202fouverte\u202f»\u202f: l’été à Noël – ça…\u202f?",
			"Mise en œuvre – c’est déjà «\u202flà\u202f»",
			"Animé par\u202f: Vincent Lahuec",
			"Quels engagements futurs pourrait-on prendre\u202f?"} {
			if !strings.Contains(text, want) {
				t.Errorf("layout=%v: %q (%+q) lost in extraction", layout, want, want)
			}
		}
	}
}

// TestMetadata checks the UTF-8 metadata of the kit.
func TestMetadata(t *testing.T) {
	path := writeKitFile(t, seed001Kit())
	info := pdfInfo(t, path)
	want := map[string]string{
		"Title":   "Kit — Ministère ouvert #1",
		"Author":  "Secrétariat d'État chargé de la Réforme de l'État et de la Simplification",
		"Subject": "Ministère ouvert — kit d'organisation, mardi 21 juin 2016",
		"Creator": "fabrique",
	}
	for k, v := range want {
		if info[k] != v {
			t.Errorf("pdfinfo %s = %q, want %q", k, info[k], v)
		}
	}
	if info["Page size"] == "" || !strings.Contains(info["Page size"], "A4") {
		t.Errorf("page size %q, want A4", info["Page size"])
	}
}

// TestQpdfCheck runs qpdf --check on the kits and the minutes.
func TestQpdfCheck(t *testing.T) {
	requireTool(t, "qpdf", "qpdf")
	for name, path := range map[string]string{
		"kit":     writeKitFile(t, seed001Kit()),
		"forum":   writeKitFile(t, forumKit()),
		"minutes": writeMinutesFile(t, seed001Minutes()),
	} {
		out := run(t, "qpdf", "--check", path)
		if !strings.Contains(out, "No syntax or stream encoding errors") {
			t.Errorf("%s: qpdf --check:\n%s", name, out)
		}
		if n := strings.TrimSpace(run(t, "qpdf", "--show-npages", path)); n != fmt.Sprint(numPages(t, path)) {
			t.Errorf("%s: qpdf counts %s pages, pdfinfo %d", name, n, numPages(t, path))
		}
	}
}

// TestForumKit checks the timeline, the round table and the controversy
// workshop of a forum.
func TestForumKit(t *testing.T) {
	k := forumKit()
	path := writeKitFile(t, k)
	pages := pageTexts(t, path, true)
	tl := findPages(pages, "Calendrier du forum", "Table ronde de lancement")
	if len(tl) != 1 || tl[0] != 3 {
		t.Fatalf("timeline on pages %v, want [3]", tl)
	}
	text := norm(pages[tl[0]-1])
	for _, want := range []string{"Investigation", "du 1er février au 14 février 2021 (2 semaines)",
		"Lancement", "jeudi 18 février 2021, 18 h 00 – 19 h 30",
		"Forum", "jeudi 4 mars 2021, 14 h 00 – 17 h 00",
		"Approfondissement", "du 5 mars au 18 mars 2021 (2 semaines)",
		"1er février", "8 février", "15 mars",
		"Chloé Ferrand", "Raphaël Nguyễn", "Sophie Lemaître", "3 intervenants"} {
		if !strings.Contains(text, want) {
			t.Errorf("timeline page lacks %q:\n%s", want, pages[tl[0]-1])
		}
	}
	if strings.Index(text, "Investigation") > strings.Index(text, "Lancement") ||
		strings.Index(text, "Lancement") > strings.Index(text, "Approfondissement") {
		t.Error("phases out of order")
	}
	if len(findPages(pages, "Liste des ateliers", "Atelier consacré aux controverses")) != 1 {
		t.Error("the controversy workshop is not flagged in the list of workshops")
	}
	if len(findPages(pages, "Fiche animateur", "Format : atelier consacré aux controverses")) != 1 {
		t.Error("the controversy workshop is not flagged on its facilitator sheet")
	}
	if !strings.Contains(norm(pages[0]), "jeudi 4 mars 2021") {
		t.Errorf("forum cover lacks its date:\n%s", pages[0])
	}
	assertInsidePages(t, path)
}

// TestWorkshopListRunsOverPages checks that the list of workshops repeats
// its header row on every page and that a row taller than a page (a
// workshop with 70 commitments) is continued, not cut.
func TestWorkshopListRunsOverPages(t *testing.T) {
	k := summitKit()
	k.Workshops = k.Workshops[:30]
	for i := range k.Workshops {
		k.Workshops[i].Participants = nil
	}
	var many []Commitment
	for i := 1; i <= 70; i++ {
		many = append(many, Commitment{fmt.Sprint(i), fmt.Sprintf("Engagement de test numéro %d, dont le titre est assez long pour tenir sur deux lignes", i)})
	}
	k.Workshops[12].Commitments = many
	path := writeKitFile(t, k)
	pages := pageTexts(t, path, true)
	list := findPages(pages, "Liste des ateliers et engagements abordés", "Engagements abordés", "Animation")
	if len(list) < 4 {
		t.Fatalf("list of workshops on pages %v, want at least 4 pages", list)
	}
	commitments := ""
	for i, p := range list {
		if i > 0 && !strings.Contains(pages[p-1], "Liste des ateliers et engagements abordés (suite)") {
			t.Errorf("page %d: continuation title missing", p)
		}
		header := false
		for _, l := range strings.Split(pages[p-1], "\n") {
			if strings.Join(strings.Fields(l), " ") == "Atelier Engagements abordés Animation Salle" {
				header = true
			}
		}
		if !header {
			t.Errorf("page %d: header row not repeated:\n%s", p, pages[p-1])
		}
		// The column holds the repeated header cell too: drop it, so that a
		// row continued on the next page reads as one.
		col := norm(cropText(t, path, p, marginLeft+listColWorkshop+0.4, 15, listColCommitments-0.8, 262))
		if i := strings.Index(col, "(suite)"); i >= 0 { // end of the continuation title
			col = col[i+len("(suite)"):]
		}
		commitments += " " + strings.Replace(col, "Engagements abordés", "", 1)
	}
	commitments = norm(commitments)
	last := -1
	for _, ws := range k.Workshops {
		for _, c := range ws.Commitments {
			i := strings.Index(commitments[last+1:], norm(commitmentLabel(c)))
			if i < 0 {
				t.Errorf("workshop %d: %q missing or out of order", ws.Number, commitmentLabel(c))
				continue
			}
			last += 1 + i
		}
	}
	assertInsidePages(t, path)
}
