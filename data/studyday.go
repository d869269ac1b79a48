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

// The refusals of study days, their sign-up sheets and the planner's
// decision (S1, S2).
const (
	RefuseStudyDayNoRegistrar      = "studyday-no-registrar"      // nobody named for the sheet
	RefuseStudyDayTakesNoSignUps   = "studyday-takes-no-sign-ups" // care is cancelled at the location
	RefuseStudyDayTwice            = "studyday-twice"             // a child on the sheet twice
	RefuseStudyDayOtherLocation    = "studyday-other-location"    // a child of another location
	RefuseStudyDayNoBSO            = "studyday-no-bso"            // no BSO contract that day
	RefuseStudyDayFiftyTwoWeeks    = "studyday-52-weeks"          // comes under a 52-weeks contract
	RefuseStudyDayEndsBeforeStart  = "studyday-ends-before-start" // sign-up times backwards
	RefuseStudyDayOutsideHours     = "studyday-outside-hours"     // sign-up times outside opening hours
	RefuseStudyDayContractExpected = "studyday-contract-expected" // expected under a contract already
	RefuseStudyDayRequestExpected  = "studyday-request-expected"  // approved extra care already
	RefuseStudyDayNoDecider        = "studyday-no-decider"        // nobody named for the decision
	RefuseStudyDayOutcome          = "studyday-outcome"           // neither goes ahead nor cancelled
	RefuseStudyDayCancelledAlready = "studyday-cancelled-already"
	RefuseStudyDayEnoughSignUps    = "studyday-enough-sign-ups" // the minimum is reached: nothing to decide
	RefuseStudyDayGoesAheadAlready = "studyday-goes-ahead-already"
	RefuseStudyDayPassed           = "studyday-passed"    // a cancellation of a day gone by
	RefuseStudyDayNoNotice         = "studyday-no-notice" // a notice of care not cancelled
)

var studyDayRefusals = map[string]RefusalText{
	RefuseStudyDayNoRegistrar:      {Text: "Say who registers the sheet."},
	RefuseStudyDayTakesNoSignUps:   {Text: "Care on the study day of {{.Date}} is cancelled; it takes no sign-ups."},
	RefuseStudyDayTwice:            {Text: "{{.Name}} is on the sheet twice."},
	RefuseStudyDayOtherLocation:    {Text: "{{.Name}} is not a child of this location."},
	RefuseStudyDayNoBSO:            {Text: "{{.Name}} has no BSO contract on {{.Date}}."},
	RefuseStudyDayFiftyTwoWeeks:    {Text: "{{.Name}} comes under their 52-weeks contract on {{.Date}} already."},
	RefuseStudyDayEndsBeforeStart:  {Text: "The care of {{.Name}} ends ({{.Until}}) before it starts ({{.From}})."},
	RefuseStudyDayOutsideHours:     {Text: "The times of {{.Name}} ({{.From}}–{{.Until}}) fall outside the opening hours {{.Opens}}–{{.Closes}}."},
	RefuseStudyDayContractExpected: {Text: "{{.Name}} is expected under their contract on {{.Date}} already."},
	RefuseStudyDayRequestExpected:  {Text: "{{.Name}} has approved extra care on {{.Date}} already."},
	RefuseStudyDayNoDecider:        {Text: "Say who decides."},
	RefuseStudyDayOutcome:          {Text: "Unknown decision {{.Outcome}}: care goes ahead or is cancelled."},
	RefuseStudyDayCancelledAlready: {Text: "Care on the study day of {{.Date}} is cancelled already."},
	RefuseStudyDayEnoughSignUps:    {Text: "{{.SignedUp}} sign-ups reach the minimum of {{.Minimum}}: care on {{.Date}} goes ahead."},
	RefuseStudyDayGoesAheadAlready: {Text: "Care on the study day of {{.Date}} goes ahead already."},
	RefuseStudyDayPassed:           {Text: "{{.Date}} has passed; a study day is cancelled before it comes."},
	RefuseStudyDayNoNotice:         {Text: "Care on the study day of {{.Date}} is not cancelled at this location; there is no notice."},
}

// SignUpsOpen refuses sign-ups for a study day whose care the planner
// cancelled at the location (S2): the cancellation is final.
func SignUpsOpen(sd StudyDay, locationID ID) error {
	if d := sd.Decision(locationID); d != nil && d.Outcome == OutcomeCancelled {
		return Refuse(RefuseStudyDayTakesNoSignUps, Args{"Date": sd.Date})
	}
	return nil
}

