package boltstore

import (
	"context"
	"sync"

	bolt "go.etcd.io/bbolt"

	"locatiedesk/data"
	"locatiedesk/data/storefeed"
)

// feed is the store's subscribers, and the lock that keeps publication in
// commit order.
type feed struct {
	// publishing is held from a write's commit to its publication, so
	// changes reach subscribers in the order of their sequence numbers.
	publishing sync.Mutex
	storefeed.Feed
}

// Subscribe calls fn with each change committed after sequence number after
// (data.FeedLive: from now on), in order and once each, until ctx ends or
// cancel is called. fn runs on the writer's goroutine and must not block or
// write to the store; a screen hands the work to its own loop.
func (db *DB) Subscribe(ctx context.Context, after uint64, fn func(data.Change)) (cancel func(), err error) {
	return db.feed.Subscribe(ctx, after, fn, func(after uint64) ([]storefeed.Write, error) {
		var logged []storefeed.Write
		err := db.view(ctx, func(tx *bolt.Tx) error {
			c := tx.Bucket(bucketAudit).Cursor()
			for k, v := c.Seek(itob(after + 1)); k != nil; k, v = c.Next() {
				e, err := decodeJSON[data.AuditEntry](v)
				if err != nil {
					return err
				}
				logged = append(logged, storefeed.Write{Seq: e.Seq, Changes: e.Changes})
			}
			return nil
		})
		return logged, err
	})
}

var _ data.Store = (*DB)(nil)
