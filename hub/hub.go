// Package hub serves a location's data.Store to its other devices over
// HTTPS, with the protocol of package wire. The rules, role checks and audit
// run here only. Only paired devices get past the hub's door: a device is
// paired once with a manager's one-time code and then proves itself with its
// credential on every call. On it a person signs in through the hub and then
// holds a session; the hub takes the acting person from that session, never
// from a request.
package hub

//go:generate go run ./internal/genstore

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"connectrpc.com/connect"

	"locatiedesk/data"
	"locatiedesk/hub/wire"
)

// Hub answers the Store service's calls on a store.
type Hub struct {
	store    data.Store
	ownerKey string
	procs    map[string]wire.Procedure
	once     *idempotency
	unlocks  unlocks
	// sessionSecret signs the session tokens (sessions.go).
	sessionSecret []byte
	// peers lists the addresses of the organisation's hubs on one database.
	peers func(context.Context) ([]string, error)

	mu sync.Mutex
	// fingerprint is the certificate's the hub serves with, for pairing.
	fingerprint string
	// seen is when each device was last noted as seen.
	seen map[data.ID]time.Time
	// groupLocations is where each group is, for the devices' feeds; a
	// group never moves to another location.
	groupLocations map[data.ID]data.ID
}

// Option changes how New makes a hub.
type Option func(*Hub)

// WithSessionSecret signs sessions with secret (from SessionSecret, kept
// beside the data file), so that they outlive a restart of the hub. Without
// it the hub makes a secret of its own, and people sign in again after a
// restart.
func WithSessionSecret(secret []byte) Option {
	return func(h *Hub) { h.sessionSecret = secret }
}

// WithPeers makes HubInfo tell devices where the organisation's hubs on the
// same database answer (this one included), so that they go on through
// another when theirs is down.
func WithPeers(peers func(context.Context) ([]string, error)) Option {
	return func(h *Hub) { h.peers = peers }
}

// HeaderActAs lets the owner key act as a person: the hub looks the person
// up itself. Only the owner key may use it.
const HeaderActAs = "Locatiedesk-Act-As"

// New makes a hub serving store (unbound: the hub binds each call to its
// session's actor). ownerKey, when set, is a secret that acts as the store's
// owner (the system, as on the command line of the hub's own computer); it is
// kept beside the data file and never leaves that computer.
func New(store data.Store, ownerKey string, opts ...Option) *Hub {
	h := &Hub{
		store:    store,
		ownerKey: ownerKey,
		procs:    map[string]wire.Procedure{},
		once:     newIdempotency(idempotencyKept),
		seen:     map[data.ID]time.Time{},

		groupLocations: map[data.ID]data.ID{},
	}
	for _, p := range wire.Procedures {
		h.procs[p.Name] = p
	}
	for _, o := range opts {
		o(h)
	}
	if len(h.sessionSecret) == 0 {
		h.sessionSecret = make([]byte, 32)
		rand.Read(h.sessionSecret) // never fails (crypto/rand)
	}
	return h
}

// Fingerprint is the fingerprint of the certificate the hub serves with;
// "" until it serves.
func (h *Hub) Fingerprint() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.fingerprint
}

// Handler is the hub's HTTP handler: every procedure of the Store service.
func (h *Hub) Handler() http.Handler {
	mux := http.NewServeMux()
	for path, handler := range h.generatedHandlers() {
		mux.Handle(path, handler)
	}
	mux.Handle(wire.ProcSignIn, unary(h, wire.ProcSignIn, h.signIn))
	mux.Handle(wire.ProcSetUp, unary(h, wire.ProcSetUp, h.setUp))
	mux.Handle(wire.ProcNow, unary(h, wire.ProcNow, func(context.Context, data.Store, *wire.NowRequest) (*wire.NowResponse, error) {
		return &wire.NowResponse{Now: h.store.Now()}, nil
	}))
	mux.Handle(wire.ProcSubscribe, connect.NewServerStreamHandler(wire.ProcSubscribe, h.subscribe, connect.WithCodec(wire.Codec{})))
	// Pairing is not a write of the idempotency path: a retried pairing
	// would find its code used, and the device asks for a new one.
	mux.Handle(wire.ProcPair, connect.NewUnaryHandler(wire.ProcPair, h.pair, connect.WithCodec(wire.Codec{})))
	mux.Handle(wire.ProcHubInfo, connect.NewUnaryHandler(wire.ProcHubInfo, h.hubInfo, connect.WithCodec(wire.Codec{}),
		connect.WithIdempotency(connect.IdempotencyNoSideEffects)))
	return mux
}

