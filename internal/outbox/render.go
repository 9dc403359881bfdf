package outbox

import (
	"bytes"
	htemplate "html/template"
	"strconv"
	"strings"
	ttemplate "text/template"
	"time"

	"fabrique/internal/fabrique"
	"fabrique/internal/ical"
	"fabrique/internal/mail"
	"fabrique/templates/email"
)

var funcs = map[string]any{"join": strings.Join}

// The templates are parsed once; they hold no configuration.
var (
	textTemplate = ttemplate.Must(ttemplate.New("message.txt").Funcs(funcs).ParseFS(email.FS, "message.txt"))
	htmlTemplate = htemplate.Must(htemplate.New("message.html").Funcs(funcs).ParseFS(email.FS, "message.html"))
	followText   = ttemplate.Must(ttemplate.New("followup.txt").ParseFS(email.FS, "followup.txt"))
	followHTML   = htemplate.Must(htemplate.New("followup.html").ParseFS(email.FS, "followup.html"))
)

// followView is what the notices of the follow-up of commitments show.
type followView struct {
	Kind, Subject, Name, When, Link, PageLink, Unsubscribe, Confirm string
	Commitment                                                      *fabrique.MessageCommitment
	Comment                                                         *fabrique.MessageComment
}

// CommentConfirmPath is the path of the page of a comment's confirmation link.
const CommentConfirmPath = "/commentaires/confirmation/"

// UnsubscribePath is the path of the page of an unsubscribe link.
const UnsubscribePath = "/desabonnement/"

// followMessage renders a notice of a commitment's status change, with the
// participant's link and the unsubscribe link, or the confirmation asked
// of a comment's author, with its link: text and HTML from followup.txt
// and followup.html; mask hides the links.
func (r *Renderer) followMessage(m *fabrique.OutboxMessage, now time.Time, mask bool, link string) (*mail.Message, error) {
	c := m.Payload.Commitment
	if c == nil {
		c = &fabrique.MessageCommitment{}
	}
	v := followView{Kind: m.Kind, Comment: m.Payload.Comment, Subject: subject(m), Name: m.RecipientName, When: fabrique.FrenchDate(c.ChangedAt) + " à " + fabrique.FrenchTime(c.ChangedAt),
		Link: link, PageLink: r.baseURL + "/plans/" + strconv.FormatInt(c.PlanID, 10) + "/engagements/" + c.Number, Commitment: c}
	switch {
	case m.Kind == fabrique.MsgCommentConfirm && (mask || m.ActionToken == ""):
		v.Confirm = r.baseURL + CommentConfirmPath + "(lien de confirmation masqué)"
	case m.Kind == fabrique.MsgCommentConfirm:
		v.Confirm = r.baseURL + CommentConfirmPath + m.ActionToken
	case mask:
		v.Unsubscribe = r.baseURL + UnsubscribePath + "(lien de désabonnement masqué)"
	case m.ActionToken != "":
		v.Unsubscribe = r.baseURL + UnsubscribePath + m.ActionToken
	}
	var text, html bytes.Buffer
	if err := followText.Execute(&text, v); err != nil {
		return nil, err
	}
	if err := followHTML.Execute(&html, v); err != nil {
		return nil, err
	}
	return &mail.Message{ID: messageID(m), From: r.from, To: mail.Address{Name: m.RecipientName, Email: m.Recipient},
		Subject: v.Subject, Text: text.String(), HTML: html.String(), Date: now}, nil
}

// Renderer turns outbox messages into e-mails: French text and HTML from
// templates/email, and for invitations and cancellations the iCalendar
// REQUEST or CANCEL built by internal/ical.
type Renderer struct {
	baseURL string
	from    mail.Address
}

// NewRenderer returns a renderer linking participants to baseURL/p/<token>,
// sending as from (also the ORGANIZER of the calendars).
func NewRenderer(baseURL string, from mail.Address) *Renderer {
	return &Renderer{baseURL: strings.TrimSuffix(baseURL, "/"), from: from}
}

// DefaultFrom is the sender used when none is configured: a no-reply
// address on the host of baseURL.
func DefaultFrom(baseURL string) mail.Address {
	host := strings.TrimPrefix(strings.TrimPrefix(baseURL, "https://"), "http://")
	host, _, _ = strings.Cut(host, "/")
	host, _, _ = strings.Cut(host, ":")
	if !strings.Contains(host, ".") || strings.Trim(host, "0123456789.") == "" {
		host = "fabrique.localhost"
	}
	return mail.Address{Name: "Gouvernement ouvert", Email: "ne-pas-repondre@" + host}
}

// line is a line of the programme in a template.
type line struct {
	Span, Title, Room string
}

// view is what the templates show.
type view struct {
	Kind, Subject, Name, EventTitle, Summary, When, Location, Link, WaitingFor string
	Page                                                                       string // a declaration's page, for its messages
	WaitingPosition                                                            int
	Workshop                                                                   *fabrique.MessageWorkshop
	Programme                                                                  []line
	Choices                                                                    []string
	Changes                                                                    []string // what changed, for an update
}

