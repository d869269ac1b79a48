package pgstore

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"locatiedesk/data"
)

// readStudyDay reads one study day of a school with its decisions.
func readStudyDay(ctx context.Context, q querier, schoolID data.ID, d data.Date) (data.StudyDay, error) {
	sds, err := readStudyDays(ctx, q, `WHERE s.school_id = $1 AND s.day = $2`, int64(schoolID), dateArg(d))
	if err != nil {
		return data.StudyDay{}, err
	}
	if len(sds) == 0 {
		return data.StudyDay{}, fmt.Errorf("study day of school %d on %s: %w", schoolID, d, data.ErrNotFound)
	}
	return sds[0], nil
}

// StudyDaySheet reads a study day at a location with the children who may
// need care and the sign-ups so far.
func (db *DB) StudyDaySheet(ctx context.Context, locationID, schoolID data.ID, d data.Date) (data.StudyDaySheet, error) {
	var sheet data.StudyDaySheet
	err := db.view(ctx, func(tx pgx.Tx) error {
		var err error
		sheet, err = readStudyDaySheet(ctx, tx, locationID, schoolID, d)
		return err
	})
	return sheet, err
}

func readStudyDaySheet(ctx context.Context, q batcher, locationID, schoolID data.ID, d data.Date) (data.StudyDaySheet, error) {
	var sheet data.StudyDaySheet
	var err error
	if sheet.StudyDay, err = readStudyDay(ctx, q, schoolID, d); err != nil {
		return sheet, err
	}
	if sheet.Location, err = readLocation(ctx, q, locationID); err != nil {
		return sheet, err
	}
	if sheet.School, err = readSchool(ctx, q, schoolID); err != nil {
		return sheet, err
	}
	settings, err := readSettings(ctx, q)
	if err != nil {
		return sheet, err
	}
	sheet.Hours, sheet.Minimum = settings.HolidayDay, settings.StudyDayMinimum
	sheet.Decision = sheet.StudyDay.Decision(locationID)

	groups, running, err := locationBSOContracts(ctx, q, locationID, d)
	if err != nil {
		return sheet, err
	}
	signUps, err := activeSignUps(ctx, q, schoolID, d)
	if err != nil {
		return sheet, err
	}
	candidates := data.StudyDayCandidates(data.BSOPlacements(running, d), signUps)
	// A sign-up may name a group the placements did not read.
	var missing []data.ID
	for _, c := range candidates {
		if _, ok := groups[c.GroupID]; !ok {
			missing = append(missing, c.GroupID)
		}
	}
	if len(missing) > 0 {
		more, err := groupsByID(ctx, q, missing)
		if err != nil {
			return sheet, err
		}
		maps.Copy(groups, more)
	}
	var onSheet []data.StudyDayCandidate
	var ids []data.ID
	for _, c := range candidates {
		g, ok := groups[c.GroupID]
		if !ok {
			return sheet, fmt.Errorf("group %d: %w", c.GroupID, data.ErrNotFound)
		}
		if g.LocationID == locationID {
			onSheet, ids = append(onSheet, c), append(ids, c.ChildID)
		}
	}
	children, err := childrenByID(ctx, q, ids)
	if err != nil {
		return sheet, err
	}
	for _, c := range onSheet {
		child, ok := children[c.ChildID]
		if !ok {
			return sheet, fmt.Errorf("child %d: %w", c.ChildID, data.ErrNotFound)
		}
		sheet.AddRow(data.StudyDayRow{Child: child, Group: groups[c.GroupID], SignUp: c.SignUp})
	}
	sources, err := othersOnLists(ctx, q, d, settings, running, sheet.Others)
	if err != nil {
		return sheet, err
	}
	sheet.Finish(sources)
	return sheet, nil
}

