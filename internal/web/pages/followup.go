package pages

import (
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"fabrique/internal/fabrique"
	"fabrique/internal/pdf"
	"fabrique/internal/web/httpx"
)

// The public pages of the follow-up of commitments (issue 17): a plan's
// commitments at a glance, each commitment's page with its workshops and
// the consultation's comments, and the comment form.

// commentFields are the fields of the public comment form.
var commentFields = []string{"author", "email", "text", "consent"}

// mountFollowUpPages registers the public pages and the staff's actions.
func (s *Server) mountFollowUpPages(st *gin.RouterGroup) {
	g := s.Engine
	g.GET("/plans/:id", s.page(s.planFollowUpPage))
	g.GET("/plans/:id/rapport", s.page(s.progressPage))
	g.GET("/plans/:id/engagements/:number", s.page(s.commitmentPage))
	g.POST("/plans/:id/engagements/:number/commentaires", s.page(s.commentByForm))
	s.mountFollowUpStaffPages(st)
}

// planFollowUpView is what plan_followup.html receives.
type planFollowUpView struct {
	F           *fabrique.PlanFollowUp
	Rows        []commitmentRow
	Carriers    []carrierGroup
	Filters     filterView
	Open        *fabrique.Consultation
	Pending     int
	OpenData    []string
	CanModerate bool
}

// commitmentRow is a commitment at a glance.
type commitmentRow struct {
	R                   *fabrique.CommitmentRecord
	Done, Late, Total   int
	Workshops, Comments int
	Step                int // 0–3 on the completion scale, -1 off it
	CarrierNames        string
}

// carrierGroup is one carrying organisation's commitments, side by side.
type carrierGroup struct {
	Org         *fabrique.Organisation
	Rows        []commitmentRow
	Done, Total int // milestones reached and milestones, over its commitments
}

// filterView is the filter form of a plan's page.
type filterView struct {
	Carrier, Principle, Status     string
	Carriers, Principles, Statuses []option
	Active                         bool
}

func newCommitmentRow(r *fabrique.CommitmentRecord, today string) commitmentRow {
	row := commitmentRow{R: r, Total: len(r.Milestones), Workshops: len(r.Workshops), Step: r.Commitment.Status.Step()}
	for _, m := range r.Milestones {
		if m.Done() {
			row.Done++
		} else if m.Late(today) {
			row.Late++
		}
	}
	for _, c := range r.Comments {
		if c.State == fabrique.CommentPublished && !c.CarrierAnswer {
			row.Comments++
		}
	}
	var names []string
	for _, o := range r.Carriers {
		names = append(names, o.Name)
	}
	row.CarrierNames = strings.Join(names, " ; ")
	return row
}

func (s *Server) planFollowUpPage(c *gin.Context) error {
	id, err := httpx.PathID(c, "id")
	if err != nil {
		return err
	}
	ctx := c.Request.Context()
	f, err := s.Store.FollowUp().Plan(ctx, id, "")
	if err != nil {
		return err
	}
	fv := filterView{Carrier: c.Query("porteur"), Principle: c.Query("principe"), Status: c.Query("etat")}
	sel, err := fabrique.SelectCommitments(fv.Carrier, fv.Principle, fv.Status)
	if err != nil {
		return fabrique.Errorf(fabrique.EINVALID, "Filtre invalide : %s", fabrique.ErrorMessage(err))
	}
	fv.Active = fv.Carrier != "" || fv.Principle != "" || fv.Status != ""
	v := &planFollowUpView{F: f, Filters: fv, Open: f.Open(), CanModerate: mayModerate(fabrique.UserFrom(ctx)),
		OpenData: []string{"suivi.json", "engagements.csv", "jalons.csv", "indicateurs.csv", "commentaires.csv"}}
	orgs := map[int64]*carrierGroup{}
	for _, r := range f.Commitments {
		row := newCommitmentRow(r, f.Today)
		for _, cm := range r.Comments {
			if cm.State == fabrique.CommentPending {
				v.Pending++
			}
		}
		for _, o := range r.Carriers {
			g := orgs[o.ID]
			if g == nil {
				g = &carrierGroup{Org: o}
				orgs[o.ID] = g
			}
			g.Rows = append(g.Rows, row)
			g.Done += row.Done
			g.Total += row.Total
		}
	}
	for _, r := range sel.Apply(f.Commitments) {
		v.Rows = append(v.Rows, newCommitmentRow(r, f.Today))
	}
	for _, g := range orgs {
		v.Carriers = append(v.Carriers, *g)
		v.Filters.Carriers = append(v.Filters.Carriers, option{Value: strconv.FormatInt(g.Org.ID, 10), Label: g.Org.Name})
	}
	sort.Slice(v.Carriers, func(i, j int) bool { return v.Carriers[i].Org.Name < v.Carriers[j].Org.Name }) // alphabetical: no ranking
	sort.Slice(v.Filters.Carriers, func(i, j int) bool { return v.Filters.Carriers[i].Label < v.Filters.Carriers[j].Label })
	for _, p := range fabrique.Principles {
		v.Filters.Principles = append(v.Filters.Principles, option{Value: string(p), Label: pdf.PrincipleLabel(p)})
	}
	v.Filters.Statuses = completionOptions()
	return s.render(c, http.StatusOK, "plan_followup.html", &view{Title: "Suivi des engagements — " + f.Plan.Title, Data: v})
}

