package data

import (
	"slices"
	"time"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

// Source says why a child is on a day's list.
type Source string

// The reasons a child can be expected (A1).
const (
	SourceContract Source = "contract"
	SourceRequest  Source = "request"
	SourceStudyDay Source = "study-day"
)

// Extra is care beyond the contract that puts a child on one day's list of a
// group: an approved extra-care request or a study-day sign-up.
type Extra struct {
	ChildID ID        `json:"childId"`
	GroupID ID        `json:"groupId"`
	Date    Date      `json:"date"`
	Times   TimeRange `json:"times"`
	Source  Source    `json:"source"`
}

// Expectation is one child expected on a day, with times and the reason.
type Expectation struct {
	ChildID ID
	Times   TimeRange
	Source  Source
}

// Calendar holds the days that change who is expected: closing days for the
// whole organisation, and school holidays and study days per school.
type Calendar struct {
	ClosingDays []ClosingDay
	Holidays    []SchoolHoliday
	StudyDays   []StudyDay
}

// ClosedOn returns the closing day on d, if any.
func (c Calendar) ClosedOn(d Date) (ClosingDay, bool) {
	for _, cd := range c.ClosingDays {
		if cd.Date == d {
			return cd, true
		}
	}
	return ClosingDay{}, false
}

// IsSchoolHoliday reports whether d is in a holiday of the given school.
func (c Calendar) IsSchoolHoliday(schoolID ID, d Date) bool {
	for _, h := range c.Holidays {
		if h.SchoolID == schoolID && h.Covers(d) {
			return true
		}
	}
	return false
}

// IsStudyDay reports whether d is a study day of the given school.
func (c Calendar) IsStudyDay(schoolID ID, d Date) bool {
	for _, sd := range c.StudyDays {
		if sd.SchoolID == schoolID && sd.Date == d {
			return true
		}
	}
	return false
}

// DayPlan is who is expected in a group on a date, or why there is no list.
type DayPlan struct {
	Date Date
	// Closed is true on weekends and closing days; ClosedReason then names the day.
	Closed       bool
	ClosedReason string
	Expected     []Expectation
}

// PlanDay applies rule A1: a group's list for a date holds every child expected
// that day from contracts (KDV: the contract's weekdays; BSO school weeks: school
// days only; BSO 52 weeks: school days and holidays, whole days in holidays; a
// school's study day counts as a day without school, like a holiday), plus
// extras (approved requests, study-day sign-ups). Closing days and weekends have no
// list. children must hold every child the contracts and extras name; the result is
// sorted by name.
func PlanDay(d Date, group Group, contracts []Contract, extras []Extra, children map[ID]Child, cal Calendar, s Settings) DayPlan {
	plan := DayPlan{Date: d}
	if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday {
		plan.Closed, plan.ClosedReason = true, "weekend"
		return plan
	}
	if cd, closed := cal.ClosedOn(d); closed {
		plan.Closed, plan.ClosedReason = true, cd.Name
		return plan
	}
	seen := map[ID]bool{}
	for _, c := range contracts {
		if c.GroupID != group.ID || !c.Runs(d) || seen[c.ChildID] {
			continue
		}
		times, ok := contractTimes(c, d, children[c.ChildID], cal, s)
		if !ok {
			continue
		}
		seen[c.ChildID] = true
		plan.Expected = append(plan.Expected, Expectation{ChildID: c.ChildID, Times: times, Source: SourceContract})
	}
	for _, e := range extras {
		if e.GroupID != group.ID || e.Date != d || seen[e.ChildID] {
			continue
		}
		seen[e.ChildID] = true
		plan.Expected = append(plan.Expected, Expectation{ChildID: e.ChildID, Times: e.Times, Source: e.Source})
	}
	SortByName(plan.Expected, func(e Expectation) Child { return children[e.ChildID] })
	return plan
}

// contractTimes returns the care times a contract gives on d, if it gives care that day.
func contractTimes(c Contract, d Date, child Child, cal Calendar, s Settings) (TimeRange, bool) {
	i := slices.IndexFunc(c.Days, func(cd ContractDay) bool { return cd.Weekday == d.Weekday() })
	if i < 0 {
		return TimeRange{}, false
	}
	// A study day has no school, like a holiday: a school-weeks contract gives
	// no care that day (only a sign-up does, S1), a 52-weeks contract a whole day.
	noSchool := cal.IsSchoolHoliday(child.SchoolID, d) || cal.IsStudyDay(child.SchoolID, d)
	switch c.Product {
	case ProductKDV:
		return c.Days[i].Times, true
	case ProductBSOSchoolWeeks:
		return c.Days[i].Times, !noSchool
	case ProductBSO52Weeks:
		if noSchool {
			return s.HolidayDay, true
		}
		return c.Days[i].Times, true
	default:
		// Holiday contracts and Qflexibel give credit, not fixed days.
		return TimeRange{}, false
	}
}

// SortByName sorts items by the first and last name of their child, the way a
// Dutch reader expects (Łukasz next to Lars, not after Zoë).
func SortByName[T any](items []T, child func(T) Child) {
	// A collator keeps buffers, so each sort gets its own (safe across goroutines).
	nameCollator := collate.New(language.Dutch, collate.IgnoreCase, collate.IgnoreDiacritics)
	slices.SortStableFunc(items, func(a, b T) int {
		ca, cb := child(a), child(b)
		if c := nameCollator.CompareString(ca.FirstName, cb.FirstName); c != 0 {
			return c
		}
		return nameCollator.CompareString(ca.LastName, cb.LastName)
	})
}
