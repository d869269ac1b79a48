package data

import (
	"time"
)

// ID identifies a stored record; IDs come from a bucket's sequence and are never 0.
type ID uint64

// CareType tells daycare from out-of-school care.
type CareType string

// Care types of a group.
const (
	KDV CareType = "KDV" // daycare, 0–4 years, whole days
	BSO CareType = "BSO" // out-of-school care, 4–12 years
)

// Product is what a contract sells.
type Product string

// The contract products.
const (
	ProductKDV            Product = "kdv"
	ProductBSOSchoolWeeks Product = "bso-schoolweken" // school days only, never in holidays
	ProductBSO52Weeks     Product = "bso-52weken"     // school days and holidays
	ProductBSOHoliday     Product = "bso-vakantie"    // holiday contract: a credit of holiday days
	ProductQflexibel      Product = "qflexibel"       // flexible hours credit
)

// Products lists every product, in the order the office thinks of them.
var Products = []Product{ProductKDV, ProductBSOSchoolWeeks, ProductBSO52Weeks, ProductBSOHoliday, ProductQflexibel}

// Settings are the organisation's choices. Every number a rule uses lives here,
// with the organisation's published values as defaults (see DefaultSettings).
type Settings struct {
	// ParentRequestFromDays and ParentRequestUntilDays bound the window in which
	// parents request extra care themselves (R1): from 28 until 4 days before the day.
	ParentRequestFromDays  int `json:"parentRequestFromDays"`
	ParentRequestUntilDays int `json:"parentRequestUntilDays"`
	// AbsenceNoticeHours is how long before the day an absence must be reported to earn credit (T1).
	AbsenceNoticeHours int `json:"absenceNoticeHours"`
	// MaxCreditHours caps an absence-credit balance (T1).
	MaxCreditHours float64 `json:"maxCreditHours"`
	// CreditExpiryDays is how long absence credit stays usable after the absence (T1).
	CreditExpiryDays int `json:"creditExpiryDays"`
	// HolidayContractWeeks is how long before a holiday a holiday contract must be arranged (V2).
	HolidayContractWeeks int `json:"holidayContractWeeks"`
	// StudyDayMinimum is the number of sign-ups from which care on a study day goes ahead (S1).
	StudyDayMinimum int `json:"studyDayMinimum"`
	// HolidayDay is the organisation's holiday day: a BSO group's opening
	// hours on a school-holiday day where the group sets none of its own
	// (OpeningHours.HolidayDay), and the length of one holiday day wherever
	// days become hours: a holiday contract's credit and the days on an
	// invoice. That unit stays one for the whole organisation, so a day
	// bought in one group is worth the same in another.
	HolidayDay TimeRange `json:"holidayDay"`
	// BackupDays is how many daily automatic backups are kept.
	BackupDays int `json:"backupDays"`
	// SignInAttempts wrong PINs in a row lock a user out for LockoutMinutes.
	SignInAttempts int `json:"signInAttempts"`
	LockoutMinutes int `json:"lockoutMinutes"`
	// AutoLockMinutes without use lock a shared tablet again.
	AutoLockMinutes int `json:"autoLockMinutes"`
	// RetentionMonths after the end of a child's last contract, the child's
	// personal data are removed (AVG: no longer than necessary); billing
	// records stay, anonymised, for the tax authority's seven years. No
	// backup older than this is kept either.
	RetentionMonths int `json:"retentionMonths"`
}

// DefaultSettings returns the values the organisation publishes.
func DefaultSettings() Settings {
	return Settings{
		ParentRequestFromDays:  28,
		ParentRequestUntilDays: 4,
		AbsenceNoticeHours:     24,
		MaxCreditHours:         40,
		CreditExpiryDays:       28,
		HolidayContractWeeks:   5,
		StudyDayMinimum:        3,
		HolidayDay:             TimeRange{NewClock(7, 30), NewClock(18, 30)},
		BackupDays:             14,
		SignInAttempts:         5,
		LockoutMinutes:         5,
		AutoLockMinutes:        5,
		// Dutch childcare organisations keep a child's file two years after care ends.
		RetentionMonths: 24,
	}
}

