package outbox_test

import (
	"path/filepath"
	"testing"
	"time"

	"locatiedesk/data"
	"locatiedesk/data/datatest"
	"locatiedesk/data/storetest"
	"locatiedesk/hub/hubtest"
	"locatiedesk/hub/outbox"
)

// TestConformance runs the Store conformance suite against the outbox
// around the network client while the hub is there: with the connection up,
// a tablet's store is the hub's, call for call.
func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T, now func() time.Time) data.Store {
		db, _ := datatest.Open(t, datatest.Clock(now))
		s, err := outbox.Open(filepath.Join(t.TempDir(), "outbox.db"), hubtest.Start(t, db).Owner())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	})
}
