package datatest

import (
	"testing"

	"locatiedesk/data"
)

// PairedDeviceInTheStore pairs a device on store s with a code made by
// manager and checks what the store itself keeps of it: the credential's
// hash, for the hub's check on every call, and the device's name in the
// audit entry of a write made on it. A store's own test, not the
// conformance suite's: through the hub a device's hash is never shown, and
// the hub names the device from its connection, not from the actor.
func PairedDeviceInTheStore(t *testing.T, s data.Store, manager data.Actor) {
	t.Helper()
	ctx := t.Context()
	code, err := s.As(manager).CreatePairingCode(ctx, "Kantoor laptop")
	if err != nil {
		t.Fatal(err)
	}
	d, err := s.PairDevice(ctx, code.ID, "", data.HashCredential("geheim"))
	if err != nil {
		t.Fatal(err)
	}
	stored, err := s.Device(ctx, d.ID)
	if err != nil || stored.CheckCredential("geheim") != nil || stored.CheckCredential("fout") == nil {
		t.Fatalf("the stored device %+v (%v) does not check its credential", stored, err)
	}
	onDevice := manager
	onDevice.Device = d.Name
	if err := s.As(onDevice).LogPrint(ctx, "aanwezigheidslijst"); err != nil {
		t.Fatal(err)
	}
	if err := s.As(manager).LogPrint(ctx, "aanwezigheidslijst"); err != nil {
		t.Fatal(err)
	}
	log, err := s.Audit(ctx, data.AuditFilter{Action: data.AuditPrint, Limit: 2})
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
