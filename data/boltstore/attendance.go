package boltstore

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"locatiedesk/data"

	bolt "go.etcd.io/bbolt"
)

// DayList builds a group's list for a date from contracts, calendar, extras and
// records, in one read transaction. Children with a record but no longer
// expected (a contract changed afterwards) stay on the list, so nothing
// recorded disappears.
func (db *DB) DayList(ctx context.Context, groupID data.ID, d data.Date) (data.DayList, error) {
	var list data.DayList
	err := db.view(ctx, func(tx *bolt.Tx) error {
		var err error
		if list, err = readDayList(tx, groupID, d); err != nil {
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

func readDayList(tx *bolt.Tx, groupID data.ID, d data.Date) (data.DayList, error) {
	group, err := getJSON[data.Group](tx.Bucket(bucketGroups), idKey(groupID))
	if err != nil {
		return data.DayList{}, fmt.Errorf("group %d: %w", groupID, err)
	}
	settings, err := readSettings(tx)
	if err != nil {
		return data.DayList{}, err
	}
	contracts, err := groupContracts(tx, groupID, d)
	if err != nil {
		return data.DayList{}, err
	}
	extras, err := allJSON[data.Extra](nested(tx.Bucket(bucketExtras), dateKey(d), idKey(groupID)))
	if err != nil {
		return data.DayList{}, err
	}
	records := map[data.ID]data.Attendance{}
	if b := nested(tx.Bucket(bucketAttendance), dateKey(d), idKey(groupID)); b != nil {
		err := b.ForEach(func(k, v []byte) error {
			a, err := decodeJSON[data.Attendance](v)
			if err != nil {
				return fmt.Errorf("decode attendance %x: %w", k, err)
			}
			records[data.ID(btoi(k))] = a
			return nil
		})
		if err != nil {
			return data.DayList{}, err
		}
	}

	children := map[data.ID]data.Child{}
	schools := map[data.ID]bool{}
	childBucket, pictures := newPointReader(tx.Bucket(bucketChildren)), newPointReader(tx.Bucket(bucketPictures))
	load := func(id data.ID) error {
		if _, ok := children[id]; ok {
			return nil
		}
		c, err := readChildIn(childBucket, pictures, id)
		if err != nil {
			return err
		}
		children[id] = c
		if c.SchoolID != 0 {
			schools[c.SchoolID] = true
		}
		return nil
	}
	for _, c := range contracts {
		if c.Runs(d) {
			if err := load(c.ChildID); err != nil {
				return data.DayList{}, err
			}
		}
	}
	for _, e := range extras {
		if err := load(e.ChildID); err != nil {
			return data.DayList{}, err
		}
	}
	for id := range records {
		if err := load(id); err != nil {
			return data.DayList{}, err
		}
	}
	cal, err := calendarFor(tx, d, schools)
	if err != nil {
		return data.DayList{}, err
	}

	plan := data.PlanDay(d, group, contracts, extras, children, cal, settings)
	list := data.DayList{Date: d, Group: group, Closed: plan.Closed, ClosedReason: plan.ClosedReason}
	onList := map[data.ID]bool{}
	consent := tx.Bucket(bucketConsentCurrent)
	for _, e := range plan.Expected {
		onList[e.ChildID] = true
		list.Rows = append(list.Rows, data.DayRow{Child: children[e.ChildID], Expected: e.Times, Source: e.Source, Attendance: records[e.ChildID], Consent: currentLevel(consent, e.ChildID)})
	}
	var unplanned []data.DayRow
	for id, a := range records {
		if !onList[id] {
			unplanned = append(unplanned, data.DayRow{Child: children[id], Attendance: a, Consent: currentLevel(consent, id)})
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
func readChildRow(tx *bolt.Tx, groupID, childID data.ID, d data.Date) (childRow, error) {
	var cr childRow
	var err error
	if cr.group, err = getJSON[data.Group](tx.Bucket(bucketGroups), idKey(groupID)); err != nil {
		return cr, fmt.Errorf("group %d: %w", groupID, err)
	}
	settings, err := readSettings(tx)
	if err != nil {
		return cr, err
	}
	child, err := readChild(tx, childID)
	known := err == nil
	if err != nil && !errors.Is(err, data.ErrNotFound) {
		return cr, err
	}
	var contracts []data.Contract
	var extras []data.Extra
	if known {
		if contracts, err = childContracts(tx, childID, d, d); err != nil {
			return cr, err
		}
		switch x, err := getJSON[data.Extra](nested(tx.Bucket(bucketExtras), dateKey(d), idKey(groupID)), idKey(childID)); {
		case err == nil:
			extras = append(extras, x)
		case !errors.Is(err, data.ErrNotFound):
			return cr, err
		}
	}
	cal, err := calendarFor(tx, d, map[data.ID]bool{child.SchoolID: child.SchoolID != 0})
	if err != nil {
		return cr, err
	}
	plan := data.PlanDay(d, cr.group, contracts, extras, map[data.ID]data.Child{childID: child}, cal, settings)
	cr.closed, cr.closedReason = plan.Closed, plan.ClosedReason
	if plan.Closed || !known {
		return cr, nil
	}
	cr.row = data.DayRow{Child: child, Consent: currentLevel(tx.Bucket(bucketConsentCurrent), childID)}
	switch rec, err := getJSON[data.Attendance](nested(tx.Bucket(bucketAttendance), dateKey(d), idKey(groupID)), idKey(childID)); {
	case err == nil:
		cr.row.Attendance, cr.listed = rec, true
	case !errors.Is(err, data.ErrNotFound):
		return cr, err
	}
	if len(plan.Expected) > 0 {
		cr.row.Expected, cr.row.Source, cr.listed = plan.Expected[0].Times, plan.Expected[0].Source, true
	}
	return cr, nil
}

// Unlock opens another date than today for editing by the named user. Every
// unlock is written to the audit log with its date (A3).
func (db *DB) Unlock(ctx context.Context, d data.Date, by string) (*data.Unlock, error) {
	if strings.TrimSpace(by) == "" {
		return nil, data.Refuse(data.RefuseAttendanceNoUnlocker, nil)
	}
	err := db.update(ctx, data.AuditUnlock, func(_ *bolt.Tx, changed *[]data.Change) error {
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
	return db.update(ctx, action, func(tx *bolt.Tx, changed *[]data.Change) error {
		if err := db.allow(tx, data.ActAttendance, 0, e.GroupID); err != nil {
			return err
		}
		return editRecord(tx, e, now, edit.Change, changed)
	})
}

// editRecord is applyEdit's transaction at the moment now, after the
// date checks: the location is open, and the child is on that day's list of
// that group; the ledger follows an absence reported or taken back.
func editRecord(tx *bolt.Tx, e data.DayEdit, now time.Time, change func(data.Attendance) (data.Attendance, error), changed *[]data.Change) error {
	cr, err := readChildRow(tx, e.GroupID, e.ChildID, e.Date)
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
	if err := settleAbsence(tx, e, row, before, rec, now, changed); err != nil {
		return err
	}
	*changed = append(*changed, data.AttendanceChange(e, before, *rec))
	return putAttendance(tx, e.Date, e.GroupID, e.ChildID, *rec)
}

// putAttendance is the one writer of attendance records; it keeps the
// child's index (attendance-by-child) in the same transaction.
func putAttendance(tx *bolt.Tx, d data.Date, groupID, childID data.ID, a data.Attendance) error {
	b, err := nestedCreate(tx.Bucket(bucketAttendance), dateKey(d), idKey(groupID))
	if err != nil {
		return err
	}
	if err := indexAttendance(tx, d, groupID, childID); err != nil {
		return err
	}
	return putJSON(b, idKey(childID), a)
}
