package api

import (
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"fabrique/internal/fabrique"
	"fabrique/internal/ical"
	"fabrique/internal/outbox"
	"fabrique/internal/web/httpx"
)

// Who may call the routes of registration and of the outbox.
const (
	byToken     = "public, avec le lien personnel reçu par courriel"
	staffOfHost = "administrateurs ; organisateurs de l'organisation hôte de l'événement"
)

// feedTokenReply answers the creation of a facilitator's feed link.
type feedTokenReply struct {
	Token string `json:"token"`
	URL   string `json:"url"`
}

// mountRegistration registers the routes of issue 4: public registration,
// the participant's private page, calendar feeds, and the outbox for staff.
func (s *Server) mountRegistration(g *gin.RouterGroup) {
	const tag, out = "Inscriptions", "Envoi des messages"
	en := func(c *gin.Context) fabrique.EnrolmentService { return s.Store.Enrolments() }
	s.api(g, route{method: "GET", path: "/events/:id/registration", summary: "Le formulaire d'inscription : ateliers, places restantes, consentement", tag: tag, auth: readAll,
		reply: reflect.TypeOf(fabrique.RegistrationForm{})}, func(c *gin.Context) error {
		id, err := httpx.PathID(c, "id")
		if err != nil {
			return err
		}
		f, err := en(c).RegistrationForm(c.Request.Context(), id)
		return reply(c, http.StatusOK, f, err)
	})
	s.api(g, route{method: "POST", path: "/events/:id/register", summary: "S'inscrire à un événement publié (le lien personnel est envoyé par courriel)", tag: tag, auth: readAll,
		body: reflect.TypeOf(fabrique.RegistrationRequest{}), reply: reflect.TypeOf(fabrique.RegistrationReceipt{}), status: http.StatusCreated}, s.register)
	s.api(g, route{method: "GET", path: "/events/:id/calendar.ics", summary: "Le programme public d'un événement publié (iCalendar, METHOD:PUBLISH)", tag: tag, auth: readAll},
		func(c *gin.Context) error {
			id, err := httpx.PathID(c, "id")
			if err != nil {
				return err
			}
			cal, err := en(c).PublicCalendar(c.Request.Context(), id)
			return s.writeCalendar(c, cal, "", err)
		})
	s.api(g, route{method: "GET", path: "/p/:token", summary: "La page d'un participant : son inscription, son agenda", tag: tag, auth: byToken,
		reply: reflect.TypeOf(fabrique.Agenda{})}, func(c *gin.Context) error {
		a, err := en(c).Agenda(c.Request.Context(), c.Param("token"))
		return reply(c, http.StatusOK, a, err)
	})
	s.api(g, route{method: "GET", path: "/p/:token/calendar.ics", summary: "Les rendez-vous d'un participant (iCalendar, à s'abonner)", tag: tag, auth: byToken},
		func(c *gin.Context) error {
			cal, err := en(c).ParticipantCalendar(c.Request.Context(), c.Param("token"))
			return s.writeCalendar(c, cal, s.participantLink(c.Param("token")), err)
		})
	s.api(g, route{method: "POST", path: "/p/:token/workshop", summary: "Changer d'atelier (ou rejoindre la liste d'attente d'un atelier complet avec wait)", tag: tag, auth: byToken,
		body: reflect.TypeOf(fabrique.WorkshopChange{}), reply: reflect.TypeOf(fabrique.Agenda{})}, func(c *gin.Context) error {
		var ch fabrique.WorkshopChange
		if err := decodeJSON(c, &ch); err != nil {
			return err
		}
		a, err := en(c).ChangeWorkshop(c.Request.Context(), c.Param("token"), ch)
		return reply(c, http.StatusOK, a, err)
	})
	s.api(g, route{method: "POST", path: "/p/:token/cancel", summary: "Annuler son inscription", tag: tag, auth: byToken,
		reply: reflect.TypeOf(fabrique.Agenda{})}, func(c *gin.Context) error {
		a, err := en(c).CancelRegistration(c.Request.Context(), c.Param("token"))
		return reply(c, http.StatusOK, a, err)
	})
	s.api(g, route{method: "POST", path: "/people/:id/feed-token", summary: "Créer le lien privé de l'agenda des ateliers d'un animateur", tag: tag,
		auth: "administrateurs, organisateurs, l'animateur lui-même", reply: reflect.TypeOf(feedTokenReply{}), status: http.StatusCreated}, func(c *gin.Context) error {
		id, err := httpx.PathID(c, "id")
		if err != nil {
			return err
		}
		tok, err := en(c).CreateFeedToken(c.Request.Context(), id)
		return reply(c, http.StatusCreated, feedTokenReply{Token: tok, URL: strings.TrimSuffix(s.Cfg.BaseURL, "/") + "/api/v1/feeds/" + tok + "/calendar.ics"}, err)
	})
	s.api(g, route{method: "GET", path: "/feeds/:token/calendar.ics", summary: "L'agenda des ateliers d'un animateur (iCalendar, lien privé)", tag: tag, auth: byToken},
		func(c *gin.Context) error {
			cal, err := en(c).FacilitatorCalendar(c.Request.Context(), c.Param("token"))
			return s.writeCalendar(c, cal, "", err)
		})
	s.api(g, route{method: "GET", path: "/events/:id/registration-settings", summary: "Les règles d'inscription d'un événement", tag: tag, auth: staffOfHost,
		reply: reflect.TypeOf(fabrique.RegistrationSettings{})}, func(c *gin.Context) error {
		id, err := httpx.PathID(c, "id")
		if err != nil {
			return err
		}
		st, err := en(c).Settings(c.Request.Context(), id)
		return reply(c, http.StatusOK, st, err)
	})
	s.api(g, route{method: "PUT", path: "/events/:id/registration-settings", summary: "Changer les règles d'inscription (attribution, clôture, relecture avant envoi)", tag: tag, auth: staffOfHost,
		body: reflect.TypeOf(fabrique.RegistrationSettings{}), reply: reflect.TypeOf(fabrique.RegistrationSettings{})}, func(c *gin.Context) error {
		id, err := httpx.PathID(c, "id")
		if err != nil {
			return err
		}
		var st fabrique.RegistrationSettings
		if err := decodeJSON(c, &st); err != nil {
			return err
		}
		st.EventID = id
		err = en(c).SetSettings(c.Request.Context(), &st)
		return reply(c, http.StatusOK, &st, err)
	})
	s.api(g, route{method: "POST", path: "/events/:id/allocate", summary: "Répartir les places selon les choix classés et prévenir chacun", tag: tag, auth: staffOfHost,
		reply: reflect.TypeOf(fabrique.AllocationReport{})}, func(c *gin.Context) error {
		id, err := httpx.PathID(c, "id")
		if err != nil {
			return err
		}
		r, err := en(c).Allocate(c.Request.Context(), id)
		return reply(c, http.StatusOK, r, err)
	})
	s.mountOutbox(g, out)
}

