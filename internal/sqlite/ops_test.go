package sqlite_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"fabrique/internal/fabrique"
	"fabrique/internal/sqlite"
)

// TestPasswordsAreHashedAtBcryptsDefaultCost: the tests' lower cost is an
// option; the service keeps bcrypt's default.
func TestPasswordsAreHashedAtBcryptsDefaultCost(t *testing.T) {
	for _, tt := range []struct {
		name string
		opt  sqlite.Options
		cost int
	}{
		{"by default", sqlite.Options{}, bcrypt.DefaultCost},
		{"with the tests' option", sqlite.Options{PasswordCost: bcrypt.MinCost}, bcrypt.MinCost},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ctx := fabrique.WithUser(context.Background(), fabrique.System)
			path := filepath.Join(t.TempDir(), "f.db")
			db, err := sqlite.OpenWith(ctx, path, tt.opt)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			st := sqlite.NewStore(db)
			u := &fabrique.User{Email: "alix@exemple.fr", Name: "Alix", Role: fabrique.RoleAdmin}
			if err := st.Users().CreateUser(ctx, u, "mot-de-passe-solide"); err != nil {
				t.Fatal(err)
			}
			raw, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
			if err != nil {
				t.Fatal(err)
			}
			defer raw.Close()
			var hash string
			if err := raw.QueryRow(`SELECT password_hash FROM users WHERE email = ?`, u.Email).Scan(&hash); err != nil {
				t.Fatal(err)
			}
			if c, err := bcrypt.Cost([]byte(hash)); err != nil || c != tt.cost {
				t.Errorf("cost %d (%v), want %d", c, err, tt.cost)
			}
			if _, err := st.Users().Authenticate(ctx, fabrique.Credentials{Email: u.Email, Password: "mot-de-passe-solide"}); err != nil {
				t.Errorf("sign-in: %v", err)
			}
			if _, err := st.Users().Authenticate(ctx, fabrique.Credentials{Email: "personne@exemple.fr", Password: "mot-de-passe-solide"}); fabrique.ErrorCode(err) != fabrique.EUNAUTHORIZED {
				t.Errorf("unknown account: %v", err)
			}
		})
	}
}
