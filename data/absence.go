package data

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
)

// The codes of refusals of absences reported ahead and taken back.
const (
	RefuseAbsenceNoReporter  = "absence-no-reporter"
	RefuseAbsenceDayPassed   = "absence-day-passed"
	RefuseAbsenceReason      = "absence-reason"
	RefuseAbsenceClosedDay   = "absence-closed-day"
	RefuseAbsenceNotExpected = "absence-not-expected"
	RefuseAbsenceCreditSpent = "absence-credit-spent" // see CreditSpentError (R7)
)

var absenceRefusals = map[string]RefusalText{
	RefuseAbsenceNoReporter:  {Text: "Say who reports the absence."},
	RefuseAbsenceDayPassed:   {Text: "{{.Date}} has passed; correct it on that day's attendance list."},
	RefuseAbsenceReason:      {Text: "Choose the reason of the absence: sick, day off or other."},
	RefuseAbsenceClosedDay:   {Text: "The location is closed on {{.Date}} ({{.Reason}}).", Kind: ErrClosedDay},
	RefuseAbsenceNotExpected: {Text: "{{.Child}} is not expected on {{.Date}}.", Kind: ErrNotFound},
	RefuseAbsenceCreditSpent: {Text: "The absence of {{.Date}} earned credit of which {{.Hours}} hours already pay for extra care; taking the absence back bills those hours.", Kind: ErrCreditSpent},
}

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
	if CareOf(a.Contract.Product) == BSO {
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

func (e *CreditSpentError) Error() string { return e.refusal().Error() }

func (e *CreditSpentError) refusal() *Refusal {
	return &Refusal{Code: RefuseAbsenceCreditSpent, Args: Args{"Date": e.AbsenceDate, "Hours": MinutesText(e.Minutes), "Requests": len(e.Uses)}}
}

// Is makes errors.Is(err, ErrCreditSpent) true.
func (e *CreditSpentError) Is(target error) bool { return target == ErrCreditSpent }

// Unwrap gives the refusal, which the screens say in the user's language.
func (e *CreditSpentError) Unwrap() error { return e.refusal() }

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

// AbsenceReport is an absence reported from the child's card: for today or
// a day to come, in whatever group the child is expected that day.
type AbsenceReport struct {
	ChildID ID
	Date    Date
	Reason  AbsenceReason
	By      string
}

// Row returns the child's row on the list.
func (l DayList) Row(childID ID) (DayRow, bool) {
	i := slices.IndexFunc(l.Rows, func(r DayRow) bool { return r.Child.ID == childID })
	if i < 0 {
		return DayRow{}, false
	}
	return l.Rows[i], true
}

// Check refuses a report that names no reporter or is for a day gone by:
// reporting ahead is what earns credit, and a day gone by is corrected on
// its (unlocked) list instead.
func (r AbsenceReport) Check(today Date) error {
	if strings.TrimSpace(r.By) == "" {
		return Refuse(RefuseAbsenceNoReporter, nil)
	}
	if r.Date.Before(today) {
		return Refuse(RefuseAbsenceDayPassed, Args{"Date": r.Date})
	}
	return nil
}

// Edit is the day-list edit that records the report on the list of group,
// where the child is expected: a day to come needs no unlock. It refuses
// a reason the list does not know.
func (r AbsenceReport) Edit(group ID, today Date) (DayEdit, error) {
	edit := DayEdit{Date: r.Date, GroupID: group, ChildID: r.ChildID, By: r.By}
	if r.Date != today {
		edit.Unlock = NewUnlock(r.Date, r.By)
	}
	if !r.Reason.Valid() {
		return DayEdit{}, Refuse(RefuseAbsenceReason, Args{"Reason": string(r.Reason)})
	}
	return edit, nil
}

// Recorded is the reported child's record on the list read after the
// report: as stored, with the credit earned or why none.
func (r AbsenceReport) Recorded(list DayList) (Attendance, error) {
	if row, ok := list.Row(r.ChildID); ok {
		return row.Attendance, nil
	}
	return Attendance{}, fmt.Errorf("child %d on %s: %w", r.ChildID, r.Date, ErrNotFound)
}

// SpentCreditToBill is rule R7's check before an absence whose credit is
// entryID is withdrawn: the minutes requests use of it must go on their
// invoice, and the edit must confirm exactly that many (a CreditSpentError
// until it does). It reports whether any minutes are to move.
func SpentCreditToBill(e DayEdit, entryID ID, requests []Request) (bool, error) {
	uses := CreditUses(entryID, requests)
	total := 0
	for _, u := range uses {
		total += u.Minutes
	}
	if total == 0 {
		return false, nil
	}
	if e.BillSpentCredit != total {
		return false, &CreditSpentError{AbsenceDate: e.Date, Uses: uses, Minutes: total}
	}
	return true, nil
}

// WithdrawCredit moves what request r takes from entryID onto its invoice,
// recording the withdrawal by the edit e at now. It returns the minutes
// moved (0: r does not use the entry, or no longer holds credit, and is
// left as it was) and the change to report.
func WithdrawCredit(r *Request, entryID ID, e DayEdit, now time.Time) (int, Change) {
	pay, moved := r.Payment.WithoutEntry(entryID)
	if moved == 0 || (r.Status != StatusOpen && r.Status != StatusApproved) {
		return 0, Change{}
	}
	r.Payment = pay
	r.Withdrawn = append(r.Withdrawn, CreditWithdrawal{EntryID: entryID, AbsenceDate: e.Date, Minutes: moved, By: strings.TrimSpace(e.By), At: now})
	return moved, Change{Kind: ChangeRequest, Date: r.Date, GroupID: r.GroupID, ChildID: r.ChildID,
		Detail: fmt.Sprintf("request %d: %s of credit withdrawn with the absence of %s, now on invoice", r.ID, MinutesText(moved), e.Date)}
}

// GiveBack returns minutes a request of the given status held of the
// entry: reserved while the request is open, spent once approved.
func (e *CreditEntry) GiveBack(status RequestStatus, minutes int) {
	if status == StatusOpen {
		e.Reserved -= minutes
	} else {
		e.Spent -= minutes
	}
}

// AbsenceOn is the absence a row of group's list on day reports at now,
// with the contract of the group whose days it misses (T1). Whether the day
// has no school is the caller's to add: it needs the calendar.
func AbsenceOn(day Date, groupID ID, row DayRow, contracts []Contract, now time.Time) Absence {
	a := Absence{Date: day, Expected: row.Expected, Source: row.Source, ReportedAt: now}
	if i := slices.IndexFunc(contracts, func(c Contract) bool { return c.GroupID == groupID && len(c.Days) > 0 }); i >= 0 {
		a.Contract = contracts[i]
	}
	return a
}

// AbsenceSettlement is what an attendance edit asks of the ledger.
type AbsenceSettlement int

// The settlements of an edit.
const (
	SettleNothing  AbsenceSettlement = iota
	SettleEarn                       // the child newly reported absent: credit may be earned (T1)
	SettleWithdraw                   // an absence with credit taken back: its credit is withdrawn (R7)
)

// SettleAbsence keeps the absence's own fields of after in step with an
// edit by that makes the child of row absent, or takes the absence back
// (cleared, or the child checked in after all), and says what the ledger
// must do in the edit's transaction.
func SettleAbsence(by string, row DayRow, before Attendance, after *Attendance, now time.Time) AbsenceSettlement {
	switch {
	case !before.Absent && after.Absent:
		after.AbsenceReportedAt, after.AbsenceReportedBy = now, by
		after.AbsenceMinutes = int(row.Expected.Until - row.Expected.From)
		return SettleEarn
	case before.Absent && !after.Absent:
		after.AbsenceReportedAt, after.AbsenceReportedBy, after.AbsenceMinutes, after.NoCredit = time.Time{}, "", 0, ""
		if before.Credit == nil {
			return SettleNothing
		}
		after.Credit = nil
		return SettleWithdraw
	}
	return SettleNothing
}
