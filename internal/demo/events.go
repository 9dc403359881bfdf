package demo

import (
	"time"

	"fabrique/internal/fabrique"
)

// openMinistry creates « Ministère ouvert #1 » as in its booklet (seed 001).
func (l *loader) openMinistry() {
	host := l.orgs["sere"]
	venue := create(l, l.st.Venues(), &fabrique.Venue{
		Name:               "Secrétariat d'État chargé de la Réforme de l'État et de la Simplification",
		Address:            "Paris (adresse non précisée dans le livret du 21 juin 2016)",
		City:               "Paris",
		HostOrganisationID: &host,
	})
	rooms := map[string]int64{}
	for _, r := range []struct {
		name     string
		capacity int
	}{{"Cantine", 40}, {"Salle B", 25}, {"Salle 109", 25}, {"Salle de la Chapelle", 30}, {"Salle de Marbre", 120}} {
		v := create(l, l.st.Rooms(), &fabrique.Room{VenueID: venue.ID, Name: r.name, Capacity: r.capacity, StepFree: true, Equipment: []string{"vidéoprojecteur"}})
		rooms[r.name] = v.ID
	}
	day := func(hh, mm int) time.Time { return at(2016, time.June, 21, hh, mm) }
	ev := create(l, l.st.Events(), &fabrique.Event{
		Kind: fabrique.EventOpenMinistry, Title: "Ministère ouvert #1", Theme: "Suivi des engagements du Plan d'action national 2015-2017",
		Description:        "Première édition du format « Ministère ouvert » : agents de l'administration et représentants de la société civile échangent sur le suivi et la mise en œuvre des engagements du Plan d'action.",
		HostOrganisationID: host, Status: fabrique.EventPublished, VenueID: &venue.ID,
		Start: day(17, 30), End: day(20, 15), Capacity: 100,
	})
	plenary := ptr(rooms["Salle de Marbre"])
	bretache := l.person("Laure de la Bretèche", "sgmap", fabrique.CategoryPublicAgent, "secrétaire générale pour la modernisation de l'action publique")
	place := l.person("Jean-Vincent Placé", "sere", fabrique.CategoryElected, "secrétaire d'État chargé de la Réforme de l'État et de la Simplification")
	item := func(kind fabrique.ItemKind, title string, start, end time.Time, speakers ...int64) *fabrique.ProgrammeItem {
		room := plenary
		if kind == fabrique.ItemWorkshops {
			room = nil
		}
		return create(l, l.st.Items(), &fabrique.ProgrammeItem{EventID: ev.ID, Kind: kind, Title: title, Start: start, End: end, RoomID: room, SpeakerIDs: speakers})
	}
	item(fabrique.ItemWelcome, "Accueil", day(17, 30), day(18, 0))
	item(fabrique.ItemOpening, "Ouverture par Laure de la Bretèche, secrétaire générale pour la modernisation de l'action publique", day(18, 0), day(18, 10), bretache)
	item(fabrique.ItemPresentation, "Présentation des dix engagements et de la méthodologie des ateliers par Etalab", day(18, 10), day(18, 20))
	slot := item(fabrique.ItemWorkshops, "Ateliers de suivi des engagements", day(18, 20), day(19, 20))
	item(fabrique.ItemReportBack, "Restitution des ateliers en plénière", day(19, 20), day(19, 40))
	item(fabrique.ItemClosing, "Clôture par Jean-Vincent Placé, secrétaire d'État chargé de la Réforme de l'État et de la Simplification, suivi d'un apéritif convivial", day(19, 40), day(20, 15), place)

	for i, w := range OpenMinistryWorkshops {
		var facilitators, commits []int64
		for _, name := range w.Facilitators {
			facilitators = append(facilitators, l.person(name, "sgmap", fabrique.CategoryPublicAgent, "agent du SGMAP"))
		}
		for _, n := range w.Commitments {
			commits = append(commits, l.commitments[n])
		}
		ws := create(l, l.st.Workshops(), &fabrique.Workshop{
			EventID: ev.ID, ItemID: slot.ID, Number: i + 1, Title: w.Title, RoomID: ptr(rooms[w.Room]), Capacity: 20,
			FacilitatorIDs: facilitators, CommitmentIDs: commits,
		})
		l.workshops = append(l.workshops, ws.ID)
	}
	l.ministry = ev.ID
}