// unary is the handler of one procedure: it finds the caller's store, runs
// fn on it (a write once per idempotency key) and answers with its result or
// its error as wire.ToConnect gives it.
func unary[Req, Res any](h *Hub, proc string, fn func(context.Context, data.Store, *Req) (*Res, error)) http.Handler {
	p, ok := h.procs[proc]
	if !ok {
		panic("hub: unknown procedure " + proc)
	}
	// A small answer costs more to compress than to send: a write's is a
	// few bytes; a day list or a log page still travels compressed.
	opts := []connect.HandlerOption{connect.WithCodec(wire.Codec{}), connect.WithCompressMinBytes(compressMinBytes)}
	if p.Read {
		opts = append(opts, connect.WithIdempotency(connect.IdempotencyNoSideEffects))
	}
	return connect.NewUnaryHandler(proc, func(ctx context.Context, req *connect.Request[Req]) (*connect.Response[Res], error) {
		s, principal, err := h.storeFor(ctx, req.Header(), p)
		if err != nil {
			return nil, wire.ToConnect(err)
		}
		if err := h.unlocks.check(principal, req.Msg); err != nil {
			return nil, wire.ToConnect(err)
		}
		var res any
		if p.Read {
			res, err = fn(ctx, s, req.Msg)
		} else {
			key := req.Header().Get(wire.HeaderIdempotency)
			if key == "" || len(key) > maxHeaderKey {
				return nil, wire.ToConnect(data.Invalid("a write needs an %s header of at most %d characters", wire.HeaderIdempotency, maxHeaderKey))
			}
			// The store keeps the key with the write, so that a retry
			// after the hub restarted is skipped too; in memory, a retry
			// while the first attempt runs waits for its answer.
			stored := h.storedKey(principal, key)
			keyed := data.WithWriteKey(ctx, stored)
			res, err = h.once.do(principal+"\x00"+proc+"\x00"+key, func() (any, error) {
				if h.applied(ctx, stored) {
					return nil, data.ErrAlreadyApplied
				}
				return fn(keyed, s, req.Msg)
			})
			if errors.Is(err, data.ErrAlreadyApplied) {
				// Applied before this hub started: the device's first
				// attempt had the result; the retry gets success.
				res, err = nil, nil
			}
		}
		if err != nil {
			return nil, wire.ToConnect(err)
		}
		if u, ok := res.(*wire.UnlockResponse); ok && u.Result != nil {
			h.unlocks.add(principal, u.Result)
		}
		out, _ := res.(*Res)
		if out == nil {
			out = new(Res)
		}
		withoutSecrets(out)
		return connect.NewResponse(out), nil
	}, opts...)
}

