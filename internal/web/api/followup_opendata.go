package api

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"fabrique/internal/fabrique"
	"fabrique/internal/web/httpx"
)

// The open data of a plan's follow-up: its commitments, statuses,
// milestones, indicators and published comments, as JSON and as CSV files
// for a French spreadsheet. No personal data but the name or pseudonym a
// commenter chose to publish.

// openPlan is the JSON open data of a plan.
type openPlan struct {
	Plan        openPlanHead     `json:"plan"`
	Generated   string           `json:"generated"` // YYYY-MM-DD
	Commitments []openCommitment `json:"commitments"`
}

type openPlanHead struct {
	ID          int64  `json:"id"`
	Title       string `json:"title"`
	PeriodStart string `json:"period_start"`
	PeriodEnd   string `json:"period_end"`
}

type openCommitment struct {
	Number      string                  `json:"number"`
	Title       string                  `json:"title"`
	Carriers    []string                `json:"carriers"`
	Principles  []fabrique.Principle    `json:"principles"`
	Status      string                  `json:"status"`
	StatusLabel string                  `json:"status_label"`
	History     []openStatusChange      `json:"history"`
	Milestones  []*fabrique.Milestone   `json:"milestones"`
	Indicators  []*fabrique.Indicator   `json:"indicators"`
	Workshops   []openDiscussedWorkshop `json:"workshops"`
	Comments    []openComment           `json:"comments"`
}

type openStatusChange struct {
	From          string `json:"from"`
	To            string `json:"to"`
	Justification string `json:"justification"`
	Date          string `json:"date"`
}

type openDiscussedWorkshop struct {
	EventID       int64  `json:"event_id"`
	Event         string `json:"event"`
	Date          string `json:"date"`
	Workshop      string `json:"workshop"`
	Contributions int    `json:"published_contributions"`
}

type openComment struct {
	ID            int64  `json:"id"`
	ParentID      *int64 `json:"parent_id"`
	Author        string `json:"author"`
	Text          string `json:"text"`
	CarrierAnswer bool   `json:"carrier_answer"`
	PublishedAt   string `json:"published_at"` // RFC 3339, Paris
}

func day(t time.Time) string { return t.In(fabrique.Paris).Format("2006-01-02") }

// openFollowUp turns a plan's follow-up into open data: published comments only.
func openFollowUp(f *fabrique.PlanFollowUp) *openPlan {
	out := &openPlan{Plan: openPlanHead{ID: f.Plan.ID, Title: f.Plan.Title, PeriodStart: f.Plan.PeriodStart, PeriodEnd: f.Plan.PeriodEnd},
		Generated: f.Today, Commitments: []openCommitment{}}
	for _, r := range f.Commitments {
		c := r.Commitment
		oc := openCommitment{Number: c.Number, Title: c.Title, Carriers: []string{}, Principles: c.Principles, Status: string(c.Status),
			StatusLabel: c.Status.CompletionLabel(), History: []openStatusChange{}, Milestones: r.Milestones, Indicators: r.Indicators,
			Workshops: []openDiscussedWorkshop{}, Comments: []openComment{}}
		for _, o := range r.Carriers {
			oc.Carriers = append(oc.Carriers, o.Name)
		}
		for _, h := range r.History {
			oc.History = append(oc.History, openStatusChange{From: string(h.From), To: string(h.To), Justification: h.Justification, Date: day(h.ChangedAt)})
		}
		for _, w := range r.Workshops {
			oc.Workshops = append(oc.Workshops, openDiscussedWorkshop{EventID: w.EventID, Event: w.Event, Date: day(w.Start),
				Workshop: fabrique.WorkshopLabel(w.Number, w.Title), Contributions: len(w.Contributions)})
		}
		for _, cm := range r.Comments {
			if cm.State != fabrique.CommentPublished || cm.PublishedAt == nil {
				continue
			}
			oc.Comments = append(oc.Comments, openComment{ID: cm.ID, ParentID: cm.ParentID, Author: cm.Author, Text: cm.Text,
				CarrierAnswer: cm.CarrierAnswer, PublishedAt: cm.PublishedAt.In(fabrique.Paris).Format(time.RFC3339)})
		}
		out.Commitments = append(out.Commitments, oc)
	}
	return out
}