// SeedWorkshop is a workshop of Ministère ouvert #1 as listed in its booklet.
type SeedWorkshop struct {
	Title        string
	Room         string
	Commitments  []string
	Facilitators []string
}

// OpenMinistryWorkshops are the five workshops of 21 June 2016 (seed 001).
var OpenMinistryWorkshops = []SeedWorkshop{
	{"Evaluation des politiques publiques", "Cantine", []string{"4"}, []string{"Vincent Lahuec", "Guillaume Thibault"}},
	{"Expression citoyenne et collaboration autour de l'élaboration de la loi", "Salle B", []string{"12", "13"}, []string{"Paula Forteza", "Céline Pelletier", "Françoise Waintrop"}},
	{"Ouverture des données et des codes sources", "Salle 109", []string{"11", "15", "16"}, []string{"Simon Chignard"}},
	{"Etat plateforme et administration numérique", "Salle de la Chapelle", []string{"17", "18"}, []string{"Amélie Banzet", "Guillaume Blot", "Bénédicte Roullier"}},
	{"Culture de l'ouverture et de l'innovation", "Salle de Marbre", []string{"21", "22"}, []string{"Jean-Baptiste Bodin", "Sarah Labelle"}},
}

// forum creates a Forum Open d'État on the transparency of public
// algorithms, with its four phases over six weeks (seed 002).
func (l *loader) forum() {
	host := l.orgs["transformation"]
	venue := create(l, l.st.Venues(), &fabrique.Venue{
		Name: "Ministère de la Transformation et de la Fonction publiques", Address: "101 rue de Grenelle, 75007 Paris", City: "Paris", HostOrganisationID: &host,
	})
	rooms := map[string]int64{}
	for _, r := range []struct {
		name     string
		capacity int
	}{{"Salle Marianne", 80}, {"Salle 1", 25}, {"Salle 2", 25}, {"Salle 3", 25}} {
		v := create(l, l.st.Rooms(), &fabrique.Room{VenueID: venue.ID, Name: r.name, Capacity: r.capacity, StepFree: true, Equipment: []string{"vidéoprojecteur", "visioconférence"}})
		rooms[r.name] = v.ID
	}
	online := "https://webinaire.numerique.gouv.fr/forum-algorithmes-publics"
	ev := create(l, l.st.Events(), &fabrique.Event{
		Kind: fabrique.EventForum, Title: "Forum Open d'État : la transparence des algorithmes publics", Theme: "Transparence des algorithmes publics",
		Description:        "Six semaines pour structurer une communauté de confiance autour des algorithmes publics, explorer les controverses et instruire un engagement du prochain plan d'action.",
		HostOrganisationID: host, Status: fabrique.EventDraft, VenueID: &venue.ID, OnlineURL: online,
		Start: at(2027, time.January, 4, 9, 0), End: at(2027, time.February, 12, 18, 0), Capacity: 80,
	})
	phase := func(kind fabrique.PhaseKind, start, end time.Time, online bool) *fabrique.Phase {
		return create(l, l.st.Phases(), &fabrique.Phase{EventID: ev.ID, Kind: kind, Start: start, End: end, Online: online})
	}
	phase(fabrique.PhaseInvestigation, at(2027, time.January, 4, 9, 0), at(2027, time.January, 15, 18, 0), false)
	launch := phase(fabrique.PhaseLaunch, at(2027, time.January, 19, 18, 0), at(2027, time.January, 19, 19, 30), true)
	forum := phase(fabrique.PhaseForum, at(2027, time.January, 28, 14, 0), at(2027, time.January, 28, 17, 0), false)
	phase(fabrique.PhaseDeepening, at(2027, time.January, 29, 9, 0), at(2027, time.February, 12, 18, 0), false)

	speakers := []int64{
		l.person("Claire Dubois (démo)", "labo", fabrique.CategoryResearcher, "chercheuse", "algorithmes publics"),
		l.person("Karim Benali (démo)", "etalab", fabrique.CategoryPublicAgent, "chef de projet codes sources", "codes sources", "open data"),
		l.person("Juliette Morel (démo)", "asso", fabrique.CategoryCivilSociety, "présidente d'association", "transparence"),
		l.person("Hugo Lefèvre (démo)", "hatvp", fabrique.CategoryPublicAgent, "juriste", "transparence"),
	}
	create(l, l.st.Items(), &fabrique.ProgrammeItem{EventID: ev.ID, PhaseID: &launch.ID, Kind: fabrique.ItemRoundTable,
		Title: "Table ronde de lancement : quels enjeux pour la transparence des algorithmes publics ?", Start: launch.Start, End: launch.End, Online: true, SpeakerIDs: speakers})
	fday := func(hh, mm int) time.Time { return at(2027, time.January, 28, hh, mm) }
	marianne := ptr(rooms["Salle Marianne"])
	create(l, l.st.Items(), &fabrique.ProgrammeItem{EventID: ev.ID, PhaseID: &forum.ID, Kind: fabrique.ItemRestitution,
		Title: "Temps 1 : restitution de l'investigation par la DITP", Start: fday(14, 0), End: fday(14, 45), RoomID: marianne})
	slot := create(l, l.st.Items(), &fabrique.ProgrammeItem{EventID: ev.ID, PhaseID: &forum.ID, Kind: fabrique.ItemWorkshops,
		Title: "Temps 2 : ateliers", Start: fday(14, 45), End: fday(16, 15)})
	create(l, l.st.Items(), &fabrique.ProgrammeItem{EventID: ev.ID, PhaseID: &forum.ID, Kind: fabrique.ItemPropulsion,
		Title: "Temps 3 : propulsion, partage et prochaines étapes", Start: fday(16, 15), End: fday(17, 0), RoomID: marianne})
	mediator := l.person("Élise Garnier (démo)", "ditp", fabrique.CategoryPublicAgent, "médiatrice DITP", "participation")
	for i, w := range []struct {
		title       string
		room        string
		controversy bool
		facilitator int64
		commitments []string
	}{
		{"Recenser les algorithmes publics et leurs usages", "Salle 1", false, speakers[1], []string{"16"}},
		{"Controverses : expliquer les décisions ou protéger les secrets ?", "Salle 2", true, mediator, []string{"16", "15"}},
		{"Publier les codes sources : par où commencer ?", "Salle 3", false, speakers[0], []string{"15"}},
	} {
		var commits []int64
		for _, n := range w.commitments {
			commits = append(commits, l.commitments[n])
		}
		create(l, l.st.Workshops(), &fabrique.Workshop{EventID: ev.ID, ItemID: slot.ID, Number: i + 1, Title: w.title, RoomID: ptr(rooms[w.room]),
			Capacity: 20, Controversy: w.controversy, FacilitatorIDs: []int64{w.facilitator}, CommitmentIDs: commits})
	}
	// Published once complete: publishing checks the forum's rules.
	if l.err == nil {
		ev.Status = fabrique.EventPublished
		l.err = l.st.Events().Update(l.ctx, ev)
	}
}

