package client_test

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"locatiedesk/data"
	"locatiedesk/hub/client"
)

func TestDeviceFile_SavedWholeForItsOwnerOnly(t *testing.T) {
	path := filepath.Join(t.TempDir(), "locatiedesk", "device.json")
	f := client.DeviceFile{URL: "https://127.0.0.1:7443", Fingerprint: strings.Repeat("AB:", 31) + "AB", DeviceID: 3, Credential: "geheim-geheim", HubName: "De Vlinder",
		Hubs: []string{"https://127.0.0.1:7443", "https://127.0.0.1:7444"}}
	if err := f.Save(path); err != nil {
		t.Fatal(err)
	}
	f.HubName = "De Vlinder — Rupsjes"
	if err := f.Save(path); err != nil { // over the old one
		t.Fatal(err)
	}
	got, err := client.LoadDeviceFile(path)
	if err != nil || !reflect.DeepEqual(got, f) {
		t.Fatalf("read back %+v, %v; want %+v", got, err, f)
	}
	info, err := os.Stat(path)
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("the device file's mode: %v, %v; want 0600", info.Mode().Perm(), err)
	}
	if left, _ := os.ReadDir(filepath.Dir(path)); len(left) != 1 {
		t.Errorf("files beside the device file: %v, want none", left)
	}
}

func TestDeviceFile_MissingOrDamagedSaysSo(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "device.json")
	if _, err := client.LoadDeviceFile(missing); !errors.Is(err, client.ErrNoDeviceFile) || !strings.Contains(err.Error(), missing) {
		t.Errorf("a missing file: %v, want ErrNoDeviceFile naming it", err)
	}
	for name, content := range map[string]string{
		"half.json":  `{"url": "https://127.0.0.1:7443", "finger`,
		"empty.json": `{}`,
	} {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := client.LoadDeviceFile(path)
		if !errors.Is(err, data.ErrInvalid) || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "pair") {
			t.Errorf("%s: %v, want an error naming the file and saying to pair again", name, err)
		}
	}
}

func TestPair_ABadCodeOrAddressIsRefusedBeforeTheNetwork(t *testing.T) {
	if _, err := client.Pair(t.Context(), "https://127.0.0.1:1", "ABCDE-1234O", ""); !errors.Is(err, data.ErrInvalid) {
		t.Errorf("a code with 0 and O: %v, want refused", err)
	}
	if _, err := client.Pair(t.Context(), "http://127.0.0.1:1", "ABCDE-23456", ""); !errors.Is(err, data.ErrInvalid) {
		t.Errorf("plain http: %v, want refused", err)
	}
}
