package pgstore

// Methods not yet ported to PostgreSQL, by the part of the store that
// ports them. Each part deletes its stubs as it implements them; this file
// goes once it is empty.

import (
	"context"
	"errors"
	"io"
	"iter"

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

// --- requests ---

func (db *DB) Ledger(ctx context.Context, childID data.ID) (data.Ledger, error) {
	return data.Ledger{}, errUnported
}

func (db *DB) ReportAbsence(ctx context.Context, r data.AbsenceReport) (data.Attendance, error) {
	return data.Attendance{}, errUnported
}

func (db *DB) RequestChildren(ctx context.Context, groupID data.ID, d data.Date) ([]data.Child, error) {
	return nil, errUnported
}

func (db *DB) PreviewRequest(ctx context.Context, d data.RequestDraft) (data.RequestPreview, error) {
	return data.RequestPreview{}, errUnported
}

func (db *DB) SubmitRequest(ctx context.Context, d data.RequestDraft, pay data.Payment) (data.Request, error) {
	return data.Request{}, errUnported
}

func (db *DB) ApproveRequest(ctx context.Context, id data.ID, by string) error { return errUnported }

func (db *DB) RejectRequest(ctx context.Context, id data.ID, by, reason string) error {
	return errUnported
}

func (db *DB) CancelRequest(ctx context.Context, id data.ID, by, reason string) error {
	return errUnported
}

func (db *DB) OpenRequests(ctx context.Context, groupID data.ID) ([]data.QueueItem, error) {
	return nil, errUnported
}

func (db *DB) LocationQueue(ctx context.Context, locationID data.ID) ([]data.QueueItem, error) {
	return nil, errUnported
}

func (db *DB) UndoDecision(ctx context.Context, id data.ID, by string) error { return errUnported }

func (db *DB) Request(ctx context.Context, id data.ID) (data.Request, error) {
	return data.Request{}, errUnported
}

func (db *DB) OpenRequestCounts(ctx context.Context, locationID data.ID) (map[data.ID]int, error) {
	return nil, errUnported
}

func (db *DB) ChildRequests(ctx context.Context, childID data.ID) ([]data.Request, error) {
	return nil, errUnported
}

func (db *DB) PreviewInvoicing(ctx context.Context, spec data.InvoiceSpec, progress func(float64)) (data.InvoiceSummary, error) {
	return data.InvoiceSummary{}, errUnported
}

func (db *DB) ExportInvoicing(ctx context.Context, spec data.InvoiceSpec, progress func(float64)) (data.InvoiceBatch, error) {
	return data.InvoiceBatch{}, errUnported
}

func (db *DB) InvoiceBatches(ctx context.Context) ([]data.InvoiceBatch, error) {
	return nil, errUnported
}

func (db *DB) InvoiceBatch(ctx context.Context, id data.ID) (data.InvoiceBatch, error) {
	return data.InvoiceBatch{}, errUnported
}

func (db *DB) InvoiceLines(ctx context.Context, batchID data.ID) iter.Seq2[data.InvoiceLine, error] {
	return func(yield func(data.InvoiceLine, error) bool) { yield(data.InvoiceLine{}, errUnported) }
}
