package api

import (
	"net/http"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"fabrique/internal/fabrique"
	"fabrique/internal/web/httpx"
)

// enums gives the allowed values of the domain's coded types.
var enums = map[reflect.Type][]string{
	reflect.TypeOf(fabrique.CommitmentKind("")):     strs(fabrique.CommitmentKinds),
	reflect.TypeOf(fabrique.CommitmentStatus("")):   strs(fabrique.CommitmentStatuses),
	reflect.TypeOf(fabrique.Principle("")):          strs(fabrique.Principles),
	reflect.TypeOf(fabrique.OrganisationKind("")):   strs(fabrique.OrganisationKinds),
	reflect.TypeOf(fabrique.Category("")):           strs(fabrique.Categories),
	reflect.TypeOf(fabrique.EventKind("")):          strs(fabrique.EventKinds),
	reflect.TypeOf(fabrique.EventStatus("")):        strs(fabrique.EventStatuses),
	reflect.TypeOf(fabrique.PhaseKind("")):          strs(fabrique.PhaseKinds),
	reflect.TypeOf(fabrique.ItemKind("")):           strs(fabrique.ItemKinds),
	reflect.TypeOf(fabrique.RegistrationStatus("")): strs(fabrique.RegistrationStatuses),
	reflect.TypeOf(fabrique.Role("")):               strs(fabrique.Roles),
}

func strs[T ~string](v []T) []string {
	out := make([]string, len(v))
	for i, x := range v {
		out[i] = string(x)
	}
	return out
}

type obj = map[string]any

var ginParam = regexp.MustCompile(`:([a-z_]+)`)

// openAPI builds the OpenAPI 3 document from the registered routes.
func (s *Server) openAPI() obj {
	schemas := obj{"Problem": problemSchema()}
	paths := obj{}
	for _, r := range s.routes {
		path := ginParam.ReplaceAllString(r.path, "{$1}")
		item, _ := paths[path].(obj)
		if item == nil {
			item = obj{}
			paths[path] = item
		}
		op := obj{
			"summary":     r.summary,
			"description": "Accès : " + r.auth + ".",
			"tags":        []string{r.tag},
			"operationId": strings.ToLower(r.method) + strings.NewReplacer("/", "_", "{", "", "}", "", "-", "_").Replace(strings.TrimPrefix(path, "/api/v1")),
		}
		var params []obj
		for _, m := range ginParam.FindAllStringSubmatch(r.path, -1) {
			params = append(params, obj{"name": m[1], "in": "path", "required": true, "schema": pathParamSchema(m[1])})
		}
		for _, q := range r.query {
			schema := obj{"type": "string"}
			switch {
			case q == "limit":
				schema = obj{"type": "integer", "minimum": 1, "maximum": fabrique.MaxPageSize, "default": 50}
			case q == "offset":
				schema = obj{"type": "integer", "minimum": 0, "default": 0}
			case strings.HasSuffix(q, "_id"):
				schema = obj{"type": "integer", "minimum": 1}
			case q == "from" || q == "to":
				schema = obj{"type": "string", "description": "date AAAA-MM-JJ ou instant RFC 3339"}
			case r.enums[q] != nil:
				schema = obj{"type": "string", "enum": r.enums[q]}
			default:
				schema = obj{"type": "string", "maxLength": httpx.MaxQueryValue}
			}
			params = append(params, obj{"name": q, "in": "query", "required": false, "schema": schema})
		}
		if len(params) > 0 {
			op["parameters"] = params
		}
		if r.body != nil {
			op["requestBody"] = obj{"required": true, "content": obj{"application/json": obj{"schema": schemaRef(schemas, r.body)}}}
		}
		responses := obj{}
		switch {
		case r.reply == nil:
			responses[strconv.Itoa(r.status)] = obj{"description": "Fait."}
		case r.list:
			ref := schemaRef(schemas, r.reply)
			responses[strconv.Itoa(r.status)] = obj{"description": "Une page de la liste.", "content": obj{"application/json": obj{"schema": obj{
				"type": "object", "required": []string{"items", "total", "limit", "offset"},
				"properties": obj{"items": obj{"type": "array", "items": ref, "description": "les éléments de la page"},
					"total": obj{"type": "integer", "description": "nombre d'éléments de toute la liste (filtres appliqués)"},
					"limit": obj{"type": "integer", "description": "taille de la page"}, "offset": obj{"type": "integer", "description": "rang du premier élément de la page"}},
			}}}}
		default:
			responses[strconv.Itoa(r.status)] = obj{"description": "Réussi.", "content": obj{"application/json": obj{"schema": schemaRef(schemas, r.reply)}}}
		}
		for _, st := range []int{400, 401, 403, 404, 409, 413, 422, 503} {
			responses[strconv.Itoa(st)] = obj{"description": http.StatusText(st), "content": obj{"application/problem+json": obj{"schema": obj{"$ref": "#/components/schemas/Problem"}}}}
		}
		op["responses"] = responses
		item[strings.ToLower(r.method)] = op
	}
	return obj{
		"openapi": "3.0.3",
		"info": obj{
			"title":       "API de fabrique",
			"version":     "1",
			"description": "Planifier et animer les événements de gouvernement ouvert : Ministère ouvert, Forum Open d'État, ateliers. Les dates sont des instants RFC 3339 ; les événements sont en heure de Paris. Les erreurs suivent la RFC 9457 (application/problem+json).",
		},
		"servers":    []obj{{"url": strings.TrimSuffix(s.Cfg.BaseURL, "/")}},
		"paths":      paths,
		"components": obj{"schemas": schemas, "securitySchemes": obj{"bearer": obj{"type": "http", "scheme": "bearer"}}},
		"security":   []obj{{}, {"bearer": []string{}}},
	}
}

