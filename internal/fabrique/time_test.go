package fabrique

import (
	"testing"
	"time"
)

func TestFrenchDates(t *testing.T) {
	start := time.Date(2016, 6, 21, 16, 0, 0, 0, time.UTC) // 18:00 in Paris (summer time)
	end := time.Date(2016, 6, 21, 18, 15, 0, 0, time.UTC)
	tests := []struct{ name, got, want string }{
		{"a summer evening reads in Paris time", FrenchSpan(start, end), "mardi 21 juin 2016 de 18 h 00 à 20 h 15"},
		{"the first of the month reads 1er", FrenchDate(time.Date(2021, 2, 1, 12, 0, 0, 0, Paris)), "lundi 1er février 2021"},
		{"a winter time is shifted by one hour", FrenchTime(time.Date(2021, 2, 1, 17, 30, 0, 0, time.UTC)), "18 h 30"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %q, want %q", tt.got, tt.want)
			}
		})
	}
}
