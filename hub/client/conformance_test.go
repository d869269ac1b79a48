package client_test

import (
	"testing"
	"time"

	"locatiedesk/data"
	"locatiedesk/data/datatest"
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
