-- Issue 7: retention of participants' personal data, and the version of
-- the data each public event page shows (for its cache).

-- How long after its end an event keeps its participants' personal data;
-- when they were last anonymised.
ALTER TABLE events ADD COLUMN retention_months INTEGER NOT NULL DEFAULT 12;
ALTER TABLE events ADD COLUMN purged_at TEXT;
-- A registration whose person was replaced by an anonymous record.
ALTER TABLE registrations ADD COLUMN anonymised_at TEXT;
CREATE INDEX registrations_person ON registrations(person_id);

-- A counter per event raised by triggers on every write to what its public
-- page shows; row 0 counts the writes to shared data (organisations,
-- venues, rooms, people, plans and commitments).
CREATE TABLE public_versions (
	event_id INTEGER PRIMARY KEY,
	version  INTEGER NOT NULL DEFAULT 0
);
INSERT INTO public_versions (event_id, version) VALUES (0, 0);
INSERT INTO public_versions (event_id, version) SELECT id, 0 FROM events;

-- Writes to an event or to its parts.
CREATE TRIGGER pv_events_ins AFTER INSERT ON events BEGIN INSERT OR IGNORE INTO public_versions (event_id, version) VALUES (NEW.id, 0); UPDATE public_versions SET version = version + 1 WHERE event_id IN (NEW.id); END;
CREATE TRIGGER pv_events_upd AFTER UPDATE ON events BEGIN UPDATE public_versions SET version = version + 1 WHERE event_id IN (NEW.id, OLD.id); END;
CREATE TRIGGER pv_events_del AFTER DELETE ON events BEGIN UPDATE public_versions SET version = version + 1 WHERE event_id IN (OLD.id); END;
CREATE TRIGGER pv_phases_ins AFTER INSERT ON phases BEGIN UPDATE public_versions SET version = version + 1 WHERE event_id IN (NEW.event_id); END;
CREATE TRIGGER pv_phases_upd AFTER UPDATE ON phases BEGIN UPDATE public_versions SET version = version + 1 WHERE event_id IN (NEW.event_id, OLD.event_id); END;
CREATE TRIGGER pv_phases_del AFTER DELETE ON phases BEGIN UPDATE public_versions SET version = version + 1 WHERE event_id IN (OLD.event_id); END;
CREATE TRIGGER pv_programme_items_ins AFTER INSERT ON programme_items BEGIN UPDATE public_versions SET version = version + 1 WHERE event_id IN (NEW.event_id); END;
CREATE TRIGGER pv_programme_items_upd AFTER UPDATE ON programme_items BEGIN UPDATE public_versions SET version = version + 1 WHERE event_id IN (NEW.event_id, OLD.event_id); END;
CREATE TRIGGER pv_programme_items_del AFTER DELETE ON programme_items BEGIN UPDATE public_versions SET version = version + 1 WHERE event_id IN (OLD.event_id); END;
CREATE TRIGGER pv_workshops_ins AFTER INSERT ON workshops BEGIN UPDATE public_versions SET version = version + 1 WHERE event_id IN (NEW.event_id); END;
CREATE TRIGGER pv_workshops_upd AFTER UPDATE ON workshops BEGIN UPDATE public_versions SET version = version + 1 WHERE event_id IN (NEW.event_id, OLD.event_id); END;
CREATE TRIGGER pv_workshops_del AFTER DELETE ON workshops BEGIN UPDATE public_versions SET version = version + 1 WHERE event_id IN (OLD.event_id); END;
CREATE TRIGGER pv_registrations_ins AFTER INSERT ON registrations BEGIN UPDATE public_versions SET version = version + 1 WHERE event_id IN (NEW.event_id); END;
CREATE TRIGGER pv_registrations_upd AFTER UPDATE ON registrations BEGIN UPDATE public_versions SET version = version + 1 WHERE event_id IN (NEW.event_id, OLD.event_id); END;
CREATE TRIGGER pv_registrations_del AFTER DELETE ON registrations BEGIN UPDATE public_versions SET version = version + 1 WHERE event_id IN (OLD.event_id); END;
CREATE TRIGGER pv_registration_settings_ins AFTER INSERT ON registration_settings BEGIN UPDATE public_versions SET version = version + 1 WHERE event_id IN (NEW.event_id); END;
CREATE TRIGGER pv_registration_settings_upd AFTER UPDATE ON registration_settings BEGIN UPDATE public_versions SET version = version + 1 WHERE event_id IN (NEW.event_id, OLD.event_id); END;
CREATE TRIGGER pv_registration_settings_del AFTER DELETE ON registration_settings BEGIN UPDATE public_versions SET version = version + 1 WHERE event_id IN (OLD.event_id); END;
CREATE TRIGGER pv_event_minutes_ins AFTER INSERT ON event_minutes BEGIN UPDATE public_versions SET version = version + 1 WHERE event_id IN (NEW.event_id); END;
CREATE TRIGGER pv_event_minutes_upd AFTER UPDATE ON event_minutes BEGIN UPDATE public_versions SET version = version + 1 WHERE event_id IN (NEW.event_id, OLD.event_id); END;
CREATE TRIGGER pv_event_minutes_del AFTER DELETE ON event_minutes BEGIN UPDATE public_versions SET version = version + 1 WHERE event_id IN (OLD.event_id); END;
CREATE TRIGGER pv_event_partners_ins AFTER INSERT ON event_partners BEGIN UPDATE public_versions SET version = version + 1 WHERE event_id IN (NEW.event_id); END;
CREATE TRIGGER pv_event_partners_upd AFTER UPDATE ON event_partners BEGIN UPDATE public_versions SET version = version + 1 WHERE event_id IN (NEW.event_id, OLD.event_id); END;
CREATE TRIGGER pv_event_partners_del AFTER DELETE ON event_partners BEGIN UPDATE public_versions SET version = version + 1 WHERE event_id IN (OLD.event_id); END;
CREATE TRIGGER pv_item_speakers_ins AFTER INSERT ON item_speakers BEGIN UPDATE public_versions SET version = version + 1 WHERE event_id IN ((SELECT event_id FROM programme_items WHERE id = NEW.item_id)); END;
CREATE TRIGGER pv_item_speakers_upd AFTER UPDATE ON item_speakers BEGIN UPDATE public_versions SET version = version + 1 WHERE event_id IN ((SELECT event_id FROM programme_items WHERE id = NEW.item_id), (SELECT event_id FROM programme_items WHERE id = OLD.item_id)); END;
CREATE TRIGGER pv_item_speakers_del AFTER DELETE ON item_speakers BEGIN UPDATE public_versions SET version = version + 1 WHERE event_id IN ((SELECT event_id FROM programme_items WHERE id = OLD.item_id)); END;
CREATE TRIGGER pv_workshop_facilitators_ins AFTER INSERT ON workshop_facilitators BEGIN UPDATE public_versions SET version = version + 1 WHERE event_id IN ((SELECT event_id FROM workshops WHERE id = NEW.workshop_id)); END;
CREATE TRIGGER pv_workshop_facilitators_upd AFTER UPDATE ON workshop_facilitators BEGIN UPDATE public_versions SET version = version + 1 WHERE event_id IN ((SELECT event_id FROM workshops WHERE id = NEW.workshop_id), (SELECT event_id FROM workshops WHERE id = OLD.workshop_id)); END;
CREATE TRIGGER pv_workshop_facilitators_del AFTER DELETE ON workshop_facilitators BEGIN UPDATE public_versions SET version = version + 1 WHERE event_id IN ((SELECT event_id FROM workshops WHERE id = OLD.workshop_id)); END;
CREATE TRIGGER pv_workshop_commitments_ins AFTER INSERT ON workshop_commitments BEGIN UPDATE public_versions SET version = version + 1 WHERE event_id IN ((SELECT event_id FROM workshops WHERE id = NEW.workshop_id)); END;
CREATE TRIGGER pv_workshop_commitments_upd AFTER UPDATE ON workshop_commitments BEGIN UPDATE public_versions SET version = version + 1 WHERE event_id IN ((SELECT event_id FROM workshops WHERE id = NEW.workshop_id), (SELECT event_id FROM workshops WHERE id = OLD.workshop_id)); END;
CREATE TRIGGER pv_workshop_commitments_del AFTER DELETE ON workshop_commitments BEGIN UPDATE public_versions SET version = version + 1 WHERE event_id IN ((SELECT event_id FROM workshops WHERE id = OLD.workshop_id)); END;
CREATE TRIGGER pv_workshop_minutes_ins AFTER INSERT ON workshop_minutes BEGIN UPDATE public_versions SET version = version + 1 WHERE event_id IN ((SELECT event_id FROM workshops WHERE id = NEW.workshop_id)); END;
CREATE TRIGGER pv_workshop_minutes_upd AFTER UPDATE ON workshop_minutes BEGIN UPDATE public_versions SET version = version + 1 WHERE event_id IN ((SELECT event_id FROM workshops WHERE id = NEW.workshop_id), (SELECT event_id FROM workshops WHERE id = OLD.workshop_id)); END;
CREATE TRIGGER pv_workshop_minutes_del AFTER DELETE ON workshop_minutes BEGIN UPDATE public_versions SET version = version + 1 WHERE event_id IN ((SELECT event_id FROM workshops WHERE id = OLD.workshop_id)); END;
CREATE TRIGGER pv_contributions_ins AFTER INSERT ON contributions BEGIN UPDATE public_versions SET version = version + 1 WHERE event_id IN ((SELECT event_id FROM workshops WHERE id = NEW.workshop_id)); END;
CREATE TRIGGER pv_contributions_upd AFTER UPDATE ON contributions BEGIN UPDATE public_versions SET version = version + 1 WHERE event_id IN ((SELECT event_id FROM workshops WHERE id = NEW.workshop_id), (SELECT event_id FROM workshops WHERE id = OLD.workshop_id)); END;
CREATE TRIGGER pv_contributions_del AFTER DELETE ON contributions BEGIN UPDATE public_versions SET version = version + 1 WHERE event_id IN ((SELECT event_id FROM workshops WHERE id = OLD.workshop_id)); END;
-- Writes to shared data (a new person or organisation is on no page until
-- an event refers to it, which counts for that event).
CREATE TRIGGER pv_organisations_upd AFTER UPDATE ON organisations BEGIN UPDATE public_versions SET version = version + 1 WHERE event_id IN (0, 0); END;
CREATE TRIGGER pv_organisations_del AFTER DELETE ON organisations BEGIN UPDATE public_versions SET version = version + 1 WHERE event_id IN (0); END;
CREATE TRIGGER pv_venues_ins AFTER INSERT ON venues BEGIN UPDATE public_versions SET version = version + 1 WHERE event_id IN (0); END;
CREATE TRIGGER pv_venues_upd AFTER UPDATE ON venues BEGIN UPDATE public_versions SET version = version + 1 WHERE event_id IN (0, 0); END;
CREATE TRIGGER pv_venues_del AFTER DELETE ON venues BEGIN UPDATE public_versions SET version = version + 1 WHERE event_id IN (0); END;
CREATE TRIGGER pv_rooms_ins AFTER INSERT ON rooms BEGIN UPDATE public_versions SET version = version + 1 WHERE event_id IN (0); END;
CREATE TRIGGER pv_rooms_upd AFTER UPDATE ON rooms BEGIN UPDATE public_versions SET version = version + 1 WHERE event_id IN (0, 0); END;
CREATE TRIGGER pv_rooms_del AFTER DELETE ON rooms BEGIN UPDATE public_versions SET version = version + 1 WHERE event_id IN (0); END;
CREATE TRIGGER pv_people_upd AFTER UPDATE ON people BEGIN UPDATE public_versions SET version = version + 1 WHERE event_id IN (0, 0); END;
CREATE TRIGGER pv_people_del AFTER DELETE ON people BEGIN UPDATE public_versions SET version = version + 1 WHERE event_id IN (0); END;
CREATE TRIGGER pv_action_plans_ins AFTER INSERT ON action_plans BEGIN UPDATE public_versions SET version = version + 1 WHERE event_id IN (0); END;
CREATE TRIGGER pv_action_plans_upd AFTER UPDATE ON action_plans BEGIN UPDATE public_versions SET version = version + 1 WHERE event_id IN (0, 0); END;
CREATE TRIGGER pv_action_plans_del AFTER DELETE ON action_plans BEGIN UPDATE public_versions SET version = version + 1 WHERE event_id IN (0); END;
CREATE TRIGGER pv_commitments_ins AFTER INSERT ON commitments BEGIN UPDATE public_versions SET version = version + 1 WHERE event_id IN (0); END;
CREATE TRIGGER pv_commitments_upd AFTER UPDATE ON commitments BEGIN UPDATE public_versions SET version = version + 1 WHERE event_id IN (0, 0); END;
CREATE TRIGGER pv_commitments_del AFTER DELETE ON commitments BEGIN UPDATE public_versions SET version = version + 1 WHERE event_id IN (0); END;
CREATE TRIGGER pv_commitment_carriers_ins AFTER INSERT ON commitment_carriers BEGIN UPDATE public_versions SET version = version + 1 WHERE event_id IN (0); END;
CREATE TRIGGER pv_commitment_carriers_upd AFTER UPDATE ON commitment_carriers BEGIN UPDATE public_versions SET version = version + 1 WHERE event_id IN (0, 0); END;
CREATE TRIGGER pv_commitment_carriers_del AFTER DELETE ON commitment_carriers BEGIN UPDATE public_versions SET version = version + 1 WHERE event_id IN (0); END;
