package client

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"sync"
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

// failover sends each request to the hub in use; a request that fails to
// reach it moves the client on to the next hub of the list, so the call's
// own retry (with the same write key, which every hub of the database
// honours) goes there.
type failover struct {
	next  http.RoundTripper
	mu    sync.Mutex
	hosts []string // host:port of each hub; hosts[current] is in use
	cur   int
}

func newFailover(next http.RoundTripper, base string, alternates []string) (*failover, error) {
	f := &failover{next: next}
	for _, raw := range append([]string{base}, alternates...) {
		u, err := url.Parse(raw)
		if err != nil || u.Host == "" || u.Scheme != "https" {
			return nil, errors.New("a hub's address must be https://host:port: " + raw)
		}
		f.hosts = append(f.hosts, u.Host)
	}
	return f, nil
}

func (f *failover) RoundTrip(req *http.Request) (*http.Response, error) {
	f.mu.Lock()
	host, at := f.hosts[f.cur], f.cur
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
		if f.cur == at { // not moved on already by a concurrent request
			f.cur = (f.cur + 1) % len(f.hosts)
		}
		f.mu.Unlock()
	}
	return resp, err
}

// Hub is the address of the hub in use.
func (c *Client) Hub() string {
	f, ok := c.http.Transport.(*failover)
	if !ok {
		return c.base
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return "https://" + f.hosts[f.cur]
}
