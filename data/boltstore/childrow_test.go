package boltstore_test

import (
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"locatiedesk/data/boltstore"

	"locatiedesk/data"
	"locatiedesk/data/boltstore/generate"
	"locatiedesk/data/demo"
)

// TestChildRow_A1_SameAsTheWholeList: the one-child row a check-in reads
// is the child's row of the whole list, for every child, group and day of
// a generated location with its history (absences, requests, sign-ups,
// holidays, study days, closing days) and of the demo.
func TestChildRow_A1_SameAsTheWholeList(t *testing.T) {
	now := time.Date(2026, time.November, 25, 9, 30, 0, 0, time.UTC)
	clock := boltstore.WithClock(func() time.Time { return now })
	generated, err := boltstore.Open(filepath.Join(t.TempDir(), "generated.db"), clock)
	if err != nil {
		t.Fatal(err)
	}
	defer generated.Close()
	if err := generate.Generate(t.Context(), generated, generate.Options{Locations: 1, ChildrenPerLocation: 40, Years: 1, Today: data.DateOf(now), Seed: 7}, nil); err != nil {
		t.Fatal(err)
	}
	demoDB, err := boltstore.Open(filepath.Join(t.TempDir(), "demo.db"), clock)
	if err != nil {
		t.Fatal(err)
	}
	defer demoDB.Close()
	if err := demo.Fill(t.Context(), demoDB); err != nil {
		t.Fatal(err)
	}
	// A record of a child no longer expected keeps the child on the list.
	in := data.NewClock(8, 0)
	stray := data.DayRecord{Date: data.DateOf(now).AddDays(-1), GroupID: 1, ChildID: 2,
		Attendance: data.Attendance{CheckIn: &in, UpdatedBy: "test", UpdatedAt: now.Add(-24 * time.Hour)}}
	if err := generated.ImportRecords(t.Context(), []data.DayRecord{stray}); err != nil {
		t.Fatal(err)
	}
	for name, db := range map[string]*boltstore.DB{"generated": generated, "demo": demoDB} {
		t.Run(name, func(t *testing.T) {
			groups, err := db.Groups(t.Context(), 1)
			if err != nil {
				t.Fatal(err)
			}
			children, err := db.Children(t.Context(), 1)
			if err != nil {
				t.Fatal(err)
			}
			listed, unplanned := 0, 0
			for d := db.Today().AddDays(-60); d.Before(db.Today().AddDays(30)); d = d.AddDays(1) {
				for _, g := range groups {
					list, err := db.DayList(t.Context(), g.ID, d)
					if err != nil {
						t.Fatal(err)
					}
					for _, c := range children {
						row, on, closed, err := db.ChildRow(g.ID, c.ID, d)
						if err != nil {
							t.Fatal(err)
						}
						want, wantOn := rowOf(list, c.ID)
						if closed != list.Closed || on != wantOn || (on && !reflect.DeepEqual(row, want)) {
							t.Fatalf("%s in %s on %s: row %+v on %v closed %v; the list says %+v on %v closed %v",
								c.Name(), g.Name, d, row, on, closed, want, wantOn, list.Closed)
						}
						if on {
							listed++
						}
						if on && row.Source == "" {
							unplanned++
						}
					}
				}
			}
			if listed < 1000 || (name == "generated" && unplanned == 0) {
				t.Errorf("only %d rows compared, %d of them with a record only", listed, unplanned)
			}
		})
	}
}
