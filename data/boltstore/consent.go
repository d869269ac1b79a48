package boltstore

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	"locatiedesk/data"

	bolt "go.etcd.io/bbolt"
)

// RecordConsent appends an answer to the child's history and makes it the
// current one if it is the latest (C1), in one transaction. RecordedAt is set
// by the store's clock.
func (db *DB) RecordConsent(ctx context.Context, c data.ConsentChange) error {
	c.RecordedAt = db.now()
	c.Note = strings.TrimSpace(c.Note)
	if err := c.Validate(data.DateOf(c.RecordedAt)); err != nil {
		return err
	}
	return db.update(ctx, data.AuditRecordConsent, func(tx *bolt.Tx, changed *[]data.Change) error {
		child, err := getJSON[data.Child](tx.Bucket(bucketChildren), idKey(c.ChildID))
		if err != nil {
			return fmt.Errorf("child %d: %w", c.ChildID, err)
		}
		if err := db.allow(tx, data.ActConsent, child.LocationID, 0); err != nil {
			return err
		}
		*changed = append(*changed, data.Change{Kind: data.ChangeConsent, ChildID: c.ChildID,
			Detail: fmt.Sprintf("%s from %s", c.Level, c.Source)})
		return appendConsent(tx, c)
	})
}

// appendConsent stores c as the child's next change and updates the current
// level; the caller has validated c and checked that the child exists.
func appendConsent(tx *bolt.Tx, c data.ConsentChange) error {
	history, err := nestedCreate(tx.Bucket(bucketConsentHistory), idKey(c.ChildID))
	if err != nil {
		return err
	}
	if c.Seq, err = history.NextSequence(); err != nil {
		return err
	}
	if err := putJSON(history, itob(c.Seq), c); err != nil {
		return err
	}
	current := tx.Bucket(bucketConsentCurrent)
	if cur, ok := readCurrentConsent(current, c.ChildID); ok && !c.Supersedes(cur) {
		return nil
	}
	return current.Put(idKey(c.ChildID), []byte(c.Given.String()+"/"+string(c.Level)))
}

// readCurrentConsent reads the index value "given/level" of consent-current:
// a fixed short text, so the attendance list reads it without decoding JSON.
func readCurrentConsent(current *bolt.Bucket, childID data.ID) (data.ConsentChange, bool) {
	if current == nil {
		return data.ConsentChange{}, false
	}
	raw := current.Get(idKey(childID))
	given, level, ok := strings.Cut(string(raw), "/")
	if !ok {
		return data.ConsentChange{}, false
	}
	d, err := data.ParseDate(given)
	if err != nil {
		return data.ConsentChange{}, false
	}
	return data.ConsentChange{ChildID: childID, Given: d, Level: data.ConsentLevel(level)}, true
}

// currentLevel is the child's consent level for the attendance list; it
// compares the stored bytes with the known levels, so it allocates nothing.
func currentLevel(current *bolt.Bucket, childID data.ID) data.ConsentLevel {
	if current != nil {
		if _, level, ok := bytes.Cut(current.Get(idKey(childID)), []byte("/")); ok {
			for _, l := range data.ConsentAnswers {
				if string(level) == string(l) {
					return l
				}
			}
		}
	}
	return data.ConsentNotAnswered
}

// Consent returns a child's consent and its history, for the child's card.
func (db *DB) Consent(ctx context.Context, childID data.ID) (data.ChildConsent, error) {
	var out data.ChildConsent
	today := db.Today()
	err := db.view(ctx, func(tx *bolt.Tx) error {
		var err error
		if out.Child, err = db.readChildFor(tx, childID); err != nil {
			return err
		}
		if out.History, err = allJSON[data.ConsentChange](nested(tx.Bucket(bucketConsentHistory), idKey(childID))); err != nil {
			return err
		}
		contracts, err := childContracts(tx, childID, data.Date{}, data.MaxDate)
		if err != nil {
			return err
		}
		out.ConsentStatus = data.ConsentStatusOf(out.History, contracts, today)
		return nil
	})
	return out, err
}

// ConsentOverview lists the consent of every child in a group today (groupID
// not 0), or of every child of a location, also those whose care has ended
// (groupID 0), sorted by name (C2).
func (db *DB) ConsentOverview(ctx context.Context, locationID, groupID data.ID) ([]data.ConsentRow, error) {
	today := db.Today()
	var rows []data.ConsentRow
	err := db.view(ctx, func(tx *bolt.Tx) error {
		current := tx.Bucket(bucketConsentCurrent)
		status := func(childID data.ID) data.ConsentStatus {
			s := data.ConsentStatus{Level: data.ConsentNotAnswered}
			if cur, ok := readCurrentConsent(current, childID); ok {
				s.Level, s.Since = cur.Level, cur.Given
			}
			return s
		}
		if groupID != 0 {
			group, err := getJSON[data.Group](tx.Bucket(bucketGroups), idKey(groupID))
			if err != nil {
				return fmt.Errorf("group %d: %w", groupID, err)
			}
			contracts, err := groupContracts(tx, groupID, today)
			if err != nil {
				return err
			}
			seen := map[data.ID]bool{}
			for _, c := range contracts {
				if seen[c.ChildID] || !c.Runs(today) {
					continue
				}
				seen[c.ChildID] = true
				child, err := getJSON[data.Child](tx.Bucket(bucketChildren), idKey(c.ChildID))
				if err != nil {
					return fmt.Errorf("child %d: %w", c.ChildID, err)
				}
				rows = append(rows, data.ConsentRow{Child: child, Group: group, ConsentStatus: status(c.ChildID)})
			}
			return nil
		}
		groups := map[data.ID]data.Group{}
		all, err := allJSON[data.Group](tx.Bucket(bucketGroups))
		if err != nil {
			return err
		}
		for _, g := range all {
			groups[g.ID] = g
		}
		children, err := locationChildren(tx, locationID)
		if err != nil {
			return err
		}
		for _, child := range children {
			// A child whose personal data are removed has no consent left to show.
			if !child.RemovedOn.IsZero() {
				continue
			}
			contracts, err := childContracts(tx, child.ID, data.Date{}, data.MaxDate)
			if err != nil {
				return err
			}
			row := data.ConsentRow{Child: child, ConsentStatus: status(child.ID)}
			row.EndedOn, _ = data.ConsentEnded(contracts, today)
			if c, ok := mainContract(contracts, today); ok {
				row.Group = groups[c.GroupID]
			}
			rows = append(rows, row)
		}
		return nil
	})
	data.SortByName(rows, func(r data.ConsentRow) data.Child { return r.Child })
	return rows, err
}

// mainContract picks the contract that places a child in a group: one that
// runs today, else the one that starts last (a coming one, or the last ended).
func mainContract(contracts []data.Contract, today data.Date) (data.Contract, bool) {
	var best data.Contract
	found := false
	for _, c := range contracts {
		switch {
		case c.Runs(today):
			return c, true
		case !found || c.Start.After(best.Start):
			best, found = c, true
		}
	}
	return best, found
}
