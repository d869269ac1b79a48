package boltstore

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	"locatiedesk/data"

	bolt "go.etcd.io/bbolt"

	berrors "go.etcd.io/bbolt/errors"
)

// DB is the Locatiedesk store on one bbolt file.
type DB struct {
	bolt *bolt.DB
	now  func() time.Time
	feed *feed
	// actor is who writes through this handle (see As); nil for the trusted
	// local tools (command line, demo, tests), which act as the system.
	actor *data.Actor
	// damaged is set once a transaction found a damaged page (guardPages):
	// from then on every call fails with it instead of reading the file again.
	damaged *atomic.Pointer[data.DamagedError]
}

// Option changes how Open sets up the store.
type Option func(*DB)

// WithClock makes the store read "now" (and so "today") from now; for tests.
func WithClock(now func() time.Time) Option { return func(db *DB) { db.now = now } }

// Open opens (or creates) the data file at path and brings it to the current schema.
// When another copy of the program holds the file, it fails within a second with ErrInUse.
// Only a first start, setting up and the demo create a file: everything
// else opens it with OpenExisting.
func Open(path string, opts ...Option) (*DB, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("create folder for data file: %w", err)
	}
	return open(path, opts)
}

// OpenExisting is Open for a data file that must be there already: a
// mistyped path fails with ErrNoFile instead of creating an empty file.
func OpenExisting(path string, opts ...Option) (*DB, error) {
	info, err := os.Stat(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("%w at %s: check the path given with --db", data.ErrNoFile, path)
	}
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a data file: it is a folder or a device", path)
	}
	return open(path, opts)
}

func open(path string, opts []Option) (*DB, error) {
	cleanPartials(filepath.Dir(path))
	cleanPartials(BackupDir(path))
	if info, err := os.Stat(path); err == nil && info.Size() > 0 {
		if err := checkOpenable(path); errors.Is(err, errNotBolt) {
			return nil, fmt.Errorf("%s is not a Locatiedesk data file", path)
		} else if err != nil {
			return nil, Damaged(path, err)
		}
	}
	var b *bolt.DB
	err := guardPages(func() error {
		var err error
		b, err = bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
		return err
	})
	if errors.Is(err, berrors.ErrTimeout) {
		return nil, fmt.Errorf("%w: %s", data.ErrInUse, path)
	}
	if errors.Is(err, data.ErrDamaged) || errors.Is(err, berrors.ErrInvalid) || errors.Is(err, berrors.ErrChecksum) {
		return nil, Damaged(path, err)
	}
	if err != nil {
		return nil, fmt.Errorf("open data file %s: %w", path, err)
	}
	db := &DB{bolt: b, now: time.Now, feed: &feed{}, damaged: &atomic.Pointer[data.DamagedError]{}}
	for _, o := range opts {
		o(db)
	}
	if err := db.migrate(); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// Close releases the file. On a damaged file a panicked transaction may
// still hold bbolt's lock; Close then gives up after a while rather than hang.
func (db *DB) Close() error {
	if db.damaged.Load() == nil {
		return db.bolt.Close()
	}
	done := make(chan error, 1)
	go func() { done <- db.bolt.Close() }()
	select {
	case err := <-done:
		return err
	case <-time.After(2 * time.Second):
		return db.damaged.Load()
	}
}

// Path is the data file's location.
func (db *DB) Path() string { return db.bolt.Path() }

// Today is the current date by the store's clock.
func (db *DB) Today() data.Date { return data.DateOf(db.now()) }

// Now is the current time by the store's clock.
func (db *DB) Now() time.Time { return db.now() }

// view runs a read-only transaction.
func (db *DB) view(ctx context.Context, fn func(tx *bolt.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return db.guard(func() error { return db.bolt.View(fn) })
}

// guard runs a transaction; a damaged page found in it fails this and every
// later call with a DamagedError naming the file and its newest backup.
func (db *DB) guard(tx func() error) error {
	if d := db.damaged.Load(); d != nil {
		return d
	}
	err := guardPages(tx)
	if errors.Is(err, data.ErrDamaged) {
		d := Damaged(db.Path(), err)
		db.damaged.CompareAndSwap(nil, d)
		return d
	}
	return err
}

// update runs fn in one write transaction, appends one audit entry for it in
// that same transaction (who, when, action, what changed), and once it
// has committed tells subscribers what changed. Nothing is published or
// logged for a transaction that fails. A write whose key (data.WriteKey)
// names one applied before runs nothing and fails with ErrAlreadyApplied.
func (db *DB) update(ctx context.Context, action string, fn func(tx *bolt.Tx, changed *[]data.Change) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	key, _ := data.WriteKey(ctx)
	// Writers publish in the order they commit, so a subscriber sees
	// sequence numbers rising (bbolt already runs one writer at a time).
	db.feed.publishing.Lock()
	defer db.feed.publishing.Unlock()
	var changes []data.Change
	var seq uint64
	err := db.guard(func() error {
		return db.bolt.Update(func(tx *bolt.Tx) error {
			if err := checkWriteKey(tx, key); err != nil {
				return err
			}
			if err := fn(tx, &changes); err != nil {
				return err
			}
			e := db.auditEntry(action, changes)
			var err error
			if seq, err = appendAudit(tx, e); err != nil {
				return err
			}
			return recordWriteKey(tx, key, seq, e.At)
		})
	})
	if err != nil {
		return err
	}
	db.feed.Publish(seq, changes)
	return nil
}
