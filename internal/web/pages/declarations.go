package pages

import (
	"fmt"
	"net/http"
	"slices"

	"github.com/gin-gonic/gin"

	"fabrique/internal/fabrique"
	"fabrique/internal/schedule"
	"fabrique/internal/web/httpx"
)

// Declarations: a ministry correspondent declares a Ministère ouvert
// session, a third party (association, local authority, university) a
// relay workshop; DITP reviews, accepts or asks for changes, and the
// declarer is told by email through the outbox.

func (s *Server) mountDeclarationPages(st *gin.RouterGroup) {
	st.GET("/declarations", s.page(s.declarationsPage))
	st.GET("/declarations/new/:format", s.page(s.declarationFormPage))
	st.POST("/declarations/new/:format", s.page(s.declare))
	st.GET("/declarations/:id", s.page(s.declarationPage))
	st.POST("/declarations/:id/accept", s.page(s.acceptDeclaration))
	st.POST("/declarations/:id/changes", s.page(s.requestChanges))
	st.POST("/declarations/:id/resubmit", s.page(s.resubmitDeclaration))
}

func init() {
	notices["declared"] = "Votre déclaration est transmise à la DITP pour examen."
	notices["accepted"] = "La déclaration est acceptée ; le déclarant en est informé par courriel."
	notices["changes"] = "La demande de modifications est envoyée au déclarant par courriel."
	notices["resubmitted"] = "La déclaration est de nouveau soumise à la DITP."
}

var declarationStates = map[fabrique.DeclarationState]string{
	fabrique.DeclarationSubmitted:        "Soumise pour examen",
	fabrique.DeclarationChangesRequested: "Modifications demandées",
	fabrique.DeclarationAccepted:         "Acceptée",
}

// declarationRows is how many workshops each declaration form describes,
// one row each (title, commitment, room, facilitators): the declared
// event is created with them.
var declarationRows = map[fabrique.EventKind]int{fabrique.EventOpenMinistry: 8, fabrique.EventRelayWorkshop: 1}

// workshopRowFields are the fields of a row of workshop i (from 1).
func workshopRowFields(i int) []string {
	return []string{fmt.Sprintf("w%d_title", i), fmt.Sprintf("w%d_commitment_id", i), fmt.Sprintf("w%d_room_id", i),
		fmt.Sprintf("w%d_facilitator_id", i), fmt.Sprintf("w%d_cofacilitator_id", i)}
}

// declarationFields are the fields of each declaration form.
var declarationFields = map[fabrique.EventKind][]string{
	fabrique.EventOpenMinistry: withRows(fabrique.EventOpenMinistry, "title", "theme", "venue_id", "plenary_room_id", "room_ids", "online_url", "date", "start_time", "capacity",
		"notes"),
	fabrique.EventRelayWorkshop: withRows(fabrique.EventRelayWorkshop, "title", "theme", "parent_event_id", "venue_id", "plenary_room_id", "room_ids", "online_url", "date", "start_time", "capacity",
		"notes"),
}

func withRows(kind fabrique.EventKind, fields ...string) []string {
	for i := 1; i <= declarationRows[kind]; i++ {
		fields = append(fields, workshopRowFields(i)...)
	}
	return fields
}

// declaredWorkshops reads the rows of the form: a row with a title is a
// workshop; a row with something but no title is refused. It returns the
// workshops and the alias of their fields in the store's errors.
func declaredWorkshops(kind fabrique.EventKind, f *form) ([]fabrique.DeclaredWorkshop, map[string]string) {
	p := parser{f}
	var out []fabrique.DeclaredWorkshop
	alias := map[string]string{}
	for k, v := range planAlias {
		alias[k] = v
	}
	for i := 1; i <= declarationRows[kind]; i++ {
		names := workshopRowFields(i)
		title := p.text(names[0])
		com, room, f1, f2 := p.id(names[1]), p.id(names[2]), p.id(names[3]), p.id(names[4])
		if title == "" {
			if com != nil || room != nil || f1 != nil || f2 != nil {
				f.fail(names[0], fmt.Sprintf("Donnez un titre à l'atelier %d, ou videz sa ligne.", i))
			}
			continue
		}
		w := fabrique.DeclaredWorkshop{Title: title, RoomID: room}
		if com != nil {
			w.CommitmentIDs = []int64{*com}
		}
		for _, id := range []*int64{f1, f2} {
			if id != nil && !slices.Contains(w.FacilitatorIDs, *id) {
				w.FacilitatorIDs = append(w.FacilitatorIDs, *id)
			}
		}
		k := len(out)
		for j, field := range []string{"title", "commitment_ids", "room_id", "facilitator_ids"} {
			alias[fmt.Sprintf("workshops[%d].%s", k, field)] = names[j]
		}
		out = append(out, w)
	}
	return out, alias
}

// declarerKinds are the kinds of organisations that declare each format.
var declarerKinds = map[fabrique.EventKind][]fabrique.OrganisationKind{
	fabrique.EventOpenMinistry:  {fabrique.OrgMinistry, fabrique.OrgAdministration, fabrique.OrgAuthority},
	fabrique.EventRelayWorkshop: {fabrique.OrgCivilSociety, fabrique.OrgLocalAuthority, fabrique.OrgResearch},
}

