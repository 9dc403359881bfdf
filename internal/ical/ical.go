// Package ical builds the iCalendar (RFC 5545) messages that the service sends
// to participants and publishes: invitations and cancellations following the
// iTIP scheduling rules (RFC 5546), and a subscribable feed.
//
// The service maps its domain onto the small input types of this package
// (Item, Person); Request, Cancel and Publish return a complete, folded
// VCALENDAR object with CRLF line ends. Local date-times are written in
// Europe/Paris (TZID=Europe/Paris) together with a VTIMEZONE for that zone.
//
// Encoding relies on github.com/emersion/go-ical; the package works around
// what it lacks: it writes non-TEXT values raw (go-ical's SetText would add
// VALUE=TEXT and escape them), cleans parameter values, which go-ical neither
// escapes nor checks for CR/LF, and folds long lines (see Fold), which
// go-ical does not do.
package ical

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	goical "github.com/emersion/go-ical"
)

// ProdID is the PRODID of every calendar the package produces.
const ProdID = "-//Fabrique//Participation ouverte//FR"

// Method is an iTIP method (RFC 5546 §1.4), written as the METHOD property of
// a calendar.
type Method string

// The methods the package produces.
const (
	// MethodPublish is for a feed: the events are only shown, nobody is
	// invited.
	MethodPublish Method = "PUBLISH"
	// MethodRequest invites the attendees to an event, or updates it.
	MethodRequest Method = "REQUEST"
	// MethodCancel cancels an event for the attendees.
	MethodCancel Method = "CANCEL"
)

// ContentType returns the MIME type of a calendar of method m, to use as the
// Content-Type of the e-mail part that carries it (RFC 6047 §2.4).
func (m Method) ContentType() string {
	return "text/calendar; charset=UTF-8; method=" + string(m)
}

// The values of Item.Status (RFC 5545 §3.8.1.11).
const (
	StatusConfirmed = "CONFIRMED"
	StatusTentative = "TENTATIVE"
	StatusCancelled = "CANCELLED"
)

// Person is an organizer or an attendee.
type Person struct {
	// Name is the display name (CN parameter); optional. As a parameter
	// value has no escapes, '"' is written as '\'', a backslash as '/', and
	// line breaks and other control characters as a space.
	Name string
	// Email is a plain address such as "francoise@example.fr", written as
	// a mailto: URI; required.
	Email string
}

// Item is one calendar item (VEVENT) a participant attends.
type Item struct {
	// UID identifies the item for good, across updates and cancellation,
	// e.g. "event-12-item-3@fabrique.example"; required.
	UID string
	// Sequence is the revision number: 0 for the first invitation, raised
	// by the caller for every significant update and for the cancellation.
	Sequence int
	// Start and End are instants, in any zone; they are written as local
	// times in Europe/Paris. End must be after Start.
	Start, End time.Time
	// Summary is the title; required. Location, Description and URL are
	// optional; URL must be an absolute http(s) URL.
	Summary, Location, Description, URL string
	// Status is StatusConfirmed (the default when empty), StatusTentative
	// or StatusCancelled. Cancel sets it to StatusCancelled; Request refuses
	// StatusCancelled.
	Status string
	// Organizer is required, with its e-mail address.
	Organizer Person
	// Attendees are the participants that Request invites and Cancel
	// notifies (at least one required; written with RSVP=TRUE,
	// PARTSTAT=NEEDS-ACTION, ROLE=REQ-PARTICIPANT). Publish leaves them
	// out, as RFC 5546 §3.2.1 requires.
	Attendees []Person
	// Categories are optional keywords.
	Categories []string
}

// Request returns a METHOD:REQUEST calendar that invites the attendees of
// item to it, or updates their copy if they already have it (same UID, higher
// Sequence). now is written, in UTC, as DTSTAMP.
func Request(item Item, now time.Time) ([]byte, error) {
	if err := checkItem(item, true); err != nil {
		return nil, err
	}
	if item.Status == StatusCancelled {
		return nil, fieldErr("Status", "%s is only for Cancel", StatusCancelled)
	}
	return build(MethodRequest, "", []Item{item}, now)
}

// Cancel returns a METHOD:CANCEL calendar that cancels item for its
// attendees. item.UID must be the one of the invitation, and item.Sequence
// must be higher than in the last invitation sent; STATUS is CANCELLED
// whatever item.Status says.
func Cancel(item Item, now time.Time) ([]byte, error) {
	item.Status = StatusCancelled
	if err := checkItem(item, true); err != nil {
		return nil, err
	}
	return build(MethodCancel, "", []Item{item}, now)
}