// mountOutbox registers the staff's routes of the outbox.
func (s *Server) mountOutbox(g *gin.RouterGroup, tag string) {
	ob := func() fabrique.OutboxService { return s.Store.Outbox() }
	s.api(g, route{method: "GET", path: "/outbox", summary: "Les messages aux participants, du plus récent au plus ancien", tag: tag, auth: staffOfHost,
		reply: reflect.TypeOf(fabrique.OutboxMessage{}), list: true, query: []string{"limit", "offset", "state", "event_id", "batch", "kind", "recipient"},
		enums: map[string][]string{"state": strs(fabrique.OutboxStates)}},
		func(c *gin.Context) error {
			opt, err := listOptions(c, nil)
			if err != nil {
				return err
			}
			if v, ok := opt.Filters["state"]; ok {
				if err := checkEnum("state", v, strs(fabrique.OutboxStates)); err != nil {
					return err
				}
			}
			page, err := ob().ListOutbox(c.Request.Context(), opt)
			return reply(c, http.StatusOK, page, err)
		})
	s.api(g, route{method: "GET", path: "/outbox/:id", summary: "Un message", tag: tag, auth: staffOfHost, reply: reflect.TypeOf(fabrique.OutboxMessage{})},
		func(c *gin.Context) error {
			m, err := s.outboxMessage(c)
			return reply(c, http.StatusOK, m, err)
		})
	s.api(g, route{method: "GET", path: "/outbox/:id/eml", summary: "Aperçu du message tel qu'il sera reçu (.eml, lien personnel masqué)", tag: tag, auth: staffOfHost},
		func(c *gin.Context) error {
			m, err := s.outboxMessage(c)
			if err != nil {
				return err
			}
			eml, err := outbox.NewRenderer(s.Cfg.BaseURL, outbox.DefaultFrom(s.Cfg.BaseURL)).EML(m, time.Now())
			if err != nil {
				return err
			}
			c.Header("Content-Disposition", `inline; filename="message-`+strconv.FormatInt(m.ID, 10)+`.eml"`)
			c.Data(http.StatusOK, "message/rfc822", eml)
			return nil
		})
	s.api(g, route{method: "POST", path: "/outbox/:id/retry", summary: "Renvoyer un message en échec ou à l'envoi incertain", tag: tag, auth: staffOfHost,
		reply: reflect.TypeOf(fabrique.OutboxMessage{})}, func(c *gin.Context) error {
		id, err := httpx.PathID(c, "id")
		if err != nil {
			return err
		}
		m, err := ob().RetryMessage(c.Request.Context(), id)
		return reply(c, http.StatusOK, m, err)
	})
	s.api(g, route{method: "POST", path: "/events/:id/outbox/release", summary: "Libérer les messages retenus pour relecture d'un événement", tag: tag, auth: staffOfHost,
		reply: reflect.TypeOf(fabrique.Release{})}, func(c *gin.Context) error {
		id, err := httpx.PathID(c, "id")
		if err != nil {
			return err
		}
		r, err := ob().ReleaseHeld(c.Request.Context(), id)
		return reply(c, http.StatusOK, r, err)
	})
	s.api(g, route{method: "GET", path: "/events/:id/outbox/progress", summary: "L'avancement de l'envoi (messages par état, pour un lot avec batch)", tag: tag, auth: staffOfHost,
		reply: reflect.TypeOf(fabrique.OutboxProgress{}), query: []string{"batch"}}, func(c *gin.Context) error {
		id, err := httpx.PathID(c, "id")
		if err != nil {
			return err
		}
		p, err := ob().OutboxProgress(c.Request.Context(), id, c.Query("batch"))
		return reply(c, http.StatusOK, p, err)
	})
}

