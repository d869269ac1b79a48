package client_test

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"locatiedesk/data"
	"locatiedesk/data/boltstore"
	"locatiedesk/data/datatest"
	"locatiedesk/data/demo"
	"locatiedesk/hub/client"
	"locatiedesk/hub/hubtest"
	"locatiedesk/hub/wire"
)

// monday9 is the clock of every test hub: a working day at the location.
var monday9 = time.Date(2026, 11, 23, 9, 0, 0, 0, time.Local)

// The demo's people (data/demo) with their PINs.
const (
	tessID  data.ID = 2 // staff of groups 1 and 2
	tessPIN         = "2222"
	svenID  data.ID = 3 // staff of groups 3 and 4
	svenPIN         = "3333"
)

// demoHub serves the demo location from a new bbolt file on 127.0.0.1.
func demoHub(t testing.TB) (*hubtest.Server, *boltstore.DB) {
	t.Helper()
	db, _ := datatest.Demo(t, monday9)
	return hubtest.Start(t, db), db
}

// devices numbers the devices the tests pair, whose names must differ.
var devices atomic.Int32

// deviceFile pairs a new device with the hub.
func deviceFile(t testing.TB, h *hubtest.Server) client.DeviceFile {
	t.Helper()
	id, credential := h.PairDevice(fmt.Sprintf("tablet %d", devices.Add(1)))
	return client.DeviceFile{URL: h.URL(), Fingerprint: h.Fingerprint(), DeviceID: id, Credential: credential}
}

// dial is a newly paired device's client of the hub.
func dial(t testing.TB, h *hubtest.Server, opts ...client.Option) *client.Client {
	t.Helper()
	c, err := client.DialDevice(deviceFile(t, h), opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// signedIn is a device with one person signed in.
func signedIn(t testing.TB, h *hubtest.Server, user data.ID, pin string) data.Store {
	t.Helper()
	c := dial(t, h)
	a, err := c.SignIn(t.Context(), user, pin)
	if err != nil {
		t.Fatalf("sign in %d: %v", user, err)
	}
	return c.As(a)
}

// childOf is a child on group's list today.
func childOf(t testing.TB, s data.Store, group data.ID, n int) data.DayEdit {
	t.Helper()
	day := data.DateOf(monday9)
	list, err := s.DayList(t.Context(), group, day)
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Rows) <= n {
		t.Fatalf("group %d has %d children on %s", group, len(list.Rows), day)
	}
	return data.DayEdit{Date: day, GroupID: group, ChildID: list.Rows[n].Child.ID, By: "test"}
}

func TestSignIn_TheHubActsAsTheSessionsPerson(t *testing.T) {
	h, db := demoHub(t)
	tess := signedIn(t, h, tessID, tessPIN)

	edit := childOf(t, tess, 1, 0)
	if err := tess.CheckIn(t.Context(), edit, data.NewClock(8, 15)); err != nil {
		t.Fatalf("check-in in her own group: %v", err)
	}
	list, err := db.DayList(t.Context(), 1, edit.Date)
	if err != nil {
		t.Fatal(err)
	}
	if got := list.Rows[0].Attendance.CheckIn; got == nil || *got != data.NewClock(8, 15) {
		t.Errorf("the hub's file has check-in %v, want 08:15", got)
	}
	entries, err := db.Audit(t.Context(), data.AuditFilter{Limit: 1})
	if err != nil || len(entries) != 1 || entries[0].UserID != tessID {
		t.Errorf("the log names %+v (%v), want Tess", entries, err)
	}

	other := childOf(t, db, 3, 0)
	err = tess.CheckIn(t.Context(), other, data.NewClock(8, 15))
	if !errors.Is(err, data.ErrForbidden) {
		t.Errorf("check-in in group 3 by staff of groups 1-2: %v, want ErrForbidden", err)
	}
}

func TestSignIn_WrongPINAndLockOutAreTheHubs(t *testing.T) {
	h, _ := demoHub(t)
	c := dial(t, h)
	_, err := c.SignIn(t.Context(), tessID, "0000")
	if !errors.Is(err, data.ErrWrongSecret) {
		t.Fatalf("wrong PIN: %v, want ErrWrongSecret", err)
	}
	for range 10 {
		if _, err = c.SignIn(t.Context(), tessID, "0000"); errors.Is(err, data.ErrLockedOut) {
			break
		}
	}
	if !errors.Is(err, data.ErrLockedOut) {
		t.Fatalf("after many wrong PINs: %v, want ErrLockedOut", err)
	}
	if _, err := c.SignIn(t.Context(), tessID, tessPIN); !errors.Is(err, data.ErrLockedOut) {
		t.Errorf("right PIN while locked out: %v, want ErrLockedOut", err)
	}
}

func TestAs_APersonNotSignedInHereIsRefused(t *testing.T) {
	h, _ := demoHub(t)
	c := dial(t, h)
	manager := data.Actor{UserID: 1, Name: "Marieke de Boer", Role: data.RoleManager, Locations: []data.ID{1}}
	_, err := c.As(manager).Locations(t.Context())
	if !errors.Is(err, wire.ErrNotSignedIn) {
		t.Errorf("a made-up actor: %v, want ErrNotSignedIn", err)
	}
	if _, err := c.Children(t.Context(), 1); !errors.Is(err, wire.ErrNotSignedIn) {
		t.Errorf("children before anyone signs in: %v, want ErrNotSignedIn", err)
	}
}

func TestUsers_TheSignInListCarriesNoSecrets(t *testing.T) {
	h, _ := demoHub(t)
	users, err := dial(t, h).Users(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if len(users) < 4 {
		t.Fatalf("%d users, want the demo's 4", len(users))
	}
	for _, u := range users {
		if u.SecretHash != nil || u.PINHash != nil {
			t.Errorf("%s arrives with a secret hash", u.Name)
		}
	}
}

func TestErrors_ARefusalArrivesWithItsCodeAndArgs(t *testing.T) {
	h, _ := demoHub(t)
	owner := dial(t, h, client.WithOwnerKey(hubtest.OwnerKey))
	_, err := owner.AddLocation(t.Context(), demo.LocationName)
	var r *data.Refusal
	if !errors.As(err, &r) {
		t.Fatalf("a name in use: %v (%T), want a *data.Refusal", err, err)
	}
	if r.Code != data.RefuseNameTaken || r.Args["Name"] != demo.LocationName {
		t.Errorf("refusal %s %v, want %s with the name", r.Code, r.Args, data.RefuseNameTaken)
	}
	if !errors.Is(err, data.ErrInvalid) {
		t.Errorf("the refusal is not ErrInvalid: %v", err)
	}
	want := data.Refuse(data.RefuseNameTaken, data.Args{"Name": demo.LocationName}).Error()
	if err.Error() != want {
		t.Errorf("message %q, want %q", err, want)
	}

	_, err = owner.Child(t.Context(), 99999)
	if !errors.Is(err, data.ErrNotFound) {
		t.Errorf("an unknown child: %v, want ErrNotFound", err)
	}
}

func TestDial_AnotherCertificateIsRefused(t *testing.T) {
	h, _ := demoHub(t)
	other, _ := demoHub(t)
	c, err := client.Dial(h.URL(), other.Fingerprint())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Users(t.Context()); err == nil {
		t.Fatal("a hub with another certificate answered")
	}
	if _, err := client.Dial("http://"+h.URL()[len("https://"):], h.Fingerprint()); !errors.Is(err, data.ErrInvalid) {
		t.Errorf("dial over plain http: %v, want refused", err)
	}
}

func TestClose_CallsAfterItFail(t *testing.T) {
	h, _ := demoHub(t)
	c := dial(t, h)
	c.Close()
	if _, err := c.Users(t.Context()); !errors.Is(err, client.ErrClosed) {
		t.Errorf("after Close: %v, want ErrClosed", err)
	}
}

// collector keeps the changes a subscriber got.
type collector struct {
	mu      sync.Mutex
	changes []data.Change
	arrived chan struct{}
}

func newCollector() *collector { return &collector{arrived: make(chan struct{}, 1<<16)} }

func (c *collector) add(ch data.Change) {
	c.mu.Lock()
	c.changes = append(c.changes, ch)
	c.mu.Unlock()
	c.arrived <- struct{}{}
}

func (c *collector) all() []data.Change {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]data.Change(nil), c.changes...)
}

