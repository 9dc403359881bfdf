-- Declarations (issue 6): a Ministère ouvert session declared by a ministry
-- correspondent, or a relay workshop declared by a third party, is a draft
-- event flagged for DITP's review. The event may be published only once
-- the declaration is accepted (checked by the store before an update).

CREATE TABLE event_declarations (
	event_id        INTEGER PRIMARY KEY REFERENCES events(id) ON DELETE CASCADE,
	kind            TEXT NOT NULL,
	state           TEXT NOT NULL,    -- submitted, changes_requested, accepted
	organisation_id INTEGER NOT NULL REFERENCES organisations(id),
	declared_by     INTEGER NOT NULL REFERENCES users(id),
	declarer_name   TEXT NOT NULL,
	declarer_email  TEXT NOT NULL,
	commitment_ids  TEXT NOT NULL DEFAULT '[]', -- JSON: commitments to present
	facilitator_ids TEXT NOT NULL DEFAULT '[]', -- JSON: proposed facilitators
	room_ids        TEXT NOT NULL DEFAULT '[]', -- JSON: rooms offered at the venue
	notes           TEXT NOT NULL DEFAULT '',
	comment         TEXT NOT NULL DEFAULT '',   -- DITP's last comment
	decisions       INTEGER NOT NULL DEFAULT 0, -- decisions told to the declarer
	decided_at      TEXT,
	created_at      TEXT NOT NULL,
	updated_at      TEXT NOT NULL
);
CREATE INDEX event_declarations_state ON event_declarations(state);
CREATE INDEX event_declarations_organisation ON event_declarations(organisation_id);
