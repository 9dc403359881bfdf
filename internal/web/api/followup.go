package api

import (
	"net/http"
	"reflect"

	"github.com/gin-gonic/gin"

	"fabrique/internal/fabrique"
	"fabrique/internal/web/httpx"
)

// Who may call the routes of the follow-up of commitments (issue 17).
const (
	tagFollowUp      = "Suivi des engagements"
	writeCarrier     = "administrateurs ; organisateurs des organisations qui portent l'engagement"
	writeModeration  = "administrateurs (l'équipe du plan)"
	writeAnyone      = "public, pendant une consultation ouverte (limité par adresse)"
	readFollowUpNote = "public (les commentaires en attente de modération : administrateurs)"
)

// moderationInput is the moderation setting of a plan.
type moderationInput struct {
	Moderation fabrique.Moderation `json:"moderation"`
}

// mountFollowUpAPI registers the follow-up of commitments: records, status,
// milestones, indicators, consultations, comments, report and open data.
func (s *Server) mountFollowUpAPI(g *gin.RouterGroup) {
	fu := s.Store.FollowUp()
	planT, recordT := reflect.TypeOf(fabrique.PlanFollowUp{}), reflect.TypeOf(fabrique.CommitmentRecord{})
	s.api(g, route{method: "GET", path: "/action-plans/:id/follow-up", summary: "Le suivi d'un plan d'action : chaque engagement, son état, ses jalons, indicateurs, ateliers et commentaires",
		tag: tagFollowUp, auth: readFollowUpNote, reply: planT, query: []string{"carrier_id", "principle", "status"}}, func(c *gin.Context) error {
		id, err := httpx.PathID(c, "id")
		if err != nil {
			return err
		}
		f, err := fu.Plan(c.Request.Context(), id, "")
		if err != nil {
			return err
		}
		sel, err := fabrique.SelectCommitments(c.Query("carrier_id"), c.Query("principle"), c.Query("status"))
		if err != nil {
			return err
		}
		f.Commitments = sel.Apply(f.Commitments)
		c.JSON(http.StatusOK, f)
		return nil
	})
	s.api(g, route{method: "GET", path: "/commitments/:id/follow-up", summary: "Le suivi d'un engagement", tag: tagFollowUp, auth: readFollowUpNote, reply: recordT},
		func(c *gin.Context) error {
			return answerWithID(c, func(id int64) (any, error) { return fu.Record(c.Request.Context(), id) })
		})
	s.api(g, route{method: "POST", path: "/commitments/:id/status", summary: "Changer l'état d'avancement d'un engagement (échelle du MRI), avec une justification",
		tag: tagFollowUp, auth: writeCarrier, body: reflect.TypeOf(fabrique.StatusInput{}), reply: reflect.TypeOf(fabrique.StatusChange{}), status: http.StatusCreated},
		func(c *gin.Context) error {
			var in fabrique.StatusInput
			if err := decodeJSON(c, &in); err != nil {
				return err
			}
			return created(c, func(id int64) (any, error) { return fu.SetStatus(c.Request.Context(), id, &in) })
		})
	s.mountMilestonesAPI(g, fu)
	s.mountConsultationAPI(g, fu)
	s.mountFollowUpDocuments(g, fu)
	s.mountSubscriptionsAPI(g)
	s.mountCommentConfirmationAPI(g)
}

// created reads the path id, calls fn and answers 201 with its value.
func created(c *gin.Context, fn func(id int64) (any, error)) error {
	id, err := httpx.PathID(c, "id")
	if err != nil {
		return err
	}
	v, err := fn(id)
	if err != nil {
		return err
	}
	c.JSON(http.StatusCreated, v)
	return nil
}

