package pgstore

import (
	"context"
	"fmt"
	"slices"
	"strconv"

	"github.com/jackc/pgx/v5"

	"locatiedesk/data"
)

// Ledger returns the child's credit that has not expired. Flexible credit
// of the child's contracts is granted first when a new period is due.
func (db *DB) Ledger(ctx context.Context, childID data.ID) (data.Ledger, error) {
	if err := db.ensureGrants(ctx, data.AuditGrantOnLedger, childID); err != nil {
		return data.Ledger{}, err
	}
	var entries []data.CreditEntry
	today := db.Today()
	err := db.view(ctx, func(tx pgx.Tx) error {
		if _, err := db.readChildFor(ctx, tx, childID); err != nil {
			return err
		}
		var err error
		entries, err = childLedger(ctx, tx, childID, today)
		return err
	})
	return data.LedgerOf(entries), err
}

// flexibleGrant is one period of a credit contract and the entry it gives.
type flexibleGrant struct {
	contractID data.ID
	period     int // the contract year, counted from its first version's start
	entry      data.CreditEntry
}

// dueGrants lists the flexible credit the child's contracts give that is
// due and not granted yet (data.ContractGrants), for the contracts that run
// from today to the furthest day a request can be for.
func dueGrants(ctx context.Context, q querier, childID data.ID, today data.Date, s data.Settings) ([]flexibleGrant, error) {
	contracts, err := childContracts(ctx, q, childID, today, grantHorizon(today, s))
	if err != nil {
		return nil, err
	}
	if !slices.ContainsFunc(contracts, givesCredit) {
		return nil, nil // the ordinary child: no credit contract, nothing more to read
	}
	granted, err := grantedPeriods(ctx, q, childID)
	if err != nil {
		return nil, err
	}
	return grantsDue(contracts, granted, today, s, func(id data.ID) (data.Contract, error) { return readContract(ctx, q, id) })
}

// grantHorizon is the furthest day a request can be for: the contracts
// running up to it are granted their credit.
func grantHorizon(today data.Date, s data.Settings) data.Date {
	return today.AddDays(s.ParentRequestFromDays)
}

func givesCredit(c data.Contract) bool { return c.CreditHours > 0 || c.CreditDays > 0 }

// grantsDue is dueGrants on what was read: the child's contracts running
// from today to the horizon, the contract years granted, and version, which
// finds an earlier version of a contract.
func grantsDue(running []data.Contract, granted map[grantKey]bool, today data.Date, s data.Settings, version func(data.ID) (data.Contract, error)) ([]flexibleGrant, error) {
	var due []flexibleGrant
	for _, c := range running {
		if !givesCredit(c) {
			continue
		}
		// A later version's years run on from its first version's start;
		// a year an earlier version was granted is not granted again.
		anchor, earlier, err := creditYears(c, version)
		if err != nil {
			return nil, err
		}
		grantedBefore := func(n int) bool {
			for _, id := range append(earlier, c.ID) {
				if granted[grantKey{id, n}] {
					return true
				}
			}
			return false
		}
		for _, g := range data.ContractGrants(c, anchor, today, s, grantedBefore) {
			due = append(due, flexibleGrant{contractID: c.ID, period: g.Period, entry: g.Entry})
		}
	}
	return due, nil
}

// grantKey names one contract year whose flexible credit was granted.
type grantKey struct {
	contractID data.ID
	period     int
}

// grantedPeriods reads which contract years of the child were granted.
func grantedPeriods(ctx context.Context, q querier, childID data.ID) (map[grantKey]bool, error) {
	rows, err := q.Query(ctx, grantedPeriodsSQL, int64(childID))
	if err != nil {
		return nil, fmt.Errorf("read the credit grants of child %d: %w", childID, err)
	}
	return collectGrantedPeriods(rows, childID)
}

const grantedPeriodsSQL = `SELECT contract_id, period FROM credit_grants WHERE child_id = $1`

func collectGrantedPeriods(rows pgx.Rows, childID data.ID) (map[grantKey]bool, error) {
	granted := map[grantKey]bool{}
	var contract int64
	var period string
	_, err := pgx.ForEachRow(rows, []any{&contract, &period}, func() error {
		n, err := strconv.Atoi(period)
		if err != nil {
			return fmt.Errorf("credit grant of contract %d: period %q: %w", contract, period, err)
		}
		granted[grantKey{data.ID(contract), n}] = true
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read the credit grants of child %d: %w", childID, err)
	}
	return granted, nil
}

// creditYears follows a contract's versions back to the first: its start
// anchors the contract years; earlier lists the versions before c.
func creditYears(c data.Contract, version func(data.ID) (data.Contract, error)) (anchor data.Date, earlier []data.ID, err error) {
	anchor = c.Start
	for id := c.Continues; id != 0 && len(earlier) < 1000; {
		prev, err := version(id)
		if err != nil {
			return anchor, nil, fmt.Errorf("contract %d, version before %d: %w", id, c.ID, err)
		}
		anchor, earlier, id = prev.Start, append(earlier, prev.ID), prev.Continues
	}
	return anchor, earlier, nil
}

// grantFlexibleCredit stores the due grants of dueGrants, each with the
// contract year it was granted for, so it is granted once.
func grantFlexibleCredit(ctx context.Context, tx pgx.Tx, childID data.ID, today data.Date, changed *[]data.Change) error {
	s, err := readSettings(ctx, tx)
	if err != nil {
		return err
	}
	due, err := dueGrants(ctx, tx, childID, today, s)
	if err != nil {
		return err
	}
	return grant(ctx, tx, childID, due, changed)
}

// grant stores due grants of the child's credit.
func grant(ctx context.Context, tx pgx.Tx, childID data.ID, due []flexibleGrant, changed *[]data.Change) error {
	if len(due) == 0 {
		return nil
	}
	for _, g := range due {
		id, err := insertCreditEntry(ctx, tx, g.entry)
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO credit_grants (child_id, contract_id, period, entry_id) VALUES ($1, $2, $3, $4)`,
			int64(childID), int64(g.contractID), strconv.Itoa(g.period), int64(id))
		if err != nil {
			return fmt.Errorf("record the credit grant of contract %d: %w", g.contractID, err)
		}
	}
	*changed = append(*changed, data.Change{Kind: data.ChangeCredit})
	return nil
}

// ensureGrants grants due flexible credit, writing only when some is due,
// so reading a ledger costs no write on an ordinary day. The write checks
// again what is due: of two hubs granting at once, one grants nothing.
func (db *DB) ensureGrants(ctx context.Context, action string, childID data.ID) error {
	today := db.Today()
	var due bool
	err := db.view(ctx, func(tx pgx.Tx) error {
		s, err := readSettings(ctx, tx)
		if err != nil {
			return err
		}
		grants, err := dueGrants(ctx, tx, childID, today, s)
		due = len(grants) > 0
		return err
	})
	if err != nil || !due {
		return err
	}
	return db.update(withoutWriteKey(ctx), action, func(tx pgx.Tx, changed *[]data.Change) error {
		return grantFlexibleCredit(ctx, tx, childID, today, changed)
	})
}
