package pgstore_test

import (
	"testing"
	"time"

	"locatiedesk/data"
	"locatiedesk/data/pgstore"
	"locatiedesk/data/pgstore/pgtest"
	"locatiedesk/data/storetest"
)

// open gives a store on a fresh database of the test cluster, closed when the test ends.
func open(t *testing.T, now func() time.Time) *pgstore.DB {
	t.Helper()
	db, err := pgstore.Open(t.Context(), pgtest.Database(t), pgstore.WithClock(now))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// TestConformance runs the store conformance suite on PostgreSQL.
func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T, now func() time.Time) data.Store { return open(t, now) })
}
