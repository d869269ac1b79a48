package generate_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"locatiedesk/data"
	"locatiedesk/data/generate"
)

// benchToday is a Wednesday in term time: every group has a full list.
var benchToday = time.Date(2026, 11, 25, 9, 30, 0, 0, time.UTC)

type scale struct{ locations, years int }

func (s scale) String() string { return fmt.Sprintf("loc=%d/years=%d", s.locations, s.years) }

// scales are the sizes benchmarked: the short set by default (CI), the whole
// grid up to 40 locations and 5 years with LOCATIEDESK_BENCH=full.
func scales() []scale {
	if os.Getenv("LOCATIEDESK_BENCH") == "full" {
		return []scale{{1, 1}, {1, 5}, {10, 1}, {10, 5}, {40, 1}, {40, 5}}
	}
	return []scale{{1, 1}, {1, 5}, {10, 1}}
}

// benchFile returns a generated store of the given scale, made once and kept
// in the temp folder between runs (the generator is deterministic).
func benchFile(b *testing.B, s scale) string {
	b.Helper()
	dir := filepath.Join(os.TempDir(), "locatiedesk-bench")
	path := filepath.Join(dir, fmt.Sprintf("gen-v1-loc%d-years%d.db", s.locations, s.years))
	if _, err := os.Stat(path); err == nil {
		return path
	}
	os.MkdirAll(dir, 0o700)
	tmp := path + ".partial"
	os.Remove(tmp)
	db, err := data.Open(tmp, data.WithClock(func() time.Time { return benchToday }))
	if err != nil {
		b.Fatal(err)
	}
	opts := generate.Options{Locations: s.locations, ChildrenPerLocation: 150, Years: s.years, Today: data.DateOf(benchToday), Seed: 42}
	if err := generate.Generate(db, opts, nil); err != nil {
		b.Fatal(err)
	}
	db.Close()
	if err := os.Rename(tmp, path); err != nil {
		b.Fatal(err)
	}
	return path
}

func openBench(b *testing.B, path string) *data.DB {
	b.Helper()
	db, err := data.Open(path, data.WithClock(func() time.Time { return benchToday }))
	if err != nil {
		b.Fatal(err)
	}
	return db
}

// busiestGroup is the group of location 1 with the most children today.
func busiestGroup(b *testing.B, db *data.DB) data.DayList {
	b.Helper()
	groups, err := db.Groups(1)
	if err != nil {
		b.Fatal(err)
	}
	var best data.DayList
	for _, g := range groups {
		list, err := db.DayList(g.ID, db.Today())
		if err != nil {
			b.Fatal(err)
		}
		if len(list.Rows) > len(best.Rows) {
			best = list
		}
	}
	return best
}

// bareRead reads, with bbolt alone, the keys a day's list reads: the
// group's index and contracts and the day's attendance records.
func bareRead(b *testing.B, bdb *bolt.DB, list data.DayList) {
	err := bdb.View(func(tx *bolt.Tx) error {
		n := 0
		gk := make([]byte, 8)
		gk[7] = byte(list.Group.ID)
		if idx := tx.Bucket([]byte("contracts-by-group")).Bucket(gk); idx != nil {
			contracts := tx.Bucket([]byte("contracts"))
			idx.ForEach(func(k, _ []byte) error { n += len(contracts.Get(k)); return nil })
		}
		if day := tx.Bucket([]byte("attendance")).Bucket([]byte(list.Date.String())); day != nil {
			if g := day.Bucket(gk); g != nil {
				g.ForEach(func(_, v []byte) error { n += len(v); return nil })
			}
		}
		if n == 0 {
			b.Fatal("bare read found nothing")
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
}

// BenchmarkOpenToFirstList is opening the app's store and reading the first
// list it shows, against opening the file with bbolt alone and reading the same keys.
func BenchmarkOpenToFirstList(b *testing.B) {
	for _, s := range scales() {
		path := benchFile(b, s)
		db := openBench(b, path)
		list := busiestGroup(b, db)
		db.Close()
		b.Run(s.String()+"/store", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				db := openBench(b, path)
				locs, _ := db.Locations()
				groups, _ := db.Groups(locs[0].ID)
				if _, err := db.DayList(groups[0].ID, db.Today()); err != nil {
					b.Fatal(err)
				}
				db.Close()
			}
		})
		b.Run(s.String()+"/bare-bbolt", func(b *testing.B) {
			for b.Loop() {
				bdb, err := bolt.Open(path, 0o600, nil)
				if err != nil {
					b.Fatal(err)
				}
				bareRead(b, bdb, list)
				bdb.Close()
			}
		})
	}
}

// BenchmarkDayList is one group's list of the day (daily action).
func BenchmarkDayList(b *testing.B) {
	for _, s := range scales() {
		path := benchFile(b, s)
		db := openBench(b, path)
		list := busiestGroup(b, db)
		b.Run(s.String()+"/store", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := db.DayList(list.Group.ID, list.Date); err != nil {
					b.Fatal(err)
				}
			}
		})
		db.Close()
		bdb, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
		if err != nil {
			b.Fatal(err)
		}
		b.Run(s.String()+"/bare-bbolt", func(b *testing.B) {
			for b.Loop() {
				bareRead(b, bdb, list)
			}
		})
		bdb.Close()
	}
}

// BenchmarkCheckIn is one check-in (daily action): rule checks, one
// transaction, the change feed. The baseline writes one key of the same size
// in a bare bbolt update on the same file.
func BenchmarkCheckIn(b *testing.B) {
	for _, s := range scales() {
		path := benchFile(b, s)
		db := openBench(b, path)
		list := busiestGroup(b, db)
		edit := data.DayEdit{Date: list.Date, GroupID: list.Group.ID, ChildID: list.Rows[0].Child.ID, By: "bench"}
		db.Subscribe(func(data.Change) {})
		b.Run(s.String()+"/store", func(b *testing.B) {
			b.ReportAllocs()
			at := data.NewClock(8, 0)
			for b.Loop() {
				if err := db.SetTimes(edit, &at, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
		db.Close()
		bdb, err := bolt.Open(path, 0o600, nil)
		if err != nil {
			b.Fatal(err)
		}
		value := []byte(`{"checkIn":"08:00","updatedBy":"bench","updatedAt":"2026-11-25T09:30:00Z"}`)
		b.Run(s.String()+"/bare-bbolt", func(b *testing.B) {
			for b.Loop() {
				err := bdb.Update(func(tx *bolt.Tx) error {
					bk, err := tx.CreateBucketIfNotExists([]byte("bench-baseline"))
					if err != nil {
						return err
					}
					return bk.Put([]byte("key"), value)
				})
				if err != nil {
					b.Fatal(err)
				}
			}
		})
		bdb.Close()
	}
}
