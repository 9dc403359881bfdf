package pages

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"fabrique/internal/fabrique"
	"fabrique/internal/outbox"
	"fabrique/internal/web/httpx"
)

// The staff's outbox: the messages to participants by state, the preview
// of one, a retry, the release of an event's held batch, and the progress
// of a batch (live with assets/js/outbox-progress.js, counts without it).

// outboxStateLabels are the states of a message in French.
var outboxStateLabels = map[fabrique.OutboxState]string{
	fabrique.OutboxHeld: "Retenu pour relecture", fabrique.OutboxPending: "En attente d'envoi", fabrique.OutboxClaimed: "Pris en charge",
	fabrique.OutboxSending: "En cours d'envoi", fabrique.OutboxSent: "Envoyé", fabrique.OutboxFailed: "En échec",
	fabrique.OutboxDoubt: "Envoi incertain",
}

// messageKindLabels are the kinds of messages in French.
var messageKindLabels = map[string]string{
	fabrique.MsgInvitation: "Invitation", fabrique.MsgUpdate: "Mise à jour", fabrique.MsgCancellation: "Annulation",
	fabrique.MsgEventCancel: "Événement annulé", fabrique.MsgWaiting: "Liste d'attente", fabrique.MsgReminder: "Rappel du lien",
	fabrique.MsgWithdrawn: "Retrait", fabrique.MsgPending: "Demande reçue", fabrique.MsgPromoted: "Place libérée",
	fabrique.MsgEventSoon: "Rappel avant l'événement", fabrique.MsgMinutesPublished: "Compte rendu publié",
	fabrique.MsgDeclarationSubmitted: "Déclaration à examiner", fabrique.MsgDeclarationAccepted: "Déclaration acceptée",
	fabrique.MsgDeclarationChanges: "Déclaration à modifier",
	fabrique.MsgStatusChanged:      "Changement d'état d'un engagement", fabrique.MsgCommentConfirm: "Confirmation d'un commentaire",
}

// outboxNotices are the confirmations of the outbox's pages.
var outboxNotices = map[string]string{
	"relance":  "Le message est remis en file : il partira dans quelques secondes.",
	"liberes":  "Les messages retenus sont libérés : leur envoi commence.",
	"rien":     "Aucun message n'était retenu pour cet événement.",
	"renvoyes": "Le message est remis en file.",
}

// outboxCountLabels name the counters of messages by state, in French.
var outboxCountLabels = map[fabrique.OutboxState]string{
	fabrique.OutboxHeld: "Retenus pour relecture", fabrique.OutboxPending: "En attente d'envoi", fabrique.OutboxSending: "En cours d'envoi",
	fabrique.OutboxSent: "Envoyés", fabrique.OutboxFailed: "En échec", fabrique.OutboxDoubt: "Envoi incertain",
}

// stateCount is the number of messages in one state.
type stateCount struct {
	State   fabrique.OutboxState
	Label   string // the state, for a message: « Envoyé »
	Counter string // the state, for a counter: « Envoyés »
	Count   int
}

// eventOutbox is the outbox of one event: its counts by state.
type eventOutbox struct {
	Event    *fabrique.Event
	Progress *fabrique.OutboxProgress
}

// Held is the number of messages waiting for a release.
func (e eventOutbox) Held() int { return e.Progress.Counts[string(fabrique.OutboxHeld)] }

// Queued is the number of messages waiting for the worker or being sent.
func (e eventOutbox) Queued() int {
	c := e.Progress.Counts
	return c["pending"] + c["claimed"] + c["sending"]
}

// Count is the number of messages of the event in a state.
func (e eventOutbox) Count(state string) int { return e.Progress.Counts[state] }

// progressView is the progress of an event's messages, or of one batch.
type progressView struct {
	EventID int64
	Batch   string
	Title   string
	Total   int
	Done    int // sent, failed or in doubt
	Sent    int
	Failed  int
	Waiting int // held, pending, claimed or sending
	Over    bool
	Refresh string // the page's address, to reload it without JavaScript
}

