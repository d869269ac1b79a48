package boltstore

import (
	"bytes"
	"context"
	"fmt"

	"locatiedesk/data"

	bolt "go.etcd.io/bbolt"
)

// Ledger returns the child's credit that has not expired. Flexible credit
// of the child's contracts is granted first when a new period is due.
func (db *DB) Ledger(ctx context.Context, childID data.ID) (data.Ledger, error) {
	if err := db.ensureGrants(ctx, data.AuditGrantOnLedger, childID); err != nil {
		return data.Ledger{}, err
	}
	var entries []data.CreditEntry
	err := db.view(ctx, func(tx *bolt.Tx) error {
		if _, err := db.readChildFor(tx, childID); err != nil {
			return err
		}
		var err error
		entries, err = childLedger(tx, childID, db.Today())
		return err
	})
	return data.LedgerOf(entries), err
}

// childLedger reads the child's entries that expire on or after from,
// oldest first. Keys start with the expiry date, so expired history is
// never read: the cost follows the child's live credit, not the years.
func childLedger(tx *bolt.Tx, childID data.ID, from data.Date) ([]data.CreditEntry, error) {
	var out []data.CreditEntry
	b := nested(tx.Bucket(bucketCredit), idKey(childID))
	if b == nil {
		return out, nil
	}
	c := b.Cursor()
	for k, v := c.Seek([]byte(from.String())); k != nil; k, v = c.Next() {
		e, err := decodeEntry(k, v)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}

func decodeEntry(k, v []byte) (data.CreditEntry, error) {
	e, err := decodeJSON[data.CreditEntry](v)
	if err != nil {
		return e, fmt.Errorf("decode credit %x: %w", k, err)
	}
	return e, nil
}

func nextCreditID(tx *bolt.Tx) (data.ID, error) {
	seq, err := tx.Bucket(bucketCredit).NextSequence()
	return data.ID(seq), err
}

func putCreditEntry(tx *bolt.Tx, e data.CreditEntry) error {
	if e.ID == 0 || e.Minutes <= 0 || e.Reserved+e.Spent > e.Minutes {
		return fmt.Errorf("%w: credit %d holds %s, reserved %s, spent %s", data.ErrOverdrawn, e.ID, data.MinutesText(e.Minutes), data.MinutesText(e.Reserved), data.MinutesText(e.Spent))
	}
	b, err := nestedCreate(tx.Bucket(bucketCredit), idKey(e.ChildID))
	if err != nil {
		return err
	}
	return putJSON(b, creditKey(e.ExpiresOn, e.ID), e)
}

// updateCreditEntry applies change to one entry; putCreditEntry refuses a
// result with less than nothing available, so credit is never spent twice.
func updateCreditEntry(tx *bolt.Tx, childID data.ID, expiresOn data.Date, id data.ID, change func(*data.CreditEntry) error) error {
	b := nested(tx.Bucket(bucketCredit), idKey(childID))
	e, err := getJSON[data.CreditEntry](b, creditKey(expiresOn, id))
	if err != nil {
		return fmt.Errorf("credit entry %d of child %d: %w", id, childID, err)
	}
	if err := change(&e); err != nil {
		return err
	}
	if e.Reserved < 0 || e.Spent < 0 {
		return fmt.Errorf("credit entry %d: reserved %d, spent %d: %w", id, e.Reserved, e.Spent, data.ErrInvalid)
	}
	return putCreditEntry(tx, e)
}

// flexibleGrant is one period of a credit contract and the entry it gives.
type flexibleGrant struct {
	key   []byte // contract ID + period number
	entry data.CreditEntry
}

// dueGrants lists the flexible credit the child's contracts give that is
// due and not granted yet (data.ContractGrants), for the contracts that run
// from today to the furthest day a request can be for.
func dueGrants(tx *bolt.Tx, childID data.ID, today data.Date, s data.Settings) ([]flexibleGrant, error) {
	horizon := today.AddDays(s.ParentRequestFromDays)
	granted := nested(tx.Bucket(bucketCreditGrants), idKey(childID))
	contracts, err := childContracts(tx, childID, today, horizon)
	if err != nil {
		return nil, err
	}
	var due []flexibleGrant
	for _, c := range contracts {
		if c.CreditHours <= 0 && c.CreditDays <= 0 {
			continue
		}
		// A later version's years run on from its first version's start;
		// a year an earlier version was granted is not granted again.
		anchor, earlier, err := creditYears(tx, c)
		if err != nil {
			return nil, err
		}
		grantedBefore := func(n int) bool {
			for _, id := range append(earlier, c.ID) {
				if granted != nil && granted.Get(append(idKey(id), itob(uint64(n))...)) != nil {
					return true
				}
			}
			return false
		}
		for _, g := range data.ContractGrants(c, anchor, today, s, grantedBefore) {
			due = append(due, flexibleGrant{key: append(idKey(c.ID), itob(uint64(g.Period))...), entry: g.Entry})
		}
	}
	return due, nil
}

// creditYears follows a contract's versions back to the first: its start
// anchors the contract years; earlier lists the versions before c.
func creditYears(tx *bolt.Tx, c data.Contract) (anchor data.Date, earlier []data.ID, err error) {
	anchor = c.Start
	for id := c.Continues; id != 0 && len(earlier) < 1000; {
		prev, err := getJSON[data.Contract](tx.Bucket(bucketContracts), idKey(id))
		if err != nil {
			return anchor, nil, fmt.Errorf("contract %d, version before %d: %w", id, c.ID, err)
		}
		anchor, earlier, id = prev.Start, append(earlier, prev.ID), prev.Continues
	}
	return anchor, earlier, nil
}

// grantFlexibleCredit stores the due grants of dueGrants.
func grantFlexibleCredit(tx *bolt.Tx, childID data.ID, today data.Date, changed *[]data.Change) error {
	s, err := readSettings(tx)
	if err != nil {
		return err
	}
	due, err := dueGrants(tx, childID, today, s)
	if err != nil || len(due) == 0 {
		return err
	}
	granted, err := nestedCreate(tx.Bucket(bucketCreditGrants), idKey(childID))
	if err != nil {
		return err
	}
	for _, g := range due {
		if g.entry.ID, err = nextCreditID(tx); err != nil {
			return err
		}
		if err := putCreditEntry(tx, g.entry); err != nil {
			return err
		}
		if err := granted.Put(g.key, creditKey(g.entry.ExpiresOn, g.entry.ID)); err != nil {
			return err
		}
	}
	*changed = append(*changed, data.Change{Kind: data.ChangeCredit})
	return nil
}

// ensureGrants grants due flexible credit, writing only when some is due,
// so reading a ledger costs no write on an ordinary day.
func (db *DB) ensureGrants(ctx context.Context, action string, childID data.ID) error {
	today := db.Today()
	var due bool
	err := db.view(ctx, func(tx *bolt.Tx) error {
		s, err := readSettings(tx)
		if err != nil {
			return err
		}
		grants, err := dueGrants(tx, childID, today, s)
		due = len(grants) > 0
		return err
	})
	if err != nil || !due {
		return err
	}
	return db.update(withoutWriteKey(ctx), action, func(tx *bolt.Tx, changed *[]data.Change) error {
		return grantFlexibleCredit(tx, childID, today, changed)
	})
}

// childContracts reads, through the child's index, the contracts of the
// child that run on some day from first to last.
func childContracts(tx *bolt.Tx, childID data.ID, first, last data.Date) ([]data.Contract, error) {
	var out []data.Contract
	idx := nested(tx.Bucket(bucketContractsByChild), idKey(childID))
	if idx == nil {
		return out, nil
	}
	from, until := []byte(first.String()), []byte(last.String())
	all := tx.Bucket(bucketContracts)
	err := idx.ForEach(func(k, span []byte) error {
		start, end, _ := bytes.Cut(span, []byte("/"))
		if bytes.Compare(start, until) > 0 || (len(end) > 0 && bytes.Compare(end, from) < 0) {
			return nil
		}
		c, err := getJSON[data.Contract](all, k)
		if err != nil {
			return err
		}
		out = append(out, c)
		return nil
	})
	return out, err
}

// indexContractByChild keeps contracts-by-child in step with putContract.
func indexContractByChild(tx *bolt.Tx, c data.Contract) error {
	idx, err := nestedCreate(tx.Bucket(bucketContractsByChild), idKey(c.ChildID))
	if err != nil {
		return err
	}
	return idx.Put(idKey(c.ID), contractSpan(c))
}
