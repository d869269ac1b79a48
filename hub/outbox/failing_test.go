package outbox_test

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"locatiedesk/data"
	"locatiedesk/hub/outbox"
	"locatiedesk/hub/wire"
)

// flakyHub is a hub the test breaks in two ways: unreachable (a network
// error) or failing (it answers, but with an error of its own, not a rule's).
type flakyHub struct {
	data.Store // nil: what the test does not call

	mu          sync.Mutex
	unreachable bool
	failing     bool
	checkIns    []data.Clock
}

var errNoRoute = errors.New("dial tcp 192.0.2.1:7443: connect: no route to host")

func (f *flakyHub) trouble() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	switch {
	case f.unreachable:
		return errNoRoute
	case f.failing:
		return wire.EncodeError(errors.New("write the data file: no space left on device")).Err()
	}
	return nil
}

func (f *flakyHub) set(unreachable, failing bool) {
	f.mu.Lock()
	f.unreachable, f.failing = unreachable, failing
	f.mu.Unlock()
}

func (f *flakyHub) Clock(context.Context) (time.Time, error) {
	if err := f.trouble(); errors.Is(err, errNoRoute) {
		return time.Time{}, err
	}
	return monday9, nil
}
func (f *flakyHub) Now() time.Time           { return monday9 }
func (f *flakyHub) As(data.Actor) data.Store { return f }
func (f *flakyHub) Close() error             { return nil }

// LearnHubs: the flaky hub is the organisation's only one.
func (f *flakyHub) LearnHubs(context.Context) error { return f.trouble() }

func (f *flakyHub) DayList(_ context.Context, group data.ID, d data.Date) (data.DayList, error) {
	if err := f.trouble(); err != nil {
		return data.DayList{}, err
	}
	return data.DayList{Date: d, Group: data.Group{ID: group, LocationID: 1, Name: "Rupsjes"},
		Rows: []data.DayRow{{Child: data.Child{ID: 7, FirstName: "Zoë", LastName: "Dvořák"}}}}, nil
}

func (f *flakyHub) CheckIn(_ context.Context, _ data.DayEdit, at data.Clock) error {
	if err := f.trouble(); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.checkIns = append(f.checkIns, at)
	return nil
}

func (f *flakyHub) sent() []data.Clock {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]data.Clock(nil), f.checkIns...)
}

// TestOffline_D2_AHubThatFailsKeepsTheActionFirst: a hub that answers with
// a failure of its own (a full disk) has not refused the action: it stays
// first in the outbox and is sent when the hub works again.
func TestOffline_D2_AHubThatFailsKeepsTheActionFirst(t *testing.T) {
	hub := &flakyHub{}
	tab, err := outbox.Open(filepath.Join(t.TempDir(), "outbox.db"), hub,
		outbox.WithBackoff(10*time.Millisecond, 20*time.Millisecond), outbox.WithProbe(20*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	defer tab.Close()
	tess := tab.As(data.Actor{UserID: tessID, Name: "Tess Janssen", Role: data.RoleStaff, Locations: []data.ID{1}, Groups: []data.ID{1}})
	l := dayList(t, tess, 1)
	waitFor(t, "the clock", func() bool { return tab.Today() == today })

	hub.set(true, false)
	if err := tess.CheckIn(t.Context(), edit(l, 0), data.NewClock(8, 0)); err != nil {
		t.Fatalf("check-in without the hub: %v", err)
	}
	hub.set(false, true)
	waitFor(t, "the hub to be back", tab.Online)
	time.Sleep(100 * time.Millisecond) // several rounds of sending
	if tab.Pending() != 1 || len(tab.Refused()) != 0 {
		t.Fatalf("with the hub failing: %d waiting, refused %v; want the check-in kept, not refused", tab.Pending(), tab.Refused())
	}
	hub.set(false, false)
	waitFor(t, "the outbox to empty", func() bool { return tab.Pending() == 0 })
	if got := hub.sent(); len(got) != 1 || got[0] != data.NewClock(8, 0) {
		t.Errorf("the hub got %v, want the one check-in", got)
	}
}

// TestOffline_TheHubsClockIsKeptWhileItIsAway: the device's own clock may
// be off (here by days); once the hub's clock was measured, checks that do
// not reach the hub leave the measurement as it was, so that the day's list
// stays the hub's today.
func TestOffline_TheHubsClockIsKeptWhileItIsAway(t *testing.T) {
	hub := &flakyHub{}
	tab, err := outbox.Open(filepath.Join(t.TempDir(), "outbox.db"), hub,
		outbox.WithBackoff(5*time.Millisecond, 10*time.Millisecond), outbox.WithProbe(5*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	defer tab.Close()
	waitFor(t, "the first check", func() bool { return !tab.HeardAt().IsZero() })
	hub.set(true, false)
	waitFor(t, "the hub to be missed", func() bool { return !tab.Online() })
	time.Sleep(50 * time.Millisecond) // several checks without an answer
	if got := tab.Today(); got != today {
		t.Errorf("today is %s without the hub, want the hub's %s", got, today)
	}
}
