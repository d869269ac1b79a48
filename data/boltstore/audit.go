package boltstore

import (
	"context"
	"fmt"
	"strings"

	"locatiedesk/data"

	bolt "go.etcd.io/bbolt"
)

func (db *DB) auditEntry(action string, changes []data.Change) data.AuditEntry {
	e := data.AuditEntry{At: db.now(), Who: data.SystemName, Action: action, Changes: changes}
	if db.actor != nil {
		e.Device = db.actor.Device
		// An actor of a device alone (a sign-in on a paired tablet, before
		// anyone is signed in) writes as the system, from that device.
		if db.actor.Name != "" {
			e.UserID, e.Who = db.actor.UserID, db.actor.Name
		}
	}
	for _, c := range changes {
		if c.Detail != "" {
			e.Detail = strings.TrimPrefix(e.Detail+"; "+c.Detail, "; ")
		}
	}
	return e
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
	for _, l := range locations {
		if err := db.allow(tx, action, l.ID, 0); err != nil {
			return err
		}
	}
	return nil
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
