package ui

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"locatiedesk/data"
)

// fakeDevices is the hub's list of devices, as the pairing branch's store
// keeps it: what the Devices screen shows and changes.
type fakeDevices struct {
	mu      sync.Mutex
	devices []data.Device
	codes   []data.PairingCode
}

// pairingStore is a store with devices: the demo's, plus fakeDevices.
type pairingStore struct {
	data.Store
	devices *fakeDevices
	actor   string
}

func (s pairingStore) As(a data.Actor) data.Store {
	return pairingStore{Store: s.Store.As(a), devices: s.devices, actor: a.Name}
}

func (s pairingStore) CreatePairingCode(_ context.Context, name string) (data.PairingCode, error) {
	s.devices.mu.Lock()
	defer s.devices.mu.Unlock()
	c := data.PairingCode{ID: data.ID(len(s.devices.codes) + 1), Code: "KM7PX3QRTW", DeviceName: name, Expires: testNow.Add(10 * time.Minute), CreatedBy: s.actor}
	s.devices.codes = append(s.devices.codes, c)
	return c, nil
}

func (s pairingStore) Devices(context.Context) ([]data.Device, error) {
	s.devices.mu.Lock()
	defer s.devices.mu.Unlock()
	return slices.Clone(s.devices.devices), nil
}

func (s pairingStore) RevokeDevice(_ context.Context, id data.ID) error {
	s.devices.mu.Lock()
	defer s.devices.mu.Unlock()
	for i, d := range s.devices.devices {
		if d.ID == id {
			s.devices.devices[i].RevokedAt, s.devices.devices[i].RevokedBy = testNow, s.actor
			return nil
		}
	}
	return data.ErrNotFound
}

// fakeHubHost serves nothing but says where it would.
type fakeHubHost struct {
	mu            sync.Mutex
	serves, stops int
	fail          error
}

func (h *fakeHubHost) Serve(context.Context) (HubAddress, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.serves++
	return HubAddress{URL: "https://kantoor:7443", Fingerprint: "AB:CD:EF:01", Name: "De Vlinder"}, h.fail
}

func (h *fakeHubHost) Stop() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.stops++
}

// newDevicesShell signs the demo's manager in at 800 px on a store with
// two paired tablets, on the computer that can be the hub, and opens Devices.
func newDevicesShell(t *testing.T, language string) (*Shell, *fakeDevices, *fakeHubHost) {
	t.Helper()
	db := demoHub(t)
	test.NewTempApp(t)
	if err := UseLanguage(language); err != nil {
		t.Fatal(err)
	}
	devices := &fakeDevices{devices: []data.Device{
		{ID: 1, Name: "Tablet Rupsjes", PairedAt: testNow.Add(-48 * time.Hour), PairedBy: "Marieke de Boer", LastSeen: testNow.Add(-time.Minute)},
		{ID: 2, Name: "Tablet Avonturiers", PairedAt: testNow.Add(-24 * time.Hour), PairedBy: "Marieke de Boer"},
	}}
	host := &fakeHubHost{}
	a := fyne.CurrentApp()
	w := a.NewWindow("test")
	w.Resize(fyne.NewSize(800, 1000))
	sh := &Shell{app: a, window: w, base: pairingStore{Store: db, devices: devices}, async: func(f func()) { f() }, hubHost: host}
	sh.resumeHub()
	actor, err := sh.base.SignIn(t.Context(), demoManager.ID, demoManager.Secret)
	if err != nil {
		t.Fatal(err)
	}
	sh.signedIn(actor)
	t.Cleanup(sh.Close)
	selectTab(t, sh, map[string]string{LanguageDutch: "Beheer", LanguageEnglish: "Management"}[language])
	sh.manage.showDevices()
	return sh, devices, host
}

// screenTexts are the window's visible labels and big texts.
func screenTexts(w fyne.Window) string {
	var out []string
	for _, o := range test.LaidOutObjects(w.Content()) {
		switch v := o.(type) {
		case *widget.Label:
			if v.Visible() {
				out = append(out, v.Text)
			}
		case *tick:
			out = append(out, v.Text)
		}
	}
	return strings.Join(out, " | ")
}

func TestDevices_ListsTheTabletsAndRevokesOneAfterConfirming(t *testing.T) {
	sh, devices, _ := newDevicesShell(t, LanguageDutch)
	texts := screenTexts(sh.window)
	for _, want := range []string{"Tablet Rupsjes", "Gekoppeld op maandag 23 november 2026 09:30 door Marieke de Boer · laatst gezien woensdag 25 november 2026 09:29", "Tablet Avonturiers", "nog niet gezien"} {
		if !strings.Contains(texts, want) {
			t.Errorf("the list lacks %q:\n%s", want, texts)
		}
	}
	revoke := func() *widget.Button {
		for _, o := range test.LaidOutObjects(sh.manage.devices.list) {
			if b, ok := o.(*widget.Button); ok && b.Text == "Intrekken" {
				return b
			}
		}
		return nil
	}
	test.Tap(revoke())
	pressKey(sh.window, fyne.KeyEscape)
	if !devices.devices[0].Active() {
		t.Fatal("Escape revoked the tablet")
	}
	test.Tap(revoke())
	pressKey(sh.window, fyne.KeyReturn)
	if devices.devices[0].Active() || devices.devices[0].RevokedBy != demoManager.Name {
		t.Fatalf("Enter did not revoke it: %+v", devices.devices[0])
	}
	if !strings.Contains(screenTexts(sh.window), "Ingetrokken op woensdag 25 november 2026 09:30 door Marieke de Boer") {
		t.Errorf("the revoked tablet is not shown as revoked:\n%s", screenTexts(sh.window))
	}
}

