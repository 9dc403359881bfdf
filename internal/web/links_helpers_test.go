package web_test

import (
	"regexp"
	"strings"

	"fabrique/internal/mail/mailtest"
)

var mailedLink = regexp.MustCompile(`/p/(p_[A-Za-z0-9_.-]+)`)

// mailBody is a received message with quoted-printable soft breaks and
// folded iCalendar lines undone, so that links read whole.
func mailBody(m mailtest.Message) string {
	s := strings.ReplaceAll(string(m.Data), "=\r\n", "")
	return strings.ReplaceAll(s, "\r\n ", "")
}

// mailedLinks lists, for each recipient, the private links the SMTP
// server received for them, in order, without repeats.
func mailedLinks(srv *mailtest.Server) map[string][]string {
	out := map[string][]string{}
	for _, m := range srv.Messages() {
		seen := map[string]bool{}
		for _, l := range out[m.To[0]] {
			seen[l] = true
		}
		for _, sub := range mailedLink.FindAllStringSubmatch(mailBody(m), -1) {
			if tok := strings.TrimRight(sub[1], "."); !seen[tok] {
				seen[tok] = true
				out[m.To[0]] = append(out[m.To[0]], tok)
			}
		}
	}
	return out
}
