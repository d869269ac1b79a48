package pgstore

import (
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"

	"locatiedesk/data"
)

// draftReads is everything the request rules ask of a draft's day, read
// in one batch: the form's preview is one round trip, and submitting reads
// all its facts in one inside its transaction. Each query finds what it
// needs by itself (the child's school, the group's location), not from the
// answers to the others.
type draftReads struct {
	settings   data.Settings
	child      data.Child
	childFound bool
	// day is the group's list of the draft's day, with the group (or
	// groupAbsent).
	day dayReads
	// contracts are all the child's contracts, every version, by ID: the
	// day's, those credit is granted for, and their earlier versions.
	contracts         []data.Contract
	studyDayCancelled bool    // at the group's location, on the child's school's study day (S2)
	liveRequest       data.ID // the child's open or approved request of the day, or 0
	granted           map[grantKey]bool
	ledger            []data.CreditEntry // the child's credit that has not expired by today
}

// queue queues reading the facts of draft d as of today in b; they are in
// r once b has been sent. A retry queues them again into the same r.
func (r *draftReads) queue(b *pgx.Batch, d data.RequestDraft, today data.Date) {
	*r = draftReads{day: dayReads{absentGroupOK: true}}
	args := pgx.NamedArgs{"child": int64(d.ChildID), "group": int64(d.GroupID), "day": dateArg(d.Date), "today": dateArg(today),
		"cancelled": string(data.OutcomeCancelled), "open": string(data.StatusOpen), "approved": string(data.StatusApproved)}
	queueSettings(b, &r.settings)
	b.Queue(`SELECT `+childColumns+` FROM children WHERE id = @child`, args).Query(func(rows pgx.Rows) error {
		children, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (data.Child, error) { return scanChild(row) })
		if err != nil {
			return fmt.Errorf("child %d: %w", d.ChildID, err)
		}
		if r.childFound = len(children) == 1; r.childFound {
			r.child = children[0]
		}
		return nil
	})
	b.Queue(`SELECT `+contractColumns+` FROM contracts WHERE child_id = @child ORDER BY id`, args).Query(func(rows pgx.Rows) (err error) {
		r.contracts, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (data.Contract, error) { return scanContract(row) })
		return err
	})
	b.Queue(`SELECT EXISTS (SELECT FROM study_day_decisions WHERE day = @day AND outcome = @cancelled
			AND school_id = (SELECT school_id FROM children WHERE id = @child)
			AND location_id = (SELECT location_id FROM groups WHERE id = @group))`, args).QueryRow(func(row pgx.Row) error {
		return row.Scan(&r.studyDayCancelled)
	})
	b.Queue(`SELECT coalesce(min(id), 0) FROM requests WHERE child_id = @child AND day = @day AND status IN (@open, @approved)`, args).
		QueryRow(func(row pgx.Row) error {
			var id int64
			err := row.Scan(&id)
			r.liveRequest = data.ID(id)
			return err
		})
	b.Queue(grantedPeriodsSQL, int64(d.ChildID)).Query(func(rows pgx.Rows) (err error) {
		r.granted, err = collectGrantedPeriods(rows, d.ChildID)
		return err
	})
	b.Queue(childLedgerSQL, int64(d.ChildID), dateArg(today)).Query(func(rows pgx.Rows) (err error) {
		r.ledger, err = collectCreditEntries(rows)
		return err
	})
	r.day.queueDays(b, d.GroupID, oneDay, pgx.NamedArgs{"day": dateArg(d.Date)})
}

// facts checks every rule a draft must meet on what was read
// (data.CheckDraftParties, RequestWindow, CheckDraftDay), in the order a
// user can act on them, returning the first it breaks as problem.
func (r *draftReads) facts(d data.RequestDraft, today data.Date) (rc data.DraftFacts, problem error) {
	rc.Settings = r.settings
	if !r.childFound {
		return rc, data.Refuse(data.RefuseUnknownChild, data.Args{"Child": int(d.ChildID)})
	}
	rc.Child, rc.ChildFound = r.child, true
	if r.day.groupAbsent {
		return rc, data.Refuse(data.RefuseUnknownGroup, data.Args{"Group": int(d.GroupID)})
	}
	rc.Group = r.day.group
	if problem := data.CheckDraftParties(d, rc.Child, rc.Group); problem != nil {
		return rc, problem
	}
	// The occupancy is counted before any rule can refuse the draft, so the
	// figure shown is the day's whoever asks and whatever the answer.
	list := r.day.list(d.Date)
	rc.Occupancy = list.Occupancy()
	if problem := data.RequestWindow(today, d.Date, d.Channel, rc.Settings); problem != nil {
		return rc, problem
	}
	day := r.draftDay(d, list)
	rc.HolidayDay, rc.StudyDay = day.HolidayDay, day.StudyDay
	rc.Products, problem = data.CheckDraftDay(d, day)
	return rc, problem
}

// draftDay is what the request rules need to know of the draft's day.
func (r *draftReads) draftDay(d data.RequestDraft, list data.DayList) data.DraftDay {
	day := data.DraftDay{Child: r.child, Group: r.day.group, Closed: list.Closed, ClosedReason: list.ClosedReason}
	if day.Closed {
		return day
	}
	day.Contracts = slices.DeleteFunc(slices.Clone(r.contracts), func(c data.Contract) bool { return c.GroupID != d.GroupID || !c.Runs(d.Date) })
	if len(day.Contracts) == 0 {
		return day
	}
	if day.Group.Care == data.BSO {
		// The list's calendar holds the child's school: the child has a
		// contract in the group that day.
		school := r.child.SchoolID
		day.HolidayDay = r.day.cal.IsSchoolHoliday(school, d.Date)
		day.StudyDay = !day.HolidayDay && r.day.cal.IsStudyDay(school, d.Date)
		day.StudyDayCancelled = day.StudyDay && r.studyDayCancelled
	}
	row, ok := list.Row(d.ChildID)
	day.Listed = ok && row.Source != ""
	day.LiveRequest = r.liveRequest
	return day
}

// dueGrants is the flexible credit due to the child as of today
// (dueGrants), from what was read.
func (r *draftReads) dueGrants(today data.Date) ([]flexibleGrant, error) {
	horizon := grantHorizon(today, r.settings)
	running := slices.DeleteFunc(slices.Clone(r.contracts), func(c data.Contract) bool {
		return c.Start.After(horizon) || (!c.End.IsZero() && c.End.Before(today))
	})
	return grantsDue(running, r.granted, today, r.settings, func(id data.ID) (data.Contract, error) {
		if i := slices.IndexFunc(r.contracts, func(c data.Contract) bool { return c.ID == id }); i >= 0 {
			return r.contracts[i], nil
		}
		return data.Contract{}, data.ErrNotFound
	})
}
