package data

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

var (
	bucketRequests        = []byte("requests")
	bucketRequestsOpen    = []byte("requests-open")
	bucketRequestsByChild = []byte("requests-by-child")
)

// ChangeRequest is a request submitted, approved, rejected or cancelled.
const ChangeRequest ChangeKind = "request"

// Errors of extra-care requests, checked with errors.Is.
var (
	ErrOutsideWindow   = errors.New("outside the request window")
	ErrAlreadyExpected = errors.New("the child is already expected that day")
	ErrDuplicate       = errors.New("the child already has a request for that day")
	ErrOverCapacity    = errors.New("the group would be over its capacity that day")
	ErrCreditChanged   = errors.New("the child's credit has changed since the proposal")
	ErrOverdrawn       = errors.New("not enough credit left")
	ErrNotOpen         = errors.New("the request is not open any more")
)

// Channel is who registers a request (R1).
type Channel string

// The channels. Parents request in the parent app, outside this product;
// the office may register a parent's request on their behalf.
const (
	ChannelGroup  Channel = "group"
	ChannelOffice Channel = "office"
	ChannelParent Channel = "parent"
)

// WindowError says a request is outside the channel's window, and who may request instead (R1).
type WindowError struct {
	Day        Date
	DaysBefore int
	Channel    Channel
	// MustBy is who may request the day now; empty when nobody may yet.
	MustBy Channel
	// OpensOn is the first day anyone may request the day, when that is still to come.
	OpensOn Date
}

func (e *WindowError) Error() string {
	switch e.MustBy {
	case ChannelParent:
		return fmt.Sprintf("%s: %s is %d days ahead; the parent requests it in the parent app (or the office on their behalf)", ErrOutsideWindow, e.Day, e.DaysBefore)
	case ChannelGroup:
		return fmt.Sprintf("%s: %s is %d days ahead; only the group can request it now", ErrOutsideWindow, e.Day, e.DaysBefore)
	default:
		return fmt.Sprintf("%s: requests for %s open on %s", ErrOutsideWindow, e.Day, e.OpensOn)
	}
}

// Is makes errors.Is(err, ErrOutsideWindow) true.
func (e *WindowError) Is(target error) bool { return target == ErrOutsideWindow }

// RequestWindow is rule R1. A day from ParentRequestFromDays down to
// ParentRequestUntilDays days ahead (both included) is the parents': they
// request it, or the office registers it for them; a day closer than that,
// today included, only the group may request. Days gone by cannot be
// requested at all.
func RequestWindow(today, day Date, ch Channel, s Settings) error {
	before := today.DaysUntil(day)
	parents := ch == ChannelParent || ch == ChannelOffice
	switch {
	case before < 0:
		return invalid("%s has passed; extra care can only be requested for today or later", day)
	case before > s.ParentRequestFromDays:
		return &WindowError{Day: day, DaysBefore: before, Channel: ch, OpensOn: day.AddDays(-s.ParentRequestFromDays)}
	case before >= s.ParentRequestUntilDays && !parents:
		return &WindowError{Day: day, DaysBefore: before, Channel: ch, MustBy: ChannelParent}
	case before < s.ParentRequestUntilDays && ch != ChannelGroup:
		return &WindowError{Day: day, DaysBefore: before, Channel: ch, MustBy: ChannelGroup}
	}
	return nil
}

// ChannelFor is the channel a request is registered through (R1), decided
// by who registers it and never chosen by staff: group staff are the group;
// the office registers a parent's request; a location manager leads the
// groups and serves as office, so the day decides (the parents' window is
// the office's, closer is the group's). A role "" is the system (demo,
// import), which may do what a manager may. asked is the channel the caller
// names, or "" to follow from the role; a channel the role may not use is
// refused, so staff cannot register a request as coming from the office.
func ChannelFor(role Role, asked Channel, daysBefore int, s Settings) (Channel, error) {
	var allowed []Channel
	switch role {
	case RoleStaff:
		allowed = []Channel{ChannelGroup}
	case RoleOffice:
		allowed = []Channel{ChannelOffice}
	default:
		allowed = []Channel{ChannelOffice, ChannelGroup}
		if daysBefore < s.ParentRequestUntilDays {
			allowed = []Channel{ChannelGroup, ChannelOffice}
		}
	}
	switch {
	case asked == "":
		return allowed[0], nil
	case slices.Contains(allowed, asked):
		return asked, nil
	case asked == ChannelGroup || asked == ChannelOffice:
		return "", fmt.Errorf("%w: %s may not register a request through the %s", ErrForbidden, roleOrSystem(role), asked)
	}
	return "", invalid("a request is registered by the group or by the office, not %q", asked)
}

func roleOrSystem(r Role) string {
	if r == "" {
		return systemName
	}
	return string(r)
}

