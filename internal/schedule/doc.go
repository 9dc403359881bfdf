// Package schedule plans open-government participation events: it knows the
// French public holidays and assigns rooms and facilitators to workshops.
//
// Everything is pure (no database, standard library only) and every date is
// interpreted in the Europe/Paris time zone, never in time.Local.
//
// # Instance format
//
// An assignment problem is read from JSON by ReadInstance (unknown fields are
// refused) and solved by Solve. The format is documented in INSTANCE.md next
// to this file; in short:
//
//	{
//	  "max_per_day": 2,
//	  "workshops": [{"id": "w1",
//	                 "start": "2016-06-21T18:20:00+02:00", "end": "2016-06-21T19:20:00+02:00",
//	                 "capacity": 20, "facilitators_needed": 1,
//	                 "commitments": ["4", "12"], "topics": ["open data"],
//	                 "room": "r1", "facilitators": ["p1"]}],
//	  "rooms": [{"id": "r1", "name": "Salle B", "capacity": 30,
//	             "busy": [{"start": "...", "end": "..."}]}],
//	  "facilitators": [{"id": "p1", "name": "Simon Chignard", "organisation": "o1",
//	                    "carries": ["15", "16"], "topics": ["open data"],
//	                    "available": [{"start": "...", "end": "..."}],
//	                    "busy": [{"start": "...", "end": "..."}]}]
//	}
//
// max_per_day is the maximum number of workshops a facilitator leads per
// calendar day (Europe/Paris); 0 or absent means 2. facilitators_needed is
// between 1 and 3 (0 or absent means 1). "room" and "facilitators" pin
// resources: they are kept as given and count toward facilitators_needed.
// Rooms' and facilitators' "busy" windows are already booked elsewhere; a
// facilitator with "available" windows must be inside one of them for the
// whole workshop (no window means always available). All intervals are
// half-open: a workshop ending at 11:00 does not overlap one starting at 11:00.
//
// # Solver
//
// Solve maximises the number of fully assigned workshops (a room and all the
// facilitators). Rooms are matched per group of overlapping workshops with
// augmenting paths (bipartite matching), facilitators with augmenting paths
// in a flow network whose per-day nodes enforce max_per_day, then a local
// search exchanges workshops along the alternating trees of failed insertions.
// On groups not on common slots (chains of overlaps), whose first bound is
// weak, the linear relaxation of the group (rooms and people with the same
// eligible workshops merged into classes, one row per clique of a class's
// workshops and per person-day; see groupLP), solved by a dual simplex
// (dualLP), proves a bound from its duals and guides a new insertion.
// Then, on every group still below its bound: where the group is not on
// common slots and its tableau fits (about 60 workshops), the integer
// program of the group (mip: rooms in classes, people apart, so that every
// integral solution is an assignment) is solved by a depth-first branch
// and bound whose nodes reoptimise the last basis by the dual simplex;
// larger groups not on common slots get the programs of windows of 30
// consecutive workshops, the others fixed (windowSearch); groups on
// common slots a branch and bound in chronological order with Russian
// doll bounds, a flow relaxation per room and person-day and remembered
// failed states. Each proves the optimum or improves the count until
// Options.TimeLimit, which the answer respects: the searches keep about
// 20 µs a workshop for the phases that follow them.
// Result.Optimal and Result.Gap say which. Reasons given for unassigned workshops are checked against the
// final assignment. At equal count, the placements of facilitators whose
// organisation carries the workshop's commitments are maximised
// (Result.Preferred): on the groups not on common slots, by the same
// integer program with that objective and the count kept
// (preferenceSearch); elsewhere a min-cost flow per group of clique slots
// re-chooses the facilitators, and exchanges of one or two workshops for
// others look for better sets of the same count. Other preferences (shared topics, load
// spreading, smallest sufficient room) never reduce either. The result is deterministic
// unless the time limit cuts the search. WriteLP writes the same problem as
// a CPLEX LP integer program for an exact solver such as glpsol.
package schedule

import (
	"time"
	_ "time/tzdata" // embedded zone database: works on machines without tzdata
)

// paris is the Europe/Paris location, loaded once.
var paris = mustLoadParis()

func mustLoadParis() *time.Location {
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		panic("schedule: cannot load Europe/Paris: " + err.Error())
	}
	return loc
}

// Paris returns the Europe/Paris location used for every calendar computation.
func Paris() *time.Location { return paris }
