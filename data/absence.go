package data

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// CreditRef points from an absence to the ledger entry it earned.
type CreditRef struct {
	EntryID   ID   `json:"entryId"`
	ExpiresOn Date `json:"expiresOn"`
	Minutes   int  `json:"minutes"`
}

// NoCreditReason says why a reported absence earned no credit (T1).
type NoCreditReason string

// The reasons an absence earns nothing.
const (
	NoCreditLate        NoCreditReason = "late"         // reported later than the notice the settings ask
	NoCreditAtMaximum   NoCreditReason = "at-maximum"   // the child's balance is at the maximum
	NoCreditNotContract NoCreditReason = "not-contract" // the day is extra care or a study day, not a contract day
)

// Absence is a reported absence as rule T1 sees it.
type Absence struct {
	Date Date
	// Expected is the care the child would have had; Source why the child was expected.
	Expected TimeRange
	Source   Source
	// Contract is the contract whose day is missed; HolidayDay whether the day
	// has no school (the child's school holidays or a study day): its credit
	// goes into the pot of holiday days (T1, T2).
	Contract   Contract
	HolidayDay bool
	ReportedAt time.Time
}

// EarnCredit is rule T1: an absence on a contract day, reported at least
// Settings.AbsenceNoticeHours before care would start, earns the missed
// care as credit, up to the maximum balance (Settings.MaxCreditHours; a
// balance near the maximum earns the part that fits). The credit expires
// Settings.CreditExpiryDays after the absence, and lands in the pot of its
// day: KDV, BSO school day or BSO holiday day. balance is the child's
// current absence-credit balance in minutes. The entry has no ID yet.
func EarnCredit(a Absence, balance int, s Settings) (CreditEntry, NoCreditReason) {
	if a.Source != SourceContract || a.Contract.ID == 0 {
		return CreditEntry{}, NoCreditNotContract
	}
	start := a.Date.Time(a.Expected.From, a.ReportedAt.Location())
	if a.ReportedAt.After(start.Add(-time.Duration(s.AbsenceNoticeHours) * time.Hour)) {
		return CreditEntry{}, NoCreditLate
	}
	room := int(math.Round(s.MaxCreditHours*60)) - balance
	minutes := min(int(a.Expected.Until-a.Expected.From), room)
	if minutes <= 0 {
		return CreditEntry{}, NoCreditAtMaximum
	}
	origin := OriginKDVDay
	if careOf(a.Contract.Product) == BSO {
		origin = OriginBSOSchoolDay
		if a.HolidayDay {
			origin = OriginBSOHolidayDay
		}
	}
	return CreditEntry{
		ChildID: a.Contract.ChildID, GroupID: a.Contract.GroupID, Origin: origin,
		ContractID: a.Contract.ID, ContractProduct: a.Contract.Product,
		Minutes: minutes, EarnedOn: a.Date, ExpiresOn: a.Date.AddDays(s.CreditExpiryDays),
	}, ""
}

// settleAbsence keeps the ledger in step with an attendance edit, in the
// edit's transaction: an absence newly reported earns credit by T1; an
// absence taken back (cleared, or the child checked in after all) withdraws
// its credit. Credit a request already uses stays with that request, so no
// request loses its payment (R7), but nothing of it comes back.
func settleAbsence(tx *bolt.Tx, day Date, groupID ID, row DayRow, before Attendance, after *Attendance, now time.Time, by string, changed *[]Change) error {
	switch {
	case !before.Absent && after.Absent:
		after.AbsenceReportedAt, after.AbsenceReportedBy = now, by
		after.AbsenceMinutes = int(row.Expected.Until - row.Expected.From)
		return earnAbsenceCredit(tx, day, groupID, row, after, now, changed)
	case before.Absent && !after.Absent:
		after.AbsenceReportedAt, after.AbsenceReportedBy, after.AbsenceMinutes, after.NoCredit = time.Time{}, "", 0, ""
		if before.Credit == nil {
			return nil
		}
		after.Credit = nil
		*changed = append(*changed, Change{Kind: ChangeCredit, Date: day, GroupID: groupID})
		return updateCreditEntry(tx, row.Child.ID, before.Credit.ExpiresOn, before.Credit.EntryID, func(e *CreditEntry) error {
			e.Withdrawn = true
			return nil
		})
	}
	return nil
}

