package fabrique

import "testing"

func TestWorkshopTitle(t *testing.T) {
	for _, c := range []struct {
		name, title, want string
		number            int
	}{
		{"a plain title stays", "Ouvrir les données", "Ouvrir les données", 1},
		{"a title that repeats the number loses it", "Atelier 1 : controverses", "controverses", 1},
		{"a title that is only the number becomes empty", "Atelier 3", "", 3},
		{"the repetition is found whatever the case and spaces", "ATELIER 2\u202f: Pistes", "Pistes", 2},
		{"another number is not a repetition", "Atelier 12 : suite", "Atelier 12 : suite", 1},
		{"another workshop's number is kept", "Atelier 2 : suite", "Atelier 2 : suite", 1},
		{"a workshop without a number keeps its title", "Atelier 1", "Atelier 1", 0},
		{"a word starting like atelier is kept", "Ateliers croisés", "Ateliers croisés", 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := WorkshopTitle(c.number, c.title); got != c.want {
				t.Errorf("WorkshopTitle(%d, %q) = %q, want %q", c.number, c.title, got, c.want)
			}
		})
	}
}
