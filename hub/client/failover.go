package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"

	"locatiedesk/hub/wire"
)

// WithAlternates names the other hubs of the organisation (https://host:port),
// which serve the same database: when the hub in use cannot be reached, the
// client goes on with the next. They must show the certificate pinned for
// the first, as hubs of one organisation do (they share it through the
// database).
func WithAlternates(urls ...string) Option {
	return func(c *conn) {
		for _, u := range urls {
			if u = strings.TrimRight(u, "/"); u != "" && u != c.base {
				c.alternates = append(c.alternates, u)
			}
		}
	}
}

// KeepDeviceFile saves the organisation's hubs the client learns
// (LearnHubs) in the device file at path: the one DialDevice was given.
func KeepDeviceFile(path string) Option { return func(c *conn) { c.deviceFile = path } }

// failover sends each request to the hub in use; a request that fails to
// reach it moves the client on to the next hub of the list, so the call's
// own retry (with the same write key, which every hub of the database
// honours) goes there.
type failover struct {
	next  http.RoundTripper
	base  string // host:port of the hub the client was dialled with
	mu    sync.Mutex
	hosts []string // host:port of each hub; hosts[current] is in use
	cur   int
}

func newFailover(next http.RoundTripper, base string, alternates []string) (*failover, error) {
	f := &failover{next: next}
	for _, raw := range append([]string{base}, alternates...) {
		host, err := hostOf(raw)
		if err != nil {
			return nil, err
		}
		f.hosts = append(f.hosts, host)
	}
	f.base = f.hosts[0]
	return f, nil
}

func hostOf(hubURL string) (string, error) {
	u, err := url.Parse(hubURL)
	if err != nil || u.Host == "" || u.Scheme != "https" {
		return "", errors.New("a hub's address must be https://host:port: " + hubURL)
	}
	return u.Host, nil
}

func (f *failover) RoundTrip(req *http.Request) (*http.Response, error) {
	f.mu.Lock()
	host := f.hosts[f.cur]
	f.mu.Unlock()
	if host != req.URL.Host {
		req = req.Clone(req.Context())
		req.URL.Host, req.Host = host, ""
	}
	resp, err := f.next.RoundTrip(req)
	// A round trip fails only when the connection does (the hub's own
	// answers, refusals included, are responses): that hub is gone for now.
	if err != nil && req.Context().Err() == nil {
		f.mu.Lock()
		if f.hosts[f.cur] == host { // not moved on already by a concurrent request
			f.cur = (f.cur + 1) % len(f.hosts)
		}
		f.mu.Unlock()
	}
	return resp, err
}

// inUse is the address of the hub in use.
func (f *failover) inUse() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return "https://" + f.hosts[f.cur]
}

// use makes hosts (and the hub dialled) the hubs to go through; the hub in
// use stays in use.
func (f *failover) use(hosts []string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	current := f.hosts[f.cur]
	f.hosts = []string{f.base}
	for _, h := range append(hosts, current) {
		if !slices.Contains(f.hosts, h) {
			f.hosts = append(f.hosts, h)
		}
	}
	f.cur = slices.Index(f.hosts, current)
}

// Hub is the address of the hub in use.
func (c *Client) Hub() string { return c.route.inUse() }

// Hubs are the addresses of the hubs the client goes through, the one
// dialled first.
func (c *Client) Hubs() []string {
	c.route.mu.Lock()
	defer c.route.mu.Unlock()
	urls := make([]string, len(c.route.hosts))
	for i, h := range c.route.hosts {
		urls[i] = "https://" + h
	}
	return urls
}

// LearnHubs asks the hub in use where the organisation's hubs answer, so
// that a device also goes on through hubs added (or moved) after it was
// paired. The client goes through the new list at once; with
// KeepDeviceFile, a list that differs from the device file's is saved in it,
// the file written whole or not at all. The hub in use, and the one the
// device was paired with, are never dropped. A hub on a data file lists no
// others: nothing changes then. When the file cannot be written (a full
// disk) the old one stays as it was, the client goes on with the new list
// in memory, and the next LearnHubs tries again.
func (c *Client) LearnHubs(ctx context.Context) error {
	info, err := call(ctx, c, c.hubInfo, false, &wire.HubInfoRequest{})
	if err != nil {
		return err
	}
	var hosts []string
	for _, u := range info.Hubs {
		// An address a hub noted wrongly is left out, not the rest with it.
		if host, err := hostOf(strings.TrimRight(u, "/")); err == nil && !slices.Contains(hosts, host) {
			hosts = append(hosts, host)
		}
	}
	if len(hosts) == 0 {
		return nil
	}
	c.learning.Lock()
	defer c.learning.Unlock()
	inUse := c.route.inUse()
	c.route.use(hosts)
	hubs := make([]string, 0, len(hosts)+1)
	for _, h := range hosts {
		hubs = append(hubs, "https://"+h)
	}
	if !slices.Contains(hubs, inUse) {
		hubs = append(hubs, inUse)
	}
	if c.deviceFile == "" {
		return nil
	}
	return c.saveHubs(hubs)
}

// saveHubs puts hubs in the device file when its list differs. The file is
// read again first: it must still be this device's pairing, whose other
// fields (the credential above all) are written back as they are.
func (c *conn) saveHubs(hubs []string) error {
	f, err := LoadDeviceFile(c.deviceFile)
	if err != nil {
		return err
	}
	if f.URL != c.base || deviceHeader(f.DeviceID, f.Credential) != c.device {
		return fmt.Errorf("the device file %s holds another pairing now: its hubs are left as they are", c.deviceFile)
	}
	if sameSet(f.Hubs, hubs) {
		return nil
	}
	f.Hubs = hubs
	if err := f.Save(c.deviceFile); err != nil {
		return fmt.Errorf("the organisation's hubs could not be saved in the device file %s (it stays as it was): %w", c.deviceFile, err)
	}
	return nil
}

// sameSet reports whether a and b hold the same addresses, in any order.
func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	for i := range a {
		a[i] = strings.TrimRight(a[i], "/")
	}
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(slices.Compact(a), slices.Compact(b))
}
