package data

import (
	"time"
)

// StudyDay is a day a school gives no lessons (its teachers study): the
// school's BSO children may need care, which parents ask for on a sign-up
// sheet at the location (S1).
type StudyDay struct {
	SchoolID ID     `json:"schoolId"`
	Date     Date   `json:"date"`
	Name     string `json:"name"`
	// UID is the iCalendar event the study day was imported from.
	UID string `json:"uid,omitempty"`
	// Decisions are the planner's, one per location whose sign-ups stayed
	// below the minimum (S2).
	Decisions []StudyDayDecision `json:"decisions,omitempty"`
}

// Decision returns the planner's decision for a location, if any.
func (sd StudyDay) Decision(locationID ID) *StudyDayDecision {
	for i := range sd.Decisions {
		if sd.Decisions[i].LocationID == locationID {
			d := sd.Decisions[i]
			return &d
		}
	}
	return nil
}

// StudyDayOutcome is what the planner decides for a study day below its minimum (S2).
type StudyDayOutcome string

// The planner's two choices.
const (
	OutcomeGoesAhead StudyDayOutcome = "goes-ahead"
	OutcomeCancelled StudyDayOutcome = "cancelled"
)

// StudyDayDecision is the planner's decision on a study day at one location.
type StudyDayDecision struct {
	LocationID ID              `json:"locationId"`
	Outcome    StudyDayOutcome `json:"outcome"`
	By         string          `json:"by"`
	At         time.Time       `json:"at"`
	// Children are those whose sign-up or study-day request a cancellation
	// took back: the parents the notice is for.
	Children []ID `json:"children,omitempty"`
}

// StudyDayState is where care on a study day stands at a location (S2).
type StudyDayState string

// The states of a study day.
const (
	StateEnoughSignUps StudyDayState = "enough"        // the minimum is reached: care goes ahead
	StateBelowMinimum  StudyDayState = "below-minimum" // the planner must decide; nothing is billed yet
	StateGoesAhead     StudyDayState = "goes-ahead"    // below the minimum, and the planner let it go ahead
	StateCancelled     StudyDayState = "cancelled"     // the planner cancelled it: nobody on the list, nothing billed
)

// StudyDayStateOf is rule S2 as a pure function: a study day whose sign-ups
// reach the minimum goes ahead; below it the planner decides, and until then
// it is neither billed nor cancelled. A cancellation stands whatever the
// number of sign-ups.
func StudyDayStateOf(signUps, minimum int, decision StudyDayOutcome) StudyDayState {
	switch {
	case decision == OutcomeCancelled:
		return StateCancelled
	case StudyDayGoesAhead(signUps, minimum):
		return StateEnoughSignUps
	case decision == OutcomeGoesAhead:
		return StateGoesAhead
	}
	return StateBelowMinimum
}

// Billed reports whether the sign-ups of a study day in this state are invoiced (F1).
func (s StudyDayState) Billed() bool { return s == StateEnoughSignUps || s == StateGoesAhead }

// SignUp is a child signed up for care on a study day. It puts the child on
// that day's list (A1) and is billed (F1), so it keeps its ID and stays
// stored when cancelled: invoicing can then show a correction.
type SignUp struct {
	ID           ID        `json:"id"`
	SchoolID     ID        `json:"schoolId"`
	Date         Date      `json:"date"`
	ChildID      ID        `json:"childId"`
	GroupID      ID        `json:"groupId"`
	Times        TimeRange `json:"times"`
	RegisteredBy string    `json:"registeredBy"`
	RegisteredAt time.Time `json:"registeredAt"`
	// ChangedAt is the last change of times or the cancellation.
	ChangedAt time.Time `json:"changedAt"`
	Cancelled bool      `json:"cancelled,omitempty"`
	// CancelledBy names who cancelled the study day, when the sign-up was
	// cancelled with it (S2) rather than taken off the sheet.
	CancelledBy string `json:"cancelledBy,omitempty"`
}

// StudyDayGoesAhead applies S1's minimum: care on a study day goes ahead once
// signUps reach minimum (Settings.StudyDayMinimum). A minimum of 0 means
// always. Below it the planner decides (StudyDayStateOf).
func StudyDayGoesAhead(signUps, minimum int) bool { return signUps >= minimum }

// StudyDaySheet is a study day at one location: what the sign-up sheet prints
// and the office registers.
type StudyDaySheet struct {
	Location Location
	School   School
	StudyDay StudyDay
	// Hours are the opening hours that day: those of a holiday day.
	Hours   TimeRange
	Minimum int
	// Decision is the planner's for this location, if made (S2).
	Decision *StudyDayDecision
	// Rows are the children who may need care, by name: the school's BSO
	// children at the location, and anyone else signed up from a blank row.
	Rows []StudyDayRow
	// Others are the location's other BSO children who can be signed up from
	// a blank row: not expected that day otherwise, by name.
	Others []StudyDayRow
}

// StudyDayRow is one child on the sheet, with the active sign-up if any.
type StudyDayRow struct {
	Child  Child
	Group  Group
	SignUp *SignUp
}

// SignedUp counts the children signed up.
func (s StudyDaySheet) SignedUp() int {
	n := 0
	for _, r := range s.Rows {
		if r.SignUp != nil {
			n++
		}
	}
	return n
}

// State is where care on the study day stands at the sheet's location (S2).
func (s StudyDaySheet) State() StudyDayState {
	var outcome StudyDayOutcome
	if s.Decision != nil {
		outcome = s.Decision.Outcome
	}
	return StudyDayStateOf(s.SignedUp(), s.Minimum, outcome)
}

// SignUpRegistration is a returned sign-up sheet as the office enters it.
type SignUpRegistration struct {
	LocationID ID
	SchoolID   ID
	Date       Date
	By         string
	// Children are every child the sheet signs up, with their times. A child
	// of this location signed up before and missing now is cancelled.
	Children []SignUpEntry
}

// SignUpEntry is one signed line of the sheet.
type SignUpEntry struct {
	ChildID ID
	Times   TimeRange
}

// StudyDayNotice is the parents' notice that care on a study day is
// cancelled (S2): which day, why, and whose care it was.
type StudyDayNotice struct {
	Location Location
	School   School
	StudyDay StudyDay
	Decision StudyDayDecision
	Minimum  int
	// Children are those whose care was cancelled, by name.
	Children []Child
}
