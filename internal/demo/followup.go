package demo

import (
	"time"

	"fabrique/internal/fabrique"
)

// The follow-up of the 2015–2017 plan (issue 17): statuses as the mid-term
// self-assessment could have put them on 13 June 2016, milestones,
// indicators, and the consultation of 13–30 June 2016 with a few comments
// and an answer. Figures, milestones and comments are illustrative (démo).

type demoStatus struct {
	number        string
	status        fabrique.CommitmentStatus
	justification string
}

var demoStatuses = []demoStatus{
	{"1", fabrique.StatusSubstantial, "Les budgets et comptes des collectivités pilotes sont publiés en données ouvertes (démo)."},
	{"2", fabrique.StatusLimited, "Le référentiel d'ouverture des données de la commande publique est en cours d'écriture avec des territoires pilotes (démo)."},
	{"3", fabrique.StatusSubstantial, "L'AFD, le MAEDI et la DG Trésor ont précisé les données qu'ils ouvrent et à quelle date (démo)."},
	{"4", fabrique.StatusLimited, "Un premier programme d'évaluations est publié ; les rapports ne sont pas encore tous en ligne (démo)."},
	{"5", fabrique.StatusLimited, "Une plateforme de signalement citoyen est à l'étude à la Cour des comptes (démo)."},
	{"6", fabrique.StatusCompleted, "Le décret généralisant la télédéclaration est publié et les déclarations sont en ligne (démo)."},
	{"7", fabrique.StatusNotStarted, "Les travaux attendent la transposition de la directive européenne (démo)."},
	{"8", fabrique.StatusLimited, "Premiers rapports des entreprises extractives attendus (démo)."},
	{"9", fabrique.StatusLimited, "Les documents de négociation sont publiés au cas par cas (démo)."},
	{"11", fabrique.StatusLimited, "Le registre des adresses est lancé avec la société civile ; d'autres registres sont à identifier (démo)."},
	{"12", fabrique.StatusSubstantial, "Les ressources juridiques sont ouvertes et une consultation sur un projet de loi a eu lieu en ligne (démo)."},
	{"13", fabrique.StatusSubstantial, "Les enseignements des consultations menées sont publiés (démo)."},
	{"15", fabrique.StatusSubstantial, "La politique d'ouverture est inscrite dans la loi pour une République numérique (démo)."},
	{"16", fabrique.StatusLimited, "Le code source d'un premier simulateur est publié (démo)."},
	{"17", fabrique.StatusSubstantial, "Les premières briques de l'État plateforme sont ouvertes (démo)."},
	{"18", fabrique.StatusSubstantial, "Le programme des start-up d'État améliore plusieurs services en ligne (démo)."},
	{"21", fabrique.StatusLimited, "Des formations aux données sont proposées aux agents (démo)."},
	{"22", fabrique.StatusLimited, "Un appel à projets de recherche est en préparation (démo)."},
	{"25", fabrique.StatusSubstantial, "La société civile a été associée à la préparation de la COP21 (démo)."},
}

type demoMilestone struct {
	number, title, due, done string
}

var demoMilestones = []demoMilestone{
	{"4", "Publier le programme des évaluations de politiques publiques", "2016-03-31", "2016-03-15"},
	{"4", "Mettre en ligne les rapports d'évaluation achevés", "2016-09-30", ""},
	{"4", "Associer la société civile au choix des évaluations suivantes", "2017-06-30", ""},
	{"15", "Inscrire le principe d'ouverture par défaut dans la loi", "2016-10-31", ""},
	{"15", "Nommer un administrateur général des données", "2014-09-30", "2014-09-16"},
	{"3", "Publier les données de l'aide au développement au standard IATI", "2016-06-30", "2016-05-30"},
	{"6", "Généraliser la télédéclaration", "2016-01-31", "2016-01-15"},
	{"11", "Ouvrir la base adresse nationale", "2015-12-31", "2016-04-15"},
	{"11", "Identifier trois nouveaux registres à coproduire", "2016-05-31", ""},
}

type demoIndicator struct {
	number, name, unit string
	target             float64
	values             []fabrique.Measurement
}