// facilitatorPool adds facilitators who gave their availability for 2027,
// so that automatic assignment has people to propose on new events.
func (l *loader) facilitatorPool() {
	year := []fabrique.Window{{Start: at(2027, time.January, 1, 8, 0), End: at(2028, time.January, 1, 0, 0)}}
	for _, p := range []struct {
		name, org string
		topics    []string
	}{
		{"Camille Roux (démo)", "ditp", []string{"participation", "consultations"}},
		{"Mathieu Perrin (démo)", "etalab", []string{"open data", "codes sources"}},
		{"Nadia Haddad (démo)", "ditp", []string{"évaluation", "transparence"}},
		{"Olivier Marchand (démo)", "sgmap", []string{"administration numérique"}},
		{"Léa Fontaine (démo)", "asso", []string{"transparence", "participation"}},
		{"Thomas Girard (démo)", "labo", []string{"recherche", "algorithmes publics"}},
	} {
		var org *int64
		if id, ok := l.orgs[p.org]; ok {
			org = &id
		}
		v := create(l, l.st.People(), &fabrique.Person{Name: p.name, OrganisationID: org, Category: category(p.org), Role: "animateur·rice", Topics: p.topics, Availability: year})
		l.people[p.name] = v.ID
	}
}

func category(orgKey string) fabrique.Category {
	switch orgKey {
	case "asso":
		return fabrique.CategoryCivilSociety
	case "labo":
		return fabrique.CategoryResearcher
	}
	return fabrique.CategoryPublicAgent
}
