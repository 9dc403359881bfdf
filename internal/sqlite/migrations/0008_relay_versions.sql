-- A relay workshop is shown in its parent event's programme: a write to the
-- relay also changes what the parent's public page shows.
CREATE TRIGGER pv_relays_ins AFTER INSERT ON events WHEN NEW.parent_event_id IS NOT NULL
BEGIN UPDATE public_versions SET version = version + 1 WHERE event_id = NEW.parent_event_id; END;
CREATE TRIGGER pv_relays_upd AFTER UPDATE ON events WHEN NEW.parent_event_id IS NOT NULL OR OLD.parent_event_id IS NOT NULL
BEGIN UPDATE public_versions SET version = version + 1 WHERE event_id IN (NEW.parent_event_id, OLD.parent_event_id); END;
CREATE TRIGGER pv_relays_del AFTER DELETE ON events WHEN OLD.parent_event_id IS NOT NULL
BEGIN UPDATE public_versions SET version = version + 1 WHERE event_id = OLD.parent_event_id; END;
