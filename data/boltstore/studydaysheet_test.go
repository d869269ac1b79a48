package boltstore_test

import (
	"path/filepath"
	"slices"
	"testing"
	"time"

	"locatiedesk/data"
	"locatiedesk/data/boltstore"
	"locatiedesk/data/boltstore/generate"
)

// TestStudyDaySheet_S1_OthersAsOnTheWholeLists: the sheet leaves out, from
// the children of other schools placed at the location, those whose group's
// whole list of the day has them under a contract or an approved request,
// and keeps the rest; for every study day of every school over a generated
// year with its requests and sign-ups.
func TestStudyDaySheet_S1_OthersAsOnTheWholeLists(t *testing.T) {
	now := time.Date(2026, time.November, 25, 9, 30, 0, 0, time.UTC)
	db, err := boltstore.Open(filepath.Join(t.TempDir(), "generated.db"), boltstore.WithClock(func() time.Time { return now }))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	today := data.DateOf(now)
	if err := generate.Generate(t.Context(), db, generate.Options{Locations: 1, ChildrenPerLocation: 150, Years: 1, Today: today, Seed: 7}, nil); err != nil {
		t.Fatal(err)
	}
	days, err := db.StudyDays(t.Context(), today.AddDays(-400), today.AddDays(60))
	if err != nil {
		t.Fatal(err)
	}
	children, err := db.Children(t.Context(), 1)
	if err != nil {
		t.Fatal(err)
	}
	kept := map[data.Source]int{}
	left := map[data.Source]int{}
	for _, sd := range days {
		sheet, err := db.StudyDaySheet(t.Context(), 1, sd.SchoolID, sd.Date)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range children {
			signed := slices.ContainsFunc(sheet.Rows, func(r data.StudyDayRow) bool { return r.Child.ID == c.ID && r.SignUp != nil })
			if c.SchoolID == sd.SchoolID || signed {
				continue
			}
			groupID, fiftyTwoWeeks := placedOn(t, db, c.ID, sd.Date)
			if groupID == 0 || fiftyTwoWeeks {
				continue
			}
			list, err := db.DayList(t.Context(), groupID, sd.Date)
			if err != nil {
				t.Fatal(err)
			}
			row, _ := rowOf(list, c.ID)
			want := row.Source != data.SourceContract && row.Source != data.SourceRequest
			got := slices.ContainsFunc(sheet.Others, func(r data.StudyDayRow) bool { return r.Child.ID == c.ID && r.Group.ID == groupID })
			if got != want {
				t.Fatalf("%s on the sheet of school %d on %s: among the others %v; the list of group %d has them as %q",
					c.Name(), sd.SchoolID, sd.Date, got, groupID, row.Source)
			}
			if got {
				kept[row.Source]++
			} else {
				left[row.Source]++
			}
		}
	}
	if kept[""] == 0 || left[data.SourceContract] == 0 || left[data.SourceRequest] == 0 {
		t.Errorf("%d study days compared: kept %v, left out %v; want some of each", len(days), kept, left)
	}
}

// placedOn is the group of the child's BSO care on d: the care contract's,
// or a holiday contract's when that is all the child has; and whether a
// 52-weeks contract brings the child that day anyway.
func placedOn(t *testing.T, db *boltstore.DB, childID data.ID, d data.Date) (groupID data.ID, fiftyTwoWeeks bool) {
	t.Helper()
	contracts, err := db.Contracts(t.Context(), childID)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range contracts {
		if data.CareOf(c.Product) != data.BSO || !c.Runs(d) {
			continue
		}
		if groupID == 0 || c.Product != data.ProductBSOHoliday {
			groupID = c.GroupID
		}
		fiftyTwoWeeks = fiftyTwoWeeks || c.Product == data.ProductBSO52Weeks
	}
	return groupID, fiftyTwoWeeks
}
