package ui

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"locatiedesk/data"
	"locatiedesk/data/boltstore"
	"locatiedesk/hub/discover"
)

// fakeConnector finds the hubs it is given and pairs with code only,
// giving hub; it records what it was asked.
type fakeConnector struct {
	hubs     []discover.Hub
	code     string
	hub      data.Store
	searches int
	paired   []string // "url code name" of every attempt
}

func (c *fakeConnector) Browse(context.Context) ([]discover.Hub, error) {
	c.searches++
	return c.hubs, nil
}

func (c *fakeConnector) Pair(_ context.Context, hubURL, code, name string) (data.Store, error) {
	c.paired = append(c.paired, hubURL+" "+code+" "+name)
	if code != c.code {
		return nil, data.Refuse(data.RefusePairingCodeUnknown, nil)
	}
	return c.hub, nil
}

// demoHub is a demo data file, the store a tablet reaches after pairing.
func demoHub(t *testing.T) *boltstore.DB {
	t.Helper()
	path := filepath.Join(t.TempDir(), "hub.db")
	if err := os.WriteFile(path, demoFile(t), 0o600); err != nil {
		t.Fatal(err)
	}
	db, err := boltstore.Open(path, boltstore.WithClock(func() time.Time { return testNow }))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// newConnectingShell is a first start at 800 px that can connect to hub.
func newConnectingShell(t *testing.T) (*Shell, *fakeConnector) {
	t.Helper()
	sh, _ := newEmptyShell(t, 800)
	c := &fakeConnector{
		hubs: []discover.Hub{{Name: "De Vlinder", URL: "https://192.0.2.7:7443", Fingerprint: "AB:CD"}},
		code: "ABCDEFGHJK",
		hub:  demoHub(t),
	}
	sh.connector = c
	sh.hubHost = &fakeHubHost{}
	sh.resumeHub()
	sh.showStart()
	return sh, c
}

// buttonTexts are the texts of the window's visible buttons.
func buttonTexts(w fyne.Window) []string {
	var out []string
	for _, o := range test.LaidOutObjects(w.Content()) {
		if b, ok := o.(*widget.Button); ok && b.Visible() {
			out = append(out, b.Text)
		}
	}
	return out
}

func TestConnect_FirstStartFindsTheHubAndPairsWithTheCode(t *testing.T) {
	sh, c := newConnectingShell(t)
	tapText(t, sh.window, "Verbinden met de computer van de locatie")
	hub := "Locatiedesk — De Vlinder · 192.0.2.7:7443"
	if !slices.Contains(buttonTexts(sh.window), hub) {
		t.Fatalf("the hub found is not listed: %q", buttonTexts(sh.window))
	}
	tapText(t, sh.window, hub)
	fields := dialogFields(t, sh.window)
	if len(fields) != 3 || fields[1].Text != "192.0.2.7:7443" || fields[2].Text == "" {
		t.Fatalf("the code form: %d fields, address %q, device name %q", len(fields), fields[1].Text, fields[2].Text)
	}
	if sh.window.Canvas().Focused() != fields[0] {
		t.Error("the code field does not have the focus")
	}
	fields[2].SetText("Tablet Rupsjes")
	typeKeys(sh.window, "abcde fghjk")
	pressKey(sh.window, fyne.KeyReturn)
	if want := []string{"https://192.0.2.7:7443 ABCDEFGHJK Tablet Rupsjes"}; !slices.Equal(c.paired, want) {
		t.Fatalf("paired with %q, want %q", c.paired, want)
	}
	if sh.base != c.hub || sh.hub != nil {
		t.Fatal("the window does not work on the hub after pairing, or still offers to be the hub")
	}
	tapText(t, sh.window, demoManager.Name) // the sign-in list is the hub's
}

func TestConnect_ARefusedCodeKeepsWhatWasTyped(t *testing.T) {
	sh, c := newConnectingShell(t)
	tapText(t, sh.window, "Verbinden met de computer van de locatie")
	tapText(t, sh.window, "Adres typen")
	fields := dialogFields(t, sh.window)
	if fields[1].Text != "" {
		t.Errorf("typing an address starts with %q", fields[1].Text)
	}
	typeInto(sh.window, fields[1], "kantoor.local")
	typeInto(sh.window, fields[0], "ABC")
	pressKey(sh.window, fyne.KeyReturn)
	if len(c.paired) != 0 || !slices.Contains(overlayTexts(sh), "Een koppelcode heeft 10 letters en cijfers, zoals ABCDE-23456.") {
		t.Fatalf("a short code: paired %q, dialog says %q", c.paired, overlayTexts(sh))
	}
	fields[0].SetText("ZZZZZ-ZZZZZ")
	pressKey(sh.window, fyne.KeyReturn)
	if want := "https://kantoor.local:7443 ZZZZZZZZZZ"; len(c.paired) != 1 || !strings.HasPrefix(c.paired[0], want) {
		t.Fatalf("paired %q, want %q…", c.paired, want)
	}
	again := dialogFields(t, sh.window)
	if again[1].Text != "kantoor.local" || again[0].Text != "ZZZZZ-ZZZZZ" ||
		!slices.Contains(overlayTexts(sh), "Deze koppelcode is niet geldig: verkeerd getypt, al gebruikt, verlopen of van een andere computer. Vraag de locatiemanager om een nieuwe code.") {
		t.Fatalf("after a refusal: %q %q, %q", again[1].Text, again[0].Text, overlayTexts(sh))
	}
	pressKey(sh.window, fyne.KeyEscape) // closes the form
	if sh.window.Canvas().Overlays().Top() != nil {
		t.Fatal("Escape left the code form open")
	}
	pressKey(sh.window, fyne.KeyEscape) // leaves the screen
	if !strings.Contains(shownTexts(sh.window), "Welkom bij Locatiedesk") {
		t.Fatalf("Escape on the connect screen shows %q, want the first start", shownTexts(sh.window))
	}
}

func TestConnect_NothingFoundSaysWhatToDo(t *testing.T) {
	sh, c := newConnectingShell(t)
	c.hubs = nil
	tapText(t, sh.window, "Verbinden met de computer van de locatie")
	if !strings.Contains(shownTexts(sh.window), "Geen computer van een locatie gaf antwoord") {
		t.Fatalf("nothing found: %q", shownTexts(sh.window))
	}
	c.hubs = []discover.Hub{{Name: "De Vlinder", URL: "https://192.0.2.7:7443"}}
	tapText(t, sh.window, "Opnieuw zoeken")
	if c.searches != 2 || !slices.Contains(buttonTexts(sh.window), "Locatiedesk — De Vlinder · 192.0.2.7:7443") {
		t.Fatalf("searching again: %d searches, %q", c.searches, buttonTexts(sh.window))
	}
}

func TestFirstStart_NoConnectWithoutAConnector(t *testing.T) {
	sh, _ := newEmptyShell(t, 800)
	if slices.Contains(buttonTexts(sh.window), "Verbinden met de computer van de locatie") {
		t.Error("connecting is offered where the window cannot connect")
	}
}

func TestHubURL_ReadsAddressesAsPeopleTypeThem(t *testing.T) {
	tests := []struct{ typed, want string }{
		{"kantoor.local", "https://kantoor.local:7443"},
		{" 192.168.1.10:8443 ", "https://192.168.1.10:8443"},
		{"https://kantoor:7443/", "https://kantoor:7443"},
		{"fe80::1", "https://[fe80::1]:7443"},
		{"[2001:db8::7]:7443", "https://[2001:db8::7]:7443"},
	}
	for _, tt := range tests {
		if got, err := hubURL(tt.typed); err != nil || got != tt.want {
			t.Errorf("hubURL(%q) = %q, %v; want %q", tt.typed, got, err, tt.want)
		}
	}
	for _, bad := range []string{"", "  ", "https://", "kantoor/pad", "twee woorden"} {
		if got, err := hubURL(bad); err == nil {
			t.Errorf("hubURL(%q) = %q, want an error", bad, got)
		}
	}
}
