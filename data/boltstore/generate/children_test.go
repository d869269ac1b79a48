package generate_test

import (
	"bytes"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"locatiedesk/data/boltstore"

	"locatiedesk/data"
	"locatiedesk/data/boltstore/generate"
)

// TestChildrenFile_M1_ImportsAndFillsTheLists writes a 40-child file for one
// location, imports it into an organisation without children, and finds on
// the next day's lists exactly the children whose lines give care that weekday.
func TestChildrenFile_M1_ImportsAndFillsTheLists(t *testing.T) {
	now := time.Date(2026, time.November, 24, 9, 0, 0, 0, time.UTC) // a Tuesday
	db, err := boltstore.Open(filepath.Join(t.TempDir(), "l.db"), boltstore.WithClock(func() time.Time { return now }))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	groups := []data.Group{{ID: 1, LocationID: 1, Name: "Dolfijnen", Care: data.KDV, Capacity: 16}, {ID: 2, LocationID: 1, Name: "Zeesterren", Care: data.BSO, Capacity: 20}}
	if err := db.Seed(t.Context(), data.Dataset{Settings: data.DefaultSettings(), Locations: []data.Location{{ID: 1, Name: "De Haven"}}, Groups: groups}); err != nil {
		t.Fatal(err)
	}
	var file bytes.Buffer
	lines, err := generate.ChildrenFile(&file, generate.ChildrenFileOptions{Location: "De Haven", Groups: groups, Children: 40, Start: data.DateOf(now).AddDays(-30), Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	ci, err := data.ParseChildImport("kinderen.csv", &file, nil)
	if err != nil || len(ci.Problems) > 0 {
		t.Fatalf("parse: %v %v", err, ci.Problems)
	}
	plan, err := db.ImportChildren(t.Context(), ci)
	if err != nil {
		t.Fatal(err)
	}
	if n := plan.Counts(); n.ChildrenCreated != 40 || n.ContractsCreated != len(lines) {
		t.Fatalf("imported %+v, want 40 children and %d contracts", n, len(lines))
	}
	tomorrow := data.DateOf(now).AddDays(1)
	for _, g := range groups {
		var want []string
		for _, l := range lines {
			if l.Group == g.Name && slices.ContainsFunc(l.Days, func(d data.ContractDay) bool { return d.Weekday == tomorrow.Weekday() }) {
				want = append(want, l.Number)
			}
		}
		list, err := db.DayList(t.Context(), g.ID, tomorrow)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, r := range list.Rows {
			got = append(got, r.Child.Number)
		}
		slices.Sort(want)
		slices.Sort(got)
		if len(want) == 0 || !slices.Equal(got, want) {
			t.Errorf("%s tomorrow: %v, want %v", g.Name, got, want)
		}
	}
}
