package data

import (
	"fmt"
	"slices"
)

// CalendarWriter is what importing a calendar file writes, inside the
// store's one transaction.
type CalendarWriter interface {
	PutHoliday(h SchoolHoliday) error
	PutStudyDay(sd StudyDay) error
	DeleteStudyDay(schoolID ID, d Date) error
	// AddStudyDay stores a study day new to its event, after its checks
	// (CheckStudyDay), unless the date is a study day already (entered by
	// hand): that one is left as it is, and added is false.
	AddStudyDay(sd StudyDay) (added bool, err error)
}

// ImportCalendarFile brings the calendar cal of school schoolID in line with
// the file f through w. Events are matched by UID, so importing the same file
// again changes nothing and a corrected file updates what it corrects. The
// first refused event ends the import with its error (the store then stores
// nothing).
func ImportCalendarFile(schoolID ID, cal SchoolCalendar, f CalendarFile, w CalendarWriter) (CalendarImportResult, error) {
	res := CalendarImportResult{Skipped: f.Skipped}
	holidays := map[string]SchoolHoliday{}
	for _, h := range cal.Holidays {
		if h.UID != "" {
			holidays[h.UID] = h
		}
	}
	studyDays := map[string][]StudyDay{}
	for _, sd := range cal.StudyDays {
		if sd.UID != "" {
			studyDays[sd.UID] = append(studyDays[sd.UID], sd)
		}
	}
	// Holidays first, so a study day is checked against every holiday of the file.
	events := slices.Clone(f.Events)
	slices.SortStableFunc(events, func(a, b CalendarEvent) int {
		if a.StudyDay == b.StudyDay {
			return 0
		}
		if a.StudyDay {
			return 1
		}
		return -1
	})
	for _, e := range events {
		var outcome calendarOutcome
		var err error
		if e.StudyDay {
			outcome, err = importStudyDays(schoolID, e, studyDays[e.UID], w)
		} else {
			outcome, err = importHoliday(schoolID, e, holidays, w)
		}
		if err != nil {
			return CalendarImportResult{}, fmt.Errorf("%q (%s): %w", e.Name, e.From, err)
		}
		switch outcome {
		case calendarAdded:
			res.Added++
		case calendarUpdated:
			res.Updated++
		default:
			res.Unchanged++
		}
	}
	return res, nil
}

// Changed says the import changed the calendar.
func (r CalendarImportResult) Changed() bool { return r.Added+r.Updated > 0 }

type calendarOutcome int

const (
	calendarUnchanged calendarOutcome = iota
	calendarAdded
	calendarUpdated
)

func importHoliday(schoolID ID, e CalendarEvent, byUID map[string]SchoolHoliday, w CalendarWriter) (calendarOutcome, error) {
	h := SchoolHoliday{SchoolID: schoolID, Name: e.Name, From: e.From, To: e.To, UID: e.UID}
	outcome := calendarAdded
	if old, ok := byUID[e.UID]; ok {
		h.ID = old.ID
		if old == h {
			return calendarUnchanged, nil
		}
		outcome = calendarUpdated
	}
	return outcome, w.PutHoliday(h)
}

// importStudyDays brings the study days of one event (one or more weekdays)
// in line with the file. A date that is a study day already (entered by
// hand) is left as it is.
func importStudyDays(schoolID ID, e CalendarEvent, before []StudyDay, w CalendarWriter) (calendarOutcome, error) {
	days, err := StudyDayWeekdays(e)
	if err != nil {
		return calendarUnchanged, err
	}
	changed := false
	had := map[Date]bool{}
	for _, sd := range before {
		had[sd.Date] = true
		switch {
		case !slices.Contains(days, sd.Date):
			err = w.DeleteStudyDay(schoolID, sd.Date)
		case sd.Name != e.Name:
			sd.Name = e.Name
			err = w.PutStudyDay(sd)
		default:
			continue
		}
		if err != nil {
			return calendarUnchanged, err
		}
		changed = true
	}
	for _, d := range days {
		if had[d] {
			continue
		}
		added, err := w.AddStudyDay(StudyDay{SchoolID: schoolID, Date: d, Name: e.Name, UID: e.UID})
		if err != nil {
			return calendarUnchanged, err
		}
		changed = changed || added
	}
	switch {
	case !changed:
		return calendarUnchanged, nil
	case len(before) == 0:
		return calendarAdded, nil
	}
	return calendarUpdated, nil
}
