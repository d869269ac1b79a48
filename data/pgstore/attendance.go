package pgstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"locatiedesk/data"
)

// DayList builds a group's list for a date from contracts, calendar, extras and
// records, on one snapshot. Children with a record but no longer expected (a
// contract changed afterwards) stay on the list, so nothing recorded
// disappears.
func (db *DB) DayList(ctx context.Context, groupID data.ID, d data.Date) (data.DayList, error) {
	var r dayReads
	if err := db.viewBatch(ctx, func(b *pgx.Batch) { r.queueDays(b, groupID, oneDay, pgx.NamedArgs{"day": dateArg(d)}) }); err != nil {
		return data.DayList{}, err
	}
	if db.actor != nil && !db.worksIn(r.group) { // staff read their own groups' children only
		return data.DayList{}, fmt.Errorf("%w: %s works in other groups than %q", data.ErrForbidden, db.actor.Name, r.group.Name)
	}
	return r.list(d), nil
}

// batcher is a transaction: it sends several queries in one round trip.
type batcher interface {
	querier
	SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults
}

// dayReads are the records a group's lists of some days are planned from.
type dayReads struct {
	group     data.Group
	settings  data.Settings
	contracts []data.Contract
	extras    []data.Extra
	records   map[data.Date]map[data.ID]data.Attendance
	children  map[data.ID]data.Child
	consent   consentLevels
	cal       data.Calendar
	// absentGroupOK reads an unknown group as groupAbsent, not an error,
	// for a reader that refuses it by its own rule.
	absentGroupOK, groupAbsent bool
}

// oneDay is the days of queueDays for the list of one day, @day.
const oneDay = `SELECT @day::date`

// readDayList reads a group's list of a day in one round trip to the
// database whatever the number of children on it.
func readDayList(ctx context.Context, q batcher, groupID data.ID, d data.Date) (data.DayList, error) {
	var r dayReads
	b := &pgx.Batch{}
	r.queueDays(b, groupID, oneDay, pgx.NamedArgs{"day": dateArg(d)})
	if err := q.SendBatch(ctx, b).Close(); err != nil {
		return data.DayList{}, err
	}
	return r.list(d), nil
}

// queueDays queues reading the group's lists of the days the query days
// selects (one column of dates; its parameters other than @group in args):
// the group with the settings, the group's contracts running in the span of
// those days, its extras and records of the days, the children on the lists
// (expected under a contract or by an extra, or with a record) with their
// consent, and the calendar of the days for the schools of the children
// under those contracts. All in one batch: the children and their schools
// are found by the queries themselves, not from the answers to earlier
// ones. Each set goes in as an ARRAY(…) computed once: the server plans
// the statements at every call, and plans those far quicker than IN (…)
// joins (at 5 years of history planning took longer than running them).
func (r *dayReads) queueDays(b *pgx.Batch, groupID data.ID, days string, args pgx.NamedArgs) {
	args = maps.Clone(args)
	args["group"] = int64(groupID)
	r.queueGroup(b, "@group", args)
	// Contracts running in the span from the first day to the last: exactly
	// the day's for one day, and PlanDay keeps each day's for several.
	contracts := `group_id = @group AND start_day <= (SELECT max(d) FROM unnest(ARRAY(` + days + `)) AS d)
		AND (end_day IS NULL OR end_day >= (SELECT min(d) FROM unnest(ARRAY(` + days + `)) AS d))`
	extras := `group_id = @group AND day = ANY(ARRAY(` + days + `))`
	records := `group_id = @group AND day = ANY(ARRAY(` + days + `))`
	onLists := `SELECT child_id FROM contracts WHERE ` + contracts + ` UNION SELECT child_id FROM extras WHERE ` + extras +
		` UNION SELECT child_id FROM attendance WHERE ` + records
	r.queueContracts(b, `WHERE `+contracts+` ORDER BY id`, args)
	r.queueExtras(b, `WHERE `+extras+` ORDER BY day, child_id`, args)
	r.queueRecords(b, `WHERE `+records, args)
	r.queueChildren(b, `WHERE id = ANY(ARRAY(`+onLists+`))`, args)
	// The calendar plans the contracts' days only (A1): their children's schools'.
	queueCalendar(b, &r.cal, days, `SELECT school_id FROM children WHERE id IN (SELECT child_id FROM contracts WHERE `+contracts+`)`, args)
}

