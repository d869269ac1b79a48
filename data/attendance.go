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

// NotLaterThanNow refuses a check-out time on today's list that is still to
// come: a child is checked out when they have gone home, not in advance. A
// day gone by (unlocked) takes any time of that day.
func NotLaterThanNow(now time.Time, d Date, times ...*Clock) error {
	if d != DateOf(now) {
		return nil
	}
	for _, t := range times {
		if t != nil && *t > ClockOf(now) {
			return Invalid("%s is later than now (%s); a time is recorded when it has happened", *t, ClockOf(now))
		}
	}
	return nil
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
