// Package datatest is the test kit shared by the tests of every package that
// works with a data.Store: a bbolt store on a temporary file, with a clock
// the test controls and, where asked, a dataset or the demo seeded.
//
// It imports boltstore, so boltstore's own tests use it from the external
// test package (boltstore_test) only.
package datatest

import (
	"path/filepath"
	"testing"
	"time"

	"locatiedesk/data"
	"locatiedesk/data/boltstore"
	"locatiedesk/data/demo"
)

// Subscribe subscribes fn to s's changes from now on, for as long as the test
// runs or until the returned cancel is called.
func Subscribe(tb testing.TB, s data.Store, fn func(data.Change)) (cancel func()) {
	tb.Helper()
	cancel, err := s.Subscribe(tb.Context(), data.FeedLive, fn)
	if err != nil {
		tb.Fatalf("subscribe: %v", err)
	}
	return cancel
}

// Option sets up the store Open gives.
type Option func(*setup)

type setup struct {
	path string
	now  func() time.Time
	seed func(today data.Date) data.Dataset
}

// At fixes the store's clock at now.
func At(now time.Time) Option { return Clock(func() time.Time { return now }) }

// Clock makes the store read the time from now, for a test that moves it
// (e.g. func() time.Time { return *t }).
func Clock(now func() time.Time) Option { return func(s *setup) { s.now = now } }

// Path opens (or creates) the file at path instead of a new temporary one:
// for a test that reopens a file or prepared it itself.
func Path(path string) Option { return func(s *setup) { s.path = path } }

// Seeded seeds ds into the new store.
func Seeded(ds data.Dataset) Option {
	return func(s *setup) { s.seed = func(data.Date) data.Dataset { return ds } }
}

// WithDemo seeds the demo organisation as it stands on the clock's today.
func WithDemo() Option { return func(s *setup) { s.seed = demo.Build } }

// Open opens a store for the test, closed when the test ends, and returns
// it with its file's path. Without At or Clock it reads the real time.
func Open(tb testing.TB, opts ...Option) (*boltstore.DB, string) {
	tb.Helper()
	s := setup{now: time.Now}
	for _, o := range opts {
		o(&s)
	}
	if s.path == "" {
		s.path = filepath.Join(tb.TempDir(), "locatiedesk.db")
	}
	db, err := boltstore.Open(s.path, boltstore.WithClock(s.now))
	if err != nil {
		tb.Fatalf("open %s: %v", s.path, err)
	}
	tb.Cleanup(func() { db.Close() })
	if s.seed != nil {
		if err := db.Seed(tb.Context(), s.seed(data.DateOf(s.now()))); err != nil {
			tb.Fatalf("seed: %v", err)
		}
	}
	return db, s.path
}

// Demo opens a store seeded with the demo, its clock fixed at now.
func Demo(tb testing.TB, now time.Time) (*boltstore.DB, string) {
	tb.Helper()
	return Open(tb, At(now), WithDemo())
}

// Moving makes the store read the time from *now, which the test moves.
func Moving(now *time.Time) Option { return Clock(func() time.Time { return *now }) }
