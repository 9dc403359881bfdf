-- Issue 14: the cost of a registration must not grow with the event.
-- Seats are counted by counters kept right by triggers in the transaction
-- of every write to registrations (whatever writes it: registration,
-- staff, erasure, purge), and the lookups of a registration run on indexes.

-- The seats of each event and of each workshop: registrations holding a
-- seat (registered or attended), and waiting; for an event also those
-- waiting without a workshop (its own waiting list).
CREATE TABLE event_seats (
	event_id           INTEGER PRIMARY KEY REFERENCES events(id) ON DELETE CASCADE,
	seated             INTEGER NOT NULL DEFAULT 0,
	waiting            INTEGER NOT NULL DEFAULT 0,
	waiting_unassigned INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE workshop_seats (
	workshop_id INTEGER PRIMARY KEY REFERENCES workshops(id) ON DELETE CASCADE,
	seated      INTEGER NOT NULL DEFAULT 0,
	waiting     INTEGER NOT NULL DEFAULT 0
);

INSERT INTO event_seats (event_id, seated, waiting, waiting_unassigned)
	SELECT e.id,
		(SELECT COUNT(*) FROM registrations r WHERE r.event_id = e.id AND r.status IN ('registered', 'attended')),
		(SELECT COUNT(*) FROM registrations r WHERE r.event_id = e.id AND r.status = 'waiting'),
		(SELECT COUNT(*) FROM registrations r WHERE r.event_id = e.id AND r.status = 'waiting' AND r.workshop_id IS NULL)
	FROM events e;
INSERT INTO workshop_seats (workshop_id, seated, waiting)
	SELECT w.id,
		(SELECT COUNT(*) FROM registrations r WHERE r.workshop_id = w.id AND r.status IN ('registered', 'attended')),
		(SELECT COUNT(*) FROM registrations r WHERE r.workshop_id = w.id AND r.status = 'waiting')
	FROM workshops w;

CREATE TRIGGER seats_events_ins AFTER INSERT ON events BEGIN
	INSERT OR IGNORE INTO event_seats (event_id) VALUES (NEW.id);
END;
CREATE TRIGGER seats_workshops_ins AFTER INSERT ON workshops BEGIN
	INSERT OR IGNORE INTO workshop_seats (workshop_id) VALUES (NEW.id);
END;

CREATE TRIGGER seats_registrations_ins AFTER INSERT ON registrations
WHEN NEW.status IN ('registered', 'attended', 'waiting') BEGIN
	UPDATE event_seats SET seated = seated + (NEW.status IN ('registered', 'attended')), waiting = waiting + (NEW.status = 'waiting'),
		waiting_unassigned = waiting_unassigned + (NEW.status = 'waiting' AND NEW.workshop_id IS NULL)
		WHERE event_id = NEW.event_id;
	UPDATE workshop_seats SET seated = seated + (NEW.status IN ('registered', 'attended')), waiting = waiting + (NEW.status = 'waiting')
		WHERE workshop_id = NEW.workshop_id;
END;

-- A change of status, workshop or event takes the registration out of the
-- counts of what it was (if it counted), then into those of what it is.
CREATE TRIGGER seats_registrations_upd_old AFTER UPDATE OF status, workshop_id, event_id ON registrations
WHEN (OLD.status IS NOT NEW.status OR OLD.workshop_id IS NOT NEW.workshop_id OR OLD.event_id IS NOT NEW.event_id)
	AND OLD.status IN ('registered', 'attended', 'waiting') BEGIN
	UPDATE event_seats SET seated = seated - (OLD.status IN ('registered', 'attended')), waiting = waiting - (OLD.status = 'waiting'),
		waiting_unassigned = waiting_unassigned - (OLD.status = 'waiting' AND OLD.workshop_id IS NULL)
		WHERE event_id = OLD.event_id;
	UPDATE workshop_seats SET seated = seated - (OLD.status IN ('registered', 'attended')), waiting = waiting - (OLD.status = 'waiting')
		WHERE workshop_id = OLD.workshop_id;
END;
CREATE TRIGGER seats_registrations_upd_new AFTER UPDATE OF status, workshop_id, event_id ON registrations
WHEN (OLD.status IS NOT NEW.status OR OLD.workshop_id IS NOT NEW.workshop_id OR OLD.event_id IS NOT NEW.event_id)
	AND NEW.status IN ('registered', 'attended', 'waiting') BEGIN
	UPDATE event_seats SET seated = seated + (NEW.status IN ('registered', 'attended')), waiting = waiting + (NEW.status = 'waiting'),
		waiting_unassigned = waiting_unassigned + (NEW.status = 'waiting' AND NEW.workshop_id IS NULL)
		WHERE event_id = NEW.event_id;
	UPDATE workshop_seats SET seated = seated + (NEW.status IN ('registered', 'attended')), waiting = waiting + (NEW.status = 'waiting')
		WHERE workshop_id = NEW.workshop_id;
END;

CREATE TRIGGER seats_registrations_del AFTER DELETE ON registrations
WHEN OLD.status IN ('registered', 'attended', 'waiting') BEGIN
	UPDATE event_seats SET seated = seated - (OLD.status IN ('registered', 'attended')), waiting = waiting - (OLD.status = 'waiting'),
		waiting_unassigned = waiting_unassigned - (OLD.status = 'waiting' AND OLD.workshop_id IS NULL)
		WHERE event_id = OLD.event_id;
	UPDATE workshop_seats SET seated = seated - (OLD.status IN ('registered', 'attended')), waiting = waiting - (OLD.status = 'waiting')
		WHERE workshop_id = OLD.workshop_id;
END;

-- The known-email lookup (lower(p.email) = lower(?)) finds the person by
-- this index, then the registration by UNIQUE (event_id, person_id).
CREATE INDEX people_email_lower ON people(lower(email));