func (s *Server) outboxMessage(c *gin.Context) (*fabrique.OutboxMessage, error) {
	id, err := httpx.PathID(c, "id")
	if err != nil {
		return nil, err
	}
	return s.Store.Outbox().OutboxMessage(c.Request.Context(), id)
}

// register answers a public registration: 201, the same for an address
// already registered (nothing duplicated; a reminder with the link is
// mailed to it), so that the answer tells no one who registered.
func (s *Server) register(c *gin.Context) error {
	id, err := httpx.PathID(c, "id")
	if err != nil {
		return err
	}
	var req fabrique.RegistrationRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	rec, err := s.Store.Enrolments().Register(c.Request.Context(), id, &req)
	if err != nil {
		return err
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusCreated, rec)
	return nil
}

// reply answers v as JSON, or err.
func reply(c *gin.Context, status int, v any, err error) error {
	if err != nil {
		return err
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(status, v)
	return nil
}

// participantLink is the page of the participant of token.
func (s *Server) participantLink(token string) string {
	return strings.TrimSuffix(s.Cfg.BaseURL, "/") + "/p/" + token
}

// writeCalendar answers cal as a METHOD:PUBLISH iCalendar feed.
func (s *Server) writeCalendar(c *gin.Context, cal *fabrique.Calendar, link string, err error) error {
	if err != nil {
		return err
	}
	from := outbox.DefaultFrom(s.Cfg.BaseURL)
	items := make([]ical.Item, 0, len(cal.Items))
	for _, it := range cal.Items {
		items = append(items, ical.Item{UID: it.UID, Sequence: it.Sequence, Start: it.Start, End: it.End, Summary: it.Title,
			Location: it.Location, Description: it.Description, URL: link, Status: it.Status,
			Organizer: ical.Person{Name: from.Name, Email: from.Email}})
	}
	b, err := ical.Publish(cal.Name, items, time.Now())
	if err != nil {
		return err
	}
	c.Header("Cache-Control", "private, max-age=300")
	c.Data(http.StatusOK, "text/calendar; charset=UTF-8; method=PUBLISH", b)
	return nil
}
