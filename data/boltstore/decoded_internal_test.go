package boltstore

import (
	"path/filepath"
	"testing"
	"time"

	"locatiedesk/data"
)

// TestPurge_AVG_ForgetsDecodedValues: after a purge the old name is not
// remembered in memory either, though the memo is keyed by stored bytes.
func TestPurge_AVG_ForgetsDecodedValues(t *testing.T) {
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	db, err := Open(filepath.Join(t.TempDir(), "memo.db"), WithClock(func() time.Time { return now }))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.Seed(t.Context(), data.Dataset{
		Settings:  data.DefaultSettings(),
		Locations: []data.Location{{ID: 1, Name: "L"}},
		Groups:    []data.Group{{ID: 1, LocationID: 1, Name: "G", Care: data.KDV, Capacity: 10}},
		Children:  []data.Child{{ID: 1, LocationID: 1, FirstName: "Zoë", LastName: "Vergeten", BirthDate: data.NewDate(2020, 1, 1)}},
		Contracts: []data.Contract{{ID: 1, ChildID: 1, GroupID: 1, Product: data.ProductKDV, Start: data.NewDate(2021, 1, 4), End: data.NewDate(2022, 6, 30),
			Days: []data.ContractDay{{Weekday: time.Monday, Times: data.TimeRange{From: data.NewClock(8, 0), Until: data.NewClock(17, 0)}}}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if c, err := db.Child(t.Context(), 1); err != nil || c.LastName != "Vergeten" {
		t.Fatalf("child before the purge: %+v, %v", c, err)
	}
	remembered := func() bool {
		childMemo.mu.RLock()
		defer childMemo.mu.RUnlock()
		for _, c := range childMemo.values {
			if c.LastName == "Vergeten" {
				return true
			}
		}
		return false
	}
	if !remembered() {
		t.Fatal("the memo did not remember the child; the test proves nothing")
	}
	res, err := db.PurgeExpired(t.Context())
	if err != nil || len(res.Children) != 1 {
		t.Fatalf("purge: %+v, %v", res, err)
	}
	if remembered() {
		t.Fatal("the purged name is still remembered in memory")
	}
}
