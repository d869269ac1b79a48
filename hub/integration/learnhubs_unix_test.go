//go:build unix

package integration_test

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"locatiedesk/hub/client"
)

// TestTwoHubs_ADeviceLearnsAHubStartedAfterItPaired: a tablet paired while
// the organisation's database had one hub learns of a second hub started
// later when it connects, keeps it in its device file, and goes on through
// it when the first hub is killed.
func TestTwoHubs_ADeviceLearnsAHubStartedAfterItPaired(t *testing.T) {
	if os.Getenv(orgHubEnv) != "" {
		t.Skip("this is a hub process")
	}
	address, edit, user := organisation(t)
	a := newHubProcess(t, "TestOrganisationHub", orgHubEnv, address)
	a.start()
	defer a.kill()
	paired := pairThrough(t, address, a.url, "Rupsjes tablet")
	if !slices.Equal(paired.Hubs, []string{a.url}) {
		t.Fatalf("paired beside one hub, the device file lists %v; want %s", paired.Hubs, a.url)
	}
	path := filepath.Join(t.TempDir(), "device.json")
	if err := paired.Save(path); err != nil {
		t.Fatal(err)
	}

	b := newHubProcess(t, "TestOrganisationHub", orgHubEnv, address)
	b.start()
	defer b.kill()
	c, err := client.DialDevice(paired, client.KeepDeviceFile(path))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	tess, err := c.SignIn(t.Context(), user, "2222")
	if err != nil {
		t.Fatal(err)
	}
	if err := c.LearnHubs(t.Context()); err != nil {
		t.Fatalf("LearnHubs: %v", err)
	}
	saved, err := client.LoadDeviceFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(saved.Hubs, a.url) || !slices.Contains(saved.Hubs, b.url) || saved.Credential != paired.Credential {
		t.Fatalf("the device file lists %v (credential kept: %v); want %s and %s", saved.Hubs, saved.Credential == paired.Credential, a.url, b.url)
	}

	a.kill()
	if err := c.As(tess).SetNote(t.Context(), edit, "komt vandaag met oma"); err != nil {
		t.Fatalf("a note with the first hub killed: %v, want it through the second", err)
	}
	if c.Hub() != b.url {
		t.Errorf("in use: %s, want %s", c.Hub(), b.url)
	}
}