// completionOptions are the statuses of the completion scale, in French.
func completionOptions() []option {
	var out []option
	for _, st := range fabrique.CompletionScale {
		out = append(out, option{Value: string(st), Label: "Mise en œuvre " + st.CompletionLabel()})
	}
	return out
}

// followUpCommitmentView is what commitment.html receives.
type followUpCommitmentView struct {
	Plan          *fabrique.ActionPlan
	R             *fabrique.CommitmentRecord
	Row           commitmentRow
	Today         string
	Open          *fabrique.Consultation
	Consultations []*fabrique.Consultation
	Moderation    fabrique.Moderation
	Milestones    []milestoneView
	Charts        []indicatorChart
	Workshops     []discussedView
	Threads       []thread
	Base          string // /plans/1/engagements/4
	StaffBase     string // /staff/plans/1/engagements/4
	CanReport     bool
	CanAnswer     bool
	CanModerate   bool
	Statuses      []option
	Consent       consentBox
}

type milestoneView struct {
	*fabrique.Milestone
	State string
	Late  bool
}

type discussedView struct {
	*fabrique.DiscussedWorkshop
	Label  string
	Groups []pdf.QuestionGroup
}

// thread is a comment and the carriers' answers to it.
type thread struct {
	*fabrique.Comment
	Answers []*fabrique.Comment
}

// mayModerate and mayReport ask the policy what the store will allow.
func mayModerate(u *fabrique.User) bool {
	return fabrique.Can(u, fabrique.ObjConsultation, fabrique.ActChange, fabrique.Owner{Shared: true})
}

func mayReport(u *fabrique.User, r *fabrique.CommitmentRecord) bool {
	return fabrique.Can(u, fabrique.ObjFollowUp, fabrique.ActChange, fabrique.CarriersOwner(r.Commitment.CarrierIDs))
}

// loadCommitment reads the plan and the commitment of a page's path.
func (s *Server) loadCommitment(c *gin.Context) (*fabrique.PlanFollowUp, *fabrique.CommitmentRecord, error) {
	id, err := httpx.PathID(c, "id")
	if err != nil {
		return nil, nil, err
	}
	number := c.Param("number")
	if number == "" || len(number) > 20 {
		return nil, nil, fabrique.Errorf(fabrique.ENOTFOUND, "Numéro d'engagement invalide.")
	}
	f, err := s.Store.FollowUp().Plan(c.Request.Context(), id, number)
	if err != nil {
		return nil, nil, err
	}
	return f, f.Commitments[0], nil
}

func (s *Server) commitmentPage(c *gin.Context) error {
	return s.showCommitment(c, http.StatusOK, nil, "")
}

