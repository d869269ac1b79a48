package discover

import (
	"context"
	"net"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/hashicorp/mdns"
)

const fingerprint = "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89"

func TestHubOf_ReadsWhatTheHubAnnounces(t *testing.T) {
	txt := txtRecord("De Vlinder", fingerprint)
	entry := func(name string, port int, v4 net.IP, txt []string) *mdns.ServiceEntry {
		return &mdns.ServiceEntry{Name: name, Port: port, AddrV4: v4, InfoFields: txt}
	}
	instance := "kantoor-7443." + Service + ".local."
	tests := []struct {
		name  string
		entry *mdns.ServiceEntry
		want  Hub
		ok    bool
	}{
		{"a hub", entry(instance, 7443, net.IPv4(192, 0, 2, 7), txt), Hub{Name: "De Vlinder", URL: "https://192.0.2.7:7443", Fingerprint: fingerprint}, true},
		{"only IPv6", &mdns.ServiceEntry{Name: instance, Port: 7443, AddrV6IPAddr: &net.IPAddr{IP: net.ParseIP("2001:db8::7")}, InfoFields: txt}, Hub{Name: "De Vlinder", URL: "https://[2001:db8::7]:7443", Fingerprint: fingerprint}, true},
		{"another service", entry("printer._ipp._tcp.local.", 631, net.IPv4(192, 0, 2, 8), txt), Hub{}, false},
		{"another version", entry(instance, 7443, net.IPv4(192, 0, 2, 7), []string{"v=2", "name=X", "fp=" + fingerprint}), Hub{}, false},
		{"no fingerprint", entry(instance, 7443, net.IPv4(192, 0, 2, 7), []string{"v=1", "name=X"}), Hub{}, false},
		{"no address", entry(instance, 7443, nil, txt), Hub{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := hubOf(tt.entry)
			if ok != tt.ok || got != tt.want {
				t.Errorf("hubOf = %+v, %v; want %+v, %v", got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestHub_Title(t *testing.T) {
	if got := (Hub{Name: "De Vlinder"}).Title(); got != "Locatiedesk — De Vlinder" {
		t.Errorf("title %q", got)
	}
	if got := (Hub{}).Title(); got != "Locatiedesk" {
		t.Errorf("title without a name %q", got)
	}
}

func TestInstanceName_FitsOneDNSLabel(t *testing.T) {
	if got := instanceName("kantoor.example.nl", 7443); got != "kantoor-7443" {
		t.Errorf("instance %q", got)
	}
	long := strings.Repeat("é", 40) // 80 bytes
	got := instanceName(long, 7443)
	if len(got) > 63 || !utf8.ValidString(got) || !strings.HasSuffix(got, "-7443") {
		t.Errorf("instance of a long name: %q (%d bytes)", got, len(got))
	}
	if got := txtRecord(strings.Repeat("ö", 200), fingerprint)[1]; len(got) > 255 || !utf8.ValidString(got) {
		t.Errorf("a long name does not fit one TXT string: %d bytes", len(got))
	}
}

func TestReachable_PrefersTheLocalNetwork(t *testing.T) {
	lo := address{net.IPv4(127, 0, 0, 1), true}
	lan := address{net.IPv4(192, 0, 2, 7), false}
	linkLocal := address{net.ParseIP("fe80::1"), false}
	if got := reachable([]address{lo, linkLocal, lan}); len(got) != 1 || !got[0].Equal(lan.ip) {
		t.Errorf("with a network: %v", got)
	}
	if got := reachable([]address{lo, linkLocal}); len(got) != 1 || !got[0].Equal(lo.ip) {
		t.Errorf("without a network: %v", got)
	}
}

// TestAnnounceBrowse_OnLoopback announces a hub and finds it through real
// multicast, inside a network namespace of its own that holds only the
// loopback interface, so that nothing reaches the machine's network.
func TestAnnounceBrowse_OnLoopback(t *testing.T) {
	if os.Getenv("LOCATIEDESK_NETNS") != "1" {
		inNamespace(t, "TestAnnounceBrowse_OnLoopback")
		return
	}
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	if err := Announce(ctx, 7443, "De Vlinder", fingerprint); err != nil {
		t.Fatal(err)
	}
	if err := Announce(ctx, 7444, "Het Zonnetje", fingerprint); err != nil {
		t.Fatal(err)
	}
	hubs, err := Browse(t.Context(), time.Second)
	if err != nil {
		t.Fatal(err)
	}
	want := []Hub{ // by name
		{Name: "De Vlinder", URL: "https://127.0.0.1:7443", Fingerprint: fingerprint},
		{Name: "Het Zonnetje", URL: "https://127.0.0.1:7444", Fingerprint: fingerprint},
	}
	if len(hubs) != 2 || hubs[0] != want[0] || hubs[1] != want[1] {
		t.Fatalf("found %+v, want %+v", hubs, want)
	}
	cancel()
	time.Sleep(100 * time.Millisecond) // the announcer's sockets close
	if hubs, err := Browse(t.Context(), 300*time.Millisecond); err != nil || len(hubs) != 0 {
		t.Errorf("after the announcement ended: %+v, %v", hubs, err)
	}
}

// inNamespace runs the test again in a new network namespace whose loopback
// carries multicast; it is skipped where namespaces cannot be made.
func inNamespace(t *testing.T, name string) {
	t.Helper()
	for _, tool := range []string{"unshare", "ip"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("needs %s (util-linux, iproute2) to make a network of its own", tool)
		}
	}
	script := `ip link set lo up multicast on && ip route add 224.0.0.0/4 dev lo && exec "$0" -test.run '^` + name + `$' -test.v`
	cmd := exec.Command("unshare", "--net", "--map-root-user", "sh", "-c", script, os.Args[0])
	cmd.Env = append(os.Environ(), "LOCATIEDESK_NETNS=1")
	out, err := cmd.CombinedOutput()
	if err != nil && !strings.Contains(string(out), "--- ") {
		t.Skipf("no network namespace here: %v\n%s", err, out)
	}
	if err != nil || !strings.Contains(string(out), "--- PASS: "+name) {
		t.Fatalf("in its own network:\n%s", out)
	}
}