// withChannel sets the draft's channel from the handle's actor (ChannelFor).
func (db *DB) withChannel(tx *bolt.Tx, d RequestDraft, today Date) (RequestDraft, error) {
	s, err := readSettings(tx)
	if err != nil {
		return d, err
	}
	var role Role
	if db.actor != nil {
		role = db.actor.Role
	}
	d.Channel, err = ChannelFor(role, d.Channel, today.DaysUntil(d.Date), s)
	return d, err
}

// RequestStatus is where a request stands (R6).
type RequestStatus string

// The statuses of a request.
const (
	StatusOpen      RequestStatus = "open"
	StatusApproved  RequestStatus = "approved"
	StatusRejected  RequestStatus = "rejected"
	StatusCancelled RequestStatus = "cancelled"
)

// RequestDraft is a request as the user fills it in.
type RequestDraft struct {
	ChildID ID        `json:"childId"`
	GroupID ID        `json:"groupId"`
	Date    Date      `json:"date"`
	Times   TimeRange `json:"times"`
	// Product is ProductKDV or ProductQflexibel in a KDV group; in a BSO group
	// ProductBSOSchoolDay on a school day, ProductBSOHoliday on a holiday day
	// and ProductStudyDay on a study day of the child's school.
	Product Product `json:"product"`
	Channel Channel `json:"channel"`
	// By names who registers the request (staff sign-in comes later).
	By string `json:"by"`
	// OverCapacity is set once the user has been told the group will be over
	// its capacity that day and goes ahead.
	OverCapacity bool `json:"overCapacity,omitempty"`
}

// Spec is what the payment depends on.
func (d RequestDraft) Spec() RequestSpec {
	return RequestSpec{Date: d.Date, Minutes: int(d.Times.Until - d.Times.From), Product: d.Product}
}

// Request is a submitted extra-care request.
type Request struct {
	ID ID `json:"id"`
	RequestDraft
	SubmittedAt time.Time     `json:"submittedAt"`
	Payment     Payment       `json:"payment"`
	Status      RequestStatus `json:"status"`
	// DecidedBy, DecidedAt and Reason record the approval, rejection or cancellation.
	DecidedBy string    `json:"decidedBy,omitempty"`
	DecidedAt time.Time `json:"decidedAt,omitzero"`
	Reason    string    `json:"reason,omitempty"`
	// Withdrawn records credit of the payment taken back with the absence
	// that earned it; Payment already has those minutes on invoice (R7).
	Withdrawn []CreditWithdrawal `json:"withdrawn,omitempty"`
}

// PaymentChangedError is returned when the child's credit changed between
// the proposal the user saw and the submission (another request took it):
// nothing is stored, and Fresh is the proposal on the credit as it is now.
type PaymentChangedError struct {
	Fresh Proposal
	cause error
}

func (e *PaymentChangedError) Error() string {
	if e.cause != nil {
		return fmt.Sprintf("%s: %s; a new proposal is made", ErrCreditChanged, e.cause)
	}
	return ErrCreditChanged.Error() + "; a new proposal is made"
}

// Unwrap makes errors.Is see ErrCreditChanged and the cause (ErrOverdrawn).
func (e *PaymentChangedError) Unwrap() []error {
	if e.cause == nil {
		return []error{ErrCreditChanged}
	}
	return []error{ErrCreditChanged, e.cause}
}

// RequestPreview is what the request screen shows before submitting.
type RequestPreview struct {
	Proposal Proposal
	// Products are what the child may request in the group that day; HolidayDay
	// tells whether the day is in the child's school holidays, StudyDay whether
	// it is a study day of the child's school (BSO).
	Products   []Product
	HolidayDay bool
	StudyDay   bool
	// Occupancy is the children expected and not absent that day; Capacity the group's.
	Occupancy, Capacity int
	// Problem is why the request cannot be submitted as it is, or nil.
	Problem error
	// Channel is who the request would come from: it follows from the signed-in person's role (ChannelFor).
	Channel Channel
}

// OverCapacity reports whether one more child takes the group over its capacity.
func (p RequestPreview) OverCapacity() bool { return p.Occupancy+1 > p.Capacity }

// PreviewRequest checks a draft and proposes its payment without storing
// anything. The error is for a store failure; a draft that cannot be
// submitted says why in Problem.
func (db *DB) PreviewRequest(d RequestDraft) (RequestPreview, error) {
	if err := db.ensureGrants(d.ChildID); err != nil {
		return RequestPreview{}, err
	}
	var p RequestPreview
	err := db.view(func(tx *bolt.Tx) error {
		d, problem := db.withChannel(tx, d, db.Today())
		if problem != nil {
			p.Problem = problem
			return nil
		}
		p.Channel = d.Channel
		ctx, problem := checkDraft(tx, d, db.Today())
		p.Products, p.HolidayDay, p.StudyDay, p.Occupancy, p.Capacity, p.Problem = ctx.products, ctx.holiday, ctx.studyDay, ctx.occupancy, ctx.group.Capacity, problem
		if ctx.childFound && d.Times.Until > d.Times.From {
			entries, err := childLedger(tx, d.ChildID, db.Today())
			if err != nil {
				return err
			}
			p.Proposal = Propose(d.Spec(), entries)
		}
		return nil
	})
	return p, err
}

