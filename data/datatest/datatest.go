// Package datatest is the test kit shared by the tests of every package that
// works with a data.Store.
package datatest

import (
	"testing"

	"locatiedesk/data"
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
