package api

import (
	"net/http"
	"reflect"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"fabrique/internal/fabrique"
	"fabrique/internal/pdf"
	"fabrique/internal/web/httpx"
)

// Who may call the routes of contributions, attendance and minutes.
const (
	tagMinutes     = "Contributions et comptes rendus"
	tagDocuments   = "Documents"
	writeWorkshop  = "administrateurs ; organisateurs de l'organisation hôte ; animateurs de CET atelier"
	approveMinutes = "administrateurs ; animateurs de cet atelier"
	publishMinutes = "administrateurs ; organisateurs de l'organisation hôte"
	readKit        = "administrateurs ; organisateurs de l'organisation hôte ; animateurs des ateliers de l'événement"
	readMinutes    = "public une fois le compte rendu publié ; avant : administrateurs, organisateurs de l'organisation hôte, animateurs de l'événement"
)

// attendanceInput ticks registrations of a workshop.
type attendanceInput struct {
	RegistrationIDs []int64 `json:"registration_ids"`
	Attended        *bool   `json:"attended"` // true when absent: tick as attended
}

// mountMinutes registers the routes of contributions, attendance, minutes
// and the printable documents (PDF, HTML twins, open data).
func (s *Server) mountMinutes(g *gin.RouterGroup) {
	m := s.Store.Minutes()
	contribution, attendance := reflect.TypeOf(fabrique.Contribution{}), reflect.TypeOf(fabrique.Attendance{})
	wmin, emin := reflect.TypeOf(fabrique.WorkshopMinutes{}), reflect.TypeOf(fabrique.EventMinutes{})

	s.api(g, route{method: "POST", path: "/workshops/:id/contributions", summary: "Noter une contribution dans un atelier", tag: tagMinutes, auth: writeWorkshop,
		body: contribution, reply: contribution, status: http.StatusCreated}, func(c *gin.Context) error {
		id, err := httpx.PathID(c, "id")
		if err != nil {
			return err
		}
		var v fabrique.Contribution
		if err := decodeJSON(c, &v); err != nil {
			return err
		}
		if v.WorkshopID != 0 && v.WorkshopID != id {
			return fabrique.Invalid("workshop_id", "l'atelier est donné par l'adresse (n° %d) : ne le répétez pas autrement", id)
		}
		v.WorkshopID = id
		if err := m.CreateContribution(c.Request.Context(), &v); err != nil {
			return err
		}
		c.Header("Location", "/api/v1/contributions/"+strconv.FormatInt(v.ID, 10))
		c.JSON(http.StatusCreated, v)
		return nil
	})
	s.api(g, route{method: "GET", path: "/workshops/:id/contributions", summary: "Lister les contributions d'un atelier", tag: tagMinutes, auth: writeWorkshop,
		reply: contribution, list: true}, func(c *gin.Context) error {
		id, err := httpx.PathID(c, "id")
		if err != nil {
			return err
		}
		list, err := m.Contributions(c.Request.Context(), id)
		if err != nil {
			return err
		}
		c.JSON(http.StatusOK, fabrique.Page[fabrique.Contribution]{Items: list, Total: len(list), Limit: len(list)})
		return nil
	})
	s.api(g, route{method: "GET", path: "/contributions/:id", summary: "Lire une contribution", tag: tagMinutes, auth: writeWorkshop, reply: contribution},
		func(c *gin.Context) error {
			return answerWithID(c, func(id int64) (any, error) { return m.Contribution(c.Request.Context(), id) })
		})
	s.api(g, route{method: "PUT", path: "/contributions/:id", summary: "Corriger une contribution (rubrique, texte, auteur, accord, publication) tant que le compte rendu n'est pas publié",
		tag: tagMinutes, auth: writeWorkshop, body: contribution, reply: contribution}, func(c *gin.Context) error {
		var v fabrique.Contribution
		if err := decodeJSON(c, &v); err != nil {
			return err
		}
		return answerWithID(c, func(id int64) (any, error) {
			v.ID = id
			return &v, m.UpdateContribution(c.Request.Context(), &v)
		})
	})
	s.api(g, route{method: "DELETE", path: "/contributions/:id", summary: "Supprimer une contribution", tag: tagMinutes, auth: writeWorkshop,
		status: http.StatusNoContent}, func(c *gin.Context) error {
		id, err := httpx.PathID(c, "id")
		if err != nil {
			return err
		}
		if err := m.DeleteContribution(c.Request.Context(), id); err != nil {
			return err
		}
		c.Status(http.StatusNoContent)
		return nil
	})
	s.api(g, route{method: "GET", path: "/workshops/:id/attendance", summary: "Feuille d'émargement et présences par catégorie", tag: tagMinutes, auth: writeWorkshop,
		reply: attendance}, func(c *gin.Context) error {
		return answerWithID(c, func(id int64) (any, error) { return m.Attendance(c.Request.Context(), id) })
	})
	s.api(g, route{method: "POST", path: "/workshops/:id/attendance", summary: "Pointer des inscrits comme présents (ou les décocher)", tag: tagMinutes, auth: writeWorkshop,
		body: reflect.TypeOf(attendanceInput{}), reply: attendance}, func(c *gin.Context) error {
		var in attendanceInput
		if err := decodeJSON(c, &in); err != nil {
			return err
		}
		attended := in.Attended == nil || *in.Attended
		return answerWithID(c, func(id int64) (any, error) {
			return m.MarkAttendance(c.Request.Context(), id, in.RegistrationIDs, attended)
		})
	})
	s.api(g, route{method: "POST", path: "/workshops/:id/walk-ins", summary: "Ajouter une personne venue sans inscription", tag: tagMinutes, auth: writeWorkshop,
		body: reflect.TypeOf(fabrique.WalkIn{}), reply: reflect.TypeOf(fabrique.Registration{}), status: http.StatusCreated}, func(c *gin.Context) error {
		id, err := httpx.PathID(c, "id")
		if err != nil {
			return err
		}
		var in fabrique.WalkIn
		if err := decodeJSON(c, &in); err != nil {
			return err
		}
		reg, err := m.AddWalkIn(c.Request.Context(), id, &in)
		if err != nil {
			return err
		}
		c.JSON(http.StatusCreated, reg)
		return nil
	})
	s.mountMinutesStates(g, m, wmin, emin)
	s.mountDocuments(g, m)
}

