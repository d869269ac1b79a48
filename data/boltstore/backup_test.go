package boltstore_test

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"locatiedesk/data/boltstore"
	"locatiedesk/data/datatest"

	bolt "go.etcd.io/bbolt"

	"locatiedesk/data"
)

func TestBackupTo_VerifiedCopyWithTheSameData(t *testing.T) {
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.Local)
	db, _ := datatest.Open(t, datatest.Moving(&now), datatest.WithDemo())
	defer db.Close()
	edit := data.DayEdit{Date: data.DateOf(now), GroupID: 1, By: "test"}
	list, _ := db.DayList(t.Context(), 1, edit.Date)
	edit.ChildID = list.Rows[0].Child.ID
	if err := db.SetNote(t.Context(), edit, "Łukasz haalt op"); err != nil {
		t.Fatal(err)
	}

	backup := filepath.Join(t.TempDir(), "copy.db")
	if err := db.BackupTo(t.Context(), backup); err != nil {
		t.Fatal(err)
	}
	copyDB, err := boltstore.Open(backup, boltstore.WithClock(func() time.Time { return now }))
	if err != nil {
		t.Fatal(err)
	}
	defer copyDB.Close()
	restored, err := copyDB.DayList(t.Context(), 1, edit.Date)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := db.DayList(t.Context(), 1, edit.Date)
	if !reflect.DeepEqual(restored.Rows, want.Rows) {
		t.Fatal("the backup's list differs from the store's")
	}
}

func TestVerifyFile_RefusesDamagedAndForeignFiles(t *testing.T) {
	dir := t.TempDir()
	garbage := filepath.Join(dir, "garbage.db")
	os.WriteFile(garbage, []byte("this is a spreadsheet, not a data file"), 0o600)

	foreign := filepath.Join(dir, "foreign.db")
	b, err := bolt.Open(foreign, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	b.Update(func(tx *bolt.Tx) error { _, err := tx.CreateBucket([]byte("other-app")); return err })
	b.Close()

	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.Local)
	db, _ := datatest.Open(t, datatest.Moving(&now), datatest.WithDemo())
	good := filepath.Join(dir, "good.db")
	if err := db.BackupTo(t.Context(), good); err != nil {
		t.Fatal(err)
	}
	db.Close()
	raw, _ := os.ReadFile(good)
	truncated := filepath.Join(dir, "truncated.db")
	os.WriteFile(truncated, raw[:len(raw)/3], 0o600)
	scribbled := filepath.Join(dir, "scribbled.db")
	damaged := append([]byte(nil), raw...)
	for i := 4096 * 2; i < len(damaged) && i < 4096*6; i++ {
		damaged[i] ^= 0x5a
	}
	os.WriteFile(scribbled, damaged, 0o600)

	for name, path := range map[string]string{"garbage": garbage, "foreign": foreign, "truncated": truncated, "scribbled": scribbled} {
		if err := boltstore.VerifyFile(path); !errors.Is(err, data.ErrNotABackup) {
			t.Errorf("%s: VerifyFile = %v, want ErrNotABackup", name, err)
		}
	}
	if err := boltstore.VerifyFile(good); err != nil {
		t.Errorf("good backup refused: %v", err)
	}
}

func TestDailyBackup_OncePerDayAndRotated(t *testing.T) {
	now := time.Date(2026, 11, 20, 9, 0, 0, 0, time.Local)
	db, path := datatest.Open(t, datatest.Moving(&now), datatest.WithDemo())
	defer db.Close()
	dir := boltstore.BackupDir(path)
	os.MkdirAll(dir, 0o700)
	os.WriteFile(filepath.Join(dir, "my-own-copy.db"), []byte("x"), 0o600)

	for day := 0; day < 5; day++ {
		now = time.Date(2026, 11, 20+day, 9, 0, 0, 0, time.Local)
		made, err := db.DailyBackup(t.Context(), dir, 3)
		if err != nil || made == "" {
			t.Fatalf("day %d: made %q, err %v", day, made, err)
		}
		if again, err := db.DailyBackup(t.Context(), dir, 3); again != "" || err != nil {
			t.Fatalf("day %d: a second backup the same day: %q %v", day, again, err)
		}
	}
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	want := []string{"locatiedesk-2026-11-22.db", "locatiedesk-2026-11-23.db", "locatiedesk-2026-11-24.db", "my-own-copy.db"}
	if !reflect.DeepEqual(names, want) {
		t.Fatalf("backup folder holds %v, want %v", names, want)
	}
}

func TestRestore_KeepsCurrentAndRefusesBadInput(t *testing.T) {
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.Local)
	db, path := datatest.Open(t, datatest.Moving(&now), datatest.WithDemo())
	backup := filepath.Join(t.TempDir(), "backup.db")
	if err := db.BackupTo(t.Context(), backup); err != nil {
		t.Fatal(err)
	}

	if _, err := boltstore.Restore(path, backup, now); !errors.Is(err, data.ErrInUse) {
		t.Fatalf("restore while the app has the file open: %v, want ErrInUse", err)
	}
	// A change after the backup, which the restore must undo.
	if err := db.SetNote(t.Context(), data.DayEdit{Date: data.DateOf(now), GroupID: 1, ChildID: firstChild(t, db), By: "t"}, "after backup"); err != nil {
		t.Fatal(err)
	}
	db.Close()

	garbage := filepath.Join(t.TempDir(), "garbage.db")
	os.WriteFile(garbage, []byte("nope"), 0o600)
	before, _ := os.ReadFile(path)
	if _, err := boltstore.Restore(path, garbage, now); !errors.Is(err, data.ErrNotABackup) {
		t.Fatalf("restore from garbage: %v, want ErrNotABackup", err)
	}
	if after, _ := os.ReadFile(path); !reflect.DeepEqual(before, after) {
		t.Fatal("a refused restore changed the data file")
	}

	kept, err := boltstore.Restore(path, backup, now)
	if err != nil {
		t.Fatal(err)
	}
	if keptRaw, _ := os.ReadFile(kept); !reflect.DeepEqual(keptRaw, before) {
		t.Fatal("the replaced file was not kept as it was")
	}
	db, err = boltstore.Open(path, boltstore.WithClock(func() time.Time { return now }))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	list, _ := db.DayList(t.Context(), 1, data.DateOf(now))
	for _, r := range list.Rows {
		if r.Attendance.Note == "after backup" {
			t.Fatal("the restored file still has the change made after the backup")
		}
	}
}

func firstChild(t *testing.T, db *boltstore.DB) data.ID {
	t.Helper()
	list, err := db.DayList(t.Context(), 1, db.Today())
	if err != nil || len(list.Rows) == 0 {
		t.Fatalf("no child on today's list: %v", err)
	}
	return list.Rows[0].Child.ID
}
