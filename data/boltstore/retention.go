package boltstore

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"locatiedesk/data"

	bolt "go.etcd.io/bbolt"

	berrors "go.etcd.io/bbolt/errors"
)

// PurgeExpired removes, in one transaction, the personal data of every child
// whose retention ended before today (RetentionEnds): name, birth date,
// school, picture, planning-system number, contacts, the photo-consent history and the notes and absence
// reasons (a reason can be health data) of its attendance records. What
// billing needs stays, tied to the child's ID only: contracts, attendance
// times, credit, requests with their payment (free-text reasons removed),
// study-day sign-ups. The old bytes stay in the file's free pages until
// CompactFile; Purge does both.
func (db *DB) PurgeExpired(ctx context.Context) (data.PurgeResult, error) {
	today := db.Today()
	var res data.PurgeResult
	err := db.update(ctx, data.AuditPurgeExpired, func(tx *bolt.Tx, changed *[]data.Change) error {
		settings, err := readSettings(tx)
		if err != nil {
			return err
		}
		due, err := expiredChildren(tx, settings, today)
		if err != nil {
			return err
		}
		for _, child := range due {
			if err := purgeChild(tx, child, today); err != nil {
				return fmt.Errorf("remove personal data of child %d: %w", child.ID, err)
			}
			res.Children = append(res.Children, child.ID)
		}
		if len(res.Children) == 0 {
			return nil
		}
		*changed = append(*changed, data.Change{Kind: data.ChangeCatalog}, data.Change{Kind: data.ChangeConsent}, data.Change{Kind: data.ChangeAttendance})
		return tx.Bucket(bucketMeta).Put(keyCompactPending, []byte(today.String()))
	})
	if err != nil {
		return data.PurgeResult{}, err
	}
	if len(res.Children) > 0 {
		forgetDecoded() // the removed data must not live on in memory either
	}
	return res, nil
}

// expiredChildren lists the children not yet purged whose retention ended
// before today. It reads contract spans from contracts-by-child and decodes
// only the children that are due.
func expiredChildren(tx *bolt.Tx, s data.Settings, today data.Date) ([]data.Child, error) {
	var due []data.Child
	err := tx.Bucket(bucketContractsByChild).ForEachBucket(func(k []byte) error {
		var spans []data.Contract
		err := tx.Bucket(bucketContractsByChild).Bucket(k).ForEach(func(_, span []byte) error {
			_, end, _ := bytes.Cut(span, []byte("/"))
			var c data.Contract
			if len(end) > 0 {
				if err := c.End.UnmarshalText(end); err != nil {
					return err
				}
			}
			spans = append(spans, c)
			return nil
		})
		if err != nil {
			return err
		}
		last, ok := data.RetentionEnds(spans, s)
		if !ok || !today.After(last) {
			return nil
		}
		child, err := getJSON[data.Child](tx.Bucket(bucketChildren), k)
		if err != nil {
			return fmt.Errorf("child %d: %w", btoi(k), err)
		}
		if child.RemovedOn.IsZero() {
			due = append(due, child)
		}
		return nil
	})
	return due, err
}

