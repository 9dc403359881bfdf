package schedule

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
)

// DefaultMaxPerDay is the number of workshops a facilitator may lead per
// calendar day when Instance.MaxPerDay is 0.
const DefaultMaxPerDay = 2

// MaxFacilitatorsNeeded is the largest accepted Workshop.FacilitatorsNeeded.
const MaxFacilitatorsNeeded = 3

// Interval is a half-open time window [Start, End).
type Interval struct {
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
}

// overlaps reports whether two half-open windows share an instant.
func (iv Interval) overlaps(o Interval) bool {
	return iv.Start.Before(o.End) && o.Start.Before(iv.End)
}

// contains reports whether o lies entirely inside iv.
func (iv Interval) contains(o Interval) bool {
	return !o.Start.Before(iv.Start) && !o.End.After(iv.End)
}

// Workshop is a session that needs a room and facilitators.
type Workshop struct {
	ID                 string    `json:"id"`
	Start              time.Time `json:"start"`
	End                time.Time `json:"end"`
	Capacity           int       `json:"capacity"`
	FacilitatorsNeeded int       `json:"facilitators_needed"`
	Commitments        []string  `json:"commitments,omitempty"`
	Topics             []string  `json:"topics,omitempty"`
	Room               string    `json:"room,omitempty"`
	Facilitators       []string  `json:"facilitators,omitempty"`
}

// interval returns the workshop's time window.
func (w *Workshop) interval() Interval { return Interval{w.Start, w.End} }

// needed returns FacilitatorsNeeded with its default applied.
func (w *Workshop) needed() int {
	if w.FacilitatorsNeeded == 0 {
		return 1
	}
	return w.FacilitatorsNeeded
}

// Room is a place that holds one workshop at a time.
type Room struct {
	ID       string     `json:"id"`
	Name     string     `json:"name,omitempty"`
	Capacity int        `json:"capacity"`
	Busy     []Interval `json:"busy,omitempty"`
}

// Facilitator is a person who can lead workshops.
type Facilitator struct {
	ID           string     `json:"id"`
	Name         string     `json:"name,omitempty"`
	Organisation string     `json:"organisation,omitempty"`
	Carries      []string   `json:"carries,omitempty"`
	Topics       []string   `json:"topics,omitempty"`
	Available    []Interval `json:"available,omitempty"`
	Busy         []Interval `json:"busy,omitempty"`
}

// Instance is a complete assignment problem. See the package documentation
// and INSTANCE.md for the JSON format.
type Instance struct {
	MaxPerDay    int           `json:"max_per_day,omitempty"`
	Workshops    []Workshop    `json:"workshops"`
	Rooms        []Room        `json:"rooms"`
	Facilitators []Facilitator `json:"facilitators"`
}

// maxPerDay returns MaxPerDay with its default applied.
func (inst *Instance) maxPerDay() int {
	if inst.MaxPerDay <= 0 {
		return DefaultMaxPerDay
	}
	return inst.MaxPerDay
}

// FieldError is one validation problem: the JSON path of the field, such as
// "workshops[3].end", and a French message for the user.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Error formats the error as "field : message".
func (e FieldError) Error() string { return e.Field + " : " + e.Message }

// ValidationError lists every field error found in an instance.
type ValidationError struct {
	Errors []FieldError `json:"errors"`
}

// Error joins the field errors with "; ".
func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Errors))
	for i, fe := range e.Errors {
		parts[i] = fe.Error()
	}
	return strings.Join(parts, " ; ")
}

// ReadInstance decodes a JSON instance strictly (unknown fields and trailing
// data are refused) and validates it. Validation problems are returned as a
// *ValidationError; JSON syntax problems as a plain error with a French
// message.
func ReadInstance(r io.Reader) (*Instance, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var inst Instance
	if err := dec.Decode(&inst); err != nil {
		return nil, fmt.Errorf("instance illisible : %s", describeJSONError(err))
	}
	var extra json.RawMessage
	if err := dec.Decode(&extra); err != io.EOF {
		return nil, errors.New("instance illisible : données en trop après l'objet JSON")
	}
	if err := inst.Validate(); err != nil {
		return nil, err
	}
	return &inst, nil
}

// describeJSONError turns a decoding error into a short French explanation.
func describeJSONError(err error) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return fmt.Sprintf("JSON invalide à l'octet %d", syn.Offset)
	case errors.As(err, &typ):
		if typ.Field == "" {
			return fmt.Sprintf("un objet JSON est attendu, pas %s", jsonKind(typ.Value))
		}
		return fmt.Sprintf("%s : valeur inattendue (%s)", typ.Field, jsonKind(typ.Value))
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "JSON incomplet"
	}
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "json: unknown field "); ok {
		return "champ inconnu " + name
	}
	if strings.Contains(msg, "parsing time") {
		return "date invalide (format attendu RFC 3339, par exemple 2016-06-21T18:20:00+02:00)"
	}
	if strings.HasPrefix(msg, "json: ") {
		return "JSON non conforme au format (voir INSTANCE.md)"
	}
	return "lecture impossible (est-ce bien un fichier ?)"
}

