package data

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
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

// The codes of refusals of extra-care requests, their approval and their payment.
const (
	RefuseDayPassed            = "request-day-passed"
	RefuseParentsWindow        = "request-parents-window"    // the day is the parents' to request (R1)
	RefuseGroupWindow          = "request-group-window"      // only the group may request the day (R1)
	RefuseWindowNotOpen        = "request-window-not-open"   // too far ahead for anyone (R1)
	RefuseChannel              = "request-channel"           // not the group or the office
	RefuseChannelForbidden     = "request-channel-forbidden" // the role may not use the channel
	RefuseUnknownChild         = "request-unknown-child"
	RefuseUnknownGroup         = "request-unknown-group"
	RefuseNoRegistrar          = "request-no-registrar"
	RefuseNoDay                = "request-no-day"
	RefuseChildOfOtherLocation = "request-other-location"
	RefuseRequestClosedDay     = "request-closed-day"
	RefuseNoContract           = "request-no-contract"
	RefuseStudyDayCancelled    = "request-study-day-cancelled"
	RefuseNoHours              = "request-no-hours"
	RefuseEndsBeforeStart      = "request-ends-before-start"
	RefuseProduct              = "request-product"
	RefuseAlreadyExpected      = "request-already-expected"
	RefuseDuplicate            = "request-duplicate"
	RefuseOverCapacity         = "request-over-capacity"
	RefuseNotOpen              = "request-not-open"
	RefuseRequestGone          = "request-gone"
	RefuseApproveExpected      = "request-approve-expected"
	RefuseNoRejectReason       = "request-no-reject-reason"
	RefuseCancelPast           = "request-cancel-past"
	RefuseNoDecider            = "request-no-decider"
	RefuseNotDecided           = "request-not-decided"
	RefuseUndoExpired          = "request-undo-expired"
	RefuseReopenDuplicate      = "request-reopen-duplicate"
	RefuseReopenRecorded       = "request-reopen-recorded"
	RefuseImportUndecided      = "request-import-undecided"
	RefuseImportPayment        = "request-import-payment"
	RefuseImportInvoiceProduct = "request-import-invoice-product"
	RefuseCreditChanged        = "credit-changed"
	RefuseCreditTaken          = "credit-taken-meanwhile"
	RefusePaymentTotal         = "credit-payment-total"
	RefuseInvoiceProduct       = "credit-invoice-product"
	RefuseNoCreditMinutes      = "credit-no-minutes"
	RefuseCreditBlocked        = "credit-blocked"
	RefuseOverrideWithCredit   = "credit-override-with-credit"
	RefuseOverrideReason       = "credit-override-reason"
)

