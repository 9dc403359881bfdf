package web

import (
	"bytes"
	"encoding/csv"
	"strings"
)

// spreadsheetCell keeps a spreadsheet from reading a text as a formula
// (OWASP « CSV injection »): a cell whose first character, or first
// character after spaces, is = + - @, a tab or a carriage return is
// prefixed with an apostrophe. Every CSV the service writes passes every
// cell through it.
func spreadsheetCell(s string) string {
	t := strings.TrimLeft(s, " ")
	if t == "" && s != "" {
		return s
	}
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(t[0])) {
		return "'" + s
	}
	return s
}

// spreadsheetRow neutralises every cell of a row (spreadsheetCell).
func spreadsheetRow(row []string) []string {
	for i := range row {
		row[i] = spreadsheetCell(row[i])
	}
	return row
}

// spreadsheetCSV writes rows for a French spreadsheet: UTF-8 with BOM,
// semicolons, CRLF, formula cells neutralised.
func spreadsheetCSV(rows [][]string) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString("\uFEFF")
	w := csv.NewWriter(&buf)
	w.Comma, w.UseCRLF = ';', true
	for _, row := range rows {
		w.Write(spreadsheetRow(row))
	}
	w.Flush()
	return buf.Bytes(), w.Error()
}
