package outbox_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	netmail "net/mail"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"
	goical "github.com/emersion/go-ical"

	"fabrique/internal/fabrique"
	"fabrique/internal/mail"
	"fabrique/internal/mail/mailtest"
	"fabrique/internal/outbox"
	"fabrique/internal/sqlite"
)

const baseURL = "https://fabrique.example.gouv.fr"

var staff = fabrique.WithUser(context.Background(), fabrique.System)

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// env is a store with a future event, a loopback SMTP server and a worker.
type env struct {
	st        *sqlite.Store
	path      string
	srv       *mailtest.Server
	sender    *mail.SMTPSender
	event     *fabrique.Event
	workshops []*fabrique.Workshop
	rooms     []int64
}

func newEnv(t testing.TB, capacities ...int) *env {
	t.Helper()
	e := &env{path: filepath.Join(t.TempDir(), "fabrique.db")}
	db, err := sqlite.Open(staff, e.path)
	must(t, err)
	t.Cleanup(func() { db.Close() })
	e.st = sqlite.NewStore(db)
	e.srv = mailtest.NewServer(t)
	e.sender = newSender(t, e.srv)
	e.build(t, capacities)
	return e
}

func newSender(t testing.TB, srv *mailtest.Server) *mail.SMTPSender {
	cfg, err := mail.ParseURL(srv.URL("starttls=off"))
	must(t, err)
	s, err := mail.NewSMTPSender(cfg)
	must(t, err)
	t.Cleanup(func() { s.Close() })
	return s
}

func (e *env) build(t testing.TB, capacities []int) {
	st, ctx := e.st, staff
	org := &fabrique.Organisation{Name: "Secrétariat d'État à la Réforme de l'État", Kind: fabrique.OrgMinistry}
	must(t, st.Organisations().Create(ctx, org))
	venue := &fabrique.Venue{Name: "Hôtel de Rothelin-Charolais", Address: "101 rue de Grenelle, 75007 Paris", HostOrganisationID: &org.ID}
	must(t, st.Venues().Create(ctx, venue))
	for i := 0; i <= len(capacities); i++ {
		r := &fabrique.Room{VenueID: venue.ID, Name: fmt.Sprintf("Salle %d", 101+i), Capacity: 5000}
		must(t, st.Rooms().Create(ctx, r))
		e.rooms = append(e.rooms, r.ID)
	}
	at := func(h, m int) time.Time { return time.Date(2030, time.June, 18, h, m, 0, 0, fabrique.Paris) }
	e.event = &fabrique.Event{Kind: fabrique.EventOpenMinistry, Title: "Ministère ouvert #9", HostOrganisationID: org.ID,
		Status: fabrique.EventPublished, VenueID: &venue.ID, Start: at(18, 0), End: at(20, 15)}
	must(t, st.Events().Create(ctx, e.event))
	// The plenary room, where participants arrive (the invitation's LOCATION).
	plenary := &fabrique.Room{VenueID: venue.ID, Name: "Salle des fêtes", Capacity: 5000}
	must(t, st.Rooms().Create(ctx, plenary))
	must(t, st.Items().Create(ctx, &fabrique.ProgrammeItem{EventID: e.event.ID, Kind: fabrique.ItemOpening, Title: "Ouverture", Start: at(18, 0), End: at(18, 20), RoomID: &plenary.ID}))
	slot := &fabrique.ProgrammeItem{EventID: e.event.ID, Kind: fabrique.ItemWorkshops, Title: "Ateliers", Start: at(18, 20), End: at(19, 20)}
	must(t, st.Items().Create(ctx, slot))
	for i, c := range capacities {
		w := &fabrique.Workshop{EventID: e.event.ID, ItemID: slot.ID, Number: i + 1, Title: fmt.Sprintf("Ouverture des données %d", i+1), RoomID: &e.rooms[i], Capacity: c}
		must(t, st.Workshops().Create(ctx, w))
		e.workshops = append(e.workshops, w)
	}
}

func (e *env) register(t testing.TB, name, email string, workshop int) *fabrique.RegistrationReceipt {
	t.Helper()
	rec, err := e.st.Enrolments().Register(context.Background(), e.event.ID, &fabrique.RegistrationRequest{
		Name: name, Email: email, Category: fabrique.CategoryCivilSociety, WorkshopID: &e.workshops[workshop].ID, Consent: true})
	must(t, err)
	return rec
}

func (e *env) worker(m outbox.Mailer) *outbox.Worker {
	return outbox.New(e.st.Queue(), m, outbox.Config{BaseURL: baseURL, Backoff: func(int) time.Duration { return 0 }})
}

func (e *env) drain(t testing.TB) {
	t.Helper()
	must(t, e.worker(e.sender).Drain(context.Background()))
}

// part is a decoded MIME node.
type part struct {
	mediaType string
	params    map[string]string
	filename  string
	body      []byte
	children  []*part
}

// received is a message as the server got it.
type received struct {
	header netmail.Header
	root   *part
	raw    []byte
}

func parse(t testing.TB, raw []byte) *received {
	t.Helper()
	msg, err := netmail.ReadMessage(bytes.NewReader(raw))
	must(t, err)
	root, err := parsePart(msg.Header, msg.Body)
	must(t, err)
	return &received{header: msg.Header, root: root, raw: raw}
}

