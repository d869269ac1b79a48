package boltstore_test

import (
	"path/filepath"
	"testing"
	"time"

	"locatiedesk/data"
	"locatiedesk/data/boltstore"
	"locatiedesk/data/storetest"
)

// TestConformance runs the store conformance suite on a bbolt file.
func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T, now func() time.Time) data.Store {
		db, err := boltstore.Open(filepath.Join(t.TempDir(), "conformance.db"), boltstore.WithClock(now))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	})
}