// storeFor is the store a call works on: bound to its session's actor, the
// owner's (unbound) for the owner key, or, for the public procedures only,
// the unbound store. Every call but Now comes from a paired device or with
// the owner key (or a session started with it, on the hub's own computer).
// principal names the caller for the idempotency keys.
func (h *Hub) storeFor(ctx context.Context, header http.Header, p wire.Procedure) (s data.Store, principal string, err error) {
	token, _ := strings.CutPrefix(header.Get(wire.HeaderAuthorization), "Bearer ")
	if token != "" && h.ownerKey != "" && subtle.ConstantTimeCompare([]byte(token), []byte(h.ownerKey)) == 1 {
		actAs := header.Get(HeaderActAs)
		if actAs == "" {
			return h.store, "owner", nil
		}
		id, err := strconv.ParseUint(actAs, 10, 64)
		if err != nil {
			return nil, "", data.Invalid("%s: %q is not a user number", HeaderActAs, actAs)
		}
		a, err := h.store.ActorFor(ctx, data.ID(id))
		if err != nil {
			return nil, "", err
		}
		return h.store.As(a), "owner:" + actAs, nil
	}
	if p.Name == wire.ProcNow {
		return h.store, "public", nil
	}
	var sess session
	var signedIn bool
	if token != "" {
		if sess, signedIn = h.openSession(token, time.Now()); !signedIn && header.Get(wire.HeaderDevice) == "" {
			return nil, "", wire.ErrNotSignedIn
		}
	}
	var device data.Device
	if !signedIn || sess.deviceID != 0 { // a session of the owner key's needs no device
		if device, err = h.device(ctx, header); err != nil {
			return nil, "", err
		}
	}
	if token == "" {
		if p.Public {
			// Bound to the device alone: the store refuses it every action
			// of a role, and logs a sign-in as made on the device.
			return onDevice{Store: h.store.As(data.Actor{Device: device.Name}), deviceID: device.ID},
				"device:" + strconv.FormatUint(uint64(device.ID), 10), nil
		}
		return nil, "", wire.ErrNotSignedIn
	}
	// A session holds on the device it was signed in on only.
	if !signedIn || sess.deviceID != device.ID {
		return nil, "", wire.ErrNotSignedIn
	}
	// The actor is looked up on every call, so a deactivated account or a
	// changed role counts at once.
	a, err := h.store.ActorFor(ctx, sess.userID)
	if err != nil {
		return nil, "", err
	}
	a.Device = device.Name
	return h.store.As(a), "session:" + token, nil
}

// signIn checks the PIN or password on the hub (lock-outs included); the
// session holds on the device signed in on.
func (h *Hub) signIn(ctx context.Context, s data.Store, req *wire.SignInRequest) (*wire.SessionResponse, error) {
	a, err := s.SignIn(ctx, req.UserID, req.Secret)
	if err != nil {
		return nil, err
	}
	return h.startSession(a, deviceOf(s)), nil
}

// setUp makes the organisation in an empty store; its manager is signed in.
// SetUp is not public: an empty hub is set up with the owner key only (any
// other caller needs a session, which only a hub with people can give).
func (h *Hub) setUp(ctx context.Context, s data.Store, req *wire.SetUpRequest) (*wire.SessionResponse, error) {
	a, err := s.SetUp(ctx, req.Setup)
	if err != nil {
		return nil, err
	}
	return h.startSession(a, 0), nil
}

// withoutSecrets blanks the PIN and password hashes and the devices'
// credential hashes: they are checked on the hub and never leave it.
func withoutSecrets(res any) {
	blank := func(u *data.User) { u.SecretHash, u.PINHash = nil, nil }
	switch r := res.(type) {
	case *wire.UsersResponse:
		for i := range r.Result {
			blank(&r.Result[i])
		}
	case *wire.StaffAccountsResponse:
		for i := range r.Result {
			blank(&r.Result[i].User)
		}
	case *wire.AddUserResponse:
		blank(&r.Result)
	case *wire.DevicesResponse:
		for i := range r.Result {
			r.Result[i].CredentialHash = nil
		}
	case *wire.DeviceResponse:
		r.Result.CredentialHash = nil
	case *wire.PairDeviceResponse:
		r.Result.CredentialHash = nil
	}
}

// feedBuffer is how many changes may wait for a slow device; past it the
// stream ends and the device resumes from its last sequence number.
const feedBuffer = 4096

var errTooSlow = errors.New("the device fell behind the change feed; it resumes from its last change")

