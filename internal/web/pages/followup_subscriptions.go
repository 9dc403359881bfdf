package pages

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"fabrique/internal/fabrique"
	"fabrique/internal/outbox"
)

// The notifications of status changes on the pages (issue 17): the
// participant's private page offers to follow each commitment of their
// workshop; the link of each notice leads to a page that unsubscribes,
// without account, after a click (a mail scanner that opens the link
// changes nothing).

// mountSubscriptionPages registers the form of the private page and the
// page of the unsubscribe link.
func (s *Server) mountSubscriptionPages() {
	g := s.Engine
	g.POST("/p/:token/suivi", s.page(s.followByForm))
	g.GET(outbox.UnsubscribePath+":token", s.page(s.unsubscribePage))
	g.POST(outbox.UnsubscribePath+":token", s.page(s.unsubscribeByForm))
	g.GET(outbox.CommentConfirmPath+":token", s.page(s.commentConfirmPage))
	g.POST(outbox.CommentConfirmPath+":token", s.page(s.confirmCommentByForm))
}

// followByForm subscribes the participant to a commitment of their
// workshop, or ends the subscription.
func (s *Server) followByForm(c *gin.Context) error {
	v, err := s.loadParticipant(c)
	if err != nil {
		return s.participantError(c, err)
	}
	f := postedForm(c, "suivi", "", "commitment_id", "subscribed")
	in := fabrique.SubscriptionInput{Subscribed: f.Get("subscribed") == "1"}
	if id := (parser{f}).id("commitment_id"); id != nil {
		in.CommitmentID = *id
	}
	if _, err := s.Store.FollowUp().Follow(c.Request.Context(), v.Token, &in); err != nil {
		if fabrique.ErrorCode(err) != fabrique.EINVALID {
			return err
		}
		return s.render(c, http.StatusUnprocessableEntity, "participant.html", &view{Title: "Mon inscription : " + v.Agenda.EventTitle, Data: v,
			Flash: "Cet engagement n'est pas travaillé dans votre atelier : rien n'a été modifié.", Forms: map[string]*form{"change": newForm("changement", "/p/"+v.Token+"/atelier#changer", "workshop_id", "wait"), "address": addressForm(v.Token)}})
	}
	if in.Subscribed {
		return redirect(c, "/p/"+v.Token+"#suivi", "suivi")
	}
	return redirect(c, "/p/"+v.Token+"#suivi", "suivi-fin")
}

// unsubscribeView is what followup_unsubscribe.html shows.
type unsubscribeView struct {
	Token      string
	Commitment *fabrique.FollowedCommitment
	Done       bool // just unsubscribed
}

// unsubscribeError shows an unknown unsubscribe link as a French page.
func (s *Server) unsubscribeError(c *gin.Context, err error) error {
	if fabrique.ErrorCode(err) != fabrique.ENOTFOUND {
		return err
	}
	return s.render(c, http.StatusNotFound, "error.html", &view{Title: "Lien de désabonnement inconnu", Status: http.StatusNotFound, Error: fabrique.ErrorMessage(err)})
}

// unsubscribePage asks to confirm the end of a subscription.
func (s *Server) unsubscribePage(c *gin.Context) error {
	c.Header("X-Robots-Tag", "noindex, nofollow")
	f, err := s.Store.FollowUp().Unsubscription(c.Request.Context(), c.Param("token"))
	if err != nil {
		return s.unsubscribeError(c, err)
	}
	return s.render(c, http.StatusOK, "followup_unsubscribe.html", &view{Title: "Ne plus être prévenu·e", Data: &unsubscribeView{Token: c.Param("token"), Commitment: f}})
}

// unsubscribeByForm ends the subscription of the link.
func (s *Server) unsubscribeByForm(c *gin.Context) error {
	c.Header("X-Robots-Tag", "noindex, nofollow")
	f, err := s.Store.FollowUp().Unsubscribe(c.Request.Context(), c.Param("token"))
	if err != nil {
		return s.unsubscribeError(c, err)
	}
	return s.render(c, http.StatusOK, "followup_unsubscribe.html", &view{Title: "Vous êtes désabonné·e", Data: &unsubscribeView{Token: c.Param("token"), Commitment: f, Done: true}})
}

// commentConfirmView is what followup_comment_confirm.html shows.
type commentConfirmView struct {
	Token string
	C     *fabrique.CommentConfirmation
	Done  bool // just confirmed
}

// confirmationError shows an unknown confirmation link as a French page.
func (s *Server) confirmationError(c *gin.Context, err error) error {
	if fabrique.ErrorCode(err) != fabrique.ENOTFOUND {
		return err
	}
	return s.render(c, http.StatusNotFound, "error.html", &view{Title: "Lien de confirmation inconnu", Status: http.StatusNotFound, Error: fabrique.ErrorMessage(err)})
}

// commentConfirmPage shows the comment of a confirmation link and the
// button that confirms it (opening the link alone confirms nothing).
func (s *Server) commentConfirmPage(c *gin.Context) error {
	c.Header("X-Robots-Tag", "noindex, nofollow")
	v, err := s.Store.FollowUp().CommentToConfirm(c.Request.Context(), c.Param("token"))
	if err != nil {
		return s.confirmationError(c, err)
	}
	return s.render(c, http.StatusOK, "followup_comment_confirm.html", &view{Title: "Confirmer mon commentaire", Data: &commentConfirmView{Token: c.Param("token"), C: v}})
}

// confirmCommentByForm confirms the comment of the link.
func (s *Server) confirmCommentByForm(c *gin.Context) error {
	c.Header("X-Robots-Tag", "noindex, nofollow")
	v, err := s.Store.FollowUp().ConfirmComment(c.Request.Context(), c.Param("token"))
	if err != nil {
		return s.confirmationError(c, err)
	}
	return s.render(c, http.StatusOK, "followup_comment_confirm.html", &view{Title: "Commentaire confirmé", Data: &commentConfirmView{Token: c.Param("token"), C: v, Done: true}})
}
