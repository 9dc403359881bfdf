package schedule

import (
	"fmt"
	"strings"
	"time"

	"fabrique/internal/fabrique"
)

// FormatRequest asks for an event built from one of the formats: its
// reference programme, or a forum's four phases, or a series of points
// d'étape. Fields that do not concern the format are ignored.
type FormatRequest struct {
	Format             fabrique.EventKind `json:"format"`
	Title              string             `json:"title"`
	Theme              string             `json:"theme"`
	HostOrganisationID int64              `json:"host_organisation_id"`
	VenueID            *int64             `json:"venue_id"`
	PlenaryRoomID      *int64             `json:"plenary_room_id"`
	OnlineURL          string             `json:"online_url"`
	Date               string             `json:"date"`       // YYYY-MM-DD: the day (the investigation's start for a forum)
	StartTime          string             `json:"start_time"` // HH:MM, Paris time
	Workshops          int                `json:"workshops"`  // parallel workshops
	Capacity           int                `json:"capacity"`   // seats per workshop
	SpeakerIDs         []int64            `json:"speaker_ids"`
	DeepeningWeeks     int                `json:"deepening_weeks"` // forum: 2–4
	LaunchOnline       *bool              `json:"launch_online"`   // forum: default true
	Weekday            string             `json:"weekday"`         // series: lundi … vendredi
	WeekOfMonth        int                `json:"week_of_month"`   // series: 1–4, or -1 for the last
	Occurrences        int                `json:"occurrences"`     // series: 1–24
	DurationMinutes    int                `json:"duration_minutes"`
	ParentEventID      *int64             `json:"parent_event_id"` // relay workshop: the programme it is shown in
}

// Formats lists the formats with their French names.
var Formats = map[fabrique.EventKind]string{
	fabrique.EventOpenMinistry:   "Ministère ouvert",
	fabrique.EventForum:          "Forum Open d'État",
	fabrique.EventWorkshop:       "Atelier de travail",
	fabrique.EventProgressReview: "Point d'étape",
	fabrique.EventRelayWorkshop:  "Atelier-relais",
}

var weekdaysByName = map[string]time.Weekday{"lundi": time.Monday, "mardi": time.Tuesday, "mercredi": time.Wednesday, "jeudi": time.Thursday, "vendredi": time.Friday}

// Build returns the plans of the format (one event each; several for a
// series) and, for a series, the series to record.
func Build(r FormatRequest) ([]*fabrique.Plan, *fabrique.Series, error) {
	var p fabrique.Problems
	fabrique.OneOf(&p, "format", r.Format, fabrique.EventKinds, true)
	if err := p.Err(); err != nil {
		return nil, nil, err
	}
	if r.Format != fabrique.EventForum && len(r.SpeakerIDs) > 0 {
		p.Add("speaker_ids", "seul un Forum Open d'État (format open_state_forum) a des intervenants de lancement : retirez ce champ pour le format %s", r.Format)
	}
	day, at := r.when(&p)
	if err := p.Err(); err != nil {
		return nil, nil, err
	}
	switch r.Format {
	case fabrique.EventOpenMinistry:
		return r.openMinistry(day, at)
	case fabrique.EventForum:
		return r.forum(day)
	case fabrique.EventWorkshop, fabrique.EventRelayWorkshop:
		return r.simpleWorkshop(day, at)
	}
	return r.progressReviews(day, at)
}

// when reads the date and the start time, refusing weekends and holidays.
func (r FormatRequest) when(p *fabrique.Problems) (time.Time, time.Duration) {
	day, ok := p.Date("date", r.Date, true)
	at := time.Duration(0)
	if r.StartTime != "" {
		t, err := time.Parse("15:04", r.StartTime)
		if err != nil {
			p.Add("start_time", "heure invalide « %s » : format attendu HH:MM, par exemple 17:30", r.StartTime)
		}
		at = time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute
	}
	if ok && r.Format != fabrique.EventProgressReview && !IsWorkingDay(day) {
		p.Add("date", "%s n'est pas un jour ouvré%s : proposez par exemple le %s", fabrique.FrenchDate(day), holidayName(day), fabrique.FrenchDate(NextProposableDay(day)))
	}
	return day, at
}

// Warnings says what is legal but unwise in the request: a date on a
// « pont ». The event is created all the same.
func (r FormatRequest) Warnings() []string {
	day, err := time.ParseInLocation("2006-01-02", r.Date, fabrique.Paris)
	if err != nil || r.Format == fabrique.EventProgressReview {
		return nil
	}
	if w := BridgeWarning(day); w != "" {
		return []string{w}
	}
	return nil
}

