package ui

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"locatiedesk/data/boltstore"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"locatiedesk/data"
	"locatiedesk/data/boltstore/generate"
)

// BenchmarkOpenWindow is starting the app on a large organisation, up to the
// first list drawn: opening the store, building the window with every tab
// (each reads what it shows first: the list, the approval counts, the
// consent overview, the calendar, the study days) and painting it once. The
// goal is under a second at 40 locations with 5 years of history
// (LOCATIEDESK_BENCH=full); data's BenchmarkOpenToFirstList has the bare
// bbolt floor of the store's part.
func BenchmarkOpenWindow(b *testing.B) {
	sizes := []struct{ locations, years int }{{10, 1}}
	if os.Getenv("LOCATIEDESK_BENCH") == "full" {
		sizes = append(sizes, struct{ locations, years int }{40, 5})
	}
	now := time.Date(2026, time.November, 25, 9, 30, 0, 0, time.UTC)
	for _, s := range sizes {
		b.Run(fmt.Sprintf("loc=%d/years=%d", s.locations, s.years), func(b *testing.B) {
			opts := generate.Options{Locations: s.locations, ChildrenPerLocation: 150, Years: s.years, Today: data.DateOf(now), Seed: 42}
			path, err := generate.File(b.Context(), filepath.Join(os.TempDir(), "locatiedesk-bench"), opts, nil)
			if err != nil {
				b.Fatal(err)
			}
			a := test.NewTempApp(b)
			if err := UseLanguage(LanguageDutch); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				db, err := boltstore.Open(path, boltstore.WithClock(func() time.Time { return now }))
				if err != nil {
					b.Fatal(err)
				}
				w := a.NewWindow("bench")
				w.Resize(fyne.NewSize(1200, 800))
				sh := &Shell{app: a, window: w, base: db, async: func(f func()) { f() }}
				actor, err := db.SignIn(b.Context(), generate.Manager.ID, generate.Manager.Secret)
				if err != nil {
					b.Fatal(err)
				}
				sh.signedIn(actor)
				if len(sh.attendance.list.Rows) == 0 {
					b.Fatal("no list drawn")
				}
				w.Canvas().Capture()
				sh.Close()
				w.Close()
				db.Close()
			}
		})
	}
}