func parsePart(h map[string][]string, body io.Reader) (*part, error) {
	mt, params, err := mime.ParseMediaType(netmail.Header(h).Get("Content-Type"))
	if err != nil {
		return nil, err
	}
	p := &part{mediaType: mt, params: params}
	if d := netmail.Header(h).Get("Content-Disposition"); d != "" {
		_, dp, _ := mime.ParseMediaType(d)
		p.filename = dp["filename"]
	}
	if strings.HasPrefix(mt, "multipart/") {
		mr := multipart.NewReader(body, params["boundary"])
		for {
			np, err := mr.NextRawPart()
			if err == io.EOF {
				return p, nil
			} else if err != nil {
				return nil, err
			}
			child, err := parsePart(np.Header, np)
			if err != nil {
				return nil, err
			}
			p.children = append(p.children, child)
		}
	}
	var r io.Reader = body
	switch strings.ToLower(netmail.Header(h).Get("Content-Transfer-Encoding")) {
	case "quoted-printable":
		r = quotedprintable.NewReader(body)
	case "base64":
		r = base64.NewDecoder(base64.StdEncoding, body)
	}
	p.body, err = io.ReadAll(r)
	return p, err
}

func (r *received) subject(t testing.TB) string {
	s, err := new(mime.WordDecoder).DecodeHeader(r.header.Get("Subject"))
	must(t, err)
	return s
}

func (r *received) find(mediaType string) *part {
	var walk func(p *part) *part
	walk = func(p *part) *part {
		if p.mediaType == mediaType {
			return p
		}
		for _, c := range p.children {
			if f := walk(c); f != nil {
				return f
			}
		}
		return nil
	}
	return walk(r.root)
}

// calendar is an invitation parsed by both parsers.
type calendar struct {
	method, uid, sequence, status, location, summary, dtstart, url, attendee, description string
}

func (r *received) calendar(t testing.TB) calendar {
	t.Helper()
	p := r.find("text/calendar")
	if p == nil {
		t.Fatalf("no text/calendar part in\n%s", r.raw)
	}
	gc, err := goical.NewDecoder(bytes.NewReader(p.body)).Decode()
	must(t, err)
	evs := gc.Events()
	if len(evs) != 1 {
		t.Fatalf("%d VEVENT", len(evs))
	}
	text := func(name string) string {
		v, _ := evs[0].Props.Text(name)
		return v
	}
	ev := evs[0].Props
	c := calendar{method: gc.Props.Get(goical.PropMethod).Value, uid: text(goical.PropUID), sequence: ev.Get(goical.PropSequence).Value,
		status: ev.Get(goical.PropStatus).Value, location: text(goical.PropLocation), summary: text(goical.PropSummary),
		attendee: ev.Get(goical.PropAttendee).Value, description: text(goical.PropDescription)}
	if u := ev.Get(goical.PropURL); u != nil {
		c.url = u.Value
	}
	start := ev.Get(goical.PropDateTimeStart)
	c.dtstart = start.Params.Get("TZID") + ":" + start.Value
	// The second, independent parser must agree.
	ac, err := ics.ParseCalendar(bytes.NewReader(p.body))
	must(t, err)
	aev := ac.Events()
	if len(aev) != 1 {
		t.Fatalf("golang-ical: %d events", len(aev))
	}
	for name, want := range map[ics.ComponentProperty]string{ics.ComponentPropertyUniqueId: c.uid, ics.ComponentPropertySequence: c.sequence,
		ics.ComponentPropertyLocation: c.location, ics.ComponentPropertySummary: c.summary} {
		if got := aev[0].GetProperty(name); got == nil || unescape(got.Value) != want {
			t.Errorf("golang-ical %s = %v, go-ical says %q", name, got, want)
		}
	}
	if att := r.find("application/ics"); att == nil || !bytes.Equal(att.body, p.body) || att.filename != "invitation.ics" {
		t.Errorf("the invitation.ics attachment differs from the inline calendar")
	}
	if got := p.params["method"]; got != c.method {
		t.Errorf("Content-Type method=%q but METHOD:%s", got, c.method)
	}
	return c
}

func unescape(s string) string {
	return strings.NewReplacer(`\,`, ",", `\;`, ";", `\n`, "\n", `\\`, `\`).Replace(s)
}

var linkRE = regexp.MustCompile(regexp.QuoteMeta(baseURL) + `/p/(p_[A-Za-z0-9_.-]+)`)

// token extracts the private token of the link in the text part.
func (r *received) token(t testing.TB) string {
	t.Helper()
	m := linkRE.FindStringSubmatch(string(r.find("text/plain").body))
	if m == nil {
		t.Fatalf("no link in %s", r.find("text/plain").body)
	}
	return m[1]
}

// receivedBy counts the messages the server received by recipient address.
func (e *env) receivedBy(t testing.TB) map[string]int {
	t.Helper()
	got := map[string]int{}
	for _, m := range e.received(t) {
		a, err := netmail.ParseAddress(m.header.Get("To"))
		must(t, err)
		got[a.Address]++
	}
	return got
}

func (e *env) received(t testing.TB) []*received {
	var out []*received
	for _, m := range e.srv.Messages() {
		out = append(out, parse(t, m.Data))
	}
	return out
}