func holidayName(d time.Time) string {
	if h, ok := IsHoliday(d); ok {
		return " (" + h.Name + ")"
	}
	return ""
}

// at returns the instant of a day at a time of day, in Paris.
func at(day time.Time, clock time.Duration) time.Time {
	day = day.In(fabrique.Paris)
	return time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, fabrique.Paris).Add(clock)
}

func hm(h, m int) time.Duration { return time.Duration(h)*time.Hour + time.Duration(m)*time.Minute }

func (r FormatRequest) event(kind fabrique.EventKind, start, end time.Time) fabrique.Event {
	title := r.Title
	if strings.TrimSpace(title) == "" {
		title = Formats[kind]
	}
	return fabrique.Event{Kind: kind, Title: title, Theme: r.Theme, HostOrganisationID: r.HostOrganisationID, Status: fabrique.EventDraft,
		VenueID: r.VenueID, OnlineURL: r.OnlineURL, Start: start, End: end, ParentEventID: r.ParentEventID}
}

func (r FormatRequest) workshopCount(p *fabrique.Problems, def, min, max int) int {
	n := r.Workshops
	if n == 0 {
		n = def
	}
	if n < min || n > max {
		p.Add("workshops", "entre %d et %d ateliers pour ce format (reçu : %d)", min, max, n)
	}
	return n
}

func (r FormatRequest) capacity(p *fabrique.Problems) int {
	if r.Capacity == 0 {
		return 20
	}
	p.Range("capacity", r.Capacity, 1, 5000)
	return r.Capacity
}

func workshops(n, capacity int, title func(int) string) []fabrique.Workshop {
	out := make([]fabrique.Workshop, n)
	for i := range out {
		out[i] = fabrique.Workshop{Number: i + 1, Title: title(i + 1), Capacity: capacity, FacilitatorsNeeded: 1}
	}
	return out
}

// openMinistry: the reference programme of seed 001, shifted to the start
// time (17:30 by default): welcome 30 min, opening 10 min, presentation
// 10 min, parallel workshops 1 h, report-back 20 min, closing 35 min.
func (r FormatRequest) openMinistry(day time.Time, start time.Duration) ([]*fabrique.Plan, *fabrique.Series, error) {
	var p fabrique.Problems
	if start == 0 {
		start = hm(17, 30)
	}
	n := r.workshopCount(&p, 5, 1, 10)
	capacity := r.capacity(&p)
	if err := p.Err(); err != nil {
		return nil, nil, err
	}
	t := func(min int) time.Time { return at(day, start+time.Duration(min)*time.Minute) }
	plan := &fabrique.Plan{Event: r.event(fabrique.EventOpenMinistry, t(0), t(165))}
	item := func(kind fabrique.ItemKind, title string, from, to int) fabrique.PlanItem {
		it := fabrique.ProgrammeItem{Kind: kind, Title: title, Start: t(from), End: t(to)}
		if kind != fabrique.ItemWorkshops {
			it.RoomID = r.PlenaryRoomID
		}
		return fabrique.PlanItem{Item: it}
	}
	slot := item(fabrique.ItemWorkshops, "Ateliers de suivi des engagements", 50, 110)
	slot.Workshops = workshops(n, capacity, func(int) string { return fabrique.PlaceholderWorkshopTitle })
	plan.Items = []fabrique.PlanItem{
		item(fabrique.ItemWelcome, "Accueil", 0, 30),
		item(fabrique.ItemOpening, "Ouverture", 30, 40),
		item(fabrique.ItemPresentation, "Présentation des engagements et de la méthodologie des ateliers", 40, 50),
		slot,
		item(fabrique.ItemReportBack, "Restitution des ateliers en plénière", 110, 130),
		item(fabrique.ItemClosing, "Clôture, suivie d'un moment convivial", 130, 165),
	}
	return []*fabrique.Plan{plan}, nil, nil
}

