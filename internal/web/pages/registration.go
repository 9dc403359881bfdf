package pages

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/gin-gonic/gin"

	"fabrique/internal/fabrique"
	"fabrique/internal/web/httpx"
)

// The public registration form, shown on the page of a published event,
// and the confirmation that follows it. Both work without JavaScript.

// registrationFields are the fields of the registration form, in order.
var registrationFields = []string{"name", "email", "category", "organisation", "workshop_id", "choice1", "choice2", "choice3", "consent"}

// registrationAlias maps the store's field names to the form's.
var registrationAlias = map[string]string{"choices": "choice1"}

// publicEvent is the public page of an event with its registration.
type publicEvent struct {
	*eventDetail
	Registration *registrationView // nil for a draft, which takes no registration
}

// registrationView is what the registration form shows.
type registrationView struct {
	*fabrique.RegistrationForm
	Preference bool     // 1–3 ranked choices rather than one workshop
	Categories []option // the categories of participants, in French
	Choices    []option // the workshops, for the ranked choices
	Full       bool     // the event itself has no seat left
}

// showEvent renders the public page of an event with the registration
// form f (an empty one when nil).
func (s *Server) showEvent(c *gin.Context, status int, d *eventDetail, f *form) error {
	if f == nil {
		f = newForm("inscription", "", registrationFields...)
	}
	f.Action = fmt.Sprintf("/events/%d/inscription#inscription", d.Event.ID)
	p := &publicEvent{eventDetail: d}
	rf, err := s.Store.Enrolments().RegistrationForm(c.Request.Context(), d.Event.ID)
	switch {
	case err == nil:
		p.Registration = newRegistrationView(rf)
	case fabrique.ErrorCode(err) != fabrique.ENOTFOUND: // a draft shown to staff has no form
		return err
	}
	return s.render(c, status, "event.html", &view{Title: d.Event.Title, Data: p,
		Forms: map[string]*form{"registration": f}, Crumbs: []crumb{{Label: "Événements", Href: "/"}}})
}

func newRegistrationView(rf *fabrique.RegistrationForm) *registrationView {
	v := &registrationView{RegistrationForm: rf, Preference: rf.Allocation == fabrique.AllocPreference,
		Categories: options("category", rf.Categories), Full: rf.SeatsLeft == 0}
	for _, w := range rf.Workshops {
		v.Choices = append(v.Choices, option{Value: strconv.FormatInt(w.ID, 10), Label: fabrique.WorkshopLabel(w.Number, w.Title)})
	}
	return v
}

// registerByForm registers a person from the public form, then shows the
// confirmation; a refused form is shown again with what to fix.
func (s *Server) registerByForm(c *gin.Context) error {
	ctx := c.Request.Context()
	id, err := httpx.PathID(c, "id")
	if err != nil {
		return err
	}
	d, err := s.loadEvent(ctx, id)
	if err != nil {
		return err
	}
	rf, err := s.Store.Enrolments().RegistrationForm(ctx, id)
	if err != nil {
		return err
	}
	f := postedForm(c, "inscription", "", registrationFields...)
	p := parser{f}
	req := &fabrique.RegistrationRequest{Name: p.text("name"), Email: p.text("email"), Category: fabrique.Category(p.text("category")),
		Organisation: p.text("organisation"), Consent: p.checked("consent")}
	switch {
	case len(rf.Workshops) == 0:
	case rf.Allocation == fabrique.AllocPreference:
		if req.Choices = rankedChoices(p); len(req.Choices) == 0 && f.Errors["choice1"] == "" {
			f.fail("choice1", "Classez 1 à 3 ateliers par ordre de préférence : le premier choix est obligatoire.")
		}
	default:
		if req.WorkshopID = p.id("workshop_id"); req.WorkshopID == nil && f.Errors["workshop_id"] == "" {
			f.fail("workshop_id", "Choisissez un atelier.")
		}
	}
	var rec *fabrique.RegistrationReceipt
	status, err := submit(f, registrationAlias, req.Validate, func() (err error) {
		rec, err = s.Store.Enrolments().Register(ctx, id, req)
		return err
	})
	if err != nil || status != 0 {
		return orErr(err, func() error { return s.showEvent(c, status, d, f) })
	}
	q := url.Values{"etat": {string(rec.Status)}}
	if rec.WaitingPosition > 0 {
		q.Set("rang", strconv.Itoa(rec.WaitingPosition))
	}
	if rec.WorkshopID != nil {
		q.Set("atelier", strconv.FormatInt(*rec.WorkshopID, 10))
	}
	return redirect(c, fmt.Sprintf("/events/%d/inscription/confirmation?%s", id, q.Encode()), "")
}