// requestContext is what checkDraft learned about a draft's day.
type requestContext struct {
	child      Child
	childFound bool
	group      Group
	settings   Settings
	products   []Product
	holiday    bool
	studyDay   bool
	occupancy  int
}

// checkDraft checks every rule a draft must meet, in the order a user can
// act on them, and returns the first it breaks.
func checkDraft(tx *bolt.Tx, d RequestDraft, today Date) (requestContext, error) {
	var ctx requestContext
	var err error
	if ctx.settings, err = readSettings(tx); err != nil {
		return ctx, err
	}
	if ctx.child, err = readChild(tx, d.ChildID); err != nil {
		return ctx, invalid("unknown child %d", d.ChildID)
	}
	ctx.childFound = true
	if ctx.group, err = getJSON[Group](tx.Bucket(bucketGroups), idKey(d.GroupID)); err != nil {
		return ctx, invalid("unknown group %d", d.GroupID)
	}
	switch {
	case strings.TrimSpace(d.By) == "":
		return ctx, invalid("say who registers the request")
	case d.Channel != ChannelGroup && d.Channel != ChannelOffice:
		return ctx, invalid("a request is registered by the group or by the office, not %q", d.Channel)
	case d.Date.IsZero():
		return ctx, invalid("choose the day")
	case ctx.child.LocationID != ctx.group.LocationID:
		return ctx, invalid("%s is not a child of the location of %s", ctx.child.Name(), ctx.group.Name)
	}
	// The occupancy is counted before any rule can refuse the draft, so the
	// figure shown is the day's whoever asks and whatever the answer.
	list, err := readDayList(tx, d.GroupID, d.Date)
	if err != nil {
		return ctx, err
	}
	ctx.occupancy = list.occupancy()
	if err := RequestWindow(today, d.Date, d.Channel, ctx.settings); err != nil {
		return ctx, err
	}
	if list.Closed {
		return ctx, fmt.Errorf("%w: %s (%s)", ErrClosedDay, d.Date, list.ClosedReason)
	}
	contracts, err := childContracts(tx, d.ChildID, d.Date, d.Date)
	if err != nil {
		return ctx, err
	}
	mine := slices.DeleteFunc(contracts, func(c Contract) bool { return c.GroupID != d.GroupID })
	if len(mine) == 0 {
		return ctx, invalid("%s has no contract in %s on %s", ctx.child.Name(), ctx.group.Name, d.Date)
	}
	if ctx.group.Care == KDV {
		ctx.products = []Product{ProductKDV}
		if slices.ContainsFunc(mine, func(c Contract) bool { return c.Product == ProductQflexibel }) {
			ctx.products = append(ctx.products, ProductQflexibel)
		}
	} else {
		cal, err := calendarFor(tx, d.Date, map[ID]bool{ctx.child.SchoolID: true})
		if err != nil {
			return ctx, err
		}
		ctx.holiday = cal.IsSchoolHoliday(ctx.child.SchoolID, d.Date)
		ctx.studyDay = !ctx.holiday && cal.IsStudyDay(ctx.child.SchoolID, d.Date)
		switch {
		case ctx.holiday:
			ctx.products = []Product{ProductBSOHoliday}
		case ctx.studyDay:
			// No school that day: the care is a study day's, not a school afternoon (S2).
			ctx.products = []Product{ProductStudyDay}
			if cancelled, err := studyDayCancelled(tx, ctx.child.SchoolID, ctx.group.LocationID, d.Date); err != nil {
				return ctx, err
			} else if cancelled {
				return ctx, invalid("care on the study day of %s is cancelled at this location", d.Date)
			}
		default:
			ctx.products = []Product{ProductBSOSchoolDay}
		}
	}
	switch {
	case d.Times.Until == d.Times.From:
		return ctx, invalid("a request needs more than zero hours")
	case d.Times.Until < d.Times.From:
		return ctx, invalid("the request ends (%s) before it starts (%s)", d.Times.Until, d.Times.From)
	case !slices.Contains(ctx.products, d.Product):
		return ctx, invalid("%s cannot be requested in %s on %s", d.Product, ctx.group.Name, d.Date)
	}
	if r, ok := list.row(d.ChildID); ok && r.Source != "" {
		return ctx, fmt.Errorf("%w: %s in %s on %s", ErrAlreadyExpected, ctx.child.Name(), ctx.group.Name, d.Date)
	}
	if id, found, err := liveRequest(tx, d.ChildID, d.Date); err != nil {
		return ctx, err
	} else if found {
		return ctx, fmt.Errorf("%w: request %d for %s on %s", ErrDuplicate, id, ctx.child.Name(), d.Date)
	}
	return ctx, nil
}

