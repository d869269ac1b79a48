package client_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"locatiedesk/data"
	"locatiedesk/hub/client"
	"locatiedesk/hub/hubtest"
)

// pairedAt pairs a new device through h with a code, as a tablet does, and
// writes its device file at path (as `pair` saves it).
func pairedAt(t *testing.T, h *hubtest.Server, db data.Store, path string) client.DeviceFile {
	t.Helper()
	code, err := db.CreatePairingCode(t.Context(), "Rupsjes tablet "+filepath.Base(t.Name()))
	if err != nil {
		t.Fatal(err)
	}
	f, err := client.Pair(t.Context(), h.URL(), code.Code, "")
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return f
}

func sameHubs(got []string, want ...string) bool {
	got, want = slices.Clone(got), slices.Clone(want)
	slices.Sort(got)
	slices.Sort(want)
	return slices.Equal(got, want)
}

// TestLearnHubs_AHubAddedAfterPairingTakesOverWhenTheFirstGoes: a tablet
// paired while the organisation had one hub learns of a second one added
// later, keeps it in its device file, and goes on through it when the
// first hub goes away. A tablet that did not learn it is left without.
func TestLearnHubs_AHubAddedAfterPairingTakesOverWhenTheFirstGoes(t *testing.T) {
	first, db := demoHub(t)
	first.ListHubs(first.URL())
	path := filepath.Join(t.TempDir(), "device.json")
	paired := pairedAt(t, first, db, path)
	if !sameHubs(paired.Hubs, first.URL()) {
		t.Fatalf("paired with the hubs %v, want only %s", paired.Hubs, first.URL())
	}

	second := first.Twin()
	first.ListHubs(first.URL(), second.URL())
	c, err := client.DialDevice(paired, client.KeepDeviceFile(path))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	unaware, err := client.DialDevice(paired) // the same pairing, not learning
	if err != nil {
		t.Fatal(err)
	}
	defer unaware.Close()
	tess, err := c.SignIn(t.Context(), tessID, tessPIN)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.LearnHubs(t.Context()); err != nil {
		t.Fatalf("LearnHubs: %v", err)
	}
	if got := c.Hubs(); !sameHubs(got, first.URL(), second.URL()) {
		t.Errorf("the client goes through %v, want both hubs", got)
	}
	saved, err := client.LoadDeviceFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !sameHubs(saved.Hubs, first.URL(), second.URL()) {
		t.Errorf("the device file lists %v, want both hubs", saved.Hubs)
	}
	if saved.Credential != paired.Credential || saved.DeviceID != paired.DeviceID || saved.URL != paired.URL || saved.Fingerprint != paired.Fingerprint {
		t.Errorf("the device file's pairing changed: %+v, want %+v with the new hubs", saved, paired)
	}

	first.Stop()
	if _, err := c.As(tess).DayList(t.Context(), 1, data.DateOf(monday9)); err != nil {
		t.Fatalf("with the first hub gone: %v, want the list through the second", err)
	}
	if c.Hub() != second.URL() {
		t.Errorf("in use: %s, want %s", c.Hub(), second.URL())
	}
	if _, err := unaware.Users(t.Context()); !client.Unreached(err) {
		t.Errorf("the device that did not learn the second hub: %v, want it unreached", err)
	}
	// A new start from the saved file goes through the second hub at once.
	again, err := client.DialDevice(saved)
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	if _, err := again.Users(t.Context()); err != nil {
		t.Errorf("dialled from the saved device file with the first hub gone: %v", err)
	}
}

// TestLearnHubs_AFailedSaveLeavesTheDeviceFileAsItWas: when the device file
// cannot be written, the old one stays whole and readable with its
// credential, and the client goes on with the hubs it learned.
func TestLearnHubs_AFailedSaveLeavesTheDeviceFileAsItWas(t *testing.T) {
	first, db := demoHub(t)
	first.ListHubs(first.URL())
	dir := t.TempDir()
	// The name leaves no room for the new file's temporary name beside it
	// (the file system refuses it, as a full disk refuses its contents).
	path := filepath.Join(dir, strings.Repeat("d", 245)+".json")
	paired := pairedAt(t, first, db, path)
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}

	second := first.Twin()
	first.ListHubs(first.URL(), second.URL())
	c, err := client.DialDevice(paired, client.KeepDeviceFile(path))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.LearnHubs(t.Context()); err == nil || !strings.Contains(err.Error(), path) {
		t.Fatalf("LearnHubs with a file that cannot be written: %v, want an error naming it", err)
	}
	if after, err := os.ReadFile(path); err != nil || string(after) != string(before) {
		t.Errorf("the device file after the failed save: %q, %v; want it as it was", after, err)
	}
	if kept, err := client.LoadDeviceFile(path); err != nil || !reflect.DeepEqual(kept, paired) {
		t.Errorf("the device file reads %+v, %v; want the pairing %+v", kept, err, paired)
	}
	if left, _ := os.ReadDir(dir); len(left) != 1 {
		t.Errorf("files beside the device file: %v, want none", left)
	}
	first.Stop()
	if _, err := c.Users(t.Context()); err != nil {
		t.Errorf("with the first hub gone: %v, want the second hub, learned in memory", err)
	}
}

// TestLearnHubs_TheHubsInUseAndPairedWithStay: a hub list that leaves out
// the hub the device was paired with (its address moved, say) does not cut
// the device off from it; a hub on a data file lists none and changes
// nothing.
func TestLearnHubs_TheHubsInUseAndPairedWithStay(t *testing.T) {
	first, db := demoHub(t)
	path := filepath.Join(t.TempDir(), "device.json")
	paired := pairedAt(t, first, db, path)
	c, err := client.DialDevice(paired, client.KeepDeviceFile(path))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.LearnHubs(t.Context()); err != nil {
		t.Fatal(err)
	}
	if saved, _ := client.LoadDeviceFile(path); len(saved.Hubs) != 0 || !sameHubs(c.Hubs(), first.URL()) {
		t.Errorf("from a hub that lists none: the file lists %v, the client goes through %v; want nothing learned", saved.Hubs, c.Hubs())
	}

	second := first.Twin()
	first.ListHubs(second.URL())
	if err := c.LearnHubs(t.Context()); err != nil {
		t.Fatal(err)
	}
	if got := c.Hubs(); !sameHubs(got, first.URL(), second.URL()) {
		t.Errorf("the client goes through %v, want the hub it was paired with too", got)
	}
	if saved, _ := client.LoadDeviceFile(path); !sameHubs(saved.Hubs, first.URL(), second.URL()) {
		t.Errorf("the device file lists %v, want the hub in use too", saved.Hubs)
	}
}
