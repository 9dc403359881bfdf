package sqlite_test

import (
	"context"
	"testing"
	"time"

	"fabrique/internal/fabrique"
)

func TestAccountsAreDisabledAtOnceAndTokensExpire(t *testing.T) {
	st, ctx := openStore(t)
	clock := time.Now().UTC().Truncate(time.Second)
	st.DB().SetNow(func() time.Time { return clock })
	add := func(email string, role fabrique.Role) *fabrique.User {
		u := &fabrique.User{Email: email, Name: email, Role: role}
		must(t, st.Users().CreateUser(ctx, u, "mot-de-passe-solide"))
		return u
	}
	boss, ana := add("chef@exemple.fr", fabrique.RoleAdmin), add("ana@exemple.fr", fabrique.RoleAdmin)
	acc := st.Accounts()
	token, tk, err := acc.IssueToken(ctx, ana.ID, "script", time.Hour)
	must(t, err)
	if tk.ExpiresAt == nil || !tk.ExpiresAt.Equal(clock.Add(time.Hour)) {
		t.Fatalf("token %+v", tk)
	}
	session, _, err := st.Sessions().CreateSession(ctx, ana.ID, time.Hour)
	must(t, err)

	t.Run("the last use is recorded at most once a minute", func(t *testing.T) {
		lastUse := func() *time.Time {
			a, err := acc.Account(ctx, ana.ID)
			must(t, err)
			return a.Tokens[0].LastUsedAt
		}
		if lastUse() != nil {
			t.Fatal("used before any use")
		}
		_, err := st.Users().UserByToken(context.Background(), token)
		must(t, err)
		first := lastUse()
		if first == nil || !first.Equal(clock) {
			t.Fatalf("first use %v", first)
		}
		clock = clock.Add(30 * time.Second)
		_, err = st.Users().UserByToken(context.Background(), token)
		must(t, err)
		if !lastUse().Equal(*first) {
			t.Errorf("written again after 30 s: %v", lastUse())
		}
		clock = clock.Add(45 * time.Second)
		_, err = st.Users().UserByToken(context.Background(), token)
		must(t, err)
		if !lastUse().Equal(clock) {
			t.Errorf("not written after 75 s: %v", lastUse())
		}
	})
	t.Run("a disabled account's session and token stop at once, its sign-in says why", func(t *testing.T) {
		must(t, acc.SetDisabled(ctx, ana.ID, true))
		if _, err := st.Sessions().UserBySession(context.Background(), session); fabrique.ErrorCode(err) != fabrique.EUNAUTHORIZED {
			t.Errorf("the session: %v", err)
		}
		if _, err := st.Users().UserByToken(context.Background(), token); fabrique.ErrorCode(err) != fabrique.EUNAUTHORIZED {
			t.Errorf("the token: %v", err)
		}
		_, err := st.Users().Authenticate(context.Background(), fabrique.Credentials{Email: ana.Email, Password: "mot-de-passe-solide"})
		if fabrique.ErrorCode(err) != fabrique.EUNAUTHORIZED || fabrique.ErrorMessage(err) != "Ce compte est désactivé : adressez-vous à un administrateur." {
			t.Errorf("the sign-in: %v", err)
		}
		var n int
		must(t, st.DB().Count(ctx, "web_sessions", &n))
		if n != 0 {
			t.Errorf("%d sessions left", n)
		}
		must(t, acc.SetDisabled(ctx, ana.ID, false))
		if _, err := st.Users().UserByToken(context.Background(), token); err != nil {
			t.Errorf("the token once enabled: %v", err)
		}
	})
	t.Run("an expired token is refused", func(t *testing.T) {
		clock = clock.Add(2 * time.Hour)
		if _, err := st.Users().UserByToken(context.Background(), token); fabrique.ErrorCode(err) != fabrique.EUNAUTHORIZED {
			t.Errorf("the expired token: %v", err)
		}
		a, err := acc.Account(ctx, ana.ID)
		must(t, err)
		if !a.Tokens[0].Expired(clock) {
			t.Errorf("not listed as expired: %+v", a.Tokens[0])
		}
	})
	t.Run("an administrator cannot disable themselves nor the last active administrator", func(t *testing.T) {
		err := acc.SetDisabled(fabrique.WithUser(context.Background(), boss), boss.ID, true)
		if fabrique.ErrorCode(err) != fabrique.ECONFLICT {
			t.Errorf("self: %v", err)
		}
		must(t, acc.SetDisabled(ctx, ana.ID, true))
		if err := acc.SetDisabled(ctx, boss.ID, true); fabrique.ErrorCode(err) != fabrique.ECONFLICT {
			t.Errorf("the last administrator: %v", err)
		}
	})
	t.Run("only administrators manage accounts; a token is revoked by its number", func(t *testing.T) {
		org := fabrique.WithUser(context.Background(), &fabrique.User{ID: 99, Role: fabrique.RoleOrganiser})
		if _, err := acc.Accounts(org); fabrique.ErrorCode(err) != fabrique.EFORBIDDEN {
			t.Errorf("an organiser lists accounts: %v", err)
		}
		if _, _, err := acc.IssueToken(org, ana.ID, "vol", 0); fabrique.ErrorCode(err) != fabrique.EFORBIDDEN {
			t.Errorf("an organiser issues a token for another: %v", err)
		}
		if err := acc.SetPassword(ctx, ana.ID, "court"); len(fabrique.ErrorFields(err)) != 1 || fabrique.ErrorFields(err)[0].Field != "password" {
			t.Errorf("a short password: %v", err)
		}
		r, err := acc.RevokeTokenID(ctx, tk.ID)
		must(t, err)
		if r.Name != "script" {
			t.Errorf("revoked %+v", r)
		}
		if _, err := acc.RevokeTokenID(ctx, tk.ID); fabrique.ErrorCode(err) != fabrique.ENOTFOUND {
			t.Errorf("revoked twice: %v", err)
		}
	})
}
