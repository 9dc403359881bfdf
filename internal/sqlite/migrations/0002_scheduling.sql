-- Scheduling (issue 3): facilitators needed per workshop, series of
-- recurring events (points d'étape), relay workshops attached to a parent
-- event's programme, and the exceptions that waive a planning rule.

ALTER TABLE workshops ADD COLUMN facilitators_needed INTEGER NOT NULL DEFAULT 1;

CREATE TABLE event_series (
	id         INTEGER PRIMARY KEY,
	title      TEXT NOT NULL,
	rule       TEXT NOT NULL, -- RFC 5545 RRULE, e.g. FREQ=MONTHLY;BYDAY=1TU
	created_at TEXT NOT NULL
);

ALTER TABLE events ADD COLUMN series_id INTEGER REFERENCES event_series(id);
ALTER TABLE events ADD COLUMN parent_event_id INTEGER REFERENCES events(id);
CREATE INDEX events_series ON events(series_id);
CREATE INDEX events_parent ON events(parent_event_id);

CREATE TABLE rule_exceptions (
	id         INTEGER PRIMARY KEY,
	event_id   INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
	kind       TEXT NOT NULL,
	key        TEXT NOT NULL,
	reason     TEXT NOT NULL,
	created_by TEXT NOT NULL,
	created_at TEXT NOT NULL,
	UNIQUE (event_id, key)
);
