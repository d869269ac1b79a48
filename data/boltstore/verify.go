package boltstore

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"image"

	"locatiedesk/data"

	_ "image/jpeg"

	// children's pictures are PNG or JPEG
	_ "image/png"
	"os"
	"strings"
	"time"
	"unicode/utf8"

	bolt "go.etcd.io/bbolt"

	berrors "go.etcd.io/bbolt/errors"
)

// VerifyFile checks that the file at path is a Locatiedesk data file this
// build can read, and that nothing in it is damaged: its page structure
// (walkPages, before bbolt touches it), every record decoded as its type
// (decodeAll), then bbolt's own consistency check. Damage is reported as
// ErrNotABackup and ErrDamaged, never as a panic.
func VerifyFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	if info, err := f.Stat(); err == nil && !info.Mode().IsRegular() {
		f.Close()
		return fmt.Errorf("%w: %s is a folder or a device, not a data file", data.ErrNotABackup, path)
	}
	err = walkPages(f)
	f.Close()
	if err != nil {
		return damagedFile(path, err)
	}
	var b *bolt.DB
	err = guardPages(func() error {
		var err error
		b, err = bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
		return err
	})
	if errors.Is(err, berrors.ErrTimeout) {
		return fmt.Errorf("%w: %s", data.ErrInUse, path)
	}
	if err != nil {
		return damagedFile(path, err)
	}
	defer b.Close()
	return guardPages(func() error {
		return b.View(func(tx *bolt.Tx) error {
			meta := tx.Bucket(bucketMeta)
			if meta == nil || len(meta.Get(keyVersion)) != 8 {
				return fmt.Errorf("%w: %s has no Locatiedesk schema", data.ErrNotABackup, path)
			}
			if v := btoi(meta.Get(keyVersion)); v > SchemaVersion {
				return fmt.Errorf("%w: %s has schema %d, this build knows up to %d", data.ErrTooNew, path, v, SchemaVersion)
			} else if v < SchemaVersion {
				return nil // its records are the older schema's; opening it migrates them
			}
			if err := decodeAll(tx); err != nil {
				return damagedFile(path, err)
			}
			if err := checkIndexes(tx); err != nil {
				return damagedFile(path, err)
			}
			return checkTx(tx, path)
		})
	})
}

// fileDamage is what VerifyFile found damaged in a file.
type fileDamage struct {
	path   string
	detail error
}

func (e *fileDamage) Error() string {
	return fmt.Sprintf("%v: %s is damaged: %v", data.ErrNotABackup, e.path, e.detail)
}

func (e *fileDamage) Unwrap() []error { return []error{data.ErrNotABackup, data.ErrDamaged} }

func damagedFile(path string, err error) error {
	if errors.Is(err, errNotBolt) {
		return fmt.Errorf("%w: %s is not a Locatiedesk data file", data.ErrNotABackup, path)
	}
	return &fileDamage{path: path, detail: err}
}

func checkTx(tx *bolt.Tx, path string) error {
	var problems []string
	for err := range tx.Check() {
		problems = append(problems, err.Error())
	}
	if len(problems) > 0 {
		return damagedFile(path, errors.New(strings.Join(problems, "; ")))
	}
	return nil
}

// A record checks one stored key and value.
type record func(k, v []byte) error

// bucketShape says what a top-level bucket holds: levels of nested buckets
// keyed by ID or date, then records.
type bucketShape struct {
	nested []record // checks of the keys of each nested level
	record record
}

