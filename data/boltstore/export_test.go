package boltstore

import (
	"context"

	"locatiedesk/data"

	bolt "go.etcd.io/bbolt"
)

// Bolt hands the store's bbolt handle to benchmarks that measure a bare
// bbolt transaction on the same file, alternating with the store's own.
func (db *DB) Bolt() *bolt.DB { return db.bolt }

// ChildRow is readChildRow in a read transaction of its own, for the test
// that holds it to the rows of the whole list.
func (db *DB) ChildRow(groupID, childID data.ID, d data.Date) (row data.DayRow, listed, closed bool, err error) {
	err = db.view(context.Background(), func(tx *bolt.Tx) error {
		cr, err := readChildRow(tx, groupID, childID, d)
		row, listed, closed = cr.row, cr.listed, cr.closed
		return err
	})
	return row, listed, closed, err
}
