// Package hub serves a location's data.Store to its other devices over
// HTTPS, with the protocol of package wire. The rules, role checks and audit
// run here only: a device signs a person in through the hub and then holds a
// session; the hub takes the acting person from that session, never from a
// request.
package hub

//go:generate go run ./internal/genstore

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
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

	mu       sync.Mutex
	sessions map[string]*session
}

// session is one person signed in on one device.
type session struct {
	userID   data.ID
	lastUsed time.Time
}

// sessionIdle is how long a session lasts unused: a working day and a bit.
const sessionIdle = 12 * time.Hour

// HeaderActAs lets the owner key act as a person: the hub looks the person
// up itself. Only the owner key may use it.
const HeaderActAs = "Locatiedesk-Act-As"

// New makes a hub serving store (unbound: the hub binds each call to its
// session's actor). ownerKey, when set, is a secret that acts as the store's
// owner (the system, as on the command line of the hub's own computer); it is
// kept beside the data file and never leaves that computer.
func New(store data.Store, ownerKey string) *Hub {
	h := &Hub{
		store:    store,
		ownerKey: ownerKey,
		procs:    map[string]wire.Procedure{},
		once:     newIdempotency(idempotencyKept),
		sessions: map[string]*session{},
	}
	for _, p := range wire.Procedures {
		h.procs[p.Name] = p
	}
	return h
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
// the unbound store. principal names the caller for the idempotency keys.
func (h *Hub) storeFor(ctx context.Context, header http.Header, p wire.Procedure) (s data.Store, principal string, err error) {
	token, _ := strings.CutPrefix(header.Get(wire.HeaderAuthorization), "Bearer ")
	switch {
	case token != "" && h.ownerKey != "" && subtle.ConstantTimeCompare([]byte(token), []byte(h.ownerKey)) == 1:
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
	case token != "":
		userID, ok := h.sessionUser(token)
		if !ok {
			return nil, "", wire.ErrNotSignedIn
		}
		// The actor is looked up on every call, so a deactivated account or
		// a changed role counts at once.
		a, err := h.store.ActorFor(ctx, userID)
		if err != nil {
			return nil, "", err
		}
		return h.store.As(a), "session:" + token, nil
	case p.Public:
		return h.store, "public", nil
	}
	return nil, "", wire.ErrNotSignedIn
}

func (h *Hub) sessionUser(token string) (data.ID, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	s, ok := h.sessions[token]
	if !ok {
		return 0, false
	}
	now := time.Now()
	if now.Sub(s.lastUsed) > sessionIdle {
		delete(h.sessions, token)
		return 0, false
	}
	s.lastUsed = now
	return s.userID, true
}

// startSession gives a signed-in person a session token.
func (h *Hub) startSession(a data.Actor) (*wire.SessionResponse, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return nil, err
	}
	token := base64.RawURLEncoding.EncodeToString(b)
	h.mu.Lock()
	defer h.mu.Unlock()
	now := time.Now()
	for t, s := range h.sessions {
		if now.Sub(s.lastUsed) > sessionIdle {
			delete(h.sessions, t)
		}
	}
	h.sessions[token] = &session{userID: a.UserID, lastUsed: now}
	return &wire.SessionResponse{Actor: a, Session: token}, nil
}

// signIn checks the PIN or password on the hub (lock-outs included).
func (h *Hub) signIn(ctx context.Context, s data.Store, req *wire.SignInRequest) (*wire.SessionResponse, error) {
	a, err := s.SignIn(ctx, req.UserID, req.Secret)
	if err != nil {
		return nil, err
	}
	return h.startSession(a)
}

// setUp makes the organisation in an empty store; its manager is signed in.
func (h *Hub) setUp(ctx context.Context, s data.Store, req *wire.SetUpRequest) (*wire.SessionResponse, error) {
	a, err := s.SetUp(ctx, req.Setup)
	if err != nil {
		return nil, err
	}
	return h.startSession(a)
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
