package sqlite

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"fabrique/internal/fabrique"
)

// Store implements fabrique.Store on a DB.
type Store struct {
	db            *DB
	plans         *resource[fabrique.ActionPlan]
	commitments   *resource[fabrique.Commitment]
	organisations *resource[fabrique.Organisation]
	people        *resource[fabrique.Person]
	venues        *resource[fabrique.Venue]
	rooms         *resource[fabrique.Room]
	events        *resource[fabrique.Event]
	phases        *resource[fabrique.Phase]
	items         *resource[fabrique.ProgrammeItem]
	workshops     *resource[fabrique.Workshop]
	registrations *resource[fabrique.Registration]
	users         *UserService
}

var _ fabrique.Store = (*Store)(nil)

// ActionPlans implements fabrique.Store.
func (s *Store) ActionPlans() fabrique.Repository[fabrique.ActionPlan] { return s.plans }

// Commitments implements fabrique.Store.
func (s *Store) Commitments() fabrique.Repository[fabrique.Commitment] { return s.commitments }

// Organisations implements fabrique.Store.
func (s *Store) Organisations() fabrique.Repository[fabrique.Organisation] { return s.organisations }

// People implements fabrique.Store.
func (s *Store) People() fabrique.Repository[fabrique.Person] { return s.people }

// Venues implements fabrique.Store.
func (s *Store) Venues() fabrique.Repository[fabrique.Venue] { return s.venues }

// Rooms implements fabrique.Store.
func (s *Store) Rooms() fabrique.Repository[fabrique.Room] { return s.rooms }

// Events implements fabrique.Store.
func (s *Store) Events() fabrique.Repository[fabrique.Event] { return s.events }

// Phases implements fabrique.Store.
func (s *Store) Phases() fabrique.Repository[fabrique.Phase] { return s.phases }

// Items implements fabrique.Store.
func (s *Store) Items() fabrique.Repository[fabrique.ProgrammeItem] { return s.items }

// Workshops implements fabrique.Store.
func (s *Store) Workshops() fabrique.Repository[fabrique.Workshop] { return s.workshops }

// Registrations implements fabrique.Store.
func (s *Store) Registrations() fabrique.Repository[fabrique.Registration] { return s.registrations }

// Users implements fabrique.Store.
func (s *Store) Users() fabrique.UserService { return s.users }

// Ping implements fabrique.Store.
func (s *Store) Ping(ctx context.Context) error { return s.db.Ping(ctx) }

// DB returns the underlying database.
func (s *Store) DB() *DB { return s.db }

// Meta implements fabrique.Store.
func (s *Store) Meta(ctx context.Context, key string) (string, error) {
	var v string
	err := s.db.inReadTx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, key).Scan(&v)
		if err == sql.ErrNoRows {
			return nil
		}
		return err
	})
	return v, err
}

// SetMeta implements fabrique.Store.
func (s *Store) SetMeta(ctx context.Context, key, value string) error {
	return s.db.inTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
		return err
	})
}

func stamps(id *int64, c, u *time.Time) (*int64, *time.Time, *time.Time) { return id, c, u }

