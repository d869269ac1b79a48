package outbox_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"locatiedesk/data"
	"locatiedesk/data/boltstore"
	"locatiedesk/data/datatest"
	"locatiedesk/hub/client"
	"locatiedesk/hub/hubtest"
	"locatiedesk/hub/outbox"
)

// monday9 is the clock of every test hub: a working day at the location.
var monday9 = time.Date(2026, 11, 23, 9, 0, 0, 0, time.Local)

var today = data.DateOf(monday9)

// Tess of the demo works in groups 1 and 2 (16 children on Monday).
const (
	tessID  data.ID = 2
	tessPIN         = "2222"
)

func demoHub(t testing.TB) (*hubtest.Server, *boltstore.DB) {
	t.Helper()
	db, _ := datatest.Demo(t, monday9)
	return hubtest.Start(t, db), db
}

// tablets are the devices paired with each test hub: a tablet opened again
// is the same device, with the same credential.
var tablets sync.Map // *hubtest.Server → client.Option

// tabletOf is the tablet paired with h, paired on first use.
func tabletOf(t testing.TB, h *hubtest.Server) client.Option {
	t.Helper()
	if o, ok := tablets.Load(h); ok {
		return o.(client.Option)
	}
	o := client.WithDevice(h.PairDevice("Rupsjes tablet"))
	tablets.Store(h, o)
	return o
}

