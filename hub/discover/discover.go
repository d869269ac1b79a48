// Package discover lets a location's devices find its hub without anyone
// typing an address: the hub announces itself with mDNS/DNS-SD (service
// _locatiedesk._tcp) and a tablet browses for it. The announcement carries
// the organisation's or location's name and the fingerprint of the hub's
// certificate; the fingerprint is only a hint for the screen, since a
// device trusts a hub by the pairing code, never by what the network says.
package discover

import (
	"context"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/hashicorp/mdns"

	"locatiedesk/data"
)

// Service is the DNS-SD service type of a Locatiedesk hub.
const Service = "_locatiedesk._tcp"

// version is the announcement's format, in its TXT record.
const version = "1"

// Hub is a hub found on the local network.
type Hub struct {
	// Name is the organisation's or location's name ("De Vlinder").
	Name string
	// URL is where it answers, https://HOST:PORT.
	URL string
	// Fingerprint is its certificate's SHA-256, as the hub prints it.
	Fingerprint string
}

// Title is how a device lists the hub: "Locatiedesk — De Vlinder".
func (h Hub) Title() string {
	if h.Name == "" {
		return "Locatiedesk"
	}
	return "Locatiedesk — " + h.Name
}

// quiet keeps the mDNS library's notes (an interface without IPv6, say)
// out of the program's output: Browse and Announce report what matters.
var quiet = log.New(io.Discard, "", 0)

// Announce answers the network's questions for Locatiedesk hubs with this
// one, on port, until ctx ends. It fails when the computer has no network
// that carries multicast; the hub works without it, devices then type its
// address.
func Announce(ctx context.Context, port int, name, fingerprint string) error {
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "locatiedesk"
	}
	ips, err := addresses()
	if err != nil {
		return err
	}
	service, err := mdns.NewMDNSService(instanceName(host, port), Service, "", hostName(host), port, ips, txtRecord(name, fingerprint))
	if err != nil {
		return err
	}
	server, err := mdns.NewServer(&mdns.Config{Zone: service, Logger: quiet})
	if err != nil {
		return fmt.Errorf("the hub is not announced on the network (%w); devices can still type its address", err)
	}
	go func() {
		<-ctx.Done()
		server.Shutdown()
	}()
	return nil
}

// Browse asks the network for hubs and lists those that answer within
// timeout, sorted by name. No answer is an empty list, not an error.
func Browse(ctx context.Context, timeout time.Duration) ([]Hub, error) {
	entries := make(chan *mdns.ServiceEntry, 64) // the library drops what finds no room
	params := mdns.DefaultParams(Service)
	params.Entries = entries
	params.Timeout = timeout
	params.Logger = quiet
	// Every location's network carries IPv4; in this library a failed IPv6
	// send would end the whole query.
	params.DisableIPv6 = true
	done := make(chan error, 1)
	go func() {
		done <- mdns.QueryContext(ctx, params)
		close(entries)
	}()
	seen := map[string]bool{}
	var hubs []Hub
	for e := range entries {
		h, ok := hubOf(e)
		if ok && !seen[h.URL] {
			seen[h.URL] = true
			hubs = append(hubs, h)
		}
	}
	if err := <-done; err != nil && ctx.Err() == nil {
		return hubs, fmt.Errorf("looking for hubs on the network: %w", err)
	}
	sort.Slice(hubs, func(i, j int) bool { return hubs[i].Title() < hubs[j].Title() })
	return hubs, nil
}

// txtRecord is what the hub tells about itself beside its address.
func txtRecord(name, fingerprint string) []string {
	return []string{"v=" + version, "name=" + clip(name, 200), "fp=" + fingerprint}
}

// hubOf reads an answer; answers of other versions or services are skipped.
func hubOf(e *mdns.ServiceEntry) (Hub, bool) {
	if !strings.Contains(e.Name, "."+Service+".") || e.Port == 0 {
		return Hub{}, false
	}
	fields := map[string]string{}
	for _, f := range e.InfoFields {
		if k, v, ok := strings.Cut(f, "="); ok {
			fields[k] = v
		}
	}
	if fields["v"] != version || fields["fp"] == "" {
		return Hub{}, false
	}
	var host string
	switch {
	case e.AddrV4 != nil:
		host = e.AddrV4.String()
	case e.AddrV6IPAddr != nil:
		host = e.AddrV6IPAddr.String()
	default:
		return Hub{}, false
	}
	return Hub{Name: fields["name"], URL: "https://" + net.JoinHostPort(host, strconv.Itoa(e.Port)), Fingerprint: fields["fp"]}, true
}

// instanceName names this hub among others on the network: one per
// computer and port, so two hubs on one computer do not collide. A DNS
// label holds at most 63 bytes and no dots.
func instanceName(host string, port int) string {
	suffix := "-" + strconv.Itoa(port)
	host = strings.ReplaceAll(strings.SplitN(host, ".", 2)[0], " ", "-")
	return clip(host, 63-len(suffix)) + suffix
}

func hostName(host string) string {
	return strings.TrimSuffix(strings.SplitN(host, ".", 2)[0], ".") + ".local."
}

// addresses are where devices reach this computer: the addresses of its
// networks that are up. Debian maps the host name to 127.0.1.1, so the
// library's own lookup of the host name would announce an unreachable one.
func addresses() ([]net.IP, error) {
	ifaces, err := net.Interfaces()
	if err != nil {
		return nil, err
	}
	var found []address
	for _, ifi := range ifaces {
		if ifi.Flags&net.FlagUp == 0 {
			continue
		}
		addrs, err := ifi.Addrs()
		if err != nil {
			continue
		}
		for _, a := range addrs {
			if ipnet, ok := a.(*net.IPNet); ok {
				found = append(found, address{ipnet.IP, ifi.Flags&net.FlagLoopback != 0})
			}
		}
	}
	return reachable(found), nil
}

// address is one address of a network interface of this computer.
type address struct {
	ip       net.IP
	loopback bool
}

// reachable are the addresses others can reach: those of the local
// networks; without any, the loopback ones (the hub then serves only
// this computer). Link-local addresses need a zone a DNS record cannot carry.
func reachable(all []address) []net.IP {
	var lan, loopback []net.IP
	for _, a := range all {
		switch {
		case a.ip.IsLinkLocalUnicast():
		case a.loopback || a.ip.IsLoopback():
			loopback = append(loopback, a.ip)
		default:
			lan = append(lan, a.ip)
		}
	}
	if len(lan) > 0 {
		return lan
	}
	return loopback
}

// clip shortens s to at most n bytes without cutting a letter in two.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// NameOf is the name a hub is announced by: its location's, or its
// organisation's where it holds several locations.
func NameOf(ctx context.Context, s data.Store) string {
	if locations, err := s.Locations(ctx); err == nil && len(locations) == 1 {
		return locations[0].Name
	}
	name, _ := s.OrganisationName(ctx)
	return name
}
