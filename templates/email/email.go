// Package email embeds the French templates of the messages sent to
// participants: message.txt (text/template) and message.html
// (html/template), one of each for every kind of message.
package email

import "embed"

// FS holds message.txt and message.html, and followup.txt and
// followup.html for the notices of the follow-up of commitments.
//
//go:embed message.txt message.html followup.txt followup.html
var FS embed.FS
