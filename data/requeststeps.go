package data

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// The steps of a request's life that come between a store's reads and
// writes (R2–R7): what is stored, which credit moves, which changes the
// feed tells. Both stores take them from here.

// CheckDecider refuses a decision (or its undo) that names no one.
func CheckDecider(by string) error {
	if strings.TrimSpace(by) == "" {
		return Refuse(RefuseNoDecider, nil)
	}
	return nil
}

// CheckRejectReason refuses a rejection without a reason.
func CheckRejectReason(reason string) error {
	if strings.TrimSpace(reason) == "" {
		return Refuse(RefuseNoRejectReason, nil)
	}
	return nil
}

// DraftChannel sets the draft's channel from who submits it (ChannelFor);
// a nil actor is the trusted caller.
func DraftChannel(actor *Actor, d RequestDraft, today Date, s Settings) (RequestDraft, error) {
	var role Role
	if actor != nil {
		role = actor.Role
	}
	var err error
	d.Channel, err = ChannelFor(role, d.Channel, today.DaysUntil(d.Date), s)
	return d, err
}

// PaymentToReserve is the payment a submitted request holds, checked
// against the child's credit as it is now (R2–R5): pay, or the payment the
// rules propose when pay is nil (a request imported from history).
func PaymentToReserve(spec RequestSpec, pay *Payment, entries []CreditEntry) (Payment, error) {
	if pay == nil {
		p := Propose(spec, entries).Payment
		pay = &p
	}
	if err := CheckPayment(spec, *pay, entries); err != nil {
		return Payment{}, err
	}
	return *pay, nil
}

// SubmittedRequest is the open request a draft becomes at now, paid by pay.
func SubmittedRequest(d RequestDraft, pay Payment, now time.Time) Request {
	d.By = strings.TrimSpace(d.By)
	pay.OverrideReason = strings.TrimSpace(pay.OverrideReason)
	return Request{RequestDraft: d, SubmittedAt: now, Payment: pay, Status: StatusOpen}
}

// SubmitChanges are the changes a stored new request makes: the request,
// and the credit it reserved.
func (r Request) SubmitChanges() []Change {
	return []Change{{Kind: ChangeRequest, Date: r.Date, GroupID: r.GroupID, ChildID: r.ChildID, Detail: fmt.Sprintf("request %d: %s", r.ID, r.Status)},
		{Kind: ChangeCredit, Date: r.Date, GroupID: r.GroupID}}
}

// RecordDecision records who decided the request's new status and when,
// and returns the changes the decision makes.
func (r *Request) RecordDecision(by, reason string, now time.Time) []Change {
	r.DecidedBy, r.DecidedAt, r.Reason = strings.TrimSpace(by), now, strings.TrimSpace(reason)
	return r.statusChanges(fmt.Sprintf("request %d: %s", r.ID, r.Status))
}

// Reopen makes a decided request open again after its undo (CheckUndo),
// and returns the changes the undo makes.
func (r *Request) Reopen() []Change {
	changes := r.statusChanges(fmt.Sprintf("request %d: open again", r.ID))
	r.Status, r.DecidedBy, r.DecidedAt, r.Reason = StatusOpen, "", time.Time{}, ""
	return changes
}

// statusChanges are the request's change, and its credit's when it holds some.
func (r Request) statusChanges(detail string) []Change {
	changes := []Change{{Kind: ChangeRequest, Date: r.Date, GroupID: r.GroupID, ChildID: r.ChildID, Detail: detail}}
	if len(r.Payment.Allocations) > 0 {
		changes = append(changes, Change{Kind: ChangeCredit, Date: r.Date, GroupID: r.GroupID})
	}
	return changes
}

// How a decision moves the credit a request's payment holds (R7): each
// changes one entry by the minutes the payment takes from it.

// ReserveCredit holds minutes for a request just submitted.
func ReserveCredit(e *CreditEntry, minutes int) { e.Reserved += minutes }

// SpendReserved spends what an approved request held.
func SpendReserved(e *CreditEntry, minutes int) { e.Reserved -= minutes; e.Spent += minutes }

// ReleaseReserved gives back what an open request held (rejected or cancelled).
func ReleaseReserved(e *CreditEntry, minutes int) { e.Reserved -= minutes }

// ReleaseSpent gives back what a cancelled approved request spent.
func ReleaseSpent(e *CreditEntry, minutes int) { e.Spent -= minutes }

// UnspendToReserved holds again what an approval spent, when it is undone.
func UnspendToReserved(e *CreditEntry, minutes int) { e.Spent -= minutes; e.Reserved += minutes }

// ReserveAgain holds again what a rejection gave back, when it is undone,
// refused when another request has taken the credit meanwhile.
func ReserveAgain(e *CreditEntry, minutes int) error {
	if e.Available() < minutes {
		return Refuse(RefuseCreditTaken, Args{"Entry": int(e.ID), "Holds": MinutesText(e.Available()), "Needs": MinutesText(minutes)})
	}
	e.Reserved += minutes
	return nil
}

// CheckReopenRecorded refuses to undo the approval of a request whose
// child staff already checked in or marked absent: rec is what they
// recorded, found whether they did.
func CheckReopenRecorded(r Request, rec Attendance, found bool) error {
	if found && (rec.CheckIn != nil || rec.Absent) {
		return Refuse(RefuseReopenRecorded, Args{"Date": r.Date, "Recorded": rec.Summary()})
	}
	return nil
}

// SortQueue puts a location's queue in order: the earliest day first, and
// of one day the request waiting longest first.
func SortQueue(items []QueueItem) {
	slices.SortStableFunc(items, func(a, b QueueItem) int {
		if c := a.Request.Date.Compare(b.Request.Date); c != 0 {
			return c
		}
		return a.Request.SubmittedAt.Compare(b.Request.SubmittedAt)
	})
}

// DraftFacts is what a store learned about a draft's day while checking it
// (the child, the group, the products it allows, the day's occupancy); a
// check that stops early leaves the rest zero.
type DraftFacts struct {
	Child      Child
	ChildFound bool
	Group      Group
	Settings   Settings
	Products   []Product
	HolidayDay bool
	StudyDay   bool
	Occupancy  int
}

// Preview is what the facts tell of draft d (its channel set), with
// problem the first rule it breaks (nil: none); the payment proposal is
// the caller's to add when Proposes.
func (f DraftFacts) Preview(d RequestDraft, problem error) RequestPreview {
	return RequestPreview{Channel: d.Channel, Products: f.Products, HolidayDay: f.HolidayDay, StudyDay: f.StudyDay,
		Occupancy: f.Occupancy, Capacity: f.Group.Capacity, Problem: problem}
}

// Proposes reports whether a preview of d proposes a payment: the child is
// known and the times have a length, whatever else is wrong.
func (f DraftFacts) Proposes(d RequestDraft) bool {
	return f.ChildFound && d.Times.Until > d.Times.From
}
