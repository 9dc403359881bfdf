package fabrique

import "time"

// Roster is the list of an event's registrations for its staff: every
// registration with its person, workshop and, for those waiting, their
// rank on the waiting list of that workshop.
type Roster struct {
	EventID    int64           `json:"event_id"`
	Title      string          `json:"title"`
	Allocation Allocation      `json:"allocation"`
	Capacity   int             `json:"capacity"`  // the event's own limit (0: the sum of its workshops)
	Workshops  []WorkshopSeats `json:"workshops"` // in the order of their numbers
	// Entries are ordered by workshop (those without one last), then
	// registered and attended by name, waiting by rank, then pending and
	// cancelled by name.
	Entries []RosterEntry `json:"entries"`
}

// RosterEntry is one registration of a roster.
type RosterEntry struct {
	RegistrationID int64              `json:"registration_id"`
	Name           string             `json:"name"`
	Email          string             `json:"email"`
	Organisation   string             `json:"organisation"`
	Category       Category           `json:"category"`
	Status         RegistrationStatus `json:"status"`
	WorkshopID     *int64             `json:"workshop_id"`
	Rank           int                `json:"rank"`    // on the waiting list of its workshop, 1 = next; 0 unless waiting
	Choices        []int64            `json:"choices"` // ranked choices (allocation by preference)
	CreatedAt      time.Time          `json:"created_at"`
}
