-- Participants are not a shared directory (issue 11). Every person row
-- says what it is and who manages it:
--   kind 'contact'     facilitators, speakers, correspondents; managed by
--                      owner_organisation_id (its creator) and organisation_id;
--                      no owner and no organisation: the DITP's.
--   kind 'participant' someone who registered; their data belong to the
--                      host of the event, owner_organisation_id, and the DITP.
-- A participant registered with two hosts becomes two rows, one per host,
-- so that host A never sees nor changes what they gave host B.
ALTER TABLE people ADD COLUMN kind TEXT NOT NULL DEFAULT 'contact' CHECK (kind IN ('contact', 'participant'));
ALTER TABLE people ADD COLUMN owner_organisation_id INTEGER REFERENCES organisations(id);

-- People who work for events stay contacts of their organisation.
CREATE TEMP TABLE staff_people AS
	SELECT person_id AS id FROM item_speakers
	UNION SELECT person_id FROM workshop_facilitators
	UNION SELECT person_id FROM users WHERE person_id IS NOT NULL
	UNION SELECT j.value FROM event_declarations d, json_each(d.facilitator_ids) j;

UPDATE people SET owner_organisation_id = organisation_id;

-- The others who registered are participants of the host of their first registration.
UPDATE people SET kind = 'participant',
	owner_organisation_id = (SELECT e.host_organisation_id FROM registrations r JOIN events e ON e.id = r.event_id
		WHERE r.person_id = people.id ORDER BY r.id LIMIT 1)
	WHERE id IN (SELECT person_id FROM registrations) AND id NOT IN (SELECT id FROM temp.staff_people);

-- Registrations with another host move to a copy of the person owned by that host.
CREATE TEMP TABLE person_split AS
	SELECT person_id, host, (SELECT MAX(id) FROM people) + ROW_NUMBER() OVER (ORDER BY person_id, host) AS new_id
	FROM (SELECT DISTINCT r.person_id, e.host_organisation_id AS host
		FROM registrations r JOIN events e ON e.id = r.event_id JOIN people p ON p.id = r.person_id
		WHERE p.kind = 'participant' AND e.host_organisation_id IS NOT p.owner_organisation_id);

INSERT INTO people (id, name, email, organisation_id, category, role, topics, availability, created_at, updated_at, kind, owner_organisation_id)
	SELECT s.new_id, p.name, p.email, p.organisation_id, p.category, p.role, p.topics, p.availability, p.created_at, p.updated_at, 'participant', s.host
	FROM temp.person_split s JOIN people p ON p.id = s.person_id;

UPDATE registrations SET person_id = (SELECT s.new_id FROM temp.person_split s
		WHERE s.person_id = registrations.person_id AND s.host = (SELECT host_organisation_id FROM events WHERE id = registrations.event_id))
	WHERE EXISTS (SELECT 1 FROM temp.person_split s
		WHERE s.person_id = registrations.person_id AND s.host = (SELECT host_organisation_id FROM events WHERE id = registrations.event_id));

DROP TABLE temp.person_split;
DROP TABLE temp.staff_people;

-- The known-email lookup of a registration: one host's participants, by
-- address (an indexed equality).
CREATE INDEX people_participant_email ON people(owner_organisation_id, lower(email)) WHERE kind = 'participant';
CREATE INDEX people_owner ON people(owner_organisation_id);
