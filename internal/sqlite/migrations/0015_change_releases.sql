-- Changes to a published event are gathered and told to its participants
-- once, at a release (issue 15): staff press « Publier les modifications »,
-- or the changes go by themselves after a quiet delay the event sets.

-- A change not yet told: the calendar items it concerns (comma-separated
-- keys such as 'event-3' or 'phase-7'), the workshop whose participants
-- alone it concerns (NULL: every participant), and what changed, in French.
CREATE TABLE event_changes (
	id          INTEGER PRIMARY KEY,
	event_id    INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
	item_keys   TEXT    NOT NULL,
	workshop_id INTEGER REFERENCES workshops(id) ON DELETE CASCADE,
	description TEXT    NOT NULL,
	created_at  TEXT    NOT NULL
);
CREATE INDEX event_changes_event ON event_changes (event_id, id);

-- The quiet delay after the last change before the changes go by
-- themselves (minutes; 0: told at once), and how many days before the event
-- its participants are reminded of it (0: no reminder). Absent: the
-- defaults, 15 minutes and 2 days.
CREATE TABLE event_change_settings (
	event_id      INTEGER PRIMARY KEY REFERENCES events(id) ON DELETE CASCADE,
	delay_minutes INTEGER NOT NULL CHECK (delay_minutes BETWEEN 0 AND 1440),
	reminder_days INTEGER NOT NULL DEFAULT 2 CHECK (reminder_days BETWEEN 0 AND 30)
);

-- The reminder of an event is sent once: when it was queued.
CREATE TABLE event_reminders (
	event_id INTEGER PRIMARY KEY REFERENCES events(id) ON DELETE CASCADE,
	sent_at  TEXT NOT NULL
);
