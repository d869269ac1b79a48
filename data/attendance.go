package data

import (
	"errors"
	"fmt"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// DayRow is one child on a day's list: who, when expected and why, and what
// staff recorded.
type DayRow struct {
	Child      Child
	Expected   TimeRange
	Source     Source
	Attendance Attendance
	// Consent is the child's current photo-consent level, for the marker on the picture (A4, C2).
	Consent ConsentLevel
}

// DayList is a group's attendance list for a date (A1, A4).
type DayList struct {
	Date         Date
	Group        Group
	Closed       bool
	ClosedReason string
	Rows         []DayRow
}

// Counts are the figures at the top of the list.
type Counts struct {
	Expected, Present, Absent, ToCome int
}

// Counts tallies the list: present counts every child checked in today, also
// those already gone home, so Present + Absent + ToCome = Expected.
func (l DayList) Counts() Counts {
	c := Counts{Expected: len(l.Rows)}
	for _, r := range l.Rows {
		switch r.Attendance.Status() {
		case StatusAbsent:
			c.Absent++
		case StatusPresent, StatusCheckedOut:
			c.Present++
		default:
			c.ToCome++
		}
	}
	return c
}

// occupancy is the children expected and not absent: the places taken.
func (l DayList) occupancy() int {
	n := 0
	for _, r := range l.Rows {
		if r.Source != "" && !r.Attendance.Absent {
			n++
		}
	}
	return n
}

// DayList builds a group's list for a date from contracts, calendar, extras and
// records, in one read transaction. Children with a record but no longer
// expected (a contract changed afterwards) stay on the list, so nothing
// recorded disappears.
func (db *DB) DayList(groupID ID, d Date) (DayList, error) {
	var list DayList
	err := db.view(func(tx *bolt.Tx) error {
		var err error
		list, err = readDayList(tx, groupID, d)
		return err
	})
	return list, err
}

func readDayList(tx *bolt.Tx, groupID ID, d Date) (DayList, error) {
	group, err := getJSON[Group](tx.Bucket(bucketGroups), idKey(groupID))
	if err != nil {
		return DayList{}, fmt.Errorf("group %d: %w", groupID, err)
	}
	settings, err := readSettings(tx)
	if err != nil {
		return DayList{}, err
	}
	contracts, err := groupContracts(tx, groupID, d)
	if err != nil {
		return DayList{}, err
	}
	extras, err := allJSON[Extra](nested(tx.Bucket(bucketExtras), dateKey(d), idKey(groupID)))
	if err != nil {
		return DayList{}, err
	}
	records := map[ID]Attendance{}
	if b := nested(tx.Bucket(bucketAttendance), dateKey(d), idKey(groupID)); b != nil {
		err := b.ForEach(func(k, v []byte) error {
			a, err := decodeJSON[Attendance](v)
			if err != nil {
				return fmt.Errorf("decode attendance %x: %w", k, err)
			}
			records[ID(btoi(k))] = a
			return nil
		})
		if err != nil {
			return DayList{}, err
		}
	}

	children := map[ID]Child{}
	schools := map[ID]bool{}
	childBucket, pictures := tx.Bucket(bucketChildren), tx.Bucket(bucketPictures)
	load := func(id ID) error {
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
				return DayList{}, err
			}
		}
	}
	for _, e := range extras {
		if err := load(e.ChildID); err != nil {
			return DayList{}, err
		}
	}
	for id := range records {
		if err := load(id); err != nil {
			return DayList{}, err
		}
	}
	cal, err := calendarFor(tx, d, schools)
	if err != nil {
		return DayList{}, err
	}

	plan := PlanDay(d, group, contracts, extras, children, cal, settings)
	list := DayList{Date: d, Group: group, Closed: plan.Closed, ClosedReason: plan.ClosedReason}
	onList := map[ID]bool{}
	consent := tx.Bucket(bucketConsentCurrent)
	for _, e := range plan.Expected {
		onList[e.ChildID] = true
		list.Rows = append(list.Rows, DayRow{Child: children[e.ChildID], Expected: e.Times, Source: e.Source, Attendance: records[e.ChildID], Consent: currentLevel(consent, e.ChildID)})
	}
	var unplanned []DayRow
	for id, a := range records {
		if !onList[id] {
			unplanned = append(unplanned, DayRow{Child: children[id], Attendance: a, Consent: currentLevel(consent, id)})
		}
	}
	SortByName(unplanned, func(r DayRow) Child { return r.Child })
	list.Rows = append(list.Rows, unplanned...)
	return list, nil
}