// liveRequest finds an open or approved request of the child on d.
func liveRequest(tx *bolt.Tx, childID ID, d Date) (ID, bool, error) {
	b := nested(tx.Bucket(bucketRequestsByChild), idKey(childID))
	if b == nil {
		return 0, false, nil
	}
	prefix := dateKey(d)
	c := b.Cursor()
	for k, status := c.Seek(prefix); k != nil && strings.HasPrefix(string(k), string(prefix)); k, status = c.Next() {
		if s := RequestStatus(status); s == StatusOpen || s == StatusApproved {
			return ID(btoi(k[len(prefix):])), true, nil
		}
	}
	return 0, false, nil
}

// SubmitRequest stores a request with the payment the user accepted, and
// reserves its credit in the same transaction (R7). Every rule is checked
// again inside the transaction: a payment that no longer matches the
// child's credit (another request reserved it meanwhile) fails with a
// *PaymentChangedError holding a fresh proposal, and nothing is stored.
// Invoicing what credit could pay needs an override reason (R3).
func (db *DB) SubmitRequest(d RequestDraft, pay Payment) (Request, error) {
	var req Request
	now := db.now()
	err := db.update(func(tx *bolt.Tx, changed *[]Change) error {
		if err := db.allow(tx, ActRequest, 0, d.GroupID); err != nil {
			return err
		}
		d, err := db.withChannel(tx, d, DateOf(now))
		if err != nil {
			return err
		}
		req, err = submitRequest(tx, d, &pay, now, changed)
		return err
	})
	if err != nil {
		return Request{}, err
	}
	return req, nil
}

// submitRequest is SubmitRequest's transaction, at the moment now. A nil
// pay takes the payment the rules propose (a request imported from history).
func submitRequest(tx *bolt.Tx, d RequestDraft, pay *Payment, now time.Time, changed *[]Change) (Request, error) {
	today := DateOf(now)
	ctx, err := checkDraft(tx, d, today)
	if err != nil {
		return Request{}, err
	}
	if ctx.occupancy+1 > ctx.group.Capacity && !d.OverCapacity {
		return Request{}, fmt.Errorf("%w: %d of %d places taken in %s on %s", ErrOverCapacity, ctx.occupancy, ctx.group.Capacity, ctx.group.Name, d.Date)
	}
	if err := grantFlexibleCredit(tx, d.ChildID, today, changed); err != nil {
		return Request{}, err
	}
	entries, err := childLedger(tx, d.ChildID, today)
	if err != nil {
		return Request{}, err
	}
	if pay == nil {
		p := Propose(d.Spec(), entries).Payment
		pay = &p
	}
	if err := checkPayment(d.Spec(), *pay, entries); err != nil {
		return Request{}, err
	}
	for _, a := range pay.Allocations {
		err := updateCreditEntry(tx, d.ChildID, a.ExpiresOn, a.EntryID, func(e *CreditEntry) error {
			e.Reserved += a.Minutes
			return nil
		})
		if err != nil {
			return Request{}, err
		}
	}
	seq, err := tx.Bucket(bucketRequests).NextSequence()
	if err != nil {
		return Request{}, err
	}
	d.By = strings.TrimSpace(d.By)
	pay.OverrideReason = strings.TrimSpace(pay.OverrideReason)
	req := Request{ID: ID(seq), RequestDraft: d, SubmittedAt: now, Payment: *pay, Status: StatusOpen}
	*changed = append(*changed, Change{Kind: ChangeRequest, Date: d.Date, GroupID: d.GroupID, ChildID: d.ChildID, Detail: fmt.Sprintf("request %d: %s", req.ID, req.Status)},
		Change{Kind: ChangeCredit, Date: d.Date, GroupID: d.GroupID})
	return req, putRequest(tx, req)
}

