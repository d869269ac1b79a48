package boltstore

import (
	"context"
	"encoding/binary"
	"time"

	bolt "go.etcd.io/bbolt"

	"locatiedesk/data"
)

// A write made with a key (data.WithWriteKey) records the key in its own
// transaction, beside its audit entry: the record and the write commit
// together or not at all, so a hub killed at any moment either has both (a
// retry is skipped) or neither (the retry applies it).

// checkWriteKey fails with ErrAlreadyApplied when key names a write this
// file holds; "" is no key.
func checkWriteKey(tx *bolt.Tx, key string) error {
	if key == "" {
		return nil
	}
	if len(key) > data.MaxWriteKey {
		return data.Invalid("a write key is at most %d characters", data.MaxWriteKey)
	}
	if tx.Bucket(bucketWriteKeys).Get([]byte(key)) != nil {
		return data.ErrAlreadyApplied
	}
	return nil
}

// recordWriteKey notes that key's write was logged as seq at now, and
// forgets the keys older than data.WriteKeyKept: a few per write at most,
// oldest first, so the record stays the size of a month's writes.
func recordWriteKey(tx *bolt.Tx, key string, seq uint64, now time.Time) error {
	if key == "" {
		return nil
	}
	keys, bySeq := tx.Bucket(bucketWriteKeys), tx.Bucket(bucketWriteKeysBySeq)
	if err := forgetWriteKeys(keys, bySeq, now.Add(-data.WriteKeyKept)); err != nil {
		return err
	}
	if err := keys.Put([]byte(key), itob(seq)); err != nil {
		return err
	}
	return bySeq.Put(itob(seq), append(itob(uint64(now.Unix())), key...))
}

// forgetWriteKeys removes the keys recorded before cutoff.
func forgetWriteKeys(keys, bySeq *bolt.Bucket, cutoff time.Time) error {
	c := bySeq.Cursor()
	for k, v := c.First(); k != nil; k, v = c.First() {
		if len(v) < 8 || int64(binary.BigEndian.Uint64(v[:8])) >= cutoff.Unix() {
			return nil
		}
		if err := keys.Delete(v[8:]); err != nil {
			return err
		}
		if err := c.Delete(); err != nil {
			return err
		}
	}
	return nil
}

// withoutWriteKey is ctx for a write that is not the one its caller named:
// the bookkeeping a read does (flexible credit granted on reading a ledger)
// and the sign-ins, whose answer only a run can give.
func withoutWriteKey(ctx context.Context) context.Context {
	if _, ok := data.WriteKey(ctx); !ok {
		return ctx
	}
	return data.WithWriteKey(ctx, "")
}

// WriteApplied reports whether the write key names a write this file
// holds. The hub asks it before a keyed write runs: a method's checks made
// before its transaction (today's date, a time not yet passed) would
// otherwise refuse the retry of a write they let through the first time.
func (db *DB) WriteApplied(ctx context.Context, key string) (bool, error) {
	var applied bool
	err := db.view(ctx, func(tx *bolt.Tx) error {
		applied = tx.Bucket(bucketWriteKeys).Get([]byte(key)) != nil
		return nil
	})
	return applied, err
}