// forum: investigation two weeks from the start, launch (1 h 30, 18:00)
// in the third week, forum (3 h, 14:00) in the fourth, then two to four weeks
// of deepening: about six weeks. Launch and forum fall on working days.
func (r FormatRequest) forum(start time.Time) ([]*fabrique.Plan, *fabrique.Series, error) {
	var p fabrique.Problems
	n := r.workshopCount(&p, 3, fabrique.MinForumWorkshops, fabrique.MaxForumWorkshops)
	capacity := r.capacity(&p)
	weeks := r.DeepeningWeeks
	if weeks == 0 {
		weeks = 2
	}
	p.Range("deepening_weeks", weeks, 2, 4)
	if len(r.SpeakerIDs) > fabrique.MaxLaunchSpeakers {
		p.Add("speaker_ids", "la table ronde de lancement réunit %d intervenants au plus", fabrique.MaxLaunchSpeakers)
	}
	if err := p.Err(); err != nil {
		return nil, nil, err
	}
	invEnd := start.AddDate(0, 0, 11)
	launchDay := NextProposableDay(start.AddDate(0, 0, 15))
	forumDay := NextProposableDay(start.AddDate(0, 0, 24))
	deepStart := NextWorkingDay(forumDay.AddDate(0, 0, 1))
	deepEnd := forumDay.AddDate(0, 0, 7*weeks)
	online := r.LaunchOnline == nil || *r.LaunchOnline
	plan := &fabrique.Plan{Event: r.event(fabrique.EventForum, at(start, hm(9, 0)), at(deepEnd, hm(18, 0)))}
	plan.Phases = []fabrique.Phase{
		{Kind: fabrique.PhaseInvestigation, Start: at(start, hm(9, 0)), End: at(invEnd, hm(18, 0)), Notes: "Cartographier les enjeux et la communauté d'acteurs à mobiliser (cinq partenaires institutionnels, cinq partenaires externes)."},
		{Kind: fabrique.PhaseLaunch, Start: at(launchDay, hm(18, 0)), End: at(launchDay, hm(19, 30)), Online: online},
		{Kind: fabrique.PhaseForum, Start: at(forumDay, hm(14, 0)), End: at(forumDay, hm(17, 0))},
		{Kind: fabrique.PhaseDeepening, Start: at(deepStart, hm(9, 0)), End: at(deepEnd, hm(18, 0)), Notes: "Instruire l'engagement et y rallier tous les acteurs intéressés."},
	}
	f := func(h, m int) time.Time { return at(forumDay, hm(h, m)) }
	slot := fabrique.PlanItem{Phase: fabrique.PhaseForum, Item: fabrique.ProgrammeItem{Kind: fabrique.ItemWorkshops, Title: "Temps 2 : ateliers", Start: f(14, 45), End: f(16, 15)}}
	slot.Workshops = workshops(n, capacity, func(i int) string {
		if i == 1 {
			return "Controverses"
		}
		return "Pistes d'engagement"
	})
	slot.Workshops[0].Controversy = true
	plan.Items = []fabrique.PlanItem{
		{Phase: fabrique.PhaseLaunch, Item: fabrique.ProgrammeItem{Kind: fabrique.ItemRoundTable, Title: "Table ronde de lancement", Start: plan.Phases[1].Start, End: plan.Phases[1].End, Online: online, SpeakerIDs: r.SpeakerIDs}},
		{Phase: fabrique.PhaseForum, Item: fabrique.ProgrammeItem{Kind: fabrique.ItemRestitution, Title: "Temps 1 : restitution de l'investigation", Start: f(14, 0), End: f(14, 45), RoomID: r.PlenaryRoomID}},
		slot,
		{Phase: fabrique.PhaseForum, Item: fabrique.ProgrammeItem{Kind: fabrique.ItemPropulsion, Title: "Temps 3 : propulsion", Start: f(16, 15), End: f(17, 0), RoomID: r.PlenaryRoomID}},
	}
	return []*fabrique.Plan{plan}, nil, nil
}

// simpleWorkshop: DITP's standard outline of a workshop of 2 h (14:00 by
// default): welcome and round of introductions, presentation of the subject,
// work in one workshop, synthesis and next steps. A relay workshop, organised
// by a third party in another city, has the same outline.
func (r FormatRequest) simpleWorkshop(day time.Time, start time.Duration) ([]*fabrique.Plan, *fabrique.Series, error) {
	var p fabrique.Problems
	capacity := r.capacity(&p)
	if err := p.Err(); err != nil {
		return nil, nil, err
	}
	if start == 0 {
		start = hm(14, 0)
	}
	t := func(min int) time.Time { return at(day, start+time.Duration(min)*time.Minute) }
	plan := &fabrique.Plan{Event: r.event(r.Format, t(0), t(120))}
	room := r.PlenaryRoomID
	title := "Atelier"
	if r.Title != "" {
		title = r.Title
	}
	plan.Items = []fabrique.PlanItem{
		{Item: fabrique.ProgrammeItem{Kind: fabrique.ItemWelcome, Title: "Accueil et tour de table", Start: t(0), End: t(10), RoomID: room}},
		{Item: fabrique.ProgrammeItem{Kind: fabrique.ItemPresentation, Title: "Présentation du sujet et des engagements concernés", Start: t(10), End: t(25), RoomID: room}},
		{Item: fabrique.ProgrammeItem{Kind: fabrique.ItemWorkshops, Title: "Travail en atelier", Start: t(25), End: t(100)},
			Workshops: []fabrique.Workshop{{Number: 1, Title: title, Capacity: capacity, FacilitatorsNeeded: 1, RoomID: room}}},
		{Item: fabrique.ProgrammeItem{Kind: fabrique.ItemReportBack, Title: "Synthèse et prochaines étapes", Start: t(100), End: t(120), RoomID: room}},
	}
	return []*fabrique.Plan{plan}, nil, nil
}

