package main

import (
	"context"
	"sync"
	"time"

	"locatiedesk/data"
	"locatiedesk/hub/client"
	"locatiedesk/hub/discover"
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
	opened []*client.Client // closed when the window closes
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
	hubStore, err := client.DialDevice(f)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	c.opened = append(c.opened, hubStore)
	c.mu.Unlock()
	return hubStore, nil
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
