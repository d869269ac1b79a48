package boltstore

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"locatiedesk/data"

	bolt "go.etcd.io/bbolt"
)

// The names of the buckets and of the fixed keys, and the helpers that make
// keys and walk to nested buckets: all in one place. doc.go draws the tree.
var (
	bucketMeta               = []byte("meta")
	bucketSettings           = []byte("settings")
	bucketLocations          = []byte("locations")
	bucketGroups             = []byte("groups")
	bucketChildren           = []byte("children")
	bucketPictures           = []byte("pictures")
	bucketContracts          = []byte("contracts")
	bucketContractsByGroup   = []byte("contracts-by-group")
	bucketSchools            = []byte("schools")
	bucketHolidays           = []byte("holidays")
	bucketClosingDays        = []byte("closing-days")
	bucketExtras             = []byte("extras")
	bucketAttendance         = []byte("attendance")
	bucketStudyDays          = []byte("study-days")
	bucketSignUps            = []byte("signups")
	bucketSignUpsByDate      = []byte("signups-by-date")
	bucketUsers              = []byte("users")
	bucketAudit              = []byte("audit")
	bucketConsentHistory     = []byte("consent-history")
	bucketConsentCurrent     = []byte("consent-current")
	bucketContractsByChild   = []byte("contracts-by-child")
	bucketCredit             = []byte("credit")
	bucketCreditGrants       = []byte("credit-grants")
	bucketRequests           = []byte("requests")
	bucketRequestsOpen       = []byte("requests-open")
	bucketRequestsByChild    = []byte("requests-by-child")
	bucketAttendanceByChild  = []byte("attendance-by-child")
	bucketExportBatches      = []byte("export-batches")
	bucketExportLines        = []byte("export-lines")
	bucketExported           = []byte("exported")
	bucketChildrenByLocation = []byte("children-by-location")
	bucketChildrenByNumber   = []byte("children-by-number")
	bucketDevices            = []byte("devices")
	bucketPairingCodes       = []byte("pairing-codes")
	bucketWriteKeys          = []byte("write-keys")
	bucketWriteKeysBySeq     = []byte("write-keys-by-seq")
)

// Fixed keys: in meta, and in settings.
var (
	keyVersion          = []byte("version")         // meta: the schema version
	keyCompactPending   = []byte("compact-pending") // meta: a purge's removed data may sit in free pages until compacted
	keyUnfinished       = []byte("unfinished")      // meta: the work that has not finished filling the store (Dataset.Unfinished)
	keyOrganisation     = []byte("organisation")    // settings: the Settings
	keyOrganisationName = []byte("name")            // settings: the organisation's name
)

func itob(v uint64) []byte {
	b := make([]byte, 8)
	binary.BigEndian.PutUint64(b, v)
	return b
}

func btoi(b []byte) uint64 { return binary.BigEndian.Uint64(b) }

func idKey(id data.ID) []byte { return itob(uint64(id)) }

func dateKey(d data.Date) []byte { return []byte(d.String()) }

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
	if b == nil {
		var v T
		return v, data.ErrNotFound
	}
	return decodeAt[T](b.Get(key), key)
}

// readJSON is getJSON through a pointReader.
func readJSON[T any](r pointReader, key []byte) (T, error) {
	return decodeAt[T](r.Get(key), key)
}

func decodeAt[T any](raw, key []byte) (T, error) {
	var v T
	if raw == nil {
		return v, data.ErrNotFound
	}
	v, err := decodeJSON[T](raw)
	if err != nil {
		return v, fmt.Errorf("decode %s: %w", key, err)
	}
	return v, nil
}

// pointReader reads many single keys of one bucket through one cursor.
// Bucket.Get makes a new cursor for every key and allocates its path
// through the B+tree afresh; a list's contracts and children read that way
// spent a quarter of their time allocating. Use it within one function of
// one transaction, with no writes to the bucket in between. A nil bucket
// has no keys.
type pointReader struct{ c *bolt.Cursor }

func newPointReader(b *bolt.Bucket) pointReader {
	if b == nil {
		return pointReader{}
	}
	return pointReader{b.Cursor()}
}

// Get returns the value at key, or nil if there is none or it is a nested
// bucket, as Bucket.Get does.
func (r pointReader) Get(key []byte) []byte {
	if r.c == nil {
		return nil
	}
	k, v := r.c.Seek(key)
	if v == nil || !bytes.Equal(k, key) {
		return nil
	}
	return v
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
