package schedule

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"
)

const validJSON = `{
  "max_per_day": 2,
  "workshops": [{"id":"w1","start":"2016-06-21T18:20:00+02:00","end":"2016-06-21T19:20:00+02:00",
                 "capacity":20,"facilitators_needed":1,"commitments":["4","12"],"topics":["open data"],
                 "room":"r1","facilitators":["p1"]}],
  "rooms": [{"id":"r1","name":"Salle B","capacity":30,"busy":[{"start":"2016-06-21T14:00:00+02:00","end":"2016-06-21T16:00:00+02:00"}]}],
  "facilitators": [{"id":"p1","name":"Simon Chignard","organisation":"o1","carries":["15","16"],"topics":["open data"],
                    "available":[{"start":"2016-06-21T18:00:00+02:00","end":"2016-06-21T21:00:00+02:00"}],"busy":[]}]
}`

func TestReadInstanceValid(t *testing.T) {
	inst, err := ReadInstance(strings.NewReader(validJSON))
	if err != nil {
		t.Fatal(err)
	}
	res := Solve(inst, Options{})
	if res.FullyAssigned != 1 || res.Assignments[0].Room != "r1" || res.Assignments[0].Facilitators[0] != "p1" {
		t.Fatalf("got %+v", res)
	}
	// Round trip through WriteJSON.
	var buf bytes.Buffer
	if err := inst.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	again, err := ReadInstance(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(Solve(again, Options{}), res) {
		t.Error("round trip changed the result")
	}
}

func TestReadInstanceErrors(t *testing.T) {
	cases := map[string]string{
		strings.Replace(validJSON, `"capacity":20,`, `"capacity":20,"colour":"red",`, 1):                        `champ inconnu "colour"`,
		strings.Replace(validJSON, `"end":"2016-06-21T19:20:00+02:00"`, `"end":"2016-06-21T18:00:00+02:00"`, 1): "workshops[0].end : la fin doit être après le début",
		strings.Replace(validJSON, `"room":"r1"`, `"room":"r9"`, 1):                                             `workshops[0].room : la salle "r9" n'existe pas`,
		strings.Replace(validJSON, `"facilitators_needed":1`, `"facilitators_needed":4`, 1):                     "workshops[0].facilitators_needed : doit être compris entre 1 et 3",
		strings.Replace(validJSON, `"capacity":30`, `"capacity":0`, 1):                                          "rooms[0].capacity : la capacité doit être d'au moins 1 place",
		validJSON + "{}":       "données en trop",
		`{"workshops": [`:      "JSON incomplet",
		`[]`:                   "instance illisible : un objet JSON est attendu, pas un tableau",
		`{"max_per_day": "2"}`: "instance illisible : max_per_day : valeur inattendue (une chaîne)",
	}
	for input, want := range cases {
		_, err := ReadInstance(strings.NewReader(input))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v, want it to contain %q", err, want)
		}
	}
	_, err := ReadInstance(strings.NewReader(strings.Replace(validJSON, `"room":"r1"`, `"room":"r9"`, 1)))
	var ve *ValidationError
	if !errors.As(err, &ve) || len(ve.Errors) != 1 || ve.Errors[0].Field != "workshops[0].room" {
		t.Errorf("want one FieldError on workshops[0].room, got %#v", err)
	}
}