// checkPayment is the store's side of R2–R5: the payment adds up to the
// request, takes no more from an entry than it holds, uses no credit the
// rules block, and is the proposal on the credit as it is now, unless it
// invoices everything with a reason (R3).
func checkPayment(r RequestSpec, pay Payment, entries []CreditEntry) error {
	fresh := Propose(r, entries)
	if pay.InvoiceMinutes < 0 || pay.CreditMinutes()+pay.InvoiceMinutes != r.Minutes {
		return invalid("the payment covers %s of a request of %s hours", MinutesText(pay.CreditMinutes()+pay.InvoiceMinutes), MinutesText(r.Minutes))
	}
	if pay.InvoiceProduct != InvoiceProduct(r.Product) {
		return invalid("the invoiced part of %s is billed as %s, not %s", r.Product, InvoiceProduct(r.Product), pay.InvoiceProduct)
	}
	taken := map[ID]int{}
	for _, a := range pay.Allocations {
		i := slices.IndexFunc(entries, func(e CreditEntry) bool { return e.ID == a.EntryID && e.ExpiresOn == a.ExpiresOn })
		switch {
		case a.Minutes <= 0:
			return invalid("a payment from credit needs more than zero minutes")
		case i < 0:
			return &PaymentChangedError{Fresh: fresh, cause: fmt.Errorf("credit %d is not in the ledger any more: %w", a.EntryID, ErrNotFound)}
		}
		if reason := blockOf(r, entries[i]); reason != "" {
			return invalid("credit %d cannot pay for this request: %s", a.EntryID, reason)
		}
		taken[a.EntryID] += a.Minutes
		if taken[a.EntryID] > entries[i].Available() {
			return &PaymentChangedError{Fresh: fresh, cause: fmt.Errorf("%w: credit %d holds %s, the payment takes %s",
				ErrOverdrawn, a.EntryID, MinutesText(entries[i].Available()), MinutesText(taken[a.EntryID]))}
		}
	}
	if strings.TrimSpace(pay.OverrideReason) != "" {
		if len(pay.Allocations) > 0 {
			return invalid("an override puts the whole request on invoice")
		}
		return nil
	}
	switch {
	case pay.Equal(fresh.Payment):
		return nil
	case len(pay.Allocations) == 0 && fresh.CreditMinutes() > 0:
		return invalid("the child has credit for this request; give a reason to put it on invoice anyway")
	}
	return &PaymentChangedError{Fresh: fresh}
}

// putRequest stores a request and keeps its two indexes in step: the open
// queue of its group (only while open) and the child's requests by date.
func putRequest(tx *bolt.Tx, r Request) error {
	if err := putJSON(tx.Bucket(bucketRequests), idKey(r.ID), r); err != nil {
		return err
	}
	key := append(dateKey(r.Date), idKey(r.ID)...)
	open, err := nestedCreate(tx.Bucket(bucketRequestsOpen), idKey(r.GroupID))
	if err != nil {
		return err
	}
	if r.Status == StatusOpen {
		err = open.Put(key, nil)
	} else {
		err = open.Delete(key)
	}
	if err != nil {
		return err
	}
	byChild, err := nestedCreate(tx.Bucket(bucketRequestsByChild), idKey(r.ChildID))
	if err != nil {
		return err
	}
	return byChild.Put(key, []byte(r.Status))
}

// ApproveRequest approves an open request: its reserved credit is spent,
// and the child is on that day's list at once (A2).
func (db *DB) ApproveRequest(id ID, by string) error {
	return db.decide(id, ActApprove, by, "", approve)
}

// A decision changes an open (or approved) request inside decide's transaction.
type decision func(tx *bolt.Tx, r *Request, now time.Time, changed *[]Change) error

func approve(tx *bolt.Tx, r *Request, _ time.Time, changed *[]Change) error {
	if r.Status != StatusOpen {
		return fmt.Errorf("%w: request %d is %s", ErrNotOpen, r.ID, r.Status)
	}
	if expected, err := childExpected(tx, r.ChildID, r.GroupID, r.Date); err != nil {
		return err
	} else if expected {
		return fmt.Errorf("%w: child %d on %s; reject this request", ErrAlreadyExpected, r.ChildID, r.Date)
	}
	if err := moveCredit(tx, *r, func(e *CreditEntry, m int) { e.Reserved -= m; e.Spent += m }); err != nil {
		return err
	}
	extras, err := nestedCreate(tx.Bucket(bucketExtras), dateKey(r.Date), idKey(r.GroupID))
	if err != nil {
		return err
	}
	r.Status = StatusApproved
	*changed = append(*changed, Change{Kind: ChangePlanning, Date: r.Date, GroupID: r.GroupID})
	return putJSON(extras, idKey(r.ChildID), Extra{ChildID: r.ChildID, GroupID: r.GroupID, Date: r.Date, Times: r.Times, Source: SourceRequest})
}

// childExpected is rule A1 for one child: is the child on the group's list
// on d? It reads only the child's contracts and extra, not the whole group's.
func childExpected(tx *bolt.Tx, childID, groupID ID, d Date) (bool, error) {
	cr, err := readChildRow(tx, groupID, childID, d)
	return cr.row.Source != "", err
}

// RejectRequest rejects an open request with a reason; its credit is given back (R7).
func (db *DB) RejectRequest(id ID, by, reason string) error {
	if strings.TrimSpace(reason) == "" {
		return invalid("give the reason for rejecting")
	}
	return db.decide(id, ActApprove, by, reason, reject)
}

func reject(tx *bolt.Tx, r *Request, _ time.Time, _ *[]Change) error {
	if r.Status != StatusOpen {
		return fmt.Errorf("%w: request %d is %s", ErrNotOpen, r.ID, r.Status)
	}
	r.Status = StatusRejected
	return moveCredit(tx, *r, func(e *CreditEntry, m int) { e.Reserved -= m })
}

// CancelRequest withdraws an open or approved request; its credit is given
// back (R7), and an approved one leaves that day's list. Care on a day gone
// by has been given, so an approved request of the past stays.
func (db *DB) CancelRequest(id ID, by, reason string) error {
	return db.decide(id, ActRequest, by, reason, cancel)
}

