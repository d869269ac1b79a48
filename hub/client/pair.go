package client

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"connectrpc.com/connect"

	"locatiedesk/data"
	"locatiedesk/hub"
	"locatiedesk/hub/wire"
)

// DeviceFile is what a paired device keeps: the hub's address and the
// fingerprint of its certificate as seen when pairing (pinned from then on),
// and the device's number and credential.
type DeviceFile struct {
	URL         string  `json:"url"`
	Fingerprint string  `json:"fingerprint"`
	DeviceID    data.ID `json:"deviceID"`
	Credential  string  `json:"credential"`
	HubName     string  `json:"hubName,omitempty"`
	// DeviceName is the name the device was paired under, as the log shows it.
	DeviceName string `json:"deviceName,omitempty"`
	// Hubs are the addresses of the organisation's other hubs on the same
	// database, as the hub said when pairing: the device goes on through
	// them when its hub is down.
	Hubs []string `json:"hubs,omitempty"`
}

// ErrNoDeviceFile is a device that was never paired (no device file).
var ErrNoDeviceFile = errors.New("this device is not paired yet")

// DefaultDeviceFile is where the window keeps its device file:
// <config>/locatiedesk/device.json.
func DefaultDeviceFile() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "locatiedesk", "device.json"), nil
}

// Save writes the file whole or not at all (a new file renamed over the
// old), readable by its owner only: the credential is a secret.
func (f DeviceFile) Save(path string) error {
	b, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	return hub.WritePrivateFile(path, append(b, '\n'))
}

// LoadDeviceFile reads a device file; a missing one is ErrNoDeviceFile, a
// damaged one an error that names the file and says to pair again.
func LoadDeviceFile(path string) (DeviceFile, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return DeviceFile{}, fmt.Errorf("%w: %s does not exist; pair the device first (locatiedesk pair)", ErrNoDeviceFile, path)
	}
	if err != nil {
		return DeviceFile{}, err
	}
	var f DeviceFile
	if err := json.Unmarshal(b, &f); err != nil {
		return DeviceFile{}, fmt.Errorf("%w: the device file %s is damaged (%v); remove it and pair the device again", data.ErrInvalid, path, err)
	}
	if f.URL == "" || f.Fingerprint == "" || f.DeviceID == 0 || f.Credential == "" {
		return DeviceFile{}, fmt.Errorf("%w: the device file %s is incomplete; remove it and pair the device again", data.ErrInvalid, path)
	}
	return f, nil
}

// WithDevice sends the paired device's credential with every call.
func WithDevice(id data.ID, credential string) Option {
	return func(c *conn) { c.device = deviceHeader(id, credential) }
}

func deviceHeader(id data.ID, credential string) string {
	return strconv.FormatUint(uint64(id), 10) + "." + credential
}

// DialDevice connects to the hub a device was paired with, as that device,
// going on through the organisation's other hubs of the device file when it
// cannot be reached (see LearnHubs and KeepDeviceFile for hubs added later).
func DialDevice(f DeviceFile, opts ...Option) (*Client, error) {
	return Dial(f.URL, f.Fingerprint, append([]Option{WithDevice(f.DeviceID, f.Credential), WithAlternates(f.Hubs...)}, opts...)...)
}

// Pair pairs this device with the hub at url using a one-time code a
// manager made. The code does not travel: the device proves it with the
// fingerprint of the certificate it sees (data.PairingProof), which only the
// hub the manager made the code on can match, and pins that certificate.
// deviceName is the name the device asks for; the manager's, given with
// the code, wins.
func Pair(ctx context.Context, url, code, deviceName string) (DeviceFile, error) {
	code, err := data.NormalizePairingCode(code)
	if err != nil {
		return DeviceFile{}, err
	}
	s, err := firstSight(url)
	if err != nil {
		return DeviceFile{}, err
	}
	defer s.close()
	// HubInfo first: the certificate is seen before the proof is made.
	info, err := s.info(ctx)
	if err != nil {
		return DeviceFile{}, err
	}
	fingerprint := s.fingerprint()
	pair := connect.NewClient[wire.PairRequest, wire.PairResponse](s.http, s.url+wire.ProcPair, connect.WithCodec(wire.Codec{}))
	resp, err := pair.CallUnary(ctx, connect.NewRequest(&wire.PairRequest{Proof: data.PairingProof(code, fingerprint), DeviceName: deviceName}))
	if err != nil {
		return DeviceFile{}, wire.FromConnect(err)
	}
	return DeviceFile{URL: s.url, Fingerprint: fingerprint, DeviceID: resp.Msg.DeviceID,
		Credential: resp.Msg.Credential, HubName: resp.Msg.HubName, DeviceName: resp.Msg.DeviceName, Hubs: info.Hubs}, nil
}

// sight is a connection to a hub whose certificate is not pinned yet: it
// trusts the first certificate it sees, and that one only from then on.
type sight struct {
	url  string
	http *http.Client

	mu   sync.Mutex
	seen string // the fingerprint of the first certificate the hub showed
}

func firstSight(url string) (*sight, error) {
	url = strings.TrimRight(url, "/")
	if !strings.HasPrefix(url, "https://") {
		return nil, fmt.Errorf("%w: the hub's address must start with https:// (%q)", data.ErrInvalid, url)
	}
	s := &sight{url: url}
	transport := &http.Transport{
		TLSClientConfig: &tls.Config{
			MinVersion: tls.VersionTLS13,
			// Nothing is pinned yet: a pairing proof binds the code to the
			// certificate seen first, which every later connection must
			// show too and which the device pins from then on.
			InsecureSkipVerify: true,
			VerifyConnection:   s.verify,
		},
		ForceAttemptHTTP2:   true,
		TLSHandshakeTimeout: 10 * time.Second,
	}
	s.http = &http.Client{Transport: transport}
	return s, nil
}

func (s *sight) verify(cs tls.ConnectionState) error {
	if len(cs.PeerCertificates) == 0 {
		return errors.New("the hub sent no certificate")
	}
	fp := hub.FingerprintOf(cs.PeerCertificates[0].Raw)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.seen == "" {
		s.seen = fp
	} else if fp != s.seen {
		return errors.New("the hub's certificate changed while pairing")
	}
	return nil
}

func (s *sight) fingerprint() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.seen
}

func (s *sight) info(ctx context.Context) (*wire.HubInfoResponse, error) {
	info := connect.NewClient[wire.HubInfoRequest, wire.HubInfoResponse](s.http, s.url+wire.ProcHubInfo, connect.WithCodec(wire.Codec{}))
	resp, err := info.CallUnary(ctx, connect.NewRequest(&wire.HubInfoRequest{}))
	if err != nil {
		return nil, wire.FromConnect(err)
	}
	return resp.Msg, nil
}

func (s *sight) close() { s.http.CloseIdleConnections() }
