// Package outbox keeps a tablet working when it loses the network (D2). It
// is a data.Store around the hub's client: reads go to the hub, and the
// day's lists, who is here, and what the sign-in and attendance screens
// need are kept in a small bbolt file of the device's own, so that they stay
// readable without connection, also after the app restarts. Check-ins,
// check-outs, corrected times, absences and notes made without connection
// are kept in the same file (one fsynced transaction each, with the person
// who made them and a write key), shown on the kept lists at once, and sent
// to the hub in order when it is back. What the hub then refuses is kept in
// a list of refused actions for the person to read, never dropped. Every
// other call says "this needs the location's computer" while the hub
// cannot be reached.
package outbox

//go:generate go run ./internal/genguard

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"iter"
	"slices"
	"sync"
	"time"

	"locatiedesk/data"
	"locatiedesk/hub/client"
	"locatiedesk/hub/wire"
)

// Store is the hub's store as a tablet uses it: with the kept state and the
// outbox behind it. As gives a person's handle on the same state.
type Store struct {
	*state
	// actor is the person of the handle; nil for the unbound one.
	actor *data.Actor
}

// hub is the hub's client for the handle's person, bound afresh on every
// call: a person who signed in without connection, or whose session the hub
// forgot, gets one by signing in again, and their open screens go on with it.
func (s *Store) hub() data.Store {
	if s.actor == nil {
		return s.base
	}
	return s.base.As(*s.actor)
}

var _ data.Store = (*Store)(nil)

// state is what every handle of one Open shares.
type state struct {
	file *file
	// base is the hub's client as Open got it: no one's handle. Kept actions
	// are sent through base.As(their person).
	base Hub
	// callTimeout bounds a read or edit the outbox can answer itself, so that
	// a silent network does not leave a screen waiting.
	callTimeout time.Duration
	backoffMin  time.Duration
	backoffMax  time.Duration
	probeEvery  time.Duration

	mu        sync.Mutex
	online    bool
	heardAt   time.Time     // when the hub last answered
	offset    time.Duration // the hub's clock minus the device's, when last measured
	clockSet  bool          // offset was measured, now or before the app last closed
	learnHubs bool          // the next check learns the organisation's hubs (at the start, and when the hub is back)
	signIn    map[data.ID]string
	watchers  map[int]func()
	nextWatch int
	followers map[*follower]bool
	wrongPINs map[data.ID]int

	// tidied is the day the old kept lists were last removed (by the sender).
	tidied data.Date

	wake     chan struct{}
	stop     context.CancelFunc
	done     chan struct{}
	closing  sync.Once
	closeErr error
}

// Option changes how Open works.
type Option func(*state)

// WithBackoff sets how long the outbox waits before it asks the hub again
// after it could not be reached: from min, doubling up to max.
func WithBackoff(min, max time.Duration) Option {
	return func(s *state) { s.backoffMin, s.backoffMax = min, max }
}

// WithProbe sets how often the outbox checks that the hub is still there
// while nothing else calls it.
func WithProbe(every time.Duration) Option { return func(s *state) { s.probeEvery = every } }

// WithCallTimeout sets how long a read of the day's list or an edit waits
// for the hub before the kept state answers.
func WithCallTimeout(d time.Duration) Option { return func(s *state) { s.callTimeout = d } }

// Hub is the hub's client, as the outbox needs it: the store, the hub's
// clock with the error when it does not answer, and the organisation's hubs
// to go on through (client.Client.LearnHubs).
type Hub interface {
	data.Store
	Clock(ctx context.Context) (time.Time, error)
	LearnHubs(ctx context.Context) error
}

