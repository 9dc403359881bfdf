package pages

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"fabrique/internal/fabrique"
)

// A participant changes their address from their private page (issue 11):
// the link they used dies, the new one is mailed to the new address only,
// and the old address is told, without link.

// mountParticipantAddress registers the page's form.
func (s *Server) mountParticipantAddress() {
	s.Engine.POST("/p/:token/adresse", s.page(s.changeAddress))
}

// addressForm is the empty form of a change of address on the page of token.
func addressForm(token string) *form {
	return newForm("adresse", "/p/"+token+"/adresse#adresse", "email")
}

// changeAddress changes the participant's address, then says where the
// new link went: the page of the old link is gone.
func (s *Server) changeAddress(c *gin.Context) error {
	v, err := s.loadParticipant(c)
	if err != nil {
		return s.participantError(c, err)
	}
	f := postedForm(c, "adresse", "/p/"+v.Token+"/adresse#adresse", "email")
	var ch *fabrique.AddressChange
	status, err := submit(f, nil, func() error { return nil }, func() (err error) {
		ch, err = s.Store.Enrolments().ChangeEmail(c.Request.Context(), v.Token, f.Get("email"))
		return err
	})
	if err != nil || status != 0 {
		return orErr(err, func() error { return s.showParticipant(c, status, nil, f) })
	}
	c.Header("Cache-Control", "no-store")
	return s.render(c, http.StatusOK, "participant_address.html", &view{Title: "Adresse électronique changée", Data: ch})
}
