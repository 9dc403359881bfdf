package fabrique

import (
	"slices"
	"strconv"
	"strings"
)

// The access policy: who may do what on which object, as one table of
// role × action × ownership. The store's rules, the pages' buttons and the
// tests all ask it; nothing else decides.

// Object is a kind of object the policy speaks of.
type Object string

// Objects of the policy.
const (
	ObjReference    Object = "reference"    // action plans, commitments, organisations
	ObjEvent        Object = "event"        // an event and what belongs to it: phases, programme, workshops, exceptions
	ObjVenue        Object = "venue"        // a venue and its rooms
	ObjContact      Object = "contact"      // a staff contact: facilitator, speaker, correspondent
	ObjParticipant  Object = "participant"  // a registrant and their registrations
	ObjMinutes      Object = "minutes"      // contributions, attendance and minutes of a workshop
	ObjService      Object = "service"      // the service itself: accounts, register of processing, metrics
	ObjFollowUp     Object = "followup"     // the follow-up of a commitment: status, milestones, indicators, the carriers' answers
	ObjConsultation Object = "consultation" // a plan's consultations and their comments
)

// Action is what a user wants to do with an object.
type Action string

// Actions of the policy.
const (
	ActRead    Action = "read"    // read it whole (personal data included; unpublished events)
	ActChange  Action = "change"  // create, change, delete
	ActUse     Action = "use"     // book a venue or its rooms, pick a contact as facilitator or speaker (by name)
	ActPublish Action = "publish" // publish an event or minutes
	ActApprove Action = "approve" // approve a workshop's minutes
	ActWaive   Action = "waive"   // waive a conflict of an event by a reasoned exception
)

// Ownership is how an object relates to the user acting.
type Ownership string

// Ownerships of an object.
const (
	OwnOrg   Ownership = "own"   // it belongs to the user's organisation; for a facilitator, their workshop or themself
	OtherOrg Ownership = "other" // it belongs to another organisation (for a facilitator, someone else's)
	DITPOrg  Ownership = "ditp"  // it belongs to no organisation: the DITP's (a venue without host, a contact created by the DITP)
	Shared   Ownership = "none"  // reference data nobody owns (plans, commitments, organisations)
)

// Ownerships lists the ownerships, in the order of the README's table.
var Ownerships = []Ownership{OwnOrg, OtherOrg, DITPOrg, Shared}

// Rule is one line of the policy: for an object and an action, the
// ownerships under which each role may act. Administrators (the DITP) may
// do everything; an anonymous visitor only what Anonymous says.
type Rule struct {
	Object      Object
	Action      Action
	Label       string // French, for messages and the README: « modifier un événement »
	Organiser   []Ownership
	Facilitator []Ownership
	Anonymous   bool
}

var (
	own       = []Ownership{OwnOrg}
	ownOrDITP = []Ownership{OwnOrg, DITPOrg}
	anyOwner  = []Ownership{OwnOrg, OtherOrg, DITPOrg, Shared}
)

