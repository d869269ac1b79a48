package hub

import (
	"context"
	"errors"
	"sync"
	"time"
)

// idempotencyKept is how long the hub remembers a write's result by its
// key: far longer than a device retries one call.
const idempotencyKept = 10 * time.Minute

// idempotency runs each write once per key and answers a retry with the
// first attempt's result. The keys live in memory; a retry that spans a
// restart of the hub is caught by the store, which keeps each write's key
// with the write (data.WithWriteKey) and answers it with ErrAlreadyApplied.
type idempotency struct {
	kept time.Duration

	mu      sync.Mutex
	entries map[string]*attempt
}

type attempt struct {
	done chan struct{}
	res  any
	err  error
	at   time.Time
}

func newIdempotency(kept time.Duration) *idempotency {
	return &idempotency{kept: kept, entries: map[string]*attempt{}}
}

// do runs fn unless a call with key ran (or runs) already, and gives its
// result. A call that ended with its context (the device went away before
// the store began) is forgotten, so that the retry runs.
func (o *idempotency) do(key string, fn func() (any, error)) (any, error) {
	o.mu.Lock()
	now := time.Now()
	if a, ok := o.entries[key]; ok {
		o.mu.Unlock()
		<-a.done
		return a.res, a.err
	}
	for k, a := range o.entries {
		if now.Sub(a.at) > o.kept {
			select {
			case <-a.done:
				delete(o.entries, k)
			default:
			}
		}
	}
	a := &attempt{done: make(chan struct{}), at: now}
	o.entries[key] = a
	o.mu.Unlock()

	finished := false
	defer func() {
		if !finished { // fn panicked: a retry runs it again, a waiter gets an error
			o.forget(key)
			a.err = errPanicked
			close(a.done)
		}
	}()
	a.res, a.err = fn()
	finished = true
	if errors.Is(a.err, context.Canceled) || errors.Is(a.err, context.DeadlineExceeded) {
		o.forget(key)
	}
	close(a.done)
	return a.res, a.err
}

var errPanicked = errors.New("the hub failed while making this change; try again")

func (o *idempotency) forget(key string) {
	o.mu.Lock()
	delete(o.entries, key)
	o.mu.Unlock()
}