// rankedChoices reads the choices 1 to 3, refusing a workshop chosen twice
// and a later choice without an earlier one.
func rankedChoices(p parser) []int64 {
	var out []int64
	seen := map[int64]bool{}
	gap := false
	for i, name := range []string{"choice1", "choice2", "choice3"} {
		id := p.id(name)
		switch {
		case id == nil:
			gap = true
			continue
		case seen[*id]:
			p.f.fail(name, "Cet atelier est déjà parmi vos choix : choisissez-en un autre, ou laissez ce choix vide.")
			continue
		case gap && i > 0:
			p.f.fail(name, "Indiquez d'abord vos choix précédents : les choix se remplissent dans l'ordre.")
			continue
		}
		seen[*id] = true
		out = append(out, *id)
	}
	return out
}

// registrationReceived is the confirmation page's data.
type registrationReceived struct {
	Event    *fabrique.Event
	State    string // registered, waiting or pending, as a newcomer would be told (an address already registered too)
	Rank     int
	Workshop string
}

// confirmationPage tells the person what became of their registration.
// It reads what to say from the address the form redirected to; it shows
// nothing personal.
func (s *Server) confirmationPage(c *gin.Context) error {
	id, err := httpx.PathID(c, "id")
	if err != nil {
		return err
	}
	d, err := s.loadEvent(c.Request.Context(), id)
	if err != nil {
		return err
	}
	r := &registrationReceived{Event: d.Event, State: c.Query("etat")}
	switch fabrique.RegistrationStatus(r.State) {
	case fabrique.RegRegistered, fabrique.RegWaiting, fabrique.RegPending:
	default:
		return redirect(c, fmt.Sprintf("/events/%d#inscription", id), "")
	}
	if n, err := strconv.Atoi(c.Query("rang")); err == nil && n > 0 {
		r.Rank = n
	}
	for _, w := range d.Workshops {
		if strconv.FormatInt(w.ID, 10) == c.Query("atelier") {
			r.Workshop = fabrique.WorkshopLabel(w.Number, w.Title)
		}
	}
	titles := map[string]string{"registered": "Inscription confirmée", "waiting": "Vous êtes sur la liste d'attente",
		"pending": "Demande d'inscription enregistrée"}
	return s.render(c, http.StatusOK, "registration_done.html", &view{Title: titles[r.State], Data: r,
		Crumbs: []crumb{{Label: "Événements", Href: "/"}, {Label: d.Event.Title, Href: fmt.Sprintf("/events/%d", id)}}})
}

// registrationFormAgain sends a browser that reloads the address of a
// refused form back to the form.
func (s *Server) registrationFormAgain(c *gin.Context) error {
	id, err := httpx.PathID(c, "id")
	if err != nil {
		return err
	}
	return redirect(c, fmt.Sprintf("/events/%d#inscription", id), "")
}

// radioGroup is a choice of one workshop among radios, each with its seats
// left or its waiting list (partial "workshop-radios").
type radioGroup struct {
	ID, Name, Label, Error string
	Workshops              []fabrique.WorkshopSeats
	Skip                   int64 // a workshop not offered (the participant's own)
	form                   *form
}

// Checked reports whether the workshop id is the one chosen.
func (g *radioGroup) Checked(id int64) bool { return g.form.Get(g.Name) == strconv.FormatInt(id, 10) }

func newRadioGroup(f *form, name, label string, ws []fabrique.WorkshopSeats, skip int64) *radioGroup {
	return &radioGroup{ID: f.ID + "-" + name, Name: name, Label: label, Error: f.Errors[name], Workshops: ws, Skip: skip, form: f}
}

// Radios is the choice of a workshop in the form f.
func (v *registrationView) Radios(f *form) *radioGroup {
	return newRadioGroup(f, "workshop_id", "L'atelier que vous choisissez", v.Workshops, 0)
}

// consentBox is the consent checkbox with the purpose and the retention of
// the data (partial "consent").
type consentBox struct {
	control
	Purpose, Retention string
}

// Consent is the consent checkbox of the form f.
func (v *registrationView) Consent(f *form) consentBox {
	return consentBox{control: newControl(f, "consent", "J'accepte que ces informations soient utilisées pour organiser ma participation, comme indiqué ci-dessus.", "check", "required"),
		Purpose: v.ConsentPurpose, Retention: v.ConsentRetention}
}
