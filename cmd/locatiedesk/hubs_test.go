package main

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"locatiedesk/data/datatest"
	"locatiedesk/data/demo"
	"locatiedesk/hub/client"
	"locatiedesk/hub/hubtest"
)

// TestServer_ACommandLearnsTheOrganisationsHubs: a device paired while the
// organisation had one hub keeps the hub added later in its device file as
// soon as a command runs through its hub; the next command goes on through
// that hub when the first is down.
func TestServer_ACommandLearnsTheOrganisationsHubs(t *testing.T) {
	db, _ := datatest.Open(t, datatest.WithDemo())
	first := hubtest.Start(t, db)
	first.ListHubs(first.URL())
	code, err := db.CreatePairingCode(t.Context(), "Kantoor laptop")
	if err != nil {
		t.Fatal(err)
	}
	paired, err := client.Pair(t.Context(), first.URL(), code.Code, "")
	if err != nil {
		t.Fatal(err)
	}
	device := filepath.Join(t.TempDir(), "device.json")
	if err := paired.Save(device); err != nil {
		t.Fatal(err)
	}
	second := first.Twin()
	first.ListHubs(first.URL(), second.URL())

	check := func() (int, string, string) {
		return runCLI(t, append([]string{"attendance", "--group", demo.GroupBabies, "--server", first.URL(), "--device-file", device}, manager...)...)
	}
	if status, _, errText := check(); status != 0 {
		t.Fatalf("attendance through the first hub: %d %q", status, errText)
	}
	saved, err := client.LoadDeviceFile(device)
	if err != nil {
		t.Fatal(err)
	}
	if got := slices.Sorted(slices.Values(saved.Hubs)); !slices.Equal(got, slices.Sorted(slices.Values([]string{first.URL(), second.URL()}))) {
		t.Errorf("the device file lists %v, want both hubs", saved.Hubs)
	}
	first.Stop()
	if status, said, errText := check(); status != 0 || !strings.Contains(said, demo.GroupBabies) {
		t.Errorf("attendance with the first hub down: %d %q %q; want it through the second", status, said, errText)
	}
}
