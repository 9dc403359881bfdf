package web

import (
	"fmt"
	"net/url"
	"reflect"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"fabrique/internal/fabrique"
)

// Bounds of the query string: no filter or search needs more, and an
// endless one (a LIKE pattern of 50,000 characters) must not reach SQLite.
const (
	maxQuery      = 4096    // bytes of the whole query string, encoded
	maxQueryValue = 200     // characters of one parameter's value
	maxQueryName  = 64      // characters of one parameter's name
	maxQueryParse = 1 << 20 // bytes past which the query is not even read
)

// errUnsupported is the code of a body in a type other than JSON (415).
const errUnsupported = "unsupported_media_type"

// boundQuery refuses, with 400 naming the parameter, a query string too
// long, unreadable, or with a name or value too long.
func (s *Server) boundQuery(c *gin.Context) {
	raw := c.Request.URL.RawQuery
	if raw == "" {
		c.Next()
		return
	}
	if len(raw) > maxQueryParse {
		s.refuse(c, &fabrique.Error{Code: errBadRequest, Message: fmt.Sprintf("Les paramètres de l'adresse dépassent %d octets.", maxQuery)})
		return
	}
	values, err := url.ParseQuery(raw)
	if err != nil {
		s.refuse(c, &fabrique.Error{Code: errBadRequest, Message: "Les paramètres de l'adresse sont mal encodés (caractère % invalide ?)."})
		return
	}
	for name, vs := range values {
		if utf8.RuneCountInString(name) > maxQueryName || !utf8.ValidString(name) {
			s.refuse(c, &fabrique.Error{Code: errBadRequest, Message: "Un nom de paramètre est trop long ou illisible."})
			return
		}
		for _, v := range vs {
			if !utf8.ValidString(v) {
				s.refuse(c, queryProblem(name, "texte illisible : de l'UTF-8 est attendu"))
				return
			}
			if n := utf8.RuneCountInString(v); n > maxQueryValue {
				s.refuse(c, queryProblem(name, fmt.Sprintf("%d caractères au plus (reçu %d)", maxQueryValue, n)))
				return
			}
		}
	}
	if len(raw) > maxQuery {
		s.refuse(c, &fabrique.Error{Code: errBadRequest, Message: fmt.Sprintf("Les paramètres de l'adresse dépassent %d octets.", maxQuery)})
		return
	}
	c.Next()
}

// queryProblem is a 400 naming a query parameter.
func queryProblem(name, msg string) error {
	return &fabrique.Error{Code: errBadRequest, Message: fmt.Sprintf("Paramètre « %s » : %s.", name, msg),
		Fields: []fabrique.FieldError{{Field: name, Message: msg}}}
}

// enumFilters returns the filters of a list whose values are coded (an
// event's kind, a registration's status), with the values allowed: the
// fields of T named like the filter and of a coded type.
func enumFilters(t reflect.Type, filters []string) map[string][]string {
	out := map[string][]string{}
	for _, f := range filters {
		for i := 0; i < t.NumField(); i++ {
			sf := t.Field(i)
			name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
			if name != f {
				continue
			}
			ft := sf.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if values, ok := enums[ft]; ok {
				out[f] = values
			}
		}
	}
	return out
}

// checkEnum refuses a value that is not one of those allowed, with 400
// naming the filter and the values.
func checkEnum(name, value string, allowed []string) error {
	for _, a := range allowed {
		if a == value {
			return nil
		}
	}
	return queryProblem(name, fmt.Sprintf("valeur inconnue « %s » : valeurs possibles %s", echo([]byte(value)), strings.Join(allowed, ", ")))
}
