package boltstore

import (
	"context"
	"encoding/binary"
	"fmt"
	"path/filepath"

	"locatiedesk/data"

	bolt "go.etcd.io/bbolt"
)

// migrations bring a file up to the current schema, in order; migrations[i]
// takes a file from version i to i+1. Append only: never edit a released one.
var migrations = []func(tx *bolt.Tx) error{
	func(tx *bolt.Tx) error { // 0 → 1: the initial bucket tree
		for _, name := range [][]byte{bucketSettings, bucketLocations, bucketGroups, bucketChildren,
			bucketPictures, bucketContracts, bucketContractsByGroup, bucketSchools, bucketHolidays,
			bucketClosingDays, bucketExtras, bucketAttendance} {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return err
			}
		}
		return putJSON(tx.Bucket(bucketSettings), keyOrganisation, data.DefaultSettings())
	},
	func(tx *bolt.Tx) error { // 1 → 2: study days and their sign-ups (S1)
		for _, name := range [][]byte{bucketStudyDays, bucketSignUps, bucketSignUpsByDate} {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return err
			}
		}
		return nil
	},
	func(tx *bolt.Tx) error { // 2 → 3: people who sign in, and the audit log
		for _, name := range [][]byte{bucketUsers, bucketAudit} {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return err
			}
		}
		return nil
	},
	func(tx *bolt.Tx) error { // 3 → 4: photo consent (C1): append-only history and the current level per child
		for _, name := range [][]byte{bucketConsentHistory, bucketConsentCurrent} {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return err
			}
		}
		return nil
	},
	migrateRequests, // 4 → 5: credit ledger and extra-care requests
	// 5 → 6: one child's attendance records without reading every date (AVG export and purge)
	migrateAttendanceByChild,
	// 6 → 7: export batches and the exported index (F1)
	migrateInvoicing,
	// 7 → 8: a location's children without reading the others
	migrateChildrenByLocation,
	// 8 → 9: children by their planning-system number, for re-imports (M1)
	migrateChildrenByNumber,
	func(tx *bolt.Tx) error { // 9 → 10: paired devices and their pairing codes (the hub)
		for _, name := range [][]byte{bucketDevices, bucketPairingCodes} {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return err
			}
		}
		return nil
	},
	func(tx *bolt.Tx) error { // 10 → 11: the keys of applied writes, so a retry after a hub crash applies nothing twice
		for _, name := range [][]byte{bucketWriteKeys, bucketWriteKeysBySeq} {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return err
			}
		}
		return nil
	},
}

// SchemaVersion is the version of the bucket tree this build writes.
var SchemaVersion = uint64(len(migrations))

// migrate brings the file to SchemaVersion. A file with data on an older
// schema is first backed up beside it, so a failed or faulty migration never
// costs a location its data.
func (db *DB) migrate() error {
	ctx := context.Background() // opening a local file is not cancelled
	var version uint64
	if err := db.view(ctx, func(tx *bolt.Tx) error {
		if meta := tx.Bucket(bucketMeta); meta != nil && meta.Get(keyVersion) != nil {
			version = btoi(meta.Get(keyVersion))
		}
		return nil
	}); err != nil {
		return err
	}
	if version == SchemaVersion {
		return nil // nothing to write: opening a current file costs no disk sync
	}
	if version > 0 && version < SchemaVersion {
		name := fmt.Sprintf("%sbefore-schema-%d-%s.db", backupPrefix, SchemaVersion, db.now().Format("20060102-150405"))
		if err := db.BackupTo(ctx, filepath.Join(BackupDir(db.Path()), name)); err != nil {
			return fmt.Errorf("back up before upgrading the data file: %w", err)
		}
	}
	return db.guard(func() error { return db.bolt.Update(func(tx *bolt.Tx) error { return migrateTx(tx) }) })
}

// migrateTx applies the migrations a file lacks, in one transaction.
func migrateTx(tx *bolt.Tx) error {
	meta, err := tx.CreateBucketIfNotExists(bucketMeta)
	if err != nil {
		return err
	}
	var version uint64
	if v := meta.Get(keyVersion); v != nil {
		version = binary.BigEndian.Uint64(v)
	}
	if version > SchemaVersion {
		return fmt.Errorf("%w: schema %d, this build knows up to %d", data.ErrTooNew, version, SchemaVersion)
	}
	for ; version < SchemaVersion; version++ {
		if err := migrations[version](tx); err != nil {
			return fmt.Errorf("migrate schema %d to %d: %w", version, version+1, err)
		}
	}
	return meta.Put(keyVersion, itob(version))
}