// openTablet is a tablet's store on the hub with its outbox at path, quick
// to notice the hub back.
func openTablet(t testing.TB, h *hubtest.Server, path string) *outbox.Store {
	t.Helper()
	c, err := client.Dial(h.URL(), h.Fingerprint(), tabletOf(t, h))
	if err != nil {
		t.Fatal(err)
	}
	s, err := outbox.Open(path, c, outbox.WithBackoff(20*time.Millisecond, 100*time.Millisecond),
		outbox.WithProbe(100*time.Millisecond), outbox.WithCallTimeout(10*time.Second)) // bcrypt under the race detector is slow
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func signIn(t testing.TB, s *outbox.Store) data.Store {
	t.Helper()
	a, err := s.SignIn(t.Context(), tessID, tessPIN)
	if err != nil {
		t.Fatalf("sign in: %v", err)
	}
	return s.As(a)
}

func dayList(t testing.TB, s data.Store, group data.ID) data.DayList {
	t.Helper()
	l, err := s.DayList(t.Context(), group, today)
	if err != nil {
		t.Fatalf("list of group %d: %v", group, err)
	}
	return l
}

func edit(l data.DayList, row int) data.DayEdit {
	return data.DayEdit{Date: l.Date, GroupID: l.Group.ID, ChildID: l.Rows[row].Child.ID, By: "Tess Janssen"}
}

// waitFor polls until ok or fails after 15 s.
func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("waited 15 s for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func newestSeq(t *testing.T, db *boltstore.DB) uint64 {
	t.Helper()
	entries, err := db.Audit(t.Context(), data.AuditFilter{Limit: 1})
	if err != nil || len(entries) == 0 {
		t.Fatalf("audit: %v", err)
	}
	return entries[0].Seq
}

// logSince is the hub's log after seq, oldest first.
func logSince(t *testing.T, db *boltstore.DB, seq uint64) []data.AuditEntry {
	t.Helper()
	entries, err := db.Audit(t.Context(), data.AuditFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	var out []data.AuditEntry
	for i := len(entries) - 1; i >= 0; i-- {
		if entries[i].Seq > seq {
			out = append(out, entries[i])
		}
	}
	return out
}

// TestOffline_D2_FiftyCheckInsReplayedInOrderOnce: a tablet without the hub
// for the length of 50 check-ins keeps them all, shows them, and sends them
// all when the hub is back: in the order made, each applied once.
func TestOffline_D2_FiftyCheckInsReplayedInOrderOnce(t *testing.T) {
	h, db := demoHub(t)
	tab := openTablet(t, h, filepath.Join(t.TempDir(), "outbox.db"))
	tess := signIn(t, tab)
	lists := []data.DayList{dayList(t, tess, 1), dayList(t, tess, 2)}
	var rows []data.DayEdit
	for _, l := range lists {
		for i := range l.Rows {
			rows = append(rows, edit(l, i))
		}
	}
	before := newestSeq(t, db)

	h.Stop()
	type checkIn struct {
		child data.ID
		at    data.Clock
	}
	var made []checkIn
	last := map[data.ID]data.Clock{}
	for i := range 50 {
		e, at := rows[i%len(rows)], data.NewClock(7, 0)+data.Clock(i)
		if err := tess.CheckIn(t.Context(), e, at); err != nil {
			t.Fatalf("check-in %d without the hub: %v", i, err)
		}
		made = append(made, checkIn{e.ChildID, at})
		last[e.ChildID] = at
	}
	if tab.Online() || tab.Pending() != 50 {
		t.Fatalf("without the hub: online %v, %d waiting; want offline, 50", tab.Online(), tab.Pending())
	}
	shown := dayList(t, tess, 1)
	for _, r := range shown.Rows {
		if want := last[r.Child.ID]; r.Attendance.CheckIn == nil || *r.Attendance.CheckIn != want {
			t.Errorf("the kept list shows %s in at %v, want %s", r.Child.FirstName, r.Attendance.CheckIn, want)
		}
	}
	if n := len(logSince(t, db, before)); n != 0 {
		t.Fatalf("the hub logged %d writes while it was down", n)
	}

	h.Resume()
	waitFor(t, "the outbox to empty", func() bool { return tab.Pending() == 0 })
	if !tab.Online() || len(tab.Refused()) != 0 {
		t.Errorf("after sending: online %v, refused %v", tab.Online(), tab.Refused())
	}
	logged := logSince(t, db, before)
	if len(logged) != 50 {
		t.Fatalf("the hub logged %d writes, want the 50 check-ins once each", len(logged))
	}
	for i, entry := range logged {
		want := made[i]
		if entry.Action != data.AuditCheckIn || entry.UserID != tessID || len(entry.Changes) != 1 ||
			entry.Changes[0].ChildID != want.child || !strings.HasSuffix(entry.Changes[0].Detail, "→ in "+want.at.String()) && !strings.Contains(entry.Changes[0].Detail, "→ in "+want.at.String()+",") {
			t.Errorf("log entry %d: %s by %d, %+v; want check-in of child %d at %s", i, entry.Action, entry.UserID, entry.Changes, want.child, want.at)
		}
	}
	for _, l := range lists {
		for _, r := range dayList(t, db, l.Group.ID).Rows {
			if got := r.Attendance.CheckIn; got == nil || *got != last[r.Child.ID] {
				t.Errorf("the hub has %s in at %v, want the last check-in made, %s", r.Child.FirstName, got, last[r.Child.ID])
			}
		}
	}
}

// TestOffline_D2_ACheckOutTheHubRefusesIsShownNotDropped: the tablet kept a
// check-out while another device undid the child's check-in; the hub
// refuses it when it is sent, and it waits in the refused list, with the
// hub's reason, until dismissed. What was kept after it is still sent.
func TestOffline_D2_ACheckOutTheHubRefusesIsShownNotDropped(t *testing.T) {
	h, db := demoHub(t)
	tab := openTablet(t, h, filepath.Join(t.TempDir(), "outbox.db"))
	tess := signIn(t, tab)
	l := dayList(t, tess, 1)
	x, y := edit(l, 0), edit(l, 1)
	if err := tess.CheckIn(t.Context(), x, data.NewClock(8, 0)); err != nil {
		t.Fatalf("check-in with the hub there: %v", err)
	}

	h.Stop()
	if err := tess.CheckOut(t.Context(), x, data.NewClock(8, 30)); err != nil {
		t.Fatalf("check-out without the hub: %v", err)
	}
	if err := tess.CheckIn(t.Context(), y, data.NewClock(8, 35)); err != nil {
		t.Fatalf("check-in without the hub: %v", err)
	}
	// Another device, still on the hub's own network, undoes the check-in
	// (a tap by mistake).
	manager, err := db.ActorFor(t.Context(), 1)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.As(manager).SetTimes(t.Context(), x, nil, nil); err != nil {
		t.Fatal(err)
	}

	changes := make(chan struct{}, 100)
	defer tab.OnChange(func() { changes <- struct{}{} })()
	h.Resume()
	waitFor(t, "the outbox to empty", func() bool { return tab.Pending() == 0 })
	refused := tab.Refused()
	if len(refused) != 1 {
		t.Fatalf("refused %+v, want the check-out", refused)
	}
	r := refused[0]
	var refusal *data.Refusal
	if r.Action != data.KeptCheckOut || r.ChildID != x.ChildID || r.Child == "" || r.By != "Tess Janssen" ||
		r.Detail != "08:30" || !errors.As(r.Err, &refusal) || refusal.Code != data.RefuseAttendanceNotCheckedIn {
		t.Errorf("refused %+v (%v), want Tess's check-out at 08:30 of child %d, not checked in", r, r.Err, x.ChildID)
	}
	if got := dayList(t, db, 1).Rows[1].Attendance.CheckIn; got == nil || *got != data.NewClock(8, 35) {
		t.Errorf("the check-in kept after the refused check-out: %v, want sent", got)
	}
	select {
	case <-changes:
	default:
		t.Error("the outbox told nobody that it sent and refused")
	}

	if err := tab.Dismiss(r.ID); err != nil {
		t.Fatal(err)
	}
	if got := tab.Refused(); len(got) != 0 {
		t.Errorf("after dismissing: %+v", got)
	}
}

// TestOffline_D2_SurvivesARestartWithoutConnection: the tablet is closed
// and opened again while the hub is away: its list, what it kept and the
// sign-in of a person who signed in before are all still there, and what
// it kept is sent once that person signs in on the hub again (the hub no
// longer knows the session of before the restart).
func TestOffline_D2_SurvivesARestartWithoutConnection(t *testing.T) {
	h, db := demoHub(t)
	path := filepath.Join(t.TempDir(), "outbox.db")
	tab := openTablet(t, h, path)
	tess := signIn(t, tab)
	l := dayList(t, tess, 2)
	if _, err := tess.Locations(t.Context()); err != nil {
		t.Fatal(err)
	}
	h.Stop()
	for i := range 3 {
		if err := tess.CheckIn(t.Context(), edit(l, i), data.NewClock(8, 10+i)); err != nil {
			t.Fatalf("check-in %d: %v", i, err)
		}
	}
	if err := tab.Close(); err != nil {
		t.Fatal(err)
	}

	tab = openTablet(t, h, path)
	if got := tab.Today(); got != today {
		t.Errorf("without connection after reopening, today is %s, want the hub's %s", got, today)
	}
	if tab.Pending() != 3 {
		t.Fatalf("after reopening: %d waiting, want 3", tab.Pending())
	}
	if _, err := tab.SignIn(t.Context(), tessID, "9999"); !errors.Is(err, data.ErrWrongSecret) {
		t.Errorf("a wrong PIN without connection: %v, want ErrWrongSecret", err)
	}
	tess = signIn(t, tab)
	shown := dayList(t, tess, 2)
	for i := range 3 {
		if got := shown.Rows[i].Attendance.CheckIn; got == nil || *got != data.NewClock(8, 10+i) {
			t.Errorf("row %d after reopening: in %v, want the kept check-in", i, got)
		}
	}
	if locations, err := tess.Locations(t.Context()); err != nil || len(locations) == 0 {
		t.Errorf("locations without connection: %v, %v", locations, err)
	}
	if _, err := tess.OpenRequests(t.Context(), 2); !isNeedsHub(err) {
		t.Errorf("requests without connection: %v, want the needs-hub refusal", err)
	}
	if err := tess.SetNote(t.Context(), data.DayEdit{Date: today, GroupID: 2, ChildID: 9999, By: "Tess Janssen"}, "x"); err == nil {
		t.Error("a note for a child not on the list was kept")
	}

	h.Resume()
	waitFor(t, "the hub to ask Tess to sign in again", func() bool { return len(tab.SignInNeeded()) == 1 })
	if tab.Pending() != 3 || tab.SignInNeeded()[0] != "Tess Janssen" {
		t.Fatalf("before Tess signs in again: %d waiting, sign-in needed by %v", tab.Pending(), tab.SignInNeeded())
	}
	// Her screens, opened on her sign-in without connection, go on from
	// what the tablet kept until she signs in on the hub.
	if got := dayList(t, tess, 2).Rows[0].Attendance.CheckIn; got == nil || *got != data.NewClock(8, 10) {
		t.Errorf("her list while the hub does not know her: in %v, want the kept check-in", got)
	}
	if _, err := tess.OpenRequests(t.Context(), 2); !isRefusal(err, data.RefuseSignInAgain) {
		t.Errorf("requests while the hub does not know her: %v, want sign in again", err)
	}
	signIn(t, tab)
	waitFor(t, "the outbox to empty", func() bool { return tab.Pending() == 0 })
	if _, err := tess.OpenRequests(t.Context(), 2); err != nil || len(tab.SignInNeeded()) != 0 {
		t.Errorf("her handle of before, once she signed in again: %v, sign-in needed by %v", err, tab.SignInNeeded())
	}
	for i, r := range dayList(t, db, 2).Rows[:3] {
		if got := r.Attendance.CheckIn; got == nil || *got != data.NewClock(8, 10+i) {
			t.Errorf("the hub has row %d in at %v", i, got)
		}
	}
}

// TestOffline_D2_PresentListFromTheLastState: the list of who is here is
// made from the lists the tablet read last, with its own check-ins since,
// and says it is the state of when the hub last answered.
func TestOffline_D2_PresentListFromTheLastState(t *testing.T) {
	h, _ := demoHub(t)
	tab := openTablet(t, h, filepath.Join(t.TempDir(), "outbox.db"))
	tess := signIn(t, tab)
	if _, err := tess.Locations(t.Context()); err != nil {
		t.Fatal(err)
	}
	online, err := tess.PresentNow(t.Context(), 1, 0)
	if err != nil || online.Stale {
		t.Fatalf("with the hub: %+v, %v", online, err)
	}
	l1 := dayList(t, tess, 1)
	dayList(t, tess, 2)
	h.Stop()
	if err := tess.CheckIn(t.Context(), edit(l1, 0), data.NewClock(8, 50)); err != nil {
		t.Fatal(err)
	}
	p, err := tess.PresentNow(t.Context(), 1, 0)
	if err != nil {
		t.Fatalf("who is here without connection: %v", err)
	}
	if !p.Stale || p.StateOf.IsZero() || p.StateOf.After(time.Now()) || len(p.Groups) != 2 {
		t.Errorf("stale %v, state of %v, %d groups; want stale, a moment, Tess's 2 groups", p.Stale, p.StateOf, len(p.Groups))
	}
	if p.Total() != online.Total()+1 {
		t.Errorf("%d here, want %d: the hub's state and the check-in kept since", p.Total(), online.Total()+1)
	}
	if err := tess.LogPrint(t.Context(), "who-is-here list printed"); err != nil || tab.Pending() != 2 {
		t.Errorf("printing without connection: %v, %d waiting; want logged later", err, tab.Pending())
	}
}

// TestOpen_ADamagedFileIsAClearError: never a panic.
func TestOpen_ADamagedFileIsAClearError(t *testing.T) {
	h, _ := demoHub(t)
	dir := t.TempDir()
	garbage := filepath.Join(dir, "garbage.db")
	if err := os.WriteFile(garbage, []byte(strings.Repeat("not a bbolt file ", 1000)), 0o600); err != nil {
		t.Fatal(err)
	}
	// A real outbox with actions in it, then cut in half.
	cut := filepath.Join(dir, "cut.db")
	tab := openTablet(t, h, cut)
	tess := signIn(t, tab)
	l := dayList(t, tess, 1)
	h.Stop()
	for i := range 5 {
		if err := tess.SetNote(t.Context(), edit(l, i), fmt.Sprintf("note %d %s", i, strings.Repeat("x", 1500))); err != nil {
			t.Fatal(err)
		}
	}
	tab.Close()
	raw, err := os.ReadFile(cut)
	if err != nil {
		t.Fatal(err)
	}
	for i := len(raw) / 2; i < len(raw); i++ {
		raw[i] = 0xff
	}
	if err := os.WriteFile(cut, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{garbage, cut} {
		c, err := client.Dial(h.URL(), h.Fingerprint(), tabletOf(t, h))
		if err != nil {
			t.Fatal(err)
		}
		s, err := outbox.Open(path, c)
		if err == nil {
			s.Close()
			t.Errorf("%s opened", filepath.Base(path))
			continue
		}
		if !errors.Is(err, data.ErrDamaged) || !strings.Contains(err.Error(), path) {
			t.Errorf("%s: %v, want ErrDamaged naming the file", filepath.Base(path), err)
		}
	}
}

func isNeedsHub(err error) bool { return isRefusal(err, data.RefuseNeedsHub) }

func isRefusal(err error, code string) bool {
	var r *data.Refusal
	return errors.As(err, &r) && r.Code == code
}

// TestSignIn_D2_OfflineOnlyForThoseSignedInHereAndFewTries: without
// connection, only someone who signed in on this tablet before signs in,
// with their own PIN, and after five wrong tries not at all until the hub
// is back.
func TestSignIn_D2_OfflineOnlyForThoseSignedInHereAndFewTries(t *testing.T) {
	h, _ := demoHub(t)
	tab := openTablet(t, h, filepath.Join(t.TempDir(), "outbox.db"))
	signIn(t, tab)
	h.Stop()
	if _, err := tab.SignIn(t.Context(), 3, "3333"); !isNeedsHub(err) {
		t.Errorf("Sven, never signed in here: %v, want the needs-hub refusal", err)
	}
	for i := range 5 {
		if _, err := tab.SignIn(t.Context(), tessID, "0000"); !errors.Is(err, data.ErrWrongSecret) {
			t.Fatalf("wrong PIN %d: %v", i+1, err)
		}
	}
	_, err := tab.SignIn(t.Context(), tessID, tessPIN)
	var r *data.Refusal
	if !errors.As(err, &r) || r.Code != data.RefuseOfflineSignInLocked {
		t.Errorf("the right PIN after five wrong ones: %v, want the tablet to wait for the hub", err)
	}
	h.Resume()
	waitFor(t, "the hub", tab.Online)
	if _, err := tab.SignIn(t.Context(), tessID, tessPIN); err != nil {
		t.Errorf("with the hub back: %v", err)
	}
}
