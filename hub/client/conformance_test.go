package client_test

import (
	"testing"
	"time"

	"locatiedesk/data"
	"locatiedesk/data/datatest"
	"locatiedesk/data/pgstore"
	"locatiedesk/data/pgstore/pgtest"
	"locatiedesk/data/storetest"
	"locatiedesk/hub/hubtest"
)

// TestConformance runs the Store conformance suite against the network
// client, connected to a hub on 127.0.0.1 over a bbolt file: the client is
// the system's handle through the hub's owner key.
func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T, now func() time.Time) data.Store {
		db, _ := datatest.Open(t, datatest.Clock(now))
		return hubtest.Start(t, db).Owner()
	})
}

// TestConformanceOnPostgreSQL is the same through a hub on PostgreSQL.
func TestConformanceOnPostgreSQL(t *testing.T) {
	storetest.Run(t, func(t *testing.T, now func() time.Time) data.Store {
		db, err := pgstore.Open(t.Context(), pgtest.Database(t), pgstore.WithClock(now))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return hubtest.Start(t, db).Owner()
	})
}
