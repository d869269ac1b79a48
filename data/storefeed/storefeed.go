// Package storefeed hands a store's committed changes to its subscribers:
// the part of data.Store's Subscribe that every store shares. A write's
// changes carry the sequence number of its audit entry, so a subscriber that
// starts late (a network client that reconnects) catches up by reading the
// log after the last number it saw, then takes the live changes without gap
// or repeat. The store publishes writes in the order of their numbers.
package storefeed

import (
	"context"
	"sync"

	"locatiedesk/data"
)

// Write is the changes of one committed write, under its sequence number.
type Write struct {
	Seq     uint64
	Changes []data.Change
}

// Feed is the subscribers of one store.
type Feed struct {
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
	held       []Write
	stopped    bool
}

func (s *subscriber) deliver(w Write) {
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
func (s *subscriber) call(w Write) {
	if w.Seq <= s.last || s.stopped || s.ctx.Err() != nil {
		return
	}
	s.last = w.Seq
	for _, c := range w.Changes {
		c.Seq = w.Seq
		s.fn(c)
	}
}

// Subscribe calls fn with each change committed after sequence number after
// (data.FeedLive: from now on), in order and once each, until ctx ends or
// cancel is called. logged reads the writes logged after a sequence number,
// for catching up; live writes published meanwhile wait until it is done.
func (f *Feed) Subscribe(ctx context.Context, after uint64, fn func(data.Change), logged func(after uint64) ([]Write, error)) (cancel func(), err error) {
	s := &subscriber{ctx: ctx, fn: fn, last: after, catchingUp: after != data.FeedLive}
	remove := f.add(s)
	stopWatching := context.AfterFunc(ctx, remove)
	cancelAll := func() { stopWatching(); remove() }
	if after == data.FeedLive {
		return cancelAll, nil
	}
	past, err := logged(after)
	if err != nil {
		cancelAll()
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, w := range append(past, s.held...) {
		s.call(w)
	}
	s.catchingUp, s.held = false, nil
	return cancelAll, nil
}

func (f *Feed) add(s *subscriber) (cancel func()) {
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

// Publish gives every subscriber the changes of the write logged as seq.
// Calls must come in the order of the sequence numbers.
func (f *Feed) Publish(seq uint64, changes []data.Change) {
	f.mu.Lock()
	subs := make([]*subscriber, 0, len(f.subs))
	for _, s := range f.subs {
		subs = append(subs, s)
	}
	f.mu.Unlock()
	for _, s := range subs {
		s.deliver(Write{seq, changes})
	}
}
