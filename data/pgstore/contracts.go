package pgstore

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"locatiedesk/data"
)

// Contracts lists all contracts of a child, by ID, if the handle's actor may
// see the child.
func (db *DB) Contracts(ctx context.Context, childID data.ID) ([]data.Contract, error) {
	var out []data.Contract
	err := db.view(ctx, func(tx pgx.Tx) error {
		if _, err := db.readChildFor(ctx, tx, childID); err != nil {
			return err
		}
		var err error
		out, err = readContracts(ctx, tx, `SELECT `+contractColumns+` FROM contracts WHERE child_id = $1 ORDER BY id`, int64(childID))
		return err
	})
	if len(out) == 0 {
		out = nil
	}
	return out, err
}

// AddContract stores a new contract for a child in a group of the child's
// location, refused when it collides with another of the child's contracts.
func (db *DB) AddContract(ctx context.Context, c data.Contract) (data.Contract, error) {
	if c.ID != 0 {
		return data.Contract{}, data.Invalid("a new contract has no ID yet")
	}
	var id data.ID
	err := db.update(ctx, data.AuditAddContract, func(tx pgx.Tx, changed *[]data.Change) error {
		if err := db.checkContract(ctx, tx, c, 0); err != nil {
			return err
		}
		var err error
		if id, err = insertContract(ctx, tx, c); err != nil {
			return err
		}
		*changed = append(*changed, data.Change{Kind: data.ChangePlanning, GroupID: c.GroupID, ChildID: c.ChildID,
			Detail: fmt.Sprintf("contract %s from %s added", c.Product, c.Start)})
		return nil
	})
	if err != nil {
		return data.Contract{}, err
	}
	c.ID = id
	return c, nil
}

// ChangeContract makes a new version of a contract from a day on (M2): the
// version in force ends the day before, next starts on from, so history,
// credit and invoicing keep following what was agreed on each day. A
// change from the contract's first day replaces it, as no day followed it yet.
func (db *DB) ChangeContract(ctx context.Context, contractID data.ID, from data.Date, next data.Contract) (data.Contract, error) {
	var made data.Contract
	err := db.update(ctx, data.AuditChangeContract, func(tx pgx.Tx, changed *[]data.Change) error {
		old, err := readContract(ctx, tx, contractID)
		if err != nil {
			return err
		}
		made, err = db.changeContract(ctx, tx, old, from, next, changed)
		return err
	})
	if err != nil {
		return data.Contract{}, err
	}
	return made, nil
}

// changeContract is ChangeContract inside a transaction; MoveChild shares it.
func (db *DB) changeContract(ctx context.Context, tx pgx.Tx, old data.Contract, from data.Date, next data.Contract, changed *[]data.Change) (data.Contract, error) {
	if !old.Runs(from) {
		return next, data.Refuse(data.RefuseContractNotRunning, data.Args{"Date": from})
	}
	next.ChildID, next.Start = old.ChildID, from
	if err := db.allow(ctx, tx, data.ActContracts, 0, old.GroupID); err != nil {
		return next, err
	}
	if from == old.Start {
		next.ID, next.Continues = old.ID, old.Continues
		if err := db.checkContract(ctx, tx, next, old.ID); err != nil {
			return next, err
		}
		*changed = append(*changed, data.Change{Kind: data.ChangePlanning, GroupID: old.GroupID, ChildID: old.ChildID,
			Detail: fmt.Sprintf("contract %d changed from its start %s", old.ID, from)},
			data.Change{Kind: data.ChangePlanning, GroupID: next.GroupID})
		return next, updateContract(ctx, tx, next)
	}
	next.ID, next.Continues = 0, old.ID
	if err := db.checkContract(ctx, tx, next, old.ID); err != nil {
		return next, err
	}
	ended := old
	ended.End = from.AddDays(-1)
	if err := updateContract(ctx, tx, ended); err != nil {
		return next, err
	}
	var err error
	if next.ID, err = insertContract(ctx, tx, next); err != nil {
		return next, err
	}
	*changed = append(*changed, data.Change{Kind: data.ChangePlanning, GroupID: old.GroupID, ChildID: old.ChildID,
		Detail: fmt.Sprintf("contract %d: a new version %d from %s", old.ID, next.ID, from)},
		data.Change{Kind: data.ChangePlanning, GroupID: next.GroupID})
	return next, nil
}

