package schedule

import (
	"testing"
	"time"
)

func day(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02", s, paris)
	if err != nil {
		panic(err)
	}
	return t
}

func TestMovableHolidays2016To2030(t *testing.T) {
	// Real dates (Easter Monday, Ascension, Whit Monday).
	want := map[int][3]string{
		2016: {"2016-03-28", "2016-05-05", "2016-05-16"},
		2017: {"2017-04-17", "2017-05-25", "2017-06-05"},
		2018: {"2018-04-02", "2018-05-10", "2018-05-21"},
		2019: {"2019-04-22", "2019-05-30", "2019-06-10"},
		2020: {"2020-04-13", "2020-05-21", "2020-06-01"},
		2021: {"2021-04-05", "2021-05-13", "2021-05-24"},
		2022: {"2022-04-18", "2022-05-26", "2022-06-06"},
		2023: {"2023-04-10", "2023-05-18", "2023-05-29"},
		2024: {"2024-04-01", "2024-05-09", "2024-05-20"},
		2025: {"2025-04-21", "2025-05-29", "2025-06-09"},
		2026: {"2026-04-06", "2026-05-14", "2026-05-25"},
		2027: {"2027-03-29", "2027-05-06", "2027-05-17"},
		2028: {"2028-04-17", "2028-05-25", "2028-06-05"},
		2029: {"2029-04-02", "2029-05-10", "2029-05-21"},
		2030: {"2030-04-22", "2030-05-30", "2030-06-10"},
	}
	names := [3]string{"Lundi de Pâques", "Ascension", "Lundi de Pentecôte"}
	for year := 2016; year <= 2030; year++ {
		hs := Holidays(year)
		if len(hs) != 11 {
			t.Fatalf("%d: %d holidays, want 11", year, len(hs))
		}
		byName := map[string]time.Time{}
		for i, h := range hs {
			byName[h.Name] = h.Date
			if h.Date.Location() != paris || h.Date.Hour() != 0 || h.Date.Minute() != 0 {
				t.Errorf("%d %s: %v is not midnight in Europe/Paris", year, h.Name, h.Date)
			}
			if i > 0 && h.Date.Before(hs[i-1].Date) {
				t.Errorf("%d: holidays not sorted", year)
			}
		}
		for k, name := range names {
			got, ok := byName[name]
			if !ok {
				t.Fatalf("%d: %s missing", year, name)
			}
			if got.Format("2006-01-02") != want[year][k] {
				t.Errorf("%d %s = %s, want %s", year, name, got.Format("2006-01-02"), want[year][k])
			}
			h, ok := IsHoliday(day(want[year][k]).Add(15 * time.Hour))
			if !ok || h.Name != name {
				t.Errorf("IsHoliday(%s) = %v %v", want[year][k], h, ok)
			}
		}
	}
}

func TestFixedHolidays(t *testing.T) {
	fixed := map[string]string{
		"01-01": "Jour de l'an", "05-01": "Fête du Travail", "05-08": "Victoire 1945",
		"07-14": "Fête nationale", "08-15": "Assomption", "11-01": "Toussaint",
		"11-11": "Armistice 1918", "12-25": "Noël",
	}
	for _, year := range []string{"2016", "2023", "2030"} {
		for md, name := range fixed {
			h, ok := IsHoliday(day(year + "-" + md))
			if !ok || h.Name != name {
				t.Errorf("%s-%s: got %q %v, want %q", year, md, h.Name, ok, name)
			}
		}
	}
	for _, d := range []string{"2016-12-26", "2016-05-09", "2024-12-24", "2016-06-21"} {
		if h, ok := IsHoliday(day(d)); ok {
			t.Errorf("%s reported as holiday %q", d, h.Name)
		}
	}
	// No Alsace-Moselle extras (Good Friday, Saint Stephen's day).
	for _, d := range []string{"2016-03-25", "2016-12-26"} {
		if _, ok := IsHoliday(day(d)); ok {
			t.Errorf("%s must not be a national holiday", d)
		}
	}
}

func TestWorkingDays(t *testing.T) {
	cases := map[string]bool{
		"2016-06-21": true,  // Tuesday
		"2024-05-09": false, // Ascension
		"2016-12-07": true,  // Wednesday, OGP summit
		"2016-12-10": false, // Saturday
		"2016-12-11": false, // Sunday
		"2016-11-11": false, // Armistice, a Friday
		"2025-06-09": false, // Whit Monday
		"2025-06-10": true,
	}
	for d, want := range cases {
		if got := IsWorkingDay(day(d)); got != want {
			t.Errorf("IsWorkingDay(%s) = %v, want %v", d, got, want)
		}
	}
	// 23:30 UTC on 13 July is 14 July in Paris.
	if IsWorkingDay(time.Date(2016, 7, 13, 23, 30, 0, 0, time.UTC)) {
		t.Error("2016-07-13T23:30Z is Bastille Day in Paris")
	}
}

func TestNextWorkingDay(t *testing.T) {
	d := day("2016-06-21").Add(18*time.Hour + 20*time.Minute)
	if got := NextWorkingDay(d); !got.Equal(d) {
		t.Errorf("working day changed: %v", got)
	}
	// Friday 11 Nov 2016 (holiday) -> Monday 14 Nov, same wall-clock time.
	got := NextWorkingDay(day("2016-11-11").Add(9 * time.Hour))
	if want := day("2016-11-14").Add(9 * time.Hour); !got.Equal(want) {
		t.Errorf("NextWorkingDay(2016-11-11 09:00) = %v, want %v", got, want)
	}
	// Saturday 24 Dec 2016 -> Monday 26 (25 is Sunday and Christmas).
	if got := NextWorkingDay(day("2016-12-24")); !got.Equal(day("2016-12-26")) {
		t.Errorf("NextWorkingDay(2016-12-24) = %v", got)
	}
	// Whit Monday 2024 after a weekend -> Tuesday.
	if got := NextWorkingDay(day("2024-05-18")); !got.Equal(day("2024-05-21")) {
		t.Errorf("NextWorkingDay(2024-05-18) = %v", got)
	}
}

func TestFrenchDate(t *testing.T) {
	if got := FrenchDate(day("2016-06-21")); got != "mardi 21 juin 2016" {
		t.Errorf("got %q", got)
	}
	if got := FrenchDate(day("2016-12-01")); got != "jeudi 1er décembre 2016" {
		t.Errorf("got %q", got)
	}
}
