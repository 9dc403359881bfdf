package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"time"

	"fabrique/internal/fabrique"
)

// Privacy implements fabrique.PrivacyService: a participant's access to
// and erasure of their data, the same for administrators on request, and
// the anonymisation of participants once an event's retention is over.
//
// Anonymising a registration points it to a new person record holding only
// the category (so counts by category and attendance stay true), clears
// its free text, deletes its private links, calendar copies and messages;
// contributions lose their author. The original person record is deleted
// when nothing else refers to it (a facilitator or speaker keeps theirs).
type Privacy struct {
	db *DB
}

var _ fabrique.PrivacyService = (*Privacy)(nil)

// Privacy implements fabrique.Store.
func (s *Store) Privacy() fabrique.PrivacyService { return &Privacy{db: s.db} }

// processingNote tells a participant why and how long their data are kept.
const processingNote = "Ces données servent uniquement à organiser les événements auxquels vous vous êtes inscrit·e. " +
	"Elles sont anonymisées à la fin de la durée de conservation de chaque événement (par défaut 12 mois après sa fin) ; " +
	"vous pouvez les effacer dès maintenant depuis votre page personnelle."

// adminOnly refuses whom the policy does not let act on the service
// itself: everyone but administrators.
func adminOnly(u *fabrique.User, act fabrique.Action, what string) error {
	if u == nil {
		return errAnonymous
	}
	if !fabrique.Can(u, fabrique.ObjService, act, fabrique.Owner{Shared: true}) {
		return forbidden(what)
	}
	return nil
}

// personOfToken finds the person of a participant's private link.
func personOfToken(ctx context.Context, db *DB, q queryer, token string) (int64, error) {
	regID, err := db.registrationOfLink(ctx, q, token)
	if err != nil {
		return 0, err
	}
	var person int64
	err = q.QueryRowContext(ctx, `SELECT person_id FROM registrations WHERE id = ?`, regID).Scan(&person)
	return person, err
}

// ParticipantData implements fabrique.PrivacyService.
func (p *Privacy) ParticipantData(ctx context.Context, token string) (*fabrique.PersonalData, error) {
	var d *fabrique.PersonalData
	err := p.db.inReadTx(ctx, func(tx *sql.Tx) error {
		id, err := personOfToken(ctx, p.db, tx, token)
		if err != nil {
			return err
		}
		d, err = collect(ctx, tx, id, p.db.now())
		return err
	})
	return d, err
}

// PersonData implements fabrique.PrivacyService.
func (p *Privacy) PersonData(ctx context.Context, personID int64) (*fabrique.PersonalData, error) {
	if err := adminOnly(fabrique.UserFrom(ctx), fabrique.ActRead, "consulter toutes les données d'une personne"); err != nil {
		return nil, err
	}
	var d *fabrique.PersonalData
	err := p.db.inReadTx(ctx, func(tx *sql.Tx) (err error) {
		d, err = collect(ctx, tx, personID, p.db.now())
		return err
	})
	return d, err
}

// EraseParticipant implements fabrique.PrivacyService.
func (p *Privacy) EraseParticipant(ctx context.Context, token string) (*fabrique.Erasure, error) {
	var e *fabrique.Erasure
	var files func() int
	err := p.db.inTx(ctx, func(tx *sql.Tx) error {
		id, err := personOfToken(ctx, p.db, tx, token)
		if err != nil {
			return err
		}
		e, files, err = p.erase(ctx, tx, id)
		return err
	})
	if err == nil {
		e.Files = files()
	}
	return e, err
}

// ErasePerson implements fabrique.PrivacyService.
func (p *Privacy) ErasePerson(ctx context.Context, personID int64) (*fabrique.Erasure, error) {
	if err := adminOnly(fabrique.UserFrom(ctx), fabrique.ActChange, "effacer les données d'une personne"); err != nil {
		return nil, err
	}
	var e *fabrique.Erasure
	var files func() int
	err := p.db.inTx(ctx, func(tx *sql.Tx) error {
		if ok, err := exists(ctx, tx, "people", personID); err != nil {
			return err
		} else if !ok {
			return fabrique.Errorf(fabrique.ENOTFOUND, "La personne n° %d n'existe pas.", personID)
		}
		var err error
		e, files, err = p.erase(ctx, tx, personID)
		return err
	})
	if err == nil {
		e.Files = files()
	}
	return e, err
}

