package pgstore

// Methods not yet ported to PostgreSQL, by the part of the store that
// ports them. Each part deletes its stubs as it implements them; this file
// goes once it is empty.

import (
	"context"
	"errors"
	"io"

	"locatiedesk/data"
)

var errUnported = errors.New("not yet on PostgreSQL")

// --- catalog ---

func (db *DB) WriteBackup(ctx context.Context, w io.Writer) (int64, error) { return 0, errUnported }

// --- calendar ---

func (db *DB) Schools(ctx context.Context) ([]data.School, error) { return nil, errUnported }

func (db *DB) SchoolByName(ctx context.Context, name string) (data.School, error) {
	return data.School{}, errUnported
}

func (db *DB) SchoolCalendar(ctx context.Context, schoolID data.ID) (data.SchoolCalendar, error) {
	return data.SchoolCalendar{}, errUnported
}

func (db *DB) AddHoliday(ctx context.Context, h data.SchoolHoliday) (data.SchoolHoliday, error) {
	return data.SchoolHoliday{}, errUnported
}

func (db *DB) RemoveHoliday(ctx context.Context, schoolID, holidayID data.ID) error {
	return errUnported
}

func (db *DB) AddStudyDay(ctx context.Context, sd data.StudyDay) error { return errUnported }

func (db *DB) RemoveStudyDay(ctx context.Context, schoolID data.ID, d data.Date) error {
	return errUnported
}

func (db *DB) ImportCalendar(ctx context.Context, schoolID data.ID, f data.CalendarFile) (data.CalendarImportResult, error) {
	return data.CalendarImportResult{}, errUnported
}

func (db *DB) HolidayOverview(ctx context.Context, schoolID, holidayID data.ID) (data.HolidayOverview, error) {
	return data.HolidayOverview{}, errUnported
}

func (db *DB) RegisterHolidayContract(ctx context.Context, r data.HolidayContractRequest) (data.Contract, error) {
	return data.Contract{}, errUnported
}

func (db *DB) StudyDays(ctx context.Context, from, to data.Date) ([]data.StudyDay, error) {
	return nil, errUnported
}

func (db *DB) StudyDaySheet(ctx context.Context, locationID, schoolID data.ID, d data.Date) (data.StudyDaySheet, error) {
	return data.StudyDaySheet{}, errUnported
}

func (db *DB) RegisterSignUps(ctx context.Context, reg data.SignUpRegistration) error {
	return errUnported
}

func (db *DB) DecideStudyDay(ctx context.Context, locationID, schoolID data.ID, d data.Date, outcome data.StudyDayOutcome, by string) error {
	return errUnported
}

func (db *DB) StudyDayNotice(ctx context.Context, locationID, schoolID data.ID, d data.Date) (data.StudyDayNotice, error) {
	return data.StudyDayNotice{}, errUnported
}
