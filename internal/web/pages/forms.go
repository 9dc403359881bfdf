package pages

import (
	"html/template"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"fabrique/internal/fabrique"
)

// form is the state of an HTML form: what was typed and, when it was
// refused, the French error of each field and a message for the rest.
type form struct {
	ID     string            // prefix of the ids of its fields: "item" → "item-title"
	Action string            // where it posts
	Values url.Values        // the values typed (or the stored ones when editing)
	Errors map[string]string // field name → French message
	Fields []string          // the names of its fields, in order, for the error summary
	Other  []string          // errors not tied to one of its fields
}

// newForm returns an empty form with the given id and fields.
func newForm(id, action string, fields ...string) *form {
	return &form{ID: id, Action: action, Values: url.Values{}, Errors: map[string]string{}, Fields: fields}
}

// postedForm reads the posted fields of a form (x-www-form-urlencoded).
func postedForm(c *gin.Context, id, action string, fields ...string) *form {
	f := newForm(id, action, fields...)
	if err := c.Request.ParseForm(); err == nil {
		for _, name := range fields {
			if vs, ok := c.Request.PostForm[name]; ok {
				f.Values[name] = vs
			}
		}
	}
	return f
}

// Get returns the value of a field.
func (f *form) Get(name string) string { return f.Values.Get(name) }

// Set sets the value of a field.
func (f *form) Set(name, value string) { f.Values.Set(name, value) }

// Has reports whether value is among the values of a field (checkboxes).
func (f *form) Has(name, value string) bool { return slices.Contains(f.Values[name], value) }

// Failed reports whether the form was refused.
func (f *form) Failed() bool { return f != nil && (len(f.Errors) > 0 || len(f.Other) > 0) }

// fail records an error on a field of the form, or among the others.
func (f *form) fail(field, msg string) {
	if !slices.Contains(f.Fields, field) {
		f.Other = append(f.Other, msg)
		return
	}
	if _, ok := f.Errors[field]; !ok {
		f.Errors[field] = msg
	}
}

// refuse records the store's error on the form: each field error next to
// its field (renamed by alias, e.g. "start" → "start_time"), anything else
// as a general message. It returns false for errors a form cannot show.
func (f *form) refuse(err error, alias map[string]string) bool {
	switch fabrique.ErrorCode(err) {
	case fabrique.EINVALID:
		fields := fabrique.ErrorFields(err)
		if len(fields) == 0 {
			f.Other = append(f.Other, fabrique.ErrorMessage(err))
		}
		for _, fe := range fields {
			name := fe.Field
			if a, ok := alias[name]; ok {
				name = a
			}
			f.fail(name, capitalise(fe.Message)+".")
		}
		return true
	case fabrique.ECONFLICT, fabrique.EFORBIDDEN, fabrique.ENOTFOUND:
		f.Other = append(f.Other, fabrique.ErrorMessage(err))
		return true
	}
	return false
}

// FieldErrors lists the errors tied to fields, in the order of the fields.
func (f *form) FieldErrors() []fieldError {
	var out []fieldError
	for _, name := range f.Fields {
		if msg, ok := f.Errors[name]; ok {
			out = append(out, fieldError{ID: f.ID + "-" + name, Message: msg})
		}
	}
	return out
}

// fieldError is one line of the error summary, linking to its field.
type fieldError struct {
	ID      string
	Message string
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	return strings.ToUpper(string(r[0])) + string(r[1:])
}

// parser turns form values into typed values, recording French errors.
type parser struct {
	f *form
}

// text returns a trimmed value.
func (p parser) text(name string) string { return strings.TrimSpace(p.f.Get(name)) }

// integer reads an optional whole number; empty gives def.
func (p parser) integer(name string, def int) int {
	v := p.text(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		p.f.fail(name, "Un nombre entier est attendu (exemple : 20).")
		return def
	}
	return n
}

// id reads an optional reference chosen in a list; empty gives nil.
func (p parser) id(name string) *int64 {
	v := p.text(name)
	if v == "" {
		return nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n <= 0 {
		p.f.fail(name, "Choix invalide : choisissez dans la liste.")
		return nil
	}
	return &n
}

// ids reads the checked references of a group of checkboxes.
func (p parser) ids(name string) []int64 {
	var out []int64
	for _, v := range p.f.Values[name] {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			p.f.fail(name, "Choix invalide : cochez dans la liste.")
			return nil
		}
		out = append(out, n)
	}
	return out
}

// checked reads a checkbox.
func (p parser) checked(name string) bool { return p.f.Get(name) != "" }

