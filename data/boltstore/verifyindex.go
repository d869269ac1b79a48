package boltstore

import (
	"bytes"
	"encoding/json"
	"fmt"

	"locatiedesk/data"

	bolt "go.etcd.io/bbolt"
)

// checkIndexes checks that every index entry points at its record and that
// the records the lists are read from are in their indexes: a damaged key
// moves a record where no read finds it, or leaves an index entry that a
// read follows to nothing.
func checkIndexes(tx *bolt.Tx) error {
	checks := []struct {
		index string
		check func(outer, k, v []byte) error
	}{
		{"attendance-by-child", func(child, k, _ []byte) error {
			return exists(tx, "attendance", k[:10], k[10:], child)
		}},
		{"contracts-by-group", func(_, k, _ []byte) error { return exists(tx, "contracts", k) }},
		{"contracts-by-child", func(_, k, _ []byte) error { return exists(tx, "contracts", k) }},
		{"signups-by-date", func(_, k, _ []byte) error { return exists(tx, "signups", k) }},
		{"requests-open", func(_, k, _ []byte) error { return exists(tx, "requests", k[10:]) }},
		{"requests-by-child", func(_, k, _ []byte) error { return exists(tx, "requests", k[10:]) }},
		{"children-by-location", func(_, k, _ []byte) error { return exists(tx, "children", k) }},
		{"credit-grants", func(child, _, v []byte) error { return exists(tx, "credit", child, v) }},
	}
	for _, c := range checks {
		err := tx.Bucket([]byte(c.index)).ForEachBucket(func(outer []byte) error {
			return tx.Bucket([]byte(c.index)).Bucket(outer).ForEach(func(k, v []byte) error {
				if err := c.check(outer, k, v); err != nil {
					return fmt.Errorf("%s %x/%x: %w", c.index, outer, k, err)
				}
				return nil
			})
		})
		if err != nil {
			return err
		}
	}
	if err := tx.Bucket(bucketConsentCurrent).ForEach(func(child, _ []byte) error {
		return exists(tx, "consent-history", child)
	}); err != nil {
		return fmt.Errorf("consent-current: %w", err)
	}
	if err := tx.Bucket(bucketChildrenByNumber).ForEach(func(number, child []byte) error {
		var c struct {
			Number string `json:"number"`
		}
		if err := json.Unmarshal(tx.Bucket(bucketChildren).Get(child), &c); err != nil || c.Number != string(number) {
			return fmt.Errorf("number %q points at child %d, which has another number", number, btoi(child))
		}
		return nil
	}); err != nil {
		return fmt.Errorf("children-by-number: %w", err)
	}
	if err := tx.Bucket(bucketExportLines).ForEachBucket(func(batch []byte) error {
		return exists(tx, "export-batches", batch)
	}); err != nil {
		return fmt.Errorf("export-lines: %w", err)
	}
	if err := tx.Bucket(bucketWriteKeysBySeq).ForEach(func(seq, v []byte) error {
		if !bytes.Equal(tx.Bucket(bucketWriteKeys).Get(v[8:]), seq) {
			return fmt.Errorf("the key of write %d is not recorded with it", btoi(seq))
		}
		return nil
	}); err != nil {
		return fmt.Errorf("write-keys-by-seq: %w", err)
	}
	return checkRecordsIndexed(tx)
}

// checkRecordsIndexed checks the other way: attendance records, children,
// contracts and requests are each in the index their lists are read through.
func checkRecordsIndexed(tx *bolt.Tx) error {
	err := tx.Bucket(bucketAttendance).ForEachBucket(func(date []byte) error {
		return tx.Bucket(bucketAttendance).Bucket(date).ForEachBucket(func(group []byte) error {
			return tx.Bucket(bucketAttendance).Bucket(date).Bucket(group).ForEach(func(child, _ []byte) error {
				return exists(tx, "attendance-by-child", child, append(append([]byte{}, date...), group...))
			})
		})
	})
	if err != nil {
		return fmt.Errorf("attendance: %w", err)
	}
	var owner struct {
		ChildID    data.ID   `json:"childId"`
		LocationID data.ID   `json:"locationId"`
		Date       data.Date `json:"date"`
		Number     string    `json:"number"`
	}
	indexed := []struct {
		bucket string
		index  func(id []byte) error
	}{
		{"children", func(id []byte) error {
			if owner.Number != "" && !bytes.Equal(tx.Bucket(bucketChildrenByNumber).Get([]byte(owner.Number)), id) {
				return fmt.Errorf("child %d is missing from the number index", btoi(id))
			}
			return exists(tx, "children-by-location", idKey(owner.LocationID), id)
		}},
		{"contracts", func(id []byte) error { return exists(tx, "contracts-by-child", idKey(owner.ChildID), id) }},
		{"requests", func(id []byte) error {
			return exists(tx, "requests-by-child", idKey(owner.ChildID), append(dateKey(owner.Date), id...))
		}},
	}
	for _, b := range indexed {
		err := tx.Bucket([]byte(b.bucket)).ForEach(func(id, v []byte) error {
			owner.Number = ""
			if err := json.Unmarshal(v, &owner); err != nil {
				return err
			}
			return b.index(id)
		})
		if err != nil {
			return fmt.Errorf("%s: %w", b.bucket, err)
		}
	}
	return nil
}

// exists fails unless the key path (buckets, then a key or a bucket) is in the file.
func exists(tx *bolt.Tx, top string, path ...[]byte) error {
	b := tx.Bucket([]byte(top))
	for i, p := range path {
		if b == nil {
			break
		}
		if i == len(path)-1 {
			if b.Get(p) != nil || b.Bucket(p) != nil {
				return nil
			}
			break
		}
		b = b.Bucket(p)
	}
	return fmt.Errorf("points at %s %x, which is not there", top, path)
}