func newProgressView(p *fabrique.OutboxProgress, title, refresh string) *progressView {
	c := p.Counts
	return &progressView{EventID: p.EventID, Batch: p.Batch, Title: title, Total: p.Total,
		Done: c["sent"] + c["failed"] + c["doubt"], Sent: c["sent"], Failed: c["failed"] + c["doubt"],
		Waiting: c["held"] + c["pending"] + c["claimed"] + c["sending"], Over: p.Done, Refresh: refresh}
}

// outboxView is the outbox page's data.
type outboxView struct {
	Totals   []stateCount
	Events   []eventOutbox
	Messages *fabrique.Page[fabrique.OutboxMessage]
	Progress *progressView // for the event filtered, when there is one
	Filter   outboxFilter
	States   []option
	Choices  []option // the events with messages
	Next     string   // the address of the next page of messages
	Previous string
}

// outboxFilter is what the list of messages is filtered by.
type outboxFilter struct {
	Event  int64
	State  string
	Batch  string
	Offset int
}

// query returns the filter as a query string, at offset.
func (f outboxFilter) query(offset int) string {
	q := url.Values{}
	if f.Event > 0 {
		q.Set("event", strconv.FormatInt(f.Event, 10))
	}
	if f.State != "" {
		q.Set("state", f.State)
	}
	if f.Batch != "" {
		q.Set("batch", f.Batch)
	}
	if offset > 0 {
		q.Set("offset", strconv.Itoa(offset))
	}
	if len(q) == 0 {
		return "/staff/outbox"
	}
	return "/staff/outbox?" + q.Encode()
}

// readOutboxFilter reads the filter from the query; what does not make
// sense is ignored (it comes from the page's own links and select boxes).
func readOutboxFilter(c *gin.Context) outboxFilter {
	var f outboxFilter
	if n, err := strconv.ParseInt(c.Query("event"), 10, 64); err == nil && n > 0 {
		f.Event = n
	}
	if _, ok := outboxStateLabels[fabrique.OutboxState(c.Query("state"))]; ok {
		f.State = c.Query("state")
	}
	if b := c.Query("batch"); len(b) <= 40 {
		f.Batch = b
	}
	if n, err := strconv.Atoi(c.Query("offset")); err == nil && n > 0 {
		f.Offset = n
	}
	return f
}

// eventOutboxes counts the messages of every event the account may steer,
// keeping the events that have some.
func (s *Server) eventOutboxes(ctx context.Context) ([]eventOutbox, error) {
	events, err := all(ctx, s.Store.Events(), nil)
	if err != nil {
		return nil, err
	}
	var out []eventOutbox
	for _, e := range events {
		p, err := s.Store.Outbox().OutboxProgress(ctx, e.ID, "")
		switch fabrique.ErrorCode(err) {
		case "":
		case fabrique.EFORBIDDEN, fabrique.ENOTFOUND:
			continue
		default:
			return nil, err
		}
		if p.Total > 0 {
			out = append(out, eventOutbox{Event: e, Progress: p})
		}
	}
	return out, nil
}

// outboxTotals counts the messages visible to the account by state.
func (s *Server) outboxTotals(ctx context.Context) ([]stateCount, error) {
	var out []stateCount
	for _, st := range fabrique.OutboxStates {
		if st == fabrique.OutboxClaimed {
			continue // a moment before "sending": counted with pending below
		}
		n, err := s.countOutbox(ctx, st)
		if err != nil {
			return nil, err
		}
		if st == fabrique.OutboxPending {
			m, err := s.countOutbox(ctx, fabrique.OutboxClaimed)
			if err != nil {
				return nil, err
			}
			n += m
		}
		out = append(out, stateCount{State: st, Label: outboxStateLabels[st], Counter: outboxCountLabels[st], Count: n})
	}
	return out, nil
}

func (s *Server) countOutbox(ctx context.Context, st fabrique.OutboxState) (int, error) {
	p, err := s.Store.Outbox().ListOutbox(ctx, fabrique.ListOptions{Limit: 1, Filters: map[string]string{"state": string(st)}})
	if err != nil {
		return 0, err
	}
	return p.Total, nil
}