// mountMilestonesAPI registers milestones, indicators and measurements.
func (s *Server) mountMilestonesAPI(g *gin.RouterGroup, fu fabrique.FollowUpService) {
	milestone, indicator, measurement := reflect.TypeOf(fabrique.Milestone{}), reflect.TypeOf(fabrique.Indicator{}), reflect.TypeOf(fabrique.Measurement{})
	s.api(g, route{method: "POST", path: "/commitments/:id/milestones", summary: "Ajouter un jalon à un engagement", tag: tagFollowUp, auth: writeCarrier,
		body: milestone, reply: milestone, status: http.StatusCreated}, func(c *gin.Context) error {
		var m fabrique.Milestone
		if err := decodeJSON(c, &m); err != nil {
			return err
		}
		return created(c, func(id int64) (any, error) {
			if m.CommitmentID != 0 && m.CommitmentID != id {
				return nil, fabrique.Invalid("commitment_id", "l'engagement est donné par l'adresse (n° %d)", id)
			}
			m.ID, m.CommitmentID = 0, id
			return &m, fu.SaveMilestone(c.Request.Context(), &m)
		})
	})
	s.api(g, route{method: "GET", path: "/milestones/:id", summary: "Lire un jalon", tag: tagFollowUp, auth: readAll, reply: milestone},
		func(c *gin.Context) error {
			return answerWithID(c, func(id int64) (any, error) { return fu.Milestone(c.Request.Context(), id) })
		})
	s.api(g, route{method: "GET", path: "/indicators/:id", summary: "Lire un indicateur et ses valeurs", tag: tagFollowUp, auth: readAll, reply: indicator},
		func(c *gin.Context) error {
			return answerWithID(c, func(id int64) (any, error) { return fu.Indicator(c.Request.Context(), id) })
		})
	s.api(g, route{method: "PUT", path: "/milestones/:id", summary: "Modifier un jalon (titre, échéance, date de réalisation)", tag: tagFollowUp, auth: writeCarrier,
		body: milestone, reply: milestone}, func(c *gin.Context) error {
		var m fabrique.Milestone
		if err := decodeJSON(c, &m); err != nil {
			return err
		}
		return answerWithID(c, func(id int64) (any, error) {
			m.ID = id
			return &m, fu.SaveMilestone(c.Request.Context(), &m)
		})
	})
	s.api(g, route{method: "DELETE", path: "/milestones/:id", summary: "Supprimer un jalon", tag: tagFollowUp, auth: writeCarrier, status: http.StatusNoContent},
		func(c *gin.Context) error {
			id, err := httpx.PathID(c, "id")
			if err != nil {
				return err
			}
			if err := fu.DeleteMilestone(c.Request.Context(), id); err != nil {
				return err
			}
			c.Status(http.StatusNoContent)
			return nil
		})
	s.api(g, route{method: "POST", path: "/commitments/:id/indicators", summary: "Ajouter un indicateur à un engagement", tag: tagFollowUp, auth: writeCarrier,
		body: indicator, reply: indicator, status: http.StatusCreated}, func(c *gin.Context) error {
		var in fabrique.Indicator
		if err := decodeJSON(c, &in); err != nil {
			return err
		}
		return created(c, func(id int64) (any, error) {
			if in.CommitmentID != 0 && in.CommitmentID != id {
				return nil, fabrique.Invalid("commitment_id", "l'engagement est donné par l'adresse (n° %d)", id)
			}
			in.ID, in.CommitmentID, in.Measurements = 0, id, nil
			return &in, fu.SaveIndicator(c.Request.Context(), &in)
		})
	})
	s.api(g, route{method: "PUT", path: "/indicators/:id", summary: "Modifier un indicateur (nom, unité, cible)", tag: tagFollowUp, auth: writeCarrier,
		body: indicator, reply: indicator}, func(c *gin.Context) error {
		var in fabrique.Indicator
		if err := decodeJSON(c, &in); err != nil {
			return err
		}
		return answerWithID(c, func(id int64) (any, error) {
			in.ID, in.Measurements = id, nil
			return &in, fu.SaveIndicator(c.Request.Context(), &in)
		})
	})
	s.api(g, route{method: "POST", path: "/indicators/:id/measurements", summary: "Relever une valeur d'un indicateur (date et source)", tag: tagFollowUp, auth: writeCarrier,
		body: measurement, reply: measurement, status: http.StatusCreated}, func(c *gin.Context) error {
		var m fabrique.Measurement
		if err := decodeJSON(c, &m); err != nil {
			return err
		}
		return created(c, func(id int64) (any, error) {
			if m.IndicatorID != 0 && m.IndicatorID != id {
				return nil, fabrique.Invalid("indicator_id", "l'indicateur est donné par l'adresse (n° %d)", id)
			}
			m.ID, m.IndicatorID = 0, id
			return &m, fu.AddMeasurement(c.Request.Context(), &m)
		})
	})
}

