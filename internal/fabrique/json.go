package fabrique

import "encoding/json"

// Lists in answers are never null: a registration without ranked choices
// answers "choices": [].

// MarshalJSON implements json.Marshaler.
func (r Registration) MarshalJSON() ([]byte, error) {
	type plain Registration
	p := plain(r)
	if p.Choices == nil {
		p.Choices = []int64{}
	}
	return json.Marshal(p)
}

// MarshalJSON implements json.Marshaler.
func (a Agenda) MarshalJSON() ([]byte, error) {
	type plain Agenda
	p := plain(a)
	if p.Choices == nil {
		p.Choices = []int64{}
	}
	return json.Marshal(p)
}
