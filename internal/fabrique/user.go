package fabrique

import (
	"context"
	"time"
)

// Role is the role of a staff account.
type Role string

// Roles of staff accounts.
const (
	RoleAdmin       Role = "admin"       // DITP: everything
	RoleOrganiser   Role = "organiser"   // ministry correspondent: the events of their organisation
	RoleFacilitator Role = "facilitator" // their workshops
)

// Roles lists the roles.
var Roles = []Role{RoleAdmin, RoleOrganiser, RoleFacilitator}

// User is a staff account.
type User struct {
	ID             int64     `json:"id"`
	Email          string    `json:"email"`
	Name           string    `json:"name"`
	Role           Role      `json:"role"`
	OrganisationID *int64    `json:"organisation_id"`
	PersonID       *int64    `json:"person_id"` // the facilitator this account speaks for
	CreatedAt      time.Time `json:"created_at"`
}

// Validate checks an account.
func (u *User) Validate() error {
	var p Problems
	p.Email("email", u.Email, true)
	p.Name("name", u.Name)
	OneOf(&p, "role", u.Role, Roles, true)
	p.Ref("organisation_id", u.OrganisationID)
	p.Ref("person_id", u.PersonID)
	if u.Role == RoleOrganiser && u.OrganisationID == nil {
		p.Add("organisation_id", "un organisateur représente une organisation : indiquez-la")
	}
	if u.Role == RoleFacilitator && u.PersonID == nil {
		p.Add("person_id", "un compte d'animateur est lié à une personne : indiquez-la")
	}
	return p.Err()
}

// Is reports whether the user has the role; a nil user has none.
func (u *User) Is(r Role) bool { return u != nil && u.Role == r }

// OrgIs reports whether the user represents the organisation id.
func (u *User) OrgIs(id int64) bool {
	return u != nil && u.OrganisationID != nil && *u.OrganisationID == id
}

// Credentials is the input of a sign-in.
type Credentials struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

// MinPasswordLength is the shortest accepted password.
const MinPasswordLength = 10

// UserService manages staff accounts, their passwords and API tokens.
type UserService interface {
	// CreateUser stores a new account with a password (hashed).
	CreateUser(ctx context.Context, u *User, password string) error
	// UserByEmail finds an account.
	UserByEmail(ctx context.Context, email string) (*User, error)
	// Authenticate checks an email and password.
	Authenticate(ctx context.Context, c Credentials) (*User, error)
	// CreateToken returns a new API token (shown once; stored hashed).
	CreateToken(ctx context.Context, userID int64, name string) (string, error)
	// UserByToken finds the account of an API token.
	UserByToken(ctx context.Context, token string) (*User, error)
	// RevokeToken deletes a token.
	RevokeToken(ctx context.Context, token string) error
}

type userKey struct{}

// WithUser returns a context carrying the user acting; nil is anonymous.
func WithUser(ctx context.Context, u *User) context.Context {
	return context.WithValue(ctx, userKey{}, u)
}

// UserFrom returns the user acting, or nil for an anonymous visitor.
func UserFrom(ctx context.Context) *User {
	u, _ := ctx.Value(userKey{}).(*User)
	return u
}

// System is the administrator identity used by the command line (demo, migrations).
var System = &User{ID: 0, Email: "systeme@fabrique.local", Name: "fabrique (système)", Role: RoleAdmin}
