package data

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// Errors callers check with errors.Is.
var (
	ErrInUse     = errors.New("another copy of Locatiedesk has this data file open")
	ErrNotFound  = errors.New("not found")
	ErrLocked    = errors.New("this date is locked; unlock it first")
	ErrInvalid   = errors.New("invalid input")
	ErrClosedDay = errors.New("the location is closed that day")
	ErrNotEmpty  = errors.New("the data file already holds data")
	ErrTooNew    = errors.New("the data file was written by a newer Locatiedesk")
)

var (
	bucketMeta             = []byte("meta")
	bucketSettings         = []byte("settings")
	bucketLocations        = []byte("locations")
	bucketGroups           = []byte("groups")
	bucketChildren         = []byte("children")
	bucketPictures         = []byte("pictures")
	bucketContracts        = []byte("contracts")
	bucketContractsByGroup = []byte("contracts-by-group")
	bucketSchools          = []byte("schools")
	bucketHolidays         = []byte("holidays")
	bucketClosingDays      = []byte("closing-days")
	bucketExtras           = []byte("extras")
	bucketAttendance       = []byte("attendance")
	bucketUsers            = []byte("users")
	bucketAudit            = []byte("audit")
	bucketConsentHistory   = []byte("consent-history")
	bucketConsentCurrent   = []byte("consent-current")

	keyVersion      = []byte("version")
	keyOrganisation = []byte("organisation")
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
		return putJSON(tx.Bucket(bucketSettings), keyOrganisation, DefaultSettings())
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
}

// SchemaVersion is the version of the bucket tree this build writes.
var SchemaVersion = uint64(len(migrations))

// DB is the Locatiedesk store on one bbolt file.
type DB struct {
	bolt *bolt.DB
	now  func() time.Time
	feed *feed
	// actor is who writes through this handle (see As); nil for the trusted
	// local tools (command line, demo, tests), which act as the system.
	actor *Actor
	// damaged is set once a transaction found a damaged page (guardPages):
	// from then on every call fails with it instead of reading the file again.
	damaged *atomic.Pointer[DamagedError]
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
		return nil, fmt.Errorf("%w at %s: check the path given with --db", ErrNoFile, path)
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
		return nil, fmt.Errorf("%w: %s", ErrInUse, path)
	}
	if errors.Is(err, ErrDamaged) || errors.Is(err, berrors.ErrInvalid) || errors.Is(err, berrors.ErrChecksum) {
		return nil, Damaged(path, err)
	}
	if err != nil {
		return nil, fmt.Errorf("open data file %s: %w", path, err)
	}
	db := &DB{bolt: b, now: time.Now, feed: &feed{}, damaged: &atomic.Pointer[DamagedError]{}}
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
func (db *DB) Today() Date { return DateOf(db.now()) }

// Now is the current time by the store's clock.
func (db *DB) Now() time.Time { return db.now() }

