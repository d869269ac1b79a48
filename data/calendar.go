package data

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
