// Package demo loads the demonstration data of fabrique: the 2015–2017
// national action plan, « Ministère ouvert #1 » of 21 June 2016 exactly as in
// its booklet, a Forum Open d'État with its four phases, and demo accounts.
// Loading twice changes nothing.
package demo

import (
	"context"
	"fmt"
	"time"

	"fabrique/internal/fabrique"
)

// Version is recorded in the store's settings once the demo is loaded.
const Version = "1"

// Demo accounts, printed by `make run`.
const (
	AdminEmail     = "admin@fabrique.example"
	OrganiserEmail = "correspondant@fabrique.example"
	Password       = "demo-fabrique-2016"
)

// Result says what Load did.
type Result struct {
	Loaded bool // false when the demo was already there
}

// Load writes the demo data unless they are already there.
func Load(ctx context.Context, st fabrique.Store) (Result, error) {
	ctx = fabrique.WithUser(ctx, fabrique.System)
	if v, err := st.Meta(ctx, "demo"); err != nil {
		return Result{}, err
	} else if v != "" {
		return Result{}, nil
	}
	l := &loader{st: st, ctx: ctx, orgs: map[string]int64{}, people: map[string]int64{}, commitments: map[string]int64{}}
	l.organisations()
	l.plan()
	l.openMinistry()
	l.forum()
	l.facilitatorPool()
	l.followUp() // statuses, milestones, indicators, the consultation of June 2016 (issue 17)
	l.ministryMinutes()
	l.accounts()
	if l.err != nil {
		return Result{}, fmt.Errorf("demo: %w", l.err)
	}
	return Result{Loaded: true}, st.SetMeta(ctx, "demo", Version)
}

// loader keeps the first error and the ids of what it created.
type loader struct {
	st          fabrique.Store
	ctx         context.Context
	err         error
	orgs        map[string]int64
	people      map[string]int64
	commitments map[string]int64
	ministry    int64   // Ministère ouvert #1
	workshops   []int64 // its five workshops, in the booklet's order
}

func create[T any](l *loader, repo fabrique.Repository[T], v *T) *T {
	if l.err == nil {
		l.err = repo.Create(l.ctx, v)
	}
	return v
}

func ptr(v int64) *int64 { return &v }

// at is a wall-clock time in Paris.
func at(y int, m time.Month, d, hh, mm int) time.Time {
	return time.Date(y, m, d, hh, mm, 0, 0, fabrique.Paris)
}

type org struct {
	key, name, acronym string
	kind               fabrique.OrganisationKind
}

// trustedOrgs publish their events directly, without a declaration: the
// DITP, the services it continues (SGMAP, Etalab) and its ministry, host of
// the 2021 forum. The other ministries, the association and the laboratory
// publish through a declaration the DITP accepts (/staff/declarations).
var trustedOrgs = map[string]bool{"ditp": true, "sgmap": true, "etalab": true, "transformation": true}

func (l *loader) organisations() {
	for _, o := range []org{
		{"sere", "Secrétariat d'État chargé de la Réforme de l'État et de la Simplification", "", fabrique.OrgMinistry},
		{"sgmap", "Secrétariat général pour la modernisation de l'action publique", "SGMAP", fabrique.OrgAdministration},
		{"etalab", "Etalab", "", fabrique.OrgAdministration},
		{"ditp", "Direction interministérielle de la transformation publique", "DITP", fabrique.OrgAdministration},
		{"interieur", "Ministère de l'Intérieur", "", fabrique.OrgMinistry},
		{"economie", "Ministère de l'Économie et des Finances", "", fabrique.OrgMinistry},
		{"mae", "Ministère des Affaires étrangères et du Développement international", "MAEDI", fabrique.OrgMinistry},
		{"environnement", "Ministère de l'Environnement, de l'Énergie et de la Mer", "", fabrique.OrgMinistry},
		{"transformation", "Ministère de la Transformation et de la Fonction publiques", "", fabrique.OrgMinistry},
		{"ccomptes", "Cour des comptes", "", fabrique.OrgAuthority},
		{"hatvp", "Haute Autorité pour la transparence de la vie publique", "HATVP", fabrique.OrgAuthority},
		{"asso", "Association Données ouvertes et citoyenneté (démo)", "", fabrique.OrgCivilSociety},
		{"labo", "Laboratoire de recherche sur l'action publique numérique (démo)", "", fabrique.OrgResearch},
	} {
		v := create(l, l.st.Organisations(), &fabrique.Organisation{Name: o.name, Acronym: o.acronym, Kind: o.kind, Trusted: trustedOrgs[o.key]})
		l.orgs[o.key] = v.ID
	}
}

type commitment struct {
	number, title string
	carriers      []string
	principles    []fabrique.Principle
}

