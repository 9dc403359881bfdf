-- The follow-up of commitments (issue 17): every change of status with its
-- justification, milestones, indicators and their measurements, the
-- moderation setting of a plan, consultation windows, comments and the
-- carriers' answers, and the participants who asked to be told of changes.

CREATE TABLE commitment_status_changes (
	id            INTEGER PRIMARY KEY,
	commitment_id INTEGER NOT NULL REFERENCES commitments(id) ON DELETE CASCADE,
	from_status   TEXT NOT NULL,
	to_status     TEXT NOT NULL,
	justification TEXT NOT NULL DEFAULT '',
	changed_by    TEXT NOT NULL DEFAULT '',
	user_id       INTEGER REFERENCES users(id) ON DELETE SET NULL,
	changed_at    TEXT NOT NULL
);
CREATE INDEX commitment_status_changes_commitment ON commitment_status_changes(commitment_id, id);

-- A status changed by the commitment's own form (not through the follow-up)
-- is kept too, without justification.
CREATE TRIGGER commitment_status_kept AFTER UPDATE OF status ON commitments
WHEN OLD.status IS NOT NEW.status
	AND (SELECT to_status FROM commitment_status_changes WHERE commitment_id = NEW.id ORDER BY id DESC LIMIT 1) IS NOT NEW.status
BEGIN
	INSERT INTO commitment_status_changes (commitment_id, from_status, to_status, justification, changed_by, changed_at)
	VALUES (NEW.id, OLD.status, NEW.status, '', 'fiche de l''engagement', strftime('%Y-%m-%dT%H:%M:%SZ', 'now'));
END;

CREATE TABLE milestones (
	id            INTEGER PRIMARY KEY,
	commitment_id INTEGER NOT NULL REFERENCES commitments(id) ON DELETE CASCADE,
	title         TEXT NOT NULL,
	due           TEXT NOT NULL,
	done_on       TEXT NOT NULL DEFAULT '',
	updated_at    TEXT NOT NULL
);
CREATE INDEX milestones_commitment ON milestones(commitment_id, due);

CREATE TABLE indicators (
	id            INTEGER PRIMARY KEY,
	commitment_id INTEGER NOT NULL REFERENCES commitments(id) ON DELETE CASCADE,
	name          TEXT NOT NULL,
	unit          TEXT NOT NULL,
	target        REAL
);
CREATE INDEX indicators_commitment ON indicators(commitment_id);

CREATE TABLE indicator_values (
	id           INTEGER PRIMARY KEY,
	indicator_id INTEGER NOT NULL REFERENCES indicators(id) ON DELETE CASCADE,
	value        REAL NOT NULL,
	measured_on  TEXT NOT NULL,
	source       TEXT NOT NULL,
	created_at   TEXT NOT NULL
);
CREATE INDEX indicator_values_indicator ON indicator_values(indicator_id, measured_on);

CREATE TABLE plan_followup (
	plan_id    INTEGER PRIMARY KEY REFERENCES action_plans(id) ON DELETE CASCADE,
	moderation TEXT NOT NULL DEFAULT 'before' CHECK (moderation IN ('before', 'none'))
);

CREATE TABLE consultations (
	id         INTEGER PRIMARY KEY,
	plan_id    INTEGER NOT NULL REFERENCES action_plans(id) ON DELETE CASCADE,
	title      TEXT NOT NULL,
	opens      TEXT NOT NULL,
	closes     TEXT NOT NULL,
	created_at TEXT NOT NULL
);
CREATE INDEX consultations_plan ON consultations(plan_id, opens);

CREATE TABLE comments (
	id              INTEGER PRIMARY KEY,
	commitment_id   INTEGER NOT NULL REFERENCES commitments(id) ON DELETE CASCADE,
	consultation_id INTEGER NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
	parent_id       INTEGER REFERENCES comments(id) ON DELETE CASCADE,
	author          TEXT NOT NULL,
	email           TEXT NOT NULL DEFAULT '', -- to confirm; never shown; erased with the retention
	text            TEXT NOT NULL,
	state           TEXT NOT NULL CHECK (state IN ('pending', 'published', 'rejected')),
	carrier_answer  INTEGER NOT NULL DEFAULT 0,
	user_id         INTEGER REFERENCES users(id) ON DELETE SET NULL,
	created_at      TEXT NOT NULL,
	published_at    TEXT
);
CREATE INDEX comments_commitment ON comments(commitment_id, id);
CREATE INDEX comments_state ON comments(state);

-- A participant's private link asks to be told of a commitment's status changes.
CREATE TABLE status_subscriptions (
	id            INTEGER PRIMARY KEY,
	commitment_id INTEGER NOT NULL REFERENCES commitments(id) ON DELETE CASCADE,
	person_id     INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
	token_hash    TEXT NOT NULL UNIQUE, -- the unsubscribe link's SHA-256
	created_at    TEXT NOT NULL,
	UNIQUE (commitment_id, person_id)
);
