package boltstore_test

import (
	"bytes"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"locatiedesk/data/benchtest"
	"locatiedesk/data/boltstore"

	"locatiedesk/data"
	"locatiedesk/data/boltstore/generate"
)

// importScale is the organisation the import benchmark moves in: 40
// locations of 150 children, each with a contract (every seventh a second,
// of flexible credit), as one file of its planning system.
func importScale(b *testing.B) (data.Dataset, []byte) {
	b.Helper()
	ds := generate.Organisation(generate.Options{Locations: 40, ChildrenPerLocation: 10, Today: benchtest.Today, Seed: 42})
	ds.Children, ds.Contracts, ds.Consents, ds.StudyDays, ds.SignUps = nil, nil, nil, nil, nil
	var file bytes.Buffer
	for i, loc := range ds.Locations {
		var groups []data.Group
		for _, g := range ds.Groups {
			if g.LocationID == loc.ID {
				groups = append(groups, g)
			}
		}
		var part bytes.Buffer
		_, err := generate.ChildrenFile(&part, generate.ChildrenFileOptions{Location: loc.Name, Groups: groups, Children: 150,
			Start: benchtest.Today.AddDays(-200), NumberPrefix: fmt.Sprintf("L%02d-", i+1), Seed: uint64(i)})
		if err != nil {
			b.Fatal(err)
		}
		if i > 0 {
			part.ReadBytes('\n') // one header line for the whole file
		}
		file.Write(part.Bytes())
	}
	return ds, file.Bytes()
}

func importFile(b *testing.B, db *boltstore.DB, file []byte) data.ChildImportPlan {
	b.Helper()
	ci, err := data.ParseChildImport("planning.csv", bytes.NewReader(file), nil)
	if err != nil || len(ci.Problems) > 0 {
		b.Fatalf("parse: %v %v", err, ci.Problems)
	}
	plan, err := db.ImportChildren(b.Context(), ci)
	if err != nil {
		b.Fatal(err)
	}
	return plan
}

// BenchmarkImportChildren: a whole organisation's first import (goal under
// 5 s) and the unchanged file again (goal under 2 s), parsing included.
func BenchmarkImportChildren(b *testing.B) {
	ds, file := importScale(b)
	open := func(b *testing.B) *boltstore.DB {
		db, err := boltstore.Open(filepath.Join(b.TempDir(), "l.db"), boltstore.WithClock(func() time.Time { return benchtest.Now }))
		if err != nil {
			b.Fatal(err)
		}
		if err := db.Seed(b.Context(), ds); err != nil {
			b.Fatal(err)
		}
		return db
	}
	b.Run("first/loc=40", func(b *testing.B) {
		for range b.N {
			b.StopTimer()
			db := open(b)
			b.StartTimer()
			if n := importFile(b, db, file).Counts(); n.ChildrenCreated != 6000 {
				b.Fatalf("%d children created", n.ChildrenCreated)
			}
			b.StopTimer()
			db.Close()
			b.StartTimer()
		}
	})
	b.Run("again/loc=40", func(b *testing.B) {
		db := open(b)
		defer db.Close()
		importFile(b, db, file)
		b.ResetTimer()
		for range b.N {
			if plan := importFile(b, db, file); plan.HasChanges() {
				b.Fatalf("the same file changes %+v", plan.Counts())
			}
		}
	})
}
