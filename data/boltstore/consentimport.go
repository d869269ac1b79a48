package boltstore

import (
	"cmp"
	"context"
	"io"
	"slices"
	"strings"

	"locatiedesk/data"

	bolt "go.etcd.io/bbolt"
)

// ImportConsent reads a consent file as a parent portal exports it and
// records every answer as coming from the parent app, in one transaction: when
// any line is wrong it returns an *ImportError listing them all, and stores nothing.
func (db *DB) ImportConsent(ctx context.Context, r io.Reader, by, note string) (data.ConsentImportResult, error) {
	var result data.ConsentImportResult
	now := db.now()
	today := data.DateOf(now)
	if strings.TrimSpace(by) == "" {
		return result, data.Refuse(data.RefuseConsentNoImporter, nil)
	}
	lines, problems := data.ParseConsentCSV(r)
	err := db.update(ctx, data.AuditImportConsent, func(tx *bolt.Tx, changed *[]data.Change) error {
		children, err := allJSON[data.Child](tx.Bucket(bucketChildren))
		if err != nil {
			return err
		}
		changes, matchProblems := data.MatchConsentLines(lines, children, by, note, now)
		locationOf := make(map[data.ID]data.ID, len(children))
		for _, c := range children {
			locationOf[c.ID] = c.LocationID
		}
		for _, c := range changes {
			if location, ok := locationOf[c.ChildID]; ok {
				if err := db.allow(tx, data.ActConsent, location, 0); err != nil {
					return err
				}
			}
		}
		if problems := append(slices.Clone(problems), matchProblems...); len(problems) > 0 {
			slices.SortStableFunc(problems, func(a, b data.LineError) int { return cmp.Compare(a.Line, b.Line) })
			return &data.ImportError{Lines: problems}
		}
		for _, c := range changes {
			history, err := allJSON[data.ConsentChange](nested(tx.Bucket(bucketConsentHistory), idKey(c.ChildID)))
			if err != nil {
				return err
			}
			if data.ConsentRecorded(history, c) {
				result.Unchanged++
				continue
			}
			if err := c.Validate(today); err != nil {
				return err
			}
			if err := appendConsent(tx, c); err != nil {
				return err
			}
			result.Imported++
		}
		if result.Imported > 0 {
			*changed = append(*changed, data.Change{Kind: data.ChangeConsent})
		}
		return nil
	})
	if err != nil {
		return data.ConsentImportResult{}, err
	}
	return result, nil
}