// schema is the bucket tree of doc.go: every top-level bucket and the type
// of its records.
var schema = map[string]bucketShape{
	"meta":                 {record: metaRecord},
	"settings":             {record: settingsRecord},
	"locations":            {record: idRecord(ownID(jsonRecord[data.Location]))},
	"groups":               {record: idRecord(ownID(jsonRecord[data.Group]))},
	"children":             {record: idRecord(ownID(jsonRecord[data.Child]))},
	"pictures":             {record: idRecord(pictureRecord)},
	"contracts":            {record: idRecord(ownID(jsonRecord[data.Contract]))},
	"contracts-by-group":   {nested: []record{idKeyOnly}, record: idRecord(spanRecord)},
	"schools":              {record: idRecord(ownID(jsonRecord[data.School]))},
	"holidays":             {nested: []record{idKeyOnly}, record: dateIDRecord(ownID(jsonRecord[data.SchoolHoliday]))},
	"closing-days":         {record: dateRecord(jsonRecord[data.ClosingDay])},
	"extras":               {nested: []record{dateKeyOnly, idKeyOnly}, record: idRecord(jsonRecord[data.Extra])},
	"attendance":           {nested: []record{dateKeyOnly, idKeyOnly}, record: idRecord(jsonRecord[data.Attendance])},
	"study-days":           {nested: []record{idKeyOnly}, record: dateRecord(jsonRecord[data.StudyDay])},
	"signups":              {record: idRecord(ownID(jsonRecord[data.SignUp]))},
	"signups-by-date":      {nested: []record{dateKeyOnly}, record: idRecord(emptyRecord)},
	"users":                {record: idRecord(ownID(jsonRecord[data.User]))},
	"audit":                {record: idRecord(jsonRecord[data.AuditEntry])},
	"consent-history":      {nested: []record{idKeyOnly}, record: idRecord(jsonRecord[data.ConsentChange])},
	"consent-current":      {record: idRecord(consentCurrentRecord)},
	"contracts-by-child":   {nested: []record{idKeyOnly}, record: idRecord(spanRecord)},
	"credit":               {nested: []record{idKeyOnly}, record: dateIDRecord(ownID(jsonRecord[data.CreditEntry]))},
	"credit-grants":        {nested: []record{idKeyOnly}, record: creditGrantRecord},
	"requests":             {record: idRecord(ownID(jsonRecord[data.Request]))},
	"requests-open":        {nested: []record{idKeyOnly}, record: dateIDRecord(emptyRecord)},
	"requests-by-child":    {nested: []record{idKeyOnly}, record: dateIDRecord(statusRecord)},
	"attendance-by-child":  {nested: []record{idKeyOnly}, record: dateIDRecord(emptyRecord)},
	"export-batches":       {record: idRecord(ownID(jsonRecord[data.InvoiceBatch]))},
	"export-lines":         {nested: []record{idKeyOnly}, record: idRecord(jsonRecord[data.InvoiceLine])},
	"exported":             {nested: []record{sourceKey}, record: idRecord(jsonRecord[data.InvoiceLine])},
	"children-by-location": {nested: []record{idKeyOnly}, record: idRecord(emptyRecord)},
	"children-by-number":   {record: numberRecord},
	"devices":              {record: idRecord(ownID(jsonRecord[data.Device]))},
	"pairing-codes":        {record: idRecord(ownID(jsonRecord[data.PairingCode]))},
	"write-keys":           {record: writeKeyRecord},
	"write-keys-by-seq":    {record: idRecord(writeKeyBySeqRecord)},
}

// writeKeyRecord: a device's key, and the audit seq of its write.
func writeKeyRecord(k, v []byte) error {
	if len(k) == 0 || len(k) > data.MaxWriteKey || len(v) != 8 {
		return errors.New("not a write key and its sequence number")
	}
	return nil
}

// writeKeyBySeqRecord: when the key was recorded, and the key.
func writeKeyBySeqRecord(_, v []byte) error {
	if len(v) <= 8 {
		return errors.New("not a time and a write key")
	}
	return nil
}

// decodeAll reads every record of the file and decodes it as its type: a
// file passes only when every read the program makes will find what it
// expects. Values must be the JSON of their type, in valid UTF-8 (the
// decoder itself would quietly replace damaged characters).
func decodeAll(tx *bolt.Tx) error {
	for name := range schema {
		if tx.Bucket([]byte(name)) == nil {
			return fmt.Errorf("bucket %s is missing", name)
		}
	}
	return tx.ForEach(func(name []byte, b *bolt.Bucket) error {
		shape, ok := schema[string(name)]
		if !ok {
			return fmt.Errorf("unknown bucket %q", name)
		}
		if err := decodeBucket(b, shape.nested, shape.record); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		return nil
	})
}

func decodeBucket(b *bolt.Bucket, levels []record, rec record) error {
	return b.ForEach(func(k, v []byte) error {
		isBucket := v == nil && b.Bucket(k) != nil
		if len(levels) == 0 {
			if isBucket {
				return fmt.Errorf("%q is a bucket where a record belongs", k)
			}
			if err := rec(k, v); err != nil {
				return fmt.Errorf("record %s: %w", keyText(k), err)
			}
			return nil
		}
		if !isBucket {
			return fmt.Errorf("%q is a record where a bucket belongs", k)
		}
		if err := levels[0](k, nil); err != nil {
			return fmt.Errorf("bucket %s: %w", keyText(k), err)
		}
		if err := decodeBucket(b.Bucket(k), levels[1:], rec); err != nil {
			return fmt.Errorf("%s: %w", keyText(k), err)
		}
		return nil
	})
}

// jsonRecord decodes a value as a T. A field T does not know is damage
// too (a changed letter in a field's name would otherwise drop its value
// unseen): a file from a newer build is refused by its schema version.
// keyText shows a key as people read it: an 8-byte ID as its number.
func keyText(k []byte) string {
	if len(k) == 8 {
		return fmt.Sprint(btoi(k))
	}
	return fmt.Sprintf("%q", k)
}

