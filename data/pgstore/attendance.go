package pgstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
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
	var list data.DayList
	err := db.view(ctx, func(tx pgx.Tx) error {
		var err error
		if list, err = readDayList(ctx, tx, groupID, d); err != nil {
			return err
		}
		if db.actor != nil && !db.worksIn(list.Group) { // staff read their own groups' children only
			name := list.Group.Name
			list = data.DayList{}
			return fmt.Errorf("%w: %s works in other groups than %q", data.ErrForbidden, db.actor.Name, name)
		}
		return nil
	})
	return list, err
}

// readDayList reads a group's list of a day in one query per kind of record
// (group, settings, contracts, extras, records, children, consent, calendar),
// whatever the number of children on it.
func readDayList(ctx context.Context, q querier, groupID data.ID, d data.Date) (data.DayList, error) {
	group, err := readGroup(ctx, q, groupID)
	if err != nil {
		return data.DayList{}, err
	}
	settings, err := readSettings(ctx, q)
	if err != nil {
		return data.DayList{}, err
	}
	contracts, err := groupContracts(ctx, q, groupID, d)
	if err != nil {
		return data.DayList{}, err
	}
	extras, err := readExtras(ctx, q, `WHERE day = $1 AND group_id = $2 ORDER BY child_id`, dateArg(d), int64(groupID))
	if err != nil {
		return data.DayList{}, err
	}
	records, err := readRecords(ctx, q, `WHERE day = $1 AND group_id = $2`, dateArg(d), int64(groupID))
	if err != nil {
		return data.DayList{}, err
	}

	var ids []data.ID
	for _, c := range contracts {
		if c.Runs(d) {
			ids = append(ids, c.ChildID)
		}
	}
	for _, e := range extras {
		ids = append(ids, e.ChildID)
	}
	for id := range records {
		ids = append(ids, id)
	}
	children, err := childrenByID(ctx, q, ids)
	if err != nil {
		return data.DayList{}, err
	}
	var schools []data.ID
	for _, id := range ids {
		c, ok := children[id]
		if !ok {
			return data.DayList{}, fmt.Errorf("child %d: %w", id, data.ErrNotFound)
		}
		if c.SchoolID != 0 {
			schools = append(schools, c.SchoolID)
		}
	}
	consent, err := readConsentLevels(ctx, q, ids)
	if err != nil {
		return data.DayList{}, err
	}
	cal, err := calendarFor(ctx, q, d, schools)
	if err != nil {
		return data.DayList{}, err
	}

	plan := data.PlanDay(d, group, contracts, extras, children, cal, settings)
	list := data.DayList{Date: d, Group: group, Closed: plan.Closed, ClosedReason: plan.ClosedReason}
	onList := map[data.ID]bool{}
	for _, e := range plan.Expected {
		onList[e.ChildID] = true
		list.Rows = append(list.Rows, data.DayRow{Child: children[e.ChildID], Expected: e.Times, Source: e.Source, Attendance: records[e.ChildID], Consent: consent.of(e.ChildID)})
	}
	var unplanned []data.DayRow
	for id, a := range records {
		if !onList[id] {
			unplanned = append(unplanned, data.DayRow{Child: children[id], Attendance: a, Consent: consent.of(id)})
		}
	}
	data.SortByName(unplanned, func(r data.DayRow) data.Child { return r.Child })
	list.Rows = append(list.Rows, unplanned...)
	return list, nil
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
// does not build the whole group's list to find one row.
func readChildRow(ctx context.Context, q querier, groupID, childID data.ID, d data.Date) (childRow, error) {
	var cr childRow
	var err error
	if cr.group, err = readGroup(ctx, q, groupID); err != nil {
		return cr, err
	}
	settings, err := readSettings(ctx, q)
	if err != nil {
		return cr, err
	}
	child, err := readChild(ctx, q, childID)
	known := err == nil
	if err != nil && !errors.Is(err, data.ErrNotFound) {
		return cr, err
	}
	var contracts []data.Contract
	var extras []data.Extra
	if known {
		if contracts, err = childContracts(ctx, q, childID, d, d); err != nil {
			return cr, err
		}
		if extras, err = readExtras(ctx, q, `WHERE day = $1 AND group_id = $2 AND child_id = $3`, dateArg(d), int64(groupID), int64(childID)); err != nil {
			return cr, err
		}
	}
	var schools []data.ID
	if child.SchoolID != 0 {
		schools = append(schools, child.SchoolID)
	}
	cal, err := calendarFor(ctx, q, d, schools)
	if err != nil {
		return cr, err
	}
	plan := data.PlanDay(d, cr.group, contracts, extras, map[data.ID]data.Child{childID: child}, cal, settings)
	cr.closed, cr.closedReason = plan.Closed, plan.ClosedReason
	if plan.Closed || !known {
		return cr, nil
	}
	consent, err := readConsentLevels(ctx, q, []data.ID{childID})
	if err != nil {
		return cr, err
	}
	cr.row = data.DayRow{Child: child, Consent: consent.of(childID)}
	records, err := readRecords(ctx, q, `WHERE day = $1 AND group_id = $2 AND child_id = $3`, dateArg(d), int64(groupID), int64(childID))
	if err != nil {
		return cr, err
	}
	if rec, ok := records[childID]; ok {
		cr.row.Attendance, cr.listed = rec, true
	}
	if len(plan.Expected) > 0 {
		cr.row.Expected, cr.row.Source, cr.listed = plan.Expected[0].Times, plan.Expected[0].Source, true
	}
	return cr, nil
}

// readExtras reads the extras (care beyond the contract) a WHERE clause selects.
func readExtras(ctx context.Context, q querier, where string, args ...any) ([]data.Extra, error) {
	rows, err := q.Query(ctx, `SELECT child_id, group_id, day, from_min, until_min, source FROM extras `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("read extras: %w", err)
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (data.Extra, error) {
		var e data.Extra
		var child, group int64
		var from, until int16
		err := row.Scan(&child, &group, scanDate(&e.Date), &from, &until, &e.Source)
		e.ChildID, e.GroupID, e.Times = data.ID(child), data.ID(group), data.TimeRange{From: data.Clock(from), Until: data.Clock(until)}
		return e, err
	})
}

const attendanceColumns = `child_id, check_in, check_out, absent, absence_reason, absence_text, note, updated_by, updated_at,
	absence_reported_at, absence_reported_by, absence_minutes, credit, no_credit`

// readRecords reads the attendance records a WHERE clause selects, by child.
func readRecords(ctx context.Context, q querier, where string, args ...any) (map[data.ID]data.Attendance, error) {
	rows, err := q.Query(ctx, `SELECT `+attendanceColumns+` FROM attendance `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("read attendance: %w", err)
	}
	defer rows.Close()
	out := map[data.ID]data.Attendance{}
	for rows.Next() {
		var a data.Attendance
		var child int64
		var in, out16 *int16
		var credit []byte
		err := rows.Scan(&child, &in, &out16, &a.Absent, &a.AbsenceReason, &a.AbsenceText, &a.Note, &a.UpdatedBy, &a.UpdatedAt,
			scanTime(&a.AbsenceReportedAt), &a.AbsenceReportedBy, &a.AbsenceMinutes, &credit, &a.NoCredit)
		if err != nil {
			return nil, fmt.Errorf("read attendance: %w", err)
		}
		a.CheckIn, a.CheckOut = clockOf(in), clockOf(out16)
		if credit != nil {
			a.Credit = new(data.CreditRef)
			if err := json.Unmarshal(credit, a.Credit); err != nil {
				return nil, fmt.Errorf("decode the credit of child %d's record: %w", child, err)
			}
		}
		out[data.ID(child)] = a
	}
	return out, rows.Err()
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

// readConsentLevels reads the children's current answers: of each child's
// history the answer given last, and of answers given on the same day the
// one recorded last, as data.CurrentConsent picks it (C1).
func readConsentLevels(ctx context.Context, q querier, ids []data.ID) (consentLevels, error) {
	rows, err := q.Query(ctx, `SELECT DISTINCT ON (child_id) child_id, level FROM consent_changes
		WHERE child_id = ANY($1) ORDER BY child_id, given DESC, seq DESC`, idsArg(ids))
	if err != nil {
		return nil, fmt.Errorf("read consent: %w", err)
	}
	defer rows.Close()
	out := consentLevels{}
	for rows.Next() {
		var child int64
		var level data.ConsentLevel
		if err := rows.Scan(&child, &level); err != nil {
			return nil, fmt.Errorf("read consent: %w", err)
		}
		out[data.ID(child)] = level
	}
	return out, rows.Err()
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
	if err := data.NotLaterThanNow(db.now(), e.Date, &at); err != nil {
		return err
	}
	return db.editAttendance(ctx, data.AuditCheckIn, e, true, func(a data.Attendance) (data.Attendance, error) {
		return data.RecordCheckIn(a, at)
	})
}

// CheckOut records the child's departure at the given time.
func (db *DB) CheckOut(ctx context.Context, e data.DayEdit, at data.Clock) error {
	if err := data.NotLaterThanNow(db.now(), e.Date, &at); err != nil {
		return err
	}
	return db.editAttendance(ctx, data.AuditCheckOut, e, true, func(a data.Attendance) (data.Attendance, error) {
		return data.RecordCheckOut(a, at)
	})
}

// SetTimes corrects the check-in and check-out times; nil clears a time, and
// clearing the check-in clears the check-out too (a tap by mistake undone).
func (db *DB) SetTimes(ctx context.Context, e data.DayEdit, in, out *data.Clock) error {
	if err := data.NotLaterThanNow(db.now(), e.Date, in, out); err != nil {
		return err
	}
	return db.editAttendance(ctx, data.AuditSetTimes, e, true, func(a data.Attendance) (data.Attendance, error) {
		return data.CorrectTimes(a, in, out)
	})
}

// MarkAbsent records the child as absent with a reason; the child stays on the list (A1).
func (db *DB) MarkAbsent(ctx context.Context, e data.DayEdit, reason data.AbsenceReason) error {
	if err := data.CheckAbsenceReason(reason); err != nil {
		return err
	}
	return db.editAttendance(ctx, data.AuditMarkAbsent, e, false, markAbsent(reason, ""))
}

// MarkAbsentOther records the child as absent for another reason, in the
// few words staff give (at most MaxAbsenceText characters, one line). The
// words are kept on the record and shown on the list.
func (db *DB) MarkAbsentOther(ctx context.Context, e data.DayEdit, text string) error {
	text, err := data.AbsenceOtherText(text)
	if err != nil {
		return err
	}
	return db.editAttendance(ctx, data.AuditMarkAbsentOther, e, false, markAbsent(data.AbsenceOther, text))
}

func markAbsent(reason data.AbsenceReason, text string) func(data.Attendance) (data.Attendance, error) {
	return func(a data.Attendance) (data.Attendance, error) {
		return data.RecordAbsence(a, reason, text)
	}
}

// ClearAbsence takes back an absence mark.
func (db *DB) ClearAbsence(ctx context.Context, e data.DayEdit) error {
	return db.editAttendance(ctx, data.AuditClearAbsence, e, false, func(a data.Attendance) (data.Attendance, error) {
		a.Absent, a.AbsenceReason, a.AbsenceText = false, "", ""
		return a, nil
	})
}

// SetNote replaces the note on the child's record.
func (db *DB) SetNote(ctx context.Context, e data.DayEdit, note string) error {
	note, err := data.AttendanceNote(note)
	if err != nil {
		return err
	}
	return db.editAttendance(ctx, data.AuditSetNote, e, false, func(a data.Attendance) (data.Attendance, error) {
		a.Note = note
		return a, nil
	})
}

// editAttendance applies change to one record in one transaction, after the
// checks every attendance edit shares: the date is today or unlocked (A3), the
// location is open, and the child is on that day's list of that group.
func (db *DB) editAttendance(ctx context.Context, action string, e data.DayEdit, presence bool, change func(data.Attendance) (data.Attendance, error)) error {
	if strings.TrimSpace(e.By) == "" {
		return data.Refuse(data.RefuseAttendanceNoEditor, nil)
	}
	now := db.now()
	if err := data.EditableDay(data.DateOf(now), e.Date, e.Unlock, presence); err != nil {
		return err
	}
	return db.update(ctx, action, func(tx pgx.Tx, changed *[]data.Change) error {
		if err := db.allow(ctx, tx, data.ActAttendance, 0, e.GroupID); err != nil {
			return err
		}
		return editRecord(ctx, tx, e, now, change, changed)
	})
}

// editRecord is editAttendance's transaction at the moment now, after the
// date checks: the location is open, and the child is on that day's list of
// that group; the ledger follows an absence reported or taken back.
func editRecord(ctx context.Context, tx pgx.Tx, e data.DayEdit, now time.Time, change func(data.Attendance) (data.Attendance, error), changed *[]data.Change) error {
	cr, err := readChildRow(ctx, tx, e.GroupID, e.ChildID, e.Date)
	if err != nil {
		return err
	}
	if err := data.OpenDay(e.Date, cr.closed, cr.closedReason); err != nil {
		return err
	}
	if !cr.listed {
		return fmt.Errorf("child %d is not on the list of %s on %s: %w", e.ChildID, cr.group.Name, e.Date, data.ErrNotFound)
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
	*changed = append(*changed, data.Change{Kind: data.ChangeAttendance, Date: e.Date, GroupID: e.GroupID, ChildID: e.ChildID,
		Detail: before.Summary() + " → " + rec.Summary()})
	return putAttendance(ctx, tx, e.Date, e.GroupID, e.ChildID, *rec)
}
