// Package client is data.Store through the network: every call goes to the
// location's hub (package hub), whose certificate the client pins. Screens
// and commands use it as they use the local file.
package client

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"connectrpc.com/connect"

	"locatiedesk/data"
	"locatiedesk/hub"
	"locatiedesk/hub/wire"
)

// Client is a handle on the hub's store: unbound (what may be done before
// anyone signs in, or everything with the owner key) or, from As, bound to
// a signed-in person's session.
type Client struct {
	*conn
	// session is the bound person's token; "" on the unbound handle.
	session string
	actAs   data.ID
}

// conn is what every handle of one Dial shares.
type conn struct {
	base     string
	http     *http.Client
	procs    procedures
	now      *connect.Client[wire.NowRequest, wire.NowResponse]
	signIn   *connect.Client[wire.SignInRequest, wire.SessionResponse]
	setUp    *connect.Client[wire.SetUpRequest, wire.SessionResponse]
	feed     *connect.Client[wire.SubscribeRequest, wire.FeedMessage]
	hubInfo  *connect.Client[wire.HubInfoRequest, wire.HubInfoResponse]
	ownerKey string
	// device is the paired device's "<id>.<credential>"; "" without one.
	device string
	// alternates are the other hubs on the same database (WithAlternates).
	alternates []string
	// route sends each request to the hub in use, and on to the next of
	// the organisation's hubs when that one cannot be reached.
	route *failover
	// deviceFile is where LearnHubs saves the hubs (KeepDeviceFile); "" for
	// none. learning lets one LearnHubs run at a time.
	deviceFile string
	learning   sync.Mutex

	mu       sync.Mutex
	sessions map[data.ID]string
	closed   bool
	feeds    map[*subscription]bool
}

var _ data.Store = (*Client)(nil)

// ErrClosed is a call on a closed client.
var ErrClosed = errors.New("the connection to the hub is closed")

// Option changes how Dial connects.
type Option func(*conn)

// WithOwnerKey acts as the hub's owner: for the command line on the hub's
// own computer, which reads the key beside the data file.
func WithOwnerKey(key string) Option { return func(c *conn) { c.ownerKey = key } }

// Dial connects to the hub at url (https://host:port), trusting only the
// certificate whose SHA-256 fingerprint is pinned (as the hub prints it;
// colons and case do not matter). It makes no call: the first one finds out
// whether the hub is there.
func Dial(url, pinnedFingerprint string, opts ...Option) (*Client, error) {
	pin := normalize(pinnedFingerprint)
	if len(pin) != 64 {
		return nil, fmt.Errorf("%w: %q is not a SHA-256 fingerprint (64 hex digits)", data.ErrInvalid, pinnedFingerprint)
	}
	url = strings.TrimRight(url, "/")
	if !strings.HasPrefix(url, "https://") {
		return nil, fmt.Errorf("%w: the hub's address must start with https:// (%q)", data.ErrInvalid, url)
	}
	tlsConfig := &tls.Config{
		MinVersion: tls.VersionTLS13,
		// The hub's certificate is self-signed: it is trusted by its
		// fingerprint, pinned when the device was set up, not by a name
		// an authority signed.
		InsecureSkipVerify: true,
		VerifyConnection: func(cs tls.ConnectionState) error {
			if len(cs.PeerCertificates) == 0 {
				return errors.New("the hub sent no certificate")
			}
			if got := normalize(hub.FingerprintOf(cs.PeerCertificates[0].Raw)); got != pin {
				return fmt.Errorf("the hub's certificate has fingerprint %s, not the one this device trusts", hub.FingerprintOf(cs.PeerCertificates[0].Raw))
			}
			return nil
		},
	}
	transport := &http.Transport{
		TLSClientConfig:     tlsConfig,
		ForceAttemptHTTP2:   true,
		MaxIdleConnsPerHost: 16,
		IdleConnTimeout:     90 * time.Second,
		TLSHandshakeTimeout: 10 * time.Second,
	}
	c := &conn{
		base:     url,
		http:     &http.Client{Transport: transport},
		sessions: map[data.ID]string{},
		feeds:    map[*subscription]bool{},
	}
	for _, o := range opts {
		o(c)
	}
	// Every client goes through the failover, also one that knows a single
	// hub yet: LearnHubs may add others while it runs.
	route, err := newFailover(transport, url, c.alternates)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", data.ErrInvalid, err)
	}
	c.route = route
	c.http.Transport = route
	codec := connect.WithCodec(wire.Codec{})
	c.procs = newProcedures(c.http, url, codec)
	c.now = connect.NewClient[wire.NowRequest, wire.NowResponse](c.http, url+wire.ProcNow, codec, idempotency(true))
	c.signIn = connect.NewClient[wire.SignInRequest, wire.SessionResponse](c.http, url+wire.ProcSignIn, codec)
	c.setUp = connect.NewClient[wire.SetUpRequest, wire.SessionResponse](c.http, url+wire.ProcSetUp, codec)
	c.hubInfo = connect.NewClient[wire.HubInfoRequest, wire.HubInfoResponse](c.http, url+wire.ProcHubInfo, codec, idempotency(true))
	// A feed message is one change, a few hundred bytes: compressing it
	// for every device cost the hub more than sending it (half its work
	// per write with 20 devices following), so the feed travels plain.
	c.feed = connect.NewClient[wire.SubscribeRequest, wire.FeedMessage](c.http, url+wire.ProcSubscribe, codec, connect.WithAcceptCompression("gzip", nil, nil))
	return &Client{conn: c}, nil
}