func TestDevices_PairATabletShowsTheCodeBigWithItsExpiry(t *testing.T) {
	sh, devices, _ := newDevicesShell(t, LanguageEnglish)
	tapText(t, sh.window, "Pair a tablet")
	pressKey(sh.window, fyne.KeyEscape)
	if len(devices.codes) != 0 || sh.window.Canvas().Overlays().Top() != nil {
		t.Fatalf("Escape: %d codes made, dialog %v", len(devices.codes), sh.window.Canvas().Overlays().Top())
	}
	tapText(t, sh.window, "Pair a tablet")
	typeInto(sh.window, dialogFields(t, sh.window)[0], "Tablet Vlinders")
	pressKey(sh.window, fyne.KeyReturn)
	if len(devices.codes) != 1 || devices.codes[0].DeviceName != "Tablet Vlinders" || devices.codes[0].CreatedBy != demoManager.Name {
		t.Fatalf("codes made: %+v", devices.codes)
	}
	var code *canvas.Text
	for _, o := range test.LaidOutObjects(sh.window.Canvas().Overlays().Top()) {
		if c, ok := o.(*canvas.Text); ok && c.Text == "KM7PX-3QRTW" {
			code = c
		}
	}
	if code == nil || code.TextSize < 2*fyne.CurrentApp().Settings().Theme().Size("text") {
		t.Fatalf("the code is not shown big: %+v", code)
	}
	if !slices.Contains(overlayTexts(sh), "Valid until 09:40, once.") {
		t.Errorf("no expiry: %q", overlayTexts(sh))
	}
	pressKey(sh.window, fyne.KeyEscape)
	if sh.window.Canvas().Overlays().Top() != nil {
		t.Error("Escape left the code open")
	}
}

func TestDevices_ThisComputerBecomesTheHubAndStaysIt(t *testing.T) {
	sh, _, host := newDevicesShell(t, LanguageDutch)
	if host.serves != 0 || !strings.Contains(screenTexts(sh.window), "Zet dit aan op de ene computer") {
		t.Fatalf("serving before it was asked: %d, %q", host.serves, screenTexts(sh.window))
	}
	var serve *tick
	for _, o := range test.LaidOutObjects(sh.manage.devices.hubBox) {
		if c, ok := o.(*tick); ok {
			serve = c
		}
	}
	test.Tap(serve)
	texts := screenTexts(sh.window)
	if host.serves != 1 || !strings.Contains(texts, "kantoor:7443") || !strings.Contains(texts, "AB:CD:EF:01") ||
		!strings.Contains(texts, "Tablets op dit netwerk vinden hem als Locatiedesk — De Vlinder") {
		t.Fatalf("serving: %d starts, %q", host.serves, texts)
	}
	if !sh.app.Preferences().Bool(PrefServeHub) {
		t.Error("the choice is not kept for the next start")
	}
	// The next start of the window serves again without asking.
	next := &Shell{app: sh.app, hubHost: host, async: func(f func()) { f() }}
	next.resumeHub()
	if host.serves != 2 || next.hub.address == nil {
		t.Errorf("the next start does not serve: %d starts", host.serves)
	}
	for _, o := range test.LaidOutObjects(sh.manage.devices.hubBox) {
		if c, ok := o.(*tick); ok {
			serve = c
		}
	}
	test.Tap(serve)
	if host.stops != 1 || sh.app.Preferences().Bool(PrefServeHub) || strings.Contains(screenTexts(sh.window), "kantoor:7443") {
		t.Errorf("turned off: %d stops, %q", host.stops, screenTexts(sh.window))
	}
}

func TestDevices_AFailedStartSaysWhy(t *testing.T) {
	sh, _, host := newDevicesShell(t, LanguageEnglish)
	host.fail = errors.New("listen tcp :7443: bind: address already in use")
	for _, o := range test.LaidOutObjects(sh.manage.devices.hubBox) {
		if c, ok := o.(*tick); ok {
			test.Tap(c)
		}
	}
	if !strings.Contains(screenTexts(sh.window), "This computer could not start serving:") {
		t.Errorf("a failed start: %q", screenTexts(sh.window))
	}
}

func TestDevices_NotForStaff(t *testing.T) {
	sh, _, _ := newDevicesShell(t, LanguageDutch)
	sh.showSignIn()
	actor, err := sh.base.SignIn(t.Context(), 2, "2222")
	if err != nil {
		t.Fatal(err)
	}
	sh.signedIn(actor)
	if sh.manage != nil {
		t.Errorf("staff see the devices: %q", tabTitles(sh))
	}
}

func TestDevices_SettingsLeadToThem(t *testing.T) {
	sh, _, _ := newDevicesShell(t, LanguageDutch)
	selectTab(t, sh, "Aanwezigheidslijst")
	sh.onSettings()
	tapDialogButton(t, sh.window, "Apparaten")
	if sh.tabs.Selected().Text != "Beheer" || sh.manage.tabs.Selected() != sh.manage.devicesTab {
		t.Errorf("Settings, Apparaten opens %q", sh.tabs.Selected().Text)
	}
}