// mountConsultationAPI registers consultations, comments, moderation and answers.
func (s *Server) mountConsultationAPI(g *gin.RouterGroup, fu fabrique.FollowUpService) {
	consultation, comment := reflect.TypeOf(fabrique.Consultation{}), reflect.TypeOf(fabrique.Comment{})
	s.api(g, route{method: "GET", path: "/action-plans/:id/moderation", summary: "Quand les commentaires du plan sont publiés", tag: tagFollowUp,
		auth: readAll, reply: reflect.TypeOf(moderationInput{})}, func(c *gin.Context) error {
		return answerWithID(c, func(id int64) (any, error) {
			f, err := fu.Plan(c.Request.Context(), id, "")
			if err != nil {
				return nil, err
			}
			return &moderationInput{Moderation: f.Moderation}, nil
		})
	})
	s.api(g, route{method: "PUT", path: "/action-plans/:id/moderation", summary: "Publier les commentaires après modération (before) ou aussitôt (none)", tag: tagFollowUp,
		auth: writeModeration, body: reflect.TypeOf(moderationInput{}), reply: reflect.TypeOf(moderationInput{})}, func(c *gin.Context) error {
		var in moderationInput
		if err := decodeJSON(c, &in); err != nil {
			return err
		}
		return answerWithID(c, func(id int64) (any, error) { return &in, fu.SetModeration(c.Request.Context(), id, in.Moderation) })
	})
	s.api(g, route{method: "POST", path: "/action-plans/:id/consultations", summary: "Ouvrir une consultation sur un plan d'action (premier et dernier jour)", tag: tagFollowUp,
		auth: writeModeration, body: consultation, reply: consultation, status: http.StatusCreated}, func(c *gin.Context) error {
		var in fabrique.Consultation
		if err := decodeJSON(c, &in); err != nil {
			return err
		}
		return created(c, func(id int64) (any, error) {
			if in.PlanID != 0 && in.PlanID != id {
				return nil, fabrique.Invalid("plan_id", "le plan d'action est donné par l'adresse (n° %d)", id)
			}
			in.ID, in.PlanID = 0, id
			return &in, fu.OpenConsultation(c.Request.Context(), &in)
		})
	})
	s.api(g, route{method: "POST", path: "/commitments/:id/comments", summary: "Commenter un engagement pendant une consultation (nom ou pseudonyme ; l'adresse, jamais publiée, reçoit le lien qui confirme le commentaire)",
		tag: tagFollowUp, auth: writeAnyone, body: reflect.TypeOf(fabrique.CommentInput{}), reply: comment, status: http.StatusCreated}, func(c *gin.Context) error {
		var in fabrique.CommentInput
		if err := decodeJSON(c, &in); err != nil {
			return err
		}
		return created(c, func(id int64) (any, error) { return fu.Comment(c.Request.Context(), id, &in) })
	})
	s.api(g, route{method: "GET", path: "/action-plans/:id/pending-comments", summary: "Les commentaires en attente de modération", tag: tagFollowUp,
		auth: writeModeration, reply: comment, list: true}, func(c *gin.Context) error {
		id, err := httpx.PathID(c, "id")
		if err != nil {
			return err
		}
		list, err := fu.PendingComments(c.Request.Context(), id)
		if err != nil {
			return err
		}
		c.JSON(http.StatusOK, fabrique.Page[fabrique.Comment]{Items: list, Total: len(list), Limit: len(list)})
		return nil
	})
	s.api(g, route{method: "POST", path: "/comments/:id/moderation", summary: "Publier ou refuser un commentaire en attente", tag: tagFollowUp, auth: writeModeration,
		body: reflect.TypeOf(fabrique.ModerationInput{}), reply: comment}, func(c *gin.Context) error {
		var in fabrique.ModerationInput
		if err := decodeJSON(c, &in); err != nil {
			return err
		}
		return answerWithID(c, func(id int64) (any, error) { return fu.Moderate(c.Request.Context(), id, &in) })
	})
	s.api(g, route{method: "POST", path: "/comments/:id/answers", summary: "Répondre à un commentaire publié au nom de l'organisation porteuse", tag: tagFollowUp, auth: writeCarrier,
		body: reflect.TypeOf(fabrique.AnswerInput{}), reply: comment, status: http.StatusCreated}, func(c *gin.Context) error {
		var in fabrique.AnswerInput
		if err := decodeJSON(c, &in); err != nil {
			return err
		}
		return created(c, func(id int64) (any, error) { return fu.Answer(c.Request.Context(), id, &in) })
	})
}