// date reads a civil date (input type=date: AAAA-MM-JJ).
func (p parser) date(name string) (time.Time, bool) {
	v := p.text(name)
	if v == "" {
		p.f.fail(name, "La date est obligatoire.")
		return time.Time{}, false
	}
	d, err := time.ParseInLocation("2006-01-02", v, fabrique.Paris)
	if err != nil {
		p.f.fail(name, "Date invalide : une date réelle au format AAAA-MM-JJ est attendue (exemple : 2027-03-02).")
		return time.Time{}, false
	}
	return d, true
}

// clock reads a time of day (input type=time: HH:MM) on day, in Paris.
func (p parser) clock(name string, day time.Time, dayOK bool) time.Time {
	v := p.text(name)
	if v == "" {
		p.f.fail(name, "L'heure est obligatoire.")
		return time.Time{}
	}
	t, err := time.Parse("15:04", v)
	if err != nil {
		p.f.fail(name, "Heure invalide : une heure au format HH:MM est attendue (exemple : 18:20).")
		return time.Time{}
	}
	if !dayOK {
		return time.Time{}
	}
	return time.Date(day.Year(), day.Month(), day.Day(), t.Hour(), t.Minute(), 0, 0, fabrique.Paris)
}

// option is one choice of a select or a group of checkboxes.
type option struct {
	Value string
	Label string
}

// control is what the field partials receive.
type control struct {
	ID, Name, Label, Type, Value, Error, Hint, Autocomplete string
	Required                                                bool
	Options                                                 []option
	Form                                                    *form
}

// ErrorID is the id of the field's error message, for aria-describedby.
func (c control) ErrorID() string { return c.ID + "-erreur" }

// HintID is the id of the field's hint, for aria-describedby.
func (c control) HintID() string { return c.ID + "-aide" }

// Describedby lists the ids that describe the field.
func (c control) Describedby() string {
	var ids []string
	if c.Hint != "" {
		ids = append(ids, c.HintID())
	}
	if c.Error != "" {
		ids = append(ids, c.ErrorID())
	}
	return strings.Join(ids, " ")
}

// Checked reports whether an option is chosen.
func (c control) Checked(value string) bool { return c.Form != nil && c.Form.Has(c.Name, value) }

// newControl builds a control from the template's arguments: the form,
// the field's name, label and type, then options "required", "hint:…",
// "autocomplete:…".
func newControl(f *form, name, label, typ string, opts ...string) control {
	if f == nil {
		f = newForm("f", "")
	}
	c := control{ID: f.ID + "-" + name, Name: name, Label: label, Type: typ, Value: f.Get(name), Error: f.Errors[name], Form: f}
	for _, o := range opts {
		switch {
		case o == "required":
			c.Required = true
		case strings.HasPrefix(o, "hint:"):
			c.Hint = strings.TrimPrefix(o, "hint:")
		case strings.HasPrefix(o, "autocomplete:"):
			c.Autocomplete = strings.TrimPrefix(o, "autocomplete:")
		}
	}
	return c
}

// fieldsCtx is what a partial of shared form fields receives: the form and
// the page's data (its choices).
type fieldsCtx struct {
	Form *form
	Data any
}

// viewFuncs are the functions templates may call.
var viewFuncs = template.FuncMap{
	"field":    newControl,
	"fieldsOf": func(f *form, data any) fieldsCtx { return fieldsCtx{Form: f, Data: data} }, // the shared fields of a reference form (partials/reference_forms.html)
	"trimEdit": func(action string) string { return strings.TrimSuffix(action, "/edit") },   // an edit form's base address (reference.go)
	"choice": func(f *form, name, label string, options []option, opts ...string) control {
		c := newControl(f, name, label, "select", opts...)
		c.Options = options
		return c
	},
	"checks": func(f *form, name, label string, options []option, opts ...string) control {
		c := newControl(f, name, label, "checkbox", opts...)
		c.Options = options
		return c
	},
	"frDate": fabrique.FrenchDate,
	"frTime": fabrique.FrenchTime,
	"frSpan": fabrique.FrenchSpan,
	"frDay": func(s string) string {
		d, err := time.ParseInLocation("2006-01-02", s, fabrique.Paris)
		if err != nil {
			return s
		}
		return frenchDay(d)
	},
	"isoDate":  func(t time.Time) string { return t.In(fabrique.Paris).Format("2006-01-02") },
	"label":    label,
	"workshop": fabrique.WorkshopLabel,
	"plural": func(n int, one, many string) string {
		if n == 1 || n == 0 {
			return one
		}
		return many
	},
	"formOf": func(v *view, id string) *form {
		if v.Forms == nil {
			return nil
		}
		return v.Forms[id]
	},
	"deref": func(p *int64) int64 {
		if p == nil {
			return 0
		}
		return *p
	},
}

// frenchDay formats a civil date without the weekday: « 16 juillet 2015 ».
func frenchDay(d time.Time) string {
	s := fabrique.FrenchDate(d)
	if i := strings.Index(s, " "); i >= 0 {
		return s[i+1:]
	}
	return s
}
