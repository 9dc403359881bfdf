package sqlite

import (
	"context"
	"database/sql"

	"fabrique/internal/fabrique"
)

// ResendInvitation implements fabrique.EnrolmentService: the invitation of
// a seated registration goes again, with the same UID (a higher SEQUENCE,
// so that the calendar takes it as the same event) and the same private
// link. Staff of the host (or administrators) only; an event over, a
// draft or a registration without a seat has nothing to resend.
func (e *Enrolments) ResendInvitation(ctx context.Context, regID int64) error {
	return e.db.inTx(ctx, func(tx *sql.Tx) error {
		reg, err := loadReg(ctx, tx, regID)
		if err != nil {
			return err
		}
		u := fabrique.UserFrom(ctx)
		host, err := eventHost(ctx, tx, reg.EventID)
		if err != nil {
			return err
		}
		if !fabrique.Can(u, fabrique.ObjParticipant, fabrique.ActRead, hostOwner(host)) {
			if u == nil {
				return errAnonymous
			}
			return fabrique.Errorf(fabrique.ENOTFOUND, "L'inscription n° %d n'existe pas.", regID)
		}
		if err := authorize(u, fabrique.ObjParticipant, fabrique.ActChange, hostOwner(host), "renvoyer l'invitation d'un participant"); err != nil {
			return err
		}
		ev, q, err := e.db.eventQueue(ctx, tx, reg.EventID)
		if err != nil {
			return err
		}
		switch {
		case ev.Status != fabrique.EventPublished:
			return fabrique.Errorf(fabrique.ECONFLICT, "L'événement « %s » n'est pas publié : aucune invitation n'est envoyée avant sa publication.", ev.Title)
		case !ev.upcoming(q.now):
			return fabrique.Errorf(fabrique.ECONFLICT, "L'événement « %s » est passé : il n'y a plus d'invitation à envoyer.", ev.Title)
		case !seated(reg.Status):
			return fabrique.Errorf(fabrique.ECONFLICT, "%s n'a pas de place (inscription %s) : seule une personne inscrite reçoit une invitation.",
				reg.Name, statusWords[reg.Status])
		}
		return q.invite(ev, regID, fabrique.MsgInvitation, nil)
	})
}

// statusWords names a registration's state inside a sentence.
var statusWords = map[fabrique.RegistrationStatus]string{
	fabrique.RegRegistered: "confirmée",
	fabrique.RegAttended:   "marquée présente",
	fabrique.RegWaiting:    "sur liste d'attente",
	fabrique.RegPending:    "en attente de répartition",
	fabrique.RegCancelled:  "annulée",
}