// declarableFormat reads the format of the path and checks that the user's
// organisation declares it.
func (s *Server) declarableFormat(c *gin.Context) (*formatInfo, error) {
	fi, err := formatOf(c.Param("format"))
	if err != nil {
		return nil, err
	}
	fields, ok := declarationFields[fi.Kind]
	if !ok {
		return nil, fabrique.Errorf(fabrique.ENOTFOUND, "On déclare à la DITP un Ministère ouvert ou un atelier-relais, pas un « %s ».", fi.Name)
	}
	u := fabrique.UserFrom(c.Request.Context())
	if !u.Is(fabrique.RoleOrganiser) || u.OrganisationID == nil {
		return nil, fabrique.Errorf(fabrique.EFORBIDDEN, "La déclaration est faite par le correspondant d'une organisation. La DITP crée directement ses événements (« Créer un événement »).")
	}
	org, err := s.Store.Organisations().Get(c.Request.Context(), *u.OrganisationID)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(declarerKinds[fi.Kind], org.Kind) {
		if fi.Kind == fabrique.EventOpenMinistry {
			return nil, fabrique.Errorf(fabrique.EFORBIDDEN, "Un Ministère ouvert est déclaré par un ministère ou une administration ; %s peut déclarer un atelier-relais.", org.Name)
		}
		return nil, fabrique.Errorf(fabrique.EFORBIDDEN, "Un atelier-relais est déclaré par une association, une collectivité ou une université ; %s peut déclarer un Ministère ouvert.", org.Name)
	}
	return &formatInfo{Kind: fi.Kind, Name: fi.Name, Lead: fi.Lead, Fields: fields}, nil
}

// declarationChoices are the lists the declaration form offers.
type declarationChoices struct {
	*formatChoices
	Commitments []option
	Rows        []int // the workshop rows, from 1
}

func (s *Server) showDeclarationForm(c *gin.Context, status int, fi *formatInfo, f *form) error {
	d, err := s.formatChoices(c, fi)
	if err != nil {
		return err
	}
	dc := &declarationChoices{formatChoices: d}
	if d.People == nil {
		if d.People, err = s.contactOptions(c.Request.Context()); err != nil { // names only (policy.go)
			return err
		}
	}
	for i := 1; i <= declarationRows[fi.Kind]; i++ {
		dc.Rows = append(dc.Rows, i)
	}
	cs, err := all(c.Request.Context(), s.Store.Commitments(), map[string]string{"kind": string(fabrique.KindCommitment)})
	if err != nil {
		return err
	}
	for _, cm := range cs {
		dc.Commitments = append(dc.Commitments, option{Value: fmt.Sprint(cm.ID), Label: "n° " + cm.Number + " — " + cm.Title})
	}
	return s.render(c, status, "declaration_form.html", &view{Title: "Déclarer : " + fi.Name, Data: dc, Forms: map[string]*form{"declaration": f},
		Crumbs: []crumb{{Label: "Tableau de bord", Href: "/staff"}, {Label: "Déclarations", Href: "/staff/declarations"}}})
}

// declarationFormPage shows the declaration form of a format.
func (s *Server) declarationFormPage(c *gin.Context) error {
	fi, err := s.declarableFormat(c)
	if err != nil {
		return err
	}
	f := newForm("declaration", "/staff/declarations/new/"+string(fi.Kind), fi.Fields...)
	for k, v := range formatDefaults[fi.Kind] {
		f.Set(k, v)
	}
	return s.showDeclarationForm(c, http.StatusOK, fi, f)
}

// declare builds the event of the format and records it, with the
// declaration, as a draft for DITP's review.
func (s *Server) declare(c *gin.Context) error {
	fi, err := s.declarableFormat(c)
	if err != nil {
		return err
	}
	u := fabrique.UserFrom(c.Request.Context())
	f := postedForm(c, "declaration", "/staff/declarations/new/"+string(fi.Kind), fi.Fields...)
	r := formatRequest(fi, f)
	r.HostOrganisationID = *u.OrganisationID
	p := parser{f}
	d := &fabrique.Declaration{Kind: fi.Kind, RoomIDs: p.ids("room_ids"), Notes: p.text("notes")}
	var alias map[string]string
	d.Workshops, alias = declaredWorkshops(fi.Kind, f)
	if fi.Kind == fabrique.EventOpenMinistry {
		if len(d.Workshops) == 0 && f.Errors["w1_title"] == "" {
			f.fail("w1_title", "Décrivez au moins un atelier : son titre, et si vous les connaissez son engagement, sa salle et ses animateurs.")
		}
		r.Workshops = len(d.Workshops)
	}
	if r.VenueID == nil && r.OnlineURL == "" {
		f.fail("venue_id", "Indiquez le lieu, ou un lien de visioconférence pour un atelier en ligne.")
	}
	validate := func() error {
		var all fabrique.Problems
		if _, _, err := schedule.Build(r); err != nil {
			all.Merge("", err)
		}
		all.Merge("", d.Validate())
		return all.Err()
	}
	save := func() error {
		plans, _, err := schedule.Build(r)
		if err != nil {
			return err
		}
		return s.Store.Declarations().Declare(c.Request.Context(), d, plans[0])
	}
	status, err := submit(f, alias, validate, save)
	if err != nil || status != 0 {
		return orErr(err, func() error { return s.showDeclarationForm(c, status, fi, f) })
	}
	return redirect(c, fmt.Sprintf("/staff/declarations/%d", d.EventID), "declared")
}

