package boltstore

import (
	"context"
	"fmt"
	"time"

	"locatiedesk/data"

	bolt "go.etcd.io/bbolt"
)

// settleAbsence keeps the ledger in step with an attendance edit, in the
// edit's transaction: an absence newly reported earns credit by T1; an
// absence taken back (cleared, or the child checked in after all) withdraws
// its credit. Credit that requests already use is neither left spent (it
// would be created out of nothing) nor taken from under them silently: the
// edit is refused with a CreditSpentError until it confirms the amount,
// and then those minutes go on the requests' invoice (R7).
func settleAbsence(tx *bolt.Tx, e data.DayEdit, row data.DayRow, before data.Attendance, after *data.Attendance, now time.Time, changed *[]data.Change) error {
	switch data.SettleAbsence(e.By, row, before, after, now) {
	case data.SettleEarn:
		return earnAbsenceCredit(tx, e.Date, e.GroupID, row, after, now, changed)
	case data.SettleWithdraw:
		*changed = append(*changed, data.Change{Kind: data.ChangeCredit, Date: e.Date, GroupID: e.GroupID})
		if err := billSpentCredit(tx, e, row.Child.ID, before, now, changed); err != nil {
			return err
		}
		return updateCreditEntry(tx, row.Child.ID, before.Credit.ExpiresOn, before.Credit.EntryID, func(c *data.CreditEntry) error {
			c.Withdrawn = true
			return nil
		})
	}
	return nil
}

// billSpentCredit moves the withdrawn absence's credit out of every request
// that uses it onto that request's invoice, once the edit confirms exactly
// the minutes it moves. An approved request that was exported gets a
// correction in the next export, because its billing changed.
func billSpentCredit(tx *bolt.Tx, e data.DayEdit, childID data.ID, before data.Attendance, now time.Time, changed *[]data.Change) error {
	ref := before.Credit
	requests, err := requestsPayingFrom(tx, childID, data.DateOf(before.AbsenceReportedAt), ref.ExpiresOn)
	if err != nil {
		return err
	}
	if toBill, err := data.SpentCreditToBill(e, ref.EntryID, requests); !toBill {
		return err
	}
	for _, r := range requests {
		moved, change := data.WithdrawCredit(&r, ref.EntryID, e, now)
		if moved == 0 {
			continue
		}
		err := updateCreditEntry(tx, childID, ref.ExpiresOn, ref.EntryID, func(c *data.CreditEntry) error {
			c.GiveBack(r.Status, moved)
			return nil
		})
		if err != nil {
			return err
		}
		*changed = append(*changed, change)
		if err := putRequest(tx, r); err != nil {
			return err
		}
	}
	return nil
}

// requestsPayingFrom reads the child's requests for the days from first to
// last: a request paying with an absence's credit was submitted after the
// absence was reported, for a day before the credit expires.
func requestsPayingFrom(tx *bolt.Tx, childID data.ID, first, last data.Date) ([]data.Request, error) {
	var out []data.Request
	b := nested(tx.Bucket(bucketRequestsByChild), idKey(childID))
	if b == nil {
		return out, nil
	}
	end := dateKey(last)
	c := b.Cursor()
	for k, _ := c.Seek(dateKey(first)); k != nil && string(k[:len(end)]) <= string(end); k, _ = c.Next() {
		r, err := getJSON[data.Request](tx.Bucket(bucketRequests), k[len(k)-8:])
		if err != nil {
			return nil, fmt.Errorf("request %d: %w", btoi(k[len(k)-8:]), err)
		}
		out = append(out, r)
	}
	return out, nil
}

func earnAbsenceCredit(tx *bolt.Tx, day data.Date, groupID data.ID, row data.DayRow, rec *data.Attendance, now time.Time, changed *[]data.Change) error {
	settings, err := readSettings(tx)
	if err != nil {
		return err
	}
	contracts, err := childContracts(tx, row.Child.ID, day, day)
	if err != nil {
		return err
	}
	a := data.AbsenceOn(day, groupID, row, contracts, now)
	if row.Child.SchoolID != 0 {
		cal, err := calendarFor(tx, day, map[data.ID]bool{row.Child.SchoolID: true})
		if err != nil {
			return err
		}
		a.HolidayDay = cal.IsSchoolHoliday(row.Child.SchoolID, day) || cal.IsStudyDay(row.Child.SchoolID, day)
	}
	ledger, err := childLedger(tx, row.Child.ID, data.DateOf(now))
	if err != nil {
		return err
	}
	entry, none := data.EarnCredit(a, data.AbsenceCreditBalance(ledger), settings)
	if none != "" {
		rec.NoCredit = none
		return nil
	}
	if entry.ID, err = nextCreditID(tx); err != nil {
		return err
	}
	rec.Credit, rec.NoCredit = &data.CreditRef{EntryID: entry.ID, ExpiresOn: entry.ExpiresOn, Minutes: entry.Minutes}, ""
	*changed = append(*changed, data.Change{Kind: data.ChangeCredit, Date: day, GroupID: groupID})
	return putCreditEntry(tx, entry)
}

// ReportAbsence records an absence through the attendance list's own write
// path (MarkAbsent), so the credit it earns is booked in the same
// transaction. Reporting ahead is what earns credit, so a day to come needs
// no unlock; a day gone by is corrected on its (unlocked) list instead.
// It returns the record as stored, with the credit earned or why none.
func (db *DB) ReportAbsence(ctx context.Context, r data.AbsenceReport) (data.Attendance, error) {
	today := db.Today()
	if err := r.Check(today); err != nil {
		return data.Attendance{}, err
	}
	group, err := db.expectedGroup(ctx, r.ChildID, r.Date)
	if err != nil {
		return data.Attendance{}, err
	}
	edit, err := r.Edit(group, today)
	if err != nil {
		return data.Attendance{}, err
	}
	if err := db.editAttendance(ctx, data.AuditReportAbsence, edit, false, data.MarkAbsent(r.Reason, "")); err != nil {
		return data.Attendance{}, err
	}
	list, err := db.DayList(ctx, group, r.Date)
	if err != nil {
		return data.Attendance{}, err
	}
	return r.Recorded(list)
}

// expectedGroup finds the group whose list holds the child on d.
func (db *DB) expectedGroup(ctx context.Context, childID data.ID, d data.Date) (data.ID, error) {
	var found data.ID
	err := db.view(ctx, func(tx *bolt.Tx) error {
		child, err := readChild(tx, childID)
		if err != nil {
			return err
		}
		contracts, err := childContracts(tx, childID, d, d)
		if err != nil {
			return err
		}
		for _, c := range contracts {
			cr, err := readChildRow(tx, c.GroupID, childID, d)
			if err != nil {
				return err
			}
			if cr.closed {
				return data.Refuse(data.RefuseAbsenceClosedDay, data.Args{"Date": d, "Reason": cr.closedReason})
			}
			if cr.listed {
				found = c.GroupID
				return nil
			}
		}
		return data.Refuse(data.RefuseAbsenceNotExpected, data.Args{"Child": child.Name(), "Date": d})
	})
	return found, err
}
