package httpx

import (
	"bytes"
	"encoding/csv"
	"strings"
)

// SpreadsheetCell keeps a spreadsheet from reading a text as a formula
// (OWASP « CSV injection »): a cell whose first character, or first
// character after spaces, is = + - @, a tab or a carriage return is
// prefixed with an apostrophe. Every CSV the service writes passes every
// cell through it.
func SpreadsheetCell(s string) string {
	t := strings.TrimLeft(s, " ")
	if t == "" && s != "" {
		return s
	}
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(t[0])) {
		return "'" + s
	}
	return s
}

// SpreadsheetRow neutralises every cell of a row (SpreadsheetCell).
func SpreadsheetRow(row []string) []string {
	for i := range row {
		row[i] = SpreadsheetCell(row[i])
	}
	return row
}

// SpreadsheetCSV writes rows for a French spreadsheet: UTF-8 with BOM,
// semicolons, CRLF, formula cells neutralised.
func SpreadsheetCSV(rows [][]string) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString("\uFEFF")
	w := csv.NewWriter(&buf)
	w.Comma, w.UseCRLF = ';', true
	for _, row := range rows {
		w.Write(SpreadsheetRow(row))
	}
	w.Flush()
	return buf.Bytes(), w.Error()
}
