package pgstore

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"locatiedesk/data"
)

// The requests table's rows: the reader and the writer of a stored request,
// shared by the requests and the absence bookkeeping (which moves withdrawn
// credit onto a request's invoice, R7).

const requestColumns = `id, child_id, group_id, day, from_min, until_min, product, channel, requested_by, over_capacity,
	submitted_at, payment, status, decided_by, decided_at, reason, withdrawn`

func scanRequest(row pgx.Row) (data.Request, error) {
	var r data.Request
	var id, child, group int64
	var from, until int16
	var payment, withdrawn []byte
	err := row.Scan(&id, &child, &group, scanDate(&r.Date), &from, &until, &r.Product, &r.Channel, &r.By, &r.OverCapacity,
		&r.SubmittedAt, &payment, &r.Status, &r.DecidedBy, scanTime(&r.DecidedAt), &r.Reason, &withdrawn)
	if err != nil {
		return r, err
	}
	r.ID, r.ChildID, r.GroupID = data.ID(id), data.ID(child), data.ID(group)
	r.Times = data.TimeRange{From: data.Clock(from), Until: data.Clock(until)}
	if err := json.Unmarshal(payment, &r.Payment); err != nil {
		return r, fmt.Errorf("decode the payment of request %d: %w", id, err)
	}
	if err := json.Unmarshal(withdrawn, &r.Withdrawn); err != nil {
		return r, fmt.Errorf("decode the withdrawn credit of request %d: %w", id, err)
	}
	if len(r.Withdrawn) == 0 {
		r.Withdrawn = nil
	}
	return r, nil
}

// readRequests reads the requests a WHERE clause selects, in the order it names.
func readRequests(ctx context.Context, q querier, whereOrder string, args ...any) ([]data.Request, error) {
	rows, err := q.Query(ctx, `SELECT `+requestColumns+` FROM requests `+whereOrder, args...)
	if err != nil {
		return nil, fmt.Errorf("read requests: %w", err)
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (data.Request, error) { return scanRequest(row) })
}

// updateRequest stores every field of a request that exists.
func updateRequest(ctx context.Context, tx pgx.Tx, r data.Request) error {
	w := &pgx.Batch{}
	if err := queueUpdateRequest(w, r); err != nil {
		return err
	}
	return sendWrites(ctx, tx, w, fmt.Sprintf("request %d", r.ID))
}

// queueUpdateRequest queues updateRequest's write in w.
func queueUpdateRequest(w *pgx.Batch, r data.Request) error {
	payment, err := json.Marshal(r.Payment)
	if err != nil {
		return err
	}
	withdrawn := []byte(`[]`)
	if len(r.Withdrawn) > 0 {
		if withdrawn, err = json.Marshal(r.Withdrawn); err != nil {
			return err
		}
	}
	w.Queue(`UPDATE requests SET child_id = $2, group_id = $3, day = $4, from_min = $5, until_min = $6,
			product = $7, channel = $8, requested_by = $9, over_capacity = $10, submitted_at = $11, payment = $12,
			status = $13, decided_by = $14, decided_at = $15, reason = $16, withdrawn = $17
		WHERE id = $1`,
		int64(r.ID), int64(r.ChildID), int64(r.GroupID), dateArg(r.Date), int16(r.Times.From), int16(r.Times.Until),
		string(r.Product), string(r.Channel), r.By, r.OverCapacity, r.SubmittedAt, payment,
		string(r.Status), r.DecidedBy, timeArg(r.DecidedAt), r.Reason, withdrawn).Exec(func(tag pgconn.CommandTag) error {
		if tag.RowsAffected() != 1 {
			return fmt.Errorf("request %d: %w", r.ID, data.ErrNotFound)
		}
		return nil
	})
	return nil
}
