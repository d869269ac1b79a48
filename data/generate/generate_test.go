package generate_test

import (
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"locatiedesk/data"
	"locatiedesk/data/generate"
)

func TestOrganisation_DeterministicAndEveryProduct(t *testing.T) {
	opts := generate.Options{Locations: 3, ChildrenPerLocation: 40, Years: 2, Today: data.NewDate(2026, time.November, 25), Seed: 9}
	a, b := generate.Organisation(opts), generate.Organisation(opts)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("the same options built two different organisations")
	}
	if len(a.Locations) != 3 || len(a.Groups) != 18 {
		t.Fatalf("%d locations, %d groups; want 3 and 18", len(a.Locations), len(a.Groups))
	}
	products := map[data.Product]bool{}
	running := 0
	for _, c := range a.Contracts {
		products[c.Product] = true
		if (c.Product == data.ProductKDV || c.Product == data.ProductBSOSchoolWeeks || c.Product == data.ProductBSO52Weeks) && c.Runs(opts.Today) {
			running++
		}
	}
	for _, p := range data.Products {
		if !products[p] {
			t.Errorf("no %s contract", p)
		}
	}
	if running != 3*40 {
		t.Errorf("%d children in care today, want %d", running, 3*40)
	}
}

func TestGenerate_WritesHistory(t *testing.T) {
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	db, err := data.Open(filepath.Join(t.TempDir(), "org.db"), data.WithClock(func() time.Time { return now }))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	opts := generate.Options{Locations: 1, ChildrenPerLocation: 30, Years: 1, Today: data.DateOf(now), Seed: 3}
	if err := generate.Generate(db, opts, nil); err != nil {
		t.Fatal(err)
	}
	// A Wednesday in term time half a year ago has records for every child expected.
	list, err := db.DayList(1, data.NewDate(2026, time.May, 20))
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Rows) == 0 {
		t.Fatal("no children on a past list")
	}
	for _, r := range list.Rows {
		if r.Attendance.Status() == data.StatusToCome {
			t.Fatalf("%s has no record on a past day", r.Child.Name())
		}
	}
	if err := generate.Generate(db, opts, nil); err == nil {
		t.Fatal("generating into a file with data must fail")
	}
}
