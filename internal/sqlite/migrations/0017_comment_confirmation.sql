-- A public comment is confirmed by its author (issue 17): the email they
-- give receives a link, derived like the private links and never stored;
-- until they follow it, the comment is neither moderated nor published.
-- Comments written before this migration count as confirmed.
ALTER TABLE comments ADD COLUMN confirmed_at TEXT;
UPDATE comments SET confirmed_at = created_at;

-- The confirmation of a comment concerns no event: the outbox's event_id
-- becomes optional (NULL: a message of the follow-up, seen by
-- administrators only). SQLite cannot drop a NOT NULL: the table is
-- rebuilt with the same columns, its rows, indexes and the journal of the
-- worker's attempts (which dropping the old table deletes by cascade).
CREATE TABLE outbox_new (
	id              INTEGER PRIMARY KEY,
	event_id        INTEGER REFERENCES events(id) ON DELETE CASCADE,
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
	link_version    INTEGER NOT NULL DEFAULT 0,
	UNIQUE (recipient, item_uid, sequence, method)
);
INSERT INTO outbox_new (id, event_id, registration_id, recipient, recipient_name, item_uid, sequence, method, kind, payload, link_token, state,
		batch, attempts, next_attempt_at, lease_until, last_error, smtp_reply, created_at, updated_at, sent_at, link_version)
	SELECT id, event_id, registration_id, recipient, recipient_name, item_uid, sequence, method, kind, payload, link_token, state,
		batch, attempts, next_attempt_at, lease_until, last_error, smtp_reply, created_at, updated_at, sent_at, link_version FROM outbox;
CREATE TEMP TABLE kept_attempts AS SELECT * FROM outbox_attempts;
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX outbox_due ON outbox(state, next_attempt_at, id);
CREATE INDEX outbox_event ON outbox(event_id, state);
CREATE INDEX outbox_registration ON outbox(registration_id);
INSERT INTO outbox_attempts SELECT * FROM temp.kept_attempts;
DROP TABLE temp.kept_attempts;
