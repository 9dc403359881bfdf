-- Private links derived, never stored (issue 11): a participant's link is
-- p_<registration>.<version>.<HMAC-SHA256 of both under link_keys.key>.
-- The key is generated once, here, by SQLite's randomblob (seeded by the
-- operating system), and lives in the database: a backup carries it, so a
-- restored copy keeps the links working.
CREATE TABLE link_keys (
	id  INTEGER PRIMARY KEY CHECK (id = 1),
	key BLOB NOT NULL
);
INSERT INTO link_keys (id, key) VALUES (1, randomblob(32));

-- Raised when the link is re-issued (new email) or the registration erased:
-- links of an older version are dead.
ALTER TABLE registrations ADD COLUMN link_version INTEGER NOT NULL DEFAULT 1;

-- The version of the link a message carries, 0 for a message without link.
-- Messages not yet sent by an older version kept the raw token: they now
-- carry the derived link of version 1 and the raw token is wiped. Links
-- already mailed keep working through participant_tokens (SHA-256) until
-- the registration's link is re-issued or erased.
ALTER TABLE outbox ADD COLUMN link_version INTEGER NOT NULL DEFAULT 0;
UPDATE outbox SET link_version = 1 WHERE link_token <> '' AND registration_id IS NOT NULL;
UPDATE outbox SET link_token = '' WHERE link_token <> '';

-- Accounts: a disabled account's sessions and tokens stop at once; tokens
-- may expire.
ALTER TABLE users ADD COLUMN disabled_at TEXT;
ALTER TABLE api_tokens ADD COLUMN expires_at TEXT;
CREATE INDEX api_tokens_user ON api_tokens(user_id);