// list is the group's list of day d, one of the days read.
func (r *dayReads) list(d data.Date) data.DayList {
	plan := data.PlanDay(d, r.group, r.contracts, r.extras, r.children, r.cal, r.settings)
	list := data.DayList{Date: d, Group: r.group, Closed: plan.Closed, ClosedReason: plan.ClosedReason}
	records := r.records[d]
	onList := map[data.ID]bool{}
	for _, e := range plan.Expected {
		onList[e.ChildID] = true
		list.Rows = append(list.Rows, data.DayRow{Child: r.children[e.ChildID], Expected: e.Times, Source: e.Source, Attendance: records[e.ChildID], Consent: r.consent.of(e.ChildID)})
	}
	var unplanned []data.DayRow
	for id, a := range records {
		if !onList[id] {
			unplanned = append(unplanned, data.DayRow{Child: r.children[id], Attendance: a, Consent: r.consent.of(id)})
		}
	}
	data.SortByName(unplanned, func(r data.DayRow) data.Child { return r.Child })
	list.Rows = append(list.Rows, unplanned...)
	return list
}

// childRow is one child's place on a group's list of a day.
type childRow struct {
	group        data.Group
	closed       bool
	closedReason string
	// listed says the child is on the list: expected (A1), or with a record.
	listed bool
	row    data.DayRow
}

// readChildRow is readDayList for one child: the same rules (A1) on only
// the child's contracts, extra, record and school calendar, so a check-in
// does not build the whole group's list to find one row. One round trip.
func readChildRow(ctx context.Context, q batcher, groupID, childID data.ID, d data.Date) (childRow, error) {
	b := &pgx.Batch{}
	args := pgx.NamedArgs{"group": int64(groupID), "child": int64(childID), "day": dateArg(d)}
	r := queueChildRow(b, "@group", "@child", "@day::date", args)
	if err := q.SendBatch(ctx, b).Close(); err != nil {
		return childRow{}, err
	}
	return r.childRow(childID, d), nil
}

// queueChildRow queues readChildRow's reads in b, for a batch that reads
// more; childRow of the result is the row once b has been sent. The group,
// child and day are SQL expressions of args: parameters, or a query of the
// row that names them (a request's).
func queueChildRow(b *pgx.Batch, group, child, day string, args pgx.NamedArgs) *dayReads {
	var r dayReads
	r.queueGroup(b, group, args)
	r.queueChildren(b, `WHERE id = `+child, args)
	r.queueContracts(b, `WHERE child_id = `+child+` AND start_day <= `+day+` AND (end_day IS NULL OR end_day >= `+day+`) ORDER BY id`, args)
	r.queueExtras(b, `WHERE day = `+day+` AND group_id = `+group+` AND child_id = `+child, args)
	r.queueRecords(b, `WHERE day = `+day+` AND group_id = `+group+` AND child_id = `+child, args)
	queueCalendar(b, &r.cal, `SELECT `+day, `SELECT school_id FROM children WHERE id = `+child, args)
	return &r
}

// childRow is the child's row on d from what queueChildRow read.
func (r *dayReads) childRow(childID data.ID, d data.Date) childRow {
	cr := childRow{group: r.group}
	c, known := r.children[childID]
	plan := data.PlanDay(d, r.group, r.contracts, r.extras, map[data.ID]data.Child{childID: c}, r.cal, r.settings)
	cr.closed, cr.closedReason = plan.Closed, plan.ClosedReason
	if plan.Closed || !known {
		return cr
	}
	cr.row = data.DayRow{Child: c, Consent: r.consent.of(childID)}
	if rec, ok := r.records[d][childID]; ok {
		cr.row.Attendance, cr.listed = rec, true
	}
	if len(plan.Expected) > 0 {
		cr.row.Expected, cr.row.Source, cr.listed = plan.Expected[0].Times, plan.Expected[0].Source, true
	}
	return cr
}