// Policy is the table of who may do what. Read rights on published events
// and their programme, venues and reference data are public; the store's
// list filters are the SQL form of the same rows.
var Policy = []Rule{
	{ObjReference, ActRead, "consulter les plans, engagements et organisations", anyOwner, anyOwner, true},
	{ObjReference, ActChange, "modifier les plans, engagements et organisations", nil, nil, false},
	{ObjEvent, ActRead, "consulter un événement non publié", own, own, false},
	{ObjEvent, ActChange, "modifier un événement, son programme et ses ateliers", own, nil, false},
	{ObjEvent, ActPublish, "publier un événement (hors DITP : une fois sa déclaration acceptée, ou si l'organisation est de confiance)", own, nil, false},
	{ObjEvent, ActWaive, "lever un conflit d'un événement par une exception motivée (un atelier-relais : la DITP seule)", own, nil, false},
	{ObjVenue, ActRead, "consulter les lieux et les salles", anyOwner, anyOwner, true},
	{ObjVenue, ActChange, "modifier un lieu ou ses salles", own, nil, false},
	{ObjVenue, ActUse, "réserver un lieu ou ses salles pour un événement", ownOrDITP, nil, false},
	{ObjContact, ActRead, "consulter la fiche d'une personne (adresse comprise)", own, own, false},
	{ObjContact, ActChange, "modifier ou supprimer la fiche d'une personne", own, nil, false},
	{ObjContact, ActUse, "choisir une personne comme animateur ou intervenant (nom et organisation seulement)", anyOwner, nil, false},
	{ObjParticipant, ActRead, "consulter les participants et leurs inscriptions", own, own, false},
	{ObjParticipant, ActChange, "inscrire, modifier ou désinscrire un participant", own, nil, false},
	{ObjMinutes, ActChange, "noter les contributions et les présences d'un atelier", own, own, false},
	{ObjMinutes, ActApprove, "approuver le compte rendu d'un atelier", nil, own, false},
	{ObjMinutes, ActPublish, "publier un compte rendu", own, nil, false},
	{ObjFollowUp, ActChange, "tenir le suivi d'un engagement (avancement, jalons, indicateurs) et répondre aux commentaires au nom de ses porteurs", own, nil, false},
	{ObjConsultation, ActChange, "ouvrir une consultation, choisir sa modération et modérer ses commentaires", nil, nil, false},
	{ObjConsultation, ActRead, "lire les commentaires en attente de modération", nil, nil, false},
	{ObjService, ActRead, "consulter le registre des traitements, les métriques et toutes les données d'une personne", nil, nil, false},
	{ObjService, ActChange, "gérer les comptes, effacer ou anonymiser les données des personnes", nil, nil, false},
}

// CarriersOwner is the owner of a commitment's follow-up: its carrying
// organisations.
func CarriersOwner(carriers []int64) Owner { return Owner{Orgs: carriers} }

// AuthorizeService returns nil when u may do act on the service itself
// (accounts, register of processing, metrics): administrators only.
func AuthorizeService(u *User, act Action) error {
	return Authorize(u, ObjService, act, Owner{Shared: true})
}

// The way in (issue 15): an organisation that is not the DITP publishes
// an event only through a declaration the DITP accepted (/staff/declarations),
// unless an administrator marked it trusted to publish directly; and only
// the DITP waives a conflict of a relay workshop, which a third party
// hosts in the DITP's programme. The store asks these two before the
// table's rows (ActPublish, ActWaive) are read.

// PublishGate says whether u may publish an event whose host is trusted or
// not and whose declaration is in state declared ("" when the event was
// never declared): nil, or the refusal pointing to the declaration.
func PublishGate(u *User, hostTrusted bool, declared DeclarationState, eventID int64) error {
	if u.Is(RoleAdmin) || hostTrusted || declared == DeclarationAccepted {
		return nil
	}
	link := "/staff/declarations"
	if declared != "" {
		link = "/staff/declarations/" + strconv.FormatInt(eventID, 10)
	}
	msg := "Publication refusée : votre organisation publie ses événements par une déclaration à la DITP, qui l'examine et l'accepte (Déclarations, " + link + "). Rien n'a été modifié."
	field := "l'événement n'a pas de déclaration acceptée par la DITP : déclarez-le depuis « Déclarations »"
	if declared != "" {
		msg = "Publication refusée : cet événement a été déclaré à la DITP, qui doit d'abord accepter sa déclaration (état : " + declared.Label() + ", " + link + "). Rien n'a été modifié."
		field = "la déclaration n'est pas encore acceptée par la DITP"
	}
	return &Error{Code: ECONFLICT, Message: msg, Fields: []FieldError{{Field: "status", Message: field}}}
}

// WaiveGate says whether u may waive a conflict of ev (relay: is it a relay
// workshop, shown in another event's programme): nil, or the refusal.
func WaiveGate(u *User, relay bool, host Owner) error {
	if u == nil {
		return Authorize(u, ObjEvent, ActWaive, host)
	}
	if relay && !u.Is(RoleAdmin) {
		return Errorf(EFORBIDDEN, "Seule la DITP lève un conflit d'un atelier-relais : corrigez le conflit (horaire, salle, animateur), ou écrivez à la DITP.")
	}
	return Authorize(u, ObjEvent, ActWaive, host)
}

// Label is the French state of a declaration.
func (s DeclarationState) Label() string {
	switch s {
	case DeclarationSubmitted:
		return "soumise pour examen"
	case DeclarationChangesRequested:
		return "modifications demandées"
	case DeclarationAccepted:
		return "acceptée"
	}
	return string(s)
}

