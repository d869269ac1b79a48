package boltstore_test

import (
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"locatiedesk/data/boltstore"
	"locatiedesk/data/datatest"

	bolt "go.etcd.io/bbolt"

	"locatiedesk/data"
)

// breakPages gives every page below the newest meta's root a page type that
// does not exist (the root with its leaves and the freelist stay, so the
// file opens).
func breakPages(t *testing.T, path string) {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	meta := raw[16:]
	pageSize := int(binary.NativeEndian.Uint32(meta[8:]))
	if other := raw[pageSize+16:]; binary.NativeEndian.Uint64(other[48:]) > binary.NativeEndian.Uint64(meta[48:]) {
		meta = other
	}
	root, freelist := binary.NativeEndian.Uint64(meta[16:]), binary.NativeEndian.Uint64(meta[32:])
	keep := map[uint64]bool{root: true, freelist: true}
	// A root with more top-level buckets than one page holds is a branch:
	// its leaves, which name the buckets, stay too.
	if page := raw[int(root)*pageSize:]; binary.NativeEndian.Uint16(page[8:])&0x01 != 0 {
		for i := range int(binary.NativeEndian.Uint16(page[10:])) {
			keep[binary.NativeEndian.Uint64(page[16+16*i+8:])] = true
		}
	}
	for id := uint64(2); int(id)*pageSize < len(raw); id++ {
		if !keep[id] {
			binary.NativeEndian.PutUint16(raw[int(id)*pageSize+8:], 0x20)
		}
	}
	os.WriteFile(path, raw, 0o600)
}

func TestDamagedPages_ErrorNamingTheRestoreNeverAPanic(t *testing.T) {
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.Local)
	db, path := datatest.Open(t, datatest.Moving(&now), datatest.WithDemo())
	if _, err := db.DailyBackup(t.Context(), boltstore.BackupDir(path), 7); err != nil {
		t.Fatal(err)
	}
	db.Close()
	breakPages(t, path)

	db, err := boltstore.OpenExisting(path, boltstore.WithClock(func() time.Time { return now }))
	if err != nil {
		t.Fatal(err)
	}
	_, err = db.DayList(t.Context(), 1, data.DateOf(now))
	var damaged *data.DamagedError
	if !errors.As(err, &damaged) || !errors.Is(err, data.ErrDamaged) {
		t.Fatalf("DayList on damaged pages: %v", err)
	}
	want := "locatiedesk restore --db " + path + " " + filepath.Join(boltstore.BackupDir(path), "locatiedesk-"+data.DateOf(now).String()+".db")
	if damaged.RestoreCommand() != want || !strings.Contains(err.Error(), want) {
		t.Errorf("restore command %q, want %q", damaged.RestoreCommand(), want)
	}
	// Every later call says the same without reading the file again; a write too.
	if err := db.SetNote(t.Context(), data.DayEdit{Date: data.DateOf(now), GroupID: 1, ChildID: 1, By: "test"}, "x"); !errors.Is(err, data.ErrDamaged) {
		t.Errorf("a write after the damage: %v", err)
	}
	if err := db.BackupTo(t.Context(), filepath.Join(t.TempDir(), "b.db")); !errors.Is(err, data.ErrDamaged) {
		t.Errorf("a backup of the damaged file: %v", err)
	}
	done := make(chan error)
	go func() { done <- db.Close() }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Close hangs on a damaged file")
	}
}