func problemSchema() obj {
	d := func(typ, field string) obj { return obj{"type": typ, "description": fieldDoc("Problem", field)} }
	return obj{"type": "object", "required": []string{"type", "title", "status", "detail"}, "properties": obj{
		"type": d("string", "type"), "title": d("string", "title"), "status": d("integer", "status"),
		"detail": d("string", "detail"), "instance": d("string", "instance"),
		"errors": obj{"type": "array", "description": fieldDoc("Problem", "errors"), "items": obj{"type": "object", "required": []string{"field", "message"},
			"properties": obj{"field": obj{"type": "string", "description": "nom du champ ou du paramètre"}, "message": obj{"type": "string", "description": "ce qui ne va pas, en français"}}}},
	}}
}

// schemaRef registers the schema of a named struct and returns a reference to it.
func schemaRef(schemas obj, t reflect.Type) obj {
	if _, ok := schemas[t.Name()]; !ok {
		schemas[t.Name()] = obj{} // break cycles
		schemas[t.Name()] = structSchema(schemas, t)
	}
	return obj{"$ref": "#/components/schemas/" + t.Name()}
}

func structSchema(schemas obj, t reflect.Type) obj {
	props := obj{}
	var always []string // fields always present in an answer
	var add func(t reflect.Type)
	add = func(t reflect.Type) {
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			tag := f.Tag.Get("json")
			name, opts, _ := strings.Cut(tag, ",")
			if f.Anonymous && tag == "" && f.Type.Kind() == reflect.Struct {
				add(f.Type) // embedded: its fields are inlined by encoding/json
				continue
			}
			if name == "-" || !f.IsExported() {
				continue
			}
			if name == "" {
				name = f.Name
			}
			sch := typeSchema(schemas, f.Type)
			if _, isRef := sch["$ref"]; isRef {
				sch = obj{"allOf": []obj{sch}}
			}
			if name == "id" || name == "created_at" || name == "updated_at" {
				sch["readOnly"] = true
			}
			if d := fieldDoc(t.Name(), name); d != "" {
				sch["description"] = d
			}
			props[name] = sch
			if !strings.Contains(opts, "omitempty") {
				always = append(always, name)
			}
		}
	}
	add(t)
	return obj{"type": "object", "properties": props, "required": requiredOf(t, always)}
}

// requiredOf lists the required fields of a schema: those named in
// requiredFields, or those a zero value is refused for by its Validate
// method, or (for answers only) the fields always present.
func requiredOf(t reflect.Type, always []string) []string {
	if r, ok := requiredFields[t.Name()]; ok {
		return r
	}
	v, ok := reflect.New(t).Interface().(interface{ Validate() error })
	if !ok {
		sort.Strings(always)
		return always
	}
	seen := map[string]bool{}
	out := []string{}
	func() {
		defer func() { recover() }() // a Validate that needs more than a zero value
		for _, f := range fabrique.ErrorFields(v.Validate()) {
			if !seen[f.Field] && !strings.ContainsAny(f.Field, ".[") {
				seen[f.Field] = true
				out = append(out, f.Field)
			}
		}
	}()
	sort.Strings(out)
	return out
}

func typeSchema(schemas obj, t reflect.Type) obj {
	if t == reflect.TypeOf(time.Time{}) {
		return obj{"type": "string", "format": "date-time"}
	}
	if values, ok := enums[t]; ok {
		return obj{"type": "string", "enum": values}
	}
	switch t.Kind() {
	case reflect.Pointer:
		s := typeSchema(schemas, t.Elem())
		s["nullable"] = true
		return s
	case reflect.String:
		return obj{"type": "string"}
	case reflect.Bool:
		return obj{"type": "boolean"}
	case reflect.Int, reflect.Int64, reflect.Int32:
		return obj{"type": "integer"}
	case reflect.Slice:
		return obj{"type": "array", "items": typeSchema(schemas, t.Elem())}
	case reflect.Struct:
		return schemaRef(schemas, t)
	}
	return obj{}
}

// pathParamSchema is the schema of a path parameter: ids are positive
// integers; a private link's token and a file's name are strings.
func pathParamSchema(name string) obj {
	switch name {
	case "token":
		return obj{"type": "string", "description": "le jeton d'un lien privé, tel que reçu par courriel"}
	case "file":
		return obj{"type": "string", "description": "le nom du fichier"}
	}
	return obj{"type": "integer", "minimum": 1}
}