// erase cancels the person's registrations to events still to come (the
// waiting lists move up), anonymises every registration, removes them as
// author of contributions, deletes their messages and, when nothing else
// refers to it, their person record. Calendar items the person still
// holds get a CANCEL without link, queued after the deletion. The
// function it returns, called once the transaction is committed, deletes
// the .eml files written for the person and counts them.
func (p *Privacy) erase(ctx context.Context, tx *sql.Tx, personID int64) (*fabrique.Erasure, func() int, error) {
	q, err := p.db.newTxQueue(ctx, tx)
	if err != nil {
		return nil, nil, err
	}
	e := &fabrique.Erasure{Kept: []string{}}
	var email string
	if err := tx.QueryRowContext(ctx, `SELECT email FROM people WHERE id = ?`, personID).Scan(&email); err != nil {
		return nil, nil, err
	}
	regs, err := readIDs(ctx, tx, `SELECT id FROM registrations WHERE person_id = ? ORDER BY id`, personID)
	if err != nil {
		return nil, nil, err
	}
	for _, id := range regs {
		if err := withdrawForErasure(q, id); err != nil {
			return nil, nil, err
		}
	}
	for _, id := range regs {
		cancelled, err := cancelForErasure(q, id)
		if err != nil {
			return nil, nil, err
		}
		if cancelled {
			e.Cancelled++
		}
		n, err := anonymiseRegistration(ctx, tx, id, q.now)
		if err != nil {
			return nil, nil, err
		}
		e.Registrations++
		e.Messages += n
	}
	if email != "" {
		n, err := deleteMessages(ctx, tx, `lower(recipient) = lower(?)`, email)
		if err != nil {
			return nil, nil, err
		}
		e.Messages += n
	}
	if e.CancelsSent, err = q.flushHeld(); err != nil {
		return nil, nil, err
	}
	res, err := tx.ExecContext(ctx, `UPDATE contributions SET author = '', person_id = NULL WHERE person_id = ?`, personID)
	if err != nil {
		return nil, nil, err
	}
	n, _ := res.RowsAffected()
	e.Contributions = int(n)
	if _, err := tx.ExecContext(ctx, `DELETE FROM status_subscriptions WHERE person_id = ?`, personID); err != nil {
		return nil, nil, err
	}
	kept, err := dropPerson(ctx, tx, personID)
	if err != nil {
		return nil, nil, err
	}
	if kept != "" {
		e.Kept = append(e.Kept, kept)
	} else {
		e.People = 1
	}
	if e.Registrations > 0 {
		e.Kept = append(e.Kept, "les inscriptions, sans nom ni adresse, pour les comptes de participation par catégorie")
	}
	if e.Contributions > 0 {
		e.Kept = append(e.Kept, "le texte des contributions, sans auteur, pour les comptes rendus")
	}
	if e.CancelsSent > 0 {
		e.Kept = append(e.Kept, "l'adresse électronique, le temps d'envoyer l'annulation des rendez-vous encore dans votre agenda, puis elle est effacée")
	}
	return e, func() int { return p.db.removeMessageFiles(q.instance, regs) }, nil
}

// cancelForErasure cancels a registration to an event not yet over, and
// fills its seat from the waiting list; nothing is sent to the person.
func cancelForErasure(q *txQueue, regID int64) (bool, error) {
	reg, err := loadReg(q.ctx, q.tx, regID)
	if err != nil {
		return false, err
	}
	ev, err := loadEvent(q.ctx, q.tx, reg.EventID)
	if err != nil {
		return false, err
	}
	active := reg.Status == fabrique.RegRegistered || reg.Status == fabrique.RegWaiting || reg.Status == fabrique.RegPending
	if !active || !q.now.Before(ev.End) {
		return false, nil
	}
	if err := setStatus(q, regID, fabrique.RegCancelled, reg.WorkshopID); err != nil {
		return false, err
	}
	if reg.Status == fabrique.RegRegistered {
		return true, promote(q, ev)
	}
	return true, nil
}

