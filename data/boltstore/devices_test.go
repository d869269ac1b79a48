package boltstore_test

import (
	"testing"
	"time"

	"locatiedesk/data"
	"locatiedesk/data/datatest"
)

// TestDevices_TheLogNamesTheDeviceAndTheHashIsKept: a write by a person on a
// paired device names the device in its audit entry; the store keeps the
// credential's hash for the hub's check.
func TestDevices_TheLogNamesTheDeviceAndTheHashIsKept(t *testing.T) {
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.Local)
	db, _ := datatest.Open(t, datatest.Moving(&now), datatest.WithDemo())
	defer db.Close()
	ctx := t.Context()
	const marieke = 1
	manager, err := db.ActorFor(ctx, marieke)
	if err != nil {
		t.Fatal(err)
	}
	code, err := db.As(manager).CreatePairingCode(ctx, "Kantoor laptop")
	if err != nil {
		t.Fatal(err)
	}
	d, err := db.PairDevice(ctx, code.ID, "", data.HashCredential("geheim"))
	if err != nil {
		t.Fatal(err)
	}
	stored, err := db.Device(ctx, d.ID)
	if err != nil || stored.CheckCredential("geheim") != nil || stored.CheckCredential("fout") == nil {
		t.Fatalf("the stored device %+v (%v) does not check its credential", stored, err)
	}

	onDevice := manager
	onDevice.Device = d.Name
	if err := db.As(onDevice).LogPrint(ctx, "aanwezigheidslijst"); err != nil {
		t.Fatal(err)
	}
	if err := db.As(manager).LogPrint(ctx, "aanwezigheidslijst"); err != nil {
		t.Fatal(err)
	}
	log, err := db.Audit(ctx, data.AuditFilter{Action: data.AuditPrint, Limit: 2})
	if err != nil || len(log) != 2 {
		t.Fatalf("the log: %+v, %v", log, err)
	}
	if log[1].Device != "Kantoor laptop" || log[1].Who != manager.Name {
		t.Errorf("the write on the laptop is logged by %q on %q, want %s on Kantoor laptop", log[1].Who, log[1].Device, manager.Name)
	}
	if log[0].Device != "" {
		t.Errorf("the write on the hub's own computer names device %q, want none", log[0].Device)
	}
}
