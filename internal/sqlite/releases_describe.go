package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"fabrique/internal/fabrique"
)

// The French sentences that tell a participant what changed, in the email
// and in the invitation's DESCRIPTION of an update.

// describeSpan says how a span of time changed: « L'horaire passe de
// 17 h 30 à 18 h 00. » on the same day (with both ends when the length
// changed too), or « La date passe du mardi 21 juin 2016 à 17 h 30 au
// mardi 28 juin 2016 à 18 h 00. ».
func describeSpan(oldStart, oldEnd, newStart, newEnd time.Time) string {
	t, d := fabrique.FrenchTime, fabrique.FrenchDate
	switch {
	case d(oldStart) != d(newStart):
		return fmt.Sprintf("La date passe du %s à %s au %s à %s.", d(oldStart), t(oldStart), d(newStart), t(newStart))
	case newEnd.Sub(newStart) != oldEnd.Sub(oldStart):
		return fmt.Sprintf("L'horaire passe de %s – %s à %s – %s.", t(oldStart), t(oldEnd), t(newStart), t(newEnd))
	}
	return fmt.Sprintf("L'horaire passe de %s à %s.", t(oldStart), t(newStart))
}

// describeRoom says that something moves from a room to another: « Votre
// atelier change de salle : Salle B au lieu de Salle 109. ».
func describeRoom(ctx context.Context, tx *sql.Tx, what string, from, to *int64) (string, error) {
	a, err := roomName(ctx, tx, from)
	if err != nil {
		return "", err
	}
	b, err := roomName(ctx, tx, to)
	if err != nil {
		return "", err
	}
	switch {
	case b == "":
		return fmt.Sprintf("%s n'a plus de salle attribuée (au lieu %s) : la salle vous sera indiquée.", what, fabrique.De(a)), nil
	case a == "":
		return fmt.Sprintf("%s a lieu en %s.", what, b), nil
	}
	return fmt.Sprintf("%s change de salle : %s au lieu %s.", what, b, fabrique.De(a)), nil
}

func roomName(ctx context.Context, tx *sql.Tx, id *int64) (string, error) {
	if id == nil {
		return "", nil
	}
	var name string
	err := tx.QueryRowContext(ctx, `SELECT name FROM rooms WHERE id = ?`, *id).Scan(&name)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return name, err
}

// describePlace says where an event now takes place.
func describePlace(ctx context.Context, tx *sql.Tx, v *fabrique.Event) (string, error) {
	if v.VenueID == nil {
		return "L'événement a désormais lieu en ligne : le lien est dans l'invitation.", nil
	}
	var name, address string
	err := tx.QueryRowContext(ctx, `SELECT name, address FROM venues WHERE id = ?`, *v.VenueID).Scan(&name, &address)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("Le lieu change : %s, %s.", name, address), nil
}