// othersOnLists reads what data.OthersOnLists needs for the sheet's others:
// their extras of d and their schools' calendars.
func othersOnLists(ctx context.Context, q batcher, d data.Date, settings data.Settings, running []data.Contract, others []data.StudyDayRow) (map[data.ID]data.Source, error) {
	if len(others) == 0 {
		return map[data.ID]data.Source{}, nil
	}
	var childIDs, schools []data.ID
	for _, r := range others {
		childIDs = append(childIDs, r.Child.ID)
		if r.Child.SchoolID != 0 && !slices.Contains(schools, r.Child.SchoolID) {
			schools = append(schools, r.Child.SchoolID)
		}
	}
	cal, err := calendarFor(ctx, q, d, schools)
	if err != nil {
		return nil, err
	}
	rows, err := q.Query(ctx, `SELECT `+extraColumns+` FROM extras WHERE day = $1 AND child_id = ANY($2) ORDER BY group_id, child_id`, dateArg(d), idsArg(childIDs))
	if err != nil {
		return nil, fmt.Errorf("read extras: %w", err)
	}
	extras, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (data.Extra, error) { return scanExtra(row) })
	if err != nil {
		return nil, fmt.Errorf("read extras: %w", err)
	}
	return data.OthersOnLists(d, others, running, extras, cal, settings), nil
}

// bsoPlacements finds, for every child with a BSO contract running on d in
// a group of the location, the group of that contract.
func bsoPlacements(ctx context.Context, q querier, locationID data.ID, d data.Date) (map[data.ID]data.BSOPlacement, error) {
	_, running, err := locationBSOContracts(ctx, q, locationID, d)
	if err != nil {
		return nil, err
	}
	return data.BSOPlacements(running, d), nil
}

// locationBSOContracts reads the location's BSO groups and the contracts
// running on d in them, by contract number.
func locationBSOContracts(ctx context.Context, q querier, locationID data.ID, d data.Date) (map[data.ID]data.Group, []data.Contract, error) {
	all, err := readGroups(ctx, q, `SELECT `+groupColumns+` FROM groups WHERE location_id = $1 AND care = $2`, int64(locationID), string(data.BSO))
	if err != nil {
		return nil, nil, fmt.Errorf("read the BSO groups of location %d: %w", locationID, err)
	}
	groups := make(map[data.ID]data.Group, len(all))
	for _, g := range all {
		groups[g.ID] = g
	}
	running, err := readContracts(ctx, q, `SELECT `+contractColumns+` FROM contracts
		WHERE group_id = ANY($1) AND start_day <= $2 AND (end_day IS NULL OR end_day >= $2) ORDER BY id`,
		idsArg(slices.Collect(maps.Keys(groups))), dateArg(d))
	if err != nil {
		return nil, nil, fmt.Errorf("read the BSO contracts of location %d: %w", locationID, err)
	}
	return groups, running, nil
}

const signUpColumns = `id, school_id, day, child_id, group_id, from_min, until_min, registered_by, registered_at, changed_at, cancelled, cancelled_by`

func scanSignUp(row pgx.CollectableRow) (data.SignUp, error) {
	var su data.SignUp
	var id, school, child, group int64
	var from, until int16
	err := row.Scan(&id, &school, scanDate(&su.Date), &child, &group, &from, &until, &su.RegisteredBy, &su.RegisteredAt, &su.ChangedAt, &su.Cancelled, &su.CancelledBy)
	su.ID, su.SchoolID, su.ChildID, su.GroupID = data.ID(id), data.ID(school), data.ID(child), data.ID(group)
	su.Times = data.TimeRange{From: data.Clock(from), Until: data.Clock(until)}
	return su, err
}

// activeSignUps reads the sign-ups for a school's study day that are not cancelled, by child.
func activeSignUps(ctx context.Context, q querier, schoolID data.ID, d data.Date) (map[data.ID]data.SignUp, error) {
	rows, err := q.Query(ctx, `SELECT `+signUpColumns+` FROM signups WHERE school_id = $1 AND day = $2 AND NOT cancelled`, int64(schoolID), dateArg(d))
	if err != nil {
		return nil, fmt.Errorf("read the sign-ups of %s: %w", d, err)
	}
	all, err := pgx.CollectRows(rows, scanSignUp)
	if err != nil {
		return nil, fmt.Errorf("read the sign-ups of %s: %w", d, err)
	}
	out := make(map[data.ID]data.SignUp, len(all))
	for _, su := range all {
		out[su.ChildID] = su
	}
	return out, nil
}