var requestRefusals = map[string]RefusalText{
	RefuseDayPassed:            {Text: "{{.Date}} has passed; extra care can only be requested for today or later."},
	RefuseParentsWindow:        {Text: "{{.Date}} is {{.Days}} days ahead: the parent requests it in the parent app, or the office for them.", Kind: ErrOutsideWindow},
	RefuseGroupWindow:          {Text: "Only the group can request care for {{.Date}} now.", Kind: ErrOutsideWindow},
	RefuseWindowNotOpen:        {Text: "Requests for {{.Date}} open on {{.OpensOn}}.", Kind: ErrOutsideWindow},
	RefuseChannel:              {Text: "A request is registered by the group or by the office, not by {{.Channel}}."},
	RefuseChannelForbidden:     {Text: "Your role may not register a request this way; the group requests for the coming days, the office for the parents.", Kind: ErrForbidden},
	RefuseUnknownChild:         {Text: "This child is not in the data any more."},
	RefuseUnknownGroup:         {Text: "This group is not in the data any more."},
	RefuseNoRegistrar:          {Text: "Say who registers the request."},
	RefuseNoDay:                {Text: "Choose the day."},
	RefuseChildOfOtherLocation: {Text: "{{.Child}} is not a child of the location of {{.Group}}."},
	RefuseRequestClosedDay:     {Text: "The location is closed on {{.Date}} ({{.Reason}}).", Kind: ErrClosedDay},
	RefuseNoContract:           {Text: "{{.Child}} has no contract in {{.Group}} on {{.Date}}."},
	RefuseStudyDayCancelled:    {Text: "Care on the study day of {{.Date}} is cancelled at this location."},
	RefuseNoHours:              {Text: "A request needs more than zero hours."},
	RefuseEndsBeforeStart:      {Text: "The request ends ({{.Until}}) before it starts ({{.From}})."},
	RefuseProduct:              {Text: "{{.Product}} cannot be requested in {{.Group}} on {{.Date}}."},
	RefuseAlreadyExpected:      {Text: "{{.Child}} is already expected in {{.Group}} on {{.Date}}.", Kind: ErrAlreadyExpected},
	RefuseDuplicate:            {Text: "{{.Child}} already has a request for {{.Date}}.", Kind: ErrDuplicate},
	RefuseOverCapacity:         {Text: "{{.Taken}} of {{.Capacity}} places are taken in {{.Group}} on {{.Date}}; confirm to request anyway.", Kind: ErrOverCapacity},
	RefuseNotOpen:              {Text: "This request is not open any more; the list has been brought up to date.", Kind: ErrNotOpen},
	RefuseRequestGone:          {Text: "This request is not in the data any more; the list has been brought up to date.", Kind: ErrNotFound},
	RefuseApproveExpected:      {Text: "The child is on the list of {{.Date}} already; reject this request.", Kind: ErrAlreadyExpected},
	RefuseNoRejectReason:       {Text: "Give the reason for rejecting."},
	RefuseCancelPast:           {Text: "The care of {{.Date}} has been given; an approved request of a past day cannot be cancelled."},
	RefuseNoDecider:            {Text: "Say who decides."},
	RefuseNotDecided:           {Text: "This request is not approved or rejected; there is no decision to undo.", Kind: ErrNotOpen},
	RefuseUndoExpired:          {Text: "The decision can no longer be undone. Cancel the request from the child's card if needed.", Kind: ErrUndoExpired},
	RefuseReopenDuplicate:      {Text: "The child has another request for {{.Date}} now; the rejection stays.", Kind: ErrDuplicate},
	RefuseReopenRecorded:       {Text: "Attendance of the child on {{.Date}} is recorded already; cancel the request instead."},
	RefuseImportUndecided:      {Text: "Request of child {{.Child}} on {{.Date}}: only decided requests are imported, not {{.Status}} ones."},
	RefuseImportPayment:        {Text: "Request of child {{.Child}} on {{.Date}}: the payment does not cover its {{.Hours}} hours."},
	RefuseImportInvoiceProduct: {Text: "Request of child {{.Child}} on {{.Date}}: {{.Product}} is invoiced as {{.Invoice}}."},
	RefuseCreditChanged:        {Text: "Another request has just used this child's credit. Nothing was saved; check the new proposal and request again.", Kind: ErrCreditChanged},
	RefuseCreditTaken:          {Text: "The credit this request used has been taken by another request meanwhile. Ask for a new request instead.", Kind: ErrOverdrawn},
	RefusePaymentTotal:         {Text: "The payment covers {{.Paid}} of a request of {{.Hours}} hours."},
	RefuseInvoiceProduct:       {Text: "The invoiced part of {{.Product}} is billed as {{.Want}}, not {{.Got}}."},
	RefuseNoCreditMinutes:      {Text: "A payment from credit needs more than zero minutes."},
	RefuseCreditBlocked:        {Text: "Credit {{.Entry}} cannot pay for this request ({{.Reason}})."},
	RefuseOverrideWithCredit:   {Text: "Putting a request on invoice anyway puts all of it on invoice."},
	RefuseOverrideReason:       {Text: "The child has credit for this request; give a reason to put it on invoice anyway."},
}

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

func (e *WindowError) Error() string { return e.refusal().Error() }

// refusal says the window error as a code with its values: who may request
// the day now, or when anyone may.
func (e *WindowError) refusal() *Refusal {
	args := Args{"Date": e.Day, "Days": e.DaysBefore}
	switch e.MustBy {
	case ChannelParent:
		return &Refusal{Code: RefuseParentsWindow, Args: args}
	case ChannelGroup:
		return &Refusal{Code: RefuseGroupWindow, Args: args}
	}
	args["OpensOn"] = e.OpensOn
	return &Refusal{Code: RefuseWindowNotOpen, Args: args}
}

