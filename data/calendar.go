package data

import (
	"strings"
	"time"
)

// SchoolCalendar is one school's holidays and study days, each by date.
type SchoolCalendar struct {
	School    School
	Holidays  []SchoolHoliday
	StudyDays []StudyDay
}

// CalendarImportResult counts what an import did, per event of the file.
type CalendarImportResult struct {
	Added, Updated, Unchanged int
	// Skipped events have a time of day or repeat (see CalendarFile).
	Skipped int
}

// The refusals of school calendars: holidays and study days entered by hand
// or imported.
const (
	RefuseCalendarNoHolidayName   = "calendar-no-holiday-name"
	RefuseCalendarHolidayDates    = "calendar-holiday-dates" // no first day, or the last before the first
	RefuseCalendarUnknownSchool   = "calendar-unknown-school"
	RefuseCalendarNoStudyDayName  = "calendar-no-study-day-name"
	RefuseCalendarNoStudyDayDate  = "calendar-no-study-day-date"
	RefuseCalendarWeekend         = "calendar-weekend"         // a study day on a Saturday or Sunday
	RefuseCalendarEventWeekend    = "calendar-event-weekend"   // an imported study day of weekend days only
	RefuseCalendarInHoliday       = "calendar-in-holiday"      // a study day in the school's holiday
	RefuseCalendarStudyDayTwice   = "calendar-study-day-twice" // a study day of the school already
	RefuseCalendarStudyDaySignUps = "calendar-study-day-sign-ups"
)

var calendarRefusals = map[string]RefusalText{
	RefuseCalendarNoHolidayName:   {Text: "Give the holiday a name."},
	RefuseCalendarHolidayDates:    {Text: "The holiday {{.Name}} needs a first day, and its last day not before it."},
	RefuseCalendarUnknownSchool:   {Text: "The school is not known (number {{.ID}}); choose another one."},
	RefuseCalendarNoStudyDayName:  {Text: "Give the study day a name."},
	RefuseCalendarNoStudyDayDate:  {Text: "A study day needs a date."},
	RefuseCalendarWeekend:         {Text: "{{.Date}} is in a weekend; a study day is a school day."},
	RefuseCalendarEventWeekend:    {Text: "The study day {{.Name}} ({{.Date}}) falls in a weekend."},
	RefuseCalendarInHoliday:       {Text: "{{.Date}} falls in the {{.Holiday}} of this school."},
	RefuseCalendarStudyDayTwice:   {Text: "{{.Date}} is a study day of this school already."},
	RefuseCalendarStudyDaySignUps: {Text: "The study day of {{.Date}} has sign-ups ({{.Count}}); take them off the sheet first."},
}

// CheckHoliday is the validity of a school holiday entered by hand: a
// name, a first day, and a last day not before it.
func CheckHoliday(h SchoolHoliday) error {
	switch {
	case strings.TrimSpace(h.Name) == "":
		return Refuse(RefuseCalendarNoHolidayName, nil)
	case h.From.IsZero() || h.To.Before(h.From):
		return Refuse(RefuseCalendarHolidayDates, Args{"Name": h.Name})
	}
	return nil
}

// StudyDayFacts are what the store knows around a new study day.
type StudyDayFacts struct {
	SchoolKnown bool
	// Closed names the closing day on the date, if it is one.
	Closed *ClosingDay
	// Holidays are the school's holidays.
	Holidays []SchoolHoliday
	// Exists says the school has a study day on the date already.
	Exists bool
}

// CheckStudyDay refuses a study day the location could not give care on,
// or that is one already: a school day (not a weekend, not in the school's
// holidays), not a closing day (S1).
func CheckStudyDay(sd StudyDay, f StudyDayFacts) error {
	switch {
	case strings.TrimSpace(sd.Name) == "":
		return Refuse(RefuseCalendarNoStudyDayName, nil)
	case !f.SchoolKnown:
		return Refuse(RefuseCalendarUnknownSchool, Args{"ID": int(sd.SchoolID)})
	case sd.Date.IsZero():
		return Refuse(RefuseCalendarNoStudyDayDate, nil)
	case IsWeekend(sd.Date):
		return Refuse(RefuseCalendarWeekend, Args{"Date": sd.Date})
	case f.Closed != nil:
		return OpenDay(sd.Date, true, f.Closed.Name)
	}
	for _, h := range f.Holidays {
		if h.Covers(sd.Date) {
			return Refuse(RefuseCalendarInHoliday, Args{"Date": sd.Date, "Holiday": h.Name})
		}
	}
	if f.Exists {
		return Refuse(RefuseCalendarStudyDayTwice, Args{"Date": sd.Date})
	}
	return nil
}

// IsWeekend reports whether d is a Saturday or Sunday: no school, no study day.
func IsWeekend(d Date) bool {
	wd := d.Weekday()
	return wd == time.Saturday || wd == time.Sunday
}

// StudyDayWeekdays are the school days of an imported study-day event from
// first to last: the study days it makes. An event of weekend days only is
// refused.
func StudyDayWeekdays(e CalendarEvent) ([]Date, error) {
	var days []Date
	for d := e.From; !d.After(e.To); d = d.AddDays(1) {
		if !IsWeekend(d) {
			days = append(days, d)
		}
	}
	if len(days) == 0 {
		return nil, Refuse(RefuseCalendarEventWeekend, Args{"Name": e.Name, "Date": e.From})
	}
	return days, nil
}

// RemovableStudyDay refuses removing a study day children are signed up for.
func RemovableStudyDay(d Date, signUps int) error {
	if signUps > 0 {
		return Refuse(RefuseCalendarStudyDaySignUps, Args{"Date": d, "Count": signUps})
	}
	return nil
}
