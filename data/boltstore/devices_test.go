package boltstore_test

import (
	"testing"
	"time"

	"locatiedesk/data/datatest"
)

// A write by a person on a paired device names the device in its audit
// entry; the store keeps the credential's hash for the hub's check.
func TestDevices_TheLogNamesTheDeviceAndTheHashIsKept(t *testing.T) {
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.Local)
	db, _ := datatest.Open(t, datatest.Moving(&now), datatest.WithDemo())
	defer db.Close()
	const marieke = 1
	manager, err := db.ActorFor(t.Context(), marieke)
	if err != nil {
		t.Fatal(err)
	}
	datatest.PairedDeviceInTheStore(t, db, manager)
}