// anonymiseRegistration moves a registration to a new anonymous person of
// the same category and organisation, and deletes its links, calendar
// copies and messages; it returns the number of messages deleted.
func anonymiseRegistration(ctx context.Context, tx *sql.Tx, regID int64, now time.Time) (int, error) {
	stamp := ts(now)
	res, err := tx.ExecContext(ctx, `INSERT INTO people (name, email, organisation_id, category, kind, owner_organisation_id, created_at, updated_at)
		SELECT ?, '', p.organisation_id, p.category, 'participant', e.host_organisation_id, ?, ?
		FROM registrations r JOIN people p ON p.id = r.person_id JOIN events e ON e.id = r.event_id WHERE r.id = ?`,
		fabrique.AnonymousName, stamp, stamp, regID)
	if err != nil {
		return 0, err
	}
	anon, err := res.LastInsertId()
	if err != nil {
		return 0, err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE registrations SET person_id = ?, organisation_name = '', consent_text = '', anonymised_at = ?, link_version = link_version + 1 WHERE id = ?`,
		anon, stamp, regID); err != nil {
		return 0, err
	}
	for _, stmt := range []string{`DELETE FROM participant_tokens WHERE registration_id = ?`, `DELETE FROM calendar_copies WHERE registration_id = ?`} {
		if _, err := tx.ExecContext(ctx, stmt, regID); err != nil {
			return 0, err
		}
	}
	return deleteMessages(ctx, tx, `registration_id = ?`, regID)
}

// deleteMessages deletes the outbox messages matching cond; a message
// being sent at this very moment is kept, without its address and content,
// so that the worker can record its outcome.
func deleteMessages(ctx context.Context, tx *sql.Tx, cond string, arg any) (int, error) {
	inFlight := `(state = 'sending' OR id IN (SELECT message_id FROM outbox_attempts WHERE outcome IS NULL))`
	res, err := tx.ExecContext(ctx, `DELETE FROM outbox WHERE NOT `+inFlight+` AND `+cond, arg)
	if err != nil {
		return 0, err
	}
	n, _ := res.RowsAffected()
	_, err = tx.ExecContext(ctx, `UPDATE outbox SET recipient = 'efface-' || id || '@invalid', recipient_name = '', payload = '{}'
		WHERE `+inFlight+` AND `+cond, arg)
	return int(n), err
}

// dropPerson deletes a person record nothing refers to any more; otherwise
// it says in French what keeps it.
func dropPerson(ctx context.Context, tx *sql.Tx, personID int64) (string, error) {
	var regs, roles int
	err := tx.QueryRowContext(ctx, `SELECT
		(SELECT COUNT(*) FROM registrations WHERE person_id = ?),
		(SELECT COUNT(*) FROM item_speakers WHERE person_id = ?) + (SELECT COUNT(*) FROM workshop_facilitators WHERE person_id = ?)
		+ (SELECT COUNT(*) FROM users WHERE person_id = ?)`, personID, personID, personID, personID).Scan(&regs, &roles)
	if err != nil {
		return "", err
	}
	if regs > 0 || roles > 0 {
		return "la fiche de la personne, qui anime ou intervient dans un programme publié (nom et organisation)", nil
	}
	_, err = tx.ExecContext(ctx, `DELETE FROM people WHERE id = ?`, personID)
	return "", err
}

// Retention implements fabrique.PrivacyService.
func (p *Privacy) Retention(ctx context.Context, eventID int64) (*fabrique.Retention, error) {
	var r *fabrique.Retention
	err := p.db.inReadTx(ctx, func(tx *sql.Tx) (err error) {
		if err := p.mayManage(ctx, tx, eventID, "consulter la durée de conservation des données de cet événement"); err != nil {
			return err
		}
		r, err = readRetention(ctx, tx, eventID)
		return err
	})
	return r, err
}

// SetRetention implements fabrique.PrivacyService.
func (p *Privacy) SetRetention(ctx context.Context, r *fabrique.Retention) error {
	if err := r.Validate(); err != nil {
		return err
	}
	return p.db.inTx(ctx, func(tx *sql.Tx) error {
		if err := p.mayManage(ctx, tx, r.EventID, "changer la durée de conservation des données de cet événement"); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE events SET retention_months = ? WHERE id = ?`, r.Months, r.EventID); err != nil {
			return err
		}
		stored, err := readRetention(ctx, tx, r.EventID)
		if err == nil {
			*r = *stored
		}
		return err
	})
}

// mayManage lets administrators and organisers of the host manage an event.
func (p *Privacy) mayManage(ctx context.Context, tx *sql.Tx, eventID int64, what string) error {
	host, err := eventHost(ctx, tx, eventID)
	if err != nil {
		return err
	}
	u := fabrique.UserFrom(ctx)
	if host == 0 {
		if u == nil {
			return errAnonymous
		}
		return fabrique.Errorf(fabrique.ENOTFOUND, "L'événement n° %d n'existe pas.", eventID)
	}
	return organiserOf(ctx, tx, u, what, eventID)
}

func readRetention(ctx context.Context, q queryer, eventID int64) (*fabrique.Retention, error) {
	r := &fabrique.Retention{EventID: eventID}
	err := q.QueryRowContext(ctx, `SELECT end_at, retention_months, purged_at FROM events WHERE id = ?`, eventID).
		Scan(instant{&r.EventEnd}, &r.Months, nullInstant{&r.PurgedAt})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fabrique.Errorf(fabrique.ENOTFOUND, "L'événement n° %d n'existe pas.", eventID)
	}
	r.PurgeAfter = r.EventEnd.AddDate(0, r.Months, 0)
	return r, err
}

