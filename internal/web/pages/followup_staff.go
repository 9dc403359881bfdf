package pages

import (
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"fabrique/internal/fabrique"
	"fabrique/internal/pdf"
	"fabrique/internal/web/httpx"
)

// The staff's actions on the follow-up: carriers set the status, add
// milestones, indicators and values and answer comments; administrators
// open consultations and moderate.

// staffForms are the forms of a commitment's page for its carriers, by id
// (the last part of their address).
var staffForms = map[string][]string{
	"etat":        {"status", "justification"},
	"jalons":      {"title", "due", "done_on"},
	"indicateurs": {"name", "unit", "target"},
	"valeurs":     {"indicator_id", "value", "measured_on", "source"},
	"reponse":     {"comment_id", "text"},
}

func (s *Server) mountFollowUpStaffPages(st *gin.RouterGroup) {
	st.POST("/plans/:id/engagements/:number/etat", s.page(s.followUpForm("etat", s.saveStatus)))
	st.POST("/plans/:id/engagements/:number/jalons", s.page(s.followUpForm("jalons", s.saveMilestone)))
	st.POST("/plans/:id/engagements/:number/jalons/:item/atteint", s.page(s.milestoneReached))
	st.POST("/plans/:id/engagements/:number/indicateurs", s.page(s.followUpForm("indicateurs", s.saveIndicator)))
	st.POST("/plans/:id/engagements/:number/valeurs", s.page(s.followUpForm("valeurs", s.saveMeasurement)))
	st.POST("/plans/:id/engagements/:number/reponse", s.page(s.followUpForm("reponse", s.saveAnswer)))
	st.POST("/plans/:id/engagements/:number/moderation", s.page(s.moderateByForm))
	st.GET("/plans/:id/moderation", s.page(s.moderationPage))
	st.POST("/plans/:id/consultations", s.page(s.openConsultationByForm))
}

// followUpForm posts one of the carriers' forms of a commitment's page:
// save validates and writes; a refused form is shown again on the page.
func (s *Server) followUpForm(id string, save func(c *gin.Context, r *fabrique.CommitmentRecord, f *form) (validate func() error, write func() error)) pageHandler {
	return func(c *gin.Context) error {
		_, r, err := s.loadCommitment(c)
		if err != nil {
			return err
		}
		f := postedForm(c, id, strings.TrimPrefix(c.Request.URL.Path, "/staff")+"#"+id, staffForms[id]...)
		f.Action = c.Request.URL.Path + "#" + id
		validate, write := save(c, r, f)
		status, err := submit(f, nil, validate, write)
		if err != nil || status != 0 {
			return orErr(err, func() error { return s.showCommitment(c, status, f, id) })
		}
		ok := "saved"
		switch id {
		case "etat":
			ok = "status-saved"
		case "reponse":
			ok = "answered"
		}
		return redirect(c, strings.TrimPrefix(strings.TrimSuffix(c.Request.URL.Path, "/"+id), "/staff")+"#suivi", ok)
	}
}

func (s *Server) saveStatus(c *gin.Context, r *fabrique.CommitmentRecord, f *form) (func() error, func() error) {
	p := parser{f}
	in := &fabrique.StatusInput{Status: fabrique.CommitmentStatus(p.text("status")), Justification: p.text("justification")}
	return in.Validate, func() error {
		_, err := s.Store.FollowUp().SetStatus(c.Request.Context(), r.Commitment.ID, in)
		return err
	}
}

func (s *Server) saveMilestone(c *gin.Context, r *fabrique.CommitmentRecord, f *form) (func() error, func() error) {
	p := parser{f}
	m := &fabrique.Milestone{CommitmentID: r.Commitment.ID, Title: p.text("title"), Due: p.text("due"), DoneOn: p.text("done_on")}
	return m.Validate, func() error { return s.Store.FollowUp().SaveMilestone(c.Request.Context(), m) }
}

func (s *Server) saveIndicator(c *gin.Context, r *fabrique.CommitmentRecord, f *form) (func() error, func() error) {
	p := parser{f}
	i := &fabrique.Indicator{CommitmentID: r.Commitment.ID, Name: p.text("name"), Unit: p.text("unit")}
	if t := p.text("target"); t != "" {
		v, ok := frenchFloat(t)
		if !ok {
			f.fail("target", "Une valeur numérique est attendue (exemple : 40 ou 12,5).")
		}
		i.Target = &v
	}
	return i.Validate, func() error { return s.Store.FollowUp().SaveIndicator(c.Request.Context(), i) }
}

