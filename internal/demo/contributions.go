package demo

import "fabrique/internal/fabrique"

// What the five workshops of Ministère ouvert #1 said on 21 June 2016,
// question by question, attached to the commitments they followed (issue
// 17): their minutes are published, so that each commitment's page, the
// progress report and the open data show the workshop and its
// contributions. The booklet (seed 001) gives the four questions, not the
// answers: the texts are illustrative (démo).

type demoContribution struct {
	category fabrique.ContributionCategory
	text     string
	author   string // named with consent; "" for an anonymous contribution
}

// ministryContributions are the contributions of each workshop, in the booklet's order.
var ministryContributions = [][]demoContribution{
	{ // 1. Evaluation des politiques publiques (engagement 4)
		{fabrique.ContribIndicators, "Compter les rapports d'évaluation publiés, et le délai entre la fin d'une évaluation et sa publication (démo).", ""},
		{fabrique.ContribInitiatives, "S'inspirer des registres publics d'évaluations tenus par d'autres pays de l'OGP (démo).", ""},
		{fabrique.ContribChallenges, "Les ministères hésitent à publier les évaluations défavorables ; une règle de publication par défaut aiderait (démo).", "Association Données ouvertes et citoyenneté (démo)"},
		{fabrique.ContribCommitments, "Associer des citoyens au choix des politiques évaluées dans le prochain plan (démo).", ""},
	},
	{ // 2. Expression citoyenne et élaboration de la loi (engagements 12 et 13)
		{fabrique.ContribIndicators, "Mesurer combien de contributions des consultations en ligne ont été reprises dans les textes (démo).", ""},
		{fabrique.ContribInitiatives, "La consultation sur le projet de loi pour une République numérique, avec ses réponses motivées (démo).", ""},
		{fabrique.ContribChallenges, "Rendre compte à chaque contributeur de ce qui a été retenu, et pourquoi (démo).", ""},
		{fabrique.ContribCommitments, "Ouvrir les amendements et les débats parlementaires en données ouvertes (démo).", "Laboratoire de recherche sur l'action publique numérique (démo)"},
	},
	{ // 3. Ouverture des données et des codes sources (engagements 11, 15 et 16)
		{fabrique.ContribIndicators, "Suivre la qualité et la fraîcheur des jeux de données, pas seulement leur nombre (démo).", ""},
		{fabrique.ContribInitiatives, "La base adresse nationale, coproduite avec OpenStreetMap et La Poste (démo).", ""},
		{fabrique.ContribChallenges, "Publier le code source des simulateurs demande de documenter leurs règles de calcul (démo).", ""},
		{fabrique.ContribCommitments, "Tenir un inventaire public des algorithmes qui fondent des décisions individuelles (démo).", "Association Données ouvertes et citoyenneté (démo)"},
	},
	{ // 4. Etat plateforme et administration numérique (engagements 17 et 18)
		{fabrique.ContribIndicators, "Compter les démarches en ligne qui ne redemandent plus une pièce déjà détenue par l'administration (démo).", ""},
		{fabrique.ContribInitiatives, "Les start-up d'État, petites équipes autonomes au service d'un problème d'usagers (démo).", ""},
		{fabrique.ContribChallenges, "Les API entre administrations dépendent encore de conventions signées une à une (démo).", ""},
		{fabrique.ContribCommitments, "Publier la feuille de route des API de l'État et leurs conditions d'accès (démo).", ""},
	},
	{ // 5. Culture de l'ouverture et de l'innovation (engagements 21 et 22)
		{fabrique.ContribIndicators, "Nombre d'agents formés aux données et au numérique chaque année (démo).", ""},
		{fabrique.ContribInitiatives, "Des ateliers « Ministère ouvert » dans chaque ministère, sur ce modèle (démo).", ""},
		{fabrique.ContribChallenges, "La prise de risque des agents qui innovent n'est pas reconnue (démo).", ""},
		{fabrique.ContribCommitments, "Un programme de recherche sur le gouvernement ouvert avec les universités (démo).", "Laboratoire de recherche sur l'action publique numérique (démo)"},
	},
}

// ministryMinutes records the contributions of Ministère ouvert #1, each
// workshop's summary, approves them and publishes the minutes.
func (l *loader) ministryMinutes() {
	if l.err != nil {
		return
	}
	m := l.st.Minutes()
	for i, list := range ministryContributions {
		ws := l.workshops[i]
		for _, d := range list {
			c := &fabrique.Contribution{WorkshopID: ws, Category: d.category, Text: d.text, Author: d.author, Consent: d.author != "", Publishable: true}
			if l.err == nil {
				l.err = m.CreateContribution(l.ctx, c)
			}
		}
		if l.err == nil {
			l.err = m.SaveWorkshopMinutes(l.ctx, &fabrique.WorkshopMinutes{WorkshopID: ws,
				Summary: "Une vingtaine de participants ont fait le point sur l'avancement des engagements affichés dans la salle et répondu aux quatre questions de l'atelier (démo)."})
		}
		if l.err == nil {
			_, l.err = m.ApproveWorkshopMinutes(l.ctx, ws)
		}
	}
	if l.err == nil {
		l.err = m.SaveEventMinutes(l.ctx, &fabrique.EventMinutes{EventID: l.ministry,
			ReportBack: "Chaque atelier a restitué en plénière ses pistes : des indicateurs d'impact plus précis, la publication par défaut des évaluations et des codes sources, et des suites à donner dans le prochain plan d'action (démo)."})
	}
	if l.err == nil {
		_, l.err = m.PublishEventMinutes(l.ctx, l.ministry)
	}
}
