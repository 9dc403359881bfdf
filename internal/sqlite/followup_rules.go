package sqlite

import (
	"context"
	"database/sql"
	"errors"

	"fabrique/internal/fabrique"
)

// The access rules of the follow-up of commitments, one function per rule,
// named after the action so that they move as they are into the policy
// table (role × action × ownership): "carrier" is an organiser of one of
// the organisations carrying the commitment.

// commitmentCarriers returns the plan and the carrying organisations of a
// commitment, ENOTFOUND when it does not exist.
func commitmentCarriers(ctx context.Context, q queryer, id int64) (plan int64, carriers []int64, err error) {
	err = q.QueryRowContext(ctx, `SELECT plan_id FROM commitments WHERE id = ?`, id).Scan(&plan)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil, fabrique.Errorf(fabrique.ENOTFOUND, "L'engagement n° %d n'existe pas.", id)
	} else if err != nil {
		return 0, nil, err
	}
	carriers, err = readIDs(ctx, q, `SELECT organisation_id FROM commitment_carriers WHERE commitment_id = ? ORDER BY position`, id)
	return plan, carriers, err
}

// carries reports whether the policy lets u keep the follow-up of a
// commitment carried by carriers (its organisers, and the DITP).
func carries(u *fabrique.User, carriers []int64) bool {
	return fabrique.Can(u, fabrique.ObjFollowUp, fabrique.ActChange, fabrique.CarriersOwner(carriers))
}

// manages reports whether the policy lets u run a plan's consultations.
func manages(u *fabrique.User) bool {
	return fabrique.Can(u, fabrique.ObjConsultation, fabrique.ActChange, fabrique.Owner{Shared: true})
}

// mayReportProgress: status, milestones and indicators of a commitment:
// administrators (DITP) and the organisers of its carrying organisations.
func mayReportProgress(u *fabrique.User, carriers []int64) error {
	switch {
	case u == nil:
		return errAnonymous
	case carries(u, carriers):
		return nil
	}
	return forbidden("modifier le suivi d'un engagement que votre organisation ne porte pas")
}

// mayAnswerComment: the carriers' organisers and administrators answer comments.
func mayAnswerComment(u *fabrique.User, carriers []int64) error {
	switch {
	case u == nil:
		return errAnonymous
	case carries(u, carriers):
		return nil
	}
	return forbidden("répondre au nom des organisations qui portent cet engagement")
}

// mayModerateComments: the plan's staff, administrators.
func mayModerateComments(u *fabrique.User) error {
	switch {
	case u == nil:
		return errAnonymous
	case manages(u):
		return nil
	}
	return forbidden("modérer les commentaires de la consultation")
}

// mayManageConsultations: opening consultations and the moderation setting, administrators.
func mayManageConsultations(u *fabrique.User) error {
	switch {
	case u == nil:
		return errAnonymous
	case manages(u):
		return nil
	}
	return forbidden("ouvrir une consultation ou changer la modération d'un plan d'action")
}

// maySeePendingComments: comments awaiting moderation are for administrators.
func maySeePendingComments(u *fabrique.User) bool {
	return fabrique.Can(u, fabrique.ObjConsultation, fabrique.ActRead, fabrique.Owner{Shared: true})
}