// outboxPage shows the outbox: counts, events with their held messages,
// the progress of the event filtered, and the messages.
func (s *Server) outboxPage(c *gin.Context) error {
	ctx := c.Request.Context()
	v := &outboxView{Filter: readOutboxFilter(c), States: []option{}}
	var err error
	if v.Totals, err = s.outboxTotals(ctx); err != nil {
		return err
	}
	if v.Events, err = s.eventOutboxes(ctx); err != nil {
		return err
	}
	for _, st := range v.Totals {
		v.States = append(v.States, option{Value: string(st.State), Label: st.Label})
	}
	filters := map[string]string{}
	for _, e := range v.Events {
		v.Choices = append(v.Choices, option{Value: strconv.FormatInt(e.Event.ID, 10), Label: e.Event.Title})
		if e.Event.ID == v.Filter.Event {
			p, err := s.Store.Outbox().OutboxProgress(ctx, e.Event.ID, v.Filter.Batch)
			if err != nil {
				return err
			}
			v.Progress = newProgressView(p, e.Event.Title, v.Filter.query(0))
		}
	}
	if v.Filter.Event > 0 {
		filters["event_id"] = strconv.FormatInt(v.Filter.Event, 10)
	}
	if v.Filter.State != "" {
		filters["state"] = v.Filter.State
	}
	if v.Filter.Batch != "" {
		filters["batch"] = v.Filter.Batch
	}
	const size = 50
	if v.Messages, err = s.Store.Outbox().ListOutbox(ctx, fabrique.ListOptions{Limit: size, Offset: v.Filter.Offset, Filters: filters}); err != nil {
		return err
	}
	if v.Filter.Offset+size < v.Messages.Total {
		v.Next = v.Filter.query(v.Filter.Offset + size)
	}
	if v.Filter.Offset > 0 {
		v.Previous = v.Filter.query(max(0, v.Filter.Offset-size))
	}
	page := &view{Title: "Messages aux participants", Data: v, Notice: outboxNotices[c.Query("ok")],
		Crumbs: []crumb{{Label: "Tableau de bord", Href: "/staff"}}}
	if v.Progress != nil && !v.Progress.Over {
		page.Scripts = []string{"outbox-progress.js"}
	}
	return s.render(c, http.StatusOK, "outbox.html", page)
}

// messageView is the preview of one message.
type messageView struct {
	Message  *fabrique.OutboxMessage
	Event    *fabrique.Event
	Subject  string
	From, To string
	Text     string
	Calendar string
	Method   string
}

// messagePage previews a message as the participant receives it, with
// their private link hidden.
func (s *Server) messagePage(c *gin.Context) error {
	id, err := httpx.PathID(c, "id")
	if err != nil {
		return err
	}
	m, err := s.Store.Outbox().OutboxMessage(c.Request.Context(), id)
	if err != nil {
		return err
	}
	v := &messageView{Message: m, To: mailbox(m.RecipientName, m.Recipient)}
	var flash string
	rendered, err := outbox.NewRenderer(s.Cfg.BaseURL, outbox.DefaultFrom(s.Cfg.BaseURL)).Message(m, time.Now(), true)
	if err == nil {
		v.Subject, v.From, v.To = rendered.Subject, mailbox(rendered.From.Name, rendered.From.Email), mailbox(rendered.To.Name, rendered.To.Email)
		v.Text, v.Calendar, v.Method = rendered.Text, string(rendered.Calendar), rendered.Method
	} else {
		// The worker would fail on it too: staff see the message's record and why.
		s.Log.ErrorContext(c.Request.Context(), "outbox preview", slog.Int64("message", m.ID), slog.String("error", err.Error()))
		v.Subject, flash = kindLabel(m.Kind), "L'aperçu de ce message n'a pas pu être produit : "+err.Error()
	}
	if ev, err := s.Store.Events().Get(c.Request.Context(), m.EventID); err == nil {
		v.Event = ev
	}
	return s.render(c, http.StatusOK, "message.html", &view{Title: fmt.Sprintf("Message n° %d", m.ID), Data: v,
		Notice: outboxNotices[c.Query("ok")], Flash: flash,
		Crumbs: []crumb{{Label: "Tableau de bord", Href: "/staff"}, {Label: "Messages aux participants", Href: "/staff/outbox"}}})
}

