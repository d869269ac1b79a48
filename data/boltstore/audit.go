package boltstore

import (
	"context"
	"fmt"

	"locatiedesk/data"

	bolt "go.etcd.io/bbolt"
)

func (db *DB) auditEntry(action string, changes []data.Change) data.AuditEntry {
	return data.NewAuditEntry(db.actor, db.now(), action, changes)
}

// appendAudit logs e under the next sequence number, which is also the
// number of its changes in the feed.
func appendAudit(tx *bolt.Tx, e data.AuditEntry) (uint64, error) {
	b := tx.Bucket(bucketAudit)
	seq, err := b.NextSequence()
	if err != nil {
		return 0, err
	}
	e.Seq = seq
	return seq, putJSON(b, itob(seq), e)
}

// Audit returns log entries matching f, newest first.
func (db *DB) Audit(ctx context.Context, f data.AuditFilter) ([]data.AuditEntry, error) {
	if f.Limit <= 0 {
		f.Limit = 200
	}
	var out []data.AuditEntry
	err := db.view(ctx, func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketAudit).Cursor()
		for k, _ := c.Last(); k != nil && len(out) < f.Limit; k, _ = c.Prev() {
			e, err := getJSON[data.AuditEntry](tx.Bucket(bucketAudit), k)
			if err != nil {
				return fmt.Errorf("audit entry %x: %w", k, err)
			}
			if f.Matches(e) {
				out = append(out, e)
			}
		}
		return nil
	})
	return out, err
}

// As returns a handle on the same store whose writes are made by a, checked
// against a's role (Actor.Can) inside each transaction and logged with a's name.
func (db *DB) As(a data.Actor) data.Store {
	bound := *db
	bound.actor = &a
	return &bound
}

// allow checks, inside a transaction, that the handle's actor may do action
// for a group (groupID != 0) or at a location. The system may do anything.
func (db *DB) allow(tx *bolt.Tx, action data.Action, locationID, groupID data.ID) error {
	if db.actor == nil {
		return nil
	}
	var g data.Group
	if groupID != 0 {
		var err error
		if g, err = getJSON[data.Group](tx.Bucket(bucketGroups), idKey(groupID)); err != nil {
			return fmt.Errorf("group %d: %w", groupID, err)
		}
	}
	return db.actor.Can(action, locationID, g)
}

// allowEverywhere checks that the actor may do action at every location of
// the file, for what covers all of them at once (an export of every
// location, a backup).
func (db *DB) allowEverywhere(tx *bolt.Tx, action data.Action) error {
	if err := db.allowRole(action); err != nil || db.actor == nil {
		return err
	}
	locations, err := allJSON[data.Location](tx.Bucket(bucketLocations))
	if err != nil {
		return err
	}
	ids := make([]data.ID, len(locations))
	for i, l := range locations {
		ids[i] = l.ID
	}
	return db.actor.MayDoEverywhere(action, ids)
}

// allowRole checks only that the actor's role may do action at all, for
// actions that belong to no one location (school calendars, settings).
func (db *DB) allowRole(action data.Action) error {
	if db.actor == nil {
		return nil
	}
	return db.actor.MayDo(action)
}

// LogPrint records in the audit log that a sheet with children's names was
// printed or saved (what says which), as every print and export must be.
func (db *DB) LogPrint(ctx context.Context, what string) error {
	return db.update(ctx, data.AuditPrint, func(_ *bolt.Tx, changed *[]data.Change) error {
		*changed = append(*changed, data.Change{Kind: data.ChangePrint, Detail: what})
		return nil
	})
}
