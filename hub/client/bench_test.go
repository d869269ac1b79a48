package client_test

import (
	"slices"
	"testing"
	"time"

	"locatiedesk/data"
)

// BenchmarkCheckInRoundTrip is one check-in as a tablet makes it: through
// the network client to a hub on 127.0.0.1 with 20 devices following the
// feed, beside the same check-in on the local file. p50 and p99 are of the
// single calls; the goal is p99 under 5 ms over loopback. feed-*
// is from the call until every one of the 20 devices had the change (goal:
// p99 under 200 ms).
func BenchmarkCheckInRoundTrip(b *testing.B) {
	b.Run("local", func(b *testing.B) {
		_, db := demoHub(b)
		a, err := db.ActorFor(b.Context(), tessID)
		if err != nil {
			b.Fatal(err)
		}
		measureCheckIns(b, db.As(a), nil, 0)
	})
	b.Run("hub-20-devices", func(b *testing.B) {
		h, _ := demoHub(b)
		const devices = 20
		arrived := make(chan struct{}, 1<<16)
		for range devices {
			device := signedIn(b, h, svenID, svenPIN)
			cancel, err := device.Subscribe(b.Context(), data.FeedLive, func(data.Change) { arrived <- struct{}{} })
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(cancel)
		}
		measureCheckIns(b, signedIn(b, h, tessID, tessPIN), arrived, devices)
	})
}

// measureCheckIns reports the check-ins' p50 and p99 and, with arrived
// (the feed of so many devices), how long until every device had each one.
func measureCheckIns(b *testing.B, s data.Store, arrived chan struct{}, devices int) {
	edit := childOf(b, s, 1, 0)
	var took, feed []time.Duration
	for i := 0; b.Loop(); i++ {
		start := time.Now()
		if err := s.CheckIn(b.Context(), edit, data.NewClock(7, 30+i%30)); err != nil {
			b.Fatal(err)
		}
		took = append(took, time.Since(start))
		if arrived != nil {
			for range devices {
				<-arrived
			}
			feed = append(feed, time.Since(start))
		}
	}
	report(b, took, "")
	report(b, feed, "feed-")
}

func report(b *testing.B, took []time.Duration, prefix string) {
	if len(took) == 0 {
		return
	}
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, prefix+"p50-ms")
	b.ReportMetric(float64(took[len(took)*99/100].Microseconds())/1000, prefix+"p99-ms")
}
