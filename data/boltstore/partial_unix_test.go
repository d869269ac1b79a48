//go:build unix

package boltstore_test

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"locatiedesk/data/boltstore"
	"locatiedesk/data/datatest"
)

func TestOpen_RemovesWhatKilledWritersLeft(t *testing.T) {
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.Local)
	db, path := datatest.Open(t, datatest.Moving(&now), datatest.WithDemo())
	db.Close()
	os.MkdirAll(boltstore.BackupDir(path), 0o700)
	abandoned := []string{
		filepath.Join(filepath.Dir(path), ".locatiedesk-partial-123"),
		filepath.Join(boltstore.BackupDir(path), ".locatiedesk-partial-456"),
		filepath.Join(filepath.Dir(path), ".compact-789"),
	}
	for _, p := range abandoned {
		os.WriteFile(p, []byte("half"), 0o600)
	}
	live := filepath.Join(boltstore.BackupDir(path), ".locatiedesk-partial-live")
	f, err := os.Create(live)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_SH); err != nil { // as a running backup holds it
		t.Skip("no file locks here:", err)
	}
	other := filepath.Join(filepath.Dir(path), ".partial-not-ours")
	os.WriteFile(other, nil, 0o600)

	db, err = boltstore.OpenExisting(path)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	for _, p := range abandoned {
		if _, err := os.Stat(p); err == nil {
			t.Errorf("%s is still there", filepath.Base(p))
		}
	}
	for _, p := range []string{live, other} {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("%s was removed: %v", filepath.Base(p), err)
		}
	}
}
