package fabrique

import "time"

// Venue is a place hosting events, with rooms.
type Venue struct {
	ID                 int64     `json:"id"`
	Name               string    `json:"name"`
	Address            string    `json:"address"`
	City               string    `json:"city"`
	HostOrganisationID *int64    `json:"host_organisation_id"`
	AccessNotes        string    `json:"access_notes"`
	CreatedAt          time.Time `json:"created_at"`
	UpdatedAt          time.Time `json:"updated_at"`
}

// Validate checks a venue.
func (v *Venue) Validate() error {
	var p Problems
	p.Name("name", v.Name)
	p.text("address", v.Address, true, MaxShort, false)
	p.Line("city", v.City, MaxName)
	p.Ref("host_organisation_id", v.HostOrganisationID)
	p.Text("access_notes", v.AccessNotes)
	return p.Err()
}

// Room is a room of a venue.
type Room struct {
	ID        int64     `json:"id"`
	VenueID   int64     `json:"venue_id"`
	Name      string    `json:"name"`
	Capacity  int       `json:"capacity"`
	StepFree  bool      `json:"step_free"`
	Equipment []string  `json:"equipment"` // « vidéoprojecteur », « visioconférence »…
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Validate checks a room.
func (r *Room) Validate() error {
	var p Problems
	if r.VenueID <= 0 {
		p.Add("venue_id", "le lieu est obligatoire")
	}
	p.Name("name", r.Name)
	p.Range("capacity", r.Capacity, 1, 5000)
	if len(r.Equipment) > 30 {
		p.Add("equipment", "30 équipements au plus")
	}
	for _, e := range r.Equipment {
		p.Name("equipment", e)
	}
	return p.Err()
}
