package boltstore

import (
	"context"
	"fmt"

	"locatiedesk/data"

	bolt "go.etcd.io/bbolt"
)

// AddContract stores a new contract for a child in a group of the child's
// location, refused when it collides with another of the child's contracts.
func (db *DB) AddContract(ctx context.Context, c data.Contract) (data.Contract, error) {
	err := db.update(ctx, data.AuditAddContract, func(tx *bolt.Tx, changed *[]data.Change) error {
		if c.ID != 0 {
			return data.Invalid("a new contract has no ID yet")
		}
		if err := db.checkContract(tx, c, 0); err != nil {
			return err
		}
		var err error
		if c.ID, err = nextContractID(tx); err != nil {
			return err
		}
		*changed = append(*changed, data.Change{Kind: data.ChangePlanning, GroupID: c.GroupID, ChildID: c.ChildID,
			Detail: fmt.Sprintf("contract %s from %s added", c.Product, c.Start)})
		return putContract(tx, c)
	})
	if err != nil {
		return data.Contract{}, err
	}
	return c, nil
}

// ChangeContract makes a new version of a contract from a day on (M2): the
// version in force ends the day before, next starts on from, so history,
// credit and invoicing keep following what was agreed on each day. A
// change from the contract's first day replaces it, as no day followed it yet.
func (db *DB) ChangeContract(ctx context.Context, contractID data.ID, from data.Date, next data.Contract) (data.Contract, error) {
	err := db.update(ctx, data.AuditChangeContract, func(tx *bolt.Tx, changed *[]data.Change) error {
		old, err := getJSON[data.Contract](tx.Bucket(bucketContracts), idKey(contractID))
		if err != nil {
			return fmt.Errorf("contract %d: %w", contractID, err)
		}
		next, err = db.changeContract(tx, old, from, next, changed)
		return err
	})
	if err != nil {
		return data.Contract{}, err
	}
	return next, nil
}

// changeContract is ChangeContract inside a transaction; MoveChild and the
// import share it.
func (db *DB) changeContract(tx *bolt.Tx, old data.Contract, from data.Date, next data.Contract, changed *[]data.Change) (data.Contract, error) {
	if !old.Runs(from) {
		return next, data.Refuse(data.RefuseContractNotRunning, data.Args{"Date": from})
	}
	next.ChildID, next.Start = old.ChildID, from
	if err := db.allow(tx, data.ActContracts, 0, old.GroupID); err != nil {
		return next, err
	}
	if from == old.Start {
		next.ID, next.Continues = old.ID, old.Continues
		if err := db.checkContract(tx, next, old.ID); err != nil {
			return next, err
		}
		*changed = append(*changed, data.Change{Kind: data.ChangePlanning, GroupID: old.GroupID, ChildID: old.ChildID,
			Detail: fmt.Sprintf("contract %d changed from its start %s", old.ID, from)},
			data.Change{Kind: data.ChangePlanning, GroupID: next.GroupID})
		return next, replaceContract(tx, old, next)
	}
	next.ID, next.Continues = 0, old.ID
	if err := db.checkContract(tx, next, old.ID); err != nil {
		return next, err
	}
	ended := old
	ended.End = from.AddDays(-1)
	if err := replaceContract(tx, old, ended); err != nil {
		return next, err
	}
	var err error
	if next.ID, err = nextContractID(tx); err != nil {
		return next, err
	}
	*changed = append(*changed, data.Change{Kind: data.ChangePlanning, GroupID: old.GroupID, ChildID: old.ChildID,
		Detail: fmt.Sprintf("contract %d: a new version %d from %s", old.ID, next.ID, from)},
		data.Change{Kind: data.ChangePlanning, GroupID: next.GroupID})
	return next, putContract(tx, next)
}

// checkContract checks c against its group, its child's location and the
// actor's role, and against the child's other contracts but the one with ID
// replacing (0 for none).
func (db *DB) checkContract(tx *bolt.Tx, c data.Contract, replacing data.ID) error {
	child, err := getJSON[data.Child](tx.Bucket(bucketChildren), idKey(c.ChildID))
	if err != nil {
		return data.Invalid("contract for unknown child %d", c.ChildID)
	}
	g, err := getJSON[data.Group](tx.Bucket(bucketGroups), idKey(c.GroupID))
	if err != nil {
		return data.Invalid("contract for unknown group %d", c.GroupID)
	}
	if err := db.allow(tx, data.ActContracts, 0, g.ID); err != nil {
		return err
	}
	others, err := childContracts(tx, c.ChildID, data.Date{}, data.MaxDate)
	if err != nil {
		return err
	}
	return data.CheckContract(c, child, g, others, replacing)
}

