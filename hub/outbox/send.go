package outbox

import (
	"context"
	"errors"
	"time"

	"locatiedesk/data"
)

// run is the outbox's own goroutine: it checks that the hub is there,
// and while it is, sends the kept actions in the order made. It waits
// longer after each time the hub could not be reached, and starts again at
// once when a call finds the hub back or an action is kept.
func (s *state) run(ctx context.Context) {
	defer close(s.done)
	wait := time.Duration(0)
	for {
		select {
		case <-ctx.Done():
			return
		case <-s.wake:
		case <-time.After(wait):
		}
		if s.check(ctx) && s.sendAll(ctx) {
			wait = s.probeEvery
			continue
		}
		if ctx.Err() != nil {
			return
		}
		if s.Online() { // waits for someone to sign in: no need to hurry
			wait = s.probeEvery
			continue
		}
		wait = min(max(2*wait, s.backoffMin), s.backoffMax)
	}
}

// check asks the hub for its clock: an answer says the hub is there and
// measures how far the device's clock is off. One call for both, so that a
// hub gone between two calls cannot leave the device's clock taken for the
// hub's.
func (s *state) check(ctx context.Context) bool {
	callCtx, cancel := context.WithTimeout(ctx, s.callTimeout)
	defer cancel()
	hubNow, err := s.base.Clock(callCtx)
	if err != nil {
		if unreachable(ctx, err) {
			s.lost()
			return false
		}
		return ctx.Err() == nil // it answered, if only with a refusal
	}
	offset := time.Until(hubNow)
	s.mu.Lock()
	s.offset, s.clockSet = offset, true
	s.mu.Unlock()
	s.file.setClock(time.Now(), offset)
	if today := data.DateOf(time.Now().Add(offset)); today != s.tidied {
		s.file.forgetListsBefore(today.AddDays(-keepDays))
		s.tidied = today
	}
	s.heard()
	s.reattach()
	s.learnHubsOnce(ctx)
	return true
}

// learnHubsOnce asks the hub for the organisation's hubs when the outbox
// opened or the hub is back after an outage (not at every check: the list
// seldom changes), so that a tablet also goes on through hubs added after
// it was paired. A hub that went away meanwhile is asked the next time; a
// device file that could not be saved, at the next return of the hub.
func (s *state) learnHubsOnce(ctx context.Context) {
	s.mu.Lock()
	learn := s.learnHubs
	s.learnHubs = false
	s.mu.Unlock()
	if !learn {
		return
	}
	callCtx, cancel := context.WithTimeout(ctx, s.callTimeout)
	defer cancel()
	if err := s.base.LearnHubs(callCtx); unreachable(ctx, err) {
		s.mu.Lock()
		s.learnHubs = true
		s.mu.Unlock()
	}
}

// keepDays is how many days before today the kept day lists go back.
const keepDays = 7

// sendAll sends the kept actions, oldest first, until none is left (true),
// or the hub cannot be reached or a person must sign in again first
// (false): then the rest waits, in order.
func (s *state) sendAll(ctx context.Context) bool {
	for ctx.Err() == nil {
		it, ok, err := s.file.first()
		if err != nil || !ok {
			return err == nil
		}
		if time.Since(it.Made) > data.WriteKeyKept {
			// The hub no longer remembers keys this old: sent now, it
			// might be made twice.
			err = data.Refuse(data.RefuseKeptTooLong, data.Args{"Days": int(data.WriteKeyKept / (24 * time.Hour))})
		} else {
			callCtx, cancel := context.WithTimeout(data.WithWriteKey(ctx, it.Key), s.callTimeout)
			err = send(callCtx, s.base.As(it.Actor), it.keptJSON)
			cancel()
		}
		switch {
		case err == nil || errors.Is(err, data.ErrAlreadyApplied):
			s.keepSent(it.keptJSON)
			err = s.file.sent(it.seq)
		case unreachable(ctx, err):
			s.lost()
			return false
		case ctx.Err() != nil:
			return false
		case notSignedIn(err):
			s.waitForSignIn(it.Actor)
			return false
		case !refusedByRules(err):
			// The hub failed (a full disk, a device it does not know now):
			// sending again later may work, so the action stays first.
			return false
		default:
			err = s.file.refuse(it, detail(it.keptJSON), err)
		}
		if err != nil { // the file could not record it: try again later
			return false
		}
		s.heard()
		s.changed()
		s.emit(data.Change{Kind: data.ChangeAttendance, Date: it.Edit.Date, GroupID: it.Edit.GroupID, ChildID: it.Edit.ChildID})
	}
	return false
}

// refusedByRules reports whether the hub refused the action itself (a rule,
// the person's rights, the day or the child), which sending it again would
// not change: it goes to the refused list for the person to read.
func refusedByRules(err error) bool {
	var r *data.Refusal
	if errors.As(err, &r) {
		return true
	}
	for _, kind := range []error{data.ErrInvalid, data.ErrForbidden, data.ErrLocked, data.ErrClosedDay,
		data.ErrNotFound, data.ErrDeactivated, data.ErrCreditSpent, data.ErrInvalidDate, data.ErrInvalidClock} {
		if errors.Is(err, kind) {
			return true
		}
	}
	return false
}
