-- Contributions gathered in workshops, and the minutes of workshops and
-- events (issue 5). A contribution refers to its workshop without cascade:
-- deleting a workshop that has contributions is refused.

CREATE TABLE contributions (
	id              INTEGER PRIMARY KEY,
	workshop_id     INTEGER NOT NULL REFERENCES workshops(id),
	category        TEXT NOT NULL,
	text            TEXT NOT NULL,
	author          TEXT NOT NULL DEFAULT '',
	person_id       INTEGER REFERENCES people(id),
	organisation_id INTEGER REFERENCES organisations(id),
	consent         INTEGER NOT NULL DEFAULT 0,
	publishable     INTEGER NOT NULL DEFAULT 0,
	created_by      INTEGER REFERENCES users(id) ON DELETE SET NULL,
	created_at      TEXT NOT NULL
);
CREATE INDEX contributions_workshop ON contributions(workshop_id, id);
CREATE INDEX contributions_person ON contributions(person_id);
CREATE INDEX contributions_organisation ON contributions(organisation_id);

CREATE TABLE workshop_minutes (
	workshop_id  INTEGER PRIMARY KEY REFERENCES workshops(id) ON DELETE CASCADE,
	summary      TEXT NOT NULL DEFAULT '',
	state        TEXT NOT NULL DEFAULT 'draft',
	approved_by  INTEGER REFERENCES users(id) ON DELETE SET NULL,
	approved_at  TEXT,
	published_at TEXT,
	updated_at   TEXT NOT NULL
);

CREATE TABLE event_minutes (
	event_id     INTEGER PRIMARY KEY REFERENCES events(id) ON DELETE CASCADE,
	report_back  TEXT NOT NULL DEFAULT '',
	state        TEXT NOT NULL DEFAULT 'draft',
	published_at TEXT,
	updated_at   TEXT NOT NULL
);