// purgeChild removes one child's personal data; see PurgeExpired.
func purgeChild(tx *bolt.Tx, c data.Child, today data.Date) error {
	key := idKey(c.ID)
	removed := data.Child{ID: c.ID, LocationID: c.LocationID, FirstName: data.RemovedChildFirstName,
		LastName: "#" + strconv.FormatUint(uint64(c.ID), 10), RemovedOn: today}
	if err := putJSON(tx.Bucket(bucketChildren), key, removed); err != nil {
		return err
	}
	if err := tx.Bucket(bucketPictures).Delete(key); err != nil {
		return err
	}
	if c.Number != "" { // the number would lead a re-import back to the removed child
		if err := tx.Bucket(bucketChildrenByNumber).Delete([]byte(c.Number)); err != nil {
			return err
		}
	}
	if tx.Bucket(bucketConsentHistory).Bucket(key) != nil {
		if err := tx.Bucket(bucketConsentHistory).DeleteBucket(key); err != nil {
			return err
		}
	}
	if err := tx.Bucket(bucketConsentCurrent).Delete(key); err != nil {
		return err
	}
	records, err := childAttendance(tx, c.ID)
	if err != nil {
		return err
	}
	for _, r := range records {
		if r.Attendance.Note == "" && r.Attendance.AbsenceReason == "" && r.Attendance.AbsenceText == "" {
			continue
		}
		r.Attendance.Note, r.Attendance.AbsenceReason, r.Attendance.AbsenceText = "", "", ""
		if err := putAttendance(tx, r.Date, r.GroupID, c.ID, r.Attendance); err != nil {
			return err
		}
	}
	requests, err := childRequests(tx, c.ID)
	if err != nil {
		return err
	}
	for _, r := range requests {
		if r.Reason == "" && r.Payment.OverrideReason == "" {
			continue
		}
		r.Reason, r.Payment.OverrideReason = "", ""
		if err := putJSON(tx.Bucket(bucketRequests), idKey(r.ID), r); err != nil {
			return err
		}
	}
	return nil
}

// Purge removes the personal data whose retention has ended from the data
// file at path (PurgeExpired) and then compacts the file, so the removed
// data are not left in its free pages. A purge whose compaction did not
// finish (a crash, a full disk) is compacted now. The app must be closed:
// with the file open elsewhere it fails with ErrInUse.
func Purge(ctx context.Context, path string, opts ...Option) (data.PurgeResult, error) {
	db, err := OpenExisting(path, opts...)
	if err != nil {
		return data.PurgeResult{}, err
	}
	res, err := db.PurgeExpired(ctx)
	var pending bool
	if err == nil {
		err = db.view(ctx, func(tx *bolt.Tx) error {
			pending = tx.Bucket(bucketMeta).Get(keyCompactPending) != nil
			return nil
		})
	}
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil || !pending {
		return res, err
	}
	if err := CompactFile(path); err != nil {
		return res, fmt.Errorf("personal data removed, but the file is not compacted yet (it will be on the next purge): %w", err)
	}
	res.Compacted = true
	return res, nil
}

// CompactFile rewrites the data file at path with only its live keys (bbolt
// Compact into a new file beside it), verifies the copy and moves it into
// place. Removed data, which bbolt leaves in free pages, are then gone from
// the file. The app must be closed: with the file open elsewhere it fails
// with ErrInUse. On any error the original file stays as it was.
func CompactFile(path string) error {
	src, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if errors.Is(err, berrors.ErrTimeout) {
		return data.Refuse(data.RefuseBackupInUse, data.Args{"Path": path})
	}
	if err != nil {
		return fmt.Errorf("open data file %s: %w", path, err)
	}
	tmp, err := compactInto(src, filepath.Dir(path))
	// The source is closed before the rename: Windows cannot replace a mapped file.
	if cerr := src.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		if tmp != "" {
			os.Remove(tmp)
		}
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}

// compactPrefix starts the name of a compacted copy being written.
const compactPrefix = ".compact-"

// compactInto copies src's live keys into a new file in dir, clears the
// pending-compaction mark there and verifies it; it returns the new file's path.
func compactInto(src *bolt.DB, dir string) (string, error) {
	f, err := os.CreateTemp(dir, compactPrefix+"*")
	if err != nil {
		return "", err
	}
	tmp := f.Name()
	f.Close()
	dst, err := bolt.Open(tmp, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		return tmp, err
	}
	// Transactions of at most 64 MB keep memory bounded on a large file.
	err = bolt.Compact(dst, src, 64<<20)
	if err == nil {
		err = dst.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketMeta).Delete(keyCompactPending) })
	}
	if cerr := dst.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = VerifyFile(tmp)
	}
	return tmp, err
}