// jsonKind names, in French, the kind of JSON value reported by the decoder.
func jsonKind(v string) string {
	switch {
	case v == "array":
		return "un tableau"
	case v == "object":
		return "un objet"
	case v == "string":
		return "une chaîne"
	case v == "bool":
		return "un booléen"
	case strings.HasPrefix(v, "number"):
		return "un nombre"
	}
	return "une valeur de type " + v
}

// Validate checks the instance and returns a *ValidationError listing every
// problem, or nil.
func (inst *Instance) Validate() error {
	var errs []FieldError
	add := func(field, format string, args ...any) {
		errs = append(errs, FieldError{field, fmt.Sprintf(format, args...)})
	}
	checkIntervals := func(prefix string, ivs []Interval) {
		for i, iv := range ivs {
			f := fmt.Sprintf("%s[%d]", prefix, i)
			switch {
			case iv.Start.IsZero():
				add(f+".start", "le début est obligatoire")
			case iv.End.IsZero():
				add(f+".end", "la fin est obligatoire")
			case !iv.End.After(iv.Start):
				add(f+".end", "la fin doit être après le début")
			}
		}
	}
	if inst.MaxPerDay < 0 {
		add("max_per_day", "doit être positif ou nul (0 signifie %d)", DefaultMaxPerDay)
	}
	rooms := make(map[string]bool, len(inst.Rooms))
	for i, r := range inst.Rooms {
		f := fmt.Sprintf("rooms[%d]", i)
		switch {
		case strings.TrimSpace(r.ID) == "":
			add(f+".id", "l'identifiant est obligatoire")
		case rooms[r.ID]:
			add(f+".id", "l'identifiant %q est déjà utilisé par une autre salle", r.ID)
		}
		rooms[r.ID] = true
		if r.Capacity <= 0 {
			add(f+".capacity", "la capacité doit être d'au moins 1 place")
		}
		checkIntervals(f+".busy", r.Busy)
	}
	people := make(map[string]bool, len(inst.Facilitators))
	for i, p := range inst.Facilitators {
		f := fmt.Sprintf("facilitators[%d]", i)
		switch {
		case strings.TrimSpace(p.ID) == "":
			add(f+".id", "l'identifiant est obligatoire")
		case people[p.ID]:
			add(f+".id", "l'identifiant %q est déjà utilisé par un autre animateur", p.ID)
		}
		people[p.ID] = true
		checkIntervals(f+".available", p.Available)
		checkIntervals(f+".busy", p.Busy)
	}
	seen := make(map[string]bool, len(inst.Workshops))
	for i := range inst.Workshops {
		w := &inst.Workshops[i]
		f := fmt.Sprintf("workshops[%d]", i)
		switch {
		case strings.TrimSpace(w.ID) == "":
			add(f+".id", "l'identifiant est obligatoire")
		case seen[w.ID]:
			add(f+".id", "l'identifiant %q est déjà utilisé par un autre atelier", w.ID)
		}
		seen[w.ID] = true
		switch {
		case w.Start.IsZero():
			add(f+".start", "le début est obligatoire")
		case w.End.IsZero():
			add(f+".end", "la fin est obligatoire")
		case !w.End.After(w.Start):
			add(f+".end", "la fin doit être après le début")
		}
		if w.Capacity <= 0 {
			add(f+".capacity", "la capacité doit être d'au moins 1 place")
		}
		if w.FacilitatorsNeeded < 0 || w.FacilitatorsNeeded > MaxFacilitatorsNeeded {
			add(f+".facilitators_needed", "doit être compris entre 1 et %d", MaxFacilitatorsNeeded)
		}
		if w.Room != "" && !rooms[w.Room] {
			add(f+".room", "la salle %q n'existe pas", w.Room)
		}
		pinned := make(map[string]bool, len(w.Facilitators))
		for j, id := range w.Facilitators {
			ff := fmt.Sprintf("%s.facilitators[%d]", f, j)
			switch {
			case !people[id]:
				add(ff, "l'animateur %q n'existe pas", id)
			case pinned[id]:
				add(ff, "l'animateur %q est cité deux fois", id)
			}
			pinned[id] = true
		}
		if len(w.Facilitators) > w.needed() && w.FacilitatorsNeeded >= 0 && w.FacilitatorsNeeded <= MaxFacilitatorsNeeded {
			add(f+".facilitators", "%d animateurs imposés pour %d demandés", len(w.Facilitators), w.needed())
		}
	}
	if len(errs) > 0 {
		return &ValidationError{Errors: errs}
	}
	return nil
}

// WriteJSON writes the instance as indented JSON, in the format read by
// ReadInstance.
func (inst *Instance) WriteJSON(w io.Writer) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(inst); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}