// childRow is one child's place on a group's list of a day.
type childRow struct {
	group        Group
	closed       bool
	closedReason string
	// listed says the child is on the list: expected (A1), or with a record.
	listed bool
	row    DayRow
}

// readChildRow is readDayList for one child: the same rules (A1) on only
// the child's contracts, extra, record and school calendar, so a check-in
// does not build the whole group's list to find one row.
func readChildRow(tx *bolt.Tx, groupID, childID ID, d Date) (childRow, error) {
	var cr childRow
	var err error
	if cr.group, err = getJSON[Group](tx.Bucket(bucketGroups), idKey(groupID)); err != nil {
		return cr, fmt.Errorf("group %d: %w", groupID, err)
	}
	settings, err := readSettings(tx)
	if err != nil {
		return cr, err
	}
	child, err := readChild(tx, childID)
	known := err == nil
	if err != nil && !errors.Is(err, ErrNotFound) {
		return cr, err
	}
	var contracts []Contract
	var extras []Extra
	if known {
		if contracts, err = childContracts(tx, childID, d, d); err != nil {
			return cr, err
		}
		switch x, err := getJSON[Extra](nested(tx.Bucket(bucketExtras), dateKey(d), idKey(groupID)), idKey(childID)); {
		case err == nil:
			extras = append(extras, x)
		case !errors.Is(err, ErrNotFound):
			return cr, err
		}
	}
	cal, err := calendarFor(tx, d, map[ID]bool{child.SchoolID: child.SchoolID != 0})
	if err != nil {
		return cr, err
	}
	plan := PlanDay(d, cr.group, contracts, extras, map[ID]Child{childID: child}, cal, settings)
	cr.closed, cr.closedReason = plan.Closed, plan.ClosedReason
	if plan.Closed || !known {
		return cr, nil
	}
	cr.row = DayRow{Child: child, Consent: currentLevel(tx.Bucket(bucketConsentCurrent), childID)}
	switch rec, err := getJSON[Attendance](nested(tx.Bucket(bucketAttendance), dateKey(d), idKey(groupID)), idKey(childID)); {
	case err == nil:
		cr.row.Attendance, cr.listed = rec, true
	case !errors.Is(err, ErrNotFound):
		return cr, err
	}
	if len(plan.Expected) > 0 {
		cr.row.Expected, cr.row.Source, cr.listed = plan.Expected[0].Times, plan.Expected[0].Source, true
	}
	return cr, nil
}

// Unlock is permission to edit one date other than today (A3). Only the
// store hands them out, so an edit cannot claim an unlock it did not get.
type Unlock struct {
	date Date
	by   string
}

// NewUnlock is given out by a store when someone unlocks date d; screens
// get theirs from the store's Unlock, never make one.
func NewUnlock(d Date, by string) *Unlock { return &Unlock{date: d, by: by} }

// Date is the unlocked date.
func (u *Unlock) Date() Date { return u.date }

// Unlock opens another date than today for editing by the named user. Every
// unlock is written to the audit log with its date (A3).
func (db *DB) Unlock(d Date, by string) (*Unlock, error) {
	if strings.TrimSpace(by) == "" {
		return nil, invalid("say who unlocks the date")
	}
	err := db.update(func(_ *bolt.Tx, changed *[]Change) error {
		if err := db.allowRole(ActAttendance); err != nil {
			return err
		}
		*changed = append(*changed, Change{Kind: ChangeUnlock, Date: d, Detail: "unlocked " + d.String()})
		return nil
	})
	if err != nil {
		return nil, err
	}
	return NewUnlock(d, by), nil
}

