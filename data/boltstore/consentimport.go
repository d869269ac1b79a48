package boltstore

import (
	"context"
	"io"
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
		for _, location := range data.ConsentImportLocations(changes, children) {
			if err := db.allow(tx, data.ActConsent, location, 0); err != nil {
				return err
			}
		}
		if err := data.ConsentImportProblems(problems, matchProblems); err != nil {
			return err
		}
		histories := map[data.ID][]data.ConsentChange{}
		for _, c := range changes {
			if _, read := histories[c.ChildID]; !read {
				if histories[c.ChildID], err = allJSON[data.ConsentChange](nested(tx.Bucket(bucketConsentHistory), idKey(c.ChildID))); err != nil {
					return err
				}
			}
		}
		if result, err = data.RecordConsentImport(changes, histories, today, func(c data.ConsentChange) error {
			return appendConsent(tx, c)
		}); err != nil {
			return err
		}
		*changed = append(*changed, result.Changes()...)
		return nil
	})
	if err != nil {
		return data.ConsentImportResult{}, err
	}
	return result, nil
}
