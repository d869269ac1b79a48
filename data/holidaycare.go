package data

import (
	"errors"
	"fmt"
	"slices"
)

// ErrTooLate is returned when a deadline has passed.
var ErrTooLate = errors.New("too late")

// The codes of refusals of holiday contracts (V2).
const (
	RefuseHolidayTooLate        = "holiday-too-late" // see DeadlineError
	RefuseHolidayNoDays         = "holiday-no-days"
	RefuseHolidayOtherSchool    = "holiday-other-school"
	RefuseHoliday52Weeks        = "holiday-52-weeks"
	RefuseHolidayContractExists = "holiday-contract-exists"
	RefuseHolidayNoSchoolWeeks  = "holiday-no-school-weeks"
)

var holidayRefusals = map[string]RefusalText{
	RefuseHolidayTooLate:        {Text: "Too late: a holiday contract for the {{.Holiday}} (from {{.From}}) had to be arranged by {{.Date}}.", Kind: ErrTooLate},
	RefuseHolidayNoDays:         {Text: "A holiday contract gives at least one holiday day."},
	RefuseHolidayOtherSchool:    {Text: "This holiday is not a holiday of the school of {{.Child}}."},
	RefuseHoliday52Weeks:        {Text: "{{.Child}} has a 52-weeks contract, which gives care in the holidays already."},
	RefuseHolidayContractExists: {Text: "{{.Child}} has a holiday contract from {{.Date}} already."},
	RefuseHolidayNoSchoolWeeks:  {Text: "{{.Child}} has no BSO school-weeks contract on {{.Date}}."},
}

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

func (e *DeadlineError) Error() string { return e.refusal().Error() }

func (e *DeadlineError) refusal() *Refusal {
	return &Refusal{Code: RefuseHolidayTooLate, Args: Args{"Holiday": e.Holiday.Name, "From": e.Holiday.From, "Date": e.Deadline}}
}

// Unwrap gives the refusal, which is ErrTooLate and which the screens say
// in the user's language.
func (e *DeadlineError) Unwrap() error { return e.refusal() }

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

// NewHolidayContract is the holiday contract r asks for the child from
// holiday h on (V2): a year's credit of days, in the group of the child's
// school-weeks contract on the holiday's first day. Of the contracts, those
// of the child in that year are checked: a 52-weeks contract covers the
// holidays already, and one holiday contract a year is enough.
func NewHolidayContract(r HolidayContractRequest, child Child, h SchoolHoliday, contracts []Contract) (Contract, error) {
	c := Contract{ChildID: child.ID, Product: ProductBSOHoliday, Start: h.From, End: YearFrom(h.From), CreditDays: r.CreditDays}
	for _, other := range contracts {
		if other.ChildID != child.ID || !Overlaps(other, c.Start, c.End) {
			continue
		}
		switch other.Product {
		case ProductBSO52Weeks:
			return c, Refuse(RefuseHoliday52Weeks, Args{"Child": child.Name()})
		case ProductBSOHoliday:
			return c, Refuse(RefuseHolidayContractExists, Args{"Child": child.Name(), "Date": other.Start})
		case ProductBSOSchoolWeeks:
			if other.Runs(h.From) {
				c.GroupID = other.GroupID
			}
		}
	}
	if c.GroupID == 0 {
		return c, Refuse(RefuseHolidayNoSchoolWeeks, Args{"Child": child.Name(), "Date": h.From})
	}
	return c, nil
}

// HolidayContractChange is the change-feed entry of a holiday contract stored.
func HolidayContractChange(c Contract) Change {
	return Change{Kind: ChangePlanning, ChildID: c.ChildID, Detail: fmt.Sprintf("holiday contract %d: %d days", c.ID, c.CreditDays)}
}

// YearFrom is the last day of the year that starts on d.
func YearFrom(d Date) Date { return DateOf(d.Midnight().AddDate(1, 0, 0)).AddDays(-1) }

// HolidayCovers are, from the contracts (those running in holiday h count),
// the group of each school-weeks child (52-weeks children left out: their
// contract covers the holiday) and the cover of children with a holiday
// contract. Book adds the children with a booking.
func HolidayCovers(h SchoolHoliday, contracts []Contract) (groups map[ID]ID, cover map[ID]HolidayCover) {
	groups, cover = map[ID]ID{}, map[ID]HolidayCover{}
	fiftyTwo := map[ID]bool{}
	for _, c := range contracts {
		if !Overlaps(c, h.From, h.To) {
			continue
		}
		switch c.Product {
		case ProductBSOSchoolWeeks:
			groups[c.ChildID] = c.GroupID
		case ProductBSO52Weeks:
			fiftyTwo[c.ChildID] = true
		case ProductBSOHoliday:
			cover[c.ChildID] = CoverContract
		}
	}
	for id := range fiftyTwo {
		delete(groups, id)
	}
	return groups, cover
}

// BookedHoliday marks a child with a booked holiday day as covered by it,
// unless a contract covers the child already.
func BookedHoliday(cover map[ID]HolidayCover, childID ID) {
	if cover[childID] == CoverNone {
		cover[childID] = CoverBooking
	}
}

// SortChildren puts the children without cover first, then by name.
func (o *HolidayOverview) SortChildren() {
	SortByName(o.Children, func(c HolidayChild) Child { return c.Child })
	slices.SortStableFunc(o.Children, func(a, b HolidayChild) int {
		return boolOrder(a.Cover != CoverNone) - boolOrder(b.Cover != CoverNone)
	})
}

func boolOrder(b bool) int {
	if b {
		return 1
	}
	return 0
}
