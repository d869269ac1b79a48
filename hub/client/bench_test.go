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
// single calls; the goal is p99 under 5 ms over loopback.
func BenchmarkCheckInRoundTrip(b *testing.B) {
	b.Run("local", func(b *testing.B) {
		_, db := demoHub(b)
		a, err := db.ActorFor(b.Context(), tessID)
		if err != nil {
			b.Fatal(err)
		}
		measureCheckIns(b, db.As(a))
	})
	b.Run("hub-20-devices", func(b *testing.B) {
		h, _ := demoHub(b)
		for range 20 {
			device := signedIn(b, h, svenID, svenPIN)
			cancel, err := device.Subscribe(b.Context(), data.FeedLive, func(data.Change) {})
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(cancel)
		}
		measureCheckIns(b, signedIn(b, h, tessID, tessPIN))
	})
}

func measureCheckIns(b *testing.B, s data.Store) {
	edit := childOf(b, s, 1, 0)
	took := make([]time.Duration, 0, b.N)
	for i := 0; b.Loop(); i++ {
		start := time.Now()
		if err := s.CheckIn(b.Context(), edit, data.NewClock(7, 30+i%30)); err != nil {
			b.Fatal(err)
		}
		took = append(took, time.Since(start))
	}
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(took[len(took)*99/100].Microseconds())/1000, "p99-ms")
}
