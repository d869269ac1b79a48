package reports

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"sync"
	"testing"
	"time"

	"locatiedesk/data/boltstore"

	"locatiedesk/data"
	"locatiedesk/data/benchtest"
	"locatiedesk/data/boltstore/generate"
)

// The invoicing benchmark's organisation: locations of 150 children each
// (and the children who left, as the generator makes them), with study
// days and on average 1.5 extra-care requests per child per month from
// August to November 2026. The export is of November, or of the quarter
// September to November (three times the lines). The file holds what
// invoicing reads; attendance history is left out, as invoicing never reads it.
var (
	billingNow   = time.Date(2026, time.December, 2, 9, 0, 0, 0, time.UTC)
	billingFrom  = data.NewDate(2026, time.August, 1)
	billingMonth = data.InvoiceSpec{From: data.NewDate(2026, time.November, 1), To: data.NewDate(2026, time.November, 30), By: "bench"}
	billingQtr   = data.InvoiceSpec{From: data.NewDate(2026, time.September, 1), To: data.NewDate(2026, time.November, 30), By: "bench"}
)

// billingLocations are the sizes benchmarked: 10 locations by default (CI),
// 40 with LOCATIEDESK_BENCH=full.
func billingLocations() int {
	if os.Getenv("LOCATIEDESK_BENCH") == "full" {
		return 40
	}
	return 10
}

// billingFixture returns the generated file, made once and kept in the temp
// folder between runs (the generator is deterministic).
func billingFixture(b *testing.B, locations int) string {
	b.Helper()
	dir := filepath.Join(os.TempDir(), "locatiedesk-bench")
	path := filepath.Join(dir, fmt.Sprintf("billing-v1-loc%d.db", locations))
	if _, err := os.Stat(path); err == nil {
		return path
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		b.Fatal(err)
	}
	tmp := path + ".partial"
	os.Remove(tmp)
	db, err := boltstore.Open(tmp, boltstore.WithClock(func() time.Time { return billingNow }))
	if err != nil {
		b.Fatal(err)
	}
	opts := generate.Options{Locations: locations, ChildrenPerLocation: 150, Years: 1, Today: data.DateOf(billingNow), Seed: 42}
	ds := generate.Organisation(opts)
	requests := generate.Billing(&ds, billingFrom, billingMonth.To, 1.5, 42)
	if err := db.Seed(b.Context(), ds); err != nil {
		b.Fatal(err)
	}
	if err := db.ImportRequests(b.Context(), requests); err != nil {
		b.Fatal(err)
	}
	if err := db.Close(); err != nil {
		b.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		b.Fatal(err)
	}
	return path
}

// openCopy copies the fixture to path and opens it, so an export finds every line new.
func openCopy(b *testing.B, fixture, path string) *boltstore.DB {
	b.Helper()
	benchtest.CopyFile(b, fixture, path)
	db, err := boltstore.Open(path, boltstore.WithClock(func() time.Time { return billingNow }))
	if err != nil {
		b.Fatal(err)
	}
	return db
}

// peakHeap runs fn once and returns how far the heap grew above what was
// live before, sampled every millisecond. The collector runs at 5% growth
// meanwhile, so the figure is memory held, not garbage awaiting collection.
func peakHeap(fn func()) uint64 {
	defer debug.SetGCPercent(debug.SetGCPercent(5))
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base, peak := ms.HeapAlloc, ms.HeapAlloc
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		var m runtime.MemStats
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				runtime.ReadMemStats(&m)
				peak = max(peak, m.HeapAlloc)
			}
		}
	}()
	fn()
	close(done)
	wg.Wait()
	return peak - base
}

// BenchmarkExportInvoicing measures the export in its two steps, for a
// month and a quarter: record (find the lines, sort them and store batch,
// lines and exported index in one transaction, on a fresh copy of the file
// each time) and writing a recorded batch's file (CSV or XLSX, to disk),
// and both together as the planner waits for them. peak-heap-MB is how far
// the heap grew during one run, measured apart from the timing.
func BenchmarkExportInvoicing(b *testing.B) {
	fixture := billingFixture(b, billingLocations())
	for _, period := range []struct {
		name string
		spec data.InvoiceSpec
	}{{"month", billingMonth}, {"quarter", billingQtr}} {
		prefix := fmt.Sprintf("loc=%d/%s/", billingLocations(), period.name)
		b.Run(prefix+"record", func(b *testing.B) {
			var batch data.InvoiceBatch
			benchRuns(b, fixture, func(db *boltstore.DB) {
				var err error
				if batch, err = db.ExportInvoicing(b.Context(), period.spec, nil); err != nil {
					b.Fatal(err)
				}
			})
			b.ReportMetric(float64(batch.Lines), "lines")
		})
		for _, format := range []InvoiceFormat{FormatCSV, FormatXLSX} {
			b.Run(prefix+string(format), func(b *testing.B) {
				db := openCopy(b, fixture, filepath.Join(b.TempDir(), "billing.db"))
				defer db.Close()
				batch, err := db.ExportInvoicing(b.Context(), period.spec, nil)
				if err != nil {
					b.Fatal(err)
				}
				out := filepath.Join(b.TempDir(), "export."+string(format))
				write := func() {
					f, err := os.Create(out)
					if err != nil {
						b.Fatal(err)
					}
					if err := WriteInvoice(f, format, batch, db.InvoiceLines(b.Context(), batch.ID)); err != nil {
						b.Fatal(err)
					}
					if err := f.Close(); err != nil {
						b.Fatal(err)
					}
				}
				peak := peakHeap(write)
				b.ReportAllocs()
				b.ResetTimer()
				for range b.N {
					write()
				}
				b.StopTimer()
				info, _ := os.Stat(out)
				b.ReportMetric(float64(batch.Lines), "lines")
				b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
				b.ReportMetric(float64(info.Size())/(1<<20), "file-MB")
			})
			b.Run(prefix+"record+"+string(format), func(b *testing.B) {
				out := filepath.Join(b.TempDir(), "export."+string(format))
				benchRuns(b, fixture, func(db *boltstore.DB) {
					batch, err := db.ExportInvoicing(b.Context(), period.spec, nil)
					if err != nil {
						b.Fatal(err)
					}
					f, err := os.Create(out)
					if err != nil {
						b.Fatal(err)
					}
					if err := WriteInvoice(f, format, batch, db.InvoiceLines(b.Context(), batch.ID)); err != nil {
						b.Fatal(err)
					}
					if err := f.Close(); err != nil {
						b.Fatal(err)
					}
				})
			})
		}
	}
}

// benchRuns times run on a fresh copy of the fixture per iteration; the
// copying is not timed. The heap's growth is measured in an extra, untimed run.
func benchRuns(b *testing.B, fixture string, run func(*boltstore.DB)) {
	b.Helper()
	path := filepath.Join(b.TempDir(), "billing.db")
	db := openCopy(b, fixture, path)
	peak := peakHeap(func() { run(db) })
	db.Close()
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		db := openCopy(b, fixture, path)
		b.StartTimer()
		run(db)
		b.StopTimer()
		db.Close()
		b.StartTimer()
	}
	b.StopTimer()
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
}
