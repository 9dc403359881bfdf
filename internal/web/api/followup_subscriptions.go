package api

import (
	"net/http"
	"reflect"

	"github.com/gin-gonic/gin"

	"fabrique/internal/fabrique"
)

// byUnsubscribeLink is who may use the unsubscribe link of a notice.
const byUnsubscribeLink = "public, avec le lien de désabonnement reçu par courriel"

// mountSubscriptionsAPI registers the notifications of status changes
// (issue 17): a participant follows the commitments of their workshop
// through their private link, and leaves through the link of a notice.
func (s *Server) mountSubscriptionsAPI(g *gin.RouterGroup) {
	fu := s.Store.FollowUp()
	oneT := reflect.TypeOf(fabrique.FollowedCommitment{})
	page := func(c *gin.Context, list []*fabrique.FollowedCommitment, err error) error {
		return reply(c, http.StatusOK, fabrique.Page[fabrique.FollowedCommitment]{Items: list, Total: len(list), Limit: len(list)}, err)
	}
	s.api(g, route{method: "GET", path: "/p/:token/subscriptions", summary: "Les engagements de l'atelier d'un participant, et ceux dont il suit les changements d'état",
		tag: tagFollowUp, auth: byToken, reply: oneT, list: true}, func(c *gin.Context) error {
		list, err := fu.Followed(c.Request.Context(), c.Param("token"))
		return page(c, list, err)
	})
	s.api(g, route{method: "POST", path: "/p/:token/subscriptions", summary: "Être prévenu par courriel des changements d'état d'un engagement de son atelier (ou ne plus l'être, subscribed à false)",
		tag: tagFollowUp, auth: byToken, body: reflect.TypeOf(fabrique.SubscriptionInput{}), reply: oneT, list: true}, func(c *gin.Context) error {
		var in fabrique.SubscriptionInput
		if err := decodeJSON(c, &in); err != nil {
			return err
		}
		list, err := fu.Follow(c.Request.Context(), c.Param("token"), &in)
		return page(c, list, err)
	})
	s.api(g, route{method: "GET", path: "/unsubscribe/:token", summary: "L'engagement d'un lien de désabonnement, et si l'abonnement court encore",
		tag: tagFollowUp, auth: byUnsubscribeLink, reply: oneT}, func(c *gin.Context) error {
		f, err := fu.Unsubscription(c.Request.Context(), c.Param("token"))
		return reply(c, http.StatusOK, f, err)
	})
	s.api(g, route{method: "POST", path: "/unsubscribe/:token", summary: "Ne plus recevoir les changements d'état de l'engagement d'un lien de désabonnement (sans compte)",
		tag: tagFollowUp, auth: byUnsubscribeLink, reply: oneT}, func(c *gin.Context) error {
		f, err := fu.Unsubscribe(c.Request.Context(), c.Param("token"))
		return reply(c, http.StatusOK, f, err)
	})
}

// byConfirmLink is who may use the confirmation link of a comment.
const byConfirmLink = "public, avec le lien de confirmation reçu par courriel"

// mountCommentConfirmationAPI registers the confirmation of a comment by
// its author, with the link mailed to them.
func (s *Server) mountCommentConfirmationAPI(g *gin.RouterGroup) {
	fu := s.Store.FollowUp()
	t := reflect.TypeOf(fabrique.CommentConfirmation{})
	s.api(g, route{method: "GET", path: "/comment-confirmations/:token", summary: "Le commentaire d'un lien de confirmation, et s'il est déjà confirmé",
		tag: tagFollowUp, auth: byConfirmLink, reply: t}, func(c *gin.Context) error {
		v, err := fu.CommentToConfirm(c.Request.Context(), c.Param("token"))
		return reply(c, http.StatusOK, v, err)
	})
	s.api(g, route{method: "POST", path: "/comment-confirmations/:token", summary: "Confirmer son commentaire : il part en modération, ou est publié aussitôt si le plan ne modère pas",
		tag: tagFollowUp, auth: byConfirmLink, reply: t}, func(c *gin.Context) error {
		v, err := fu.ConfirmComment(c.Request.Context(), c.Param("token"))
		return reply(c, http.StatusOK, v, err)
	})
}
