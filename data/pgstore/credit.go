package pgstore

import (
	"context"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"

	"locatiedesk/data"
)

// The credit ledger's rows (T1, R4–R7): the one writer and the reader of
// credit_entries, shared by the absence bookkeeping of the day list and the
// requests' ledger.

const creditColumns = `id, child_id, origin, product, contract_id, contract_product, group_id,
	minutes, reserved, spent, withdrawn, earned_on, valid_from, expires_on`

func scanCreditEntry(row pgx.Row) (data.CreditEntry, error) {
	var e data.CreditEntry
	var id, child int64
	var contract, group *int64
	err := row.Scan(&id, &child, &e.Origin, &e.Product, &contract, &e.ContractProduct, &group,
		&e.Minutes, &e.Reserved, &e.Spent, &e.Withdrawn, scanDate(&e.EarnedOn), scanDate(&e.ValidFrom), scanDate(&e.ExpiresOn))
	e.ID, e.ChildID, e.ContractID, e.GroupID = data.ID(id), data.ID(child), idOf(contract), idOf(group)
	return e, err
}

// childLedger reads a child's credit entries that expire on from or later,
// by expiry date and then ID: the order the ledger is spent in.
func childLedger(ctx context.Context, q querier, childID data.ID, from data.Date) ([]data.CreditEntry, error) {
	rows, err := q.Query(ctx, childLedgerSQL, int64(childID), dateArg(from))
	if err != nil {
		return nil, fmt.Errorf("read the credit of child %d: %w", childID, err)
	}
	return collectCreditEntries(rows)
}

const childLedgerSQL = `SELECT ` + creditColumns + ` FROM credit_entries WHERE child_id = $1 AND expires_on >= $2 ORDER BY expires_on, id`

func collectCreditEntries(rows pgx.Rows) ([]data.CreditEntry, error) {
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (data.CreditEntry, error) { return scanCreditEntry(row) })
}

// checkCreditEntry refuses an entry with less than nothing available, so
// credit is never spent twice; the table's checks are the backstop.
func checkCreditEntry(e data.CreditEntry) error {
	if e.Minutes <= 0 || e.Reserved < 0 || e.Spent < 0 || e.Reserved+e.Spent > e.Minutes {
		return fmt.Errorf("%w: credit %d holds %s, reserved %s, spent %s", data.ErrOverdrawn, e.ID, data.MinutesText(e.Minutes), data.MinutesText(e.Reserved), data.MinutesText(e.Spent))
	}
	return nil
}

// insertCreditEntry adds e (its ID is ignored) to its child's ledger and
// returns the ID the entry got.
func insertCreditEntry(ctx context.Context, tx pgx.Tx, e data.CreditEntry) (data.ID, error) {
	if err := checkCreditEntry(e); err != nil {
		return 0, err
	}
	var id int64
	err := tx.QueryRow(ctx, `INSERT INTO credit_entries (child_id, origin, product, contract_id, contract_product, group_id,
			minutes, reserved, spent, withdrawn, earned_on, valid_from, expires_on)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
		int64(e.ChildID), string(e.Origin), string(e.Product), idArg(e.ContractID), string(e.ContractProduct), idArg(e.GroupID),
		e.Minutes, e.Reserved, e.Spent, e.Withdrawn, dateArg(e.EarnedOn), dateArg(e.ValidFrom), dateArg(e.ExpiresOn)).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("add credit of child %d: %w", e.ChildID, err)
	}
	return data.ID(id), nil
}

// updateCreditEntry applies change to one entry of the child's ledger and
// stores the result, refused when it leaves less than nothing available.
func updateCreditEntry(ctx context.Context, tx pgx.Tx, childID, id data.ID, change func(*data.CreditEntry) error) error {
	e, err := scanCreditEntry(tx.QueryRow(ctx, `SELECT `+creditColumns+` FROM credit_entries WHERE id = $1 AND child_id = $2`, int64(id), int64(childID)))
	if err := notFound(err, fmt.Sprintf("credit entry of child %d", childID), id); err != nil {
		return err
	}
	if err := change(&e); err != nil {
		return err
	}
	w := &pgx.Batch{}
	if err := queueCreditUpdate(w, e); err != nil {
		return err
	}
	return sendWrites(ctx, tx, w, fmt.Sprintf("credit entry %d", id))
}

// queueCreditUpdate queues storing a changed entry in w; one that leaves
// less than nothing available is refused before anything is sent.
func queueCreditUpdate(w *pgx.Batch, e data.CreditEntry) error {
	if e.Reserved < 0 || e.Spent < 0 {
		return fmt.Errorf("credit entry %d: reserved %d, spent %d: %w", e.ID, e.Reserved, e.Spent, data.ErrInvalid)
	}
	if err := checkCreditEntry(e); err != nil {
		return err
	}
	w.Queue(`UPDATE credit_entries SET origin = $2, product = $3, contract_id = $4, contract_product = $5, group_id = $6,
			minutes = $7, reserved = $8, spent = $9, withdrawn = $10, earned_on = $11, valid_from = $12, expires_on = $13
		WHERE id = $1`,
		int64(e.ID), string(e.Origin), string(e.Product), idArg(e.ContractID), string(e.ContractProduct), idArg(e.GroupID),
		e.Minutes, e.Reserved, e.Spent, e.Withdrawn, dateArg(e.EarnedOn), dateArg(e.ValidFrom), dateArg(e.ExpiresOn))
	return nil
}

// queuePaymentEntries queues reading into *into the credit entries r's
// payment uses.
func queuePaymentEntries(b *pgx.Batch, r data.Request, into *[]data.CreditEntry) {
	ids := make([]data.ID, len(r.Payment.Allocations))
	for i, a := range r.Payment.Allocations {
		ids[i] = a.EntryID
	}
	b.Queue(`SELECT `+creditColumns+` FROM credit_entries WHERE id = ANY($1) AND child_id = $2`, idsArg(ids), int64(r.ChildID)).
		Query(func(rows pgx.Rows) (err error) {
			*into, err = collectCreditEntries(rows)
			return err
		})
}

// movePayment applies move to each entry of entries r's payment uses, in
// the payment's order, and queues storing them in w.
func movePayment(entries []data.CreditEntry, r data.Request, move func(e *data.CreditEntry, minutes int) error, w *pgx.Batch) error {
	byID := map[data.ID]*data.CreditEntry{}
	for i := range entries {
		byID[entries[i].ID] = &entries[i]
	}
	var moved []data.ID
	for _, a := range r.Payment.Allocations {
		e, ok := byID[a.EntryID]
		if !ok {
			return notFound(pgx.ErrNoRows, fmt.Sprintf("credit entry of child %d", r.ChildID), a.EntryID)
		}
		if err := move(e, a.Minutes); err != nil {
			return err
		}
		if !slices.Contains(moved, e.ID) {
			moved = append(moved, e.ID)
		}
	}
	for _, id := range moved {
		if err := queueCreditUpdate(w, *byID[id]); err != nil {
			return err
		}
	}
	return nil
}

// sendWrites sends the writes queued in w in one round trip; what names
// them in an error.
func sendWrites(ctx context.Context, tx pgx.Tx, w *pgx.Batch, what string) error {
	if w.Len() == 0 {
		return nil
	}
	if err := tx.SendBatch(ctx, w).Close(); err != nil {
		return fmt.Errorf("store %s: %w", what, err)
	}
	return nil
}
