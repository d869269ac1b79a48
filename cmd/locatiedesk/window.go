package main

import (
	"context"
	"net"
	"os"
	"strconv"
	"sync"

	"fyne.io/fyne/v2"

	"locatiedesk/data/boltstore"
	"locatiedesk/hub"
	"locatiedesk/hub/discover"
	"locatiedesk/ui"
)

// windowHub serves the window's data file to the location's devices while a
// manager has made this computer the hub (ui.HubHost): the same hub as
// `locatiedesk serve`, announced on the network, and with its address beside
// the file so that commands on this computer go through it.
type windowHub struct {
	db       *boltstore.DB
	listen   string
	announce bool // on the network; tests keep to loopback

	mu   sync.Mutex
	stop context.CancelFunc
	done chan struct{}
}

var _ ui.HubHost = (*windowHub)(nil)

func (h *windowHub) Serve(ctx context.Context) (ui.HubAddress, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.stop != nil {
		h.stopLocked()
	}
	path := h.db.Path()
	cert, err := hub.Certificate(path)
	if err != nil {
		return ui.HubAddress{}, err
	}
	ownerKey, err := hub.OwnerKey(path)
	if err != nil {
		return ui.HubAddress{}, err
	}
	sessionSecret, err := hub.SessionSecret(path)
	if err != nil {
		return ui.HubAddress{}, err
	}
	ln, err := net.Listen("tcp", h.listen)
	if err != nil {
		return ui.HubAddress{}, err
	}
	if err := writeHubURL(path, "https://"+localAddress(ln.Addr())); err != nil {
		ln.Close()
		return ui.HubAddress{}, err
	}
	serving, stop := context.WithCancel(context.WithoutCancel(ctx))
	port := ln.Addr().(*net.TCPAddr).Port
	name := discover.NameOf(ctx, h.db)
	if h.announce {
		if err := discover.Announce(serving, port, name, hub.Fingerprint(cert)); err != nil {
			fyne.LogError("announcing the hub", err) // devices can type the address
		}
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := hub.New(h.db, ownerKey, hub.WithSessionSecret(sessionSecret)).Serve(serving, ln, cert); err != nil {
			fyne.LogError("the hub stopped", err)
		}
		os.Remove(path + hubURLSuffix)
	}()
	h.stop, h.done = stop, done
	address := "https://" + net.JoinHostPort(listenHost(h.listen), strconv.Itoa(port))
	return ui.HubAddress{URL: address, Fingerprint: hub.Fingerprint(cert), Name: name}, nil
}

// Stop stops serving and waits until the hub has let go of its port.
func (h *windowHub) Stop() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.stopLocked()
}

func (h *windowHub) stopLocked() {
	if h.stop == nil {
		return
	}
	h.stop()
	<-h.done
	h.stop, h.done = nil, nil
}
