package boltstore

import (
	"context"
	"sync"

	bolt "go.etcd.io/bbolt"

	"locatiedesk/data"
)

// feed hands committed changes to subscribers. A write's changes carry the
// sequence number of its audit entry, so a subscriber that starts late (a
// network client that reconnects) catches up by reading the log after the
// last number it saw, then takes the live changes without gap or repeat.
type feed struct {
	// publishing is held from a write's commit to its publication, so
	// changes reach subscribers in the order of their sequence numbers.
	publishing sync.Mutex

	mu   sync.Mutex
	next int
	subs map[int]*subscriber
}

type subscriber struct {
	mu sync.Mutex
	// ctx ends the subscription: deliver checks it, so no change arrives
	// after the context ended, even before AfterFunc has removed it.
	ctx context.Context
	fn  func(data.Change)
	// last is the highest sequence number delivered; while catching up,
	// live changes wait in held and any the log already gave are skipped.
	last       uint64
	catchingUp bool
	held       []write
	stopped    bool
}

// write is the changes of one committed write, under its sequence number.
type write struct {
	seq     uint64
	changes []data.Change
}

func (s *subscriber) deliver(w write) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.catchingUp {
		s.held = append(s.held, w)
		return
	}
	s.call(w)
}

// call hands w to fn unless an earlier delivery already did or the
// subscription ended.
func (s *subscriber) call(w write) {
	if w.seq <= s.last || s.stopped || s.ctx.Err() != nil {
		return
	}
	s.last = w.seq
	for _, c := range w.changes {
		c.Seq = w.seq
		s.fn(c)
	}
}

// Subscribe calls fn with each change committed after sequence number after
// (data.FeedLive: from now on), in order and once each, until ctx ends or
// cancel is called. fn runs on the writer's goroutine and must not block or
// write to the store; a screen hands the work to its own loop.
func (db *DB) Subscribe(ctx context.Context, after uint64, fn func(data.Change)) (cancel func(), err error) {
	s := &subscriber{ctx: ctx, fn: fn, last: after, catchingUp: after != data.FeedLive}
	remove := db.feed.add(s)
	stopWatching := context.AfterFunc(ctx, remove)
	cancelAll := func() { stopWatching(); remove() }
	if after == data.FeedLive {
		return cancelAll, nil
	}
	var logged []write
	err = db.view(ctx, func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketAudit).Cursor()
		for k, v := c.Seek(itob(after + 1)); k != nil; k, v = c.Next() {
			e, err := decodeJSON[data.AuditEntry](v)
			if err != nil {
				return err
			}
			logged = append(logged, write{e.Seq, e.Changes})
		}
		return nil
	})
	if err != nil {
		cancelAll()
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, w := range append(logged, s.held...) {
		s.call(w)
	}
	s.catchingUp, s.held = false, nil
	return cancelAll, nil
}

func (f *feed) add(s *subscriber) (cancel func()) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.subs == nil {
		f.subs = map[int]*subscriber{}
	}
	id := f.next
	f.next++
	f.subs[id] = s
	return func() {
		f.mu.Lock()
		delete(f.subs, id)
		f.mu.Unlock()
		s.mu.Lock()
		s.stopped = true
		s.mu.Unlock()
	}
}

// publish gives every subscriber the changes of the write logged as seq.
func (f *feed) publish(seq uint64, changes []data.Change) {
	f.mu.Lock()
	subs := make([]*subscriber, 0, len(f.subs))
	for _, s := range f.subs {
		subs = append(subs, s)
	}
	f.mu.Unlock()
	for _, s := range subs {
		s.deliver(write{seq, changes})
	}
}

var _ data.Store = (*DB)(nil)