// subject is the Subject of a message.
func subject(m *fabrique.OutboxMessage) string {
	p := m.Payload
	switch m.Kind {
	case fabrique.MsgPromoted:
		return "Une place s'est libérée : " + p.Summary + " – " + fabrique.FrenchDate(p.Start)
	case fabrique.MsgInvitation:
		return "Invitation : " + p.Summary + " – " + fabrique.FrenchDate(p.Start)
	case fabrique.MsgUpdate:
		return "Modification : " + p.Summary + " – " + fabrique.FrenchDate(p.Start)
	case fabrique.MsgCancellation:
		return "Annulation : " + p.Summary
	case fabrique.MsgEventCancel:
		return "Événement annulé : " + p.EventTitle
	case fabrique.MsgWaiting:
		return "Liste d'attente : " + p.EventTitle
	case fabrique.MsgPending:
		return "Demande d'inscription enregistrée : " + p.EventTitle
	case fabrique.MsgWithdrawn:
		return "Inscription annulée : " + p.EventTitle
	case fabrique.MsgMinutesPublished:
		return "Compte rendu publié : " + p.EventTitle
	case fabrique.MsgEventSoon:
		return "Rappel : " + p.EventTitle + " – " + fabrique.FrenchDate(p.Start)
	case fabrique.MsgAddressChanged:
		return "Votre nouveau lien personnel : " + p.EventTitle
	case fabrique.MsgAddressLeft:
		return "Changement d'adresse électronique : " + p.EventTitle
	case fabrique.MsgErased:
		return "Données effacées, participation annulée : " + p.Summary
	case fabrique.MsgDeclarationAccepted:
		return "Déclaration acceptée : " + p.EventTitle
	case fabrique.MsgDeclarationChanges:
		return "Déclaration à modifier : " + p.EventTitle
	case fabrique.MsgDeclarationSubmitted:
		if len(p.Changes) > 0 {
			return "Déclaration modifiée, à examiner : " + p.EventTitle
		}
		return "Déclaration à examiner : " + p.EventTitle
	case fabrique.MsgStatusChanged:
		if c := p.Commitment; c != nil {
			return "Engagement n° " + c.Number + " : avancement « " + c.To + " »"
		}
	case fabrique.MsgCommentConfirm:
		if c := p.Comment; c != nil {
			return "Confirmez votre commentaire sur l'engagement n° " + c.Number
		}
	}
	return "Votre inscription : " + p.EventTitle
}

// Message renders m as of now. With mask, the participant's private link
// is hidden (a preview for staff).
func (r *Renderer) Message(m *fabrique.OutboxMessage, now time.Time, mask bool) (*mail.Message, error) {
	p := m.Payload
	link := r.baseURL + "/p/" + m.LinkToken
	if mask || m.LinkToken == "" {
		link = r.baseURL + "/p/(lien personnel masqué)"
	}
	if !fabrique.KindCarriesLink(m.Kind) {
		link = ""
	}
	if m.Kind == fabrique.MsgStatusChanged || m.Kind == fabrique.MsgCommentConfirm {
		return r.followMessage(m, now, mask, link)
	}
	v := view{Kind: m.Kind, Subject: subject(m), Name: m.RecipientName, EventTitle: p.EventTitle, Summary: p.Summary,
		When: fabrique.FrenchSpan(p.Start, p.End), Location: p.Location, Link: link, WaitingFor: p.WaitingFor,
		WaitingPosition: p.WaitingPosition, Workshop: p.Workshop, Choices: p.Choices, Changes: p.Changes}
	switch m.Kind {
	case fabrique.MsgDeclarationAccepted, fabrique.MsgDeclarationChanges, fabrique.MsgDeclarationSubmitted:
		v.Page = r.baseURL + "/staff/declarations/" + strconv.FormatInt(m.EventID, 10)
	}
	if m.Method != fabrique.MethodNotice {
		for _, l := range p.Programme {
			v.Programme = append(v.Programme, line{Span: fabrique.FrenchTime(l.Start) + " – " + fabrique.FrenchTime(l.End), Title: l.Title, Room: l.Room})
		}
	}
	var text, html bytes.Buffer
	if err := textTemplate.Execute(&text, v); err != nil {
		return nil, err
	}
	if err := htmlTemplate.Execute(&html, v); err != nil {
		return nil, err
	}
	msg := &mail.Message{ID: messageID(m), From: r.from, To: mail.Address{Name: m.RecipientName, Email: m.Recipient},
		Subject: v.Subject, Text: text.String(), HTML: html.String(), Date: now}
	if m.Method == fabrique.MethodNotice {
		return msg, nil
	}
	item := ical.Item{UID: m.ItemUID, Sequence: m.Sequence, Start: p.Start, End: p.End, Summary: p.Summary, Location: p.Location,
		Description: strings.TrimSpace(p.Description()),
		Organizer:   ical.Person{Name: r.from.Name, Email: r.from.Email},
		Attendees:   []ical.Person{{Name: m.RecipientName, Email: m.Recipient}}}
	if link != "" {
		item.Description += "\n\nVotre page personnelle : " + link
	}
	if !mask && m.LinkToken != "" && link != "" {
		item.URL = link
	}
	var err error
	if m.Method == fabrique.MethodCancel {
		msg.Calendar, err = ical.Cancel(item, now)
		msg.Method = mail.MethodCancel
	} else {
		msg.Calendar, err = ical.Request(item, now)
		msg.Method = mail.MethodRequest
	}
	return msg, err
}

// EML renders m as the complete e-mail a participant receives, with the
// private link hidden: the preview shown to staff.
func (r *Renderer) EML(m *fabrique.OutboxMessage, now time.Time) ([]byte, error) {
	msg, err := r.Message(m, now, true)
	if err != nil {
		return nil, err
	}
	return mail.Render(msg)
}

// messageID is stable for an outbox row: its UID, SEQUENCE and method.
func messageID(m *fabrique.OutboxMessage) string {
	local, _, _ := strings.Cut(m.ItemUID, "@")
	return local + "." + strconv.Itoa(m.Sequence) + "." + strings.ToLower(m.Method)
}