// DayEdit names the record an attendance change is for and who makes it.
type DayEdit struct {
	Date    Date
	GroupID ID
	ChildID ID
	By      string
	// Unlock is needed for any date other than today.
	Unlock *Unlock
	// BillSpentCredit confirms, in minutes, that withdrawing the child's
	// absence bills the credit it earned that requests already use: the
	// Minutes of the CreditSpentError the edit got without it (R7).
	BillSpentCredit int
}

// CheckIn records the child's arrival at the given time; an absence mark is
// lifted, because the child came after all.
func (db *DB) CheckIn(e DayEdit, at Clock) error {
	return db.editAttendance(e, true, func(a *Attendance) error {
		if a.CheckOut != nil && *a.CheckOut < at {
			return invalid("check-in %s is after check-out %s", at, *a.CheckOut)
		}
		a.CheckIn, a.Absent, a.AbsenceReason, a.AbsenceText = &at, false, "", ""
		return nil
	})
}

// CheckOut records the child's departure at the given time.
func (db *DB) CheckOut(e DayEdit, at Clock) error {
	if err := NotLaterThanNow(db.now(), e.Date, &at); err != nil {
		return err
	}
	return db.editAttendance(e, true, func(a *Attendance) error {
		switch {
		case a.CheckIn == nil:
			return invalid("the child is not checked in")
		case at < *a.CheckIn:
			return invalid("check-out %s is before check-in %s", at, *a.CheckIn)
		}
		a.CheckOut = &at
		return nil
	})
}

// SetTimes corrects the check-in and check-out times; nil clears a time, and
// clearing the check-in clears the check-out too (a tap by mistake undone).
func (db *DB) SetTimes(e DayEdit, in, out *Clock) error {
	if err := NotLaterThanNow(db.now(), e.Date, out); err != nil {
		return err
	}
	return db.editAttendance(e, true, func(a *Attendance) error {
		switch {
		case in == nil && out != nil:
			return invalid("a check-out needs a check-in")
		case in != nil && out != nil && *out < *in:
			return invalid("check-out %s is before check-in %s", *out, *in)
		}
		if in != nil {
			a.Absent, a.AbsenceReason, a.AbsenceText = false, "", ""
		}
		a.CheckIn, a.CheckOut = in, out
		return nil
	})
}

// NotLaterThanNow refuses a check-out time on today's list that is still to
// come: a child is checked out when they have gone home, not in advance. A
// day gone by (unlocked) takes any time of that day.
func NotLaterThanNow(now time.Time, d Date, times ...*Clock) error {
	if d != DateOf(now) {
		return nil
	}
	for _, t := range times {
		if t != nil && *t > ClockOf(now) {
			return invalid("%s is later than now (%s); a time is recorded when it has happened", *t, ClockOf(now))
		}
	}
	return nil
}

// MaxAbsenceText is the length of the words given with an absence for
// another reason: a short reason, not a story (and no medical details).
const MaxAbsenceText = 80

// MarkAbsent records the child as absent with a reason; the child stays on the list (A1).
func (db *DB) MarkAbsent(e DayEdit, reason AbsenceReason) error {
	if !reason.Valid() {
		return invalid("unknown absence reason %q", reason)
	}
	return db.editAttendance(e, false, markAbsent(reason, ""))
}

// MarkAbsentOther records the child as absent for another reason, in the
// few words staff give (at most MaxAbsenceText characters, one line). The
// words are kept on the record and shown on the list.
func (db *DB) MarkAbsentOther(e DayEdit, text string) error {
	text = strings.TrimSpace(text)
	switch {
	case text == "":
		return invalid("say in a few words why the child is absent")
	case len([]rune(text)) > MaxAbsenceText:
		return invalid("the reason holds at most %d characters", MaxAbsenceText)
	case strings.ContainsAny(text, "\r\n"):
		return invalid("the reason is one line")
	}
	return db.editAttendance(e, false, markAbsent(AbsenceOther, text))
}

func markAbsent(reason AbsenceReason, text string) func(*Attendance) error {
	return func(a *Attendance) error {
		if a.CheckIn != nil {
			return invalid("the child is checked in; undo the check-in first")
		}
		a.Absent, a.AbsenceReason, a.AbsenceText = true, reason, text
		return nil
	}
}