// progressReviews: a series of open points d'étape, one a month on the
// given weekday and week (the first Tuesday by default), in a room with
// remote access by video link. An occurrence falling on a holiday moves to
// the next working day.
func (r FormatRequest) progressReviews(from time.Time, start time.Duration) ([]*fabrique.Plan, *fabrique.Series, error) {
	var p fabrique.Problems
	weekdayName := strings.ToLower(r.Weekday)
	if weekdayName == "" {
		weekdayName = "mardi"
	}
	weekday, ok := weekdaysByName[weekdayName]
	if !ok {
		p.Add("weekday", "jour inconnu « %s » : lundi, mardi, mercredi, jeudi ou vendredi", r.Weekday)
	}
	week := r.WeekOfMonth
	if week == 0 {
		week = 1
	}
	if week != -1 && (week < 1 || week > 4) {
		p.Add("week_of_month", "1 à 4, ou -1 pour la dernière semaine du mois (reçu : %d)", r.WeekOfMonth)
	}
	count := r.Occurrences
	if count == 0 {
		count = 6
	}
	p.Range("occurrences", count, 1, 24)
	minutes := r.DurationMinutes
	if minutes == 0 {
		minutes = 90
	}
	p.Range("duration_minutes", minutes, 15, 480)
	if r.OnlineURL == "" {
		p.Add("online_url", "un point d'étape est accessible à distance : indiquez le lien de visioconférence")
	}
	if err := p.Err(); err != nil {
		return nil, nil, err
	}
	if start == 0 {
		start = hm(18, 0)
	}
	title := r.Title
	if title == "" {
		title = "Point d'étape"
	}
	byday := fmt.Sprintf("%d%s", week, strings.ToUpper(weekday.String()[:2]))
	series := &fabrique.Series{Title: title, Rule: fmt.Sprintf("FREQ=MONTHLY;BYDAY=%s;COUNT=%d", byday, count)}
	var plans []*fabrique.Plan
	month := time.Date(from.Year(), from.Month(), 1, 0, 0, 0, 0, fabrique.Paris)
	for len(plans) < count {
		day := nthWeekday(month, weekday, week)
		month = month.AddDate(0, 1, 0)
		if day.Before(from) {
			continue
		}
		moved := ""
		if next := NextProposableDay(day); !next.Equal(day) {
			moved = fmt.Sprintf(" Déplacé du %s%s.", fabrique.FrenchDate(day), holidayName(day))
			if h, ok := Bridge(day); ok {
				moved = fmt.Sprintf(" Déplacé du %s (jour de pont : %s).", fabrique.FrenchDate(day), h.Name)
			}
			day = next
		}
		r2 := r
		r2.Title = fmt.Sprintf("%s — %s %d", title, frenchMonth(day), day.Year())
		plan := &fabrique.Plan{Event: r2.event(fabrique.EventProgressReview, at(day, start), at(day, start+time.Duration(minutes)*time.Minute))}
		plan.Event.Description = "Restitution ouverte à tous, sur place et à distance par visioconférence." + moved
		plan.Items = []fabrique.PlanItem{{Item: fabrique.ProgrammeItem{Kind: fabrique.ItemPresentation, Title: "Point d'étape ouvert à tous",
			Start: plan.Event.Start, End: plan.Event.End, RoomID: r.PlenaryRoomID}}}
		plans = append(plans, plan)
	}
	return plans, series, nil
}

// nthWeekday returns the n-th (or last, n = -1) weekday of a month.
func nthWeekday(month time.Time, wd time.Weekday, n int) time.Time {
	if n == -1 {
		last := month.AddDate(0, 1, -1)
		return last.AddDate(0, 0, -((int(last.Weekday()) - int(wd) + 7) % 7))
	}
	first := month.AddDate(0, 0, (int(wd)-int(month.Weekday())+7)%7)
	return first.AddDate(0, 0, 7*(n-1))
}

func frenchMonth(t time.Time) string {
	s := fabrique.FrenchDate(t) // « mardi 5 janvier 2027 »
	parts := strings.Fields(s)
	return parts[2]
}