func TestOpenExisting_RefusesAMissingFileAndCreatesNothing(t *testing.T) {
	dir := t.TempDir()
	_, err := boltstore.OpenExisting(filepath.Join(dir, "typo", "locatiedesk.db"))
	if !errors.Is(err, data.ErrNoFile) {
		t.Fatalf("error %v, want ErrNoFile", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("created %v", entries)
	}
	if _, err := boltstore.OpenExisting(dir); err == nil || !strings.Contains(err.Error(), "folder") {
		t.Errorf("a folder as data file: %v", err)
	}
}

// rewrite changes one stored value behind the store's back, as damage that
// leaves bbolt's pages whole would.
func rewrite(t *testing.T, path string, change func(tx *bolt.Tx) error) {
	t.Helper()
	b, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Update(change); err != nil {
		t.Fatal(err)
	}
	b.Close()
}

func TestVerifyFile_ReadsEveryRecord(t *testing.T) {
	id := func(n uint64) []byte { return binary.BigEndian.AppendUint64(nil, n) }
	tests := []struct {
		name   string
		change func(tx *bolt.Tx) error
	}{
		{"a record that is not JSON", func(tx *bolt.Tx) error {
			return tx.Bucket([]byte("children")).Put(id(1), []byte(`{"id":1,"firstName":"Zo`))
		}},
		{"a name that is not UTF-8", func(tx *bolt.Tx) error {
			return tx.Bucket([]byte("children")).Put(id(1), []byte("{\"id\":1,\"locationId\":1,\"firstName\":\"Zo\xeb\"}"))
		}},
		{"a field name changed", func(tx *bolt.Tx) error {
			return tx.Bucket([]byte("groups")).Put(id(1), []byte(`{"id":1,"locatxonId":1}`))
		}},
		{"a record under another ID", func(tx *bolt.Tx) error { return tx.Bucket([]byte("groups")).Put(id(1), []byte(`{"id":7}`)) }},
		{"an index pointing at nothing", func(tx *bolt.Tx) error {
			return tx.Bucket([]byte("children-by-location")).Bucket(id(1)).Put(id(999), nil)
		}},
		{"a child missing from its location's index", func(tx *bolt.Tx) error {
			return tx.Bucket([]byte("children-by-location")).Bucket(id(1)).Delete(id(1))
		}},
		{"a number index pointing at another child", func(tx *bolt.Tx) error {
			return tx.Bucket([]byte("children-by-number")).Put([]byte("K-0001"), id(2))
		}},
		{"a bucket renamed", func(tx *bolt.Tx) error {
			if _, err := tx.CreateBucket([]byte("attendancf")); err != nil {
				return err
			}
			return tx.DeleteBucket([]byte("closing-days"))
		}},
	}
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.Local)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, path := datatest.Open(t, datatest.Moving(&now), datatest.WithDemo())
			db.Close()
			if err := boltstore.VerifyFile(path); err != nil {
				t.Fatalf("the undamaged file: %v", err)
			}
			rewrite(t, path, tt.change)
			if err := boltstore.VerifyFile(path); !errors.Is(err, data.ErrDamaged) || !errors.Is(err, data.ErrNotABackup) {
				t.Fatalf("VerifyFile: %v, want damage", err)
			}
		})
	}
}

func TestRestore_TwiceInOneSecondKeepsBothAndRefusesAFolder(t *testing.T) {
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.Local)
	db, path := datatest.Open(t, datatest.Moving(&now), datatest.WithDemo())
	backup := filepath.Join(t.TempDir(), "b.db")
	if err := db.BackupTo(t.Context(), backup); err != nil {
		t.Fatal(err)
	}
	db.Close()
	first, err := boltstore.Restore(path, backup, now)
	if err != nil {
		t.Fatal(err)
	}
	second, err := boltstore.Restore(path, backup, now)
	if err != nil {
		t.Fatalf("second restore in the same second: %v", err)
	}
	if first == second {
		t.Fatalf("both kept as %s", first)
	}
	parent := t.TempDir()
	folder := filepath.Join(parent, "data")
	os.Mkdir(folder, 0o700)
	if _, err := boltstore.Restore(folder, backup, now); err == nil {
		t.Fatal("restored onto a folder")
	}
	if entries, _ := os.ReadDir(parent); len(entries) != 1 {
		t.Errorf("left beside the folder: %v", entries)
	}
}
