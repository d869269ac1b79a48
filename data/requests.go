package data

import (
	"errors"
	"fmt"
	"slices"
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
		return Invalid("%s has passed; extra care can only be requested for today or later", day)
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
	return "", Invalid("a request is registered by the group or by the office, not %q", asked)
}

func roleOrSystem(r Role) string {
	if r == "" {
		return SystemName
	}
	return string(r)
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
	Cause error
}

func (e *PaymentChangedError) Error() string {
	if e.Cause != nil {
		return fmt.Sprintf("%s: %s; a new proposal is made", ErrCreditChanged, e.Cause)
	}
	return ErrCreditChanged.Error() + "; a new proposal is made"
}

// Unwrap makes errors.Is see ErrCreditChanged and the cause (ErrOverdrawn).
func (e *PaymentChangedError) Unwrap() []error {
	if e.Cause == nil {
		return []error{ErrCreditChanged}
	}
	return []error{ErrCreditChanged, e.Cause}
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

// UndoWindow is how long after approving or rejecting the one who decided
// may take the decision back (UndoDecision): long enough to see a mistake,
// short enough that nobody has acted on the decision yet.
const UndoWindow = 15 * time.Second

// ErrUndoExpired says a decision can no longer be taken back.
var ErrUndoExpired = errors.New("the decision can no longer be undone")

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
