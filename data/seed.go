package data

import (
	"errors"
)

// DayRecord is an attendance record of one child on one day in one group.
type DayRecord struct {
	Date       Date
	GroupID    ID
	ChildID    ID
	Attendance Attendance
}

// Dataset is a whole organisation's data at once, with IDs already chosen:
// the demo location and the scale generator build one and Seed stores it.
type Dataset struct {
	Settings    Settings
	Locations   []Location
	Groups      []Group
	Children    []Child
	Contracts   []Contract
	Schools     []School
	Holidays    []SchoolHoliday
	ClosingDays []ClosingDay
	Records     []DayRecord
	StudyDays   []StudyDay
	SignUps     []SignUp
	Users       []NewUser
	// Consents are photo-consent answers, each child's in the order recorded.
	Consents []ConsentChange
	// History is replayed last, through the rules (ImportHistory).
	History History
	// Unfinished, when set, names the work that fills the store on after
	// Seed (the generator's years of history): the store says it holds an
	// incomplete organisation until that work calls Finished.
	Unfinished string
}

// ErrIncomplete is returned for a data file whose filling was stopped
// before it finished (see Dataset.Unfinished).
var ErrIncomplete = errors.New("the data file holds an incomplete organisation")

// NewUser is a user with the PIN or password to set; Seed hashes it.
type NewUser struct {
	User
	Secret string
}