// mountMinutesStates registers the minutes of workshops and events.
func (s *Server) mountMinutesStates(g *gin.RouterGroup, m fabrique.MinutesService, wmin, emin reflect.Type) {
	s.api(g, route{method: "GET", path: "/workshops/:id/minutes", summary: "Lire le compte rendu d'un atelier", tag: tagMinutes, auth: readMinutes, reply: wmin},
		func(c *gin.Context) error {
			return answerWithID(c, func(id int64) (any, error) { return m.WorkshopMinutes(c.Request.Context(), id) })
		})
	s.api(g, route{method: "PUT", path: "/workshops/:id/minutes", summary: "Rédiger la synthèse du compte rendu d'un atelier (seul summary est modifiable)", tag: tagMinutes, auth: writeWorkshop,
		body: wmin, reply: wmin}, func(c *gin.Context) error {
		var in fabrique.WorkshopMinutes
		if err := decodeJSON(c, &in); err != nil {
			return err
		}
		return answerWithID(c, func(id int64) (any, error) {
			if in.WorkshopID != 0 && in.WorkshopID != id {
				return nil, fabrique.Invalid("workshop_id", "l'atelier est donné par l'adresse (n° %d)", id)
			}
			v := &fabrique.WorkshopMinutes{WorkshopID: id, Summary: in.Summary}
			return v, m.SaveWorkshopMinutes(c.Request.Context(), v)
		})
	})
	s.api(g, route{method: "POST", path: "/workshops/:id/minutes/approve", summary: "Approuver le compte rendu d'un atelier", tag: tagMinutes, auth: approveMinutes, reply: wmin},
		func(c *gin.Context) error {
			return answerWithID(c, func(id int64) (any, error) { return m.ApproveWorkshopMinutes(c.Request.Context(), id) })
		})
	s.api(g, route{method: "POST", path: "/workshops/:id/minutes/publish", summary: "Publier le compte rendu approuvé d'un atelier", tag: tagMinutes, auth: publishMinutes, reply: wmin},
		func(c *gin.Context) error {
			return answerWithID(c, func(id int64) (any, error) { return m.PublishWorkshopMinutes(c.Request.Context(), id) })
		})
	s.api(g, route{method: "GET", path: "/events/:id/minutes", summary: "Lire la restitution et l'état du compte rendu d'un événement", tag: tagMinutes, auth: readMinutes, reply: emin},
		func(c *gin.Context) error {
			return answerWithID(c, func(id int64) (any, error) { return m.EventMinutes(c.Request.Context(), id) })
		})
	s.api(g, route{method: "PUT", path: "/events/:id/minutes", summary: "Rédiger la restitution d'un événement (seul report_back est modifiable)", tag: tagMinutes, auth: publishMinutes,
		body: emin, reply: emin}, func(c *gin.Context) error {
		var in fabrique.EventMinutes
		if err := decodeJSON(c, &in); err != nil {
			return err
		}
		return answerWithID(c, func(id int64) (any, error) {
			if in.EventID != 0 && in.EventID != id {
				return nil, fabrique.Invalid("event_id", "l'événement est donné par l'adresse (n° %d)", id)
			}
			v := &fabrique.EventMinutes{EventID: id, ReportBack: in.ReportBack}
			return v, m.SaveEventMinutes(c.Request.Context(), v)
		})
	})
	s.api(g, route{method: "POST", path: "/events/:id/minutes/publish", summary: "Publier le compte rendu d'un événement et de ses ateliers (tous approuvés)", tag: tagMinutes, auth: publishMinutes, reply: emin},
		func(c *gin.Context) error {
			return answerWithID(c, func(id int64) (any, error) { return m.PublishEventMinutes(c.Request.Context(), id) })
		})
}