// Is makes errors.Is(err, ErrOutsideWindow) true.
func (e *WindowError) Is(target error) bool { return target == ErrOutsideWindow }

// Unwrap gives the refusal, which the screens say in the user's language.
func (e *WindowError) Unwrap() error { return e.refusal() }

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
		return Refuse(RefuseDayPassed, Args{"Date": day})
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
		return "", Refuse(RefuseChannelForbidden, Args{"Role": string(role), "Channel": string(asked)})
	}
	return "", Refuse(RefuseChannel, Args{"Channel": string(asked)})
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

// CheckDraftParties checks who and what a draft names before the day is
// read: someone who registers it, a channel (ChannelFor), a day, and a
// child of the group's location.
func CheckDraftParties(d RequestDraft, child Child, group Group) error {
	switch {
	case strings.TrimSpace(d.By) == "":
		return Refuse(RefuseNoRegistrar, nil)
	case d.Channel != ChannelGroup && d.Channel != ChannelOffice:
		return Refuse(RefuseChannel, Args{"Channel": string(d.Channel)})
	case d.Date.IsZero():
		return Refuse(RefuseNoDay, nil)
	case child.LocationID != group.LocationID:
		return Refuse(RefuseChildOfOtherLocation, Args{"Child": child.Name(), "Group": group.Name})
	}
	return nil
}

// DraftDay is what the request rules need to know of the draft's day, read
// by the store in the transaction that checks (and writes) the request.
type DraftDay struct {
	Child Child
	Group Group
	// Closed and ClosedReason are the group's list that day.
	Closed       bool
	ClosedReason string
	// Contracts are the child's contracts in the group in force that day.
	Contracts []Contract
	// HolidayDay and StudyDay are the day for the child's school (BSO);
	// StudyDayCancelled says the planner cancelled the study day's care here (S2).
	HolidayDay, StudyDay, StudyDayCancelled bool
	// Listed says the child is on the group's list that day already (A1).
	Listed bool
	// LiveRequest is an open or approved request of the child that day, or 0.
	LiveRequest ID
}

// RequestProducts are what can be requested for a child in the group that
// day: KDV care (and Qflexibel with a Qflexibel contract) in a KDV group;
// in a BSO group a holiday day, a study day's care (no school: not a school
// afternoon, S2) or a school day's.
func RequestProducts(f DraftDay) []Product {
	switch {
	case f.Group.Care == KDV:
		products := []Product{ProductKDV}
		if slices.ContainsFunc(f.Contracts, func(c Contract) bool { return c.Product == ProductQflexibel }) {
			products = append(products, ProductQflexibel)
		}
		return products
	case f.HolidayDay:
		return []Product{ProductBSOHoliday}
	case f.StudyDay:
		return []Product{ProductStudyDay}
	}
	return []Product{ProductBSOSchoolDay}
}

// CheckDraftDay is the request rules on the draft's day, in the order a user
// can act on them: the location is open, the child has a contract in the
// group, care is given (a cancelled study day has none), the times make
// sense, the product is one the day has, and the child is not expected or
// requested already. It returns the day's products once they are known, so
// the request screen can offer them whatever else is wrong.
func CheckDraftDay(d RequestDraft, f DraftDay) ([]Product, error) {
	if f.Closed {
		return nil, Refuse(RefuseRequestClosedDay, Args{"Date": d.Date, "Reason": f.ClosedReason})
	}
	if len(f.Contracts) == 0 {
		return nil, Refuse(RefuseNoContract, Args{"Child": f.Child.Name(), "Group": f.Group.Name, "Date": d.Date})
	}
	products := RequestProducts(f)
	switch {
	case f.Group.Care == BSO && !f.HolidayDay && f.StudyDay && f.StudyDayCancelled:
		return products, Refuse(RefuseStudyDayCancelled, Args{"Date": d.Date})
	case d.Times.Until == d.Times.From:
		return products, Refuse(RefuseNoHours, nil)
	case d.Times.Until < d.Times.From:
		return products, Refuse(RefuseEndsBeforeStart, Args{"From": d.Times.From, "Until": d.Times.Until})
	case !slices.Contains(products, d.Product):
		return products, Refuse(RefuseProduct, Args{"Product": string(d.Product), "Group": f.Group.Name, "Date": d.Date})
	case f.Listed:
		return products, Refuse(RefuseAlreadyExpected, Args{"Child": f.Child.Name(), "Group": f.Group.Name, "Date": d.Date})
	case f.LiveRequest != 0:
		return products, Refuse(RefuseDuplicate, Args{"Child": f.Child.Name(), "Date": d.Date, "Request": int(f.LiveRequest)})
	}
	return products, nil
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
	Cause error
}