func normalize(fingerprint string) string {
	return strings.ToLower(strings.NewReplacer(":", "", " ", "").Replace(fingerprint))
}

func idempotency(read bool) connect.ClientOption {
	if read {
		return connect.WithIdempotency(connect.IdempotencyNoSideEffects)
	}
	return connect.WithIdempotency(connect.IdempotencyUnknown)
}

// authorize puts the handle's credentials on a call: the device's on
// every one, and the person's session or the owner key.
func (c *Client) authorize(h http.Header) {
	if c.device != "" {
		h.Set(wire.HeaderDevice, c.device)
	}
	switch {
	case c.session != "":
		h.Set(wire.HeaderAuthorization, "Bearer "+c.session)
	case c.ownerKey != "":
		h.Set(wire.HeaderAuthorization, "Bearer "+c.ownerKey)
		if c.actAs != 0 {
			h.Set(hub.HeaderActAs, strconv.FormatUint(uint64(c.actAs), 10))
		}
	}
}

// retries is how often a call is tried again when the hub cannot be reached
// or its answer was lost on the way; a write keeps its idempotency key, so
// the hub applies it once and answers the retry with the first result.
var retries = []time.Duration{50 * time.Millisecond, 200 * time.Millisecond, 500 * time.Millisecond}

// call makes one call, retrying while the hub is unreachable, and gives the
// hub's error as wire.FromConnect makes it. The response is never nil.
func call[Req, Res any](ctx context.Context, c *Client, cl *connect.Client[Req, Res], write bool, msg *Req) (*Res, error) {
	if c.isClosed() {
		return new(Res), ErrClosed
	}
	var key string
	if write {
		// A write keeps the key its caller gave it (the offline outbox
		// replays with the key it queued), so that it is applied once.
		if given, ok := data.WriteKey(ctx); ok {
			key = given
		} else {
			key = newKey()
		}
	}
	for attempt := 0; ; attempt++ {
		req := connect.NewRequest(msg)
		c.authorize(req.Header())
		if write {
			req.Header().Set(wire.HeaderIdempotency, key)
		}
		resp, err := cl.CallUnary(ctx, req)
		if err == nil {
			return resp.Msg, nil
		}
		err = wire.FromConnect(err)
		if ctx.Err() != nil || !unreached(err) || attempt >= len(retries) {
			return new(Res), err
		}
		select {
		case <-ctx.Done():
			return new(Res), ctx.Err()
		case <-time.After(retries[attempt]):
		}
	}
}

