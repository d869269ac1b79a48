package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"locatiedesk/data"
	"locatiedesk/data/boltstore/generate"
	"locatiedesk/data/demo"
	"locatiedesk/hub/client"
)

// syncBuffer is an output a command writes while the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// waitFor waits until the output matches re and gives the match.
func waitFor(t *testing.T, out *syncBuffer, re *regexp.Regexp) []string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if m := re.FindStringSubmatch(out.String()); m != nil {
			return m
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("no %s in the output:\n%s", re, out)
	return nil
}

// serveDemo runs `serve` on a demo file on 127.0.0.1 and gives its address
// and fingerprint; stop ends it and reports how it ended.
func serveDemo(t *testing.T) (path, url, fingerprint string, stop func() (string, error)) {
	t.Helper()
	path = demoFile(t)
	ctx, cancel := context.WithCancel(t.Context())
	var out syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- runServe(ctx, []string{"--db", path, "--listen", "127.0.0.1:0", "--announce=false"}, &out)
	}()
	m := waitFor(t, &out, regexp.MustCompile(`at (https://\S+)\ncertificate fingerprint \(SHA-256\): (\S+)\n`))
	stopped := false
	stop = func() (string, error) {
		if stopped {
			return out.String(), nil
		}
		stopped = true
		cancel()
		err := <-done
		return out.String(), err
	}
	t.Cleanup(func() { stop() })
	return path, m[1], m[2], stop
}

// The demo's manager, who pairs devices.
var manager = []string{"--user", "Marieke de Boer", "--password", "1234"}

// pairWithCLI pairs a device with the hub serving path, as a location
// does it: the manager makes a code on the hub's computer, the device
// pairs with it. It gives the device file.
func pairWithCLI(t *testing.T, path, url, name string) string {
	t.Helper()
	status, said, errText := runCLI(t, append([]string{"pair-code", "--db", path, "--name", name}, manager...)...)
	m := regexp.MustCompile(`^pairing code ([2-9A-Z]{5}-[2-9A-Z]{5}), valid until \d\d:\d\d\n$`).FindStringSubmatch(said)
	if status != 0 || m == nil {
		t.Fatalf("pair-code: status %d, %q, %q", status, said, errText)
	}
	deviceFile := filepath.Join(t.TempDir(), "device.json")
	status, said, errText = runCLI(t, "pair", "--server", url, "--code", strings.ToLower(m[1]), "--device-file", deviceFile)
	if status != 0 || !strings.Contains(said, "paired with ") || !strings.Contains(said, demo.LocationName) || !strings.Contains(said, ", "+name+"\n") {
		t.Fatalf("pair: status %d, %q, %q", status, said, errText)
	}
	return deviceFile
}

