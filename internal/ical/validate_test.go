package ical

import (
	"errors"
	"testing"
	"time"
)

func TestInvalidInput(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(*Item)
		field  string
	}{
		{"missing UID", func(it *Item) { it.UID = "" }, "UID"},
		{"blank UID", func(it *Item) { it.UID = "  " }, "UID"},
		{"UID with CRLF", func(it *Item) { it.UID = "a\r\nb@x" }, "UID"},
		{"negative sequence", func(it *Item) { it.Sequence = -1 }, "Sequence"},
		{"missing start", func(it *Item) { it.Start = time.Time{} }, "Start"},
		{"missing end", func(it *Item) { it.End = time.Time{} }, "End"},
		{"end before start", func(it *Item) { it.End = it.Start.Add(-time.Minute) }, "End"},
		{"end equals start", func(it *Item) { it.End = it.Start.In(paris) }, "End"},
		{"missing summary", func(it *Item) { it.Summary = " \r\n" }, "Summary"},
		{"unknown status", func(it *Item) { it.Status = "confirmed" }, "Status"},
		{"missing organizer email", func(it *Item) { it.Organizer.Email = "" }, "Organizer.Email"},
		{"organizer email with a name", func(it *Item) { it.Organizer.Email = "Etalab <contact@etalab.example>" }, "Organizer.Email"},
		{"organizer email with CRLF", func(it *Item) { it.Organizer.Email = "a@b.fr\r\nX:y" }, "Organizer.Email"},
		{"organizer email with ?", func(it *Item) { it.Organizer.Email = "a?cc=b@c.fr" }, "Organizer.Email"},
		{"not an email", func(it *Item) { it.Organizer.Email = "contact" }, "Organizer.Email"},
		{"relative URL", func(it *Item) { it.URL = "/evenements/12" }, "URL"},
		{"javascript URL", func(it *Item) { it.URL = "javascript:alert(1)" }, "URL"},
		{"empty category", func(it *Item) { it.Categories = []string{"a", "\x00"} }, "Categories[1]"},
		{"no attendee", func(it *Item) { it.Attendees = nil }, "Attendees"},
		{"attendee without email", func(it *Item) {
			it.Attendees = append(it.Attendees, Person{Name: "Sans adresse"})
		}, "Attendees[1].Email"},
		{"duplicate attendee", func(it *Item) {
			it.Attendees = append(it.Attendees, Person{Email: "Francoise.Waintrop@example.fr"})
		}, "Attendees[1].Email"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			item := fixtureItem()
			tc.change(&item)
			for method, build := range map[Method]func(Item, time.Time) ([]byte, error){
				MethodRequest: Request, MethodCancel: Cancel,
			} {
				// Cancel sets Status itself, so ignores a bad one.
				if tc.field == "Status" && method == MethodCancel {
					if _, err := build(item, fixedNow); err != nil {
						t.Errorf("%s: %v", method, err)
					}
					continue
				}
				b, err := build(item, fixedNow)
				var fe *FieldError
				if !errors.As(err, &fe) || fe.Field != tc.field {
					t.Fatalf("%s: error = %v, want one about field %q (output %q)", method, err, tc.field, b)
				}
				if b != nil {
					t.Errorf("%s: output with error", method)
				}
				if want := "ical: " + tc.field + ": "; len(err.Error()) <= len(want) || err.Error()[:len(want)] != want {
					t.Errorf("%s: message %q does not start with %q", method, err, want)
				}
			}
		})
	}
}

func TestRequestRefusesCancelledStatus(t *testing.T) {
	item := fixtureItem()
	item.Status = StatusCancelled
	_, err := Request(item, fixedNow)
	var fe *FieldError
	if !errors.As(err, &fe) || fe.Field != "Status" {
		t.Fatalf("error = %v, want one about Status", err)
	}
}

func TestMissingNow(t *testing.T) {
	_, err := Request(fixtureItem(), time.Time{})
	var fe *FieldError
	if !errors.As(err, &fe) || fe.Field != "now" {
		t.Fatalf("error = %v, want one about now", err)
	}
}

func TestPublishInvalidInput(t *testing.T) {
	good := fixtureItem()
	other := fixtureItem()
	other.UID = "autre@fabrique.example"
	noUID := fixtureItem()
	noUID.UID = ""
	backwards := fixtureItem()
	backwards.UID = "backwards@fabrique.example"
	backwards.End = backwards.Start.Add(-time.Hour)
	for _, tc := range []struct {
		items []Item
		field string
	}{
		{[]Item{good, noUID}, "items[1].UID"},
		{[]Item{good, other, good}, "items[2].UID"},
		{[]Item{backwards}, "items[0].End"},
	} {
		_, err := Publish("Feed", tc.items, fixedNow)
		var fe *FieldError
		if !errors.As(err, &fe) || fe.Field != tc.field {
			t.Errorf("error = %v, want one about %q", err, tc.field)
		}
	}
	// Attendees are not needed in a feed.
	good.Attendees = nil
	if _, err := Publish("Feed", []Item{good}, fixedNow); err != nil {
		t.Errorf("Publish without attendees: %v", err)
	}
}
