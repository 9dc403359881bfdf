-- Web sessions of staff accounts (issue 6) and the community map of a
-- forum's investigation phase: the partners to mobilise.

-- A session id is a random secret held in an HttpOnly cookie; only its
-- SHA-256 hash is stored. Signing out deletes the row.
CREATE TABLE web_sessions (
	id         INTEGER PRIMARY KEY,
	user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	hash       TEXT NOT NULL UNIQUE,
	created_at TEXT NOT NULL,
	expires_at TEXT NOT NULL
);
CREATE INDEX web_sessions_user ON web_sessions(user_id);
CREATE INDEX web_sessions_expiry ON web_sessions(expires_at);

-- Organisations or people a forum means to mobilise, by kind; the method
-- asks for five institutional and five external partners.
CREATE TABLE event_partners (
	id         INTEGER PRIMARY KEY,
	event_id   INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
	name       TEXT NOT NULL,
	kind       TEXT NOT NULL,
	contact    TEXT NOT NULL DEFAULT '',
	status     TEXT NOT NULL,
	notes      TEXT NOT NULL DEFAULT '',
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	UNIQUE (event_id, name)
);
CREATE INDEX event_partners_event ON event_partners(event_id);
