package schedule

import (
	"sort"
	"strconv"
	"strings"

	"fabrique/internal/fabrique"
)

// EventInstance is the solver's instance of an event's workshops, with the
// way back from its string ids to the store's.
type EventInstance struct {
	Instance *Instance
	data     *fabrique.AssignmentData
}

func wid(id int64) string { return "w" + strconv.FormatInt(id, 10) }
func rid(id int64) string { return "r" + strconv.FormatInt(id, 10) }
func pid(id int64) string { return "p" + strconv.FormatInt(id, 10) }

func back(s string) int64 {
	id, _ := strconv.ParseInt(s[1:], 10, 64)
	return id
}

func intervals(ws []fabrique.Window) []Interval {
	out := make([]Interval, 0, len(ws))
	for _, w := range ws {
		out = append(out, Interval{Start: w.Start, End: w.End})
	}
	return out
}

// NewEventInstance turns the store's data of an event into a solver
// instance: what is already set on a workshop (room, facilitators) is pinned.
func NewEventInstance(d *fabrique.AssignmentData, maxPerDay int) *EventInstance {
	inst := &Instance{MaxPerDay: maxPerDay}
	rooms := map[int64]bool{}
	for _, r := range d.Rooms {
		rooms[r.ID] = true
		inst.Rooms = append(inst.Rooms, Room{ID: rid(r.ID), Name: r.Name, Capacity: r.Capacity, Busy: intervals(d.RoomBusy[r.ID])})
	}
	people := map[int64]bool{}
	for _, p := range d.People {
		people[p.ID] = true
		org := ""
		if p.OrganisationID != nil {
			org = "o" + strconv.FormatInt(*p.OrganisationID, 10)
		}
		inst.Facilitators = append(inst.Facilitators, Facilitator{ID: pid(p.ID), Name: p.Name, Organisation: org,
			Carries: d.Carries[p.ID], Topics: p.Topics, Available: intervals(p.Availability), Busy: intervals(d.PersonBusy[p.ID])})
	}
	for _, w := range d.Workshops {
		when, ok := d.ItemTimes[w.ItemID]
		if !ok {
			continue
		}
		sw := Workshop{ID: wid(w.ID), Start: when.Start, End: when.End, Capacity: w.Capacity, FacilitatorsNeeded: max(w.FacilitatorsNeeded, len(w.FacilitatorIDs), 1)}
		if sw.FacilitatorsNeeded > MaxFacilitatorsNeeded {
			sw.FacilitatorsNeeded = MaxFacilitatorsNeeded
		}
		for _, c := range w.CommitmentIDs {
			if cm := d.Commitments[c]; cm != nil {
				sw.Commitments = append(sw.Commitments, cm.Number)
			}
		}
		if w.RoomID != nil && rooms[*w.RoomID] {
			sw.Room = rid(*w.RoomID)
		}
		for _, f := range w.FacilitatorIDs {
			if people[f] {
				sw.Facilitators = append(sw.Facilitators, pid(f))
			}
		}
		inst.Workshops = append(inst.Workshops, sw)
	}
	sort.Slice(inst.Workshops, func(i, j int) bool { return inst.Workshops[i].ID < inst.Workshops[j].ID })
	return &EventInstance{Instance: inst, data: d}
}

// Proposal is the outcome of an event's assignment in the store's ids.
type Proposal struct {
	Assignments []fabrique.WorkshopAssignment `json:"assignments"`
	Unassigned  []UnassignedWorkshop          `json:"unassigned"`
	Workshops   int                           `json:"workshops"`
	Assigned    int                           `json:"fully_assigned"`
	// UpperBound, Optimal and Gap are those of Result: whether the number
	// assigned is proven maximum, and how far from the bound it may be.
	UpperBound int  `json:"upper_bound"`
	Optimal    bool `json:"optimal"`
	Gap        int  `json:"gap"`
}

// UnassignedWorkshop is a workshop left without a room or facilitators, and why.
type UnassignedWorkshop struct {
	WorkshopID int64  `json:"workshop_id"`
	Title      string `json:"title"`
	Reason     string `json:"reason"`
}

// Propose solves the instance and returns what to write: the rooms and
// facilitators of workshops that lacked them.
func (e *EventInstance) Propose() Proposal {
	res := Solve(e.Instance, Options{})
	titles := map[int64]*fabrique.Workshop{}
	for _, w := range e.data.Workshops {
		titles[w.ID] = w
	}
	p := Proposal{Assignments: []fabrique.WorkshopAssignment{}, Unassigned: []UnassignedWorkshop{}, Workshops: res.Workshops, Assigned: res.FullyAssigned,
		UpperBound: res.UpperBound, Optimal: res.Optimal, Gap: res.Gap}
	for _, a := range res.Assignments {
		w := titles[back(a.Workshop)]
		room := back(a.Room)
		wa := fabrique.WorkshopAssignment{WorkshopID: w.ID, FacilitatorIDs: []int64{}}
		changed := false
		if w.RoomID == nil || *w.RoomID != room {
			wa.RoomID, changed = &room, true
		}
		have := map[int64]bool{}
		for _, f := range w.FacilitatorIDs {
			have[f] = true
		}
		for _, f := range a.Facilitators {
			if id := back(f); !have[id] {
				wa.FacilitatorIDs, changed = append(wa.FacilitatorIDs, id), true
			}
		}
		if changed {
			p.Assignments = append(p.Assignments, wa)
		}
	}
	for _, u := range res.Unassigned {
		w := titles[back(u.Workshop)]
		p.Unassigned = append(p.Unassigned, UnassignedWorkshop{WorkshopID: w.ID, Title: w.Title, Reason: strings.ReplaceAll(u.Reason, u.Workshop, "« "+w.Title+" »")})
	}
	return p
}