// retryMessage puts a failed or doubtful message back in the queue.
func (s *Server) retryMessage(c *gin.Context) error {
	id, err := httpx.PathID(c, "id")
	if err != nil {
		return err
	}
	if _, err := s.Store.Outbox().RetryMessage(c.Request.Context(), id); err != nil {
		return err
	}
	return redirect(c, fmt.Sprintf("/staff/outbox/%d", id), "relance")
}

// releaseHeld lets an event's held messages go as one batch, then shows
// the batch's progress.
func (s *Server) releaseHeld(c *gin.Context) error {
	id, err := httpx.PathID(c, "id")
	if err != nil {
		return err
	}
	r, err := s.Store.Outbox().ReleaseHeld(c.Request.Context(), id)
	if err != nil {
		return err
	}
	if r.Released == 0 {
		return redirect(c, outboxFilter{Event: id}.query(0), "rien")
	}
	return redirect(c, outboxFilter{Event: id, Batch: r.Batch}.query(0)+"#avancement", "liberes")
}

// StateLabel is a message's state in French.
func (v *outboxView) StateLabel(st fabrique.OutboxState) string { return stateLabel(st) }

// KindLabel is a message's kind in French.
func (v *outboxView) KindLabel(kind string) string { return kindLabel(kind) }

// StateLabel is the message's state in French.
func (v *messageView) StateLabel() string { return stateLabel(v.Message.State) }

// KindLabel is the message's kind in French.
func (v *messageView) KindLabel() string { return kindLabel(v.Message.Kind) }

// CanRetry reports whether the message may be sent again.
func (v *messageView) CanRetry() bool {
	return v.Message.State == fabrique.OutboxFailed || v.Message.State == fabrique.OutboxDoubt
}

func stateLabel(st fabrique.OutboxState) string {
	if l, ok := outboxStateLabels[st]; ok {
		return l
	}
	return string(st)
}

func kindLabel(kind string) string {
	if l, ok := messageKindLabels[kind]; ok {
		return l
	}
	return kind
}

// mailbox shows an address as a mail client does: « Nom <adresse> ».
func mailbox(name, email string) string {
	if name == "" {
		return email
	}
	return name + " <" + email + ">"
}

// dashboardStatus is what the dashboard shows of the outbox and of the
// conflicts of planning.
type dashboardStatus struct {
	Outbox    []stateCount      // nil when the account may not see the outbox
	Held      int               // messages waiting for a release
	Conflicts []*fabrique.Event // upcoming events with conflicts that no exception waives
	// ToReview counts the declarations awaiting the DITP's review
	// (administrators; -1 for the others, who review none).
	ToReview int
}

// dashboardStatus counts the outbox's messages by state and finds the
// upcoming events whose planning has open conflicts.
func (s *Server) dashboardStatus(ctx context.Context, upcoming []*fabrique.Event) (*dashboardStatus, error) {
	d := &dashboardStatus{ToReview: -1}
	if fabrique.UserFrom(ctx).Is(fabrique.RoleAdmin) {
		list, err := s.Store.Declarations().Declarations(ctx)
		if err != nil {
			return nil, err
		}
		d.ToReview = 0
		for _, x := range list {
			if x.State == fabrique.DeclarationSubmitted {
				d.ToReview++
			}
		}
	}
	totals, err := s.outboxTotals(ctx)
	switch fabrique.ErrorCode(err) {
	case "":
		d.Outbox = totals
		for _, t := range totals {
			if t.State == fabrique.OutboxHeld {
				d.Held = t.Count
			}
		}
	case fabrique.EFORBIDDEN:
	default:
		return nil, err
	}
	for _, e := range upcoming {
		cs, err := s.Store.Scheduling().Conflicts(ctx, e.ID)
		switch fabrique.ErrorCode(err) {
		case "":
		case fabrique.EFORBIDDEN, fabrique.ENOTFOUND:
			continue
		default:
			return nil, err
		}
		if len(fabrique.Blocking(cs)) > 0 {
			d.Conflicts = append(d.Conflicts, e)
		}
	}
	return d, nil
}
