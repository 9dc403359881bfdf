package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"fabrique/internal/demo"
	"fabrique/internal/fabrique"
	"fabrique/internal/sqlite"
	"fabrique/internal/web"
)

// Roles played in the tests, each with an API token in the template.
const (
	admin      = "administrateur"
	orgSERE    = "organisateur du Secrétariat d'État"
	orgForum   = "organisateur du ministère hôte du forum"
	orgOther   = "organisateur d'un autre ministère"
	facil      = "animateur de l'atelier 3 (Simon Chignard)"
	facilOther = "animatrice de l'atelier 5 (Sarah Labelle)"
	anonymous  = "anonyme"
)

// testDB opens the tests' databases: passwords hashed at bcrypt's lowest
// cost, so that the many sign-ins of the tests are cheap (what they check,
// the answers and the throttling, does not depend on the cost).
var testDB = sqlite.Options{PasswordCost: bcrypt.MinCost}

var (
	templateDB string
	tokens     = map[string]string{}
)

// TestMain builds once a database with the demo, accounts for every role,
// their tokens and one registration; each test works on a copy of it.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "fabrique-web")
	if err != nil {
		panic(err)
	}
	templateDB = filepath.Join(dir, "template.db")
	if err := buildTemplate(templateDB); err != nil {
		panic(err)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func ptr(v int64) *int64 { return &v }

func buildTemplate(path string) error {
	ctx := fabrique.WithUser(context.Background(), fabrique.System)
	db, err := sqlite.OpenWith(ctx, path, testDB)
	if err != nil {
		return err
	}
	defer db.Close()
	st := sqlite.NewStore(db)
	if _, err := demo.Load(ctx, st); err != nil {
		return err
	}
	orgID := func(name string) int64 {
		p, _ := st.Organisations().List(ctx, fabrique.ListOptions{Filters: map[string]string{"q": name}})
		return p.Items[0].ID
	}
	personID := func(name string) int64 {
		p, _ := st.People().List(ctx, fabrique.ListOptions{Filters: map[string]string{"q": name}})
		return p.Items[0].ID
	}
	accounts := map[string]*fabrique.User{
		orgForum:   {Email: "forum@fabrique.example", Name: "Correspondant", Role: fabrique.RoleOrganiser, OrganisationID: ptr(orgID("Transformation et de la Fonction"))},
		orgOther:   {Email: "interieur@fabrique.example", Name: "Correspondante", Role: fabrique.RoleOrganiser, OrganisationID: ptr(orgID("Intérieur"))},
		facilOther: {Email: "sarah.labelle@fabrique.example", Name: "Sarah Labelle", Role: fabrique.RoleFacilitator, PersonID: ptr(personID("Sarah Labelle"))},
	}
	for _, u := range accounts {
		if err := st.Users().CreateUser(ctx, u, "mot-de-passe-de-test"); err != nil {
			return err
		}
	}
	emails := map[string]string{admin: demo.AdminEmail, orgSERE: demo.OrganiserEmail, facil: "simon.chignard@fabrique.example"}
	for role, u := range accounts {
		emails[role] = u.Email
	}
	for role, email := range emails {
		u, err := st.Users().UserByEmail(ctx, email)
		if err != nil {
			return err
		}
		if tokens[role], err = st.Users().CreateToken(ctx, u.ID, "test"); err != nil {
			return err
		}
	}
	// One registration to workshop 3 of Ministère ouvert #1.
	p := &fabrique.Person{Name: "Camille Participante", Email: "camille@exemple.fr", Category: fabrique.CategoryCitizen,
		Kind: fabrique.PersonParticipant, OwnerOrganisationID: ptr(orgID("Secrétariat d'État"))}
	if err := st.People().Create(ctx, p); err != nil {
		return err
	}
	return st.Registrations().Create(ctx, &fabrique.Registration{EventID: 1, WorkshopID: ptr(3), PersonID: p.ID, Status: fabrique.RegRegistered, Consent: true})
}

// newServer returns a server on a fresh copy of the template database.
func newServer(t testing.TB) (*web.Server, *sqlite.Store) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "fabrique.db")
	b, err := os.ReadFile(templateDB)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	db, err := sqlite.OpenWith(context.Background(), path, testDB)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	st := sqlite.NewStore(db)
	return web.New(st, slog.New(slog.NewTextHandler(io.Discard, nil)), web.Config{BaseURL: "http://fabrique.test"}), st
}

// call sends a request through the real router as role.
func call(t testing.TB, s http.Handler, role, method, url, body string) *httptest.ResponseRecorder {
	t.Helper()
	var r io.Reader
	if body != "" {
		r = bytes.NewBufferString(body)
	}
	req := httptest.NewRequest(method, url, r)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if tok := tokens[role]; tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	w := httptest.NewRecorder()
	s.ServeHTTP(w, req)
	return w
}

// problemOf decodes a problem+json answer.
type problemBody struct {
	Type   string `json:"type"`
	Title  string `json:"title"`
	Status int    `json:"status"`
	Detail string `json:"detail"`
	Errors []struct {
		Field   string `json:"field"`
		Message string `json:"message"`
	} `json:"errors"`
}

func problemOf(t testing.TB, w *httptest.ResponseRecorder) problemBody {
	t.Helper()
	if ct := w.Header().Get("Content-Type"); ct != "application/problem+json; charset=utf-8" {
		t.Fatalf("Content-Type = %q, body %s", ct, w.Body)
	}
	var p problemBody
	if err := json.Unmarshal(w.Body.Bytes(), &p); err != nil {
		t.Fatalf("problem: %v in %s", err, w.Body)
	}
	if p.Status != w.Code || p.Detail == "" || p.Title == "" {
		t.Errorf("incomplete problem %+v for status %d", p, w.Code)
	}
	return p
}
