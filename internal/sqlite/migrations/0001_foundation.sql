-- The foundation schema. Instants are TEXT in UTC, RFC 3339 with a Z
-- ("2016-06-21T16:00:00Z"); civil dates are TEXT "YYYY-MM-DD" (Europe/Paris).
-- Lists of values are JSON arrays; relations between entities are tables.

CREATE TABLE meta (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
);

CREATE TABLE organisations (
	id            INTEGER PRIMARY KEY,
	name          TEXT NOT NULL,
	acronym       TEXT NOT NULL DEFAULT '',
	kind          TEXT NOT NULL,
	contact_name  TEXT NOT NULL DEFAULT '',
	contact_email TEXT NOT NULL DEFAULT '',
	website       TEXT NOT NULL DEFAULT '',
	created_at    TEXT NOT NULL,
	updated_at    TEXT NOT NULL
);
CREATE UNIQUE INDEX organisations_name ON organisations(name);

CREATE TABLE action_plans (
	id           INTEGER PRIMARY KEY,
	title        TEXT NOT NULL,
	period_start TEXT NOT NULL,
	period_end   TEXT NOT NULL,
	created_at   TEXT NOT NULL,
	updated_at   TEXT NOT NULL
);

CREATE TABLE commitments (
	id          INTEGER PRIMARY KEY,
	plan_id     INTEGER NOT NULL REFERENCES action_plans(id),
	number      TEXT NOT NULL,
	title       TEXT NOT NULL,
	kind        TEXT NOT NULL,
	parent_id   INTEGER REFERENCES commitments(id),
	principles  TEXT NOT NULL DEFAULT '[]',
	status      TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT '',
	created_at  TEXT NOT NULL,
	updated_at  TEXT NOT NULL,
	UNIQUE (plan_id, number)
);

CREATE TABLE commitment_carriers (
	commitment_id   INTEGER NOT NULL REFERENCES commitments(id) ON DELETE CASCADE,
	organisation_id INTEGER NOT NULL REFERENCES organisations(id),
	position        INTEGER NOT NULL,
	PRIMARY KEY (commitment_id, organisation_id)
);
CREATE INDEX commitment_carriers_org ON commitment_carriers(organisation_id);

CREATE TABLE people (
	id              INTEGER PRIMARY KEY,
	name            TEXT NOT NULL,
	email           TEXT NOT NULL DEFAULT '',
	organisation_id INTEGER REFERENCES organisations(id),
	category        TEXT NOT NULL,
	role            TEXT NOT NULL DEFAULT '',
	topics          TEXT NOT NULL DEFAULT '[]',
	availability    TEXT NOT NULL DEFAULT '[]',
	created_at      TEXT NOT NULL,
	updated_at      TEXT NOT NULL
);
CREATE INDEX people_email ON people(email) WHERE email <> '';
CREATE INDEX people_org ON people(organisation_id);

CREATE TABLE venues (
	id                   INTEGER PRIMARY KEY,
	name                 TEXT NOT NULL,
	address              TEXT NOT NULL,
	city                 TEXT NOT NULL DEFAULT '',
	host_organisation_id INTEGER REFERENCES organisations(id),
	access_notes         TEXT NOT NULL DEFAULT '',
	created_at           TEXT NOT NULL,
	updated_at           TEXT NOT NULL
);

CREATE TABLE rooms (
	id         INTEGER PRIMARY KEY,
	venue_id   INTEGER NOT NULL REFERENCES venues(id),
	name       TEXT NOT NULL,
	capacity   INTEGER NOT NULL,
	step_free  INTEGER NOT NULL DEFAULT 0,
	equipment  TEXT NOT NULL DEFAULT '[]',
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	UNIQUE (venue_id, name)
);

CREATE TABLE events (
	id                   INTEGER PRIMARY KEY,
	kind                 TEXT NOT NULL,
	title                TEXT NOT NULL,
	theme                TEXT NOT NULL DEFAULT '',
	description          TEXT NOT NULL DEFAULT '',
	host_organisation_id INTEGER NOT NULL REFERENCES organisations(id),
	status               TEXT NOT NULL,
	venue_id             INTEGER REFERENCES venues(id),
	online_url           TEXT NOT NULL DEFAULT '',
	start_at             TEXT NOT NULL,
	end_at               TEXT NOT NULL,
	capacity             INTEGER NOT NULL DEFAULT 0,
	created_at           TEXT NOT NULL,
	updated_at           TEXT NOT NULL
);
CREATE INDEX events_start ON events(start_at);
CREATE INDEX events_host ON events(host_organisation_id);

