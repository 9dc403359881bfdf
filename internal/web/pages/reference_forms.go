package pages

import "fabrique/internal/fabrique"

// The readers of the reference forms: one per kind, used by the list page
// that creates (staff.go) and the page that edits (reference.go,
// reference_venues.go), so that both read the same fields the same way.

func readPlan(f *form, v *fabrique.ActionPlan) {
	p := parser{f}
	v.Title, v.PeriodStart, v.PeriodEnd = p.text("title"), p.text("period_start"), p.text("period_end")
}

func readCommitment(f *form, v *fabrique.Commitment) {
	p := parser{f}
	v.Number, v.Title, v.Kind, v.ParentID = p.text("number"), p.text("title"), fabrique.CommitmentKind(p.text("kind")), p.id("parent_id")
	v.Status, v.CarrierIDs, v.Description = fabrique.CommitmentStatus(p.text("status")), p.ids("carrier_ids"), p.text("description")
	v.Principles = nil
	for _, pr := range f.Values["principles"] {
		v.Principles = append(v.Principles, fabrique.Principle(pr))
	}
}

func readOrganisation(f *form, v *fabrique.Organisation) {
	p := parser{f}
	v.Name, v.Acronym, v.Kind = p.text("name"), p.text("acronym"), fabrique.OrganisationKind(p.text("kind"))
	v.ContactName, v.ContactEmail, v.Website = p.text("contact_name"), p.text("contact_email"), p.text("website")
	v.Trusted = p.checked("trusted")
}

func readPerson(f *form, v *fabrique.Person) {
	p := parser{f}
	v.Name, v.Email, v.OrganisationID = p.text("name"), p.text("email"), p.id("organisation_id")
	v.Category, v.Role, v.Topics = fabrique.Category(p.text("category")), p.text("role"), splitList(f.Get("topics"))
}

func readVenue(f *form, v *fabrique.Venue) {
	p := parser{f}
	v.Name, v.Address, v.City = p.text("name"), p.text("address"), p.text("city")
	v.HostOrganisationID, v.AccessNotes = p.id("host_organisation_id"), p.text("access_notes")
}

func readRoom(f *form, v *fabrique.Room) {
	p := parser{f}
	v.Name, v.Capacity, v.StepFree, v.Equipment = p.text("name"), p.integer("capacity", 0), p.checked("step_free"), splitList(f.Get("equipment"))
}