// showCommitment renders a commitment's page; f is a refused form to show
// again (which one: formID), nil for none.
func (s *Server) showCommitment(c *gin.Context, status int, f *form, formID string) error {
	pf, r, err := s.loadCommitment(c)
	if err != nil {
		return err
	}
	u := fabrique.UserFrom(c.Request.Context())
	base := fmt.Sprintf("/plans/%d/engagements/%s", pf.Plan.ID, r.Commitment.Number)
	v := &followUpCommitmentView{Plan: pf.Plan, R: r, Row: newCommitmentRow(r, pf.Today), Today: pf.Today, Open: pf.Open(), Consultations: pf.Consultations,
		Moderation: pf.Moderation, Base: base, StaffBase: "/staff" + base, CanReport: mayReport(u, r), CanModerate: mayModerate(u), Statuses: completionOptions()}
	v.CanAnswer = v.CanReport
	for _, m := range r.Milestones {
		v.Milestones = append(v.Milestones, milestoneView{Milestone: m, State: pdf.MilestoneState(m, pf.Today), Late: m.Late(pf.Today)})
	}
	for _, i := range r.Indicators {
		v.Charts = append(v.Charts, newIndicatorChart(i))
	}
	for _, w := range r.Workshops {
		v.Workshops = append(v.Workshops, discussedView{DiscussedWorkshop: w, Label: pdf.DiscussedLabel(w), Groups: pdf.GroupContributions(w.Contributions)})
	}
	v.Threads = threads(r.Comments)
	forms := map[string]*form{}
	if f != nil {
		forms[formID] = f
	}
	if forms["comment"] == nil {
		forms["comment"] = newForm("commentaire", base+"/commentaires#commenter", commentFields...)
	}
	v.Consent = consentBox{control: newControl(forms["comment"], "consent", "J'accepte que mon commentaire soit publié sous le nom ou le pseudonyme indiqué, et que mon adresse serve à m'en confirmer la réception.", "check", "required"),
		Purpose: fabrique.CommentPurpose, Retention: fabrique.CommentRetention}
	for id, fields := range staffForms {
		if forms[id] == nil {
			forms[id] = newForm(id, "/staff"+base+"/"+id, fields...)
		}
	}
	return s.render(c, status, "commitment.html", &view{Title: "Engagement " + r.Commitment.Number + " : " + r.Commitment.Title, Data: v, Forms: forms,
		Crumbs: []crumb{{Label: "Suivi du plan d'action", Href: fmt.Sprintf("/plans/%d", pf.Plan.ID)}}})
}

// threads puts each carrier's answer under the comment it answers.
func threads(list []*fabrique.Comment) []thread {
	var out []thread
	index := map[int64]int{}
	for _, c := range list {
		if c.ParentID == nil {
			index[c.ID] = len(out)
			out = append(out, thread{Comment: c})
		}
	}
	for _, c := range list {
		if c.ParentID != nil {
			if i, ok := index[*c.ParentID]; ok {
				out[i].Answers = append(out[i].Answers, c)
			}
		}
	}
	return out
}

// commentByForm records a comment from the public form, then shows the
// page again with a confirmation (or the form with what to fix).
func (s *Server) commentByForm(c *gin.Context) error {
	_, r, err := s.loadCommitment(c)
	if err != nil {
		return err
	}
	f := postedForm(c, "commentaire", "", commentFields...)
	p := parser{f}
	in := &fabrique.CommentInput{Author: p.text("author"), Email: p.text("email"), Text: p.text("text"), Consent: p.checked("consent")}
	f.Action = c.Request.URL.Path + "#commenter"
	var saved *fabrique.Comment
	status, err := submit(f, nil, in.Validate, func() (err error) {
		saved, err = s.Store.FollowUp().Comment(c.Request.Context(), r.Commitment.ID, in)
		return err
	})
	if err != nil || status != 0 {
		return orErr(err, func() error { return s.showCommitment(c, status, f, "comment") })
	}
	ok := "comment-pending"
	if saved.State == fabrique.CommentPublished { // never before its confirmation, kept for safety
		ok = "comment-published"
	}
	return redirect(c, strings.TrimSuffix(c.Request.URL.Path, "/commentaires")+"#commentaires", ok)
}

func init() {
	notices["comment-pending"] = "Merci : votre commentaire est enregistré. Un courriel vient de vous être envoyé : ouvrez le lien qu'il contient pour confirmer votre commentaire (sans confirmation dans les 7 jours, il est effacé)."
	notices["comment-published"] = "Merci : votre commentaire est publié."
	notices["status-saved"] = "L'état d'avancement est enregistré et ajouté à l'historique."
	notices["moderated"] = "La décision de modération est enregistrée."
	notices["answered"] = "Votre réponse est publiée."
	notices["consultation-opened"] = "La consultation est ouverte aux dates choisies."
}

func init() {
	viewFuncs["steps"] = func() []int { return []int{0, 1, 2} } // the three steps after « non commencée »
}

func init() {
	viewFuncs["principle"] = pdf.PrincipleLabel
	viewFuncs["number"] = pdf.NumberFR
	viewFuncs["lastChange"] = progressFuncs["lastChange"]
	viewFuncs["indicatorOptions"] = func(r *fabrique.CommitmentRecord) []option {
		var out []option
		for _, i := range r.Indicators {
			out = append(out, option{Value: strconv.FormatInt(i.ID, 10), Label: i.Name + " (" + i.Unit + ")"})
		}
		return out
	}
}