func earnAbsenceCredit(tx *bolt.Tx, day Date, groupID ID, row DayRow, rec *Attendance, now time.Time, changed *[]Change) error {
	settings, err := readSettings(tx)
	if err != nil {
		return err
	}
	contracts, err := childContracts(tx, row.Child.ID, day, day)
	if err != nil {
		return err
	}
	a := Absence{Date: day, Expected: row.Expected, Source: row.Source, ReportedAt: now}
	if i := slices.IndexFunc(contracts, func(c Contract) bool { return c.GroupID == groupID && len(c.Days) > 0 }); i >= 0 {
		a.Contract = contracts[i]
	}
	if row.Child.SchoolID != 0 {
		cal, err := calendarFor(tx, day, map[ID]bool{row.Child.SchoolID: true})
		if err != nil {
			return err
		}
		a.HolidayDay = cal.IsSchoolHoliday(row.Child.SchoolID, day) || cal.IsStudyDay(row.Child.SchoolID, day)
	}
	ledger, err := childLedger(tx, row.Child.ID, DateOf(now))
	if err != nil {
		return err
	}
	balance := 0
	for _, e := range ledger {
		if !e.Flexible() {
			balance += e.Available()
		}
	}
	entry, none := EarnCredit(a, balance, settings)
	if none != "" {
		rec.NoCredit = none
		return nil
	}
	if entry.ID, err = nextCreditID(tx); err != nil {
		return err
	}
	rec.Credit, rec.NoCredit = &CreditRef{EntryID: entry.ID, ExpiresOn: entry.ExpiresOn, Minutes: entry.Minutes}, ""
	*changed = append(*changed, Change{Kind: ChangeCredit, Date: day, GroupID: groupID})
	return putCreditEntry(tx, entry)
}

// AbsenceReport is an absence reported from the child's card: for today or
// a day to come, in whatever group the child is expected that day.
type AbsenceReport struct {
	ChildID ID
	Date    Date
	Reason  AbsenceReason
	By      string
}

// ReportAbsence records an absence through the attendance list's own write
// path (MarkAbsent), so the credit it earns is booked in the same
// transaction. Reporting ahead is what earns credit, so a day to come needs
// no unlock; a day gone by is corrected on its (unlocked) list instead.
// It returns the record as stored, with the credit earned or why none.
func (db *DB) ReportAbsence(r AbsenceReport) (Attendance, error) {
	if strings.TrimSpace(r.By) == "" {
		return Attendance{}, invalid("say who reports the absence")
	}
	today := db.Today()
	if r.Date.Before(today) {
		return Attendance{}, invalid("%s has passed; correct it on that day's attendance list", r.Date)
	}
	group, err := db.expectedGroup(r.ChildID, r.Date)
	if err != nil {
		return Attendance{}, err
	}
	edit := DayEdit{Date: r.Date, GroupID: group, ChildID: r.ChildID, By: r.By}
	if r.Date != today {
		edit.Unlock = &Unlock{date: r.Date, by: r.By}
	}
	if err := db.MarkAbsent(edit, r.Reason); err != nil {
		return Attendance{}, err
	}
	list, err := db.DayList(group, r.Date)
	if err != nil {
		return Attendance{}, err
	}
	for _, row := range list.Rows {
		if row.Child.ID == r.ChildID {
			return row.Attendance, nil
		}
	}
	return Attendance{}, fmt.Errorf("child %d on %s: %w", r.ChildID, r.Date, ErrNotFound)
}

// expectedGroup finds the group whose list holds the child on d.
func (db *DB) expectedGroup(childID ID, d Date) (ID, error) {
	var found ID
	err := db.view(func(tx *bolt.Tx) error {
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
				return fmt.Errorf("%w: %s (%s)", ErrClosedDay, d, cr.closedReason)
			}
			if cr.listed {
				found = c.GroupID
				return nil
			}
		}
		return fmt.Errorf("%s is not expected on %s: %w", child.Name(), d, ErrNotFound)
	})
	return found, err
}

// row returns the child's row on the list.
func (l DayList) row(childID ID) (DayRow, bool) {
	i := slices.IndexFunc(l.Rows, func(r DayRow) bool { return r.Child.ID == childID })
	if i < 0 {
		return DayRow{}, false
	}
	return l.Rows[i], true
}