// NewStore describes every entity's storage on db.
func NewStore(db *DB) *Store {
	s := &Store{db: db, users: &UserService{db: db}}
	public := func(*fabrique.User) (string, []any, error) { return "", nil, nil }

	s.plans = &resource[fabrique.ActionPlan]{
		db: db, table: "action_plans", label: "le plan d'action",
		cols:   []string{"title", "period_start", "period_end"},
		values: func(v *fabrique.ActionPlan) []any { return []any{v.Title, v.PeriodStart, v.PeriodEnd} },
		scan:   func(v *fabrique.ActionPlan) []any { return []any{&v.Title, &v.PeriodStart, &v.PeriodEnd} },
		meta: func(v *fabrique.ActionPlan) (*int64, *time.Time, *time.Time) {
			return stamps(&v.ID, &v.CreatedAt, &v.UpdatedAt)
		},
		order:    "t.period_start, t.id",
		filters:  map[string]filter{"q": {column: "title", kind: filterLike}},
		children: []childRef{{"commitments", "plan_id", "engagement|engagements"}},
		visible:  public,
		canWrite: adminWrites[fabrique.ActionPlan]("modifier les plans d'action"),
	}

	s.organisations = &resource[fabrique.Organisation]{
		db: db, table: "organisations", label: "l'organisation",
		cols: []string{"name", "acronym", "kind", "contact_name", "contact_email", "website", "trusted"},
		values: func(v *fabrique.Organisation) []any {
			return []any{v.Name, v.Acronym, v.Kind, v.ContactName, v.ContactEmail, v.Website, v.Trusted}
		},
		scan: func(v *fabrique.Organisation) []any {
			return []any{&v.Name, &v.Acronym, &v.Kind, &v.ContactName, &v.ContactEmail, &v.Website, &v.Trusted}
		},
		meta: func(v *fabrique.Organisation) (*int64, *time.Time, *time.Time) {
			return stamps(&v.ID, &v.CreatedAt, &v.UpdatedAt)
		},
		order:   "t.name, t.id",
		filters: map[string]filter{"kind": {column: "kind"}, "q": {column: "name", kind: filterLike}},
		children: []childRef{
			{"commitment_carriers", "organisation_id", "engagement porté|engagements portés"}, {"people", "organisation_id", "personne|personnes"},
			{"venues", "host_organisation_id", "lieu|lieux"}, {"events", "host_organisation_id", "événement|événements"}, {"users", "organisation_id", "compte|comptes"},
		},
		visible:  public,
		canWrite: adminWrites[fabrique.Organisation]("modifier les organisations"),
	}

	s.commitments = &resource[fabrique.Commitment]{
		db: db, table: "commitments", label: "l'engagement",
		cols: []string{"plan_id", "number", "title", "kind", "parent_id", "principles", "status", "description"},
		values: func(v *fabrique.Commitment) []any {
			return []any{v.PlanID, v.Number, v.Title, v.Kind, v.ParentID, jsonList(v.Principles), v.Status, v.Description}
		},
		scan: func(v *fabrique.Commitment) []any {
			return []any{&v.PlanID, &v.Number, &v.Title, &v.Kind, &v.ParentID, jsonScan[fabrique.Principle]{&v.Principles}, &v.Status, &v.Description}
		},
		meta: func(v *fabrique.Commitment) (*int64, *time.Time, *time.Time) {
			return stamps(&v.ID, &v.CreatedAt, &v.UpdatedAt)
		},
		order: "t.plan_id, CAST(t.number AS REAL), t.number, t.id",
		filters: map[string]filter{
			"plan_id": {column: "plan_id", kind: filterID}, "kind": {column: "kind"}, "status": {column: "status"},
			"parent_id": {column: "parent_id", kind: filterID}, "number": {column: "number"}, "q": {column: "title", kind: filterLike},
			"carrier_id": {kind: filterSQL, where: "t.id IN (SELECT commitment_id FROM commitment_carriers WHERE organisation_id = ?)"},
		},
		parents: func(v *fabrique.Commitment) []parentRef {
			return []parentRef{{"plan_id", "action_plans", "le plan d'action", &v.PlanID}, {"parent_id", "commitments", "l'engagement", v.ParentID}}
		},
		children: []childRef{{"commitments", "parent_id", "action rattachée|actions rattachées"}, {"workshop_commitments", "commitment_id", "atelier|ateliers"}},
		joins: []joinList[fabrique.Commitment]{{
			table: "commitment_carriers", owner: "commitment_id", other: "organisation_id", refTable: "organisations",
			field: "carrier_ids", label: "l'organisation", ids: func(v *fabrique.Commitment) *[]int64 { return &v.CarrierIDs },
		}},
		visible:  public,
		canWrite: adminWrites[fabrique.Commitment]("modifier les engagements"),
		check:    checkCommitment,
	}

	s.people = &resource[fabrique.Person]{
		db: db, table: "people", label: "la personne",
		cols: []string{"name", "email", "organisation_id", "category", "role", "topics", "availability", "kind", "owner_organisation_id"},
		values: func(v *fabrique.Person) []any {
			return []any{v.Name, v.Email, v.OrganisationID, v.Category, v.Role, jsonList(v.Topics), jsonList(v.Availability), v.Kind, v.OwnerOrganisationID}
		},
		scan: func(v *fabrique.Person) []any {
			return []any{&v.Name, &v.Email, &v.OrganisationID, &v.Category, &v.Role, jsonScan[string]{&v.Topics}, jsonScan[fabrique.Window]{&v.Availability}, &v.Kind, &v.OwnerOrganisationID}
		},
		meta: func(v *fabrique.Person) (*int64, *time.Time, *time.Time) {
			return stamps(&v.ID, &v.CreatedAt, &v.UpdatedAt)
		},
		order: "t.name, t.id",
		filters: map[string]filter{
			"organisation_id": {column: "organisation_id", kind: filterID}, "category": {column: "category"},
			"email": {column: "email", private: true}, "q": {column: "name", kind: filterLike}, "kind": {column: "kind"},
		},
		parents: func(v *fabrique.Person) []parentRef {
			return []parentRef{{"organisation_id", "organisations", "l'organisation", v.OrganisationID},
				{"owner_organisation_id", "organisations", "l'organisation", v.OwnerOrganisationID}}
		},
		children: []childRef{
			{"item_speakers", "person_id", "intervention|interventions"}, {"workshop_facilitators", "person_id", "animation d'atelier|animations d'atelier"},
			{"registrations", "person_id", "inscription|inscriptions"}, {"users", "person_id", "compte|comptes"},
		},
		visible:  visiblePeople,
		readable: readablePeople,
		present:  presentPerson,
		canWrite: writePeople,
		afterUpdate: func(ctx context.Context, tx *sql.Tx, old, v *fabrique.Person) error {
			return db.readdress(ctx, tx, v.ID, old.Email, old.Name, v.Email) // address.go
		},
	}

	s.venues = &resource[fabrique.Venue]{
		db: db, table: "venues", label: "le lieu",
		cols: []string{"name", "address", "city", "host_organisation_id", "access_notes"},
		values: func(v *fabrique.Venue) []any {
			return []any{v.Name, v.Address, v.City, v.HostOrganisationID, v.AccessNotes}
		},
		scan: func(v *fabrique.Venue) []any {
			return []any{&v.Name, &v.Address, &v.City, &v.HostOrganisationID, &v.AccessNotes}
		},
		meta: func(v *fabrique.Venue) (*int64, *time.Time, *time.Time) {
			return stamps(&v.ID, &v.CreatedAt, &v.UpdatedAt)
		},
		order: "t.name, t.id",
		filters: map[string]filter{
			"host_organisation_id": {column: "host_organisation_id", kind: filterID}, "city": {column: "city"}, "q": {column: "name", kind: filterLike},
		},
		parents: func(v *fabrique.Venue) []parentRef {
			return []parentRef{{"host_organisation_id", "organisations", "l'organisation", v.HostOrganisationID}}
		},
		children: []childRef{{"rooms", "venue_id", "salle|salles"}, {"events", "venue_id", "événement|événements"}},
		visible:  public,
		canWrite: writeVenue,
	}

	s.rooms = &resource[fabrique.Room]{
		db: db, table: "rooms", label: "la salle",
		cols: []string{"venue_id", "name", "capacity", "step_free", "equipment"},
		values: func(v *fabrique.Room) []any {
			return []any{v.VenueID, v.Name, v.Capacity, v.StepFree, jsonList(v.Equipment)}
		},
		scan: func(v *fabrique.Room) []any {
			return []any{&v.VenueID, &v.Name, &v.Capacity, &v.StepFree, jsonScan[string]{&v.Equipment}}
		},
		meta: func(v *fabrique.Room) (*int64, *time.Time, *time.Time) {
			return stamps(&v.ID, &v.CreatedAt, &v.UpdatedAt)
		},
		order: "t.venue_id, t.name, t.id",
		filters: map[string]filter{
			"venue_id": {column: "venue_id", kind: filterID}, "step_free": {column: "step_free", kind: filterBool},
			"min_capacity": {kind: filterSQL, where: "t.capacity >= ?"},
		},
		parents: func(v *fabrique.Room) []parentRef {
			return []parentRef{{"venue_id", "venues", "le lieu", &v.VenueID}}
		},
		children: []childRef{{"programme_items", "room_id", "élément de programme|éléments de programme"}, {"workshops", "room_id", "atelier|ateliers"}},
		visible:  public,
		canWrite: writeRoom,
	}

	s.events = &resource[fabrique.Event]{
		db: db, table: "events", label: "l'événement",
		cols: []string{"kind", "title", "theme", "description", "host_organisation_id", "status", "venue_id", "online_url", "start_at", "end_at", "capacity", "series_id", "parent_event_id"},
		values: func(v *fabrique.Event) []any {
			return []any{v.Kind, v.Title, v.Theme, v.Description, v.HostOrganisationID, v.Status, v.VenueID, v.OnlineURL, ts(v.Start), ts(v.End), v.Capacity, v.SeriesID, v.ParentEventID}
		},
		scan: func(v *fabrique.Event) []any {
			return []any{&v.Kind, &v.Title, &v.Theme, &v.Description, &v.HostOrganisationID, &v.Status, &v.VenueID, &v.OnlineURL, instant{&v.Start}, instant{&v.End}, &v.Capacity, &v.SeriesID, &v.ParentEventID}
		},
		meta: func(v *fabrique.Event) (*int64, *time.Time, *time.Time) {
			return stamps(&v.ID, &v.CreatedAt, &v.UpdatedAt)
		},
		order: "t.start_at, t.id",
		filters: map[string]filter{
			"kind": {column: "kind"}, "status": {column: "status"}, "host_organisation_id": {column: "host_organisation_id", kind: filterID},
			"venue_id": {column: "venue_id", kind: filterID}, "q": {column: "title", kind: filterLike}, "theme": {column: "theme", kind: filterLike},
			"from": {column: "end_at", kind: filterAfter}, "to": {column: "start_at", kind: filterUpTo},
			"series_id": {column: "series_id", kind: filterID}, "parent_event_id": {column: "parent_event_id", kind: filterID},
		},
		parents: func(v *fabrique.Event) []parentRef {
			return []parentRef{{"host_organisation_id", "organisations", "l'organisation", &v.HostOrganisationID}, {"venue_id", "venues", "le lieu", v.VenueID},
				{"series_id", "event_series", "la série", v.SeriesID}, {"parent_event_id", "events", "l'événement", v.ParentEventID}}
		},
		children: []childRef{{"registrations", "event_id", "inscription|inscriptions"}, {"events", "parent_event_id", "atelier-relais|ateliers-relais"}},
		visible: func(u *fabrique.User) (string, []any, error) {
			c, a := eventVisible("t", u)
			return c, a, nil
		},
		canWrite: writeEvent,
	}
	sched := &Scheduling{s: s}
	s.events.beforeUpdate = func(ctx context.Context, tx *sql.Tx, old, v *fabrique.Event) error {
		if err := declarationGate(ctx, tx, old, v); err != nil { // declarations.go: DITP accepts first
			return err
		}
		if err := shiftProgramme(ctx, tx, old, v); err != nil { // event_shift.go: the programme moves with the start
			return err
		}
		return sched.publishCheck(ctx, tx, old, v)
	}
	s.events.check = func(ctx context.Context, tx *sql.Tx, v *fabrique.Event) error {
		if v.ID == 0 { // created directly as published
			if err := declarationGate(ctx, tx, nil, v); err != nil {
				return err
			}
			return sched.publishCheck(ctx, tx, nil, v)
		}
		return nil
	}

	s.phases = &resource[fabrique.Phase]{
		db: db, table: "phases", label: "la phase",
		cols: []string{"event_id", "kind", "start_at", "end_at", "online", "notes"},
		values: func(v *fabrique.Phase) []any {
			return []any{v.EventID, v.Kind, ts(v.Start), ts(v.End), v.Online, v.Notes}
		},
		scan: func(v *fabrique.Phase) []any {
			return []any{&v.EventID, &v.Kind, instant{&v.Start}, instant{&v.End}, &v.Online, &v.Notes}
		},
		meta: func(v *fabrique.Phase) (*int64, *time.Time, *time.Time) {
			return stamps(&v.ID, &v.CreatedAt, &v.UpdatedAt)
		},
		order:   "t.event_id, t.start_at, t.id",
		filters: map[string]filter{"event_id": {column: "event_id", kind: filterID}, "kind": {column: "kind"}},
		parents: func(v *fabrique.Phase) []parentRef {
			return []parentRef{{"event_id", "events", "l'événement", &v.EventID}}
		},
		children: []childRef{{"programme_items", "phase_id", "élément de programme|éléments de programme"}},
		visible:  visibleThroughEvent,
		canWrite: eventScoped("modifier les phases", func(v *fabrique.Phase) int64 { return v.EventID }),
		check:    checkPhase,
	}

	s.items = &resource[fabrique.ProgrammeItem]{
		db: db, table: "programme_items", label: "l'élément de programme",
		cols: []string{"event_id", "phase_id", "kind", "title", "description", "start_at", "end_at", "room_id", "online"},
		values: func(v *fabrique.ProgrammeItem) []any {
			return []any{v.EventID, v.PhaseID, v.Kind, v.Title, v.Description, ts(v.Start), ts(v.End), v.RoomID, v.Online}
		},
		scan: func(v *fabrique.ProgrammeItem) []any {
			return []any{&v.EventID, &v.PhaseID, &v.Kind, &v.Title, &v.Description, instant{&v.Start}, instant{&v.End}, &v.RoomID, &v.Online}
		},
		meta: func(v *fabrique.ProgrammeItem) (*int64, *time.Time, *time.Time) {
			return stamps(&v.ID, &v.CreatedAt, &v.UpdatedAt)
		},
		order: "t.event_id, t.start_at, t.id",
		filters: map[string]filter{
			"event_id": {column: "event_id", kind: filterID}, "phase_id": {column: "phase_id", kind: filterID},
			"kind": {column: "kind"}, "room_id": {column: "room_id", kind: filterID},
		},
		parents: func(v *fabrique.ProgrammeItem) []parentRef {
			return []parentRef{{"event_id", "events", "l'événement", &v.EventID}, {"phase_id", "phases", "la phase", v.PhaseID}, {"room_id", "rooms", "la salle", v.RoomID}}
		},
		children: []childRef{{"workshops", "item_id", "atelier|ateliers"}},
		joins: []joinList[fabrique.ProgrammeItem]{{
			table: "item_speakers", owner: "item_id", other: "person_id", refTable: "people",
			field: "speaker_ids", label: "la personne", ids: func(v *fabrique.ProgrammeItem) *[]int64 { return &v.SpeakerIDs },
		}},
		visible: visibleThroughEvent,
		canWrite: eventScopedRooms("modifier le programme", func(v *fabrique.ProgrammeItem) int64 { return v.EventID },
			func(v *fabrique.ProgrammeItem) *int64 { return v.RoomID }, "speaker_ids", func(v *fabrique.ProgrammeItem) []int64 { return v.SpeakerIDs }),
		check: checkItem,
	}

	s.workshops = &resource[fabrique.Workshop]{
		db: db, table: "workshops", label: "l'atelier",
		cols: []string{"event_id", "item_id", "number", "title", "description", "room_id", "capacity", "controversy", "facilitators_needed"},
		values: func(v *fabrique.Workshop) []any {
			return []any{v.EventID, v.ItemID, v.Number, v.Title, v.Description, v.RoomID, v.Capacity, v.Controversy, v.FacilitatorsNeeded}
		},
		scan: func(v *fabrique.Workshop) []any {
			return []any{&v.EventID, &v.ItemID, &v.Number, &v.Title, &v.Description, &v.RoomID, &v.Capacity, &v.Controversy, &v.FacilitatorsNeeded}
		},
		meta: func(v *fabrique.Workshop) (*int64, *time.Time, *time.Time) {
			return stamps(&v.ID, &v.CreatedAt, &v.UpdatedAt)
		},
		order: "t.event_id, t.number, t.id",
		filters: map[string]filter{
			"event_id": {column: "event_id", kind: filterID}, "item_id": {column: "item_id", kind: filterID},
			"room_id": {column: "room_id", kind: filterID}, "controversy": {column: "controversy", kind: filterBool},
			"facilitator_id": {kind: filterSQL, where: "t.id IN (SELECT workshop_id FROM workshop_facilitators WHERE person_id = ?)"},
			"commitment_id":  {kind: filterSQL, where: "t.id IN (SELECT workshop_id FROM workshop_commitments WHERE commitment_id = ?)"},
		},
		parents: func(v *fabrique.Workshop) []parentRef {
			return []parentRef{{"event_id", "events", "l'événement", &v.EventID}, {"item_id", "programme_items", "l'élément de programme", &v.ItemID}, {"room_id", "rooms", "la salle", v.RoomID}}
		},
		children: []childRef{{"registrations", "workshop_id", "inscription|inscriptions"}},
		joins: []joinList[fabrique.Workshop]{
			{table: "workshop_facilitators", owner: "workshop_id", other: "person_id", refTable: "people",
				field: "facilitator_ids", label: "la personne", ids: func(v *fabrique.Workshop) *[]int64 { return &v.FacilitatorIDs }},
			{table: "workshop_commitments", owner: "workshop_id", other: "commitment_id", refTable: "commitments",
				field: "commitment_ids", label: "l'engagement", ids: func(v *fabrique.Workshop) *[]int64 { return &v.CommitmentIDs }},
		},
		visible: visibleThroughEvent,
		canWrite: eventScopedRooms("modifier les ateliers", func(v *fabrique.Workshop) int64 { return v.EventID },
			func(v *fabrique.Workshop) *int64 { return v.RoomID }, "facilitator_ids", func(v *fabrique.Workshop) []int64 { return v.FacilitatorIDs }),
		check: checkWorkshop,
	}

	s.registrations = &resource[fabrique.Registration]{
		db: db, table: "registrations", label: "l'inscription",
		cols: []string{"event_id", "workshop_id", "person_id", "status", "choices", "consent", "organisation_name"},
		values: func(v *fabrique.Registration) []any {
			return []any{v.EventID, v.WorkshopID, v.PersonID, v.Status, jsonList(v.Choices), v.Consent, strings.TrimSpace(v.Organisation)}
		},
		scan: func(v *fabrique.Registration) []any {
			return []any{&v.EventID, &v.WorkshopID, &v.PersonID, &v.Status, jsonScan[int64]{&v.Choices}, &v.Consent, &v.Organisation}
		},
		meta: func(v *fabrique.Registration) (*int64, *time.Time, *time.Time) {
			return stamps(&v.ID, &v.CreatedAt, &v.UpdatedAt)
		},
		order: "t.event_id, t.created_at, t.id",
		filters: map[string]filter{
			"event_id": {column: "event_id", kind: filterID}, "workshop_id": {column: "workshop_id", kind: filterID},
			"person_id": {column: "person_id", kind: filterID}, "status": {column: "status"},
		},
		parents: func(v *fabrique.Registration) []parentRef {
			return []parentRef{{"event_id", "events", "l'événement", &v.EventID}, {"workshop_id", "workshops", "l'atelier", v.WorkshopID}, {"person_id", "people", "la personne", &v.PersonID}}
		},
		visible:  visibleRegistrations,
		canWrite: writeRegistration,
		check:    checkRegistration,
	}
	s.watchChanges() // issue 4: changes of time or place queue the updated invitations
	return s
}
