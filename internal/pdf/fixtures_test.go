package pdf

import (
	"fmt"
	"time"

	"fabrique/internal/fabrique"
)

// at returns the time h:m on 21 June 2016 in Paris (Ministère ouvert #1).
func at(h, m int) time.Time {
	return time.Date(2016, time.June, 21, h, m, 0, 0, fabrique.Paris)
}

// seed001Kit is the kit of Ministère ouvert #1 (seed 001, 21 June 2016):
// programme, workshops, rooms, facilitators and commitments as printed in
// the booklet. The venue, the address and the participants are not in the
// seed: they are fictional.
func seed001Kit() *Kit {
	k := &Kit{
		Title:   "Ministère ouvert #1",
		Kind:    "Ministère ouvert",
		Host:    "Secrétariat d'État chargé de la Réforme de l'État et de la Simplification",
		Venue:   "Centre de conférences (lieu fictif)",
		Address: "1 rue de l'Exemple, 75007 Paris",
		Start:   at(17, 30),
		End:     at(20, 15),
		Programme: []ProgrammeItem{
			{Start: at(17, 30), Title: "Accueil"},
			{Start: at(18, 0), End: at(18, 10), Title: "Ouverture",
				Speakers: "Laure de la Bretèche, secrétaire générale pour la modernisation de l'action publique"},
			{Start: at(18, 10), End: at(18, 20), Title: "Présentation des dix engagements et de la méthodologie des ateliers",
				Speakers: "Etalab"},
			{Start: at(18, 20), End: at(19, 20), Title: "Ateliers de suivi des engagements"},
			{Start: at(19, 20), End: at(19, 40), Title: "Restitution des ateliers en plénière"},
			{Start: at(19, 40), End: at(20, 15), Title: "Clôture, suivie d'un apéritif convivial",
				Speakers: "Jean-Vincent Placé, secrétaire d'État chargé de la Réforme de l'État et de la Simplification"},
		},
		Workshops: []Workshop{
			{Number: 1, Title: "Evaluation des politiques publiques", Room: "Cantine",
				Facilitators: []string{"Vincent Lahuec", "Guillaume Thibault"},
				Commitments:  []Commitment{{"4", "Evaluation des politiques publiques"}}},
			{Number: 2, Title: "Expression citoyenne et collaboration autour de l'élaboration de la loi", Room: "Salle B",
				Facilitators: []string{"Paula Forteza", "Céline Pelletier", "Françoise Waintrop"},
				Commitments: []Commitment{
					{"12", "Poursuivre l'ouverture des ressources juridiques et la collaboration avec la société civile"},
					{"13", "Capitaliser sur les consultations menées et rénover les dispositifs d'expression citoyenne"},
				}},
			{Number: 3, Title: "Ouverture des données et des codes sources", Room: "Salle 109",
				Facilitators: []string{"Simon Chignard"},
				Commitments: []Commitment{
					{"11", "Coproduire avec la société civile les registres de données essentielles à la société et l'économie"},
					{"15", "Renforcer la politique d'ouverture et de circulation des données"},
					{"16", "Favoriser l'ouverture des modèles de calcul et des simulateurs de l'Etat"},
				}},
			{Number: 4, Title: "Etat plateforme et administration numérique", Room: "Salle de la Chapelle",
				Facilitators: []string{"Amélie Banzet", "Guillaume Blot", "Bénédicte Roullier"},
				Commitments: []Commitment{
					{"17", "Transformer les ressources technologiques de l'Etat en plateforme ouverte"},
					{"18", "Mieux interagir avec l'utilisateur et améliorer les services publics grâce à l'administration numérique"},
				}},
			{Number: 5, Title: "Culture de l'ouverture et de l'innovation", Room: "Salle de Marbre",
				Facilitators: []string{"Jean-Baptiste Bodin", "Sarah Labelle"},
				Commitments: []Commitment{
					{"21", "Diffuser la culture de l'ouverture, des données et du numérique"},
					{"22", "Diffuser l'innovation et approfondir la recherche sur le gouvernement ouvert"},
				}},
		},
	}
	for i := range k.Workshops {
		ws := &k.Workshops[i]
		ws.Start, ws.End, ws.Capacity = at(18, 20), at(19, 20), 20
		ws.Participants = participants(ws.Number, 6)
	}
	return k
}