// RuleFor returns the rule of an object and an action, nil when there is none.
func RuleFor(obj Object, act Action) *Rule {
	for i := range Policy {
		if Policy[i].Object == obj && Policy[i].Action == act {
			return &Policy[i]
		}
	}
	return nil
}

// Allowed reads the table: may a role (empty for an anonymous visitor) do
// act on obj under the ownership own?
func Allowed(role Role, obj Object, act Action, own Ownership) bool {
	r := RuleFor(obj, act)
	if r == nil {
		return false
	}
	switch role {
	case RoleAdmin:
		return true
	case RoleOrganiser:
		return slices.Contains(r.Organiser, own)
	case RoleFacilitator:
		return slices.Contains(r.Facilitator, own)
	case "":
		return r.Anonymous
	}
	return false
}

// Owner says to whom an object belongs: organisations (the host of an
// event, the host of a venue, the organisation and the creator of a
// contact, the host a participant registered with) and people (the
// facilitators of a workshop, the person of a contact).
type Owner struct {
	Orgs   []int64
	People []int64
	Shared bool // reference data nobody owns
}

// OrgOwner is the owner of an object held by one organisation (nil: the DITP).
func OrgOwner(org *int64) Owner {
	if org == nil {
		return Owner{}
	}
	return Owner{Orgs: []int64{*org}}
}

// Ownership is how the object relates to u.
func (o Owner) Ownership(u *User) Ownership {
	switch {
	case o.Shared:
		return Shared
	case u.Is(RoleFacilitator) && u.PersonID != nil && slices.Contains(o.People, *u.PersonID):
		return OwnOrg
	case !u.Is(RoleFacilitator) && u != nil && u.OrganisationID != nil && slices.Contains(o.Orgs, *u.OrganisationID):
		return OwnOrg
	case len(o.Orgs) == 0:
		return DITPOrg
	}
	return OtherOrg
}

// Can reports whether u may do act on an object of owner o.
func Can(u *User, obj Object, act Action, o Owner) bool {
	var role Role
	if u != nil {
		role = u.Role
	}
	return Allowed(role, obj, act, o.Ownership(u))
}

// Authorize returns nil when u may do act on an object of owner o, or the
// error to answer: 401 for an anonymous visitor, 403 otherwise.
func Authorize(u *User, obj Object, act Action, o Owner) error {
	if Can(u, obj, act, o) {
		return nil
	}
	if u == nil {
		return &Error{Code: EUNAUTHORIZED, Message: "Authentification requise : connectez-vous, ou fournissez un jeton d'API (en-tête Authorization: Bearer …)."}
	}
	return Errorf(EFORBIDDEN, "Votre rôle ne vous permet pas %s%s.", De(ruleLabel(obj, act)), ownershipSuffix[o.Ownership(u)])
}

var ownershipSuffix = map[Ownership]string{
	OtherOrg: " : cet objet appartient à une autre organisation",
	DITPOrg:  " : cet objet appartient à la DITP",
}

func ruleLabel(obj Object, act Action) string {
	if r := RuleFor(obj, act); r != nil {
		return r.Label
	}
	return string(act) + " " + string(obj)
}

// PolicyTable renders the policy as a Markdown table (the README's).
func PolicyTable() string {
	roles := func(os []Ownership) string {
		if len(os) == 0 {
			return "non"
		}
		if len(os) == len(anyOwner) {
			return "oui"
		}
		var out []string
		for _, o := range os {
			out = append(out, ownershipLabel[o])
		}
		return strings.Join(out, ", ")
	}
	var b strings.Builder
	b.WriteString("| action | administrateur (DITP) | organisateur | animateur | anonyme |\n| --- | --- | --- | --- | --- |\n")
	for _, r := range Policy {
		anon := "non"
		if r.Anonymous {
			anon = "oui"
		}
		b.WriteString("| " + r.Label + " | oui | " + roles(r.Organiser) + " | " + roles(r.Facilitator) + " | " + anon + " |\n")
	}
	return b.String()
}

var ownershipLabel = map[Ownership]string{
	OwnOrg:   "les siens",
	OtherOrg: "ceux d'une autre organisation",
	DITPOrg:  "ceux de la DITP",
	Shared:   "communs",
}
