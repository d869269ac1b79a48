package data

import "time"

// The refusals of a device that cannot reach the location's computer (D2).
const (
	// RefuseNeedsHub: what the device cannot do without the hub (requests,
	// approvals, exports, management, a list it never read).
	RefuseNeedsHub = "needs-hub"
	// RefuseOfflineSignInLocked: too many wrong PINs on a device without
	// connection; the hub decides again once it is back.
	RefuseOfflineSignInLocked = "offline-sign-in-locked"
	// RefuseSignInAgain: the hub does not know the person's sign-in (they
	// signed in without connection, or the hub forgot it).
	RefuseSignInAgain = "sign-in-again"
	// RefuseKeptTooLong: a kept action older than WriteKeyKept, which the
	// hub could no longer recognise as sent before.
	RefuseKeptTooLong = "kept-too-long"
)

var offlineRefusals = map[string]RefusalText{
	RefuseNeedsHub:            {Text: "This needs the location's computer, which this device cannot reach now. Try again when the connection is back."},
	RefuseOfflineSignInLocked: {Text: "Too many wrong attempts on this device. Sign in again when the connection to the location's computer is back.", Kind: ErrWrongSecret},
	RefuseSignInAgain:         {Text: "The location's computer does not know your sign-in on this device. Sign out and sign in again."},
	RefuseKeptTooLong:         {Text: "Kept on this device for more than {{.Days}} days: not sent, so that it cannot be made twice."},
}

// KeptAction is what a device without connection did on a day's list and
// kept to send to the hub later: a check-in, check-out, corrected times, an
// absence or a note, and the printing of the who-is-here list.
type KeptAction string

// The actions a device keeps while the hub cannot be reached.
const (
	KeptCheckIn      KeptAction = "check-in"
	KeptCheckOut     KeptAction = "check-out"
	KeptSetTimes     KeptAction = "set-times"
	KeptAbsent       KeptAction = "absent"
	KeptAbsentOther  KeptAction = "absent-other"
	KeptClearAbsence KeptAction = "clear-absence"
	KeptNote         KeptAction = "note"
	KeptPrint        KeptAction = "print"
)

// RefusedAction is a kept action that the hub refused when the device sent
// it (the child was checked out on another device, the day was closed). It
// is shown to the person until someone dismisses it, never dropped.
type RefusedAction struct {
	ID     uint64
	Action KeptAction
	// Child is the child's name as the list showed it; Date and GroupID
	// name the list.
	Child   string
	ChildID ID
	GroupID ID
	Date    Date
	// Detail is the time, reason or note the action gave, as the person entered it.
	Detail string
	// By is who did it, At when, on the device's clock.
	By string
	At time.Time
	// Err is the hub's refusal (a Refusal where the rules gave one).
	Err error
}