func TestServe_AttendanceThroughTheHub(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir()) // no device file where the window keeps one
	path, url, fp, stop := serveDemo(t)
	args := []string{"--group", demo.GroupBabies, "--date", "2026-11-24"}
	device := pairWithCLI(t, path, url, "Kantoor")

	status, viaServer, errText := runCLI(t, append([]string{"attendance", "--server", url, "--device-file", device, "--user", "Tess Janssen", "--pin", "2222"}, args...)...)
	if status != 0 || !strings.Contains(viaServer, "Rupsjes 2026-11-24: expected") {
		t.Fatalf("attendance --server: status %d, %q, %q", status, viaServer, errText)
	}
	// The hub holds the file; a command on it goes through the hub.
	status, sameMachine, errText := runCLI(t, append([]string{"attendance", "--db", path}, args...)...)
	if status != 0 || sameMachine != viaServer {
		t.Fatalf("attendance --db while the hub holds the file: status %d, %q\n%s\nwant\n%s", status, errText, sameMachine, viaServer)
	}
	status, _, errText = runCLI(t, append([]string{"attendance", "--server", url, "--device-file", device, "--user", "Tess Janssen", "--pin", "0000"}, args...)...)
	if status != 1 || !strings.Contains(strings.ToLower(errText), "wrong pin") {
		t.Errorf("a wrong PIN: status %d, %q", status, errText)
	}
	status, _, errText = runCLI(t, append([]string{"attendance", "--server", url}, args...)...)
	if status != 1 || !strings.Contains(errText, "not paired") || !strings.Contains(errText, "locatiedesk pair") {
		t.Errorf("a computer not paired: status %d, %q", status, errText)
	}
	// Knowing the fingerprint is not enough: the hub answers nothing to a
	// device it has not paired.
	status, _, errText = runCLI(t, append([]string{"attendance", "--server", url, "--fingerprint", fp, "--user", "Tess Janssen", "--pin", "2222"}, args...)...)
	if status != 1 || !strings.Contains(errText, "not paired") {
		t.Errorf("an unpaired computer with the fingerprint: status %d, %q", status, errText)
	}

	backup := filepath.Join(t.TempDir(), "backup.db")
	status, said, errText := runCLI(t, "backup", "--db", path, "-o", backup)
	if status != 0 || !strings.Contains(said, "through its hub and verified") {
		t.Fatalf("backup while the hub holds the file: status %d, %q %q", status, said, errText)
	}
	status, _, errText = runCLI(t, append([]string{"attendance", "--db", backup}, args...)...)
	if status != 0 {
		t.Errorf("the backup made through the hub does not open: %q", errText)
	}

	exported := filepath.Join(t.TempDir(), "children.csv")
	if status, _, errText := runCLI(t, "export", "children", "--db", path, "-o", exported); status != 0 {
		t.Errorf("export children while the hub holds the file: %q", errText)
	}

	out, err := stop()
	if err != nil || !strings.HasSuffix(out, "stopped\n") {
		t.Fatalf("serve stopped with %v:\n%s", err, out)
	}
	if _, err := os.Stat(path + hubURLSuffix); !os.IsNotExist(err) {
		t.Errorf("the hub's address stays beside the file after it stopped: %v", err)
	}
	status, local, errText := runCLI(t, append([]string{"attendance", "--db", path}, args...)...)
	if status != 0 || local != viaServer {
		t.Errorf("the file after the hub stopped: status %d, %q", status, errText)
	}
	exportedHere := filepath.Join(t.TempDir(), "children.csv")
	if status, _, errText := runCLI(t, "export", "children", "--db", path, "-o", exportedHere); status != 0 {
		t.Fatalf("export children from the file: %q", errText)
	}
	throughHub, _ := os.ReadFile(exported)
	here, _ := os.ReadFile(exportedHere)
	if len(here) == 0 || !bytes.Equal(throughHub, here) {
		t.Errorf("export children through the hub:\n%s\nfrom the file:\n%s", throughHub, here)
	}
}

