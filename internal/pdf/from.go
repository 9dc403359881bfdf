package pdf

import (
	"sort"
	"strings"

	"fabrique/internal/fabrique"
)

// KitFrom maps an event file of the store onto the kit's input model: the
// programme, the workshops with their rooms, facilitators, commitments and
// registered participants and, for a forum, its phases and the launch's
// round table.
func KitFrom(f *fabrique.EventFile) *Kit {
	k := &Kit{
		Title: f.Event.Title, Kind: f.Event.Kind.Label(), Host: orgName(f.Host),
		Start: f.Event.Start, End: f.Event.End,
		Programme: programme(f),
		Workshops: make([]Workshop, 0, len(f.Workshops)),
	}
	k.Venue, k.Address = venueOf(f)
	byWorkshop := participantsByWorkshop(f)
	for _, w := range f.Workshops {
		ws := workshop(f, w)
		ws.Participants = byWorkshop[w.ID]
		k.Workshops = append(k.Workshops, ws)
	}
	if f.Event.Kind == fabrique.EventForum {
		for _, p := range f.Phases {
			k.Phases = append(k.Phases, Phase{Name: p.Kind.Label(), Start: p.Start, End: p.End})
		}
		for _, it := range f.Items {
			if it.Kind != fabrique.ItemRoundTable {
				continue
			}
			for _, id := range it.SpeakerIDs {
				if p := f.People[id]; p != nil {
					k.RoundTable = append(k.RoundTable, Speaker{Name: p.Name, Organisation: personOrg(f, p)})
				}
			}
		}
	}
	return k
}

// MinutesFrom maps an event file onto the minutes' input model: the
// programme as held, each workshop's attendance by category, its
// contributions grouped under every heading of the event's format, its
// summary, and the report-back.
func MinutesFrom(f *fabrique.EventFile) *Minutes {
	m := &Minutes{
		Title: f.Event.Title, Kind: f.Event.Kind.Label(), Host: orgName(f.Host),
		Start: f.Event.Start, End: f.Event.End, Programme: programme(f),
	}
	m.Venue, m.Address = venueOf(f)
	if f.Minutes != nil {
		m.ReportBack = f.Minutes.ReportBack
	}
	attended := map[int64]map[fabrique.Category]int{}
	orgs := map[int64][]string{}
	for _, r := range f.Registrations {
		p := f.People[r.PersonID]
		if r.WorkshopID == nil || r.Status != fabrique.RegAttended || p == nil {
			continue
		}
		if attended[*r.WorkshopID] == nil {
			attended[*r.WorkshopID] = map[fabrique.Category]int{}
		}
		attended[*r.WorkshopID][p.Category]++
		if org := registrantOrg(f, r, p); org != "" {
			orgs[*r.WorkshopID] = append(orgs[*r.WorkshopID], org)
		}
	}
	said := map[int64][]*fabrique.Contribution{}
	for _, c := range f.Contributions {
		said[c.WorkshopID] = append(said[c.WorkshopID], c)
	}
	for _, w := range f.Workshops {
		ws := workshop(f, w)
		wm := WorkshopMinutes{Number: ws.Number, Title: ws.Title, Room: ws.Room, Start: ws.Start, End: ws.End,
			Facilitators: ws.Facilitators, Commitments: ws.Commitments, Organisations: distinctOrganisations(orgs[w.ID])}
		if counts := attended[w.ID]; len(counts) > 0 {
			for _, c := range fabrique.Categories {
				wm.Attendance = append(wm.Attendance, Attendance{Category: c.Plural(), Count: counts[c]})
			}
		}
		for _, cat := range fabrique.CategoriesFor(f.Event.Kind) {
			g := ContributionGroup{Category: cat.Label()}
			for _, c := range said[w.ID] {
				if c.Category == cat {
					g.Items = append(g.Items, Contribution{Text: c.Text, Author: ContributionAuthor(f, c)})
				}
			}
			wm.Contributions = append(wm.Contributions, g)
		}
		if mm := f.WorkshopMinutes[w.ID]; mm != nil {
			wm.Summary = mm.Summary
		}
		m.Workshops = append(m.Workshops, wm)
	}
	return m
}

// ContributionAuthor names who said a contribution: the name given, or
// the person (with their organisation), or the organisation; "" when
// anonymous or not consented.
func ContributionAuthor(f *fabrique.EventFile, c *fabrique.Contribution) string {
	if !c.Consent {
		return ""
	}
	if a := strings.TrimSpace(c.Author); a != "" {
		return a
	}
	if c.PersonID != nil {
		if p := f.People[*c.PersonID]; p != nil {
			if org := personOrg(f, p); org != "" {
				return p.Name + ", " + org
			}
			return p.Name
		}
	}
	if c.OrganisationID != nil {
		return orgName(f.Organisations[*c.OrganisationID])
	}
	return ""
}