func cancel(tx *bolt.Tx, r *Request, now time.Time, changed *[]Change) error {
	switch r.Status {
	case StatusOpen:
		r.Status = StatusCancelled
		return moveCredit(tx, *r, func(e *CreditEntry, m int) { e.Reserved -= m })
	case StatusApproved:
		if r.Date.Before(DateOf(now)) {
			return invalid("the care of %s has been given; an approved request of a past day cannot be cancelled", r.Date)
		}
		r.Status = StatusCancelled
		*changed = append(*changed, Change{Kind: ChangePlanning, Date: r.Date, GroupID: r.GroupID})
		if b := nested(tx.Bucket(bucketExtras), dateKey(r.Date), idKey(r.GroupID)); b != nil {
			if x, err := getJSON[Extra](b, idKey(r.ChildID)); err == nil && x.Source == SourceRequest {
				if err := b.Delete(idKey(r.ChildID)); err != nil {
					return err
				}
			}
		}
		return moveCredit(tx, *r, func(e *CreditEntry, m int) { e.Spent -= m })
	}
	return fmt.Errorf("%w: request %d is %s", ErrNotOpen, r.ID, r.Status)
}

// decide runs a status change of one request in one transaction and records who made it.
func (db *DB) decide(id ID, action Action, by, reason string, change decision) error {
	if strings.TrimSpace(by) == "" {
		return invalid("say who decides")
	}
	now := db.now()
	return db.update(func(tx *bolt.Tx, changed *[]Change) error {
		allow := func(r Request) error { return db.allow(tx, action, 0, r.GroupID) }
		return decideRequest(tx, id, by, reason, now, allow, change, changed)
	})
}

// decideRequest is decide's transaction, at the moment now; allow, when
// given, checks the request's group against who decides.
func decideRequest(tx *bolt.Tx, id ID, by, reason string, now time.Time, allow func(Request) error, change decision, changed *[]Change) error {
	r, err := getJSON[Request](tx.Bucket(bucketRequests), idKey(id))
	if err != nil {
		return fmt.Errorf("request %d: %w", id, err)
	}
	if allow != nil {
		if err := allow(r); err != nil {
			return err
		}
	}
	if err := change(tx, &r, now, changed); err != nil {
		return err
	}
	r.DecidedBy, r.DecidedAt, r.Reason = strings.TrimSpace(by), now, strings.TrimSpace(reason)
	*changed = append(*changed, Change{Kind: ChangeRequest, Date: r.Date, GroupID: r.GroupID, ChildID: r.ChildID,
		Detail: fmt.Sprintf("request %d: %s", r.ID, r.Status)})
	if len(r.Payment.Allocations) > 0 {
		*changed = append(*changed, Change{Kind: ChangeCredit, Date: r.Date, GroupID: r.GroupID})
	}
	return putRequest(tx, r)
}

// UndoWindow is how long after approving or rejecting the one who decided
// may take the decision back (UndoDecision): long enough to see a mistake,
// short enough that nobody has acted on the decision yet.
const UndoWindow = 15 * time.Second

// ErrUndoExpired says a decision can no longer be taken back.
var ErrUndoExpired = errors.New("the decision can no longer be undone")

// UndoDecision takes back an approval or rejection made moments ago by the
// same person: the request is open again with its credit reserved as when
// it was submitted (R7), an approved child leaves that day's list again, and
// the undo is a write of its own in the audit log. The decision itself was
// stored at once, so closing the app during the undo time loses nothing.
func (db *DB) UndoDecision(id ID, by string) error {
	by = strings.TrimSpace(by)
	if by == "" {
		return invalid("say who undoes the decision")
	}
	now := db.now()
	return db.update(func(tx *bolt.Tx, changed *[]Change) error {
		r, err := getJSON[Request](tx.Bucket(bucketRequests), idKey(id))
		if err != nil {
			return fmt.Errorf("request %d: %w", id, err)
		}
		if err := db.allow(tx, ActApprove, 0, r.GroupID); err != nil {
			return err
		}
		switch {
		case r.Status != StatusApproved && r.Status != StatusRejected:
			return fmt.Errorf("%w: request %d is %s", ErrNotOpen, r.ID, r.Status)
		case r.DecidedBy != by || now.Sub(r.DecidedAt) > UndoWindow:
			return fmt.Errorf("%w: request %d was decided by %s at %s", ErrUndoExpired, r.ID, r.DecidedBy, r.DecidedAt.Format(time.TimeOnly))
		}
		if err := reopen(tx, &r, changed); err != nil {
			return err
		}
		*changed = append(*changed, Change{Kind: ChangeRequest, Date: r.Date, GroupID: r.GroupID, ChildID: r.ChildID,
			Detail: fmt.Sprintf("request %d: open again", r.ID)})
		if len(r.Payment.Allocations) > 0 {
			*changed = append(*changed, Change{Kind: ChangeCredit, Date: r.Date, GroupID: r.GroupID})
		}
		r.Status, r.DecidedBy, r.DecidedAt, r.Reason = StatusOpen, "", time.Time{}, ""
		return putRequest(tx, r)
	})
}

