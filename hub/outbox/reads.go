package outbox

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"slices"
	"sync"
	"time"

	"golang.org/x/crypto/bcrypt"

	"locatiedesk/data"
	"locatiedesk/hub/wire"
)

// DayList is the hub's list with the actions still waiting made on it;
// without connection the list kept last, with them.
func (s *Store) DayList(ctx context.Context, groupID data.ID, d data.Date) (data.DayList, error) {
	l, err := cached(ctx, s, "DayList", []any{groupID, d}, func(ctx context.Context) (data.DayList, error) {
		return s.hub().DayList(ctx, groupID, d)
	})
	if err != nil {
		return l, err
	}
	if !s.Online() && s.actor != nil {
		// The hub checks who may read which list; the kept copy does it here.
		if err := s.actor.Can(data.ActAttendance, 0, l.Group); err != nil {
			return data.DayList{}, err
		}
	}
	kept, err := s.file.all()
	if err != nil {
		return l, err
	}
	return overlay(l, kept, s.Now()), nil
}

// keptList is the list of the group and date as this device last read it,
// with the actions still waiting made on it.
func (s *Store) keptList(groupID data.ID, d data.Date) (data.DayList, bool, error) {
	var l data.DayList
	_, ok, err := s.file.kept(cacheKey("DayList", groupID, d), &l)
	if err != nil || !ok {
		return l, ok, err
	}
	kept, err := s.file.all()
	if err != nil {
		return l, false, err
	}
	return overlay(l, kept, s.Now()), true, nil
}

// PresentNow is who is here, from the hub; without connection it is made
// from the day's lists this device read last, with what it kept since, and
// says so (Stale, and StateOf: when the hub last answered). A child is
// rather counted as here wrongly than missed (data.BuildPresentList).
func (s *Store) PresentNow(ctx context.Context, locationID, groupID data.ID) (data.PresentList, error) {
	if s.Online() {
		callCtx, cancel := context.WithTimeout(ctx, s.callTimeout)
		p, err := s.hub().PresentNow(callCtx, locationID, groupID)
		cancel()
		if err == nil {
			s.heard()
			s.keepListsOf(p)
			return p, nil
		}
		switch {
		case unreachable(ctx, err):
			s.lost()
		case !s.forgotten(err):
			return p, err
		}
	}
	return s.presentFromKept(locationID, groupID)
}

// keepListsOf reads, in the background, the day's lists of the groups on a
// list of who is here, so that the next list can be made without connection.
func (s *Store) keepListsOf(p data.PresentList) {
	for _, g := range p.Groups {
		id, d := g.Group.ID, data.DateOf(p.AsOf)
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), s.callTimeout)
			defer cancel()
			s.DayList(ctx, id, d)
		}()
	}
}

func (s *Store) presentFromKept(locationID, groupID data.ID) (data.PresentList, error) {
	now := s.Now()
	today := data.DateOf(now)
	var location data.Location
	var found bool
	var locations []data.Location
	if _, ok, err := s.file.kept(cacheKey("Locations"), &locations); err != nil {
		return data.PresentList{}, err
	} else if ok {
		for _, l := range locations {
			if l.ID == locationID {
				location, found = l, true
			}
		}
	}
	kept, err := s.file.all()
	if err != nil {
		return data.PresentList{}, err
	}
	var lists []data.DayList
	var oldest time.Time
	err = s.file.keptWithPrefix("DayList[", func(at time.Time, value json.RawMessage) error {
		var l data.DayList
		if err := json.Unmarshal(value, &l); err != nil {
			return err
		}
		if l.Date != today || l.Group.LocationID != locationID || groupID != 0 && l.Group.ID != groupID {
			return nil
		}
		if s.actor != nil && s.actor.Can(data.ActAttendance, 0, l.Group) != nil {
			return nil
		}
		if oldest.IsZero() || at.Before(oldest) {
			oldest = at
		}
		lists = append(lists, overlay(l, kept, now))
		return nil
	})
	if err != nil {
		return data.PresentList{}, err
	}
	if len(lists) == 0 || !found {
		return data.PresentList{}, needsHub()
	}
	slices.SortFunc(lists, func(a, b data.DayList) int { return cmp.Compare(a.Group.ID, b.Group.ID) }) // as the hub orders them
	p := data.BuildPresentList(location, lists, now, true)
	p.StateOf = oldest
	return p, nil
}

