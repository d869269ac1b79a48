package data

import (
	"strings"
	"time"
)

// DayRow is one child on a day's list: who, when expected and why, and what
// staff recorded.
type DayRow struct {
	Child      Child
	Expected   TimeRange
	Source     Source
	Attendance Attendance
	// Consent is the child's current photo-consent level, for the marker on the picture (A4, C2).
	Consent ConsentLevel
}

// DayList is a group's attendance list for a date (A1, A4).
type DayList struct {
	Date         Date
	Group        Group
	Closed       bool
	ClosedReason string
	Rows         []DayRow
}

// Counts are the figures at the top of the list.
type Counts struct {
	Expected, Present, Absent, ToCome int
}

// Counts tallies the list: present counts every child checked in today, also
// those already gone home, so Present + Absent + ToCome = Expected.
func (l DayList) Counts() Counts {
	c := Counts{Expected: len(l.Rows)}
	for _, r := range l.Rows {
		switch r.Attendance.Status() {
		case StatusAbsent:
			c.Absent++
		case StatusPresent, StatusCheckedOut:
			c.Present++
		default:
			c.ToCome++
		}
	}
	return c
}

// Occupancy is the children expected and not absent: the places taken.
func (l DayList) Occupancy() int {
	n := 0
	for _, r := range l.Rows {
		if r.Source != "" && !r.Attendance.Absent {
			n++
		}
	}
	return n
}

// Unlock is permission to edit one date other than today (A3). Only the
// store hands them out, so an edit cannot claim an unlock it did not get.
type Unlock struct {
	date Date
	by   string
}

// NewUnlock is given out by a store when someone unlocks date d; screens
// get theirs from the store's Unlock, never make one.
func NewUnlock(d Date, by string) *Unlock { return &Unlock{date: d, by: by} }

// Date is the unlocked date.
func (u *Unlock) Date() Date { return u.date }

// DayEdit names the record an attendance change is for and who makes it.
type DayEdit struct {
	Date    Date
	GroupID ID
	ChildID ID
	By      string
	// Unlock is needed for any date other than today.
	Unlock *Unlock
	// BillSpentCredit confirms, in minutes, that withdrawing the child's
	// absence bills the credit it earned that requests already use: the
	// Minutes of the CreditSpentError the edit got without it (R7).
	BillSpentCredit int
}

// The refusals of the attendance list (A3, A4).
const (
	RefuseAttendanceNoEditor       = "attendance-no-editor"        // nobody named for the change
	RefuseAttendanceNoUnlocker     = "attendance-no-unlocker"      // nobody named for the unlock
	RefuseAttendanceLocked         = "attendance-locked"           // another date than today, not unlocked (A3)
	RefuseAttendanceDayToCome      = "attendance-day-to-come"      // a check-in or out on a day still to come
	RefuseAttendanceLaterThanNow   = "attendance-later-than-now"   // a time of today still to come
	RefuseAttendanceInAfterOut     = "attendance-in-after-out"     // check-in after the check-out
	RefuseAttendanceOutBeforeIn    = "attendance-out-before-in"    // check-out before the check-in
	RefuseAttendanceNotCheckedIn   = "attendance-not-checked-in"   // a check-out without a check-in
	RefuseAttendanceOutWithoutIn   = "attendance-out-without-in"   // corrected times: out without in
	RefuseAttendanceAbsenceReason  = "attendance-absence-reason"   // not sick, day off or other
	RefuseAttendanceNoAbsenceText  = "attendance-no-absence-text"  // another reason, not given
	RefuseAttendanceAbsenceTextLen = "attendance-absence-text-len" // another reason over MaxAbsenceText
	RefuseAttendanceAbsenceLines   = "attendance-absence-lines"    // another reason over more lines
	RefuseAttendanceCheckedIn      = "attendance-checked-in"       // absent while checked in
	RefuseAttendanceNoteLen        = "attendance-note-len"         // a note over MaxNoteBytes
)

var attendanceRefusals = map[string]RefusalText{
	RefuseAttendanceNoEditor:       {Text: "Say who makes the change."},
	RefuseAttendanceNoUnlocker:     {Text: "Say who unlocks the date."},
	RefuseAttendanceLocked:         {Text: "The list of {{.Date}} is locked. Unlock it to make changes.", Kind: ErrLocked},
	RefuseAttendanceDayToCome:      {Text: "{{.Date}} is still to come: a child is checked in or out on the day itself."},
	RefuseAttendanceLaterThanNow:   {Text: "{{.Time}} is later than now ({{.Now}}); a time is recorded when it has happened."},
	RefuseAttendanceInAfterOut:     {Text: "The check-in {{.In}} is after the check-out {{.Out}}."},
	RefuseAttendanceOutBeforeIn:    {Text: "The check-out {{.Out}} is before the check-in {{.In}}."},
	RefuseAttendanceNotCheckedIn:   {Text: "The child is not checked in."},
	RefuseAttendanceOutWithoutIn:   {Text: "A check-out needs a check-in."},
	RefuseAttendanceAbsenceReason:  {Text: "Unknown absence reason {{.Reason}}: sick, day off or another reason."},
	RefuseAttendanceNoAbsenceText:  {Text: "Say in a few words why the child is absent."},
	RefuseAttendanceAbsenceTextLen: {Text: "The reason holds at most {{.Max}} characters."},
	RefuseAttendanceAbsenceLines:   {Text: "The reason is one line."},
	RefuseAttendanceCheckedIn:      {Text: "The child is checked in; undo the check-in first."},
	RefuseAttendanceNoteLen:        {Text: "A note holds at most {{.Max}} characters."},
}

