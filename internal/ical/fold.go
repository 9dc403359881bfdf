package ical

import (
	"bytes"
	"unicode/utf8"
)

// MaxLineOctets is the longest content line, in octets and not counting the
// CRLF line break, that Fold lets through (RFC 5545 §3.1).
const MaxLineOctets = 75

var crlf = []byte("\r\n")

// Fold folds every CRLF-delimited content line of b that is longer than
// MaxLineOctets octets, as RFC 5545 §3.1 describes: the line is cut into
// pieces of at most 75 octets, and every piece after the first is written on
// a new line that starts with a single space (CRLF + SPACE), so a piece holds
// at most 74 octets of the original line.
//
// Lines are cut only between UTF-8 characters, never inside a multi-byte
// sequence; a byte that is not valid UTF-8 counts as a character of its own.
// Removing every CRLF immediately followed by one space from the result gives
// back b with the same removal applied (for an input that holds no such
// sequence, b itself). Line breaks other than CRLF are not treated as line
// ends. Fold does not modify b.
func Fold(b []byte) []byte {
	out := make([]byte, 0, len(b)+len(b)/MaxLineOctets*3+3)
	for len(b) > 0 {
		line := b
		rest := []byte(nil)
		if i := bytes.Index(b, crlf); i >= 0 {
			line, rest = b[:i], b[i:]
		}
		out = foldLine(out, line)
		if rest == nil {
			break
		}
		out = append(out, crlf...)
		b = rest[len(crlf):]
	}
	return out
}

// foldLine appends line, which holds no CRLF, to out, folded.
func foldLine(out, line []byte) []byte {
	limit := MaxLineOctets
	for len(line) > limit {
		cut := 0
		for cut < len(line) {
			_, size := utf8.DecodeRune(line[cut:])
			if cut+size > limit {
				break
			}
			cut += size
		}
		// limit ≥ 74 and a UTF-8 character is at most 4 octets, so cut > 0.
		out = append(out, line[:cut]...)
		out = append(out, '\r', '\n', ' ')
		line = line[cut:]
		limit = MaxLineOctets - 1
	}
	return append(out, line...)
}