// unreached reports whether err is the network's rather than the hub's:
// the hub's handlers answer every error with its detail (wire.Error). A
// stream the hub reset while it went down comes back as canceled; call only
// gets here when the caller's own context is still live.
func unreached(err error) bool {
	var answered *wire.Error
	if errors.As(err, &answered) {
		return false
	}
	switch connect.CodeOf(err) {
	case connect.CodeUnavailable, connect.CodeInternal, connect.CodeUnknown, connect.CodeCanceled:
		return true
	}
	return false
}

// Unreached reports whether err, from a call of the client, is the
// network's (the hub could not be reached, or went away before it answered)
// rather than the hub's answer: for the offline outbox, which keeps what
// the hub never answered and passes every answer on.
func Unreached(err error) bool { return err != nil && unreached(err) }

func newKey() string {
	b := make([]byte, 16)
	rand.Read(b) // never fails (crypto/rand)
	return hex.EncodeToString(b)
}

// sequence is a list the hub sent whole as the iterator the Store gives.
func sequence[T any](all []T, err error) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		if err != nil {
			var zero T
			yield(zero, err)
			return
		}
		for _, v := range all {
			if !yield(v, nil) {
				return
			}
		}
	}
}

func (c *conn) isClosed() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.closed
}

// Now is the hub's clock (the rules run by it); the device's own when the
// hub cannot be asked within a few seconds.
func (c *Client) Now() time.Time {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	now, err := c.Clock(ctx)
	if err != nil {
		return time.Now()
	}
	return now
}

// Clock is the hub's clock, or why the hub did not answer: for the
// outbox, which must not take the device's own clock for the hub's.
func (c *Client) Clock(ctx context.Context) (time.Time, error) {
	resp, err := call(ctx, c, c.now, false, &wire.NowRequest{})
	if err != nil {
		return time.Time{}, err
	}
	return resp.Now, nil
}

// Today is the date by the hub's clock.
func (c *Client) Today() data.Date { return data.DateOf(c.Now()) }

// SignIn checks the PIN or password on the hub; the session it gives is kept
// for As(actor).
func (c *Client) SignIn(ctx context.Context, userID data.ID, secret string) (data.Actor, error) {
	resp, err := call(ctx, c, c.signIn, true, &wire.SignInRequest{UserID: userID, Secret: secret})
	if err != nil {
		return data.Actor{}, err
	}
	c.keep(resp)
	return resp.Actor, nil
}

// SetUp makes the organisation on an empty hub; its manager is signed in.
func (c *Client) SetUp(ctx context.Context, s data.OrganisationSetup) (data.Actor, error) {
	resp, err := call(ctx, c, c.setUp, true, &wire.SetUpRequest{Setup: s})
	if err != nil {
		return data.Actor{}, err
	}
	c.keep(resp)
	return resp.Actor, nil
}

func (c *conn) keep(s *wire.SessionResponse) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sessions[s.Actor.UserID] = s.Session
}

// As is the handle of a person signed in through this client: its calls
// carry their session, and the hub acts as the person it holds for that
// session (whatever else a's fields say). With the owner key, the hub looks
// the person up itself. A person not signed in here is refused
// (wire.ErrNotSignedIn) by every call that needs a session.
func (c *Client) As(a data.Actor) data.Store {
	c.mu.Lock()
	defer c.mu.Unlock()
	return &Client{conn: c.conn, session: c.sessions[a.UserID], actAs: a.UserID}
}

// Close ends the feed subscriptions and the connections to the hub; the
// hub's store stays open. Calls after it fail with ErrClosed.
func (c *Client) Close() error {
	c.mu.Lock()
	c.closed = true
	feeds := c.feeds
	c.feeds = map[*subscription]bool{}
	c.mu.Unlock()
	for s := range feeds {
		s.stop()
	}
	c.http.CloseIdleConnections()
	return nil
}