// Open opens (or creates) the outbox file at path, usually
// <config>/locatiedesk/outbox.db beside the device file, and starts sending
// what it keeps to remote, the hub's client, which it then owns: Close
// closes both. A damaged file is an error that says so (data.ErrDamaged).
func Open(path string, remote Hub, opts ...Option) (*Store, error) {
	f, err := openFile(path)
	if err != nil {
		return nil, err
	}
	st := &state{
		file:        f,
		base:        remote,
		callTimeout: 4 * time.Second,
		backoffMin:  250 * time.Millisecond,
		backoffMax:  10 * time.Second,
		probeEvery:  5 * time.Second,
		online:      true, // until a call or the first probe says otherwise
		learnHubs:   true,
		signIn:      map[data.ID]string{},
		watchers:    map[int]func(){},
		followers:   map[*follower]bool{},
		wrongPINs:   map[data.ID]int{},
		wake:        make(chan struct{}, 1),
		done:        make(chan struct{}),
	}
	for _, o := range opts {
		o(st)
	}
	if heard, offset, ok := f.clock(); ok {
		st.heardAt, st.offset, st.clockSet = heard, offset, true
	}
	ctx, cancel := context.WithCancel(context.Background())
	st.stop = cancel
	go st.run(ctx)
	return &Store{state: st}, nil
}

// Close stops sending, closes the file and the hub's client. What was not
// sent stays in the file for the next Open.
func (s *Store) Close() error {
	s.closing.Do(func() {
		s.stop()
		<-s.done
		s.mu.Lock()
		followers := s.followers
		s.followers = map[*follower]bool{}
		s.mu.Unlock()
		for f := range followers {
			f.detach()
		}
		s.closeErr = errors.Join(s.base.Close(), s.file.close())
	})
	return s.closeErr
}

// As is the person's handle: reads as they may, and their edits kept under
// their name when the hub cannot be reached.
func (s *Store) As(a data.Actor) data.Store {
	return &Store{state: s.state, actor: &a}
}

// Online reports whether the hub answered the last call or check.
func (s *state) Online() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.online
}

// HeardAt is when the hub last answered: the moment of the kept state.
func (s *state) HeardAt() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.heardAt
}

// Pending is how many kept actions wait to be sent.
func (s *state) Pending() int { return s.file.pending() }

// Refused is what the hub refused when it was sent, oldest first.
func (s *state) Refused() []data.RefusedAction { return s.file.refused() }

// Dismiss removes a refused action from the list once the person read it.
func (s *state) Dismiss(id uint64) error {
	if err := s.file.dismiss(id); err != nil {
		return err
	}
	s.changed()
	return nil
}