// queueGroup queues reading the group with the settings, which plan its
// day; group is its ID as an SQL expression of args.
func (r *dayReads) queueGroup(b *pgx.Batch, group string, args pgx.NamedArgs) {
	b.Queue(`SELECT `+groupColumns+`, (SELECT settings FROM organisation) FROM groups WHERE id = `+group, args).QueryRow(func(row pgx.Row) error {
		var settings []byte
		var err error
		r.group, err = scanGroup(withColumns(row, &settings))
		if r.groupAbsent = errors.Is(err, pgx.ErrNoRows); r.groupAbsent && r.absentGroupOK {
			return nil
		}
		if err := notFound(err, "group", args["group"]); err != nil {
			return err
		}
		r.settings, err = decodeSettings(settings)
		return err
	})
}

func (r *dayReads) queueContracts(b *pgx.Batch, where string, args pgx.NamedArgs) {
	b.Queue(`SELECT `+contractColumns+` FROM contracts `+where, args).Query(func(rows pgx.Rows) (err error) {
		r.contracts, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (data.Contract, error) { return scanContract(row) })
		return err
	})
}

func (r *dayReads) queueExtras(b *pgx.Batch, where string, args pgx.NamedArgs) {
	b.Queue(`SELECT `+extraColumns+` FROM extras `+where, args).Query(func(rows pgx.Rows) (err error) {
		r.extras, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (data.Extra, error) { return scanExtra(row) })
		return err
	})
}

// queueRecords queues reading attendance records, by day and child.
func (r *dayReads) queueRecords(b *pgx.Batch, where string, args pgx.NamedArgs) {
	b.Queue(`SELECT day, `+attendanceColumns+` FROM attendance `+where, args).Query(func(rows pgx.Rows) error {
		r.records = map[data.Date]map[data.ID]data.Attendance{}
		for rows.Next() {
			var d data.Date
			child, a, err := scanAttendance(rows, scanDate(&d))
			if err != nil {
				return err
			}
			if r.records[d] == nil {
				r.records[d] = map[data.ID]data.Attendance{}
			}
			r.records[d][child] = a
		}
		return rows.Err()
	})
}

// queueChildren queues reading the children a WHERE clause selects, each
// with the current answer of their photo consent: of the child's history
// the answer given last, and of answers given the same day the one recorded
// last, as data.CurrentConsent picks it (C1).
func (r *dayReads) queueChildren(b *pgx.Batch, where string, args pgx.NamedArgs) {
	b.Queue(`SELECT `+childColumns+`, (SELECT level FROM consent_changes WHERE child_id = children.id ORDER BY given DESC, seq DESC LIMIT 1)
		FROM children `+where, args).Query(func(rows pgx.Rows) error {
		r.children, r.consent = map[data.ID]data.Child{}, consentLevels{}
		for rows.Next() {
			var level *string
			c, err := scanChild(withColumns(rows, &level))
			if err != nil {
				return fmt.Errorf("read children: %w", err)
			}
			r.children[c.ID] = c
			if level != nil {
				r.consent[c.ID] = data.ConsentLevel(*level)
			}
		}
		return rows.Err()
	})
}

const extraColumns = `child_id, group_id, day, from_min, until_min, source`

func scanExtra(row pgx.Row) (data.Extra, error) {
	var e data.Extra
	var child, group int64
	var from, until int16
	err := row.Scan(&child, &group, scanDate(&e.Date), &from, &until, &e.Source)
	e.ChildID, e.GroupID, e.Times = data.ID(child), data.ID(group), data.TimeRange{From: data.Clock(from), Until: data.Clock(until)}
	return e, err
}

const attendanceColumns = `child_id, check_in, check_out, absent, absence_reason, absence_text, note, updated_by, updated_at,
	absence_reported_at, absence_reported_by, absence_minutes, credit, no_credit`

