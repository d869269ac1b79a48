package data

import (
	"errors"
	"fmt"
)

// ErrTooLate is returned when a deadline has passed.
var ErrTooLate = errors.New("too late")

// HolidayContractDeadline is the last day a holiday contract for h can be
// arranged (V2): Settings.HolidayContractWeeks weeks before the holiday starts.
func HolidayContractDeadline(h SchoolHoliday, s Settings) Date {
	return h.From.AddDays(-7 * s.HolidayContractWeeks)
}

// DeadlineError names the holiday and the deadline that passed; it wraps ErrTooLate.
type DeadlineError struct {
	Holiday  SchoolHoliday
	Deadline Date
}

func (e *DeadlineError) Error() string {
	return fmt.Sprintf("too late for a holiday contract for the %s (from %s): it had to be arranged by %s",
		e.Holiday.Name, e.Holiday.From, e.Deadline)
}

func (e *DeadlineError) Unwrap() error { return ErrTooLate }

// CheckHolidayContractDeadline refuses a holiday contract for h arranged
// after its deadline (V2); the deadline day itself is still in time.
func CheckHolidayContractDeadline(today Date, h SchoolHoliday, s Settings) error {
	if deadline := HolidayContractDeadline(h, s); today.After(deadline) {
		return &DeadlineError{Holiday: h, Deadline: deadline}
	}
	return nil
}

// HolidayContractRequest is the office arranging a holiday contract for a
// child, from a holiday of the child's school on.
type HolidayContractRequest struct {
	ChildID   ID
	HolidayID ID
	// CreditDays is the number of holiday days a year the contract gives.
	CreditDays int
}

// Overlaps reports whether c runs on any day from from to to inclusive.
func Overlaps(c Contract, from, to Date) bool {
	return !c.Start.After(to) && (c.End.IsZero() || !c.End.Before(from))
}

// HolidayCover says how a BSO school-weeks child is covered in a holiday.
type HolidayCover string

// The covers the holiday overview shows.
const (
	CoverNone     HolidayCover = ""         // no contract, no booking: parents to reach
	CoverContract HolidayCover = "contract" // a holiday contract (V2)
	CoverBooking  HolidayCover = "booking"  // at least one booked holiday day
)

// HolidayChild is a BSO child in the holiday overview.
type HolidayChild struct {
	Child Child
	Group Group
	Cover HolidayCover
}

// HolidayOverview is one holiday of one school as the office plans it: the
// deadline for holiday contracts, and the school-weeks children with and
// without holiday care. 52-weeks children are left out: their contract
// covers the holidays (A1).
type HolidayOverview struct {
	Holiday  SchoolHoliday
	Deadline Date
	// DaysLeft counts the days from today to the deadline; negative once it has passed.
	DaysLeft int
	// Children come without cover first (the parents to reach), then by name.
	Children []HolidayChild
}

// Uncovered counts the children without holiday contract or booking.
func (o HolidayOverview) Uncovered() int {
	n := 0
	for _, c := range o.Children {
		if c.Cover == CoverNone {
			n++
		}
	}
	return n
}