// SignIn checks the PIN on the hub. Without connection, a person who signed
// in on this device before signs in with the same PIN or password, checked
// against the hash kept then; after a few wrong tries only the hub decides.
func (s *Store) SignIn(ctx context.Context, userID data.ID, secret string) (data.Actor, error) {
	if s.Online() {
		// The hub checks the PIN with a deliberately slow hash: give it longer.
		callCtx, cancel := context.WithTimeout(ctx, max(s.callTimeout, signInTimeout))
		a, err := s.hub().SignIn(callCtx, userID, secret)
		cancel()
		switch {
		case err == nil:
			s.heard()
			s.signedIn(a, secret)
			return a, nil
		case !unreachable(ctx, err):
			if errors.Is(err, data.ErrWrongSecret) || errors.Is(err, data.ErrDeactivated) || errors.Is(err, data.ErrLockedOut) {
				s.file.forgetPerson(userID) // the hub's word counts: no sign-in here without it
			}
			return a, err
		}
		s.lost()
	}
	p, ok := s.file.person(userID)
	if !ok {
		return data.Actor{}, needsHub()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.wrongPINs[userID] >= offlineTries {
		return data.Actor{}, data.Refuse(data.RefuseOfflineSignInLocked, nil)
	}
	if bcrypt.CompareHashAndPassword(p.Hash, []byte(secret)) != nil {
		s.wrongPINs[userID]++
		return data.Actor{}, data.ErrWrongSecret
	}
	delete(s.wrongPINs, userID)
	return p.Actor, nil
}

// signInTimeout is how long a sign-in waits for the hub at least.
const signInTimeout = 10 * time.Second

// offlineTries is how many wrong PINs a person may give without connection.
const offlineTries = 5

// signedIn keeps what lets the person sign in without connection, and
// sends what waited for them.
func (s *Store) signedIn(a data.Actor, secret string) {
	if hash, err := data.HashSecret(secret); err == nil {
		s.file.setPerson(personJSON{Actor: a, Hash: hash})
	}
	s.mu.Lock()
	_, waited := s.signIn[a.UserID]
	delete(s.signIn, a.UserID)
	delete(s.wrongPINs, a.UserID)
	s.mu.Unlock()
	if waited {
		s.kick()
		s.changed()
	}
}

// follower is one Subscribe. Without connection it waits; when the hub is
// back it follows the hub's feed again and is told to read everything again
// (what changed meanwhile is not replayed one by one).
type follower struct {
	ctx   context.Context
	after uint64
	fn    func(data.Change)
	hub   func() data.Store

	mu     sync.Mutex
	cancel func()
}

// Subscribe follows the hub's changes and the actions this device keeps.
// When the hub cannot be reached it still succeeds, and follows the hub
// from the moment it is back.
func (s *Store) Subscribe(ctx context.Context, after uint64, fn func(data.Change)) (cancel func(), err error) {
	f := &follower{ctx: ctx, after: after, fn: fn, hub: s.hub}
	if err := f.attach(); err != nil {
		switch {
		case unreachable(ctx, err):
			s.lost()
		case !s.forgotten(err):
			return nil, err
		}
	}
	s.mu.Lock()
	s.followers[f] = true
	s.mu.Unlock()
	stop := func() {
		s.mu.Lock()
		delete(s.followers, f)
		s.mu.Unlock()
		f.detach()
	}
	context.AfterFunc(ctx, stop)
	return stop, nil
}

// attach follows the hub's feed, if not already.
func (f *follower) attach() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.cancel != nil || f.ctx.Err() != nil {
		return nil
	}
	cancel, err := f.hub().Subscribe(f.ctx, f.after, f.fn)
	if err != nil {
		return err
	}
	f.cancel = cancel
	return nil
}

func (f *follower) detach() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.cancel != nil {
		f.cancel()
		f.cancel = nil
	}
}

func (f *follower) attached() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.cancel != nil
}

// emit tells every follower of a change this device made itself.
func (s *state) emit(c data.Change) {
	s.mu.Lock()
	var fns []func(data.Change)
	for f := range s.followers {
		fns = append(fns, f.fn)
	}
	s.mu.Unlock()
	for _, fn := range fns {
		fn(c)
	}
}

// reattach follows the hub's feed again with every follower that lost it,
// and tells them to read again what may have changed meanwhile.
func (s *state) reattach() {
	s.mu.Lock()
	var waiting []*follower
	for f := range s.followers {
		if !f.attached() {
			waiting = append(waiting, f)
		}
	}
	s.mu.Unlock()
	for _, f := range waiting {
		if err := f.attach(); err == nil {
			f.fn(data.Change{Kind: data.ChangeCatalog})
		}
	}
}

// notSignedIn reports whether the hub refused a call for want of a session.
func notSignedIn(err error) bool { return errors.Is(err, wire.ErrNotSignedIn) }