// SignUpPlace is what the sheet's location knows of a child signed up on
// a study day: where the child belongs and what contract runs that day.
type SignUpPlace struct {
	// LocationID is the child's location.
	LocationID ID
	// BSO says a BSO contract of the location runs that day.
	BSO bool
	// FiftyTwoWeeks says that contract is a 52-weeks one: the child comes
	// the whole day anyway.
	FiftyTwoWeeks bool
}

// CheckSignUpChild is rule S1 for the child on one line of a returned
// sheet: a BSO child of the sheet's location, not under a 52-weeks contract.
func CheckSignUpChild(child Child, locationID ID, p SignUpPlace, d Date) error {
	switch {
	case p.LocationID != locationID:
		return Refuse(RefuseStudyDayOtherLocation, Args{"Name": child.Name()})
	case !p.BSO:
		return Refuse(RefuseStudyDayNoBSO, Args{"Name": child.Name(), "Date": d})
	case p.FiftyTwoWeeks:
		return Refuse(RefuseStudyDayFiftyTwoWeeks, Args{"Name": child.Name(), "Date": d})
	}
	return nil
}

// CheckSignUpTimes is rule S1 for the times on one line of a returned
// sheet: they start before they end, within the hours open (a study day
// has the group's holiday hours).
func CheckSignUpTimes(child Child, t, open TimeRange) error {
	switch {
	case t.Until <= t.From:
		return Refuse(RefuseStudyDayEndsBeforeStart, Args{"Name": child.Name(), "From": t.From, "Until": t.Until})
	case t.From < open.From || t.Until > open.Until:
		return Refuse(RefuseStudyDayOutsideHours, Args{"Name": child.Name(), "From": t.From, "Until": t.Until, "Opens": open.From, "Closes": open.Until})
	}
	return nil
}

// NotExpectedOtherwise refuses a sign-up for a child on the day's list by
// contract or by an approved request (source): they would be billed twice.
func NotExpectedOtherwise(child Child, source Source, d Date) error {
	switch source {
	case SourceContract:
		return Refuse(RefuseStudyDayContractExpected, Args{"Name": child.Name(), "Date": d})
	case SourceRequest:
		return Refuse(RefuseStudyDayRequestExpected, Args{"Name": child.Name(), "Date": d})
	}
	return nil
}

// CheckStudyDayOutcome refuses a decision that is neither of the planner's two.
func CheckStudyDayOutcome(outcome StudyDayOutcome) error {
	if outcome != OutcomeGoesAhead && outcome != OutcomeCancelled {
		return Refuse(RefuseStudyDayOutcome, Args{"Outcome": string(outcome)})
	}
	return nil
}

// CheckStudyDayDecision is rule S2's decision as a pure function: the
// planner decides a study day below its minimum, once to cancel (final),
// and cancels only a day still to come (or today).
func CheckStudyDayDecision(sheet StudyDaySheet, outcome StudyDayOutcome, today Date) error {
	if err := CheckStudyDayOutcome(outcome); err != nil {
		return err
	}
	d := sheet.StudyDay.Date
	switch state := sheet.State(); {
	case state == StateCancelled:
		return Refuse(RefuseStudyDayCancelledAlready, Args{"Date": d})
	case state == StateEnoughSignUps:
		return Refuse(RefuseStudyDayEnoughSignUps, Args{"SignedUp": sheet.SignedUp(), "Minimum": sheet.Minimum, "Date": d})
	case state == StateGoesAhead && outcome == OutcomeGoesAhead:
		return Refuse(RefuseStudyDayGoesAheadAlready, Args{"Date": d})
	case outcome == OutcomeCancelled && d.Before(today):
		return Refuse(RefuseStudyDayPassed, Args{"Date": d})
	}
	return nil
}

// CancelledDecision is the planner's cancellation of sd at a location,
// which its parents' notice is about (S2).
func CancelledDecision(sd StudyDay, locationID ID) (StudyDayDecision, error) {
	dec := sd.Decision(locationID)
	if dec == nil || dec.Outcome != OutcomeCancelled {
		return StudyDayDecision{}, Refuse(RefuseStudyDayNoNotice, Args{"Date": sd.Date})
	}
	return *dec, nil
}
