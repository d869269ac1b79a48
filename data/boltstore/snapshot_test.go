package boltstore_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"locatiedesk/data"
	"locatiedesk/data/boltstore"
	"locatiedesk/data/datatest"
	"locatiedesk/data/snapshot"
)

// snapshotOf reads the whole file at path.
func snapshotOf(t *testing.T, path string) snapshot.Snapshot {
	t.Helper()
	db, err := boltstore.OpenExisting(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s, err := db.Snapshot(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func canonicalJSON(t *testing.T, s snapshot.Snapshot) string {
	t.Helper()
	raw, err := json.MarshalIndent(s.Canonical(), "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return string(raw)
}

func TestSnapshot_RoundTripThroughANewFile(t *testing.T) {
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.Local)
	dir := t.TempDir()
	original := filepath.Join(dir, "demo.db")
	datatest.FullDemo(t, original, now)
	before := snapshotOf(t, original)
	tables, err := before.Tables()
	if err != nil {
		t.Fatal(err)
	}
	for _, tb := range tables {
		// Every kind of record is in the file, or the round trip proves nothing of it.
		if tb.Rows == 0 {
			t.Errorf("the demo file holds no %s", tb.Name)
		}
	}

	copied := filepath.Join(dir, "copy.db")
	if err := boltstore.CreateFromSnapshot(t.Context(), copied, before); err != nil {
		t.Fatal(err)
	}
	// Its indexes are the ones the store's own writes build.
	if err := boltstore.VerifyFile(copied); err != nil {
		t.Fatalf("the new file does not verify: %v", err)
	}
	after := snapshotOf(t, copied)
	if a, b := canonicalJSON(t, before), canonicalJSON(t, after); a != b {
		t.Fatalf("the new file holds other records than the snapshot it was made from")
	}
	again, err := after.Tables()
	if err != nil {
		t.Fatal(err)
	}
	if diff := snapshot.Differences(tables, again); len(diff) > 0 {
		t.Fatalf("tables differ: %v", diff)
	}

	// Later writes get fresh IDs and log after the copied log.
	db, err := boltstore.OpenExisting(copied, boltstore.WithClock(func() time.Time { return now }))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	loc, err := db.AddLocation(t.Context(), "De Rups")
	if err != nil {
		t.Fatal(err)
	}
	if loc.ID <= before.Locations[len(before.Locations)-1].ID {
		t.Errorf("a new location got ID %d, taken in the copied file", loc.ID)
	}
	log, err := db.Audit(t.Context(), data.AuditFilter{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	if last := before.Audit[len(before.Audit)-1].Seq; log[0].Seq != last+1 {
		t.Errorf("the first write after the copy is logged as %d, want %d", log[0].Seq, last+1)
	}
}

func TestCreateFromSnapshot_AllOrNothing(t *testing.T) {
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.Local)
	dir := t.TempDir()
	original := filepath.Join(dir, "demo.db")
	datatest.FullDemo(t, original, now)
	s := snapshotOf(t, original)
	// A user in a group the snapshot does not hold: the file is not made.
	s.Users[0].GroupIDs = append(s.Users[0].GroupIDs, 999)
	broken := filepath.Join(dir, "broken.db")
	if err := boltstore.CreateFromSnapshot(t.Context(), broken, s); err == nil {
		t.Fatal("a snapshot with a dangling reference made a file")
	}
	if _, err := os.Stat(broken); !os.IsNotExist(err) {
		t.Errorf("a failed copy left %s behind (%v)", broken, err)
	}
	if err := boltstore.CreateFromSnapshot(t.Context(), original, s); err == nil {
		t.Error("an existing file was overwritten")
	}
}
