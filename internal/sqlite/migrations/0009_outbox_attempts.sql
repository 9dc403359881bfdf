-- The worker's journal of SMTP attempts (issue 4). A message is written
-- here, in a transaction of its own, before its SMTP exchange starts, and
-- its outcome is written here when the exchange ends: one narrow row on the
-- last page of a small table, instead of rewriting the wide outbox row and
-- two of its indexes for every message. The journal is folded into the
-- outbox rows between batches; a row still without outcome when a worker
-- starts again is a message that may have been delivered ("doubt").
CREATE TABLE outbox_attempts (
	message_id  INTEGER PRIMARY KEY REFERENCES outbox(id) ON DELETE CASCADE,
	lease_until TEXT NOT NULL,          -- UTC, fixed-width microseconds
	outcome     TEXT CHECK (outcome IN ('sent', 'pending', 'failed')), -- NULL: SMTP exchange under way
	ended_at    TEXT,
	retry_at    TEXT,
	smtp_reply  TEXT NOT NULL DEFAULT '',
	error       TEXT NOT NULL DEFAULT ''
);
