// Package storetest is the conformance suite of data.Store: the black-box
// tests every implementation must pass (the bbolt file, the network client
// of a location's hub, a database server). It seeds and checks through the
// Store interface only, so what it proves holds for any store.
//
// An implementation runs it from a test of its own:
//
//	func TestConformance(t *testing.T) {
//		storetest.Run(t, func(t *testing.T, now func() time.Time) data.Store { … })
//	}
//
// Subtests are named by the rules of the domain they check (A3, R7, …).
package storetest

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"locatiedesk/data"
)

// Factory gives a fresh, empty store that reads the time from now, and
// closes it when the test ends. The store it returns is the system's own
// handle (as the set-up on a first start uses it): unsigned, it may do
// anything; the suite signs people in through it (SignIn, then As) for
// everything else. A network client's factory starts a hub whose clock is
// now and returns a client of it; the suite waits up to five seconds for a
// change to come through the feed, and never sleeps otherwise.
type Factory func(t *testing.T, now func() time.Time) data.Store

// Run runs every conformance test against stores from newStore.
func Run(t *testing.T, newStore Factory) {
	t.Run("Attendance", func(t *testing.T) { attendance(t, newStore) })
	t.Run("Requests", func(t *testing.T) { requests(t, newStore) })
	t.Run("Roles", func(t *testing.T) { roles(t, newStore) })
	t.Run("Audit", func(t *testing.T) { audit(t, newStore) })
	t.Run("Feed", func(t *testing.T) { feed(t, newStore) })
	t.Run("Context", func(t *testing.T) { cancelled(t, newStore) })
	t.Run("Children", func(t *testing.T) { children(t, newStore) })
	t.Run("Organisation", func(t *testing.T) { organisation(t, newStore) })
	t.Run("Planning", func(t *testing.T) { planning(t, newStore) })
	t.Run("Devices", func(t *testing.T) { devices(t, newStore) })
	t.Run("WriteKeys", func(t *testing.T) { writeKeys(t, newStore) })
}

// The suite runs on Tuesday 10 March 2026, 09:00: an ordinary school day.
var (
	start     = time.Date(2026, time.March, 10, 9, 0, 0, 0, time.Local)
	today     = data.DateOf(start) // Tuesday
	yesterday = today.AddDays(-1)  // Monday
	wednesday = today.AddDays(1)   // one day ahead: the group requests
	thursday  = today.AddDays(2)   //
	friday    = today.AddDays(3)   // an absence reported now is in time
	saturday  = today.AddDays(4)   // a closed day
	nextWeek  = today.AddDays(7)   // the parents' window
	contracts = data.NewDate(2025, time.September, 1)
)

// The secrets of the fixture's accounts.
const (
	managerSecret = "wachtwoord-manager"
	officeSecret  = "wachtwoord-kantoor"
	tessPIN       = "1234"
	svenPIN       = "5678"
)

// clock is the time the store reads; a test moves it.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) read() time.Time     { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) add(d time.Duration) { c.mu.Lock(); c.now = c.now.Add(d); c.mu.Unlock() }

// fixture is a location De Vlinder with a KDV group full on Tuesdays and
// Thursdays (Rupsjes, capacity 3), a BSO group (Avonturiers) and an empty
// KDV group (Vlindertjes), a second location De Egel,
// and a manager, an office planner and a staff member per group, all made
// through the Store interface.
type fixture struct {
	t     *testing.T
	clock *clock
	sys   data.Store // the unsigned system handle

	vlinder, egel           data.Location
	rupsjes, avonturiers    data.Group
	vlindertjes             data.Group // KDV, empty
	egeltjes                data.Group
	manager, office         data.Actor
	tess, sven, egelManager data.Actor
	// Rupsjes: Anna Mon–Fri, Bram and Cas Tue+Thu, Dewi Mon+Fri.
	// Avonturiers: Eva after school but on Wednesdays. Egeltjes: Finn Mon–Fri.
	anna, bram, cas, dewi, eva, finn data.Child
}