func TestWatch_PrintsEachChangeAsItArrives(t *testing.T) {
	path, url, _, _ := serveDemo(t)
	watcher := pairWithCLI(t, path, url, "Kantoor")
	ctx, cancel := context.WithCancel(t.Context())
	var out syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- runWatch(ctx, []string{"--server", url, "--device-file", watcher, "--user", "Sven Öztürk", "--pin", "3333"}, &out)
	}()

	f, err := client.LoadDeviceFile(pairWithCLI(t, path, url, "Rupsjes tablet"))
	if err != nil {
		t.Fatal(err)
	}
	c, err := client.DialDevice(f)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	a, err := c.SignIn(t.Context(), 2, "2222")
	if err != nil {
		t.Fatal(err)
	}
	tess := c.As(a)
	today := tess.Today()
	list, err := tess.DayList(t.Context(), 1, today)
	if err != nil || len(list.Rows) == 0 {
		t.Fatalf("the list of today: %v", err)
	}
	child := list.Rows[0].Child.ID
	// The watcher may subscribe after the first note: write until one shows.
	line := regexp.MustCompile(`(?m)^\d+ attendance ` + regexp.QuoteMeta(today.String()) + ` group=1 child=` + fmt.Sprint(child) + `\b`)
	deadline := time.Now().Add(10 * time.Second)
	for !line.MatchString(out.String()) && time.Now().Before(deadline) {
		if err := tess.SetNote(t.Context(), data.DayEdit{Date: today, GroupID: 1, ChildID: child, By: "test"}, "opa haalt op"); err != nil {
			t.Fatal(err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if !line.MatchString(out.String()) {
		t.Fatalf("watch printed no line for the note:\n%s", out.String())
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("watch ended with %v", err)
	}
}

func TestServer_EveryCommandWorksThroughTheHub(t *testing.T) {
	path, url, _, _ := serveDemo(t)
	device := pairWithCLI(t, path, url, "Kantoor laptop")
	dir := t.TempDir()
	out := func(name string) string { return filepath.Join(dir, name) }
	consent := out("consent.csv")
	if err := os.WriteFile(consent, []byte("child_id;level;date\n1;none;2025-06-01\n2;portal;2025-06-01\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var planning bytes.Buffer
	ds := demo.Build(data.DateOf(time.Now()))
	if _, err := generate.ChildrenFile(&planning, generate.ChildrenFileOptions{Location: demo.LocationName, Groups: ds.Groups, Children: 3, Start: data.DateOf(time.Now()).AddDays(-30), Seed: 3}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(out("planning.csv"), planning.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	asManager := append([]string{"--server", url, "--device-file", device}, manager...)
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"check"}, url + ": no damage found"},
		{[]string{"backup", "-o", out("backup.db")}, "written to " + out("backup.db") + " and verified"},
		{[]string{"account", "add", "--name", "Noor Visser", "--role", "staff", "--group", demo.GroupBabies, "--secret", "5555"}, `account "Noor Visser" added as staff`},
		{[]string{"import", "consent"}, "imported 2 photo-consent answers"},
		{[]string{"import", "children"}, "imported from " + out("planning.csv") + " into " + url},
		{[]string{"export", "children", "-o", out("children.csv")}, " contract lines written to"},
		{[]string{"export", "child", "--child", "1", "-o", out("child.json")}, "written to " + out("child.json")},
		{[]string{"export", "invoicing", "--from", "2026-11-01", "--to", "2026-11-30", "-o", out("invoicing.csv")}, "batch 1"},
		{[]string{"print", "present", "-o", out("present.pdf")}, "who is here at"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args[:min(2, len(tt.args))], " "), func(t *testing.T) {
			args := append(tt.args[:len(tt.args):len(tt.args)], asManager...)
			switch strings.Join(tt.args, " ") { // the file comes after the flags
			case "import consent":
				args = append(args, consent)
			case "import children":
				args = append(args, out("planning.csv"))
			}
			status, said, errText := runCLI(t, args...)
			if status != 0 || !strings.Contains(said+errText, tt.want) {
				t.Errorf("status %d, %q %q; want %q", status, said, errText, tt.want)
			}
		})
	}
	if exported, _ := os.ReadFile(out("children.csv")); bytes.Count(exported, []byte("\n")) < 4 {
		t.Errorf("the children imported through the hub are not in its export:\n%s", exported)
	}
	// The backup made through the network opens as a data file of its own.
	status, said, errText := runCLI(t, "attendance", "--db", out("backup.db"), "--group", demo.GroupBabies, "--date", "2026-11-24")
	if status != 0 || !strings.Contains(said, "Rupsjes 2026-11-24") {
		t.Errorf("the backup through the hub: %d %q %q", status, said, errText)
	}
	// The hub, not the command, checks who may do what.
	status, _, errText = runCLI(t, "account", "add", "--name", "Iemand", "--role", "staff", "--secret", "5555",
		"--server", url, "--device-file", device, "--user", "Tess Janssen", "--pin", "2222")
	if status != 1 || errText == "" {
		t.Errorf("staff adding an account through the hub: %d %q", status, errText)
	}
	status, _, errText = runCLI(t, "check", "--server", url, "--device-file", device)
	if status != 1 || !strings.Contains(errText, "--user") {
		t.Errorf("--server without --user: %d %q", status, errText)
	}
}

func TestServer_FileCommandsRefuseIt(t *testing.T) {
	for _, command := range []string{"setup", "demo", "generate", "restore", "purge", "serve"} {
		status, _, errText := runCLI(t, command, "--server=https://127.0.0.1:1", "--db", filepath.Join(t.TempDir(), "x.db"))
		if status != 1 || !strings.Contains(errText, "does not work through a hub") {
			t.Errorf("%s --server: %d %q", command, status, errText)
		}
	}
}

// TestPairing_CodePairListRevoke: the manager makes a code, a computer pairs
// with it and works; the manager lists the devices and unpairs it, and its
// next command is refused. A code works once, and staff make none.
func TestPairing_CodePairListRevoke(t *testing.T) {
	path, url, _, _ := serveDemo(t)
	device := pairWithCLI(t, path, url, "Rupsjes tablet")
	if info, err := os.Stat(device); err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("the device file: %v, %v; want mode 0600", info, err)
	}
	remote := []string{"--server", url, "--device-file", device}

	status, list, errText := runCLI(t, append(append([]string{"devices"}, remote...), manager...)...)
	row := regexp.MustCompile(`(?m)^(\d+)\s+Rupsjes tablet\s+\d{4}-\d\d-\d\d \d\d:\d\d\s+Marieke de Boer\s+.*paired$`).FindStringSubmatch(list)
	if status != 0 || row == nil {
		t.Fatalf("devices: status %d, %q, %q", status, list, errText)
	}

	status, said, errText := runCLI(t, append([]string{"devices", "--db", path, "--revoke", row[1]}, manager...)...)
	if status != 0 || said != "device "+row[1]+" (Rupsjes tablet) unpaired\n" {
		t.Fatalf("devices --revoke: status %d, %q, %q", status, said, errText)
	}
	status, _, errText = runCLI(t, append(append([]string{"attendance", "--group", demo.GroupBabies}, remote...), "--user", "Tess Janssen", "--pin", "2222")...)
	if status != 1 || !strings.Contains(errText, "no longer paired") {
		t.Errorf("the unpaired computer's next command: status %d, %q", status, errText)
	}
	status, list, _ = runCLI(t, append([]string{"devices", "--db", path}, manager...)...)
	if status != 0 || !regexp.MustCompile(`(?m)^`+row[1]+`\s+Rupsjes tablet\s.*unpaired \S+ \S+ by Marieke de Boer$`).MatchString(list) {
		t.Errorf("the list after unpairing: status %d, %q", status, list)
	}

	status, said, _ = runCLI(t, "pair-code", "--db", path, "--user", "Tess Janssen", "--pin", "2222")
	if status != 1 || said != "" {
		t.Errorf("staff make a code: status %d, %q", status, said)
	}
	_, said, _ = runCLI(t, append([]string{"pair-code", "--db", path}, manager...)...)
	code := strings.TrimSuffix(strings.Fields(said)[2], ",")
	again := filepath.Join(t.TempDir(), "again.json")
	if status, _, errText := runCLI(t, "pair", "--server", url, "--code", code, "--device-file", again, "--name", "Avonturiers tablet"); status != 0 {
		t.Fatalf("pair: %q", errText)
	}
	status, _, errText = runCLI(t, "pair", "--server", url, "--code", code, "--device-file", filepath.Join(t.TempDir(), "twice.json"), "--name", "Tweede")
	if status != 1 || !strings.Contains(errText, "not valid") {
		t.Errorf("a code used twice: status %d, %q", status, errText)
	}
}
