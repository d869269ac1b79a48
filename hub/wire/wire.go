// Package wire is the hub protocol: the Store service's procedures with
// their request and response types (generated from data.Store, see
// SCHEMA.md), the JSON codec they travel in, and how errors cross the
// network so that errors.Is and errors.As work the same on both ends.
//
// The protocol is Connect (connectrpc.com): documented, plain HTTP POSTs
// with JSON bodies over HTTP/1.1 or HTTP/2, server streams for the change
// feed, errors with codes and details, and callable with curl.
package wire

import (
	"encoding/json"
	"time"

	"locatiedesk/data"
)

// Prefix is the service with its version; every procedure's path starts with it.
const Prefix = "/locatiedesk.v1.Store/"

// Procedure is what the hub needs to know of one procedure.
type Procedure struct {
	Name string
	// Read procedures change nothing; every other one is a write and carries
	// an idempotency key.
	Read bool
	// Public procedures may be called before anyone signs in.
	Public bool
}

// Headers of every call.
const (
	// HeaderIdempotency carries a write's key: a retry with the same key is
	// answered with the first attempt's result and applied once.
	HeaderIdempotency = "Idempotency-Key"
	// HeaderAuthorization carries "Bearer <session>".
	HeaderAuthorization = "Authorization"
	// HeaderDevice carries "<deviceID>.<credential>", the paired device's
	// credential, on every call but Now, Pair and HubInfo.
	HeaderDevice = "Locatiedesk-Device"
)

// HubPrefix is the hub's own service, beside the Store's: what a device
// asks before it is paired.
const HubPrefix = "/locatiedesk.v1.Hub/"

// The procedures of the hub's own service; both are public.
const (
	ProcPair    = HubPrefix + "Pair"
	ProcHubInfo = HubPrefix + "HubInfo"
)

// PairRequest pairs a device with a one-time code without sending the
// code: Proof is data.PairingProof(code, the fingerprint of the
// certificate the device saw). DeviceName is the name the device asks for,
// used when the manager gave none with the code.
type PairRequest struct {
	Proof      []byte `json:"proof"`
	DeviceName string `json:"deviceName,omitempty"`
}

// PairResponse is the paired device: its number and credential (32 random
// bytes, base64url), which it sends with every call from now on, and the
// name of the hub for the device's screens.
type PairResponse struct {
	DeviceID   data.ID `json:"deviceID"`
	DeviceName string  `json:"deviceName"`
	Credential string  `json:"credential"`
	HubName    string  `json:"hubName"`
}

// HubInfoRequest asks who the hub is.
type HubInfoRequest struct{}

// HubInfoResponse is what a device may know of a hub before it is paired:
// its name, whether it holds an organisation yet, and the addresses of all
// the organisation's hubs on the same database (none for a data file).
type HubInfoResponse struct {
	HubName string   `json:"hubName"`
	Empty   bool     `json:"empty,omitempty"`
	Hubs    []string `json:"hubs,omitempty"`
}

// SignInRequest is the arguments of data.Store.SignIn.
type SignInRequest struct {
	UserID data.ID `json:"userID"`
	Secret string  `json:"secret"`
}

// SetUpRequest is the arguments of data.Store.SetUp.
type SetUpRequest struct {
	Setup data.OrganisationSetup `json:"setup"`
}

// SessionResponse is the actor signed in (or set up) with the session the
// hub keeps for them: the client sends it back with every call.
type SessionResponse struct {
	Actor   data.Actor `json:"actor"`
	Session string     `json:"session"`
}

// NowRequest asks for the hub's clock.
type NowRequest struct{}

// NowResponse is the hub's clock.
type NowResponse struct {
	Now time.Time `json:"now"`
}

// SubscribeRequest starts the change feed after sequence number After; with
// Resume false, After 0 means from now on (data.FeedLive), with Resume true
// it means from the start of the log.
type SubscribeRequest struct {
	After  uint64 `json:"after"`
	Resume bool   `json:"resume,omitempty"`
}

// FeedMessage is one message of the feed: the first gives Head, the
// sequence number the stream starts after; every later one a Change.
type FeedMessage struct {
	Head   uint64       `json:"head,omitempty"`
	Change *data.Change `json:"change,omitempty"`
}

// Codec carries the plain Go types as JSON (encoding/json), under the name
// "json" so that the Connect protocol's application/json is this codec.
type Codec struct{}

func (Codec) Name() string                    { return "json" }
func (Codec) Marshal(v any) ([]byte, error)   { return json.Marshal(v) }
func (Codec) Unmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }
