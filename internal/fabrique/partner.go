package fabrique

import "time"

// PartnersPerSide is how many institutional and how many external partners
// the forum method asks a carrier to identify during the investigation.
const PartnersPerSide = 5

// PartnerStatus is how far the mobilisation of a partner has gone.
type PartnerStatus string

// States of a partner to mobilise.
const (
	PartnerToContact PartnerStatus = "to_contact"
	PartnerContacted PartnerStatus = "contacted"
	PartnerCommitted PartnerStatus = "committed"
	PartnerDeclined  PartnerStatus = "declined"
)

// PartnerStatuses lists the states of a partner.
var PartnerStatuses = []PartnerStatus{PartnerToContact, PartnerContacted, PartnerCommitted, PartnerDeclined}

// Partner is an organisation or a person a forum means to mobilise: one
// line of the community map of its investigation phase.
type Partner struct {
	ID        int64            `json:"id"`
	EventID   int64            `json:"event_id"`
	Name      string           `json:"name"`
	Kind      OrganisationKind `json:"kind"`
	Contact   string           `json:"contact"`
	Status    PartnerStatus    `json:"status"`
	Notes     string           `json:"notes"`
	CreatedAt time.Time        `json:"created_at"`
	UpdatedAt time.Time        `json:"updated_at"`
}

// Institutional reports whether the partner counts among the institutional
// ones (State, public bodies, local authorities) rather than the external ones.
func (x *Partner) Institutional() bool { return x.Kind.Institutional() }

// Validate checks a partner.
func (x *Partner) Validate() error {
	var p Problems
	if x.EventID <= 0 {
		p.Add("event_id", "l'événement est obligatoire")
	}
	p.Name("name", x.Name)
	OneOf(&p, "kind", x.Kind, OrganisationKinds, true)
	p.Line("contact", x.Contact, MaxShort)
	OneOf(&p, "status", x.Status, PartnerStatuses, true)
	p.Text("notes", x.Notes)
	return p.Err()
}