// reopen reverses approve or reject: spent credit is reserved again and the
// extra leaves the list; given-back credit is reserved again, if no other
// request has taken it meanwhile.
func reopen(tx *bolt.Tx, r *Request, changed *[]Change) error {
	if r.Status == StatusRejected {
		if other, found, err := liveRequest(tx, r.ChildID, r.Date); err != nil {
			return err
		} else if found {
			return fmt.Errorf("%w: request %d for child %d on %s", ErrDuplicate, other, r.ChildID, r.Date)
		}
		return moveCreditChecked(tx, *r, func(e *CreditEntry, m int) error {
			if e.Available() < m {
				return fmt.Errorf("%w: credit %d holds %s, the request needs %s", ErrOverdrawn, e.ID, MinutesText(e.Available()), MinutesText(m))
			}
			e.Reserved += m
			return nil
		})
	}
	rec, err := getJSON[Attendance](nested(tx.Bucket(bucketAttendance), dateKey(r.Date), idKey(r.GroupID)), idKey(r.ChildID))
	switch {
	case err == nil && (rec.CheckIn != nil || rec.Absent):
		return invalid("%s is already recorded for child %d on %s; cancel the request instead", rec.summary(), r.ChildID, r.Date)
	case err != nil && !errors.Is(err, ErrNotFound):
		return err
	}
	if b := nested(tx.Bucket(bucketExtras), dateKey(r.Date), idKey(r.GroupID)); b != nil {
		if x, err := getJSON[Extra](b, idKey(r.ChildID)); err == nil && x.Source == SourceRequest {
			if err := b.Delete(idKey(r.ChildID)); err != nil {
				return err
			}
		}
	}
	*changed = append(*changed, Change{Kind: ChangePlanning, Date: r.Date, GroupID: r.GroupID})
	return moveCredit(tx, *r, func(e *CreditEntry, m int) { e.Spent -= m; e.Reserved += m })
}

// moveCreditChecked is moveCredit for a move that can be refused.
func moveCreditChecked(tx *bolt.Tx, r Request, move func(e *CreditEntry, minutes int) error) error {
	for _, a := range r.Payment.Allocations {
		err := updateCreditEntry(tx, r.ChildID, a.ExpiresOn, a.EntryID, func(e *CreditEntry) error { return move(e, a.Minutes) })
		if err != nil {
			return err
		}
	}
	return nil
}

// moveCredit applies move to every entry the request's payment uses.
func moveCredit(tx *bolt.Tx, r Request, move func(e *CreditEntry, minutes int)) error {
	return moveCreditChecked(tx, r, func(e *CreditEntry, m int) error {
		move(e, m)
		return nil
	})
}

// Request returns one request.
func (db *DB) Request(id ID) (Request, error) {
	var r Request
	err := db.view(func(tx *bolt.Tx) error {
		var err error
		r, err = getJSON[Request](tx.Bucket(bucketRequests), idKey(id))
		return err
	})
	if err != nil {
		return r, fmt.Errorf("request %d: %w", id, err)
	}
	return r, nil
}

// RequestFlag marks an open request whose day is near or past (R6).
type RequestFlag string

// The flags of the approval queue.
const (
	FlagNone RequestFlag = ""
	// FlagNear: the day is so close that only the group can still request it
	// (fewer than Settings.ParentRequestUntilDays days ahead).
	FlagNear RequestFlag = "near"
	FlagPast RequestFlag = "past"
)

// FlagOf is rule R6's flag of an open request for day.
func FlagOf(today, day Date, s Settings) RequestFlag {
	switch before := today.DaysUntil(day); {
	case before < 0:
		return FlagPast
	case before < s.ParentRequestUntilDays:
		return FlagNear
	}
	return FlagNone
}

// QueueItem is an open request in the approval queue.
type QueueItem struct {
	Request Request
	Child   Child
	Flag    RequestFlag
	// Occupancy is the children expected and not absent in the group that
	// day without this request; approving makes it one more.
	Occupancy, Capacity int
}

// OpenRequests is the approval queue of a group (R6): open requests, the
// earliest day first. It reads the group's open index, not the history.
func (db *DB) OpenRequests(groupID ID) ([]QueueItem, error) {
	var out []QueueItem
	today := db.Today()
	err := db.view(func(tx *bolt.Tx) error {
		s, err := readSettings(tx)
		if err != nil {
			return err
		}
		out, err = groupQueue(tx, groupID, today, s)
		return err
	})
	return out, err
}

