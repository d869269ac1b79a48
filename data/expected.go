package data

import (
	"bytes"
	"slices"
	"sync"
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
		times, ok := contractTimes(c, d, group, children[c.ChildID], cal, s)
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
func contractTimes(c Contract, d Date, group Group, child Child, cal Calendar, s Settings) (TimeRange, bool) {
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
			return group.HolidayHours(s), true
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
	if len(items) < 2 {
		return
	}
	// Collation keys compare as bytes in the collator's order; a name's key
	// is made once, not again in every comparison of every sort. The sort
	// moves the keys with the item's place, not the items (a sheet's rows
	// are a few hundred bytes each), which are put in order once at the end.
	type keyed struct {
		first, last []byte
		at          int
	}
	ks := make([]keyed, len(items))
	for i, it := range items {
		c := child(it)
		ks[i] = keyed{first: nameKey(c.FirstName), last: nameKey(c.LastName), at: i}
	}
	slices.SortStableFunc(ks, func(a, b keyed) int {
		if c := bytes.Compare(a.first, b.first); c != 0 {
			return c
		}
		return bytes.Compare(a.last, b.last)
	})
	unsorted := slices.Clone(items)
	for i, k := range ks {
		items[i] = unsorted[k.at]
	}
}

// names remembers the collation key of every name sorted so far; a
// location's names are few and change seldom. A collator is not safe for
// use by several goroutines, and making one is slow: one is kept, under mu.
var names struct {
	mu       sync.Mutex
	collator *collate.Collator
	buf      collate.Buffer
	keys     map[string][]byte
}

// nameKey is the collation key of a name: Dutch order, ignoring case and diacritics.
func nameKey(name string) []byte {
	names.mu.Lock()
	defer names.mu.Unlock()
	if key, ok := names.keys[name]; ok {
		return key
	}
	if names.collator == nil {
		names.collator = collate.New(language.Dutch, collate.IgnoreCase, collate.IgnoreDiacritics)
		names.keys = map[string][]byte{}
	}
	if len(names.keys) >= 1<<16 {
		clear(names.keys) // a safeguard; the names of 40 locations are far fewer
	}
	key := slices.Clone(names.collator.KeyFromString(&names.buf, name))
	names.buf.Reset()
	names.keys[name] = key
	return key
}
