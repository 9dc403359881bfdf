package pages

import (
	"fmt"

	"fabrique/internal/fabrique"
)

// labels are the French names of the domain's codes, by family.
var labels = map[string]map[string]string{
	"event": {
		string(fabrique.EventOpenMinistry):   "Ministère ouvert",
		string(fabrique.EventForum):          "Forum Open d'État",
		string(fabrique.EventWorkshop):       "Atelier de travail",
		string(fabrique.EventProgressReview): "Point d'étape",
		string(fabrique.EventRelayWorkshop):  "Atelier-relais",
	},
	"status": {
		string(fabrique.EventDraft):     "Brouillon",
		string(fabrique.EventPublished): "Publié",
		string(fabrique.EventCancelled): "Annulé",
	},
	"phase": {
		string(fabrique.PhaseInvestigation): "Investigation",
		string(fabrique.PhaseLaunch):        "Lancement",
		string(fabrique.PhaseForum):         "Forum",
		string(fabrique.PhaseDeepening):     "Approfondissement",
	},
	"item": {
		string(fabrique.ItemWelcome):      "Accueil",
		string(fabrique.ItemOpening):      "Ouverture",
		string(fabrique.ItemPresentation): "Présentation",
		string(fabrique.ItemWorkshops):    "Ateliers",
		string(fabrique.ItemReportBack):   "Restitution en plénière",
		string(fabrique.ItemClosing):      "Clôture",
		string(fabrique.ItemRoundTable):   "Table ronde",
		string(fabrique.ItemRestitution):  "Restitution de l'investigation",
		string(fabrique.ItemPropulsion):   "Propulsion",
		string(fabrique.ItemBreak):        "Pause",
		string(fabrique.ItemOther):        "Autre",
	},
	"org": {
		string(fabrique.OrgMinistry):       "Ministère",
		string(fabrique.OrgAdministration): "Administration",
		string(fabrique.OrgAuthority):      "Autorité indépendante",
		string(fabrique.OrgCivilSociety):   "Société civile",
		string(fabrique.OrgResearch):       "Recherche",
		string(fabrique.OrgCompany):        "Entreprise",
		string(fabrique.OrgLocalAuthority): "Collectivité territoriale",
	},
	"category": {
		string(fabrique.CategoryPublicAgent):  "Agent public",
		string(fabrique.CategoryCivilSociety): "Société civile",
		string(fabrique.CategoryCitizen):      "Citoyen·ne",
		string(fabrique.CategoryResearcher):   "Chercheur·e",
		string(fabrique.CategoryElected):      "Élu·e",
	},
	"commitment": {
		string(fabrique.KindCommitment): "Engagement",
		string(fabrique.KindAction):     "Action",
		string(fabrique.KindInitiative): "Initiative",
	},
	"progress": {
		string(fabrique.StatusNotStarted):  "Non commencé",
		string(fabrique.StatusInProgress):  "En cours",
		string(fabrique.StatusCompleted):   "Réalisé",
		string(fabrique.StatusAbandoned):   "Abandonné",
		string(fabrique.StatusLimited):     "Mise en œuvre limitée",
		string(fabrique.StatusSubstantial): "Mise en œuvre substantielle",
	},
	"principle": {
		string(fabrique.PrincipleTransparency):  "Transparence et redevabilité",
		string(fabrique.PrincipleParticipation): "Participation citoyenne",
		string(fabrique.PrincipleCollaboration): "Collaboration",
		string(fabrique.PrincipleDigital):       "Numérique et innovation",
	},
	"partner": {
		string(fabrique.PartnerToContact): "À contacter",
		string(fabrique.PartnerContacted): "Contacté",
		string(fabrique.PartnerCommitted): "Engagé",
		string(fabrique.PartnerDeclined):  "A décliné",
	},
	"role": {
		string(fabrique.RoleAdmin):       "Administrateur·rice DITP",
		string(fabrique.RoleOrganiser):   "Correspondant·e ministériel·le",
		string(fabrique.RoleFacilitator): "Animateur·rice",
	},
}

// label returns the French name of a code of a family ("event", "org"…),
// or the code itself when unknown.
func label(family string, code any) string {
	s := fmt.Sprint(code)
	if l, ok := labels[family][s]; ok {
		return l
	}
	return s
}

// options lists the codes of a family as choices, in the given order.
func options[T ~string](family string, codes []T) []option {
	out := make([]option, len(codes))
	for i, c := range codes {
		out[i] = option{Value: string(c), Label: label(family, c)}
	}
	return out
}
