package api

import (
	"testing"
	"unicode/utf8"

	"fabrique/internal/fabrique"
	"fabrique/internal/web/httpx"
)

// FuzzDecodeJSON: whatever the body, the strict decoder either accepts it
// or answers a coded error with a French message; it never panics, and a
// validation error always names a field.
func FuzzDecodeJSON(f *testing.F) {
	for _, seed := range []string{
		`{"kind":"open_ministry","title":"Ministère ouvert #1","host_organisation_id":1,"status":"draft","venue_id":1,"start":"2016-06-21T17:30:00+02:00","end":"2016-06-21T20:15:00+02:00"}`,
		`{"start":"2016-02-31T17:30:00+01:00"}`, `{"title":12}`, `{"colour":"bleu"}`, `{"venue_id":1,`, `[]`, `null`, `{} {}`, "\xff", `{"capacity":1e400}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var ev fabrique.Event
		err := decodeBytes(body, &ev)
		if err == nil {
			return
		}
		code := fabrique.ErrorCode(err)
		if code != httpx.ErrBadRequest && code != fabrique.EINVALID {
			t.Fatalf("code %q for %q: %v", code, body, err)
		}
		if msg := fabrique.ErrorMessage(err); msg == "" || !utf8.ValidString(msg) {
			t.Fatalf("no readable message for %q", body)
		}
		if code == fabrique.EINVALID && len(fabrique.ErrorFields(err)) == 0 {
			t.Fatalf("a validation error without a field for %q", body)
		}
	})
}