func TestFeed_ACheckInOnOneDeviceArrivesOnAnother(t *testing.T) {
	h, _ := demoHub(t)
	a := signedIn(t, h, tessID, tessPIN)
	b := signedIn(t, h, tessID, tessPIN)
	got := newCollector()
	cancel, err := b.Subscribe(t.Context(), data.FeedLive, got.add)
	if err != nil {
		t.Fatal(err)
	}
	defer cancel()

	edit := childOf(t, a, 1, 1)
	start := time.Now()
	if err := a.CheckIn(t.Context(), edit, data.NewClock(8, 30)); err != nil {
		t.Fatal(err)
	}
	select {
	case <-got.arrived:
		t.Logf("the check-in reached the other device %v after it was sent", time.Since(start))
	case <-time.After(5 * time.Second):
		t.Fatal("the check-in did not reach the other device")
	}
	c := got.all()[0]
	if c.Kind != data.ChangeAttendance || c.ChildID != edit.ChildID || c.GroupID != 1 || c.Seq == 0 {
		t.Errorf("change %+v, want the check-in of child %d", c, edit.ChildID)
	}
}

// TestFeed_ResumesAfterDroppedConnections writes while the hub's
// connections are cut and the hub restarts; the subscriber gets every
// change exactly once, in the order the hub's own feed has them.
func TestFeed_ResumesAfterDroppedConnections(t *testing.T) {
	h, db := demoHub(t)
	writer := signedIn(t, h, tessID, tessPIN)
	reader := signedIn(t, h, svenID, svenPIN)
	truth := newCollector()
	stop, err := db.Subscribe(t.Context(), data.FeedLive, truth.add)
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	got := newCollector()
	cancel, err := reader.Subscribe(t.Context(), data.FeedLive, got.add)
	if err != nil {
		t.Fatal(err)
	}
	defer cancel()

	const writes = 40
	edit := childOf(t, writer, 1, 0)
	done := make(chan error, 1)
	go func() {
		for i := range writes {
			// A note is one write with one change; a check-in of another
			// child each time would do as well.
			if err := writer.SetNote(t.Context(), edit, "note "+string(rune('A'+i%26))); err != nil {
				done <- err
				return
			}
			time.Sleep(5 * time.Millisecond)
		}
		done <- nil
	}()
	time.Sleep(40 * time.Millisecond)
	h.Drop()
	time.Sleep(40 * time.Millisecond)
	h.Restart(50 * time.Millisecond)
	time.Sleep(40 * time.Millisecond)
	h.Drop()
	if err := <-done; err != nil {
		t.Fatalf("a write across the drops: %v", err)
	}
	want := truth.all()
	if len(want) < writes {
		t.Fatalf("the hub's own feed has %d changes, want at least %d", len(want), writes)
	}
	deadline := time.After(10 * time.Second)
	for len(got.all()) < len(want) {
		select {
		case <-got.arrived:
		case <-deadline:
			t.Fatalf("the device got %d of %d changes", len(got.all()), len(want))
		}
	}
	time.Sleep(100 * time.Millisecond) // a change delivered twice would show now
	gotAll := got.all()
	if len(gotAll) != len(want) {
		t.Fatalf("the device got %d changes, the hub made %d", len(gotAll), len(want))
	}
	for i := range want {
		// A device's feed carries the changes without the log's words.
		if sent, _ := want[i].ForDevice(nil, 0); gotAll[i] != sent {
			t.Fatalf("change %d: got %+v, want %+v", i, gotAll[i], sent)
		}
	}
}