func jsonRecord[T any](_, v []byte) error {
	if !utf8.Valid(v) {
		return errors.New("not UTF-8 text")
	}
	var value T
	dec := json.NewDecoder(bytes.NewReader(v))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&value); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("more than one value")
	}
	return nil
}

// ownID checks, after rec, that a record's own ID is the one its key ends with.
func ownID(rec record) record {
	return func(k, v []byte) error {
		if err := rec(k, v); err != nil {
			return err
		}
		var own struct {
			ID data.ID `json:"id"`
		}
		if err := json.Unmarshal(v, &own); err != nil {
			return err
		}
		if len(k) < 8 || own.ID != data.ID(btoi(k[len(k)-8:])) {
			return fmt.Errorf("holds the record of ID %d", own.ID)
		}
		return nil
	}
}

// idRecord checks that the key is an 8-byte ID, then the value with rec.
func idRecord(rec record) record {
	return func(k, v []byte) error {
		if err := idKeyOnly(k, nil); err != nil {
			return err
		}
		return rec(k, v)
	}
}

// dateRecord checks that the key is a YYYY-MM-DD date, then the value with rec.
func dateRecord(rec record) record {
	return func(k, v []byte) error {
		if err := dateKeyOnly(k, nil); err != nil {
			return err
		}
		return rec(k, v)
	}
}

// dateIDRecord checks a key of a date followed by an ID, then the value with rec.
func dateIDRecord(rec record) record {
	return func(k, v []byte) error {
		if len(k) != len("2006-01-02")+8 {
			return errors.New("not a date and an ID")
		}
		if err := dateKeyOnly(k[:len("2006-01-02")], nil); err != nil {
			return err
		}
		return rec(k, v)
	}
}

func idKeyOnly(k, _ []byte) error {
	if len(k) != 8 {
		return errors.New("not an ID")
	}
	return nil
}

func dateKeyOnly(k, _ []byte) error {
	_, err := data.ParseDate(string(k))
	return err
}

func sourceKey(k, _ []byte) error {
	if s := string(k); s != "request" && s != "study-day" {
		return fmt.Errorf("unknown source %q", k)
	}
	return nil
}

func emptyRecord(_, v []byte) error {
	if len(v) != 0 {
		return errors.New("an index entry with a value")
	}
	return nil
}

// settingsRecord checks the settings bucket: the organisation's name (a
// JSON string) and its Settings.
func settingsRecord(k, v []byte) error {
	switch string(k) {
	case string(keyOrganisationName):
		return jsonRecord[string](k, v)
	case string(keyOrganisation):
		return jsonRecord[data.Settings](k, v)
	}
	return errors.New("not a setting this version knows")
}

func metaRecord(k, v []byte) error {
	switch string(k) {
	case string(keyVersion):
		if len(v) != 8 {
			return errors.New("not a version number")
		}
	case string(keyCompactPending):
		return dateKeyOnly(v, nil)
	case string(keyUnfinished):
		if !utf8.Valid(v) {
			return errors.New("not UTF-8 text")
		}
	default:
		return errors.New("unknown")
	}
	return nil
}

// spanRecord checks a contract's "start/end" dates (end may be empty).
func spanRecord(_, v []byte) error {
	start, end, ok := bytes.Cut(v, []byte("/"))
	if !ok {
		return errors.New("not start/end dates")
	}
	if _, err := data.ParseDate(string(start)); err != nil {
		return err
	}
	if len(end) > 0 {
		_, err := data.ParseDate(string(end))
		return err
	}
	return nil
}

func consentCurrentRecord(_, v []byte) error {
	given, level, ok := bytes.Cut(v, []byte("/"))
	if !ok {
		return errors.New("not given/level")
	}
	if _, err := data.ParseDate(string(given)); err != nil {
		return err
	}
	for _, l := range data.ConsentAnswers {
		if string(level) == string(l) {
			return nil
		}
	}
	return fmt.Errorf("unknown consent level %q", level)
}

// numberRecord checks a planning-system number (text) and the child's ID it leads to.
func numberRecord(k, v []byte) error {
	if len(k) == 0 || !utf8.Valid(k) {
		return errors.New("not a child's number")
	}
	return idKeyOnly(v, nil)
}

func creditGrantRecord(_, v []byte) error { return dateIDRecord(emptyRecord)(v, nil) }

func statusRecord(_, v []byte) error {
	switch data.RequestStatus(v) {
	case data.StatusOpen, data.StatusApproved, data.StatusRejected, data.StatusCancelled:
		return nil
	}
	return fmt.Errorf("unknown request status %q", v)
}

func pictureRecord(_, v []byte) error {
	_, _, err := image.DecodeConfig(bytes.NewReader(v))
	return err
}
