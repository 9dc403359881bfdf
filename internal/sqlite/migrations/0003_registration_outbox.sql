-- Registration, waiting lists and the outbox of messages (issue 4).

-- What a public registration adds to a registration.
ALTER TABLE registrations ADD COLUMN organisation_name TEXT NOT NULL DEFAULT '';
ALTER TABLE registrations ADD COLUMN queue_seq INTEGER NOT NULL DEFAULT 0; -- order of arrival on the waiting list
ALTER TABLE registrations ADD COLUMN consent_at TEXT;                       -- when the person agreed
ALTER TABLE registrations ADD COLUMN consent_text TEXT NOT NULL DEFAULT ''; -- what they agreed to
CREATE INDEX registrations_queue ON registrations(event_id, status, queue_seq);

-- Registration rules of an event; an event without a row allocates first come, first served.
CREATE TABLE registration_settings (
	event_id     INTEGER PRIMARY KEY REFERENCES events(id) ON DELETE CASCADE,
	allocation   TEXT NOT NULL DEFAULT 'first_come',
	closes_at    TEXT,
	review       INTEGER NOT NULL DEFAULT 0,
	allocated_at TEXT,
	updated_at   TEXT NOT NULL
);

-- Private links of participants (a registration may have several: each
-- message carries a new one). Only the SHA-256 of the token is kept.
CREATE TABLE participant_tokens (
	hash            TEXT PRIMARY KEY,
	registration_id INTEGER NOT NULL REFERENCES registrations(id) ON DELETE CASCADE,
	created_at      TEXT NOT NULL
);
CREATE INDEX participant_tokens_registration ON participant_tokens(registration_id);

-- Private calendar feeds of facilitators.
CREATE TABLE feed_tokens (
	hash       TEXT PRIMARY KEY,
	person_id  INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
	created_at TEXT NOT NULL
);

-- The SEQUENCE of each calendar item (event-12, phase-4), raised on every
-- change of its time or place.
CREATE TABLE calendar_items (
	key      TEXT PRIMARY KEY,
	event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
	sequence INTEGER NOT NULL DEFAULT 0
);

-- A participant's copy of a calendar item: its stable UID, the last
-- SEQUENCE sent, and whether their calendar holds it (REQUEST sent, no CANCEL since).
CREATE TABLE calendar_copies (
	registration_id INTEGER NOT NULL REFERENCES registrations(id) ON DELETE CASCADE,
	item_key        TEXT NOT NULL,
	uid             TEXT NOT NULL UNIQUE,
	sequence        INTEGER NOT NULL,
	invited         INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (registration_id, item_key)
);

-- Every message, written in the transaction of the change causing it.
CREATE TABLE outbox (
	id              INTEGER PRIMARY KEY,
	event_id        INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
	registration_id INTEGER REFERENCES registrations(id) ON DELETE SET NULL,
	recipient       TEXT NOT NULL,
	recipient_name  TEXT NOT NULL DEFAULT '',
	item_uid        TEXT NOT NULL,
	sequence        INTEGER NOT NULL,
	method          TEXT NOT NULL, -- REQUEST, CANCEL, NOTICE
	kind            TEXT NOT NULL,
	payload         TEXT NOT NULL, -- JSON snapshot of what the message tells
	link_token      TEXT NOT NULL DEFAULT '', -- the participant's token, until sent
	state           TEXT NOT NULL,
	batch           TEXT NOT NULL DEFAULT '',
	attempts        INTEGER NOT NULL DEFAULT 0,
	next_attempt_at TEXT NOT NULL, -- UTC, fixed-width microseconds: compared as text
	lease_until     TEXT,
	last_error      TEXT NOT NULL DEFAULT '',
	smtp_reply      TEXT NOT NULL DEFAULT '',
	created_at      TEXT NOT NULL,
	updated_at      TEXT NOT NULL,
	sent_at         TEXT,
	UNIQUE (recipient, item_uid, sequence, method)
);
CREATE INDEX outbox_due ON outbox(state, next_attempt_at, id);
CREATE INDEX outbox_event ON outbox(event_id, state);
CREATE INDEX outbox_registration ON outbox(registration_id);

-- Names this installation in the UIDs of its calendar items.
INSERT OR IGNORE INTO meta (key, value) VALUES ('instance_id', lower(hex(randomblob(5))));
