package fabrique

import (
	"slices"
	"strconv"
)

// CommitmentSelection filters a plan's commitments by carrier, principle and status.
type CommitmentSelection struct {
	Carrier   int64
	Principle Principle
	Status    CommitmentStatus
}

// SelectCommitments reads the filters of a plan's list; a wrong value names its field.
func SelectCommitments(carrier, principle, status string) (CommitmentSelection, error) {
	var sel CommitmentSelection
	var p Problems
	if carrier != "" {
		id, err := strconv.ParseInt(carrier, 10, 64)
		if err != nil || id <= 0 {
			p.Add("carrier_id", "identifiant d'organisation invalide")
		}
		sel.Carrier = id
	}
	sel.Principle = Principle(principle)
	OneOf(&p, "principle", sel.Principle, Principles, false)
	sel.Status = CommitmentStatus(status)
	OneOf(&p, "status", sel.Status, CommitmentStatuses, false)
	return sel, p.Err()
}

// Apply keeps the commitments the selection matches, in their order.
func (sel CommitmentSelection) Apply(list []*CommitmentRecord) []*CommitmentRecord {
	out := []*CommitmentRecord{}
	for _, r := range list {
		c := r.Commitment
		if (sel.Carrier == 0 || slices.Contains(c.CarrierIDs, sel.Carrier)) &&
			(sel.Principle == "" || slices.Contains(c.Principles, sel.Principle)) &&
			(sel.Status == "" || c.Status == sel.Status) {
			out = append(out, r)
		}
	}
	return out
}
