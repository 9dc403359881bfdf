package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"fabrique/internal/fabrique"
)

// FollowUpService implements fabrique.FollowUpService: status and its
// history, milestones, indicators, consultations and comments.
type FollowUpService struct {
	s *Store
}

var _ fabrique.FollowUpService = (*FollowUpService)(nil)

// FollowUp implements fabrique.Store.
func (s *Store) FollowUp() fabrique.FollowUpService { return &FollowUpService{s: s} }

// today is the current day in Paris by the store's clock.
func (f *FollowUpService) today() string {
	return f.s.db.now().In(fabrique.Paris).Format("2006-01-02")
}

// Plan implements fabrique.FollowUpService: a few queries for the whole
// plan, whatever the number of commitments and workshops.
func (f *FollowUpService) Plan(ctx context.Context, planID int64, number string) (*fabrique.PlanFollowUp, error) {
	var out *fabrique.PlanFollowUp
	err := f.s.db.inReadTx(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = f.loadPlan(ctx, tx, planID, number)
		return err
	})
	return out, err
}

// Record implements fabrique.FollowUpService.
func (f *FollowUpService) Record(ctx context.Context, commitmentID int64) (*fabrique.CommitmentRecord, error) {
	var out *fabrique.CommitmentRecord
	err := f.s.db.inReadTx(ctx, func(tx *sql.Tx) error {
		var plan int64
		var number string
		err := tx.QueryRowContext(ctx, `SELECT plan_id, number FROM commitments WHERE id = ?`, commitmentID).Scan(&plan, &number)
		if errors.Is(err, sql.ErrNoRows) {
			return fabrique.Errorf(fabrique.ENOTFOUND, "L'engagement n° %d n'existe pas.", commitmentID)
		} else if err != nil {
			return err
		}
		p, err := f.loadPlan(ctx, tx, plan, number)
		if err != nil {
			return err
		}
		out = p.Commitments[0]
		return nil
	})
	return out, err
}

// loadPlan reads a plan's follow-up; number selects one commitment.
func (f *FollowUpService) loadPlan(ctx context.Context, tx *sql.Tx, planID int64, number string) (*fabrique.PlanFollowUp, error) {
	u := fabrique.UserFrom(ctx)
	plan, err := f.s.plans.get(ctx, tx, planID, "", nil)
	if err != nil {
		return nil, err
	}
	out := &fabrique.PlanFollowUp{Plan: plan, Moderation: fabrique.ModerationBefore, Today: f.today(), Consultations: []*fabrique.Consultation{}}
	var mod string
	switch err := tx.QueryRowContext(ctx, `SELECT moderation FROM plan_followup WHERE plan_id = ?`, planID).Scan(&mod); {
	case err == nil:
		out.Moderation = fabrique.Moderation(mod)
	case !errors.Is(err, sql.ErrNoRows):
		return nil, err
	}
	if out.Consultations, err = queryConsultations(ctx, tx, planID, out.Moderation); err != nil {
		return nil, err
	}
	clause, args := " WHERE t.plan_id = ?", []any{planID}
	if number != "" {
		clause, args = clause+" AND t.number = ?", append(args, number)
	}
	list, err := f.s.commitments.query(ctx, tx, clause+" ORDER BY "+f.s.commitments.order, args...)
	if err != nil {
		return nil, err
	}
	if number != "" && len(list) == 0 {
		return nil, fabrique.Errorf(fabrique.ENOTFOUND, "Le plan d'action n° %d n'a pas d'engagement numéro « %s ».", planID, number)
	}
	// scope restricts the follow-up tables to the commitments read.
	scope, sargs := "SELECT id FROM commitments WHERE plan_id = ?", []any{planID}
	if number != "" {
		scope, sargs = "SELECT id FROM commitments WHERE plan_id = ? AND number = ?", []any{planID, number}
	}
	byID := map[int64]*fabrique.CommitmentRecord{}
	for _, c := range list {
		r := &fabrique.CommitmentRecord{Commitment: c, PlanTitle: plan.Title, Carriers: []*fabrique.Organisation{},
			Milestones: []*fabrique.Milestone{}, Indicators: []*fabrique.Indicator{}, History: []*fabrique.StatusChange{},
			Workshops: []*fabrique.DiscussedWorkshop{}, Comments: []*fabrique.Comment{}}
		out.Commitments = append(out.Commitments, r)
		byID[c.ID] = r
	}
	orgs, err := f.s.organisations.query(ctx, tx, " WHERE t.id IN (SELECT organisation_id FROM commitment_carriers WHERE commitment_id IN ("+scope+"))", sargs...)
	if err != nil {
		return nil, err
	}
	orgByID := map[int64]*fabrique.Organisation{}
	for _, o := range orgs {
		orgByID[o.ID] = o
	}
	for _, r := range out.Commitments {
		for _, id := range r.Commitment.CarrierIDs {
			if o := orgByID[id]; o != nil {
				r.Carriers = append(r.Carriers, o)
			}
		}
	}
	for _, load := range []func(context.Context, *sql.Tx, string, []any, map[int64]*fabrique.CommitmentRecord) error{
		loadMilestones, loadIndicators, loadHistory, loadDiscussions,
	} {
		if err := load(ctx, tx, scope, sargs, byID); err != nil {
			return nil, err
		}
	}
	return out, loadComments(ctx, tx, scope, sargs, byID, maySeePendingComments(u))
}