// EditableDay is rule A3 as a pure function: only today's list is edited,
// any other date only with an unlock of that date; and a child is checked
// in or out (presence) on the day itself, never on a day still to come.
func EditableDay(today, d Date, u *Unlock, presence bool) error {
	if d != today && (u == nil || u.Date() != d) {
		return Refuse(RefuseAttendanceLocked, Args{"Date": d})
	}
	if presence && d.After(today) {
		return Refuse(RefuseAttendanceDayToCome, Args{"Date": d})
	}
	return nil
}

// NotLaterThanNow refuses a check-in or check-out time on today's list that
// is still to come: a time is recorded when it has happened, not in advance
// (a mistyped 18:30 for 08:30 would put a child in the building who is not).
// A day gone by (unlocked) takes any time of that day.
func NotLaterThanNow(now time.Time, d Date, times ...*Clock) error {
	if d != DateOf(now) {
		return nil
	}
	for _, t := range times {
		if t != nil && *t > ClockOf(now) {
			return Refuse(RefuseAttendanceLaterThanNow, Args{"Time": *t, "Now": ClockOf(now)})
		}
	}
	return nil
}

// RecordCheckIn is a's record with the child checked in at at (A4): an
// absence mark is lifted, because the child came after all. A check-in
// after the check-out already recorded is refused.
func RecordCheckIn(a Attendance, at Clock) (Attendance, error) {
	if a.CheckOut != nil && *a.CheckOut < at {
		return a, Refuse(RefuseAttendanceInAfterOut, Args{"In": at, "Out": *a.CheckOut})
	}
	a.CheckIn, a.Absent, a.AbsenceReason, a.AbsenceText = &at, false, "", ""
	return a, nil
}

// RecordCheckOut is a's record with the child checked out at at: only a
// child checked in, and not before the check-in.
func RecordCheckOut(a Attendance, at Clock) (Attendance, error) {
	switch {
	case a.CheckIn == nil:
		return a, Refuse(RefuseAttendanceNotCheckedIn, nil)
	case at < *a.CheckIn:
		return a, Refuse(RefuseAttendanceOutBeforeIn, Args{"Out": at, "In": *a.CheckIn})
	}
	a.CheckOut = &at
	return a, nil
}

// CorrectTimes is a's record with its times corrected; nil clears a time.
// A check-out needs a check-in no later than it; a check-in lifts an absence.
func CorrectTimes(a Attendance, in, out *Clock) (Attendance, error) {
	switch {
	case in == nil && out != nil:
		return a, Refuse(RefuseAttendanceOutWithoutIn, nil)
	case in != nil && out != nil && *out < *in:
		return a, Refuse(RefuseAttendanceOutBeforeIn, Args{"Out": *out, "In": *in})
	}
	if in != nil {
		a.Absent, a.AbsenceReason, a.AbsenceText = false, "", ""
	}
	a.CheckIn, a.CheckOut = in, out
	return a, nil
}

// RecordAbsence is a's record with the child absent for reason, text being
// the words given with AbsenceOther. A child checked in is not absent.
func RecordAbsence(a Attendance, reason AbsenceReason, text string) (Attendance, error) {
	if a.CheckIn != nil {
		return a, Refuse(RefuseAttendanceCheckedIn, nil)
	}
	a.Absent, a.AbsenceReason, a.AbsenceText = true, reason, text
	return a, nil
}

// CheckAbsenceReason refuses a reason that is not one of AbsenceReasons.
func CheckAbsenceReason(reason AbsenceReason) error {
	if !reason.Valid() {
		return Refuse(RefuseAttendanceAbsenceReason, Args{"Reason": string(reason)})
	}
	return nil
}

// AbsenceOtherText is the words given with an absence for another reason,
// trimmed: a few words on one line, at most MaxAbsenceText characters.
func AbsenceOtherText(text string) (string, error) {
	text = strings.TrimSpace(text)
	switch {
	case text == "":
		return "", Refuse(RefuseAttendanceNoAbsenceText, nil)
	case len([]rune(text)) > MaxAbsenceText:
		return "", Refuse(RefuseAttendanceAbsenceTextLen, Args{"Max": MaxAbsenceText})
	case strings.ContainsAny(text, "\r\n"):
		return "", Refuse(RefuseAttendanceAbsenceLines, nil)
	}
	return text, nil
}

// MaxNoteBytes is the length of a note on a child's record, in bytes.
const MaxNoteBytes = 2000

// AttendanceNote is a note as it is kept: trimmed, at most MaxNoteBytes.
func AttendanceNote(note string) (string, error) {
	note = strings.TrimSpace(note)
	if len(note) > MaxNoteBytes {
		return "", Refuse(RefuseAttendanceNoteLen, Args{"Max": MaxNoteBytes})
	}
	return note, nil
}

// MaxAbsenceText is the length of the words given with an absence for
// another reason: a short reason, not a story (and no medical details).
const MaxAbsenceText = 80

// Summary writes a record in a few words for the audit log ("in 08:10, out
// 17:30", "absent (sick)", "note"). It names no child and quotes no note:
// the log outlives a child's personal data, which the retention purge removes.
func (a Attendance) Summary() string {
	var parts []string
	if a.CheckIn != nil {
		parts = append(parts, "in "+a.CheckIn.String())
	}
	if a.CheckOut != nil {
		parts = append(parts, "out "+a.CheckOut.String())
	}
	if a.Absent {
		parts = append(parts, "absent ("+string(a.AbsenceReason)+")")
	}
	if a.AbsenceText != "" {
		parts = append(parts, "reason in words")
	}
	if a.Note != "" {
		parts = append(parts, "note")
	}
	if len(parts) == 0 {
		return "nothing recorded"
	}
	return strings.Join(parts, ", ")
}