// openDataFiles are the CSV files of a plan's open data, by name.
var openDataFiles = map[string]func(*openPlan) [][]string{
	"engagements.csv": func(p *openPlan) [][]string {
		rows := [][]string{{"numero", "titre", "porteurs", "principes", "etat", "etat_libelle", "justification", "date_etat", "jalons", "jalons_atteints", "commentaires_publies"}}
		for _, c := range p.Commitments {
			var why, when string
			if n := len(c.History); n > 0 {
				why, when = c.History[n-1].Justification, c.History[n-1].Date
			}
			done := 0
			for _, m := range c.Milestones {
				if m.Done() {
					done++
				}
			}
			principles := make([]string, len(c.Principles))
			for i, pr := range c.Principles {
				principles[i] = string(pr)
			}
			rows = append(rows, []string{c.Number, c.Title, strings.Join(c.Carriers, " / "), strings.Join(principles, " / "), c.Status, c.StatusLabel,
				why, when, strconv.Itoa(len(c.Milestones)), strconv.Itoa(done), strconv.Itoa(len(c.Comments))})
		}
		return rows
	},
	"jalons.csv": func(p *openPlan) [][]string {
		rows := [][]string{{"engagement", "jalon", "echeance", "atteint_le"}}
		for _, c := range p.Commitments {
			for _, m := range c.Milestones {
				rows = append(rows, []string{c.Number, m.Title, m.Due, m.DoneOn})
			}
		}
		return rows
	},
	"indicateurs.csv": func(p *openPlan) [][]string {
		rows := [][]string{{"engagement", "indicateur", "unite", "cible", "date", "valeur", "source"}}
		for _, c := range p.Commitments {
			for _, i := range c.Indicators {
				target := ""
				if i.Target != nil {
					target = frenchNumber(*i.Target)
				}
				if len(i.Measurements) == 0 {
					rows = append(rows, []string{c.Number, i.Name, i.Unit, target, "", "", ""})
				}
				for _, m := range i.Measurements {
					rows = append(rows, []string{c.Number, i.Name, i.Unit, target, m.MeasuredOn, frenchNumber(m.Value), m.Source})
				}
			}
		}
		return rows
	},
	"commentaires.csv": func(p *openPlan) [][]string {
		rows := [][]string{{"engagement", "commentaire_id", "en_reponse_a", "auteur", "reponse_du_porteur", "publie_le", "texte"}}
		for _, c := range p.Commitments {
			for _, cm := range c.Comments {
				parent := ""
				if cm.ParentID != nil {
					parent = strconv.FormatInt(*cm.ParentID, 10)
				}
				answer := "non"
				if cm.CarrierAnswer {
					answer = "oui"
				}
				rows = append(rows, []string{c.Number, strconv.FormatInt(cm.ID, 10), parent, cm.Author, answer, cm.PublishedAt, cm.Text})
			}
		}
		return rows
	},
}

// frenchNumber writes a number with a decimal comma: 12,5.
func frenchNumber(v float64) string {
	return strings.Replace(strconv.FormatFloat(v, 'f', -1, 64), ".", ",", 1)
}

// openDataFile answers one file of a plan's open data: suivi.json or a CSV.
func (s *Server) openDataFile(c *gin.Context, fu fabrique.FollowUpService) error {
	id, err := httpx.PathID(c, "id")
	if err != nil {
		return err
	}
	name := c.Param("file")
	rows, csvFile := openDataFiles[name]
	if !csvFile && name != "suivi.json" {
		return fabrique.Errorf(fabrique.ENOTFOUND, "Fichier inconnu « %s » : suivi.json, engagements.csv, jalons.csv, indicateurs.csv ou commentaires.csv.", name)
	}
	f, err := fu.Plan(fabrique.WithUser(c.Request.Context(), nil), id, "") // as a visitor: published comments only
	if err != nil {
		return err
	}
	p := openFollowUp(f)
	c.Header("Content-Disposition", `inline; filename="`+httpx.FileSlug(f.Plan.Title)+"-"+name+`"`)
	if !csvFile {
		c.JSON(http.StatusOK, p)
		return nil
	}
	b, err := httpx.SpreadsheetCSV(rows(p))
	if err != nil {
		return err
	}
	c.Data(http.StatusOK, "text/csv; charset=utf-8", b)
	return nil
}