// scanAttendance scans a row of the columns lead scans followed by
// attendanceColumns: the record and the child it is of.
func scanAttendance(row pgx.Row, lead ...any) (data.ID, data.Attendance, error) {
	var a data.Attendance
	var child int64
	var in, out16 *int16
	var credit []byte
	err := row.Scan(append(lead, &child, &in, &out16, &a.Absent, &a.AbsenceReason, &a.AbsenceText, &a.Note, &a.UpdatedBy, &a.UpdatedAt,
		scanTime(&a.AbsenceReportedAt), &a.AbsenceReportedBy, &a.AbsenceMinutes, &credit, &a.NoCredit)...)
	if err != nil {
		return 0, a, fmt.Errorf("read attendance: %w", err)
	}
	a.CheckIn, a.CheckOut = clockOf(in), clockOf(out16)
	if credit != nil {
		a.Credit = new(data.CreditRef)
		if err := json.Unmarshal(credit, a.Credit); err != nil {
			return 0, a, fmt.Errorf("decode the credit of child %d's record: %w", child, err)
		}
	}
	return data.ID(child), a, nil
}

// putAttendance is the one writer of attendance records.
func putAttendance(ctx context.Context, tx pgx.Tx, d data.Date, groupID, childID data.ID, a data.Attendance) error {
	var credit []byte
	if a.Credit != nil {
		var err error
		if credit, err = json.Marshal(a.Credit); err != nil {
			return err
		}
	}
	_, err := tx.Exec(ctx, `INSERT INTO attendance (day, group_id, child_id, check_in, check_out, absent, absence_reason, absence_text,
			note, updated_by, updated_at, absence_reported_at, absence_reported_by, absence_minutes, credit, no_credit)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
		ON CONFLICT (day, group_id, child_id) DO UPDATE SET check_in = excluded.check_in, check_out = excluded.check_out,
			absent = excluded.absent, absence_reason = excluded.absence_reason, absence_text = excluded.absence_text,
			note = excluded.note, updated_by = excluded.updated_by, updated_at = excluded.updated_at,
			absence_reported_at = excluded.absence_reported_at, absence_reported_by = excluded.absence_reported_by,
			absence_minutes = excluded.absence_minutes, credit = excluded.credit, no_credit = excluded.no_credit`,
		dateArg(d), int64(groupID), int64(childID), clockArg(a.CheckIn), clockArg(a.CheckOut), a.Absent, string(a.AbsenceReason), a.AbsenceText,
		a.Note, a.UpdatedBy, a.UpdatedAt, timeArg(a.AbsenceReportedAt), a.AbsenceReportedBy, a.AbsenceMinutes, credit, string(a.NoCredit))
	if err != nil {
		return fmt.Errorf("store the record of child %d on %s: %w", childID, d, err)
	}
	return nil
}

// consentLevels are the current photo-consent levels of some children.
type consentLevels map[data.ID]data.ConsentLevel

// of is the child's level: ConsentNotAnswered until the parents answered.
func (c consentLevels) of(childID data.ID) data.ConsentLevel {
	if l, ok := c[childID]; ok && l.IsAnswer() {
		return l
	}
	return data.ConsentNotAnswered
}

// Unlock opens another date than today for editing by the named user. Every
// unlock is written to the audit log with its date (A3).
func (db *DB) Unlock(ctx context.Context, d data.Date, by string) (*data.Unlock, error) {
	if strings.TrimSpace(by) == "" {
		return nil, data.Refuse(data.RefuseAttendanceNoUnlocker, nil)
	}
	err := db.update(ctx, data.AuditUnlock, func(_ pgx.Tx, changed *[]data.Change) error {
		if err := db.allowRole(data.ActAttendance); err != nil {
			return err
		}
		*changed = append(*changed, data.Change{Kind: data.ChangeUnlock, Date: d, Detail: "unlocked " + d.String()})
		return nil
	})
	if err != nil {
		return nil, err
	}
	return data.NewUnlock(d, by), nil
}

// CheckIn records the child's arrival at the given time; an absence mark is
// lifted, because the child came after all.
func (db *DB) CheckIn(ctx context.Context, e data.DayEdit, at data.Clock) error {
	return db.applyEdit(ctx, data.AuditCheckIn, e, data.CheckInEdit(db.now(), e.Date, at))
}