// migrate brings the file to SchemaVersion. A file with data on an older
// schema is first backed up beside it, so a failed or faulty migration never
// costs a location its data.
func (db *DB) migrate() error {
	var version uint64
	if err := db.view(func(tx *bolt.Tx) error {
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
		if err := db.BackupTo(filepath.Join(BackupDir(db.Path()), name)); err != nil {
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
		return fmt.Errorf("%w: schema %d, this build knows up to %d", ErrTooNew, version, SchemaVersion)
	}
	for ; version < SchemaVersion; version++ {
		if err := migrations[version](tx); err != nil {
			return fmt.Errorf("migrate schema %d to %d: %w", version, version+1, err)
		}
	}
	return meta.Put(keyVersion, itob(version))
}

// view runs a read-only transaction.
func (db *DB) view(fn func(tx *bolt.Tx) error) error {
	return db.guard(func() error { return db.bolt.View(fn) })
}

// guard runs a transaction; a damaged page found in it fails this and every
// later call with a DamagedError naming the file and its newest backup.
func (db *DB) guard(tx func() error) error {
	if d := db.damaged.Load(); d != nil {
		return d
	}
	err := guardPages(tx)
	if errors.Is(err, ErrDamaged) {
		d := Damaged(db.Path(), err)
		db.damaged.CompareAndSwap(nil, d)
		return d
	}
	return err
}

// update runs fn in one write transaction, appends one audit entry for it in
// that same transaction (who, when, which action, what changed), and once it
// has committed tells subscribers what changed. Nothing is published or
// logged for a transaction that fails.
func (db *DB) update(fn func(tx *bolt.Tx, changed *[]Change) error) error {
	var changes []Change
	action := writeAction()
	err := db.guard(func() error {
		return db.bolt.Update(func(tx *bolt.Tx) error {
			if err := fn(tx, &changes); err != nil {
				return err
			}
			return appendAudit(tx, db.auditEntry(action, changes))
		})
	})
	if err != nil {
		return err
	}
	for _, c := range changes {
		db.feed.publish(c)
	}
	return nil
}

// ChangeKind says which kind of data a change touched.
type ChangeKind string

// The kinds of change screens listen for.
const (
	ChangeAttendance ChangeKind = "attendance" // a check-in, check-out, absence or note
	ChangePlanning   ChangeKind = "planning"   // contracts, calendar, extras: who is expected
	ChangeCatalog    ChangeKind = "catalog"    // locations, groups, children, settings
	ChangeUnlock     ChangeKind = "unlock"     // a date other than today opened for editing (A3)
	ChangePrint      ChangeKind = "print"      // a sheet printed or saved as PDF
	ChangeSignIn     ChangeKind = "sign-in"    // a sign-in attempt, right or wrong
	ChangeConsent    ChangeKind = "consent"    // a photo-consent answer recorded (C1)
)

// Change tells subscribers what a committed transaction changed. A zero Date
// or GroupID means "any": the change may affect every date or group.
type Change struct {
	Kind    ChangeKind `json:"kind"`
	Date    Date       `json:"date,omitzero"`
	GroupID ID         `json:"groupId,omitempty"`
	// ChildID and Detail are for the audit log: whose data, and what in words.
	ChildID ID     `json:"childId,omitempty"`
	Detail  string `json:"detail,omitempty"`
}

// Affects reports whether a screen showing group on date must redraw.
func (c Change) Affects(group ID, date Date) bool {
	return (c.GroupID == 0 || c.GroupID == group) && (c.Date.IsZero() || c.Date == date)
}

// Subscribe calls fn after every committed change, on the writer's goroutine,
// until cancel is called. fn must not block; a screen hands the work to its own loop.
func (db *DB) Subscribe(fn func(Change)) (cancel func()) { return db.feed.subscribe(fn) }

type feed struct {
	mu   sync.Mutex
	next int
	subs map[int]func(Change)
}

func (f *feed) subscribe(fn func(Change)) func() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.subs == nil {
		f.subs = map[int]func(Change){}
	}
	id := f.next
	f.next++
	f.subs[id] = fn
	return func() {
		f.mu.Lock()
		defer f.mu.Unlock()
		delete(f.subs, id)
	}
}

func (f *feed) publish(c Change) {
	f.mu.Lock()
	subs := make([]func(Change), 0, len(f.subs))
	for _, fn := range f.subs {
		subs = append(subs, fn)
	}
	f.mu.Unlock()
	for _, fn := range subs {
		fn(c)
	}
}

func itob(v uint64) []byte {
	b := make([]byte, 8)
	binary.BigEndian.PutUint64(b, v)
	return b
}

func btoi(b []byte) uint64 { return binary.BigEndian.Uint64(b) }

func idKey(id ID) []byte { return itob(uint64(id)) }

func dateKey(d Date) []byte { return []byte(d.String()) }

func putJSON(b *bolt.Bucket, key []byte, v any) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return b.Put(key, raw)
}

// getJSON decodes the value at key into a fresh T; decoding copies it out of
// the transaction's memory map, so the result outlives the transaction.
// Values read daily are decoded through a memo of their bytes (decoded.go).
func getJSON[T any](b *bolt.Bucket, key []byte) (T, error) {
	var v T
	if b == nil {
		return v, ErrNotFound
	}
	raw := b.Get(key)
	if raw == nil {
		return v, ErrNotFound
	}
	v, err := decodeJSON[T](raw)
	if err != nil {
		return v, fmt.Errorf("decode %s: %w", key, err)
	}
	return v, nil
}

// allJSON decodes every value of bucket b, in key order.
func allJSON[T any](b *bolt.Bucket) ([]T, error) {
	var out []T
	if b == nil {
		return out, nil
	}
	err := b.ForEach(func(k, raw []byte) error {
		if raw == nil { // a nested bucket
			return nil
		}
		v, err := decodeJSON[T](raw)
		if err != nil {
			return fmt.Errorf("decode %x: %w", k, err)
		}
		out = append(out, v)
		return nil
	})
	return out, err
}

// nested returns the bucket at path below root, or nil when any part is missing.
func nested(root *bolt.Bucket, path ...[]byte) *bolt.Bucket {
	b := root
	for _, p := range path {
		if b == nil {
			return nil
		}
		b = b.Bucket(p)
	}
	return b
}

// nestedCreate returns the bucket at path below root, creating what is missing.
func nestedCreate(root *bolt.Bucket, path ...[]byte) (*bolt.Bucket, error) {
	b := root
	for _, p := range path {
		var err error
		if b, err = b.CreateBucketIfNotExists(p); err != nil {
			return nil, err
		}
	}
	return b, nil
}

// invalid wraps a message as ErrInvalid.
func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalid, fmt.Sprintf(format, args...))
}
