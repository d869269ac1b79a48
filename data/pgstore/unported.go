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

// --- children ---

func (db *DB) ChildRecord(ctx context.Context, childID data.ID) (data.ChildRecord, error) {
	return data.ChildRecord{}, errUnported
}

// --- calendar ---

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