// SignInNeeded names the people the hub does not know the sign-in of (they
// signed in without connection, or the hub forgot their session): their
// kept actions wait for them to sign in again.
func (s *state) SignInNeeded() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var names []string
	for _, n := range s.signIn {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// OnChange calls fn, on the outbox's goroutine, whenever the connection,
// the number waiting or the refused list changes, until cancel is called.
// fn must not block (a screen redraws with fyne.Do).
func (s *state) OnChange(fn func()) (cancel func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := s.nextWatch
	s.nextWatch++
	s.watchers[id] = fn
	return func() {
		s.mu.Lock()
		delete(s.watchers, id)
		s.mu.Unlock()
	}
}

func (s *state) changed() {
	s.mu.Lock()
	fns := make([]func(), 0, len(s.watchers))
	for _, fn := range s.watchers {
		fns = append(fns, fn)
	}
	s.mu.Unlock()
	for _, fn := range fns {
		fn()
	}
}

// heard records that the hub answered; the first answer after a time
// without connection wakes the sender and the screens.
func (s *state) heard() {
	s.mu.Lock()
	was := s.online
	s.online, s.heardAt = true, time.Now()
	s.mu.Unlock()
	if !was {
		s.kick()
		s.changed()
	}
}

// lost records that the hub could not be reached.
func (s *state) lost() {
	s.mu.Lock()
	was := s.online
	s.online = false
	s.learnHubs = s.learnHubs || was
	s.mu.Unlock()
	if was {
		s.kick()
		s.changed()
	}
}

// kick wakes the sending loop.
func (s *state) kick() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// unreachable reports whether err says the hub could not be reached (or did
// not answer in time) rather than answering: the network's fault, not a
// refusal. A call whose caller gave up is neither.
func unreachable(ctx context.Context, err error) bool {
	if err == nil || ctx.Err() != nil {
		return false
	}
	var answered *wire.Error
	if errors.As(err, &answered) || refusedByRules(err) || errors.Is(err, data.ErrAlreadyApplied) {
		return false // the hub's answer, or the device's own refusal
	}
	return errors.Is(err, context.DeadlineExceeded) || client.Unreached(err)
}

// needsHub is the refusal of what cannot be done without the hub.
func needsHub() error { return data.Refuse(data.RefuseNeedsHub, nil) }

// reachable refuses at once while the hub is known to be away, so that a
// screen does not wait for the network to time out.
func (s *state) reachable() error {
	if !s.Online() {
		return needsHub()
	}
	return nil
}

// guard passes the hub's answer on; when the hub could not be reached, or
// did not know the person's sign-in, it says so in a refusal the screens
// show in the user's language.
func (s *Store) guard(ctx context.Context, err error) error {
	switch {
	case err == nil:
		s.heard()
		return nil
	case unreachable(ctx, err):
		s.lost()
		return errors.Join(needsHub(), err)
	case s.forgotten(err):
		return errors.Join(data.Refuse(data.RefuseSignInAgain, nil), err)
	}
	return err
}

// forgotten reports whether err says the hub does not know the handle's
// person (signed in without connection, or a session the hub forgot); their
// kept actions then wait, and the banner asks them to sign in again.
func (s *Store) forgotten(err error) bool {
	if s.actor == nil || !notSignedIn(err) {
		return false
	}
	s.waitForSignIn(*s.actor)
	return true
}

func (s *state) waitForSignIn(a data.Actor) {
	s.mu.Lock()
	_, told := s.signIn[a.UserID]
	s.signIn[a.UserID] = a.Name
	s.mu.Unlock()
	if !told {
		s.changed()
	}
}

// cached reads from the hub and keeps the answer under the method and its
// arguments; without connection (or while the hub does not know the
// person's sign-in) it gives the answer kept last.
func cached[T any](ctx context.Context, s *Store, method string, args []any, read func(context.Context) (T, error)) (T, error) {
	key := cacheKey(method, args...)
	if s.Online() {
		callCtx, cancel := context.WithTimeout(ctx, s.callTimeout)
		v, err := read(callCtx)
		cancel()
		if err == nil {
			s.heard()
			if err := s.file.keep(key, v); err != nil {
				return v, err
			}
			return v, nil
		}
		switch {
		case unreachable(ctx, err):
			s.lost()
		case !s.forgotten(err):
			return v, err
		}
	}
	var kept T
	if _, ok, err := s.file.kept(key, &kept); err != nil || !ok {
		return kept, errors.Join(needsHub(), err)
	}
	return kept, nil
}

// Now is the hub's clock: the device's, corrected by the difference
// measured each time the outbox checks the hub, so that the screens, which
// ask it often, never wait for the network. Until a first measurement it
// asks the hub.
func (s *Store) Now() time.Time {
	s.mu.Lock()
	set, offset := s.clockSet, s.offset
	s.mu.Unlock()
	if !set {
		return s.hub().Now()
	}
	return time.Now().Add(offset)
}

// Today is the date by Now.
func (s *Store) Today() data.Date { return data.DateOf(s.Now()) }

// InvoiceLines is data.Store's, through the hub.
func (s *Store) InvoiceLines(ctx context.Context, batchID data.ID) iter.Seq2[data.InvoiceLine, error] {
	return func(yield func(data.InvoiceLine, error) bool) {
		if err := s.reachable(); err != nil {
			yield(data.InvoiceLine{}, err)
			return
		}
		for line, err := range s.hub().InvoiceLines(ctx, batchID) {
			if !yield(line, s.guard(ctx, err)) {
				return
			}
		}
	}
}

func newKey() string {
	b := make([]byte, 16)
	rand.Read(b) // never fails (crypto/rand)
	return hex.EncodeToString(b)
}
