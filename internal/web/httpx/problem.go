package httpx

import (
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"

	"fabrique/internal/fabrique"
)

// problem is an RFC 9457 problem detail, with the fields at fault.
type problem struct {
	Type     string                `json:"type"`
	Title    string                `json:"title"`
	Status   int                   `json:"status"`
	Detail   string                `json:"detail"`
	Instance string                `json:"instance,omitempty"`
	Errors   []fabrique.FieldError `json:"errors,omitempty"`
}

var statuses = map[string]int{
	fabrique.EINVALID:      http.StatusUnprocessableEntity,
	fabrique.ENOTFOUND:     http.StatusNotFound,
	fabrique.ECONFLICT:     http.StatusConflict,
	fabrique.EUNAUTHORIZED: http.StatusUnauthorized,
	fabrique.EFORBIDDEN:    http.StatusForbidden,
	fabrique.ETOOLARGE:     http.StatusRequestEntityTooLarge,
	fabrique.EUNAVAILABLE:  http.StatusServiceUnavailable,
	fabrique.EINTERNAL:     http.StatusInternalServerError,
	ErrBadRequest:          http.StatusBadRequest,
	ErrMethod:              http.StatusMethodNotAllowed,
	ErrTooMany:             http.StatusTooManyRequests,
	ErrUnsupported:         http.StatusUnsupportedMediaType,
}

var titles = map[string]string{
	fabrique.EINVALID:      "Données invalides",
	fabrique.ENOTFOUND:     "Introuvable",
	fabrique.ECONFLICT:     "Conflit avec les données enregistrées",
	fabrique.EUNAUTHORIZED: "Authentification requise",
	fabrique.EFORBIDDEN:    "Accès refusé",
	fabrique.ETOOLARGE:     "Requête trop volumineuse",
	fabrique.EUNAVAILABLE:  "Service momentanément indisponible",
	fabrique.EINTERNAL:     "Erreur interne",
	ErrBadRequest:          "Requête mal formée",
	ErrMethod:              "Méthode non permise",
	ErrTooMany:             "Trop de requêtes",
	ErrUnsupported:         "Type de contenu non pris en charge",
}

// Codes of the web layer only.
const (
	ErrBadRequest = "bad_request"        // the request cannot be read (malformed JSON...)
	ErrMethod     = "method_not_allowed" // the path exists, not with this method
)

// WriteProblem answers err as application/problem+json. Internal errors are
// logged and answered without detail.
func (s *Core) WriteProblem(c *gin.Context, err error) {
	status, code, title := Status(err)
	if code == fabrique.EINTERNAL {
		s.Log.ErrorContext(c.Request.Context(), "internal error", slog.String("route", c.FullPath()), slog.String("error", err.Error()))
	}
	p := problem{
		Type:     "urn:fabrique:problem:" + code,
		Title:    title,
		Status:   status,
		Detail:   fabrique.ErrorMessage(err),
		Instance: c.Request.URL.Path,
		Errors:   fabrique.ErrorFields(err),
	}
	c.Header("Content-Type", "application/problem+json; charset=utf-8")
	c.Header("Cache-Control", "no-store")
	c.AbortWithStatusJSON(status, p)
}

// Status is the HTTP status, the code and the French title of an error:
// 500 and EINTERNAL for an error without a known code.
func Status(err error) (status int, code, title string) {
	code = fabrique.ErrorCode(err)
	status, ok := statuses[code]
	if !ok {
		status, code = http.StatusInternalServerError, fabrique.EINTERNAL
	}
	return status, code, titles[code]
}

// Handler is a Gin handler that returns its error.
type Handler func(c *gin.Context) error

// Wrap adapts a handler, turning its error into a problem answer.
func (s *Core) Wrap(h Handler) gin.HandlerFunc {
	return func(c *gin.Context) {
		if err := h(c); err != nil {
			s.WriteProblem(c, err)
		}
	}
}
