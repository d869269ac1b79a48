package data

import (
	"errors"
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

// ErrCreditSpent is a withdrawal of an absence whose credit already pays for
// extra care, not yet confirmed (R7); see CreditSpentError.
var ErrCreditSpent = errors.New("the absence's credit already pays for extra care")

// CreditUse is a request that pays with minutes of one credit entry.
type CreditUse struct {
	RequestID ID
	Date      Date
	Status    RequestStatus
	Product   Product
	Minutes   int
}

// CreditUses is rule R7's question before an absence is withdrawn: which
// open or approved requests pay with the entry, and how many minutes each.
// Rejected and cancelled requests gave their credit back and use nothing.
func CreditUses(entryID ID, requests []Request) []CreditUse {
	var out []CreditUse
	for _, r := range requests {
		if r.Status != StatusOpen && r.Status != StatusApproved {
			continue
		}
		minutes := 0
		for _, a := range r.Payment.Allocations {
			if a.EntryID == entryID {
				minutes += a.Minutes
			}
		}
		if minutes > 0 {
			out = append(out, CreditUse{RequestID: r.ID, Date: r.Date, Status: r.Status, Product: r.Product, Minutes: minutes})
		}
	}
	return out
}

// CreditSpentError refuses to withdraw an absence (clear it, or check the
// child in after all) whose credit requests already use: withdrawing it
// puts Minutes on the invoice of those requests, so staff must see that
// and confirm with DayEdit.BillSpentCredit = Minutes. Nothing is stored.
type CreditSpentError struct {
	AbsenceDate Date
	Uses        []CreditUse
	Minutes     int
}

func (e *CreditSpentError) Error() string {
	return fmt.Sprintf("%s: the absence of %s earned credit of which %s pays for %d request(s); withdrawing it bills those hours",
		ErrCreditSpent, e.AbsenceDate, MinutesText(e.Minutes), len(e.Uses))
}

// Is makes errors.Is(err, ErrCreditSpent) true.
func (e *CreditSpentError) Is(target error) bool { return target == ErrCreditSpent }

// CreditWithdrawal records on a request that credit it was paid with was
// taken back, because the absence that earned it was withdrawn (the child
// came after all): those minutes moved to the request's invoice (R7).
type CreditWithdrawal struct {
	EntryID     ID        `json:"entryId"`
	AbsenceDate Date      `json:"absenceDate"`
	Minutes     int       `json:"minutes"`
	By          string    `json:"by"`
	At          time.Time `json:"at"`
}

// WithoutEntry moves what the payment takes from one credit entry onto its
// invoice, and returns the new payment and the minutes moved. The payment it
// is given is left as it was.
func (p Payment) WithoutEntry(entryID ID) (Payment, int) {
	moved := 0
	kept := make([]Allocation, 0, len(p.Allocations))
	for _, a := range p.Allocations {
		if a.EntryID == entryID {
			moved += a.Minutes
		} else {
			kept = append(kept, a)
		}
	}
	if moved == 0 {
		return p, 0
	}
	if len(kept) == 0 {
		kept = nil
	}
	p.Allocations, p.InvoiceMinutes = kept, p.InvoiceMinutes+moved
	return p, moved
}

// settleAbsence keeps the ledger in step with an attendance edit, in the
// edit's transaction: an absence newly reported earns credit by T1; an
// absence taken back (cleared, or the child checked in after all) withdraws
// its credit. Credit that requests already use is neither left spent (it
// would be created out of nothing) nor taken from under them silently: the
// edit is refused with a CreditSpentError until it confirms the amount,
// and then those minutes go on the requests' invoice (R7).
func settleAbsence(tx *bolt.Tx, e DayEdit, row DayRow, before Attendance, after *Attendance, now time.Time, changed *[]Change) error {
	switch {
	case !before.Absent && after.Absent:
		after.AbsenceReportedAt, after.AbsenceReportedBy = now, e.By
		after.AbsenceMinutes = int(row.Expected.Until - row.Expected.From)
		return earnAbsenceCredit(tx, e.Date, e.GroupID, row, after, now, changed)
	case before.Absent && !after.Absent:
		after.AbsenceReportedAt, after.AbsenceReportedBy, after.AbsenceMinutes, after.NoCredit = time.Time{}, "", 0, ""
		if before.Credit == nil {
			return nil
		}
		after.Credit = nil
		*changed = append(*changed, Change{Kind: ChangeCredit, Date: e.Date, GroupID: e.GroupID})
		if err := billSpentCredit(tx, e, row.Child.ID, before, now, changed); err != nil {
			return err
		}
		return updateCreditEntry(tx, row.Child.ID, before.Credit.ExpiresOn, before.Credit.EntryID, func(c *CreditEntry) error {
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
func billSpentCredit(tx *bolt.Tx, e DayEdit, childID ID, before Attendance, now time.Time, changed *[]Change) error {
	ref := before.Credit
	requests, err := requestsPayingFrom(tx, childID, DateOf(before.AbsenceReportedAt), ref.ExpiresOn)
	if err != nil {
		return err
	}
	uses := CreditUses(ref.EntryID, requests)
	total := 0
	for _, u := range uses {
		total += u.Minutes
	}
	if total == 0 {
		return nil
	}
	if e.BillSpentCredit != total {
		return &CreditSpentError{AbsenceDate: e.Date, Uses: uses, Minutes: total}
	}
	for _, r := range requests {
		pay, moved := r.Payment.WithoutEntry(ref.EntryID)
		if moved == 0 || (r.Status != StatusOpen && r.Status != StatusApproved) {
			continue
		}
		err := updateCreditEntry(tx, childID, ref.ExpiresOn, ref.EntryID, func(c *CreditEntry) error {
			if r.Status == StatusOpen {
				c.Reserved -= moved
			} else {
				c.Spent -= moved
			}
			return nil
		})
		if err != nil {
			return err
		}
		r.Payment = pay
		r.Withdrawn = append(r.Withdrawn, CreditWithdrawal{EntryID: ref.EntryID, AbsenceDate: e.Date, Minutes: moved, By: strings.TrimSpace(e.By), At: now})
		*changed = append(*changed, Change{Kind: ChangeRequest, Date: r.Date, GroupID: r.GroupID, ChildID: r.ChildID,
			Detail: fmt.Sprintf("request %d: %s of credit withdrawn with the absence of %s, now on invoice", r.ID, MinutesText(moved), e.Date)})
		if err := putRequest(tx, r); err != nil {
			return err
		}
	}
	return nil
}

// requestsPayingFrom reads the child's requests for the days from first to
// last: a request paying with an absence's credit was submitted after the
// absence was reported, for a day before the credit expires.
func requestsPayingFrom(tx *bolt.Tx, childID ID, first, last Date) ([]Request, error) {
	var out []Request
	b := nested(tx.Bucket(bucketRequestsByChild), idKey(childID))
	if b == nil {
		return out, nil
	}
	end := dateKey(last)
	c := b.Cursor()
	for k, _ := c.Seek(dateKey(first)); k != nil && string(k[:len(end)]) <= string(end); k, _ = c.Next() {
		r, err := getJSON[Request](tx.Bucket(bucketRequests), k[len(k)-8:])
		if err != nil {
			return nil, fmt.Errorf("request %d: %w", btoi(k[len(k)-8:]), err)
		}
		out = append(out, r)
	}
	return out, nil
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
		edit.Unlock = NewUnlock(r.Date, r.By)
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
