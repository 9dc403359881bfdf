package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"strconv"

	"fabrique/internal/fabrique"
)

var errBadLink = &fabrique.Error{Code: fabrique.ENOTFOUND, Message: "Ce lien personnel est inconnu. Vérifiez qu'il est complet, ou inscrivez-vous de nouveau avec la même adresse pour recevoir un nouveau lien."}

// buildAgenda reads what the participant's page shows.
func buildAgenda(ctx context.Context, q queryer, regID int64, now func() bool) (*fabrique.Agenda, error) {
	reg, err := loadReg(ctx, q, regID)
	if err != nil {
		return nil, err
	}
	ev, err := loadEvent(ctx, q, reg.EventID)
	if err != nil {
		return nil, err
	}
	ws, err := seats(ctx, q, ev.ID)
	if err != nil {
		return nil, err
	}
	a := &fabrique.Agenda{RegistrationID: reg.ID, Name: reg.Name, Email: reg.Email, Status: reg.Status, EventID: ev.ID,
		EventTitle: ev.Title, EventStatus: ev.Status, When: fabrique.FrenchSpan(ev.Start, ev.End), Choices: reg.Choices,
		Workshops: ws, Items: []fabrique.CalendarItem{}}
	if reg.WorkshopID != nil {
		a.Workshop = findSeat(ws, *reg.WorkshopID)
	}
	if reg.Status == fabrique.RegWaiting {
		if a.WaitingPosition, err = waitingPosition(ctx, q, reg.ID); err != nil {
			return nil, err
		}
	}
	a.CanChange = now() && len(ws) > 0 && ev.Settings.Allocation == fabrique.AllocFirstCome &&
		(reg.Status == fabrique.RegRegistered || reg.Status == fabrique.RegWaiting)
	if reg.Status == fabrique.RegRegistered || reg.Status == fabrique.RegAttended {
		if a.Items, err = participantItems(ctx, q, ev, reg); err != nil {
			return nil, err
		}
	}
	return a, nil
}