func (s *Server) saveMeasurement(c *gin.Context, r *fabrique.CommitmentRecord, f *form) (func() error, func() error) {
	p := parser{f}
	m := &fabrique.Measurement{MeasuredOn: p.text("measured_on"), Source: p.text("source")}
	if id := p.id("indicator_id"); id != nil {
		m.IndicatorID = *id
	} else if f.Errors["indicator_id"] == "" {
		f.fail("indicator_id", "Choisissez l'indicateur mesuré.")
	}
	v, ok := frenchFloat(p.text("value"))
	if !ok {
		f.fail("value", "Une valeur numérique est attendue (exemple : 27 ou 12,5).")
	}
	m.Value = v
	return m.Validate, func() error {
		for _, i := range r.Indicators {
			if i.ID == m.IndicatorID {
				return s.Store.FollowUp().AddMeasurement(c.Request.Context(), m)
			}
		}
		return fabrique.Invalid("indicator_id", "cet indicateur n'est pas un indicateur de cet engagement")
	}
}

func (s *Server) saveAnswer(c *gin.Context, r *fabrique.CommitmentRecord, f *form) (func() error, func() error) {
	p := parser{f}
	in := &fabrique.AnswerInput{Text: p.text("text")}
	id := p.id("comment_id")
	return in.Validate, func() error {
		if err := in.Validate(); err != nil {
			return err
		}
		if id == nil {
			return fabrique.Errorf(fabrique.ENOTFOUND, "Commentaire introuvable.")
		}
		for _, cm := range r.Comments {
			if cm.ID == *id {
				_, err := s.Store.FollowUp().Answer(c.Request.Context(), *id, in)
				return err
			}
		}
		return fabrique.Errorf(fabrique.ENOTFOUND, "Le commentaire n° %d n'est pas un commentaire de cet engagement.", *id)
	}
}

// frenchFloat reads a number written with a decimal comma or point.
func frenchFloat(s string) (float64, bool) {
	s = strings.NewReplacer(" ", "", "\u202f", "", "\u00a0", "", ",", ".").Replace(strings.TrimSpace(s))
	v, err := strconv.ParseFloat(s, 64)
	return v, err == nil && !math.IsInf(v, 0) && !math.IsNaN(v)
}

// milestoneReached marks a milestone of the commitment as reached today
// (or on the date posted).
func (s *Server) milestoneReached(c *gin.Context) error {
	pf, r, err := s.loadCommitment(c)
	if err != nil {
		return err
	}
	item, err := httpx.PathID(c, "item")
	if err != nil {
		return err
	}
	for _, m := range r.Milestones {
		if m.ID == item {
			m.DoneOn = pf.Today
			if err := s.Store.FollowUp().SaveMilestone(c.Request.Context(), m); err != nil {
				return err
			}
			return redirect(c, fmt.Sprintf("/plans/%d/engagements/%s#jalons-titre", pf.Plan.ID, r.Commitment.Number), "saved")
		}
	}
	return fabrique.Errorf(fabrique.ENOTFOUND, "Le jalon n° %d n'est pas un jalon de cet engagement.", item)
}

// moderateByForm publishes or rejects a pending comment of the commitment.
func (s *Server) moderateByForm(c *gin.Context) error {
	pf, r, err := s.loadCommitment(c)
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(c.PostForm("comment_id"), 10, 64)
	if err != nil {
		return fabrique.Errorf(fabrique.ENOTFOUND, "Commentaire introuvable.")
	}
	in := &fabrique.ModerationInput{Decision: fabrique.CommentState(c.PostForm("decision"))}
	if _, err := s.Store.FollowUp().Moderate(c.Request.Context(), id, in); err != nil {
		return err
	}
	back := fmt.Sprintf("/plans/%d/engagements/%s#commentaires", pf.Plan.ID, r.Commitment.Number)
	if c.PostForm("retour") == "moderation" {
		back = fmt.Sprintf("/staff/plans/%d/moderation", pf.Plan.ID)
	}
	return redirect(c, back, "moderated")
}

// moderationView is what moderation.html receives.
type moderationView struct {
	F           *fabrique.PlanFollowUp
	Pending     []pendingComment
	Moderations []option
}

type pendingComment struct {
	*fabrique.Comment
	Number, Title string
}

var consultationFields = []string{"title", "opens", "closes", "moderation"}

// moderationPage lists the comments awaiting moderation and the
// consultations of a plan, with the form to open one (administrators).
func (s *Server) moderationPage(c *gin.Context) error {
	return s.showModeration(c, http.StatusOK, nil)
}

