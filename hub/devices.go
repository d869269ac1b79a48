package hub

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"connectrpc.com/connect"

	"locatiedesk/data"
	"locatiedesk/hub/wire"
)

// seenEvery is how often at most the hub notes that a device was seen: a
// tablet calls many times a minute, and the list of devices needs minutes.
const seenEvery = time.Minute

// device is the paired device the call's Locatiedesk-Device header names,
// if its credential is right and it is not revoked; the hub reads the device
// on every call, so a revocation counts from the next call on.
func (h *Hub) device(ctx context.Context, header http.Header) (data.Device, error) {
	id, credential, ok := strings.Cut(header.Get(wire.HeaderDevice), ".")
	n, err := strconv.ParseUint(id, 10, 64)
	if !ok || err != nil || n == 0 {
		return data.Device{}, wire.ErrDeviceNotPaired
	}
	d, err := h.store.Device(ctx, data.ID(n))
	if errors.Is(err, data.ErrNotFound) {
		return data.Device{}, wire.ErrDeviceNotPaired
	}
	if err != nil {
		return data.Device{}, err
	}
	if err := d.CheckCredential(credential); err != nil {
		var refusal *data.Refusal
		if errors.As(err, &refusal) { // revoked: the device may say so
			return data.Device{}, fmt.Errorf("%w: %w", wire.ErrDeviceNotPaired, err)
		}
		return data.Device{}, wire.ErrDeviceNotPaired
	}
	h.noteSeen(ctx, d)
	return d, nil
}

// noteSeen writes when the device was last seen, at most once a minute.
func (h *Hub) noteSeen(ctx context.Context, d data.Device) {
	now := h.store.Now()
	h.mu.Lock()
	last, ok := h.seen[d.ID]
	if !ok {
		last = d.LastSeen
	}
	due := now.Sub(last) >= seenEvery
	if due {
		h.seen[d.ID] = now
	}
	h.mu.Unlock()
	if due {
		// Bookkeeping only: a failure here must not fail the device's call,
		// and the next call a minute later tries again.
		_ = h.store.DeviceSeen(ctx, d.ID, now)
	}
}

// onDevice is the store for a paired device's calls before anyone signs in
// on it (the sign-in list, SignIn), bound to the device alone: SignIn binds
// its session to the device.
type onDevice struct {
	data.Store
	deviceID data.ID
}

// deviceOf is the device a public call came from; 0 through the owner key.
func deviceOf(s data.Store) data.ID {
	if d, ok := s.(onDevice); ok {
		return d.deviceID
	}
	return 0
}

// pair pairs a device that proves it knows an open code and saw this hub's
// certificate (data.PairingProof); it is public, and the code never travels.
func (h *Hub) pair(ctx context.Context, req *connect.Request[wire.PairRequest]) (*connect.Response[wire.PairResponse], error) {
	fingerprint := h.Fingerprint()
	if fingerprint == "" {
		return nil, connect.NewError(connect.CodeUnavailable, errors.New("the hub is not serving over TLS"))
	}
	pending, err := h.store.PendingPairings(ctx)
	if err != nil {
		return nil, wire.ToConnect(err)
	}
	var code *data.PairingCode
	for i := range pending {
		if data.ProofMatches(req.Msg.Proof, pending[i].Code, fingerprint) {
			code = &pending[i]
			break
		}
	}
	if code == nil {
		return nil, wire.ToConnect(data.Refuse(data.RefusePairingCodeUnknown, nil))
	}
	secret := make([]byte, 32)
	if _, err := rand.Read(secret); err != nil {
		return nil, wire.ToConnect(err)
	}
	credential := base64.RawURLEncoding.EncodeToString(secret)
	d, err := h.store.PairDevice(ctx, code.ID, req.Msg.DeviceName, data.HashCredential(credential))
	if err != nil {
		return nil, wire.ToConnect(err)
	}
	name, err := h.hubName(ctx)
	if err != nil {
		return nil, wire.ToConnect(err)
	}
	return connect.NewResponse(&wire.PairResponse{DeviceID: d.ID, DeviceName: d.Name, Credential: credential, HubName: name}), nil
}

// hubInfo says who the hub is, to anyone: its name, whether it holds an
// organisation yet, and where the organisation's other hubs answer.
func (h *Hub) hubInfo(ctx context.Context, _ *connect.Request[wire.HubInfoRequest]) (*connect.Response[wire.HubInfoResponse], error) {
	empty, err := h.store.IsEmpty(ctx)
	if err != nil {
		return nil, wire.ToConnect(err)
	}
	name, err := h.hubName(ctx)
	if err != nil {
		return nil, wire.ToConnect(err)
	}
	var hubs []string
	if h.peers != nil {
		if hubs, err = h.peers(ctx); err != nil {
			return nil, wire.ToConnect(err)
		}
	}
	return connect.NewResponse(&wire.HubInfoResponse{HubName: name, Empty: empty, Hubs: hubs}), nil
}

// hubName is the organisation's name, with its location's when it has one
// open location (as a tablet lists the hubs it finds).
func (h *Hub) hubName(ctx context.Context) (string, error) {
	name, err := h.store.OrganisationName(ctx)
	if err != nil {
		return "", err
	}
	locations, err := h.store.Locations(ctx)
	if err != nil {
		return "", err
	}
	var open []string
	for _, l := range locations {
		if l.ClosedOn.IsZero() {
			open = append(open, l.Name)
		}
	}
	if len(open) == 1 && open[0] != name {
		if name == "" {
			return open[0], nil
		}
		return name + " — " + open[0], nil
	}
	return name, nil
}