// Location is one childcare location.
type Location struct {
	ID   ID     `json:"id"`
	Name string `json:"name"`
	// ClosedOn is the day the location closed; pickers leave it out and it
	// takes no new groups, but its history stays.
	ClosedOn Date `json:"closedOn,omitzero"`
}

// Group is a room of children of one care type at a location.
type Group struct {
	ID         ID           `json:"id"`
	LocationID ID           `json:"locationId"`
	Name       string       `json:"name"`
	Care       CareType     `json:"care"`
	Capacity   int          `json:"capacity"`
	Hours      OpeningHours `json:"hours,omitzero"`
	// ClosedOn is the day the group closed; pickers leave it out and it
	// takes no new contracts, but its lists and contracts stay.
	ClosedOn Date `json:"closedOn,omitzero"`
}

// OpeningHours are when a group is open. A zero range is not set: a BSO
// group's holiday days then follow the organisation's Settings.HolidayDay.
type OpeningHours struct {
	// Day is a KDV group's day, or a BSO group's school day (after school).
	Day TimeRange `json:"day,omitzero"`
	// HolidayDay is a BSO group's school-holiday and study day.
	HolidayDay TimeRange `json:"holidayDay,omitzero"`
}

// HolidayHours are the group's opening hours on a school-holiday day: its
// own, or else the organisation's.
func (g Group) HolidayHours(s Settings) TimeRange {
	if g.Hours.HolidayDay != (TimeRange{}) {
		return g.Hours.HolidayDay
	}
	return s.HolidayDay
}

// Closed reports whether the group is closed on d.
func (g Group) Closed(d Date) bool { return !g.ClosedOn.IsZero() && !d.Before(g.ClosedOn) }

// Child is a child in care. Which group a child is in on a day follows from the
// contract running that day, so a child can move group without losing history.
type Child struct {
	ID         ID     `json:"id"`
	LocationID ID     `json:"locationId"`
	FirstName  string `json:"firstName"`
	LastName   string `json:"lastName"`
	BirthDate  Date   `json:"birthDate"`
	// SchoolID is the BSO child's school; it decides the child's school holidays.
	SchoolID ID `json:"schoolId,omitempty"`
	// Picture is an optional PNG or JPEG portrait.
	Picture []byte `json:"picture,omitempty"`
	// Number is the child's number in the organisation's planning system: the
	// key that matches an imported line to this child on every re-import (M1).
	Number string `json:"number,omitempty"`
	// Contacts are the parents and others staff may call (M3), in the order
	// the family gave them.
	Contacts []Contact `json:"contacts,omitempty"`
	// RemovedOn is the day the child's personal data were removed after the
	// retention period (PurgeExpired); the record then holds no name.
	RemovedOn Date `json:"removedOn,omitzero"`
}

// Contact is a parent or another person staff may call about a child (M3).
// Staff on the group's tablet read these; there is no BSN or health field.
type Contact struct {
	Name     string `json:"name"`
	Relation string `json:"relation,omitempty"` // "moeder", "opa", "buurvrouw": as the family says it
	Phone    string `json:"phone,omitempty"`
	Email    string `json:"email,omitempty"`
	// MayCollect says whether this person may take the child home.
	MayCollect bool `json:"mayCollect,omitempty"`
}

// Name is first and last name as staff say it.
func (c Child) Name() string { return c.FirstName + " " + c.LastName }

// Initials stand in for a missing picture.
func (c Child) Initials() string {
	initial := func(s string) string {
		for _, r := range s {
			return string(r)
		}
		return ""
	}
	last := c.LastName
	// Dutch surnames keep their prefix lowercase ("de Vries"): the initial is of the main part.
	for i := len(last) - 1; i > 0; i-- {
		if last[i-1] == ' ' {
			last = last[i:]
			break
		}
	}
	return initial(c.FirstName) + initial(last)
}

// ContractDay is one weekday of a contract with its (school-day) care times.
type ContractDay struct {
	Weekday time.Weekday `json:"weekday"`
	Times   TimeRange    `json:"times"`
}

