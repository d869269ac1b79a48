package ui

import (
	"io"
	"time"

	"locatiedesk/data"
)

// Store is what the screens need from the data layer; *data.DB implements it.
type Store interface {
	Today() data.Date
	Now() time.Time
	Subscribe(func(data.Change)) (cancel func())

	Locations() ([]data.Location, error)
	Groups(locationID data.ID) ([]data.Group, error)

	DayList(groupID data.ID, d data.Date) (data.DayList, error)
	Unlock(d data.Date, by string) (*data.Unlock, error)
	CheckIn(e data.DayEdit, at data.Clock) error
	CheckOut(e data.DayEdit, at data.Clock) error
	SetTimes(e data.DayEdit, in, out *data.Clock) error
	MarkAbsent(e data.DayEdit, reason data.AbsenceReason) error
	ClearAbsence(e data.DayEdit) error
	SetNote(e data.DayEdit, note string) error

	// School calendars, holiday care (V2) and study days (S1).
	Schools() ([]data.School, error)
	SchoolCalendar(schoolID data.ID) (data.SchoolCalendar, error)
	AddHoliday(h data.SchoolHoliday) (data.SchoolHoliday, error)
	RemoveHoliday(schoolID, holidayID data.ID) error
	AddStudyDay(sd data.StudyDay) error
	RemoveStudyDay(schoolID data.ID, d data.Date) error
	ImportCalendar(schoolID data.ID, f data.CalendarFile) (data.CalendarImportResult, error)
	HolidayOverview(schoolID, holidayID data.ID) (data.HolidayOverview, error)
	RegisterHolidayContract(r data.HolidayContractRequest) (data.Contract, error)
	StudyDays(from, to data.Date) ([]data.StudyDay, error)
	StudyDaySheet(locationID, schoolID data.ID, d data.Date) (data.StudyDaySheet, error)
	RegisterSignUps(reg data.SignUpRegistration) error
	Consent(childID data.ID) (data.ChildConsent, error)
	RecordConsent(c data.ConsentChange) error
	ConsentOverview(locationID, groupID data.ID) ([]data.ConsentRow, error)
	ImportConsent(r io.Reader, by, note string) (data.ConsentImportResult, error)
}
