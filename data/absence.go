package data

import (
	"errors"
	"math"
	"slices"
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
