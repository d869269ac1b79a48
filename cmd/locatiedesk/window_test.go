package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"locatiedesk/data"
	"locatiedesk/data/boltstore"
	"locatiedesk/data/demo"
	"locatiedesk/hub/client"
)

// TestWindowHub_ServesTheOpenFileAndCommandsGoThroughIt is the manager's
// "this computer is the location's hub": the window's open file is served,
// devices reach it by the address and fingerprint shown, and a command on
// this computer (which cannot open the file the window holds) goes through it.
func TestWindowHub_ServesTheOpenFileAndCommandsGoThroughIt(t *testing.T) {
	path := demoFile(t)
	db, err := boltstore.OpenExisting(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	host := &windowHub{db: db, listen: "127.0.0.1:0"}
	addr, err := host.Serve(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	defer host.Stop()
	if addr.Name != demo.LocationName || len(addr.Fingerprint) != 95 {
		t.Errorf("address %+v", addr)
	}
	// A tablet pairs with the code the manager made, as its first start does.
	actor, err := db.SignIn(t.Context(), demo.Users[0].ID, demo.Users[0].Secret)
	if err != nil {
		t.Fatal(err)
	}
	code, err := db.As(actor).CreatePairingCode(t.Context(), "Tablet Rupsjes")
	if err != nil {
		t.Fatal(err)
	}
	connector := &hubConnector{deviceFile: filepath.Join(t.TempDir(), "locatiedesk", "device.json")}
	defer connector.Close()
	tablet, err := connector.Pair(t.Context(), addr.URL, data.FormatPairingCode(code.Code), "tablet")
	if err != nil {
		t.Fatal(err)
	}
	if users, err := tablet.Users(t.Context()); err != nil || len(users) == 0 {
		t.Fatalf("the tablet reaches the window's hub: %d users, %v", len(users), err)
	}
	saved, err := client.LoadDeviceFile(connector.deviceFile)
	if err != nil || saved.URL != addr.URL || saved.Fingerprint != addr.Fingerprint {
		t.Fatalf("the device file for the next start: %+v, %v; want the hub at %s", saved, err, addr.URL)
	}
	if _, err := connector.Pair(t.Context(), addr.URL, code.Code, "another"); err == nil {
		t.Error("a code paired twice")
	}
	unpaired, err := client.Dial(addr.URL, addr.Fingerprint)
	if err != nil {
		t.Fatal(err)
	}
	defer unpaired.Close()
	if _, err := unpaired.Users(t.Context()); err == nil {
		t.Error("a device that did not pair reaches the hub")
	}
	args := []string{"attendance", "--db", path, "--group", demo.GroupBabies, "--date", "2026-11-24"}
	if status, out, errText := runCLI(t, args...); status != 0 || !strings.Contains(out, "Rupsjes 2026-11-24") {
		t.Fatalf("a command while the window serves its file: %d %q %q", status, out, errText)
	}

	host.Stop()
	if _, err := os.Stat(path + hubURLSuffix); !os.IsNotExist(err) {
		t.Errorf("the hub's address stays beside the file after it stopped: %v", err)
	}
	direct, err := client.DialDevice(saved)
	if err != nil {
		t.Fatal(err)
	}
	defer direct.Close()
	if _, err := direct.Users(t.Context()); err == nil {
		t.Error("the hub still answers after it stopped")
	}
	if status, _, errText := runCLI(t, args...); status != 1 || !strings.Contains(errText, "open") {
		t.Errorf("the file the window holds, without its hub: %d %q", status, errText)
	}
}
