package httpx

import (
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"fabrique/internal/fabrique"
)

// maxSignInDelay is the longest an attempt on an account that failed too
// often waits before its password is checked.
const maxSignInDelay = 2 * time.Second

// signInGate applies the limits of sign-in (API and form) to an attempt
// on the account of email. The client's address is refused (429) past its
// budget: 5 failures, then one every 20 s. The account is only slowed
// down: past 5 failures from any address, each attempt waits up to
// maxSignInDelay before its password is checked, so that failures spread
// over many addresses never lock its owner out; the right password from an
// address with attempts left still signs in. Call done with whether the
// attempt failed: only failures count.
func (s *Core) SignInGate(c *gin.Context, email string) (done func(failed bool), err error) {
	ip, account := "ip:"+c.ClientIP(), "email:"+strings.ToLower(strings.TrimSpace(email))
	if err := s.RefuseThrottled(c, s.signIns, ip); err != nil {
		return nil, err
	}
	if wait := min(s.signIns.wait(account), maxSignInDelay); wait > 0 {
		t := time.NewTimer(wait)
		defer t.Stop()
		select {
		case <-t.C:
		case <-c.Request.Context().Done():
			return nil, &fabrique.Error{Code: ErrTooMany, Message: "Trop de tentatives sur ce compte : réessayez dans un instant."}
		}
	}
	return func(failed bool) {
		if failed {
			s.signIns.take(ip, account)
		}
	}, nil
}
