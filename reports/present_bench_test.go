package reports

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"locatiedesk/data/boltstore"

	"locatiedesk/data"
	"locatiedesk/data/boltstore/generate"
	"locatiedesk/data/datatest"
)

// presentNow is a Wednesday morning: the daycare groups are full, the
// out-of-school children are still at school.
var presentNow = time.Date(2026, time.December, 2, 10, 0, 0, 0, time.UTC)

// presentStore is a generated location of 150 children, each with two
// contacts, every one of them checked in at 08:00.
func presentStore(b *testing.B) *boltstore.DB {
	b.Helper()
	ds := generate.Organisation(generate.Options{Locations: 1, ChildrenPerLocation: 150, Years: 1, Today: data.DateOf(presentNow), Seed: 42})
	for i := range ds.Children {
		c := &ds.Children[i]
		c.Contacts = []data.Contact{
			{Name: "Ouder van " + c.FirstName, Relation: "moeder", Phone: fmt.Sprintf("06-%08d", i)},
			{Name: "Oma van " + c.FirstName, Relation: "oma", Phone: fmt.Sprintf("020-%07d", i)},
		}
	}
	db, _ := datatest.Open(b, datatest.At(presentNow), datatest.Seeded(ds))
	// Every child with care today is checked in, also those not expected
	// on a Wednesday: the largest list a location of 150 children can give.
	today := data.DateOf(presentNow)
	eight := data.NewClock(8, 0)
	var records []data.DayRecord
	checkedIn := map[data.ID]bool{}
	for _, c := range ds.Contracts {
		if c.Runs(today) && !checkedIn[c.ChildID] {
			checkedIn[c.ChildID] = true
			records = append(records, data.DayRecord{Date: today, GroupID: c.GroupID, ChildID: c.ChildID,
				Attendance: data.Attendance{CheckIn: &eight, UpdatedBy: "bench", UpdatedAt: presentNow}})
		}
	}
	if err := db.ImportRecords(b.Context(), records); err != nil {
		b.Fatal(err)
	}
	return db
}

// BenchmarkPresentTapToFile is what the "Who is here now?" print does from
// the tap: read the list, make the PDF, log the print and write the file
// whole. The goal is under 200 ms for a location of 150 children.
func BenchmarkPresentTapToFile(b *testing.B) {
	db := presentStore(b)
	list, err := db.PresentNow(b.Context(), 1, 0)
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("%d children here, %d not here yet, in %d groups", list.Total(), list.TotalNotHere(), len(list.Groups))
	if list.Total() < 140 {
		b.Fatalf("only %d children here: the benchmark would measure too little", list.Total())
	}
	dir := b.TempDir()
	b.Run("read", func(b *testing.B) {
		for b.Loop() {
			if _, err := db.PresentNow(b.Context(), 1, 0); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(list.Total()), "rows")
	})
	b.Run("pdf", func(b *testing.B) {
		for b.Loop() {
			if err := PresentPDF(io.Discard, list); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(list.Total()), "rows")
	})
	b.Run("tap-to-file", func(b *testing.B) {
		path := filepath.Join(dir, "wie-is-er.pdf")
		for b.Loop() {
			list, err := db.PresentNow(b.Context(), 1, 0)
			if err != nil {
				b.Fatal(err)
			}
			f, err := os.CreateTemp(dir, ".present-*")
			if err != nil {
				b.Fatal(err)
			}
			err = PresentPDF(f, list)
			if err == nil {
				err = db.LogPrint(b.Context(), "bench")
			}
			if cerr := f.Close(); err == nil {
				err = cerr
			}
			if err == nil {
				err = os.Rename(f.Name(), path)
			}
			if err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(list.Total()), "rows")
	})
}
