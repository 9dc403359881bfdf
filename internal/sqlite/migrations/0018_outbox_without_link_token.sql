-- The private link of a message is derived when it is sent (0011): the
-- column that held the participant's token until then is always empty.
ALTER TABLE outbox DROP COLUMN link_token;
