// Package benchtest is the scaffolding shared by the speed suites of the
// stores (PERFORMANCE.md): the generated organisations they run on, and the
// timing of a store's action beside its floors in one loop. scripts/bench.sh
// reads the figures they report (ns/op, bare-ns/op, ratio, bolt-ns/op, rows).
package benchtest

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"locatiedesk/data"
	"locatiedesk/data/boltstore/generate"
)

// Now is the suites' clock: a Wednesday morning in term time, when every
// group has a list, the daycare children have checked in, and some
// requests are open.
var (
	Now   = time.Date(2026, time.November, 25, 9, 30, 0, 0, time.UTC)
	Today = data.DateOf(Now)
)

// A Scale is the size of a generated organisation.
type Scale struct{ Locations, Years int }

func (s Scale) String() string { return fmt.Sprintf("loc=%d/years=%d", s.Locations, s.Years) }

// Scales are the sizes measured: a short set by default (CI), the whole
// grid up to 40 locations and 5 years with LOCATIEDESK_BENCH=full.
func Scales() []Scale {
	if os.Getenv("LOCATIEDESK_BENCH") == "full" {
		return []Scale{{1, 1}, {1, 5}, {10, 1}, {10, 5}, {40, 1}, {40, 5}}
	}
	return []Scale{{1, 1}, {1, 5}, {10, 1}}
}

// File is the generated bbolt file of the scale, made once and kept in the
// temp folder between runs and suites (the generator is deterministic).
// Only benchmarks that read use it directly; writers work on FileCopy.
func File(b *testing.B, s Scale) string {
	b.Helper()
	opts := generate.Options{Locations: s.Locations, ChildrenPerLocation: 150, Years: s.Years, Today: Today, Seed: 42}
	start := time.Now()
	path, err := generate.File(b.Context(), filepath.Join(os.TempDir(), "locatiedesk-bench"), opts, nil)
	if err != nil {
		b.Fatal(err)
	}
	if took := time.Since(start); took > time.Second {
		info, _ := os.Stat(path)
		b.Logf("%s generated in %v, %.0f MB", s, took.Round(time.Millisecond), float64(info.Size())/1e6)
	}
	return path
}

// FileCopy is a copy of the scale's file, for a benchmark that writes.
func FileCopy(b *testing.B, s Scale) string {
	b.Helper()
	path := filepath.Join(b.TempDir(), "copy.db")
	CopyFile(b, File(b, s), path)
	return path
}

// CopyFile copies the file at from to to.
func CopyFile(b *testing.B, from, to string) {
	b.Helper()
	src, err := os.Open(from)
	if err != nil {
		b.Fatal(err)
	}
	defer src.Close()
	dst, err := os.Create(to)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		b.Fatal(err)
	}
	if err := dst.Close(); err != nil {
		b.Fatal(err)
	}
}

// A Turn is one thing a benchmark times in each iteration, reported per
// operation under Unit ("ns/op" for the store's action, "bare-ns/op" for
// its floor, …).
type Turn struct {
	Unit string
	Run  func(i int)
}

// Versus runs the turns one after another, b.N times, and reports each
// one's time per operation, the ratio of the first to the second (the
// store to its floor) and rows: how many rows the action shows, so a figure
// that grows can be told from a list that is longer. Running them in turn
// makes noise from other processes fall on all alike. after, if given, runs
// untimed after each iteration.
func Versus(b *testing.B, rows int, turns []Turn, after ...func(i int)) {
	b.Helper()
	took := make([]time.Duration, len(turns))
	runtime.GC() // not the garbage of the setup
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for t, turn := range turns {
			start := time.Now()
			turn.Run(i)
			took[t] += time.Since(start)
		}
		for _, f := range after {
			f(i)
		}
	}
	b.StopTimer()
	for t, turn := range turns {
		b.ReportMetric(float64(took[t].Nanoseconds())/float64(b.N), turn.Unit)
	}
	b.ReportMetric(float64(took[0])/float64(took[1]), "ratio")
	b.ReportMetric(float64(rows), "rows")
}