// Contract sells a product for a child in a group from Start until End
// (inclusive; a zero End means open-ended).
type Contract struct {
	ID      ID            `json:"id"`
	ChildID ID            `json:"childId"`
	GroupID ID            `json:"groupId"`
	Product Product       `json:"product"`
	Days    []ContractDay `json:"days,omitempty"`
	Start   Date          `json:"start"`
	End     Date          `json:"end,omitempty"`
	// CreditDays is the yearly number of holiday days of a holiday contract.
	CreditDays int `json:"creditDays,omitempty"`
	// CreditHours is the flexible hours of a Qflexibel contract.
	CreditHours float64 `json:"creditHours,omitempty"`
	// Continues is the contract this one is a later version of (M2): a
	// credit contract's years run on from the first version, so a change
	// in the middle of a year gives no second year's credit.
	Continues ID `json:"continues,omitempty"`
}

// Runs reports whether the contract is in force on d.
func (c Contract) Runs(d Date) bool {
	return !d.Before(c.Start) && (c.End.IsZero() || !d.After(c.End))
}

// School is a primary school whose children come to BSO.
type School struct {
	ID     ID     `json:"id"`
	Name   string `json:"name"`
	Region string `json:"region,omitempty"`
}

// SchoolHoliday is a school holiday of one school, From to To inclusive. Study days are StudyDay.
type SchoolHoliday struct {
	ID       ID     `json:"id"`
	SchoolID ID     `json:"schoolId"`
	Name     string `json:"name"`
	From     Date   `json:"from"`
	To       Date   `json:"to"`
	// UID is the iCalendar event the holiday was imported from; a second import of it changes nothing.
	UID string `json:"uid,omitempty"`
}

// Covers reports whether d falls within the holiday.
func (h SchoolHoliday) Covers(d Date) bool { return !d.Before(h.From) && !d.After(h.To) }

// ClosingDay is a day the organisation is closed (a public holiday): no list that day.
type ClosingDay struct {
	Date Date   `json:"date"`
	Name string `json:"name"`
}

// AbsenceReason says why a child is absent.
type AbsenceReason string

// The absence reasons staff choose from (A4).
const (
	AbsenceSick   AbsenceReason = "sick"
	AbsenceDayOff AbsenceReason = "day-off"
	AbsenceOther  AbsenceReason = "other"
)

// AbsenceReasons lists the reasons in the order they are offered.
var AbsenceReasons = []AbsenceReason{AbsenceSick, AbsenceDayOff, AbsenceOther}

// Valid reports whether r is one of AbsenceReasons.
func (r AbsenceReason) Valid() bool {
	for _, known := range AbsenceReasons {
		if r == known {
			return true
		}
	}
	return false
}

// Attendance is what staff recorded for one child on one day in one group (A4).
type Attendance struct {
	CheckIn       *Clock        `json:"checkIn,omitempty"`
	CheckOut      *Clock        `json:"checkOut,omitempty"`
	Absent        bool          `json:"absent,omitempty"`
	AbsenceReason AbsenceReason `json:"absenceReason,omitempty"`
	// AbsenceText is the few words staff give with AbsenceOther.
	AbsenceText string    `json:"absenceText,omitempty"`
	Note        string    `json:"note,omitempty"`
	UpdatedBy   string    `json:"updatedBy,omitempty"`
	UpdatedAt   time.Time `json:"updatedAt"`
	// AbsenceReportedAt and AbsenceReportedBy say when and by whom the absence was reported (T1).
	AbsenceReportedAt time.Time `json:"absenceReportedAt,omitzero"`
	AbsenceReportedBy string    `json:"absenceReportedBy,omitempty"`
	// AbsenceMinutes is the care the absence misses; Credit is what it earned,
	// or NoCredit says why it earned none (T1).
	AbsenceMinutes int            `json:"absenceMinutes,omitempty"`
	Credit         *CreditRef     `json:"credit,omitempty"`
	NoCredit       NoCreditReason `json:"noCredit,omitempty"`
}

// Status is where a child on the list stands.
type Status string

// The statuses of a child on a day's list.
const (
	StatusToCome     Status = "to-come"
	StatusPresent    Status = "present"
	StatusCheckedOut Status = "checked-out"
	StatusAbsent     Status = "absent"
)

// Status derives the child's status from the record.
func (a Attendance) Status() Status {
	switch {
	case a.Absent:
		return StatusAbsent
	case a.CheckOut != nil:
		return StatusCheckedOut
	case a.CheckIn != nil:
		return StatusPresent
	default:
		return StatusToCome
	}
}