// LocationQueue is the approval queue of every group of a location the
// handle's actor works in, in one list: the earliest day first, and of one
// day the request waiting longest first.
func (db *DB) LocationQueue(locationID ID) ([]QueueItem, error) {
	var out []QueueItem
	today := db.Today()
	err := db.view(func(tx *bolt.Tx) error {
		s, err := readSettings(tx)
		if err != nil {
			return err
		}
		groups, err := allJSON[Group](tx.Bucket(bucketGroups))
		if err != nil {
			return err
		}
		for _, g := range groups {
			if g.LocationID != locationID || db.actor != nil && !db.worksIn(g) {
				continue
			}
			items, err := groupQueue(tx, g.ID, today, s)
			if err != nil {
				return err
			}
			out = append(out, items...)
		}
		return nil
	})
	slices.SortStableFunc(out, func(a, b QueueItem) int {
		if c := a.Request.Date.Compare(b.Request.Date); c != 0 {
			return c
		}
		return a.Request.SubmittedAt.Compare(b.Request.SubmittedAt)
	})
	return out, err
}

// groupQueue reads one group's open requests, the earliest day first.
func groupQueue(tx *bolt.Tx, groupID ID, today Date, s Settings) ([]QueueItem, error) {
	var out []QueueItem
	b := nested(tx.Bucket(bucketRequestsOpen), idKey(groupID))
	if b == nil {
		return nil, nil
	}
	g, err := getJSON[Group](tx.Bucket(bucketGroups), idKey(groupID))
	if err != nil {
		return nil, err
	}
	occupancy := map[Date]int{}
	err = b.ForEach(func(k, _ []byte) error {
		r, err := getJSON[Request](tx.Bucket(bucketRequests), k[len(k)-8:])
		if err != nil {
			return err
		}
		child, err := readChild(tx, r.ChildID)
		if err != nil {
			return err
		}
		n, ok := occupancy[r.Date]
		if !ok {
			list, err := readDayList(tx, groupID, r.Date)
			if err != nil {
				return err
			}
			n = list.occupancy()
			occupancy[r.Date] = n
		}
		out = append(out, QueueItem{Request: r, Child: child, Flag: FlagOf(today, r.Date, s), Occupancy: n, Capacity: g.Capacity})
		return nil
	})
	return out, err
}

// OpenRequestCounts counts the open requests per group of a location (every location for 0).
func (db *DB) OpenRequestCounts(locationID ID) (map[ID]int, error) {
	counts := map[ID]int{}
	err := db.view(func(tx *bolt.Tx) error {
		groups, err := allJSON[Group](tx.Bucket(bucketGroups))
		if err != nil {
			return err
		}
		for _, g := range groups {
			if locationID != 0 && g.LocationID != locationID {
				continue
			}
			if b := nested(tx.Bucket(bucketRequestsOpen), idKey(g.ID)); b != nil {
				if n := b.Stats().KeyN; n > 0 {
					counts[g.ID] = n
				}
			}
		}
		return nil
	})
	return counts, err
}

// ChildRequests lists the child's requests for today and the days to come, by day.
func (db *DB) ChildRequests(childID ID) ([]Request, error) {
	var out []Request
	err := db.view(func(tx *bolt.Tx) error {
		b := nested(tx.Bucket(bucketRequestsByChild), idKey(childID))
		if b == nil {
			return nil
		}
		c := b.Cursor()
		for k, _ := c.Seek(dateKey(db.Today())); k != nil; k, _ = c.Next() {
			r, err := getJSON[Request](tx.Bucket(bucketRequests), k[len(k)-8:])
			if err != nil {
				return err
			}
			out = append(out, r)
		}
		return nil
	})
	return out, err
}

// RequestChildren lists the children with a contract in the group on d,
// the ones who can have extra care requested there, by name.
func (db *DB) RequestChildren(groupID ID, d Date) ([]Child, error) {
	var out []Child
	err := db.view(func(tx *bolt.Tx) error {
		contracts, err := groupContracts(tx, groupID, d)
		if err != nil {
			return err
		}
		seen := map[ID]bool{}
		for _, c := range contracts {
			if seen[c.ChildID] || !c.Runs(d) {
				continue
			}
			seen[c.ChildID] = true
			child, err := readChild(tx, c.ChildID)
			if err != nil {
				return err
			}
			out = append(out, child)
		}
		return nil
	})
	SortByName(out, func(c Child) Child { return c })
	return out, err
}

// migrateRequests adds the buckets of extra-care requests and credit, and
// indexes the contracts stored so far by child.
func migrateRequests(tx *bolt.Tx) error {
	for _, name := range [][]byte{bucketCredit, bucketCreditGrants, bucketRequests, bucketRequestsOpen, bucketRequestsByChild, bucketContractsByChild} {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return err
		}
	}
	contracts, err := allJSON[Contract](tx.Bucket(bucketContracts))
	if err != nil {
		return err
	}
	for _, c := range contracts {
		if err := indexContractByChild(tx, c); err != nil {
			return err
		}
	}
	return nil
}