// participantItems are the calendar items of a registered participant,
// with the UIDs and SEQUENCEs of their invitations.
func participantItems(ctx context.Context, q queryer, ev *eventInfo, reg *regInfo) ([]fabrique.CalendarItem, error) {
	items, err := calendarItems(ctx, q, ev)
	if err != nil {
		return nil, err
	}
	var instance string
	if err := q.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'instance_id'`).Scan(&instance); err != nil {
		return nil, err
	}
	out := []fabrique.CalendarItem{}
	for _, it := range items {
		p, err := payload(ctx, q, ev, reg, it)
		if err != nil {
			return nil, err
		}
		ci := fabrique.CalendarItem{Key: it.Key, Title: it.Title, Start: it.Start, End: it.End, When: fabrique.FrenchSpan(it.Start, it.End),
			Location: p.Location, Description: p.Description()}
		err = q.QueryRowContext(ctx, `SELECT uid, sequence FROM calendar_copies WHERE registration_id = ? AND item_key = ?`, reg.ID, it.Key).Scan(&ci.UID, &ci.Sequence)
		if errors.Is(err, sql.ErrNoRows) {
			ci.UID = instance + "-r" + strconv.FormatInt(reg.ID, 10) + "-" + it.Key + "@fabrique"
		} else if err != nil {
			return nil, err
		}
		if ev.Status == fabrique.EventCancelled {
			ci.Status = "CANCELLED"
		}
		out = append(out, ci)
	}
	return out, nil
}

// Agenda implements fabrique.EnrolmentService.
func (e *Enrolments) Agenda(ctx context.Context, token string) (*fabrique.Agenda, error) {
	var a *fabrique.Agenda
	err := e.db.inReadTx(ctx, func(tx *sql.Tx) error {
		id, err := e.db.registrationOfLink(ctx, tx, token)
		if err != nil {
			return err
		}
		a, err = buildAgenda(ctx, tx, id, e.openNow(ctx, tx, id))
		return err
	})
	return a, err
}

// openNow returns whether the registration's event still accepts changes.
func (e *Enrolments) openNow(ctx context.Context, q queryer, regID int64) func() bool {
	return func() bool {
		var eventID int64
		if q.QueryRowContext(ctx, `SELECT event_id FROM registrations WHERE id = ?`, regID).Scan(&eventID) != nil {
			return false
		}
		ev, err := loadEvent(ctx, q, eventID)
		return err == nil && ev.open(e.db.now())
	}
}

// participantChange runs fn on the registration of token in a write
// transaction and answers the agenda as it stands after.
func (e *Enrolments) participantChange(ctx context.Context, token string, fn func(q *txQueue, ev *eventInfo, reg *regInfo) error) (*fabrique.Agenda, error) {
	var a *fabrique.Agenda
	err := e.db.inTx(ctx, func(tx *sql.Tx) error {
		q, err := e.db.newTxQueue(ctx, tx)
		if err != nil {
			return err
		}
		id, err := e.db.registrationOfLink(ctx, tx, token)
		if err != nil {
			return err
		}
		reg, err := loadReg(ctx, tx, id)
		if err != nil {
			return err
		}
		ev, err := loadEvent(ctx, tx, reg.EventID)
		if err != nil {
			return err
		}
		if err := fn(q, ev, reg); err != nil {
			return err
		}
		a, err = buildAgenda(ctx, tx, id, e.openNow(ctx, tx, id))
		return err
	})
	return a, err
}

// ChangeWorkshop implements fabrique.EnrolmentService.
func (e *Enrolments) ChangeWorkshop(ctx context.Context, token string, change fabrique.WorkshopChange) (*fabrique.Agenda, error) {
	return e.participantChange(ctx, token, func(q *txQueue, ev *eventInfo, reg *regInfo) error {
		if err := ev.checkOpen(q.now); err != nil {
			return err
		}
		if change.WorkshopID <= 0 {
			return fabrique.Invalid("workshop_id", "choisissez un atelier")
		}
		ws, err := seats(q.ctx, q.tx, ev.ID)
		if err != nil {
			return err
		}
		target := findSeat(ws, change.WorkshopID)
		if target == nil {
			return fabrique.Invalid("workshop_id", "l'atelier n° %d n'est pas un atelier de cet événement", change.WorkshopID)
		}
		if ev.Settings.Allocation == fabrique.AllocPreference {
			return fabrique.Errorf(fabrique.ECONFLICT, "Les places de « %s » sont réparties selon les choix classés : le changement d'atelier n'est pas ouvert.", ev.Title)
		}
		same := reg.WorkshopID != nil && *reg.WorkshopID == target.ID
		switch reg.Status {
		case fabrique.RegRegistered:
			if same {
				return nil
			}
			return moveRegistered(q, ev, reg, target, change.Wait)
		case fabrique.RegWaiting:
			if same {
				return nil
			}
			left, err := capacityLeft(q.ctx, q.tx, ev, ws)
			if err != nil {
				return err
			}
			if target.SeatsLeft > 0 && left != 0 {
				if err := setStatus(q, reg.ID, fabrique.RegRegistered, &target.ID); err != nil {
					return err
				}
				return q.invite(ev, reg.ID, fabrique.MsgInvitation, nil)
			}
			if err := setStatus(q, reg.ID, fabrique.RegWaiting, &target.ID); err != nil {
				return err
			}
			return q.notice(ev, reg.ID, fabrique.MsgWaiting)
		case fabrique.RegPending:
			return fabrique.Errorf(fabrique.ECONFLICT, "Votre demande attend la répartition des places : elle ne peut pas être modifiée.")
		}
		return fabrique.Errorf(fabrique.ECONFLICT, "Cette inscription est annulée : inscrivez-vous de nouveau pour choisir un atelier.")
	})
}

// moveRegistered moves a registered participant to target: at once when it
// has a seat, or onto its waiting list when wait is set (their seat is freed
// and their calendar told).
func moveRegistered(q *txQueue, ev *eventInfo, reg *regInfo, target *fabrique.WorkshopSeats, wait bool) error {
	if target.SeatsLeft > 0 {
		if err := setStatus(q, reg.ID, fabrique.RegRegistered, &target.ID); err != nil {
			return err
		}
		if err := q.invite(ev, reg.ID, fabrique.MsgUpdate, nil); err != nil {
			return err
		}
		return promote(q, ev)
	}
	if !wait {
		return fabrique.Errorf(fabrique.ECONFLICT, "L'atelier « %s » est complet. Pour rejoindre sa liste d'attente (et libérer votre place actuelle), renvoyez la demande avec « wait » : true.", target.Title)
	}
	if err := q.withdraw(ev, reg.ID, fabrique.MsgCancellation, target.Title); err != nil {
		return err
	}
	if err := setStatus(q, reg.ID, fabrique.RegWaiting, &target.ID); err != nil {
		return err
	}
	if err := q.notice(ev, reg.ID, fabrique.MsgWaiting); err != nil {
		return err
	}
	return promote(q, ev)
}

// CancelRegistration implements fabrique.EnrolmentService.
func (e *Enrolments) CancelRegistration(ctx context.Context, token string) (*fabrique.Agenda, error) {
	return e.participantChange(ctx, token, func(q *txQueue, ev *eventInfo, reg *regInfo) error {
		if !q.now.Before(ev.End) {
			return fabrique.Errorf(fabrique.ECONFLICT, "L'événement « %s » est terminé : l'inscription ne peut plus être annulée.", ev.Title)
		}
		switch reg.Status {
		case fabrique.RegCancelled:
			return nil
		case fabrique.RegAttended:
			return fabrique.Errorf(fabrique.ECONFLICT, "Votre présence a déjà été enregistrée.")
		case fabrique.RegRegistered:
			if err := q.withdraw(ev, reg.ID, fabrique.MsgCancellation, ""); err != nil {
				return err
			}
			if err := setStatus(q, reg.ID, fabrique.RegCancelled, reg.WorkshopID); err != nil {
				return err
			}
			return promote(q, ev)
		}
		if err := setStatus(q, reg.ID, fabrique.RegCancelled, reg.WorkshopID); err != nil {
			return err
		}
		return q.notice(ev, reg.ID, fabrique.MsgWithdrawn)
	})
}

// RegistrationForm implements fabrique.EnrolmentService.
func (e *Enrolments) RegistrationForm(ctx context.Context, eventID int64) (*fabrique.RegistrationForm, error) {
	var f *fabrique.RegistrationForm
	err := e.db.inReadTx(ctx, func(tx *sql.Tx) error {
		ev, err := publishedEvent(ctx, tx, eventID)
		if err != nil {
			return err
		}
		ws, err := seats(ctx, tx, eventID)
		if err != nil {
			return err
		}
		left, err := capacityLeft(ctx, tx, ev, ws)
		if err != nil {
			return err
		}
		f = &fabrique.RegistrationForm{EventID: ev.ID, Title: ev.Title, When: fabrique.FrenchSpan(ev.Start, ev.End),
			Allocation: ev.Settings.Allocation, Open: ev.open(e.db.now()), ClosesAt: ev.Settings.ClosesAt, SeatsLeft: left,
			Categories: fabrique.Categories, Workshops: ws, ConsentPurpose: fabrique.ConsentPurpose, ConsentRetention: fabrique.ConsentRetention}
		return nil
	})
	return f, err
}
