package fabrique_test

import (
	"os"
	"strings"
	"testing"

	"fabrique/internal/fabrique"
)

func TestPolicy(t *testing.T) {
	org, other := int64(1), int64(2)
	person := int64(7)
	admin := &fabrique.User{Role: fabrique.RoleAdmin}
	organiser := &fabrique.User{Role: fabrique.RoleOrganiser, OrganisationID: &org}
	facilitator := &fabrique.User{Role: fabrique.RoleFacilitator, PersonID: &person}
	ownEvent := fabrique.Owner{Orgs: []int64{org}, People: []int64{person}}
	otherEvent := fabrique.Owner{Orgs: []int64{other}}
	for _, c := range []struct {
		name string
		u    *fabrique.User
		obj  fabrique.Object
		act  fabrique.Action
		o    fabrique.Owner
		want bool
	}{
		{"an administrator changes any event", admin, fabrique.ObjEvent, fabrique.ActChange, otherEvent, true},
		{"an organiser changes their organisation's event", organiser, fabrique.ObjEvent, fabrique.ActChange, ownEvent, true},
		{"an organiser does not change another organisation's event", organiser, fabrique.ObjEvent, fabrique.ActChange, otherEvent, false},
		{"a facilitator does not change the event they facilitate", facilitator, fabrique.ObjEvent, fabrique.ActChange, ownEvent, false},
		{"a facilitator records in their workshop", facilitator, fabrique.ObjMinutes, fabrique.ActChange, ownEvent, true},
		{"a facilitator does not record in another workshop", facilitator, fabrique.ObjMinutes, fabrique.ActChange, otherEvent, false},
		{"an organiser books a venue of the DITP", organiser, fabrique.ObjVenue, fabrique.ActUse, fabrique.OrgOwner(nil), true},
		{"an organiser does not book another organisation's venue", organiser, fabrique.ObjVenue, fabrique.ActUse, fabrique.OrgOwner(&other), false},
		{"an organiser picks another organisation's contact", organiser, fabrique.ObjContact, fabrique.ActUse, fabrique.OrgOwner(&other), true},
		{"an organiser does not read another organisation's contact whole", organiser, fabrique.ObjContact, fabrique.ActRead, fabrique.OrgOwner(&other), false},
		{"an organiser does not read another host's participant", organiser, fabrique.ObjParticipant, fabrique.ActRead, otherEvent, false},
		{"an organiser changes their own participant", organiser, fabrique.ObjParticipant, fabrique.ActChange, ownEvent, true},
		{"a visitor reads the reference data", nil, fabrique.ObjReference, fabrique.ActRead, fabrique.Owner{Shared: true}, true},
		{"a visitor changes nothing", nil, fabrique.ObjEvent, fabrique.ActChange, ownEvent, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := fabrique.Can(c.u, c.obj, c.act, c.o); got != c.want {
				t.Errorf("Can = %v, want %v", got, c.want)
			}
		})
	}
	if err := fabrique.Authorize(nil, fabrique.ObjEvent, fabrique.ActChange, ownEvent); fabrique.ErrorCode(err) != fabrique.EUNAUTHORIZED {
		t.Errorf("anonymous: %v", err)
	}
	err := fabrique.Authorize(organiser, fabrique.ObjEvent, fabrique.ActChange, otherEvent)
	if fabrique.ErrorCode(err) != fabrique.EFORBIDDEN || !strings.Contains(fabrique.ErrorMessage(err), "autre organisation") {
		t.Errorf("another organisation's event: %v", err)
	}
}

func TestPersonOwner(t *testing.T) {
	a, b := int64(1), int64(2)
	organiserB := &fabrique.User{Role: fabrique.RoleOrganiser, OrganisationID: &b}
	// A contact created by A for someone of B is managed by both.
	contact := &fabrique.Person{ID: 3, Kind: fabrique.PersonContact, OrganisationID: &b, OwnerOrganisationID: &a}
	if !fabrique.Can(organiserB, contact.PolicyObject(), fabrique.ActChange, contact.Owner()) {
		t.Error("the organisation a contact belongs to does not manage it")
	}
	// A participant of A who works for B stays A's.
	participant := &fabrique.Person{ID: 4, Kind: fabrique.PersonParticipant, OrganisationID: &b, OwnerOrganisationID: &a}
	if fabrique.Can(organiserB, participant.PolicyObject(), fabrique.ActRead, participant.Owner()) {
		t.Error("an organisation reads a participant of another host because they work for it")
	}
}

func TestPolicyTableListsEveryRule(t *testing.T) {
	table := fabrique.PolicyTable()
	for _, r := range fabrique.Policy {
		if !strings.Contains(table, "| "+r.Label+" |") {
			t.Errorf("the table lacks %q", r.Label)
		}
	}
}

func TestTheREADMEShowsThePolicy(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), fabrique.PolicyTable()) {
		t.Errorf("README.md does not hold the policy's table; print it with fabrique.PolicyTable():\n%s", fabrique.PolicyTable())
	}
}
