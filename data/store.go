package data

import (
	"errors"
	"fmt"
	"slices"
)

// Errors callers check with errors.Is.
var (
	ErrInUse     = errors.New("another copy of Locatiedesk has this data file open")
	ErrNotFound  = errors.New("not found")
	ErrLocked    = errors.New("this date is locked; unlock it first")
	ErrInvalid   = errors.New("invalid input")
	ErrClosedDay = errors.New("the location is closed that day")
	ErrNotEmpty  = errors.New("the data file already holds data")
	ErrTooNew    = errors.New("the data file was written by a newer Locatiedesk")
)

// ChangeKind says which kind of data a change touched.
type ChangeKind string

// The kinds of change screens listen for.
const (
	ChangeAttendance ChangeKind = "attendance" // a check-in, check-out, absence or note
	ChangePlanning   ChangeKind = "planning"   // contracts, calendar, extras: who is expected
	ChangeCatalog    ChangeKind = "catalog"    // locations, groups, children, settings
	ChangeUnlock     ChangeKind = "unlock"     // a date other than today opened for editing (A3)
	ChangePrint      ChangeKind = "print"      // a sheet printed or saved as PDF
	ChangeSignIn     ChangeKind = "sign-in"    // a sign-in attempt, right or wrong
	ChangeConsent    ChangeKind = "consent"    // a photo-consent answer recorded (C1)
)

// Change tells subscribers what a committed transaction changed. A zero Date
// or GroupID means "any": the change may affect every date or group.
type Change struct {
	// Seq is the number of the write in the feed (its audit entry): the same
	// for all changes of one write, rising from write to write.
	Seq     uint64     `json:"seq,omitempty"`
	Kind    ChangeKind `json:"kind"`
	Date    Date       `json:"date,omitzero"`
	GroupID ID         `json:"groupId,omitempty"`
	// ChildID and Detail are for the audit log: whose data, and what in words.
	ChildID ID     `json:"childId,omitempty"`
	Detail  string `json:"detail,omitempty"`
}

// ForDevice is the change as the feed gives it to a device paired at
// locations (none: every location): nothing of another location's groups,
// and without the audit log's words, which may name a child. groupLocation
// is the location of c's group (unused when c names no group).
func (c Change) ForDevice(locations []ID, groupLocation ID) (Change, bool) {
	if c.GroupID != 0 && len(locations) > 0 && !slices.Contains(locations, groupLocation) {
		return Change{}, false
	}
	c.Detail = ""
	return c, true
}

// Affects reports whether a screen showing group on date must redraw.
func (c Change) Affects(group ID, date Date) bool {
	return (c.GroupID == 0 || c.GroupID == group) && (c.Date.IsZero() || c.Date == date)
}

// Invalid wraps a message as ErrInvalid.
func Invalid(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalid, fmt.Sprintf(format, args...))
}
