// Package hubtest runs a hub on 127.0.0.1 for tests, through the real
// network stack (TLS, HTTP/2), with ways to drop its connections and to
// restart it on the same address.
package hubtest

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"errors"
	"net"
	"net/http"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"locatiedesk/data"
	"locatiedesk/hub"
	"locatiedesk/hub/client"
)

// OwnerKey is the owner key of every test hub.
const OwnerKey = "test-owner-key"

// sessionSecret is the session key of every test hub, kept over Reboot as
// a hub keeps it beside its data file.
var sessionSecret = []byte("test-session-secret-of-32-bytes!")

// Server is a hub serving a store on 127.0.0.1.
type Server struct {
	tb    testing.TB
	Hub   *hub.Hub
	store data.Store
	cert  tls.Certificate
	addr  string
	// listed is what HubInfo lists as the organisation's hubs, shared with
	// the twins.
	listed *hubList

	mu      sync.Mutex
	ln      *listener
	stop    context.CancelFunc
	stopped chan error
}

// Start serves store on a free port of 127.0.0.1 until the test ends.
func Start(tb testing.TB, store data.Store) *Server {
	tb.Helper()
	cert, err := hub.Certificate(filepath.Join(tb.TempDir(), "hub.db"))
	if err != nil {
		tb.Fatal(err)
	}
	s := &Server{tb: tb, store: store, cert: cert, addr: "127.0.0.1:0", listed: &hubList{}}
	s.Hub = s.newHub()
	s.start()
	tb.Cleanup(s.halt)
	return s
}

// Twin starts a second hub on the same store and certificate, on a port of
// its own, as the hubs of one organisation's database are: a device paired
// through one works through the other.
func (s *Server) Twin() *Server {
	s.tb.Helper()
	t := &Server{tb: s.tb, store: s.store, cert: s.cert, addr: "127.0.0.1:0", listed: s.listed}
	t.Hub = t.newHub()
	t.start()
	s.tb.Cleanup(t.halt)
	return t
}

// ListHubs makes this hub and its twins list urls as the organisation's
// hubs (HubInfo), as hubs on one database note where they answer. Until it
// is called they list none, as a hub on a data file.
func (s *Server) ListHubs(urls ...string) {
	s.listed.mu.Lock()
	defer s.listed.mu.Unlock()
	s.listed.urls = slices.Clone(urls)
}

type hubList struct {
	mu   sync.Mutex
	urls []string
}

func (l *hubList) get(context.Context) ([]string, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.urls), nil
}

// URL is the hub's address for client.Dial.
func (s *Server) URL() string { return "https://" + s.addr }

// Fingerprint is the hub certificate's, for client.Dial.
func (s *Server) Fingerprint() string { return hub.Fingerprint(s.cert) }

// Drop closes every connection at once, as a lost network does; the hub
// goes on listening.
func (s *Server) Drop() {
	s.mu.Lock()
	ln := s.ln
	s.mu.Unlock()
	ln.dropAll()
}

// Restart stops the hub (dropping its connections) and starts it again on
// the same address after pause.
func (s *Server) Restart(pause time.Duration) {
	s.tb.Helper()
	s.halt()
	time.Sleep(pause)
	s.start()
}

// Stop stops the hub as a power cut or a lost network does: its
// connections drop and its port is closed until Resume.
func (s *Server) Stop() { s.halt() }

// Resume starts a stopped hub again on the same address.
func (s *Server) Resume() {
	s.tb.Helper()
	s.start()
}

// Reboot stops the hub and starts a new one on the same store, address and
// session key after pause: nothing the old hub held in memory remains, as
// after the hub's computer restarts.
func (s *Server) Reboot(pause time.Duration) {
	s.tb.Helper()
	s.halt()
	time.Sleep(pause)
	s.Hub = s.newHub()
	s.start()
}

func (s *Server) newHub() *hub.Hub {
	return hub.New(s.store, OwnerKey, hub.WithSessionSecret(sessionSecret), hub.WithPeers(s.listed.get))
}

// Owner is a network client of the hub's own computer (its owner key),
// closed when the test ends.
func (s *Server) Owner() *client.Client {
	s.tb.Helper()
	c, err := client.Dial(s.URL(), s.Fingerprint(), client.WithOwnerKey(OwnerKey))
	if err != nil {
		s.tb.Fatal(err)
	}
	s.tb.Cleanup(func() { c.Close() })
	return c
}

// PairDevice pairs a device called name the way the hub's owner may: a
// code made and used on the hub's own store, with a new credential. It
// gives the device's number and credential.
func (s *Server) PairDevice(name string) (data.ID, string) {
	s.tb.Helper()
	ctx := context.Background()
	code, err := s.store.CreatePairingCode(ctx, name)
	if err != nil {
		s.tb.Fatal(err)
	}
	credential := rand.Text()
	d, err := s.store.PairDevice(ctx, code.ID, "", data.HashCredential(credential))
	if err != nil {
		s.tb.Fatal(err)
	}
	return d.ID, credential
}

func (s *Server) start() {
	s.tb.Helper()
	var ln net.Listener
	var err error
	for range 50 { // the old socket may linger a moment after a restart
		if ln, err = net.Listen("tcp", s.addr); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		s.tb.Fatal(err)
	}
	s.addr = ln.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	tracked := &listener{Listener: ln, conns: map[net.Conn]bool{}}
	stopped := make(chan error, 1)
	go func() { stopped <- s.Hub.Serve(ctx, tracked, s.cert) }()
	s.mu.Lock()
	s.ln, s.stop, s.stopped = tracked, cancel, stopped
	s.mu.Unlock()
}

func (s *Server) halt() {
	s.mu.Lock()
	stop, stopped, ln := s.stop, s.stopped, s.ln
	s.stop = nil
	s.mu.Unlock()
	if stop == nil {
		return
	}
	ln.dropAll()
	stop()
	if err := <-stopped; err != nil && !errors.Is(err, http.ErrServerClosed) && !errors.Is(err, context.DeadlineExceeded) {
		s.tb.Errorf("hub stopped with %v", err)
	}
}

// listener remembers its connections so that a test can cut them.
type listener struct {
	net.Listener
	mu    sync.Mutex
	conns map[net.Conn]bool
}

func (l *listener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	l.mu.Lock()
	l.conns[c] = true
	l.mu.Unlock()
	return c, nil
}

func (l *listener) dropAll() {
	l.mu.Lock()
	defer l.mu.Unlock()
	for c := range l.conns {
		c.Close()
	}
	clear(l.conns)
}