// Purge implements fabrique.PrivacyService.
func (p *Privacy) Purge(ctx context.Context, now time.Time) (*fabrique.Erasure, error) {
	if err := adminOnly(fabrique.UserFrom(ctx), fabrique.ActChange, "anonymiser les participants"); err != nil {
		return nil, err
	}
	total := &fabrique.Erasure{Kept: []string{}}
	var instance string
	var regs []int64 // anonymised: their .eml files go once committed
	err := p.db.inTx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'instance_id'`).Scan(&instance); err != nil {
			return err
		}
		events, err := expiredEvents(ctx, tx, now)
		if err != nil {
			return err
		}
		for _, ev := range events {
			ids, err := purgeEvent(ctx, tx, ev, now, total)
			if err != nil {
				return err
			}
			regs = append(regs, ids...)
		}
		return purgeCommentEmails(ctx, tx, now) // issue 17
	})
	if err != nil {
		return nil, err
	}
	total.Files = p.db.removeMessageFiles(instance, regs)
	if total.Registrations > 0 {
		total.Kept = append(total.Kept, "les inscriptions sans nom ni adresse (comptes par catégorie), les comptes rendus et les contributions sans auteur")
	}
	return total, nil
}

// expiredEvents lists the events whose retention ended before now and that
// still hold personal data.
func expiredEvents(ctx context.Context, tx *sql.Tx, now time.Time) ([]int64, error) {
	rows, err := tx.QueryContext(ctx, `SELECT e.id, e.end_at, e.retention_months FROM events e
		WHERE EXISTS (SELECT 1 FROM registrations r WHERE r.event_id = e.id AND r.anonymised_at IS NULL)
		   OR EXISTS (SELECT 1 FROM outbox o WHERE o.event_id = e.id)
		   OR EXISTS (SELECT 1 FROM contributions c JOIN workshops w ON w.id = c.workshop_id WHERE w.event_id = e.id AND (c.author <> '' OR c.person_id IS NOT NULL))`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		var end time.Time
		var months int
		if err := rows.Scan(&id, instant{&end}, &months); err != nil {
			return nil, err
		}
		if end.AddDate(0, months, 0).Before(now) {
			out = append(out, id)
		}
	}
	return out, rows.Err()
}

// purgeEvent anonymises the participants of one event and returns the
// registrations anonymised.
func purgeEvent(ctx context.Context, tx *sql.Tx, eventID int64, now time.Time, e *fabrique.Erasure) ([]int64, error) {
	regs, err := readIDs(ctx, tx, `SELECT id FROM registrations WHERE event_id = ? AND anonymised_at IS NULL ORDER BY id`, eventID)
	if err != nil {
		return nil, err
	}
	var people []int64
	for _, id := range regs {
		var person int64
		if err := tx.QueryRowContext(ctx, `SELECT person_id FROM registrations WHERE id = ?`, id).Scan(&person); err != nil {
			return nil, err
		}
		people = append(people, person)
		n, err := anonymiseRegistration(ctx, tx, id, now)
		if err != nil {
			return nil, err
		}
		e.Registrations++
		e.Messages += n
	}
	n, err := deleteMessages(ctx, tx, `event_id = ?`, eventID)
	if err != nil {
		return nil, err
	}
	e.Messages += n
	res, err := tx.ExecContext(ctx, `UPDATE contributions SET author = '', person_id = NULL
		WHERE workshop_id IN (SELECT id FROM workshops WHERE event_id = ?) AND (author <> '' OR person_id IS NOT NULL)`, eventID)
	if err != nil {
		return nil, err
	}
	c, _ := res.RowsAffected()
	e.Contributions += int(c)
	for _, person := range people {
		var refs int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM contributions WHERE person_id = ?`, person).Scan(&refs); err != nil {
			return nil, err
		}
		// Told of status changes through their registrations only: none
		// left, no more notices (issue 17).
		if _, err := tx.ExecContext(ctx, `DELETE FROM status_subscriptions WHERE person_id = ?
			AND NOT EXISTS (SELECT 1 FROM registrations WHERE person_id = ? AND anonymised_at IS NULL)`, person, person); err != nil {
			return nil, err
		}
		if refs > 0 {
			continue // a contribution to another event, kept until that event's own purge
		}
		kept, err := dropPerson(ctx, tx, person)
		if err != nil {
			return nil, err
		}
		if kept == "" {
			e.People++
		}
	}
	_, err = tx.ExecContext(ctx, `UPDATE events SET purged_at = ? WHERE id = ?`, ts(now), eventID)
	return regs, err
}

// PublicVersion returns a version of everything the public page of an
// event shows: it changes with every write concerning the event or the
// data it shows (counters raised by triggers, migration 0007).
func (s *Store) PublicVersion(ctx context.Context, eventID int64) (string, error) {
	var shared, own int64
	err := s.db.read.QueryRowContext(ctx, `SELECT (SELECT version FROM public_versions WHERE event_id = 0),
		COALESCE((SELECT version FROM public_versions WHERE event_id = ?), -1)`, eventID).Scan(&shared, &own)
	if err != nil {
		return "", translate(err)
	}
	return strconv.FormatInt(shared, 10) + "." + strconv.FormatInt(own, 10), nil
}