// declarationRow is a line of the list of declarations.
type declarationRow struct {
	*fabrique.Declaration
	StateLabel   string
	Organisation string
}

// declarationsPage lists the declarations: to review for DITP, the
// organisation's own for an organiser.
func (s *Server) declarationsPage(c *gin.Context) error {
	list, err := s.Store.Declarations().Declarations(c.Request.Context())
	if err != nil {
		return err
	}
	orgs, err := s.orgOptions(c)
	if err != nil {
		return err
	}
	names := map[string]string{}
	for _, o := range orgs {
		names[o.Value] = o.Label
	}
	rows := make([]declarationRow, len(list))
	for i, d := range list {
		rows[i] = declarationRow{Declaration: d, StateLabel: declarationStates[d.State], Organisation: names[fmt.Sprint(d.OrganisationID)]}
	}
	formats, err := s.declarableFormats(c) // only what the organisation may declare (dashboard_roles.go)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "declarations.html", &view{Title: "Déclarations d'événements", Data: declarationsList{rows, formats},
		Crumbs: []crumb{{Label: "Tableau de bord", Href: "/staff"}}})
}

// declarationView is the review page of a declaration.
type declarationView struct {
	Declaration *fabrique.Declaration
	StateLabel  string
	Detail      *eventDetail
	Accept      *form
	Changes     *form
	Resubmit    *form
}

// declarationPage shows a declaration with the forms of its review.
func (s *Server) declarationPage(c *gin.Context) error {
	return s.showDeclaration(c, http.StatusOK, nil)
}

func (s *Server) showDeclaration(c *gin.Context, status int, failed *form) error {
	ctx := c.Request.Context()
	id, err := httpx.PathID(c, "id")
	if err != nil {
		return err
	}
	d, err := s.Store.Declarations().Declaration(ctx, id)
	if err != nil {
		return err
	}
	detail, err := s.loadEvent(ctx, id)
	if err != nil {
		return err
	}
	v := &declarationView{Declaration: d, StateLabel: declarationStates[d.State], Detail: detail,
		Accept:   newForm("acceptation", fmt.Sprintf("/staff/declarations/%d/accept", id), "comment"),
		Changes:  newForm("modifications", fmt.Sprintf("/staff/declarations/%d/changes", id), "comment"),
		Resubmit: newForm("resoumission", fmt.Sprintf("/staff/declarations/%d/resubmit", id), "notes")}
	for _, f := range []*form{v.Accept, v.Changes, v.Resubmit} {
		if failed != nil && failed.ID == f.ID {
			*f = *failed
		}
	}
	return s.render(c, status, "declaration.html", &view{Title: "Déclaration : " + d.Event.Title, Data: v,
		Crumbs: []crumb{{Label: "Tableau de bord", Href: "/staff"}, {Label: "Déclarations", Href: "/staff/declarations"}}})
}

// decideDeclaration runs a decision posted by a form of the review page.
func (s *Server) decideDeclaration(c *gin.Context, formID, field, ok string, decide func(id int64, text string) error) error {
	id, err := httpx.PathID(c, "id")
	if err != nil {
		return err
	}
	f := postedForm(c, formID, "", field)
	f.Action = c.Request.URL.Path
	text := parser{f}.text(field)
	status, err := submit(f, nil, func() error { return nil }, func() error { return decide(id, text) })
	if err != nil || status != 0 {
		return orErr(err, func() error { return s.showDeclaration(c, status, f) })
	}
	return redirect(c, fmt.Sprintf("/staff/declarations/%d", id), ok)
}

func (s *Server) acceptDeclaration(c *gin.Context) error {
	return s.decideDeclaration(c, "acceptation", "comment", "accepted", func(id int64, text string) error {
		_, err := s.Store.Declarations().Accept(c.Request.Context(), id, text)
		return err
	})
}

func (s *Server) requestChanges(c *gin.Context) error {
	return s.decideDeclaration(c, "modifications", "comment", "changes", func(id int64, text string) error {
		_, err := s.Store.Declarations().RequestChanges(c.Request.Context(), id, text)
		return err
	})
}

func (s *Server) resubmitDeclaration(c *gin.Context) error {
	return s.decideDeclaration(c, "resoumission", "notes", "resubmitted", func(id int64, text string) error {
		_, err := s.Store.Declarations().Resubmit(c.Request.Context(), id, text)
		return err
	})
}