// Publish returns a METHOD:PUBLISH calendar named name (X-WR-CALNAME, on
// one line, left out if blank), with one event per item, for a calendar application to
// subscribe to. Attendees are left out. The UIDs must be distinct; items may
// be empty. now is written as the DTSTAMP of every event.
func Publish(name string, items []Item, now time.Time) ([]byte, error) {
	seen := make(map[string]bool, len(items))
	for i, it := range items {
		if err := checkItem(it, false); err != nil {
			var fe *FieldError
			if errors.As(err, &fe) {
				fe.Field = fmt.Sprintf("items[%d].%s", i, fe.Field)
			}
			return nil, err
		}
		if seen[it.UID] {
			return nil, fieldErr(fmt.Sprintf("items[%d].UID", i), "duplicate UID %q", it.UID)
		}
		seen[it.UID] = true
	}
	return build(MethodPublish, name, items, now)
}

// build encodes the calendar; the items have been checked.
func build(method Method, name string, items []Item, now time.Time) ([]byte, error) {
	if now.IsZero() {
		return nil, fieldErr("now", "is required")
	}
	cal := goical.NewCalendar()
	setRaw(cal.Component, goical.PropProductID, ProdID)
	setRaw(cal.Component, goical.PropVersion, "2.0")
	setRaw(cal.Component, goical.PropCalendarScale, "GREGORIAN")
	setRaw(cal.Component, goical.PropMethod, string(method))
	if method == MethodPublish {
		// A calendar name is one line: line breaks and runs of spaces
		// become one space.
		if name = strings.Join(strings.Fields(cleanText(name)), " "); name != "" {
			setText(cal.Component, "X-WR-CALNAME", name)
		}
		setRaw(cal.Component, "X-WR-TIMEZONE", TZID)
	}
	cal.Children = append(cal.Children, parisTimezone())
	for _, it := range items {
		cal.Children = append(cal.Children, event(method, it, now))
	}

	var buf bytes.Buffer
	if err := goical.NewEncoder(&buf).Encode(cal); err != nil {
		// Unreachable for checked items: every value has been cleaned.
		return nil, fmt.Errorf("ical: encoding %s calendar: %w", method, err)
	}
	return Fold(buf.Bytes()), nil
}

// event returns the VEVENT for it.
func event(method Method, it Item, now time.Time) *goical.Component {
	ev := goical.NewComponent(goical.CompEvent)
	setText(ev, goical.PropUID, it.UID)
	setRaw(ev, goical.PropSequence, strconv.Itoa(it.Sequence))
	setUTC(ev, goical.PropDateTimeStamp, now)
	setDateTime(ev, goical.PropDateTimeStart, it.Start)
	setDateTime(ev, goical.PropDateTimeEnd, it.End)
	setText(ev, goical.PropSummary, it.Summary)
	if cleanText(it.Location) != "" {
		setText(ev, goical.PropLocation, it.Location)
	}
	if cleanText(it.Description) != "" {
		setText(ev, goical.PropDescription, it.Description)
	}
	if u, _ := checkURL(it.URL); u != "" {
		setRaw(ev, goical.PropURL, u)
	}
	status := it.Status
	if status == "" {
		status = StatusConfirmed
	}
	setRaw(ev, goical.PropStatus, status)
	if len(it.Categories) > 0 {
		cats := make([]string, len(it.Categories))
		for i, c := range it.Categories {
			cats[i] = cleanText(c)
		}
		prop := goical.NewProp(goical.PropCategories)
		prop.SetTextList(cats)
		prop.Params.Del(goical.ParamValue)
		ev.Props.Set(prop)
	}

	ev.Props.Set(calAddress(goical.PropOrganizer, it.Organizer))
	if method != MethodPublish {
		for _, a := range it.Attendees {
			prop := calAddress(goical.PropAttendee, a)
			prop.Params.Set(goical.ParamRole, "REQ-PARTICIPANT")
			prop.Params.Set(goical.ParamParticipationStatus, "NEEDS-ACTION")
			prop.Params.Set(goical.ParamRSVP, "TRUE")
			ev.Props.Add(prop)
		}
	}
	return ev
}

// calAddress returns an ORGANIZER or ATTENDEE property for p: a mailto: URI
// without VALUE parameter (CAL-ADDRESS is the default type), and a CN if p
// has a name. go-ical quotes the CN when it holds ':', ';' or ','; cleanName
// has removed what could break out of the quotes.
func calAddress(name string, p Person) *goical.Prop {
	prop := goical.NewProp(name)
	prop.Value = "mailto:" + p.Email
	if cn := cleanName(p.Name); cn != "" {
		prop.Params.Set(goical.ParamCommonName, cn)
	}
	return prop
}

// setText sets the TEXT property name of comp to s, cleaned (see cleanText)
// and escaped by go-ical (backslash, ';', ',' and newline, RFC 5545
// §3.3.11), without a VALUE parameter.
func setText(comp *goical.Component, name, s string) {
	prop := goical.NewProp(name)
	prop.SetText(cleanText(s))
	prop.Params.Del(goical.ParamValue)
	comp.Props.Set(prop)
}
