package boltstore

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"locatiedesk/data"

	bolt "go.etcd.io/bbolt"
)

// TestMigrate_BacksUpAFileWithDataFirst pretends a newer build with one more
// migration opens today's file: the file is backed up before it is upgraded,
// and the upgrade runs once.
func TestMigrate_BacksUpAFileWithDataFirst(t *testing.T) {
	path := filepath.Join(t.TempDir(), "locatiedesk.db")
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()

	savedMigrations, savedVersion := migrations, SchemaVersion
	t.Cleanup(func() { migrations, SchemaVersion = savedMigrations, savedVersion })
	ran := 0
	migrations = append(append([]func(*bolt.Tx) error{}, migrations...), func(tx *bolt.Tx) error {
		ran++
		_, err := tx.CreateBucketIfNotExists([]byte("added-by-v2"))
		return err
	})
	SchemaVersion = uint64(len(migrations))

	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	for range 2 {
		db, err = Open(path, WithClock(func() time.Time { return now }))
		if err != nil {
			t.Fatal(err)
		}
		db.Close()
	}
	if ran != 1 {
		t.Fatalf("the new migration ran %d times, want once", ran)
	}
	entries, _ := os.ReadDir(BackupDir(path))
	wantName := fmt.Sprintf("locatiedesk-before-schema-%d-20261125", savedVersion+1)
	if len(entries) != 1 || !strings.HasPrefix(entries[0].Name(), wantName) {
		t.Fatalf("backups: %v, want one named %s…", entries, wantName)
	}
	backup := filepath.Join(BackupDir(path), entries[0].Name())
	b, err := bolt.Open(backup, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	b.View(func(tx *bolt.Tx) error {
		if v := btoi(tx.Bucket(bucketMeta).Get(keyVersion)); v != savedVersion || tx.Bucket([]byte("added-by-v2")) != nil {
			t.Errorf("the backup holds schema %d, want the file as it was before (%d)", v, savedVersion)
		}
		return nil
	})
}

// TestMigrate_IndexesChildrenByLocation: a file of schema 5 holds children
// but no index of them by location; the upgrade builds it, so a location's
// children are found through it.
func TestMigrate_IndexesChildrenByLocation(t *testing.T) {
	path := filepath.Join(t.TempDir(), "locatiedesk.db")
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	ds := data.Dataset{Settings: data.DefaultSettings(), Locations: []data.Location{{ID: 1, Name: "A"}, {ID: 2, Name: "B"}},
		Children: []data.Child{{ID: 1, LocationID: 1, FirstName: "Zoë"}, {ID: 2, LocationID: 2, FirstName: "Daniël"}, {ID: 3, LocationID: 1, FirstName: "Ayşe"}}}
	if err := db.Seed(t.Context(), ds); err != nil {
		t.Fatal(err)
	}
	err = db.bolt.Update(func(tx *bolt.Tx) error { // back to schema 5, as an older build left it
		if err := tx.DeleteBucket(bucketChildrenByLocation); err != nil {
			return err
		}
		return tx.Bucket(bucketMeta).Put(keyVersion, itob(5))
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	db, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	children, err := db.Children(t.Context(), 1)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range children {
		names = append(names, c.FirstName)
	}
	if strings.Join(names, ",") != "Ayşe,Zoë" {
		t.Errorf("children of location 1 after the upgrade: %v, want Ayşe and Zoë", names)
	}
}

// TestMigrate_IndexesChildrenByNumber: a file of schema 8 holds children
// with planning numbers but no index of them; the upgrade builds it, so a
// re-import finds each child by number.
func TestMigrate_IndexesChildrenByNumber(t *testing.T) {
	path := filepath.Join(t.TempDir(), "locatiedesk.db")
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	ds := data.Dataset{Settings: data.DefaultSettings(), Locations: []data.Location{{ID: 1, Name: "A"}},
		Children: []data.Child{{ID: 1, LocationID: 1, FirstName: "Zoë", Number: "K-1"}, {ID: 2, LocationID: 1, FirstName: "Daniël"}, {ID: 3, LocationID: 1, FirstName: "Ayşe", Number: "K-3"}}}
	if err := db.Seed(t.Context(), ds); err != nil {
		t.Fatal(err)
	}
	err = db.bolt.Update(func(tx *bolt.Tx) error { // back to schema 8, as an older build left it
		if err := tx.DeleteBucket(bucketChildrenByNumber); err != nil {
			return err
		}
		return tx.Bucket(bucketMeta).Put(keyVersion, itob(8))
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	db, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for number, want := range map[string]string{"K-1": "Zoë", "K-3": "Ayşe"} {
		if c, err := db.ChildByNumber(t.Context(), number); err != nil || c.FirstName != want {
			t.Errorf("child %s after the upgrade: %+v, %v; want %s", number, c, err, want)
		}
	}
}