func newFixture(t *testing.T, newStore Factory) *fixture {
	t.Helper()
	f := &fixture{t: t, clock: &clock{now: start}}
	f.sys = newStore(t, f.clock.read)
	ctx := t.Context()
	manager, err := f.sys.SetUp(ctx, data.OrganisationSetup{Organisation: "Kinderopvang Conform", Location: "De Vlinder",
		Groups:  []data.GroupSetup{{Name: "Rupsjes", Care: data.KDV, Capacity: 3}, {Name: "Avonturiers", Care: data.BSO, Capacity: 20}, {Name: "Vlindertjes", Care: data.KDV, Capacity: 12}},
		Manager: "Marieke de Manager", Secret: managerSecret})
	f.must(err, "SetUp")
	f.manager = manager
	locations, err := f.sys.Locations(ctx)
	f.must(err, "Locations")
	if len(locations) != 1 || locations[0].Name != "De Vlinder" {
		t.Fatalf("after SetUp the locations are %+v, want De Vlinder", locations)
	}
	f.vlinder = locations[0]
	f.rupsjes = f.group("Rupsjes")
	f.avonturiers = f.group("Avonturiers")
	f.vlindertjes = f.group("Vlindertjes")
	f.egel, err = f.sys.AddLocation(ctx, "De Egel")
	f.must(err, "AddLocation")
	f.egeltjes, err = f.sys.AddGroup(ctx, data.Group{LocationID: f.egel.ID, Name: "Egeltjes", Care: data.KDV, Capacity: 12})
	f.must(err, "AddGroup")

	f.tess = f.addUser(data.User{Name: "Tess Janssen", Role: data.RoleStaff, LocationIDs: []data.ID{f.vlinder.ID}, GroupIDs: []data.ID{f.rupsjes.ID}}, tessPIN)
	f.sven = f.addUser(data.User{Name: "Sven de Vries", Role: data.RoleStaff, LocationIDs: []data.ID{f.vlinder.ID}, GroupIDs: []data.ID{f.avonturiers.ID}}, svenPIN)
	f.office = f.addUser(data.User{Name: "Priya Planner", Role: data.RoleOffice, LocationIDs: []data.ID{f.vlinder.ID}}, officeSecret)
	f.egelManager = f.addUser(data.User{Name: "Egbert Egel", Role: data.RoleManager, LocationIDs: []data.ID{f.egel.ID}}, "wachtwoord-egel")

	weekdays := []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday}
	day := data.TimeRange{From: data.NewClock(7, 30), Until: data.NewClock(18, 0)}
	f.anna = f.addChild(f.vlinder, "Anna", data.NewDate(2024, time.May, 1), f.rupsjes, data.ProductKDV, day, weekdays...)
	f.bram = f.addChild(f.vlinder, "Bram", data.NewDate(2024, time.June, 2), f.rupsjes, data.ProductKDV, day, time.Tuesday, time.Thursday)
	f.cas = f.addChild(f.vlinder, "Cas", data.NewDate(2024, time.July, 3), f.rupsjes, data.ProductKDV, day, time.Tuesday, time.Thursday)
	f.dewi = f.addChild(f.vlinder, "Dewi", data.NewDate(2024, time.August, 4), f.rupsjes, data.ProductKDV,
		data.TimeRange{From: data.NewClock(8, 0), Until: data.NewClock(17, 0)}, time.Monday, time.Friday)
	f.eva = f.addChild(f.vlinder, "Eva", data.NewDate(2018, time.April, 5), f.avonturiers, data.ProductBSO52Weeks,
		data.TimeRange{From: data.NewClock(15, 0), Until: data.NewClock(18, 30)}, time.Monday, time.Tuesday, time.Thursday, time.Friday)
	f.finn = f.addChild(f.egel, "Finn", data.NewDate(2024, time.September, 6), f.egeltjes, data.ProductKDV, day, weekdays...)
	return f
}