// RegisterSignUps stores a returned sheet in one transaction: new sign-ups,
// changed times and cancellations, each with the extra that puts the child
// on that day's list of their group (A1, A2). Nothing is stored when any line
// is refused.
func (db *DB) RegisterSignUps(ctx context.Context, reg data.SignUpRegistration) error {
	if strings.TrimSpace(reg.By) == "" {
		return data.Refuse(data.RefuseStudyDayNoRegistrar, nil)
	}
	now := db.now()
	return db.update(ctx, data.AuditRegisterSignUps, func(tx pgx.Tx, changed *[]data.Change) error {
		if err := db.allow(ctx, tx, data.ActCalendar, reg.LocationID, 0); err != nil {
			return err
		}
		sd, err := readStudyDay(ctx, tx, reg.SchoolID, reg.Date)
		if err != nil {
			return err
		}
		if err := data.SignUpsOpen(sd, reg.LocationID); err != nil {
			return err
		}
		switch cd, err := readClosingDay(ctx, tx, sd.Date); {
		case err != nil:
			return err
		case cd != nil:
			return data.OpenDay(sd.Date, true, cd.Name)
		}
		settings, err := readSettings(ctx, tx)
		if err != nil {
			return err
		}
		groups, running, err := locationBSOContracts(ctx, tx, reg.LocationID, sd.Date)
		if err != nil {
			return err
		}
		placements := data.BSOPlacements(running, sd.Date)
		existing, err := activeSignUps(ctx, tx, sd.SchoolID, sd.Date)
		if err != nil {
			return err
		}
		touched := map[data.ID]bool{}
		lists := map[data.ID]data.DayList{}
		listed := map[data.ID]bool{}
		for _, e := range reg.Children {
			child, err := readChild(ctx, tx, e.ChildID)
			if err != nil {
				return err
			}
			if listed[e.ChildID] {
				return data.Refuse(data.RefuseStudyDayTwice, data.Args{"Name": child.Name()})
			}
			listed[e.ChildID] = true
			p, ok := placements[child.ID]
			place := data.SignUpPlace{LocationID: child.LocationID, BSO: ok, FiftyTwoWeeks: p.FiftyTwoWeeks}
			if err := data.CheckSignUpChild(child, reg.LocationID, place, sd.Date); err != nil {
				return err
			}
			group, ok := groups[p.GroupID]
			if !ok {
				return fmt.Errorf("group %d: %w", p.GroupID, data.ErrNotFound)
			}
			// A study day is a day without school: the group's holiday hours.
			if err := data.CheckSignUpTimes(child, e.Times, group.HolidayHours(settings)); err != nil {
				return err
			}
			if err := checkNotExpectedOtherwise(ctx, tx, lists, child, p.GroupID, sd.Date); err != nil {
				return err
			}
			before, had := existing[child.ID]
			su, write := reg.Registered(sd, e, p.GroupID, before, had, now)
			if !write {
				continue
			}
			if had {
				if err := deleteStudyDayExtra(ctx, tx, before); err != nil {
					return err
				}
				touched[before.GroupID] = true
			}
			if _, err := putSignUp(ctx, tx, su); err != nil {
				return err
			}
			touched[su.GroupID] = true
		}
		for _, childID := range slices.Sorted(maps.Keys(existing)) {
			su := existing[childID]
			// A sign-up in another location's group is that location's sheet.
			if listed[childID] || !sameLocation(ctx, tx, groups, su.GroupID, reg.LocationID) {
				continue
			}
			su.Cancelled, su.ChangedAt = true, now
			if _, err := putSignUp(ctx, tx, su); err != nil {
				return err
			}
			touched[su.GroupID] = true
		}
		*changed = append(*changed, data.PlanningChanges(sd.Date, touched)...)
		return nil
	})
}

// sameLocation reports whether a group is one of the location's; groups
// holds the location's BSO groups, so only a group outside it is read.
func sameLocation(ctx context.Context, q querier, groups map[data.ID]data.Group, groupID, locationID data.ID) bool {
	if _, ok := groups[groupID]; ok {
		return true
	}
	g, err := readGroup(ctx, q, groupID)
	return err == nil && g.LocationID == locationID
}