// The commitments of the 2015–2017 plan known from the seeds; the titles of
// those discussed at Ministère ouvert #1 are the booklet's own.
var commitments = []commitment{
	{"1", "Permettre à chacun de consulter, de comprendre et de réutiliser les données financières et les décisions des collectivités territoriales", []string{"interieur"}, []fabrique.Principle{fabrique.PrincipleTransparency}},
	{"2", "Accroître la transparence de la commande publique", []string{"economie"}, []fabrique.Principle{fabrique.PrincipleTransparency}},
	{"3", "Accroître la transparence de l'aide publique au développement", []string{"mae"}, []fabrique.Principle{fabrique.PrincipleTransparency}},
	{"4", "Evaluation des politiques publiques", []string{"sere", "sgmap"}, []fabrique.Principle{fabrique.PrincipleTransparency}},
	{"5", "Associer les citoyens aux travaux de la Cour des comptes", []string{"ccomptes"}, []fabrique.Principle{fabrique.PrincipleParticipation}},
	{"6", "Faciliter l'accès aux données relatives aux obligations de transparence des responsables publics", []string{"hatvp"}, []fabrique.Principle{fabrique.PrincipleTransparency}},
	{"7", "Identifier les bénéficiaires effectifs des personnes morales", []string{"economie"}, []fabrique.Principle{fabrique.PrincipleTransparency}},
	{"8", "Renforcer la transparence des paiements et revenus issus des industries extractives", []string{"economie"}, []fabrique.Principle{fabrique.PrincipleTransparency}},
	{"9", "Accroître la transparence des négociations commerciales internationales", []string{"mae"}, []fabrique.Principle{fabrique.PrincipleTransparency}},
	{"11", "Coproduire avec la société civile les registres de données essentielles à la société et l'économie", []string{"sere", "etalab"}, []fabrique.Principle{fabrique.PrincipleCollaboration, fabrique.PrincipleDigital}},
	{"12", "Poursuivre l'ouverture des ressources juridiques et la collaboration avec la société civile", []string{"sere", "sgmap"}, []fabrique.Principle{fabrique.PrincipleCollaboration}},
	{"13", "Capitaliser sur les consultations menées et rénover les dispositifs d'expression citoyenne", []string{"sere", "sgmap"}, []fabrique.Principle{fabrique.PrincipleParticipation}},
	{"15", "Renforcer la politique d'ouverture et de circulation des données", []string{"sere", "etalab"}, []fabrique.Principle{fabrique.PrincipleTransparency, fabrique.PrincipleDigital}},
	{"16", "Favoriser l'ouverture des modèles de calcul et des simulateurs de l'Etat", []string{"sere", "etalab"}, []fabrique.Principle{fabrique.PrincipleTransparency, fabrique.PrincipleDigital}},
	{"17", "Transformer les ressources technologiques de l'Etat en plateforme ouverte", []string{"sere", "sgmap"}, []fabrique.Principle{fabrique.PrincipleDigital}},
	{"18", "Mieux interagir avec l'utilisateur et améliorer les services publics grâce à l'administration numérique", []string{"sere", "sgmap"}, []fabrique.Principle{fabrique.PrincipleDigital, fabrique.PrincipleParticipation}},
	{"21", "Diffuser la culture de l'ouverture, des données et du numérique", []string{"sere", "sgmap"}, []fabrique.Principle{fabrique.PrincipleDigital}},
	{"22", "Diffuser l'innovation et approfondir la recherche sur le gouvernement ouvert", []string{"sere", "sgmap"}, []fabrique.Principle{fabrique.PrincipleCollaboration, fabrique.PrincipleDigital}},
	{"25", "Associer la société civile aux enjeux du climat et du développement durable", []string{"environnement"}, []fabrique.Principle{fabrique.PrincipleParticipation, fabrique.PrincipleTransparency}},
}

func (l *loader) plan() {
	plan := create(l, l.st.ActionPlans(), &fabrique.ActionPlan{
		Title: "Plan d'action national pour une action publique transparente et collaborative 2015-2017", PeriodStart: "2015-07-16", PeriodEnd: "2017-07-15",
	})
	for _, c := range commitments {
		var carriers []int64
		for _, k := range c.carriers {
			carriers = append(carriers, l.orgs[k])
		}
		v := create(l, l.st.Commitments(), &fabrique.Commitment{
			PlanID: plan.ID, Number: c.number, Title: c.title, Kind: fabrique.KindCommitment,
			CarrierIDs: carriers, Principles: c.principles, Status: fabrique.StatusInProgress,
		})
		l.commitments[c.number] = v.ID
	}
}

// person creates a person once and returns its id.
func (l *loader) person(name, orgKey string, cat fabrique.Category, role string, topics ...string) int64 {
	if id, ok := l.people[name]; ok {
		return id
	}
	var org *int64
	if orgKey != "" {
		org = ptr(l.orgs[orgKey])
	}
	v := create(l, l.st.People(), &fabrique.Person{Name: name, OrganisationID: org, Category: cat, Role: role, Topics: topics})
	l.people[name] = v.ID
	return v.ID
}

func (l *loader) accounts() {
	if l.err != nil {
		return
	}
	users := l.st.Users()
	for _, u := range []*fabrique.User{
		{Email: AdminEmail, Name: "Administratrice DITP (démo)", Role: fabrique.RoleAdmin},
		{Email: OrganiserEmail, Name: "Correspondant du Secrétariat d'État (démo)", Role: fabrique.RoleOrganiser, OrganisationID: ptr(l.orgs["sere"])},
		{Email: "simon.chignard@fabrique.example", Name: "Simon Chignard", Role: fabrique.RoleFacilitator, PersonID: ptr(l.people["Simon Chignard"])},
	} {
		if l.err == nil {
			l.err = users.CreateUser(l.ctx, u, Password)
		}
	}
}