// subscribe streams the change feed: first the sequence number it starts
// after, then every change after it, in order.
func (h *Hub) subscribe(ctx context.Context, req *connect.Request[wire.SubscribeRequest], stream *connect.ServerStream[wire.FeedMessage]) error {
	if _, _, err := h.storeFor(ctx, req.Header(), h.procs[wire.ProcSubscribe]); err != nil {
		return wire.ToConnect(err)
	}
	forCaller, err := h.feedFilter(ctx, req.Header())
	if err != nil {
		return wire.ToConnect(err)
	}
	after := req.Msg.After
	if !req.Msg.Resume {
		// From now on: after the newest logged write, so that a device that
		// reconnects knows where it stands even before its first change.
		newest, err := h.store.Audit(ctx, data.AuditFilter{Limit: 1})
		if err != nil {
			return wire.ToConnect(err)
		}
		after = 0
		if len(newest) > 0 {
			after = newest[0].Seq
		}
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	changes := make(chan data.Change, feedBuffer)
	behind := make(chan struct{})
	var fell sync.Once
	// after 0 is data.FeedLive to the store: from a log that was empty, the
	// store gives the changes from now on.
	stopFeed, err := h.store.Subscribe(ctx, after, func(c data.Change) {
		select {
		case changes <- c:
		default:
			fell.Do(func() { close(behind) })
		}
	})
	if err != nil {
		return wire.ToConnect(err)
	}
	defer stopFeed()
	if err := stream.Send(&wire.FeedMessage{Head: after}); err != nil {
		return err
	}
	for {
		select {
		case c := <-changes:
			// A device unpaired or an account deactivated gets nothing
			// more: the stream ends at that change.
			if c.Kind == data.ChangeDevice || c.Kind == data.ChangeCatalog {
				if _, _, err := h.storeFor(ctx, req.Header(), h.procs[wire.ProcSubscribe]); err != nil {
					return wire.ToConnect(err)
				}
			}
			c, send, err := forCaller(ctx, c)
			if err != nil {
				return wire.ToConnect(err)
			}
			if !send {
				continue
			}
			if err := stream.Send(&wire.FeedMessage{Change: &c}); err != nil {
				return err
			}
		case <-behind:
			return connect.NewError(connect.CodeResourceExhausted, errTooSlow)
		case <-stopping(ctx):
			return connect.NewError(connect.CodeUnavailable, errors.New("the hub is stopping"))
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// feedFilter is what of each change the caller's feed carries: everything
// for the hub's own computer (the owner key); for a device, only its
// locations' groups and no words that may name a child (Change.ForDevice),
// so that a hub serving many locations tells each tablet only its own.
func (h *Hub) feedFilter(ctx context.Context, header http.Header) (func(context.Context, data.Change) (data.Change, bool, error), error) {
	token, _ := strings.CutPrefix(header.Get(wire.HeaderAuthorization), "Bearer ")
	if h.ownerKey != "" && subtle.ConstantTimeCompare([]byte(token), []byte(h.ownerKey)) == 1 {
		return func(_ context.Context, c data.Change) (data.Change, bool, error) { return c, true, nil }, nil
	}
	device, err := h.device(ctx, header)
	if err != nil {
		return nil, err
	}
	return func(ctx context.Context, c data.Change) (data.Change, bool, error) {
		var at data.ID
		if c.GroupID != 0 && len(device.LocationIDs) > 0 {
			var err error
			if at, err = h.groupLocation(ctx, c.GroupID); err != nil {
				return c, false, err
			}
		}
		c, send := c.ForDevice(device.LocationIDs, at)
		return c, send, nil
	}, nil
}

// groupLocation is the location of a group, looked up once.
func (h *Hub) groupLocation(ctx context.Context, groupID data.ID) (data.ID, error) {
	h.mu.Lock()
	at, ok := h.groupLocations[groupID]
	h.mu.Unlock()
	if ok {
		return at, nil
	}
	g, err := h.store.Group(ctx, groupID)
	if err != nil {
		return 0, err
	}
	h.mu.Lock()
	h.groupLocations[groupID] = g.LocationID
	h.mu.Unlock()
	return g.LocationID, nil
}