func nextContractID(tx *bolt.Tx) (data.ID, error) {
	seq, err := tx.Bucket(bucketContracts).NextSequence()
	return data.ID(seq), err
}

// replaceContract stores next in place of old (same ID), moving its entry
// in contracts-by-group when the group changed.
func replaceContract(tx *bolt.Tx, old, next data.Contract) error {
	if old.GroupID != next.GroupID {
		if idx := nested(tx.Bucket(bucketContractsByGroup), idKey(old.GroupID)); idx != nil {
			if err := idx.Delete(idKey(old.ID)); err != nil {
				return err
			}
		}
	}
	return putContract(tx, next)
}

// deleteContract removes a contract that never ran a day, with its index entries.
func deleteContract(tx *bolt.Tx, c data.Contract) error {
	for _, idx := range []*bolt.Bucket{
		nested(tx.Bucket(bucketContractsByGroup), idKey(c.GroupID)),
		nested(tx.Bucket(bucketContractsByChild), idKey(c.ChildID)),
	} {
		if idx != nil {
			if err := idx.Delete(idKey(c.ID)); err != nil {
				return err
			}
		}
	}
	return tx.Bucket(bucketContracts).Delete(idKey(c.ID))
}

// MoveChild moves a child to another group from a day on: every contract
// running that day or starting later gets a new version in that group
// (ChangeContract), so the lists before that day stay as they were. A move
// to a group of another location moves the child to that location.
func (db *DB) MoveChild(ctx context.Context, childID, toGroupID data.ID, from data.Date) error {
	return db.update(ctx, data.AuditMoveChild, func(tx *bolt.Tx, changed *[]data.Change) error {
		child, err := getJSON[data.Child](tx.Bucket(bucketChildren), idKey(childID))
		if err != nil {
			return fmt.Errorf("child %d: %w", childID, err)
		}
		to, err := getJSON[data.Group](tx.Bucket(bucketGroups), idKey(toGroupID))
		if err != nil {
			return fmt.Errorf("group %d: %w", toGroupID, err)
		}
		if err := db.allow(tx, data.ActContracts, child.LocationID, 0); err != nil {
			return err
		}
		contracts, err := childContracts(tx, childID, from, data.MaxDate)
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
			if err := putChild(tx, moved, child); err != nil {
				return err
			}
			*changed = append(*changed, data.Change{Kind: data.ChangeCatalog, ChildID: childID})
		}
		for _, m := range moves {
			next := m.Contract
			next.GroupID = toGroupID
			if _, err := db.changeContract(tx, m.Contract, m.From, next, changed); err != nil {
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
	return db.update(ctx, data.AuditEndCare, func(tx *bolt.Tx, changed *[]data.Change) error {
		child, err := getJSON[data.Child](tx.Bucket(bucketChildren), idKey(childID))
		if err != nil {
			return fmt.Errorf("child %d: %w", childID, err)
		}
		if err := db.allow(tx, data.ActContracts, child.LocationID, 0); err != nil {
			return err
		}
		after, err := childContracts(tx, childID, lastDay.AddDays(1), data.MaxDate)
		if err != nil {
			return err
		}
		ended, removed, err := data.PlanEndCare(child, after, lastDay)
		if err != nil {
			return err
		}
		for _, c := range after {
			if err := db.allow(tx, data.ActContracts, 0, c.GroupID); err != nil {
				return err
			}
			*changed = append(*changed, data.Change{Kind: data.ChangePlanning, GroupID: c.GroupID})
		}
		for _, c := range removed {
			if err := deleteContract(tx, c); err != nil {
				return err
			}
		}
		for _, c := range ended {
			if err := putContract(tx, c); err != nil {
				return err
			}
		}
		*changed = append(*changed, data.Change{Kind: data.ChangeConsent, ChildID: childID},
			data.Change{Kind: data.ChangeCatalog, ChildID: childID, Detail: fmt.Sprintf("care of %s ends after %s", child.Name(), lastDay)})
		return nil
	})
}