var (
	firstNames = []string{"Zoé", "Hélène", "Loïc", "François", "Maëlle", "Jérôme", "Cécile", "Anaïs", "Benoît", "Noémie"}
	lastNames  = []string{"Lefèvre", "Bénard", "Dupré", "Garçon", "Mérieux", "Chênevert", "Thérond", "Œhmichen", "Brûlé", "Lagüe"}
	orgs       = []string{"Direction interministérielle du numérique", "Association Regards Citoyens", "Mairie de Besançon",
		"Université Paris-Saclay", "Cour des comptes", "Collectif Open Data France"}
	categories = []string{"Agent public", "Société civile", "Citoyen", "Chercheur", "Élu"}
)

// participantName is unique per (workshop, index) and never a substring
// of another participant's name.
func participantName(workshop, i int) string {
	return fmt.Sprintf("%s %s A%02dP%03d", firstNames[i%len(firstNames)], lastNames[(i/len(firstNames)+workshop)%len(lastNames)], workshop, i+1)
}

// participants returns n fictional participants of a workshop.
func participants(workshop, n int) []Participant {
	ps := make([]Participant, n)
	for i := range ps {
		ps[i] = Participant{
			Name:         participantName(workshop, i),
			Organisation: orgs[(i+workshop)%len(orgs)],
			Category:     categories[(i+workshop)%len(categories)],
		}
	}
	return ps
}

// forumKit is a Forum Open d'État (six-week process, seed 002 format) with
// fictional dates, speakers and workshops.
func forumKit() *Kit {
	day := func(m time.Month, d, h, min int) time.Time {
		return time.Date(2021, m, d, h, min, 0, 0, fabrique.Paris)
	}
	k := &Kit{
		Title:   "Forum Open d'État — la participation citoyenne",
		Kind:    "Forum Open d'État",
		Host:    "Direction interministérielle de la transformation publique",
		Venue:   "Ministère de la Transition écologique (lieu fictif)",
		Address: "2 place de l'Exemple, 75007 Paris",
		Start:   day(time.March, 4, 14, 0),
		End:     day(time.March, 4, 17, 0),
		Phases: []Phase{
			{Name: "Investigation", Start: day(time.February, 1, 0, 0), End: day(time.February, 15, 0, 0)},
			{Name: "Lancement", Start: day(time.February, 18, 18, 0), End: day(time.February, 18, 19, 30)},
			{Name: "Forum", Start: day(time.March, 4, 14, 0), End: day(time.March, 4, 17, 0)},
			{Name: "Approfondissement", Start: day(time.March, 5, 0, 0), End: day(time.March, 19, 0, 0)},
		},
		RoundTable: []Speaker{
			{"Chloé Ferrand", "CNRS, chercheuse en science politique"},
			{"Raphaël Nguyễn", "Direction interministérielle du numérique"},
			{"Sophie Lemaître", "Association Démocratie Ouverte"},
		},
		Programme: []ProgrammeItem{
			{Start: day(time.March, 4, 14, 0), End: day(time.March, 4, 14, 45), Title: "Temps 1 : restitution de l'investigation"},
			{Start: day(time.March, 4, 14, 45), End: day(time.March, 4, 16, 15), Title: "Temps 2 : ateliers"},
			{Start: day(time.March, 4, 16, 15), End: day(time.March, 4, 17, 0), Title: "Temps 3 : propulsion"},
		},
	}
	for i, title := range []string{"Les controverses de la participation en ligne", "Mesurer l'impact des consultations", "Associer les collectivités"} {
		k.Workshops = append(k.Workshops, Workshop{
			Number: i + 1, Title: title, Room: fmt.Sprintf("Salle %d", 201+i),
			Start: day(time.March, 4, 14, 45), End: day(time.March, 4, 16, 15), Capacity: 25,
			Controversy:  i == 0,
			Facilitators: []string{"Médiatrice DITP"},
			Participants: participants(10+i, 4),
		})
	}
	return k
}