func (f *fixture) must(err error, what string) {
	f.t.Helper()
	if err != nil {
		f.t.Fatalf("%s: %v", what, err)
	}
}

func (f *fixture) group(name string) data.Group {
	f.t.Helper()
	g, err := f.sys.GroupByName(f.t.Context(), name)
	f.must(err, "GroupByName "+name)
	return g
}

// addUser adds an account and returns it as the actor the store makes of it.
func (f *fixture) addUser(u data.User, secret string) data.Actor {
	f.t.Helper()
	added, err := f.sys.AddUser(f.t.Context(), data.NewUser{User: u, Secret: secret})
	f.must(err, "AddUser "+u.Name)
	// ActorFor, not SignIn: a PIN check costs a bcrypt comparison, and
	// signing in has tests of its own.
	actor, err := f.sys.ActorFor(f.t.Context(), added.ID)
	f.must(err, "ActorFor "+u.Name)
	if actor.UserID != added.ID || actor.Name != u.Name || actor.Role != u.Role {
		f.t.Fatalf("signed in as %+v, want %s (%d, %s)", actor, u.Name, added.ID, u.Role)
	}
	return actor
}

func (f *fixture) addChild(loc data.Location, first string, born data.Date, g data.Group, p data.Product, times data.TimeRange, days ...time.Weekday) data.Child {
	f.t.Helper()
	c, err := f.sys.AddChild(f.t.Context(), data.Child{LocationID: loc.ID, FirstName: first, LastName: "Conform", BirthDate: born})
	f.must(err, "AddChild "+first)
	contract := data.Contract{ChildID: c.ID, GroupID: g.ID, Product: p, Start: contracts}
	for _, d := range days {
		contract.Days = append(contract.Days, data.ContractDay{Weekday: d, Times: times})
	}
	_, err = f.sys.AddContract(f.t.Context(), contract)
	f.must(err, "AddContract "+first)
	return c
}

// as is the store as the actor uses it.
func (f *fixture) as(a data.Actor) data.Store { return f.sys.As(a) }

// edit is a day edit of child in group g on d by the actor's name.
func edit(a data.Actor, g data.Group, c data.Child, d data.Date) data.DayEdit {
	return data.DayEdit{Date: d, GroupID: g.ID, ChildID: c.ID, By: a.Name}
}

// list reads a group's day list.
func (f *fixture) list(g data.Group, d data.Date) data.DayList {
	f.t.Helper()
	l, err := f.sys.DayList(f.t.Context(), g.ID, d)
	f.must(err, "DayList")
	return l
}

// row is child's row on the list of g on d; it fails the test when the child is not on it.
func (f *fixture) row(g data.Group, c data.Child, d data.Date) data.DayRow {
	f.t.Helper()
	r, ok := f.list(g, d).Row(c.ID)
	if !ok {
		f.t.Fatalf("%s is not on the list of %s on %s", c.FirstName, g.Name, d)
	}
	return r
}

func (f *fixture) onList(g data.Group, c data.Child, d data.Date) bool {
	f.t.Helper()
	_, ok := f.list(g, d).Row(c.ID)
	return ok
}

// log is the whole audit log, newest first.
func (f *fixture) log() []data.AuditEntry {
	f.t.Helper()
	entries, err := f.sys.Audit(f.t.Context(), data.AuditFilter{Limit: 1 << 20})
	f.must(err, "Audit")
	return entries
}