// ClearAbsence takes back an absence mark.
func (db *DB) ClearAbsence(e DayEdit) error {
	return db.editAttendance(e, false, func(a *Attendance) error {
		a.Absent, a.AbsenceReason, a.AbsenceText = false, "", ""
		return nil
	})
}

// SetNote replaces the note on the child's record.
func (db *DB) SetNote(e DayEdit, note string) error {
	note = strings.TrimSpace(note)
	if len(note) > 2000 {
		return invalid("a note holds at most 2000 characters")
	}
	return db.editAttendance(e, false, func(a *Attendance) error {
		a.Note = note
		return nil
	})
}

// editAttendance applies change to one record in one transaction, after the
// checks every attendance edit shares: the date is today or unlocked (A3), the
// location is open, and the child is on that day's list of that group.
func (db *DB) editAttendance(e DayEdit, presence bool, change func(*Attendance) error) error {
	if strings.TrimSpace(e.By) == "" {
		return invalid("say who makes the change")
	}
	now := db.now()
	today := DateOf(now)
	if e.Date != today && (e.Unlock == nil || e.Unlock.Date() != e.Date) {
		return fmt.Errorf("%w: %s", ErrLocked, e.Date)
	}
	if presence && e.Date.After(today) {
		return invalid("cannot check in or out on a day still to come (%s)", e.Date)
	}
	return db.update(func(tx *bolt.Tx, changed *[]Change) error {
		if err := db.allow(tx, ActAttendance, 0, e.GroupID); err != nil {
			return err
		}
		return editRecord(tx, e, now, change, changed)
	})
}

// editRecord is editAttendance's transaction at the moment now, after the
// date checks: the location is open, and the child is on that day's list of
// that group; the ledger follows an absence reported or taken back.
func editRecord(tx *bolt.Tx, e DayEdit, now time.Time, change func(*Attendance) error, changed *[]Change) error {
	cr, err := readChildRow(tx, e.GroupID, e.ChildID, e.Date)
	if err != nil {
		return err
	}
	if cr.closed {
		return fmt.Errorf("%w: %s (%s)", ErrClosedDay, e.Date, cr.closedReason)
	}
	if !cr.listed {
		return fmt.Errorf("child %d is not on the list of %s on %s: %w", e.ChildID, cr.group.Name, e.Date, ErrNotFound)
	}
	row := cr.row
	rec := &row.Attendance
	before := *rec
	if err := change(rec); err != nil {
		return err
	}
	rec.UpdatedBy, rec.UpdatedAt = e.By, now
	if err := settleAbsence(tx, e, row, before, rec, now, changed); err != nil {
		return err
	}
	*changed = append(*changed, Change{Kind: ChangeAttendance, Date: e.Date, GroupID: e.GroupID, ChildID: e.ChildID,
		Detail: before.summary() + " → " + rec.summary()})
	return putAttendance(tx, e.Date, e.GroupID, e.ChildID, *rec)
}

// putAttendance is the one writer of attendance records; it keeps the
// child's index (attendance-by-child) in the same transaction.
func putAttendance(tx *bolt.Tx, d Date, groupID, childID ID, a Attendance) error {
	b, err := nestedCreate(tx.Bucket(bucketAttendance), dateKey(d), idKey(groupID))
	if err != nil {
		return err
	}
	if err := indexAttendance(tx, d, groupID, childID); err != nil {
		return err
	}
	return putJSON(b, idKey(childID), a)
}

// summary writes a record in a few words for the audit log ("in 08:10, out
// 17:30", "absent (sick)", "note"). It names no child and quotes no note:
// the log outlives a child's personal data, which the retention purge removes.
func (a Attendance) summary() string {
	var parts []string
	if a.CheckIn != nil {
		parts = append(parts, "in "+a.CheckIn.String())
	}
	if a.CheckOut != nil {
		parts = append(parts, "out "+a.CheckOut.String())
	}
	if a.Absent {
		parts = append(parts, "absent ("+string(a.AbsenceReason)+")")
	}
	if a.AbsenceText != "" {
		parts = append(parts, "reason in words")
	}
	if a.Note != "" {
		parts = append(parts, "note")
	}
	if len(parts) == 0 {
		return "nothing recorded"
	}
	return strings.Join(parts, ", ")
}