func queryConsultations(ctx context.Context, q queryer, planID int64, mod fabrique.Moderation) ([]*fabrique.Consultation, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, plan_id, title, opens, closes, created_at FROM consultations WHERE plan_id = ? ORDER BY opens, id`, planID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*fabrique.Consultation{}
	for rows.Next() {
		c := &fabrique.Consultation{Moderation: mod}
		if err := rows.Scan(&c.ID, &c.PlanID, &c.Title, &c.Opens, &c.Closes, instant{&c.CreatedAt}); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// each runs a query and calls scan for every row.
func each(ctx context.Context, q queryer, query string, args []any, scan func(*sql.Rows) error) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

func loadMilestones(ctx context.Context, tx *sql.Tx, scope string, args []any, by map[int64]*fabrique.CommitmentRecord) error {
	return each(ctx, tx, `SELECT id, commitment_id, title, due, done_on, updated_at FROM milestones WHERE commitment_id IN (`+scope+`) ORDER BY due, id`, args,
		func(rows *sql.Rows) error {
			m := &fabrique.Milestone{}
			if err := rows.Scan(&m.ID, &m.CommitmentID, &m.Title, &m.Due, &m.DoneOn, instant{&m.UpdatedAt}); err != nil {
				return err
			}
			by[m.CommitmentID].Milestones = append(by[m.CommitmentID].Milestones, m)
			return nil
		})
}

func loadIndicators(ctx context.Context, tx *sql.Tx, scope string, args []any, by map[int64]*fabrique.CommitmentRecord) error {
	inds := map[int64]*fabrique.Indicator{}
	err := each(ctx, tx, `SELECT id, commitment_id, name, unit, target FROM indicators WHERE commitment_id IN (`+scope+`) ORDER BY id`, args,
		func(rows *sql.Rows) error {
			i := &fabrique.Indicator{Measurements: []*fabrique.Measurement{}}
			var target sql.NullFloat64
			if err := rows.Scan(&i.ID, &i.CommitmentID, &i.Name, &i.Unit, &target); err != nil {
				return err
			}
			if target.Valid {
				i.Target = &target.Float64
			}
			inds[i.ID] = i
			by[i.CommitmentID].Indicators = append(by[i.CommitmentID].Indicators, i)
			return nil
		})
	if err != nil {
		return err
	}
	return each(ctx, tx, `SELECT v.id, v.indicator_id, v.value, v.measured_on, v.source FROM indicator_values v JOIN indicators i ON i.id = v.indicator_id
		WHERE i.commitment_id IN (`+scope+`) ORDER BY v.measured_on, v.id`, args,
		func(rows *sql.Rows) error {
			m := &fabrique.Measurement{}
			if err := rows.Scan(&m.ID, &m.IndicatorID, &m.Value, &m.MeasuredOn, &m.Source); err != nil {
				return err
			}
			inds[m.IndicatorID].Measurements = append(inds[m.IndicatorID].Measurements, m)
			return nil
		})
}

func loadHistory(ctx context.Context, tx *sql.Tx, scope string, args []any, by map[int64]*fabrique.CommitmentRecord) error {
	return each(ctx, tx, `SELECT id, commitment_id, from_status, to_status, justification, changed_by, changed_at FROM commitment_status_changes
		WHERE commitment_id IN (`+scope+`) ORDER BY id`, args,
		func(rows *sql.Rows) error {
			h := &fabrique.StatusChange{}
			if err := rows.Scan(&h.ID, &h.CommitmentID, &h.From, &h.To, &h.Justification, &h.ChangedBy, instant{&h.ChangedAt}); err != nil {
				return err
			}
			by[h.CommitmentID].History = append(by[h.CommitmentID].History, h)
			return nil
		})
}

// loadDiscussions reads the workshops of published events that discussed
// each commitment, and their published contributions (publishable ones of
// published minutes), the author named only with consent.
func loadDiscussions(ctx context.Context, tx *sql.Tx, scope string, args []any, by map[int64]*fabrique.CommitmentRecord) error {
	type key struct{ workshop, commitment int64 }
	workshops := map[int64][]*fabrique.DiscussedWorkshop{}
	err := each(ctx, tx, `SELECT wc.commitment_id, w.id, w.event_id, e.title, e.kind, w.number, w.title, COALESCE(i.start_at, e.start_at), COALESCE(m.state, 'draft')
		FROM workshop_commitments wc JOIN workshops w ON w.id = wc.workshop_id JOIN events e ON e.id = w.event_id
		LEFT JOIN programme_items i ON i.id = w.item_id LEFT JOIN workshop_minutes m ON m.workshop_id = w.id
		WHERE e.status = 'published' AND wc.commitment_id IN (`+scope+`) ORDER BY e.start_at, w.number, w.id`, args,
		func(rows *sql.Rows) error {
			var cid int64
			var state string
			d := &fabrique.DiscussedWorkshop{Contributions: []*fabrique.Contribution{}}
			if err := rows.Scan(&cid, &d.WorkshopID, &d.EventID, &d.Event, &d.EventKind, &d.Number, &d.Title, instant{&d.Start}, &state); err != nil {
				return err
			}
			d.Published = state == string(fabrique.MinutesPublished)
			by[cid].Workshops = append(by[cid].Workshops, d)
			workshops[d.WorkshopID] = append(workshops[d.WorkshopID], d)
			return nil
		})
	if err != nil || len(workshops) == 0 {
		return err
	}
	return each(ctx, tx, `SELECT c.id, c.workshop_id, c.category, c.text, c.author, c.consent, COALESCE(p.name, ''), COALESCE(o.name, ''), c.created_at
		FROM contributions c JOIN workshop_minutes m ON m.workshop_id = c.workshop_id AND m.state = 'published'
		LEFT JOIN people p ON p.id = c.person_id LEFT JOIN organisations o ON o.id = c.organisation_id
		WHERE c.publishable = 1 AND c.workshop_id IN (SELECT workshop_id FROM workshop_commitments WHERE commitment_id IN (`+scope+`)) ORDER BY c.id`, args,
		func(rows *sql.Rows) error {
			c := &fabrique.Contribution{Publishable: true}
			var person, org string
			if err := rows.Scan(&c.ID, &c.WorkshopID, &c.Category, &c.Text, &c.Author, &c.Consent, &person, &org, instant{&c.CreatedAt}); err != nil {
				return err
			}
			c.Author = publicAuthor(c.Consent, c.Author, person, org)
			for _, d := range workshops[c.WorkshopID] {
				d.Contributions = append(d.Contributions, c)
			}
			return nil
		})
}

// publicAuthor names the author of a published contribution: only with
// consent, as they wished, or by their name, or their organisation.
func publicAuthor(consent bool, author, person, org string) string {
	if !consent {
		return ""
	}
	for _, s := range []string{author, person, org} {
		if s = strings.TrimSpace(s); s != "" {
			return s
		}
	}
	return ""
}

const commentColumns = `id, commitment_id, consultation_id, parent_id, author, text, state, carrier_answer, confirmed_at IS NOT NULL, created_at, published_at`

func scanComment(sc interface{ Scan(...any) error }) (*fabrique.Comment, error) {
	c := &fabrique.Comment{}
	var published sql.NullString
	err := sc.Scan(&c.ID, &c.CommitmentID, &c.ConsultationID, &c.ParentID, &c.Author, &c.Text, &c.State, &c.CarrierAnswer, &c.Confirmed, instant{&c.CreatedAt}, &published)
	if err == nil && published.Valid {
		var t = c.CreatedAt
		if err := (instant{&t}).Scan(published.String); err != nil {
			return nil, err
		}
		c.PublishedAt = &t
	}
	return c, err
}

func loadComments(ctx context.Context, tx *sql.Tx, scope string, args []any, by map[int64]*fabrique.CommitmentRecord, pending bool) error {
	states := "state = 'published'"
	if pending { // confirmed by their authors: the others are not staff's yet
		states = "(state = 'published' OR (state = 'pending' AND confirmed_at IS NOT NULL))"
	}
	return each(ctx, tx, `SELECT `+commentColumns+` FROM comments WHERE `+states+` AND commitment_id IN (`+scope+`) ORDER BY id`, args,
		func(rows *sql.Rows) error {
			c, err := scanComment(rows)
			if err != nil {
				return err
			}
			by[c.CommitmentID].Comments = append(by[c.CommitmentID].Comments, c)
			return nil
		})
}

func getComment(ctx context.Context, q queryer, id int64) (*fabrique.Comment, error) {
	c, err := scanComment(q.QueryRowContext(ctx, `SELECT `+commentColumns+` FROM comments WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fabrique.Errorf(fabrique.ENOTFOUND, "Le commentaire n° %d n'existe pas.", id)
	}
	return c, err
}