// written runs write and checks that it left exactly one audit entry, with
// the action and the actor's name and ID, and that all its changes reached
// a live subscriber under that entry's sequence number.
func (f *fixture) written(who data.Actor, action string, write func() error) data.AuditEntry {
	f.t.Helper()
	rec := f.subscribe(data.FeedLive)
	before := f.log()
	if err := write(); err != nil {
		f.t.Fatalf("%s: %v", action, err)
	}
	after := f.log()
	if len(after) != len(before)+1 {
		f.t.Fatalf("%s left %d audit entries, want 1: %+v", action, len(after)-len(before), after[:len(after)-len(before)])
	}
	e := after[0]
	if e.Action != action || e.Who != who.Name || e.UserID != who.UserID {
		f.t.Fatalf("audit entry %q by %q (%d), want %q by %q (%d)", e.Action, e.Who, e.UserID, action, who.Name, who.UserID)
	}
	if len(before) > 0 && e.Seq <= before[0].Seq {
		f.t.Errorf("entry's seq %d not after the previous %d", e.Seq, before[0].Seq)
	}
	got := rec.waitFor(f.t, func(cs []data.Change) bool { return len(cs) >= len(e.Changes) })
	if len(got) != len(e.Changes) {
		f.t.Errorf("%s: the feed carried %d changes, the audit entry %d", action, len(got), len(e.Changes))
	}
	for _, c := range got {
		if c.Seq != e.Seq {
			f.t.Errorf("%s: change %+v has seq %d, its audit entry %d", action, c, c.Seq, e.Seq)
		}
	}
	rec.stop()
	return e
}

// refused runs write and checks that it fails with want and leaves
// nothing: no audit entry, no change in the feed.
func (f *fixture) refused(want error, write func() error) {
	f.t.Helper()
	rec := f.subscribe(data.FeedLive)
	defer rec.stop()
	before := len(f.log())
	err := write()
	if !errors.Is(err, want) {
		f.t.Fatalf("got %v, want %v", err, want)
	}
	if after := len(f.log()); after != before {
		f.t.Errorf("a refused write left %d audit entries", after-before)
	}
	// A write after it shows that the feed has delivered whatever came before.
	f.must(f.sys.LogPrint(f.t.Context(), "conformance marker"), "LogPrint")
	got := rec.waitFor(f.t, func(cs []data.Change) bool { return len(cs) > 0 && cs[len(cs)-1].Kind == data.ChangePrint })
	if len(got) != 1 {
		f.t.Errorf("a refused write reached the feed: %+v", got[:len(got)-1])
	}
}

// recorder collects what a subscription delivers.
type recorder struct {
	mu      sync.Mutex
	changes []data.Change
	cancel  func()
}

func (f *fixture) subscribe(after uint64) *recorder {
	f.t.Helper()
	return subscribeTo(f.t, f.sys, f.t.Context(), after)
}

func subscribeTo(t *testing.T, s data.Store, ctx context.Context, after uint64) *recorder {
	t.Helper()
	r := &recorder{}
	cancel, err := s.Subscribe(ctx, after, func(c data.Change) {
		r.mu.Lock()
		r.changes = append(r.changes, c)
		r.mu.Unlock()
	})
	if err != nil {
		t.Fatalf("Subscribe(%d): %v", after, err)
	}
	r.cancel = cancel
	t.Cleanup(cancel)
	return r
}

func (r *recorder) stop() { r.cancel() }

func (r *recorder) got() []data.Change {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.changes)
}

// feedWait is how long a change may take to reach a subscriber (a network
// store's included); the tests wait only as long as delivery takes.
const feedWait = 5 * time.Second

// waitFor waits until done holds for the changes received, and returns them.
func (r *recorder) waitFor(t *testing.T, done func([]data.Change) bool) []data.Change {
	t.Helper()
	deadline := time.Now().Add(feedWait)
	for {
		got := r.got()
		if done(got) {
			return got
		}
		if time.Now().After(deadline) {
			t.Fatalf("the feed delivered %d changes in %s, not yet what the test waits for: %+v", len(got), feedWait, got)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// sub runs test as a subtest on the same fixture.
func (f *fixture) sub(name string, test func()) {
	parent := f.t
	parent.Run(name, func(t *testing.T) {
		f.t = t
		defer func() { f.t = parent }()
		test()
	})
}

// run runs a subtest on a fresh fixture.
func run(t *testing.T, name string, newStore Factory, test func(t *testing.T, f *fixture)) {
	t.Run(name, func(t *testing.T) {
		t.Parallel() // each on its own store
		test(t, newFixture(t, newStore))
	})
}
