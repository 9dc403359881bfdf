package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"sort"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"fabrique/internal/fabrique"
	"fabrique/internal/web/httpx"
)

// MaxBody is the largest request body accepted: 1 MiB.
const MaxBody = 1 << 20

// decodeJSON reads the request body strictly into v: unknown fields, wrong
// types, trailing data and bodies over MaxBody are refused with an error
// naming the field.
func decodeJSON(c *gin.Context, v any) error {
	body, err := readBody(c)
	if err != nil {
		return err
	}
	return decodeBytes(body, v)
}

// readBody reads a JSON request body of at most MaxBody bytes.
func readBody(c *gin.Context) ([]byte, error) {
	if ct := c.ContentType(); ct != "application/json" && ct != "" && !strings.HasSuffix(ct, "+json") {
		return nil, &fabrique.Error{Code: httpx.ErrUnsupported, Message: fmt.Sprintf("Type de contenu « %s » non pris en charge : envoyez du JSON (Content-Type: application/json).", echo([]byte(ct)))}
	}
	body, err := io.ReadAll(http.MaxBytesReader(c.Writer, c.Request.Body, MaxBody))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, fabrique.Errorf(fabrique.ETOOLARGE, "Le corps de la requête dépasse %d octets (1 Mio).", MaxBody)
		}
		return nil, &fabrique.Error{Code: httpx.ErrBadRequest, Message: "Le corps de la requête n'a pas pu être lu."}
	}
	return body, nil
}

func decodeBytes(body []byte, v any) error {
	if len(bytes.TrimSpace(body)) == 0 {
		return &fabrique.Error{Code: httpx.ErrBadRequest, Message: "Le corps de la requête est vide : un objet JSON est attendu."}
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil {
		if dec.More() || dec.InputOffset() < int64(len(bytes.TrimRight(body, " \t\r\n"))) {
			return &fabrique.Error{Code: httpx.ErrBadRequest, Message: "Des données suivent l'objet JSON : un seul objet est attendu."}
		}
		return nil
	}
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return &fabrique.Error{Code: httpx.ErrBadRequest, Message: fmt.Sprintf("JSON mal formé à la position %d (caractère inattendu).", syn.Offset)}
	case errors.Is(err, io.ErrUnexpectedEOF):
		return &fabrique.Error{Code: httpx.ErrBadRequest, Message: "JSON incomplet : l'objet n'est pas fermé."}
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			return &fabrique.Error{Code: httpx.ErrBadRequest, Message: "Un objet JSON est attendu."}
		}
		return fabrique.Invalid(field, "type invalide : %s attendu, %s reçu", typeName(typ.Type), jsonKind(typ.Value))
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return fabrique.Invalid(name, "champ inconnu")
	}
	// Errors from a field's own decoder (an impossible date) do not say
	// which field: decode the fields one by one to find it.
	if field, ferr := findField(body, reflect.TypeOf(v).Elem()); field != "" {
		return fabrique.Invalid(field, "%s", ferr)
	}
	return &fabrique.Error{Code: httpx.ErrBadRequest, Message: "Le corps JSON n'a pas pu être lu : un objet JSON conforme à la description OpenAPI est attendu."}
}

// findField returns the first top-level field whose value fails to decode,
// with a French explanation.
func findField(body []byte, t reflect.Type) (string, string) {
	var raw map[string]json.RawMessage
	if json.Unmarshal(body, &raw) != nil {
		return "", ""
	}
	keys := make([]string, 0, len(raw))
	for k := range raw {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		probe := reflect.New(t).Interface()
		one, _ := json.Marshal(map[string]json.RawMessage{k: raw[k]})
		if err := json.Unmarshal(one, probe); err != nil {
			var pe *time.ParseError
			if errors.As(err, &pe) || strings.Contains(err.Error(), "parsing time") {
				return k, fmt.Sprintf("date invalide %s : une date réelle au format 2016-06-21T18:00:00+02:00 est attendue", echo(raw[k]))
			}
			return k, "valeur invalide"
		}
	}
	return "", ""
}

func typeName(t reflect.Type) string {
	if t == reflect.TypeOf(time.Time{}) {
		return "une date (2016-06-21T18:00:00+02:00)"
	}
	switch t.Kind() {
	case reflect.String:
		return "un texte"
	case reflect.Int, reflect.Int64, reflect.Int32:
		return "un nombre entier"
	case reflect.Bool:
		return "un booléen (true ou false)"
	case reflect.Slice:
		return "une liste"
	case reflect.Struct, reflect.Map:
		return "un objet"
	case reflect.Pointer:
		return typeName(t.Elem())
	}
	return t.String()
}

func jsonKind(v string) string {
	switch v {
	case "string":
		return "un texte"
	case "number":
		return "un nombre"
	case "bool":
		return "un booléen"
	case "array":
		return "une liste"
	case "object":
		return "un objet"
	}
	if strings.HasPrefix(v, "number") {
		return "le nombre " + strings.TrimPrefix(v, "number ")
	}
	return v
}

// echo quotes a value received for a message: valid UTF-8, at most 40
// characters, so that a message never carries broken or endless input.
func echo(b []byte) string {
	s := []rune(strings.ToValidUTF8(string(b), "�"))
	if len(s) > 40 {
		return string(s[:40]) + "…"
	}
	return string(s)
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
	return httpx.QueryProblem(name, fmt.Sprintf("valeur inconnue « %s » : valeurs possibles %s", echo([]byte(value)), strings.Join(allowed, ", ")))
}