CREATE TABLE phases (
	id         INTEGER PRIMARY KEY,
	event_id   INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
	kind       TEXT NOT NULL,
	start_at   TEXT NOT NULL,
	end_at     TEXT NOT NULL,
	online     INTEGER NOT NULL DEFAULT 0,
	notes      TEXT NOT NULL DEFAULT '',
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE INDEX phases_event ON phases(event_id);

CREATE TABLE programme_items (
	id          INTEGER PRIMARY KEY,
	event_id    INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
	phase_id    INTEGER REFERENCES phases(id),
	kind        TEXT NOT NULL,
	title       TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT '',
	start_at    TEXT NOT NULL,
	end_at      TEXT NOT NULL,
	room_id     INTEGER REFERENCES rooms(id),
	online      INTEGER NOT NULL DEFAULT 0,
	created_at  TEXT NOT NULL,
	updated_at  TEXT NOT NULL
);
CREATE INDEX programme_items_event ON programme_items(event_id, start_at);
CREATE INDEX programme_items_room ON programme_items(room_id);

CREATE TABLE item_speakers (
	item_id   INTEGER NOT NULL REFERENCES programme_items(id) ON DELETE CASCADE,
	person_id INTEGER NOT NULL REFERENCES people(id),
	position  INTEGER NOT NULL,
	PRIMARY KEY (item_id, person_id)
);
CREATE INDEX item_speakers_person ON item_speakers(person_id);

CREATE TABLE workshops (
	id          INTEGER PRIMARY KEY,
	event_id    INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
	item_id     INTEGER NOT NULL REFERENCES programme_items(id),
	number      INTEGER NOT NULL DEFAULT 0,
	title       TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT '',
	room_id     INTEGER REFERENCES rooms(id),
	capacity    INTEGER NOT NULL,
	controversy INTEGER NOT NULL DEFAULT 0,
	created_at  TEXT NOT NULL,
	updated_at  TEXT NOT NULL
);
CREATE INDEX workshops_event ON workshops(event_id, number);
CREATE INDEX workshops_item ON workshops(item_id);
CREATE INDEX workshops_room ON workshops(room_id);

CREATE TABLE workshop_facilitators (
	workshop_id INTEGER NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
	person_id   INTEGER NOT NULL REFERENCES people(id),
	position    INTEGER NOT NULL,
	PRIMARY KEY (workshop_id, person_id)
);
CREATE INDEX workshop_facilitators_person ON workshop_facilitators(person_id);

CREATE TABLE workshop_commitments (
	workshop_id   INTEGER NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
	commitment_id INTEGER NOT NULL REFERENCES commitments(id),
	position      INTEGER NOT NULL,
	PRIMARY KEY (workshop_id, commitment_id)
);
CREATE INDEX workshop_commitments_commitment ON workshop_commitments(commitment_id);

CREATE TABLE registrations (
	id          INTEGER PRIMARY KEY,
	event_id    INTEGER NOT NULL REFERENCES events(id),
	workshop_id INTEGER REFERENCES workshops(id),
	person_id   INTEGER NOT NULL REFERENCES people(id),
	status      TEXT NOT NULL,
	choices     TEXT NOT NULL DEFAULT '[]',
	consent     INTEGER NOT NULL DEFAULT 0,
	created_at  TEXT NOT NULL,
	updated_at  TEXT NOT NULL,
	UNIQUE (event_id, person_id)
);
CREATE INDEX registrations_workshop ON registrations(workshop_id, status);

CREATE TABLE users (
	id              INTEGER PRIMARY KEY,
	email           TEXT NOT NULL UNIQUE COLLATE NOCASE,
	name            TEXT NOT NULL,
	role            TEXT NOT NULL,
	organisation_id INTEGER REFERENCES organisations(id),
	person_id       INTEGER REFERENCES people(id),
	password_hash   TEXT NOT NULL,
	created_at      TEXT NOT NULL
);

CREATE TABLE api_tokens (
	id           INTEGER PRIMARY KEY,
	user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	hash         TEXT NOT NULL UNIQUE,
	name         TEXT NOT NULL DEFAULT '',
	created_at   TEXT NOT NULL,
	last_used_at TEXT
);
