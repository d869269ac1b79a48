package boltstore

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

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