func (e *PaymentChangedError) Error() string {
	if e.Cause != nil {
		return fmt.Sprintf("%s (%s)", e.refusal(), e.Cause)
	}
	return e.refusal().Error()
}

func (e *PaymentChangedError) refusal() *Refusal { return &Refusal{Code: RefuseCreditChanged} }

// Unwrap makes errors.Is see ErrCreditChanged and the cause (ErrOverdrawn),
// and gives the refusal the screens say in the user's language.
func (e *PaymentChangedError) Unwrap() []error {
	if e.Cause == nil {
		return []error{e.refusal()}
	}
	return []error{e.refusal(), e.Cause}
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
func (p RequestPreview) OverCapacity() bool { return OverCapacity(p.Occupancy, p.Capacity) }

// OverCapacity is the capacity rule: with occupancy children expected and
// not absent, one more child takes a group of capacity places over it.
func OverCapacity(occupancy, capacity int) bool { return occupancy+1 > capacity }

// CheckCapacity refuses a request that takes group over its capacity on
// day, unless the user was told and confirmed to go ahead.
func CheckCapacity(group Group, day Date, occupancy int, confirmed bool) error {
	if OverCapacity(occupancy, group.Capacity) && !confirmed {
		return Refuse(RefuseOverCapacity, Args{"Group": group.Name, "Date": day, "Taken": occupancy, "Capacity": group.Capacity})
	}
	return nil
}

// UndoWindow is how long after approving or rejecting the one who decided
// may take the decision back (UndoDecision): long enough to see a mistake,
// short enough that nobody has acted on the decision yet.
const UndoWindow = 15 * time.Second

// ErrUndoExpired says a decision can no longer be taken back.
var ErrUndoExpired = errors.New("the decision can no longer be undone")

// CheckDecide is rule R6's one way forward: only an open request is
// approved or rejected.
func CheckDecide(r Request) error {
	if r.Status != StatusOpen {
		return Refuse(RefuseNotOpen, Args{"Request": int(r.ID), "Status": string(r.Status)})
	}
	return nil
}

// CheckCancel says whether a request can be withdrawn on today: an open one
// always, an approved one until its day has come and gone (the care has
// been given then), a rejected or cancelled one never.
func CheckCancel(r Request, today Date) error {
	switch r.Status {
	case StatusOpen:
		return nil
	case StatusApproved:
		if r.Date.Before(today) {
			return Refuse(RefuseCancelPast, Args{"Date": r.Date})
		}
		return nil
	}
	return Refuse(RefuseNotOpen, Args{"Request": int(r.ID), "Status": string(r.Status)})
}

// CheckUndo is the undo rule: only the one who approved or rejected a
// request may take the decision back, and only within UndoWindow of it.
func CheckUndo(r Request, by string, now time.Time) error {
	switch {
	case r.Status != StatusApproved && r.Status != StatusRejected:
		return Refuse(RefuseNotDecided, Args{"Request": int(r.ID), "Status": string(r.Status)})
	case r.DecidedBy != strings.TrimSpace(by) || now.Sub(r.DecidedAt) > UndoWindow:
		return Refuse(RefuseUndoExpired, Args{"Request": int(r.ID), "By": r.DecidedBy, "At": r.DecidedAt.Format(time.TimeOnly)})
	}
	return nil
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

// OverCapacity reports whether approving takes the group over its capacity.
func (q QueueItem) OverCapacity() bool { return OverCapacity(q.Occupancy, q.Capacity) }