var demoIndicators = []demoIndicator{
	{"4", "Rapports d'évaluation publiés", "rapports", 40, []fabrique.Measurement{
		{Value: 8, MeasuredOn: "2015-12-31", Source: "SGMAP, tableau de suivi des évaluations (démo)"},
		{Value: 14, MeasuredOn: "2016-06-01", Source: "SGMAP, tableau de suivi des évaluations (démo)"},
	}},
	{"15", "Jeux de données publiés sur data.gouv.fr", "jeux de données", 25000, []fabrique.Measurement{
		{Value: 16000, MeasuredOn: "2015-07-01", Source: "data.gouv.fr, statistiques (démo)"},
		{Value: 19500, MeasuredOn: "2016-01-01", Source: "data.gouv.fr, statistiques (démo)"},
		{Value: 21800, MeasuredOn: "2016-06-01", Source: "data.gouv.fr, statistiques (démo)"},
	}},
}

type demoComment struct {
	number, author, text string
	at                   time.Time
	answer               string // the carrier's answer, "" for none
	answerBy             string
	answerAt             time.Time
}

var demoComments = []demoComment{
	{"4", "Camille R.", "Où peut-on consulter le calendrier des évaluations prévues en 2016 ? Il faudrait aussi publier les cahiers des charges.",
		at(2016, time.June, 15, 10, 12), "Le programme des évaluations est en ligne depuis mars 2016 ; les cahiers des charges seront publiés avec chaque rapport.",
		"Secrétariat général pour la modernisation de l'action publique", at(2016, time.June, 22, 9, 30)},
	{"15", "Yann (association de réutilisateurs)", "Un indicateur sur la qualité des jeux de données, pas seulement leur nombre, serait plus parlant.",
		at(2016, time.June, 17, 18, 40), "", "", time.Time{}},
	{"13", "Louise M.", "Les synthèses des consultations devraient dire ce qui a été retenu, et pourquoi.",
		at(2016, time.June, 28, 21, 5), "", "", time.Time{}},
}

func (l *loader) followUp() {
	if l.err != nil {
		return
	}
	fu := l.st.FollowUp()
	for _, s := range demoStatuses {
		if l.err == nil {
			_, l.err = fu.SetStatus(l.ctx, l.commitments[s.number], &fabrique.StatusInput{Status: s.status, Justification: s.justification, Date: "2016-06-13"})
		}
	}
	for _, m := range demoMilestones {
		if l.err == nil {
			l.err = fu.SaveMilestone(l.ctx, &fabrique.Milestone{CommitmentID: l.commitments[m.number], Title: m.title, Due: m.due, DoneOn: m.done})
		}
	}
	for _, d := range demoIndicators {
		target := d.target
		i := &fabrique.Indicator{CommitmentID: l.commitments[d.number], Name: d.name, Unit: d.unit, Target: &target}
		if l.err == nil {
			l.err = fu.SaveIndicator(l.ctx, i)
		}
		for _, v := range d.values {
			v.IndicatorID = i.ID
			if l.err == nil {
				l.err = fu.AddMeasurement(l.ctx, &v)
			}
		}
	}
	if l.err != nil {
		return
	}
	plan, err := l.st.Commitments().Get(l.ctx, l.commitments["4"])
	if err != nil {
		l.err = err
		return
	}
	cons := &fabrique.Consultation{PlanID: plan.PlanID, Title: "Consultation sur le rapport d'étape à mi-parcours", Opens: "2016-06-13", Closes: "2016-06-30", Moderation: fabrique.ModerationBefore}
	if l.err = fu.OpenConsultation(l.ctx, cons); l.err != nil {
		return
	}
	for _, d := range demoComments {
		c := &fabrique.Comment{CommitmentID: l.commitments[d.number], ConsultationID: cons.ID, Author: d.author, Text: d.text, CreatedAt: d.at}
		if l.err == nil {
			l.err = fu.RecordComment(l.ctx, c)
		}
		if d.answer != "" && l.err == nil {
			l.err = fu.RecordComment(l.ctx, &fabrique.Comment{CommitmentID: c.CommitmentID, ConsultationID: cons.ID, ParentID: &c.ID,
				Author: d.answerBy, Text: d.answer, CarrierAnswer: true, CreatedAt: d.answerAt})
		}
	}
}