// CheckOut records the child's departure at the given time.
func (db *DB) CheckOut(ctx context.Context, e data.DayEdit, at data.Clock) error {
	return db.applyEdit(ctx, data.AuditCheckOut, e, data.CheckOutEdit(db.now(), e.Date, at))
}

// SetTimes corrects the check-in and check-out times; nil clears a time, and
// clearing the check-in clears the check-out too (a tap by mistake undone).
func (db *DB) SetTimes(ctx context.Context, e data.DayEdit, in, out *data.Clock) error {
	return db.applyEdit(ctx, data.AuditSetTimes, e, data.SetTimesEdit(db.now(), e.Date, in, out))
}

// MarkAbsent records the child as absent with a reason; the child stays on the list (A1).
func (db *DB) MarkAbsent(ctx context.Context, e data.DayEdit, reason data.AbsenceReason) error {
	return db.applyEdit(ctx, data.AuditMarkAbsent, e, data.MarkAbsentEdit(reason))
}

// MarkAbsentOther records the child as absent for another reason, in the
// few words staff give (at most MaxAbsenceText characters, one line). The
// words are kept on the record and shown on the list.
func (db *DB) MarkAbsentOther(ctx context.Context, e data.DayEdit, text string) error {
	return db.applyEdit(ctx, data.AuditMarkAbsentOther, e, data.MarkAbsentOtherEdit(text))
}

// ClearAbsence takes back an absence mark.
func (db *DB) ClearAbsence(ctx context.Context, e data.DayEdit) error {
	return db.applyEdit(ctx, data.AuditClearAbsence, e, data.ClearAbsenceEdit())
}

// SetNote replaces the note on the child's record.
func (db *DB) SetNote(ctx context.Context, e data.DayEdit, note string) error {
	return db.applyEdit(ctx, data.AuditSetNote, e, data.SetNoteEdit(note))
}

// editAttendance applies change to one record as the audit action, as
// applyEdit does.
func (db *DB) editAttendance(ctx context.Context, action string, e data.DayEdit, presence bool, change func(data.Attendance) (data.Attendance, error)) error {
	return db.applyEdit(ctx, action, e, data.AttendanceEdit{Presence: presence, Change: change})
}

// applyEdit applies edit to one record in one transaction logged as
// action, after the checks every attendance edit shares: the date is today
// or unlocked (A3), the location is open, and the child is on that day's
// list of that group.
func (db *DB) applyEdit(ctx context.Context, action string, e data.DayEdit, edit data.AttendanceEdit) error {
	now := db.now()
	if err := edit.Check(data.DateOf(now), e); err != nil {
		return err
	}
	return db.update(ctx, action, func(tx pgx.Tx, changed *[]data.Change) error {
		if err := db.allow(ctx, tx, data.ActAttendance, 0, e.GroupID); err != nil {
			return err
		}
		return editRecord(ctx, tx, e, now, edit.Change, changed)
	})
}

// editRecord is applyEdit's transaction at the moment now, after the
// date checks: the location is open, and the child is on that day's list of
// that group; the ledger follows an absence reported or taken back.
func editRecord(ctx context.Context, tx pgx.Tx, e data.DayEdit, now time.Time, change func(data.Attendance) (data.Attendance, error), changed *[]data.Change) error {
	cr, err := readChildRow(ctx, tx, e.GroupID, e.ChildID, e.Date)
	if err != nil {
		return err
	}
	if err := data.OnEditableList(e, cr.group.Name, cr.listed, cr.closed, cr.closedReason); err != nil {
		return err
	}
	row := cr.row
	rec := &row.Attendance
	before := *rec
	if *rec, err = change(before); err != nil {
		return err
	}
	rec.UpdatedBy, rec.UpdatedAt = e.By, now
	if err := settleAbsence(ctx, tx, e, row, before, rec, now, changed); err != nil {
		return err
	}
	*changed = append(*changed, data.AttendanceChange(e, before, *rec))
	return putAttendance(ctx, tx, e.Date, e.GroupID, e.ChildID, *rec)
}
