package fabrique

import (
	"strconv"
	"time"
)

// OrganisationKind is the kind of an organisation.
type OrganisationKind string

// Kinds of organisations.
const (
	OrgMinistry       OrganisationKind = "ministry"
	OrgAdministration OrganisationKind = "administration"
	OrgAuthority      OrganisationKind = "independent_authority"
	OrgCivilSociety   OrganisationKind = "civil_society"
	OrgResearch       OrganisationKind = "research"
	OrgCompany        OrganisationKind = "company"
	OrgLocalAuthority OrganisationKind = "local_authority"
)

// OrganisationKinds lists the kinds of organisations.
var OrganisationKinds = []OrganisationKind{OrgMinistry, OrgAdministration, OrgAuthority, OrgCivilSociety, OrgResearch, OrgCompany, OrgLocalAuthority}

// Institutional reports whether the kind belongs to the State or public bodies.
func (k OrganisationKind) Institutional() bool {
	return k == OrgMinistry || k == OrgAdministration || k == OrgAuthority || k == OrgLocalAuthority
}

// Organisation is a ministry, an administration, an association, a lab...
type Organisation struct {
	ID           int64            `json:"id"`
	Name         string           `json:"name"`
	Acronym      string           `json:"acronym"`
	Kind         OrganisationKind `json:"kind"`
	ContactName  string           `json:"contact_name"`
	ContactEmail string           `json:"contact_email"`
	Website      string           `json:"website"`
	// Trusted: an administrator lets the organisation publish its events
	// directly, without a declaration accepted by the DITP (policy.go).
	Trusted   bool      `json:"trusted"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Validate checks an organisation.
func (o *Organisation) Validate() error {
	var p Problems
	p.Name("name", o.Name)
	p.Line("acronym", o.Acronym, 40)
	OneOf(&p, "kind", o.Kind, OrganisationKinds, true)
	p.Line("contact_name", o.ContactName, MaxName)
	p.Email("contact_email", o.ContactEmail, false)
	p.URL("website", o.Website)
	return p.Err()
}

// Category is the category of a participant, used to count attendance.
type Category string

// Categories of people.
const (
	CategoryPublicAgent  Category = "public_agent"
	CategoryCivilSociety Category = "civil_society"
	CategoryCitizen      Category = "citizen"
	CategoryResearcher   Category = "researcher"
	CategoryElected      Category = "elected_official"
)

// Categories lists the categories of people.
var Categories = []Category{CategoryPublicAgent, CategoryCivilSociety, CategoryCitizen, CategoryResearcher, CategoryElected}

// PersonKind separates the staff contacts organisations manage from the
// participants who registered with a host.
type PersonKind string

// Kinds of people.
const (
	PersonContact     PersonKind = "contact"     // facilitator, speaker, correspondent: managed by its organisation
	PersonParticipant PersonKind = "participant" // registered with one host: their data belong to that host and the DITP
)

// PersonKinds lists the kinds of people.
var PersonKinds = []PersonKind{PersonContact, PersonParticipant}

// Person is someone who facilitates, speaks or takes part.
type Person struct {
	ID             int64  `json:"id"`
	Name           string `json:"name"`
	Email          string `json:"email"`
	OrganisationID *int64 `json:"organisation_id"`
	// Kind is contact (the default) or participant; it never changes.
	Kind PersonKind `json:"kind"`
	// OwnerOrganisationID is the organisation that manages the row: the
	// creator of a contact, the host a participant registered with; none
	// for the DITP's. Set by the service, it never changes.
	OwnerOrganisationID *int64    `json:"owner_organisation_id"`
	Category            Category  `json:"category"`
	Role                string    `json:"role"` // title or function, e.g. « secrétaire générale »
	Topics              []string  `json:"topics"`
	Availability        []Window  `json:"availability"` // when they can facilitate or speak; empty = not stated
	CreatedAt           time.Time `json:"created_at"`
	UpdatedAt           time.Time `json:"updated_at"`
}

// Validate checks a person.
func (x *Person) Validate() error {
	var p Problems
	p.Name("name", x.Name)
	p.Email("email", x.Email, false)
	p.Ref("organisation_id", x.OrganisationID)
	OneOf(&p, "kind", x.Kind, PersonKinds, false)
	p.Ref("owner_organisation_id", x.OwnerOrganisationID)
	OneOf(&p, "category", x.Category, Categories, true)
	p.Line("role", x.Role, MaxName)
	if len(x.Topics) > 20 {
		p.Add("topics", "20 thèmes au plus")
	}
	for _, t := range x.Topics {
		p.Name("topics", t)
	}
	if len(x.Availability) > 200 {
		p.Add("availability", "200 créneaux au plus")
	}
	for i, w := range x.Availability {
		p.Period(indexed("availability", i), w.Start, w.End)
	}
	return p.Err()
}

// Owner is to whom the person's row belongs: a participant to the host
// they registered with; a contact to its organisation and its creator,
// and to themself.
func (x *Person) Owner() Owner {
	var o Owner
	if x.OwnerOrganisationID != nil {
		o.Orgs = append(o.Orgs, *x.OwnerOrganisationID)
	}
	if x.Kind != PersonParticipant {
		if x.OrganisationID != nil && (x.OwnerOrganisationID == nil || *x.OrganisationID != *x.OwnerOrganisationID) {
			o.Orgs = append(o.Orgs, *x.OrganisationID)
		}
		o.People = []int64{x.ID}
	}
	return o
}

// PolicyObject is the policy's object for the person: contact or participant.
func (x *Person) PolicyObject() Object {
	if x.Kind == PersonParticipant {
		return ObjParticipant
	}
	return ObjContact
}

func indexed(field string, i int) string {
	return field + "[" + strconv.Itoa(i) + "]."
}