// checkContract checks c against its group, its child's location and the
// actor's role, and against the child's other contracts but the one with ID
// replacing (0 for none).
func (db *DB) checkContract(ctx context.Context, tx pgx.Tx, c data.Contract, replacing data.ID) error {
	child, err := readChild(ctx, tx, c.ChildID)
	if errors.Is(err, data.ErrNotFound) {
		return data.Invalid("contract for unknown child %d", c.ChildID)
	}
	if err != nil {
		return err
	}
	g, err := readGroup(ctx, tx, c.GroupID)
	if errors.Is(err, data.ErrNotFound) {
		return data.Invalid("contract for unknown group %d", c.GroupID)
	}
	if err != nil {
		return err
	}
	if err := db.allow(ctx, tx, data.ActContracts, 0, g.ID); err != nil {
		return err
	}
	others, err := childContracts(ctx, tx, c.ChildID, data.Date{}, data.MaxDate)
	if err != nil {
		return err
	}
	return data.CheckContract(c, child, g, others, replacing)
}

// checkStoredContract is what every contract stored must be, whoever writes
// it: valid, of a known child, in a known group of its care type that is not
// closed while it runs.
func checkStoredContract(ctx context.Context, tx pgx.Tx, c data.Contract) error {
	if err := c.Validate(); err != nil {
		return err
	}
	known, err := childExists(ctx, tx, c.ChildID)
	if err != nil {
		return err
	}
	if !known {
		return data.Invalid("contract %d: unknown child %d", c.ID, c.ChildID)
	}
	g, err := readGroup(ctx, tx, c.GroupID)
	if errors.Is(err, data.ErrNotFound) {
		return data.Invalid("contract %d: unknown group %d", c.ID, c.GroupID)
	}
	if err != nil {
		return err
	}
	if data.CareOf(c.Product) != g.Care {
		return data.Invalid("contract %d: product %s does not fit %s group %q", c.ID, c.Product, g.Care, g.Name)
	}
	// A closed group takes no contract that runs on or after its closing day.
	if !g.ClosedOn.IsZero() && (c.End.IsZero() || g.Closed(c.End)) {
		return data.Invalid("contract %d: group %q is closed since %s", c.ID, g.Name, g.ClosedOn)
	}
	return nil
}

