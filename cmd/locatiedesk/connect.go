package main

import (
	"context"
	"path/filepath"
	"sync"
	"time"

	"locatiedesk/data"
	"locatiedesk/hub/client"
	"locatiedesk/hub/discover"
	"locatiedesk/hub/outbox"
	"locatiedesk/ui"
)

// browseFor is how long the window listens for hubs' answers on the network.
const browseFor = 3 * time.Second

// hubConnector lets the window's first start find the location's hub on the
// network and pair this device with it (ui.Connector): the device file is
// saved before the window switches to the hub, so the next start opens on it.
type hubConnector struct {
	deviceFile string

	mu     sync.Mutex
	opened []*outbox.Store // closed when the window closes (with their hub connections)
}

var _ ui.Connector = (*hubConnector)(nil)

func (c *hubConnector) Browse(ctx context.Context) ([]discover.Hub, error) {
	return discover.Browse(ctx, browseFor)
}

func (c *hubConnector) Pair(ctx context.Context, hubURL, code, deviceName string) (data.Store, error) {
	f, err := client.Pair(ctx, hubURL, code, deviceName)
	if err != nil {
		return nil, err
	}
	if err := f.Save(c.deviceFile); err != nil {
		return nil, err
	}
	hubStore, err := client.DialDevice(f, client.KeepDeviceFile(c.deviceFile))
	if err != nil {
		return nil, err
	}
	tablet, err := outbox.Open(outboxBeside(c.deviceFile), hubStore)
	if err != nil {
		hubStore.Close()
		return nil, err
	}
	c.mu.Lock()
	c.opened = append(c.opened, tablet)
	c.mu.Unlock()
	return tablet, nil
}

// openOnHub is the store of a window on the hub r names, as the device
// paired into its device file: through the device's outbox, so that the
// day's list and its check-ins go on while the network is down (the outbox
// also keeps the device file's list of the organisation's hubs current).
func openOnHub(r *remote) (*outbox.Store, error) {
	hubStore, err := r.dial()
	if err != nil {
		return nil, err
	}
	tablet, err := outbox.Open(outboxBeside(*r.deviceFile), hubStore)
	if err != nil {
		hubStore.Close()
		return nil, err
	}
	return tablet, nil
}

// outboxBeside is where a device keeps what it does without connection:
// beside its device file.
func outboxBeside(deviceFile string) string {
	return filepath.Join(filepath.Dir(deviceFile), "outbox.db")
}

// Close closes the connections to the hub the window made.
func (c *hubConnector) Close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, s := range c.opened {
		s.Close()
	}
	c.opened = nil
}
