package pgstore_test

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"locatiedesk/data"
	"locatiedesk/data/pgstore"
)

// TestFeed_TwoHubsSeeEveryWriteInOneOrder: twenty check-ins at once,
// through two hubs on one database, race for the feed's numbers; every one
// is recorded, and each hub's subscriber gets all twenty, once each, in the
// same rising order, whichever hub made them.
func TestFeed_TwoHubsSeeEveryWriteInOneOrder(t *testing.T) {
	var names []string
	for i := range 20 {
		names = append(names, fmt.Sprintf("Kind%02d", i))
	}
	s := newDayStore(t, names...)
	other, err := pgstore.Open(t.Context(), s.address, pgstore.WithClock(s.db.Now))
	s.must(err)
	defer other.Close()
	hubs := []*pgstore.DB{s.db, other}

	type seen struct {
		mu   sync.Mutex
		seqs []uint64
	}
	feeds := make([]*seen, len(hubs))
	for i, h := range hubs {
		f := &seen{}
		feeds[i] = f
		cancel, err := h.Subscribe(t.Context(), data.FeedLive, func(c data.Change) {
			if c.Kind == data.ChangeAttendance {
				f.mu.Lock()
				f.seqs = append(f.seqs, c.Seq)
				f.mu.Unlock()
			}
		})
		s.must(err)
		defer cancel()
	}

	var wg sync.WaitGroup
	errs := make([]error, len(s.children))
	start := make(chan struct{})
	for i, c := range s.children {
		wg.Go(func() {
			<-start
			errs[i] = hubs[i%2].CheckIn(t.Context(), s.edit(c, s.today), data.NewClock(8, i))
		})
	}
	close(start)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("check-in %d: %v", i, err)
		}
	}

	deadline := time.Now().Add(5 * time.Second)
	for _, f := range feeds {
		for {
			f.mu.Lock()
			n := len(f.seqs)
			f.mu.Unlock()
			if n >= len(s.children) || time.Now().After(deadline) {
				break
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	first := feeds[0].seqs
	if len(first) != len(s.children) || !slices.IsSorted(first) || len(slices.Compact(slices.Clone(first))) != len(first) {
		t.Fatalf("hub A's feed gave %v; want %d writes once each, rising", first, len(s.children))
	}
	if !slices.Equal(feeds[1].seqs, first) {
		t.Errorf("hub B's feed gave %v, hub A's %v; want the same", feeds[1].seqs, first)
	}
}
