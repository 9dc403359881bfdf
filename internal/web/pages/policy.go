package pages

import (
	"context"
	"fmt"

	"fabrique/internal/fabrique"
)

// The pages ask the access policy (fabrique.Policy) which buttons and
// links to show: nobody sees a « Modifier », « Supprimer » or « Publier »
// that would be refused.

func init() {
	viewFuncs["can"] = can
	viewFuncs["participants"] = func(ev *fabrique.Event) participantsOf { return participantsOf{ev} }
	viewFuncs["minutesOf"] = func(w *fabrique.Workshop, ev *fabrique.Event) minutesOf { return minutesOf{w, ev} }
}

// minutesOf stands for the minutes of a workshop in can: its event's host
// and the people facilitating it own them.
type minutesOf struct {
	workshop *fabrique.Workshop
	event    *fabrique.Event
}

// participantsOf stands for the participants of an event in can.
type participantsOf struct{ event *fabrique.Event }

// can reports whether u may do action ("read", "change", "use",
// "publish") on obj: an event, a venue, a person, the participants of an
// event (participants $ev), "reference" for plans, commitments and
// organisations, or "event", "venue", "contact" for a new one of the
// user's organisation.
func can(u *fabrique.User, action string, obj any) bool {
	act := fabrique.Action(action)
	switch v := obj.(type) {
	case *fabrique.Event:
		return v != nil && fabrique.Can(u, fabrique.ObjEvent, act, fabrique.Owner{Orgs: []int64{v.HostOrganisationID}})
	case participantsOf:
		return v.event != nil && fabrique.Can(u, fabrique.ObjParticipant, act, fabrique.Owner{Orgs: []int64{v.event.HostOrganisationID}})
	case minutesOf:
		return v.workshop != nil && v.event != nil && fabrique.Can(u, fabrique.ObjMinutes, act,
			fabrique.Owner{Orgs: []int64{v.event.HostOrganisationID}, People: v.workshop.FacilitatorIDs})
	case *fabrique.Venue:
		return v != nil && fabrique.Can(u, fabrique.ObjVenue, act, fabrique.OrgOwner(v.HostOrganisationID))
	case *fabrique.Person:
		return v != nil && fabrique.Can(u, v.PolicyObject(), act, v.Owner())
	case string:
		switch v {
		case "reference":
			return fabrique.Can(u, fabrique.ObjReference, act, fabrique.Owner{Shared: true})
		case "event", "venue", "contact": // a new one, of the user's organisation (any for the DITP)
			kinds := map[string]fabrique.Object{"event": fabrique.ObjEvent, "venue": fabrique.ObjVenue, "contact": fabrique.ObjContact}
			return u != nil && (u.Is(fabrique.RoleAdmin) || u.OrganisationID != nil) &&
				fabrique.Can(u, kinds[v], act, fabrique.Owner{Orgs: []int64{orgOf(u)}})
		}
	}
	return false
}

// orgOf is the user's organisation (0 for none).
func orgOf(u *fabrique.User) int64 {
	if u == nil || u.OrganisationID == nil {
		return 0
	}
	return *u.OrganisationID
}

// contactOptions lists the staff contacts a facilitator or speaker may be
// picked from: every organisation's, by name and organisation, never an
// email, never a participant.
func (s *Server) contactOptions(ctx context.Context) ([]option, error) {
	people, err := all(ctx, s.Store.People(), map[string]string{"kind": string(fabrique.PersonContact)})
	if err != nil {
		return nil, err
	}
	orgs, err := all(ctx, s.Store.Organisations(), nil)
	if err != nil {
		return nil, err
	}
	names := map[int64]string{}
	for _, o := range orgs {
		names[o.ID] = o.Name
		if o.Acronym != "" {
			names[o.ID] = o.Acronym
		}
	}
	out := make([]option, 0, len(people))
	for _, p := range people {
		label := p.Name
		if p.OrganisationID != nil && names[*p.OrganisationID] != "" {
			label += " (" + names[*p.OrganisationID] + ")"
		}
		out = append(out, option{Value: fmt.Sprint(p.ID), Label: label})
	}
	return out, nil
}

// bookable reports whether u may hold an event at venue v.
func bookable(u *fabrique.User, v *fabrique.Venue) bool {
	return fabrique.Can(u, fabrique.ObjVenue, fabrique.ActUse, fabrique.OrgOwner(v.HostOrganisationID))
}