// workshop maps a workshop without its participants; its times are those
// of its programme item.
func workshop(f *fabrique.EventFile, w *fabrique.Workshop) Workshop {
	ws := Workshop{Number: w.Number, Title: w.Title, Capacity: w.Capacity, Controversy: w.Controversy}
	if w.RoomID != nil && f.Rooms[*w.RoomID] != nil {
		ws.Room = f.Rooms[*w.RoomID].Name
	}
	for _, it := range f.Items {
		if it.ID == w.ItemID {
			ws.Start, ws.End = it.Start, it.End
		}
	}
	for _, id := range w.FacilitatorIDs {
		if p := f.People[id]; p != nil {
			ws.Facilitators = append(ws.Facilitators, p.Name)
		}
	}
	for _, id := range w.CommitmentIDs {
		if c := f.Commitments[id]; c != nil {
			ws.Commitments = append(ws.Commitments, Commitment{Number: c.Number, Title: c.Title})
		}
	}
	return ws
}

// participantsByWorkshop lists the registered participants of each
// workshop, sorted by name as a French reader expects (accents ignored).
func participantsByWorkshop(f *fabrique.EventFile) map[int64][]Participant {
	out := map[int64][]Participant{}
	for _, r := range f.Registrations {
		p := f.People[r.PersonID]
		if r.WorkshopID == nil || p == nil {
			continue
		}
		out[*r.WorkshopID] = append(out[*r.WorkshopID], Participant{Name: p.Name, Organisation: registrantOrg(f, r, p), Category: p.Category.Label()})
	}
	for _, list := range out {
		sort.SliceStable(list, func(i, j int) bool { return sortKey(list[i].Name) < sortKey(list[j].Name) })
	}
	return out
}

// accentFold maps the accented letters of French to their base letter.
var accentFold = strings.NewReplacer("à", "a", "â", "a", "ä", "a", "ç", "c", "é", "e", "è", "e", "ê", "e", "ë", "e",
	"î", "i", "ï", "i", "ô", "o", "ö", "o", "ù", "u", "û", "u", "ü", "u", "ÿ", "y", "œ", "oe", "æ", "ae")

// sortKey folds case and accents: « Émile » sorts with « emile ».
func sortKey(s string) string {
	return accentFold.Replace(strings.ToLower(s))
}

// programme maps the items in order; a speaker already named in the title
// is not repeated.
func programme(f *fabrique.EventFile) []ProgrammeItem {
	out := make([]ProgrammeItem, 0, len(f.Items))
	for _, it := range f.Items {
		p := ProgrammeItem{Start: it.Start, End: it.End, Title: it.Title}
		if it.RoomID != nil && f.Rooms[*it.RoomID] != nil {
			p.Room = f.Rooms[*it.RoomID].Name
		} else if it.Online {
			p.Room = "En ligne"
		}
		var speakers []string
		for _, id := range it.SpeakerIDs {
			sp := f.People[id]
			if sp == nil || strings.Contains(it.Title, sp.Name) {
				continue
			}
			name := sp.Name
			if sp.Role != "" {
				name += ", " + sp.Role
			}
			speakers = append(speakers, name)
		}
		p.Speakers = strings.Join(speakers, " ; ")
		out = append(out, p)
	}
	return out
}

// venueOf names the venue and its address, or the online link.
func venueOf(f *fabrique.EventFile) (venue, address string) {
	if f.Venue == nil {
		return "En ligne", f.Event.OnlineURL
	}
	address = f.Venue.Address
	if f.Venue.City != "" && !strings.Contains(address, f.Venue.City) {
		address += ", " + f.Venue.City
	}
	return f.Venue.Name, address
}

func orgName(o *fabrique.Organisation) string {
	if o == nil {
		return ""
	}
	return o.Name
}

// registrantOrg is the organisation a participant typed when registering,
// or else the organisation of their person.
func registrantOrg(f *fabrique.EventFile, r *fabrique.Registration, p *fabrique.Person) string {
	if name := strings.TrimSpace(f.RegistrantOrganisations[r.ID]); name != "" {
		return name
	}
	return personOrg(f, p)
}

func personOrg(f *fabrique.EventFile, p *fabrique.Person) string {
	if p.OrganisationID == nil {
		return ""
	}
	return orgName(f.Organisations[*p.OrganisationID])
}

// distinctOrganisations lists organisation names once each, in French
// order, however they were typed (case, accents and spaces aside).
func distinctOrganisations(names []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, n := range names {
		n = strings.Join(strings.Fields(n), " ")
		if k := sortKey(n); n != "" && !seen[k] {
			seen[k] = true
			out = append(out, n)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return sortKey(out[i]) < sortKey(out[j]) })
	return out
}