func (s *Server) showModeration(c *gin.Context, status int, f *form) error {
	id, err := httpx.PathID(c, "id")
	if err != nil {
		return err
	}
	ctx := c.Request.Context()
	if err := mayModerateError(fabrique.UserFrom(ctx)); err != nil {
		return err
	}
	pf, err := s.Store.FollowUp().Plan(ctx, id, "")
	if err != nil {
		return err
	}
	v := &moderationView{F: pf, Moderations: moderationOptions()}
	for _, r := range pf.Commitments {
		for _, cm := range r.Comments {
			if cm.State == fabrique.CommentPending {
				v.Pending = append(v.Pending, pendingComment{Comment: cm, Number: r.Commitment.Number, Title: r.Commitment.Title})
			}
		}
	}
	if f == nil {
		f = newForm("consultation", fmt.Sprintf("/staff/plans/%d/consultations", id), consultationFields...)
		f.Set("moderation", string(pf.Moderation))
	}
	return s.render(c, status, "moderation.html", &view{Title: "Consultation et modération — " + pf.Plan.Title, Data: v,
		Forms: map[string]*form{"consultation": f}, Crumbs: []crumb{{Label: "Suivi du plan d'action", Href: fmt.Sprintf("/plans/%d", id)}}})
}

func mayModerateError(u *fabrique.User) error {
	if !mayModerate(u) {
		return fabrique.Errorf(fabrique.EFORBIDDEN, "Votre rôle ne vous permet pas de modérer les commentaires de la consultation.")
	}
	return nil
}

// moderationOptions are the moderation modes in French.
func moderationOptions() []option {
	return []option{{Value: string(fabrique.ModerationBefore), Label: "Après relecture par l'équipe du plan"}, {Value: string(fabrique.ModerationNone), Label: "Aussitôt envoyés"}}
}

func (s *Server) openConsultationByForm(c *gin.Context) error {
	id, err := httpx.PathID(c, "id")
	if err != nil {
		return err
	}
	if err := mayModerateError(fabrique.UserFrom(c.Request.Context())); err != nil {
		return err
	}
	f := postedForm(c, "consultation", fmt.Sprintf("/staff/plans/%d/consultations", id), consultationFields...)
	p := parser{f}
	in := &fabrique.Consultation{PlanID: id, Title: p.text("title"), Opens: p.text("opens"), Closes: p.text("closes"), Moderation: fabrique.Moderation(p.text("moderation"))}
	status, err := submit(f, nil, in.Validate, func() error { return s.Store.FollowUp().OpenConsultation(c.Request.Context(), in) })
	if err != nil || status != 0 {
		return orErr(err, func() error { return s.showModeration(c, status, f) })
	}
	return redirect(c, fmt.Sprintf("/staff/plans/%d/moderation", id), "consultation-opened")
}

// indicatorChart is an indicator drawn as a small SVG line chart, with
// its text alternative.
type indicatorChart struct {
	*fabrique.Indicator
	ID            string
	Width, Height int
	Points        string // the polyline
	Dots          []chartDot
	TargetY       float64
	HasTarget     bool
	Alt           string
	Latest        string
}

type chartDot struct {
	X, Y  float64
	Label string
}

// newIndicatorChart scales the measurements from 0 to the largest of the
// values and the target.
func newIndicatorChart(i *fabrique.Indicator) indicatorChart {
	ch := indicatorChart{Indicator: i, ID: "indicateur-" + strconv.FormatInt(i.ID, 10), Width: 320, Height: 120, Latest: "aucune valeur relevée"}
	top := 0.0
	for _, m := range i.Measurements {
		top = math.Max(top, m.Value)
	}
	if i.Target != nil {
		top = math.Max(top, *i.Target)
	}
	if top <= 0 {
		top = 1
	}
	const left, right, pad = 10.0, 10.0, 10.0
	y := func(v float64) float64 {
		return math.Round((float64(ch.Height)-pad-(float64(ch.Height)-2*pad)*math.Max(v, 0)/top)*10) / 10
	}
	n := len(i.Measurements)
	var pts, alt []string
	for k, m := range i.Measurements {
		x := left + (float64(ch.Width)-left-right)/2
		if n > 1 {
			x = left + (float64(ch.Width)-left-right)*float64(k)/float64(n-1)
		}
		x = math.Round(x*10) / 10
		label := pdf.NumberFR(m.Value) + " " + i.Unit + " le " + pdf.CivilDate(m.MeasuredOn)
		ch.Dots = append(ch.Dots, chartDot{X: x, Y: y(m.Value), Label: label})
		pts = append(pts, fmt.Sprintf("%g,%g", x, y(m.Value)))
		alt = append(alt, label)
	}
	ch.Points = strings.Join(pts, " ")
	if i.Target != nil {
		ch.HasTarget, ch.TargetY = true, y(*i.Target)
	}
	ch.Alt = i.Name + " : "
	if len(alt) == 0 {
		ch.Alt += "aucune valeur relevée"
	} else {
		ch.Alt += strings.Join(alt, ", ")
		ch.Latest = alt[len(alt)-1]
	}
	if i.Target != nil {
		ch.Alt += " ; cible : " + pdf.NumberFR(*i.Target) + " " + i.Unit
	}
	ch.Alt += "."
	return ch
}
