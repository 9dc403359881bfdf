-- Declaration and review are the way in (issue 15): an organisation that is
-- not the DITP publishes an event only through a declaration the DITP
-- accepted, unless an administrator marked it trusted to publish directly.
ALTER TABLE organisations ADD COLUMN trusted INTEGER NOT NULL DEFAULT 0;

-- What a declaration said when it was last submitted, and at the
-- submission before (JSON snapshots: title, dates, venue, workshops…), so
-- that the reviewer sees what changed since the changes were asked.
ALTER TABLE event_declarations ADD COLUMN submitted TEXT NOT NULL DEFAULT '';
ALTER TABLE event_declarations ADD COLUMN previous TEXT NOT NULL DEFAULT '';