// answerWithID reads the path id, calls fn and answers its value as JSON.
func answerWithID(c *gin.Context, fn func(id int64) (any, error)) error {
	id, err := httpx.PathID(c, "id")
	if err != nil {
		return err
	}
	v, err := fn(id)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, v)
	return nil
}

// openContribution is one published contribution as open data.
type openContribution struct {
	EventID        int64    `json:"event_id"`
	Event          string   `json:"event"`
	Date           string   `json:"date"` // YYYY-MM-DD in Paris
	WorkshopNumber int      `json:"workshop_number"`
	Workshop       string   `json:"workshop"`
	Category       string   `json:"category"`
	CategoryLabel  string   `json:"category_label"`
	Text           string   `json:"text"`
	Author         string   `json:"author"`
	Commitments    []string `json:"commitments"` // numbers of the commitments of the workshop
}

// openData lists the published contributions of an event.
func openData(f *fabrique.EventFile) []openContribution {
	out := []openContribution{}
	for _, w := range f.Workshops {
		var numbers []string
		for _, id := range w.CommitmentIDs {
			if c := f.Commitments[id]; c != nil {
				numbers = append(numbers, c.Number)
			}
		}
		if numbers == nil {
			numbers = []string{}
		}
		for _, c := range f.Contributions {
			if c.WorkshopID != w.ID {
				continue
			}
			out = append(out, openContribution{EventID: f.Event.ID, Event: f.Event.Title, Date: f.Event.Start.In(fabrique.Paris).Format("2006-01-02"),
				WorkshopNumber: w.Number, Workshop: w.Title, Category: string(c.Category), CategoryLabel: c.Category.Label(),
				Text: c.Text, Author: pdf.ContributionAuthor(f, c), Commitments: numbers})
		}
	}
	return out
}

// csvHeader names the columns of the open data file.
var csvHeader = []string{"evenement_id", "evenement", "date", "atelier_numero", "atelier", "categorie", "categorie_libelle", "contribution", "auteur", "engagements"}

// writeCSV writes the open data of contributions for a French
// spreadsheet, like every CSV of the service (httpx.SpreadsheetCSV).
func writeCSV(rows []openContribution) ([]byte, error) {
	out := [][]string{append([]string(nil), csvHeader...)}
	for _, r := range rows {
		out = append(out, []string{strconv.FormatInt(r.EventID, 10), r.Event, r.Date, strconv.Itoa(r.WorkshopNumber), r.Workshop,
			r.Category, r.CategoryLabel, r.Text, r.Author, strings.Join(r.Commitments, ", ")})
	}
	return httpx.SpreadsheetCSV(out)
}
