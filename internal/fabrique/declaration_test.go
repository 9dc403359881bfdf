package fabrique_test

import (
	"slices"
	"strings"
	"testing"

	"fabrique/internal/fabrique"
)

// The way in: who publishes directly, who through a declaration, and who
// waives a relay workshop's conflicts.
func TestPublishAndWaiveGates(t *testing.T) {
	org := int64(1)
	admin := &fabrique.User{Role: fabrique.RoleAdmin}
	organiser := &fabrique.User{Role: fabrique.RoleOrganiser, OrganisationID: &org}
	own, other := fabrique.Owner{Orgs: []int64{org}}, fabrique.Owner{Orgs: []int64{2}}
	for _, c := range []struct {
		name     string
		u        *fabrique.User
		trusted  bool
		declared fabrique.DeclarationState
		want     string // "" when allowed, else a piece of the refusal
	}{
		{"the DITP publishes any event", admin, false, "", ""},
		{"a trusted organisation publishes directly", organiser, true, "", ""},
		{"an accepted declaration publishes", organiser, false, fabrique.DeclarationAccepted, ""},
		{"an undeclared event of an organisation that is not trusted", organiser, false, "", "par une déclaration à la DITP"},
		{"a declaration under review", organiser, false, fabrique.DeclarationSubmitted, "soumise pour examen, /staff/declarations/9"},
		{"a declaration with changes asked", organiser, false, fabrique.DeclarationChangesRequested, "modifications demandées"},
	} {
		err := fabrique.PublishGate(c.u, c.trusted, c.declared, 9)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s: refused: %v", c.name, err)
		case c.want != "" && (fabrique.ErrorCode(err) != fabrique.ECONFLICT || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%s: %v, want a conflict saying %q", c.name, err, c.want)
		}
	}
	if err := fabrique.WaiveGate(organiser, false, own); err != nil {
		t.Errorf("the host waives its event's conflict: %v", err)
	}
	if err := fabrique.WaiveGate(organiser, false, other); fabrique.ErrorCode(err) != fabrique.EFORBIDDEN {
		t.Errorf("another organisation waives: %v", err)
	}
	if err := fabrique.WaiveGate(organiser, true, own); fabrique.ErrorCode(err) != fabrique.EFORBIDDEN || !strings.Contains(err.Error(), "Seule la DITP") {
		t.Errorf("a third party waives its relay's conflict: %v", err)
	}
	if err := fabrique.WaiveGate(nil, false, own); fabrique.ErrorCode(err) != fabrique.EUNAUTHORIZED {
		t.Errorf("nobody waives: %v", err)
	}
	if err := fabrique.WaiveGate(admin, true, other); err != nil {
		t.Errorf("the DITP waives a relay's conflict: %v", err)
	}
}

func TestADeclarationSaysWhatChanged(t *testing.T) {
	old := &fabrique.DeclarationSnapshot{Title: "Ministère ouvert", When: "mardi 27 février 2029 de 17 h 30 à 20 h 15", Notes: "Merci",
		Workshops: []fabrique.SnapshotWorkshop{{Number: 1, Title: "Retour d'expérience", Room: "Salle 109", Facilitators: []string{"Cécile Le Guen"}},
			{Number: 2, Title: "Impact", Room: "Salle B"}}}
	now := &fabrique.DeclarationSnapshot{Title: "Ministère ouvert", When: "mardi 27 février 2029 de 18 h 00 à 20 h 45", Notes: "Merci",
		Workshops: []fabrique.SnapshotWorkshop{{Number: 1, Title: "Retour d'expérience", Room: "Salle 109", Facilitators: []string{"Cécile Le Guen", "Marie Heuzé"}},
			{Number: 3, Title: "Nouveaux acteurs", Room: "Cantine"}}}
	got := now.Diff(old)
	want := []string{
		"Date et horaires : « mardi 27 février 2029 de 17 h 30 à 20 h 15 » devient « mardi 27 février 2029 de 18 h 00 à 20 h 45 »",
		"Atelier 1, animateurs : « Cécile Le Guen » devient « Cécile Le Guen ; Marie Heuzé »",
		"Atelier 3 ajouté : « Nouveaux acteurs »",
		"Atelier 2 retiré : « Impact »",
	}
	if !slices.Equal(got, want) {
		t.Errorf("diff:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if d := now.Diff(now); len(d) != 0 {
		t.Errorf("no change, yet %q", d)
	}
}