func TestFeed_CatchesUpFromASequenceNumber(t *testing.T) {
	h, db := demoHub(t)
	tess := signedIn(t, h, tessID, tessPIN)
	edit := childOf(t, tess, 1, 0)
	for _, note := range []string{"een", "twee", "drie"} {
		if err := tess.SetNote(t.Context(), edit, note); err != nil {
			t.Fatal(err)
		}
	}
	entries, err := db.Audit(t.Context(), data.AuditFilter{Limit: 3})
	if err != nil {
		t.Fatal(err)
	}
	got := newCollector()
	cancel, err := tess.Subscribe(t.Context(), entries[2].Seq, got.add) // after the first note
	if err != nil {
		t.Fatal(err)
	}
	defer cancel()
	for range 2 {
		select {
		case <-got.arrived:
		case <-time.After(5 * time.Second):
			t.Fatalf("caught up %d of 2 changes", len(got.all()))
		}
	}
	all := got.all()
	if all[0].Seq != entries[1].Seq || all[1].Seq != entries[0].Seq {
		t.Errorf("caught up %+v, want the writes %d and %d", all, entries[1].Seq, entries[0].Seq)
	}
}

func TestUnlock_OnlyTheHubsOwnUnlockOpensAnotherDate(t *testing.T) {
	h, _ := demoHub(t)
	tess := signedIn(t, h, tessID, tessPIN)
	other := signedIn(t, h, tessID, tessPIN) // the same person on another device
	friday := data.DateOf(monday9).AddDays(-3)
	list, err := tess.DayList(t.Context(), 1, friday)
	if err != nil || len(list.Rows) == 0 {
		t.Fatalf("Friday's list: %v", err)
	}
	edit := data.DayEdit{Date: friday, GroupID: 1, ChildID: list.Rows[0].Child.ID, By: "test"}

	edit.Unlock = data.NewUnlock(edit.Date, "Tess Janssen") // made up on the device
	if err := tess.SetNote(t.Context(), edit, "gisteren"); !errors.Is(err, data.ErrLocked) {
		t.Fatalf("an unlock the hub never gave: %v, want ErrLocked", err)
	}
	unlock, err := tess.Unlock(t.Context(), edit.Date, "Tess Janssen")
	if err != nil {
		t.Fatal(err)
	}
	edit.Unlock = unlock
	if err := other.SetNote(t.Context(), edit, "gisteren"); !errors.Is(err, data.ErrLocked) {
		t.Errorf("another session's unlock: %v, want ErrLocked", err)
	}
	if err := tess.SetNote(t.Context(), edit, "gisteren"); err != nil {
		t.Errorf("the hub's own unlock: %v", err)
	}
}

// TestNow_IsTheHubsClock: the rules run by the hub's clock, so a device's
// today is the hub's (and not its own when the hub answers).
func TestNow_IsTheHubsClock(t *testing.T) {
	h, _ := demoHub(t)
	if got := dial(t, h).Now(); !got.Equal(monday9) {
		t.Errorf("the client's clock says %v, the hub's %v", got, monday9)
	}
}
