package httpx

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"fabrique/internal/fabrique"
)

// Bounds of the query string: no filter or search needs more, and an
// endless one (a LIKE pattern of 50,000 characters) must not reach SQLite.
const (
	maxQuery      = 4096    // bytes of the whole query string, encoded
	MaxQueryValue = 200     // characters of one parameter's value
	maxQueryName  = 64      // characters of one parameter's name
	maxQueryParse = 1 << 20 // bytes past which the query is not even read
)

// ErrUnsupported is the code of a body in a type other than JSON (415).
const ErrUnsupported = "unsupported_media_type"

// boundQuery refuses, with 400 naming the parameter, a query string too
// long, unreadable, or with a name or value too long.
func (s *Core) boundQuery(c *gin.Context) {
	raw := c.Request.URL.RawQuery
	if raw == "" {
		c.Next()
		return
	}
	if len(raw) > maxQueryParse {
		s.Refuse(c, &fabrique.Error{Code: ErrBadRequest, Message: fmt.Sprintf("Les paramètres de l'adresse dépassent %d octets.", maxQuery)})
		return
	}
	values, err := url.ParseQuery(raw)
	if err != nil {
		s.Refuse(c, &fabrique.Error{Code: ErrBadRequest, Message: "Les paramètres de l'adresse sont mal encodés (caractère % invalide ?)."})
		return
	}
	for name, vs := range values {
		if utf8.RuneCountInString(name) > maxQueryName || !utf8.ValidString(name) {
			s.Refuse(c, &fabrique.Error{Code: ErrBadRequest, Message: "Un nom de paramètre est trop long ou illisible."})
			return
		}
		for _, v := range vs {
			if !utf8.ValidString(v) {
				s.Refuse(c, QueryProblem(name, "texte illisible : de l'UTF-8 est attendu"))
				return
			}
			if n := utf8.RuneCountInString(v); n > MaxQueryValue {
				s.Refuse(c, QueryProblem(name, fmt.Sprintf("%d caractères au plus (reçu %d)", MaxQueryValue, n)))
				return
			}
		}
	}
	if len(raw) > maxQuery {
		s.Refuse(c, &fabrique.Error{Code: ErrBadRequest, Message: fmt.Sprintf("Les paramètres de l'adresse dépassent %d octets.", maxQuery)})
		return
	}
	c.Next()
}

// QueryProblem is a 400 naming a query parameter.
func QueryProblem(name, msg string) error {
	return &fabrique.Error{Code: ErrBadRequest, Message: fmt.Sprintf("Paramètre « %s » : %s.", name, msg),
		Fields: []fabrique.FieldError{{Field: name, Message: msg}}}
}

// PathID reads a positive integer from the path.
func PathID(c *gin.Context, name string) (int64, error) {
	id, err := strconv.ParseInt(c.Param(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, fabrique.Errorf(fabrique.ENOTFOUND, "Identifiant invalide « %s » : un nombre entier positif est attendu.", c.Param(name))
	}
	return id, nil
}

// FileSlug turns a title into a file name: « Ministère ouvert #1 » → ministere-ouvert-1.
func FileSlug(title string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(slugFold.Replace(title)) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}

var slugFold = strings.NewReplacer("à", "a", "â", "a", "ç", "c", "é", "e", "è", "e", "ê", "e", "ë", "e", "î", "i", "ï", "i",
	"ô", "o", "ù", "u", "û", "u", "ü", "u", "œ", "oe", "É", "e", "È", "e", "À", "a", "Ç", "c", "Œ", "oe", "’", "-", "'", "-")