// checkNotExpectedOtherwise refuses a sign-up for a child already on the
// day's list by contract or by an approved request: they would be billed
// twice. Each group's list is read once per registration.
func checkNotExpectedOtherwise(ctx context.Context, q batcher, lists map[data.ID]data.DayList, child data.Child, groupID data.ID, d data.Date) error {
	list, ok := lists[groupID]
	if !ok {
		var err error
		if list, err = readDayList(ctx, q, groupID, d); err != nil {
			return err
		}
		lists[groupID] = list
	}
	for _, r := range list.Rows {
		if r.Child.ID == child.ID {
			return data.NotExpectedOtherwise(child, r.Source, d)
		}
	}
	return nil
}

// putSignUp stores a sign-up, numbering a new one, with the extra that puts
// an active sign-up on the day's list, or takes a cancelled one off it.
func putSignUp(ctx context.Context, tx pgx.Tx, su data.SignUp) (data.SignUp, error) {
	if su.ID == 0 {
		var id int64
		err := tx.QueryRow(ctx, `INSERT INTO signups (school_id, day, child_id, group_id, from_min, until_min,
				registered_by, registered_at, changed_at, cancelled, cancelled_by)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
			int64(su.SchoolID), dateArg(su.Date), int64(su.ChildID), int64(su.GroupID), int16(su.Times.From), int16(su.Times.Until),
			su.RegisteredBy, su.RegisteredAt, su.ChangedAt, su.Cancelled, su.CancelledBy).Scan(&id)
		if err != nil {
			return su, fmt.Errorf("store the sign-up of child %d: %w", su.ChildID, err)
		}
		su.ID = data.ID(id)
	} else {
		_, err := tx.Exec(ctx, `UPDATE signups SET group_id = $2, from_min = $3, until_min = $4, changed_at = $5,
				cancelled = $6, cancelled_by = $7 WHERE id = $1`,
			int64(su.ID), int64(su.GroupID), int16(su.Times.From), int16(su.Times.Until), su.ChangedAt, su.Cancelled, su.CancelledBy)
		if err != nil {
			return su, fmt.Errorf("store sign-up %d: %w", su.ID, err)
		}
	}
	if su.Cancelled {
		return su, deleteStudyDayExtra(ctx, tx, su)
	}
	_, err := tx.Exec(ctx, `INSERT INTO extras (day, group_id, child_id, from_min, until_min, source) VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (day, group_id, child_id) DO UPDATE SET from_min = excluded.from_min, until_min = excluded.until_min, source = excluded.source`,
		dateArg(su.Date), int64(su.GroupID), int64(su.ChildID), int16(su.Times.From), int16(su.Times.Until), string(data.SourceStudyDay))
	if err != nil {
		return su, fmt.Errorf("put child %d on the list of %s: %w", su.ChildID, su.Date, err)
	}
	return su, nil
}

// deleteStudyDayExtra takes the sign-up's child off the day's list, unless
// the extra there is not a study-day one.
func deleteStudyDayExtra(ctx context.Context, tx pgx.Tx, su data.SignUp) error {
	_, err := tx.Exec(ctx, `DELETE FROM extras WHERE day = $1 AND group_id = $2 AND child_id = $3 AND source = $4`,
		dateArg(su.Date), int64(su.GroupID), int64(su.ChildID), string(data.SourceStudyDay))
	if err != nil {
		return fmt.Errorf("take child %d off the list of %s: %w", su.ChildID, su.Date, err)
	}
	return nil
}

// DecideStudyDay records the planner's decision on a study day whose
// sign-ups at a location stay below the minimum (S2): care goes ahead (its
// sign-ups are billed), or it is cancelled. A cancellation, in the same
// transaction, cancels the location's sign-ups and study-day requests for
// the day, so those children leave the day's list and nothing is billed;
// what was exported already gets a correction in the next export. A
// cancellation is final: the parents are told with a printed notice.
func (db *DB) DecideStudyDay(ctx context.Context, locationID, schoolID data.ID, d data.Date, outcome data.StudyDayOutcome, by string) error {
	by, err := data.CheckStudyDayDecider(by, outcome)
	if err != nil {
		return err
	}
	now := db.now()
	return db.update(ctx, data.AuditDecideStudyDay, func(tx pgx.Tx, changed *[]data.Change) error {
		if err := db.allow(ctx, tx, data.ActCalendar, locationID, 0); err != nil {
			return err
		}
		sheet, err := readStudyDaySheet(ctx, tx, locationID, schoolID, d)
		if err != nil {
			return err
		}
		if err := data.CheckStudyDayDecision(sheet, outcome, data.DateOf(now)); err != nil {
			return err
		}
		decision := data.StudyDayDecision{LocationID: locationID, Outcome: outcome, By: by, At: now}
		if outcome == data.OutcomeCancelled {
			if decision.Children, err = cancelStudyDayCare(ctx, tx, sheet, by, now, changed); err != nil {
				return err
			}
		}
		sd, change := sheet.Decided(decision)
		*changed = append(*changed, change)
		return putStudyDay(ctx, tx, sd)
	})
}

// cancelStudyDayCare takes back, at the sheet's location, every sign-up and
// every open or approved study-day request of the location's BSO children
// for the day, and returns those children.
func cancelStudyDayCare(ctx context.Context, tx pgx.Tx, sheet data.StudyDaySheet, by string, now time.Time, changed *[]data.Change) ([]data.ID, error) {
	var children []data.ID
	d := sheet.StudyDay.Date
	for _, su := range sheet.CancelledSignUps(by, now) {
		if _, err := putSignUp(ctx, tx, su); err != nil {
			return nil, err
		}
		children = append(children, su.ChildID)
		*changed = append(*changed, data.SignUpChange(su))
	}
	placements, err := bsoPlacements(ctx, tx, sheet.Location.ID, d)
	if err != nil {
		return nil, err
	}
	requests, err := liveStudyDayRequests(ctx, tx, slices.Collect(maps.Keys(placements)), d)
	if err != nil {
		return nil, err
	}
	for _, r := range requests {
		const reason = "studiedag gaat niet door / study day cancelled"
		if err := decideRequest(ctx, tx, r.id, by, reason, now, cancelDecision, changed); err != nil {
			return nil, err
		}
		children = append(children, r.childID)
	}
	return children, nil
}

type childRequest struct{ id, childID data.ID }

// liveStudyDayRequests finds, by child, the children's live (open or
// approved) request on d where that is a study-day request. A child has at
// most one live request a day; of more, the first is the live one, as
// liveRequest finds it.
func liveStudyDayRequests(ctx context.Context, q querier, childIDs []data.ID, d data.Date) ([]childRequest, error) {
	rows, err := q.Query(ctx, `SELECT id, child_id FROM (
			SELECT DISTINCT ON (child_id) id, child_id, product FROM requests
			WHERE child_id = ANY($1) AND day = $2 AND status IN ($3, $4) ORDER BY child_id, id) live
		WHERE product = $5 ORDER BY child_id`,
		idsArg(childIDs), dateArg(d), string(data.StatusOpen), string(data.StatusApproved), string(data.ProductStudyDay))
	if err != nil {
		return nil, fmt.Errorf("read the study-day requests of %s: %w", d, err)
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (childRequest, error) {
		var id, child int64
		err := row.Scan(&id, &child)
		return childRequest{data.ID(id), data.ID(child)}, err
	})
}

// StudyDayNotice reads what the notice of a cancelled study day says.
func (db *DB) StudyDayNotice(ctx context.Context, locationID, schoolID data.ID, d data.Date) (data.StudyDayNotice, error) {
	var n data.StudyDayNotice
	err := db.view(ctx, func(tx pgx.Tx) error {
		var err error
		if n.StudyDay, err = readStudyDay(ctx, tx, schoolID, d); err != nil {
			return err
		}
		if n.Decision, err = data.CancelledDecision(n.StudyDay, locationID); err != nil {
			return err
		}
		if n.Location, err = readLocation(ctx, tx, locationID); err != nil {
			return err
		}
		if n.School, err = readSchool(ctx, tx, schoolID); err != nil {
			return err
		}
		settings, err := readSettings(ctx, tx)
		if err != nil {
			return err
		}
		n.Minimum = settings.StudyDayMinimum
		children, err := childrenByID(ctx, tx, n.Decision.Children)
		if err != nil {
			return err
		}
		for _, id := range n.Decision.Children {
			c, ok := children[id]
			if !ok {
				return fmt.Errorf("child %d: %w", id, data.ErrNotFound)
			}
			n.Children = append(n.Children, c)
		}
		return nil
	})
	data.SortByName(n.Children, func(c data.Child) data.Child { return c })
	return n, err
}