// insertContract stores a new contract and returns its ID.
func insertContract(ctx context.Context, tx pgx.Tx, c data.Contract) (data.ID, error) {
	if err := checkStoredContract(ctx, tx, c); err != nil {
		return 0, err
	}
	days, err := jsonList(c.Days)
	if err != nil {
		return 0, err
	}
	var id int64
	err = tx.QueryRow(ctx, `INSERT INTO contracts (child_id, group_id, product, days, start_day, end_day, credit_days, credit_hours, continues)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
		int64(c.ChildID), int64(c.GroupID), string(c.Product), days, dateArg(c.Start), dateArg(c.End), c.CreditDays, c.CreditHours, idArg(c.Continues)).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("add contract of child %d: %w", c.ChildID, err)
	}
	return data.ID(id), nil
}

// updateContract stores c in place of the contract with its ID.
func updateContract(ctx context.Context, tx pgx.Tx, c data.Contract) error {
	if c.ID == 0 {
		return data.Invalid("contract without ID")
	}
	if err := checkStoredContract(ctx, tx, c); err != nil {
		return err
	}
	days, err := jsonList(c.Days)
	if err != nil {
		return err
	}
	tag, err := tx.Exec(ctx, `UPDATE contracts SET child_id = $2, group_id = $3, product = $4, days = $5, start_day = $6, end_day = $7,
			credit_days = $8, credit_hours = $9, continues = $10 WHERE id = $1`,
		int64(c.ID), int64(c.ChildID), int64(c.GroupID), string(c.Product), days, dateArg(c.Start), dateArg(c.End), c.CreditDays, c.CreditHours, idArg(c.Continues))
	if err != nil {
		return fmt.Errorf("change contract %d: %w", c.ID, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("contract %d: %w", c.ID, data.ErrNotFound)
	}
	return nil
}

// MoveChild moves a child to another group from a day on: every contract
// running that day or starting later gets a new version in that group
// (ChangeContract), so the lists before that day stay as they were. A move
// to a group of another location moves the child to that location.
func (db *DB) MoveChild(ctx context.Context, childID, toGroupID data.ID, from data.Date) error {
	return db.update(ctx, data.AuditMoveChild, func(tx pgx.Tx, changed *[]data.Change) error {
		child, err := readChild(ctx, tx, childID)
		if err != nil {
			return err
		}
		to, err := readGroup(ctx, tx, toGroupID)
		if err != nil {
			return err
		}
		if err := db.allow(ctx, tx, data.ActContracts, child.LocationID, 0); err != nil {
			return err
		}
		contracts, err := childContracts(ctx, tx, childID, from, data.MaxDate)
		if err != nil {
			return err
		}
		moves, err := data.PlanMove(child, contracts, to, from)
		if err != nil {
			return err
		}
		if to.LocationID != child.LocationID {
			moved := child
			moved.LocationID = to.LocationID
			if _, err := writeChild(ctx, tx, moved, child); err != nil {
				return err
			}
			*changed = append(*changed, data.Change{Kind: data.ChangeCatalog, ChildID: childID})
		}
		for _, m := range moves {
			next := m.Contract
			next.GroupID = toGroupID
			if _, err := db.changeContract(ctx, tx, m.Contract, m.From, next, changed); err != nil {
				return fmt.Errorf("move contract %d: %w", m.Contract.ID, err)
			}
		}
		*changed = append(*changed, data.Change{Kind: data.ChangePlanning, ChildID: childID,
			Detail: fmt.Sprintf("%s moves to group %q from %s", child.Name(), to.Name, from)})
		return nil
	})
}

// EndCare is a child leaving: every contract running after lastDay ends on
// lastDay, and a contract that would only start later is removed. From the
// next day on the child is on no list, photo consent counts as ended, and
// the retention period of the child's data starts.
func (db *DB) EndCare(ctx context.Context, childID data.ID, lastDay data.Date) error {
	return db.update(ctx, data.AuditEndCare, func(tx pgx.Tx, changed *[]data.Change) error {
		child, err := readChild(ctx, tx, childID)
		if err != nil {
			return err
		}
		if err := db.allow(ctx, tx, data.ActContracts, child.LocationID, 0); err != nil {
			return err
		}
		after, err := childContracts(ctx, tx, childID, lastDay.AddDays(1), data.MaxDate)
		if err != nil {
			return err
		}
		ended, removed, err := data.PlanEndCare(child, after, lastDay)
		if err != nil {
			return err
		}
		for _, c := range after {
			if err := db.allow(ctx, tx, data.ActContracts, 0, c.GroupID); err != nil {
				return err
			}
			*changed = append(*changed, data.Change{Kind: data.ChangePlanning, GroupID: c.GroupID})
		}
		if err := deleteContracts(ctx, tx, removed); err != nil {
			return err
		}
		for _, c := range ended {
			if err := updateContract(ctx, tx, c); err != nil {
				return err
			}
		}
		*changed = append(*changed, data.Change{Kind: data.ChangeConsent, ChildID: childID},
			data.Change{Kind: data.ChangeCatalog, ChildID: childID, Detail: fmt.Sprintf("care of %s ends after %s", child.Name(), lastDay)})
		return nil
	})
}

// deleteContracts removes contracts that never ran a day, in one statement,
// so that a later version continuing one of them goes with it. Flexible
// credit a contract still to come gave already stays in the ledger, as on
// bbolt, no longer naming the contract; its grant, which only kept it from
// being given twice, goes with the contract.
func deleteContracts(ctx context.Context, tx pgx.Tx, contracts []data.Contract) error {
	if len(contracts) == 0 {
		return nil
	}
	ids := make([]data.ID, len(contracts))
	for i, c := range contracts {
		ids[i] = c.ID
	}
	_, err := tx.Exec(ctx, `
		WITH grants AS (DELETE FROM credit_grants WHERE contract_id = ANY($1)),
			entries AS (UPDATE credit_entries SET contract_id = NULL WHERE contract_id = ANY($1))
		DELETE FROM contracts WHERE id = ANY($1)`, idsArg(ids))
	if err != nil {
		return fmt.Errorf("remove contracts %v: %w", ids, err)
	}
	return nil
}
