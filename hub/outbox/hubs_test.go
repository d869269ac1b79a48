package outbox_test

import (
	"path/filepath"
	"slices"
	"testing"
	"time"

	"locatiedesk/data"
	"locatiedesk/hub/client"
	"locatiedesk/hub/hubtest"
	"locatiedesk/hub/outbox"
)

// pairedTablet pairs a tablet through h with a code while h lists only
// itself as the organisation's hubs, saves its device file in dir, and
// gives the file's path with the pairing.
func pairedTablet(t *testing.T, h *hubtest.Server, db data.Store, dir string) (string, client.DeviceFile) {
	t.Helper()
	h.ListHubs(h.URL())
	code, err := db.CreatePairingCode(t.Context(), "Rupsjes tablet")
	if err != nil {
		t.Fatal(err)
	}
	f, err := client.Pair(t.Context(), h.URL(), code.Code, "")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "device.json")
	if err := f.Save(path); err != nil {
		t.Fatal(err)
	}
	return path, f
}

// openPaired opens the tablet's outbox on its hub as the window does: the
// device file kept up to date with the organisation's hubs.
func openPaired(t *testing.T, path string, f client.DeviceFile) *outbox.Store {
	t.Helper()
	c, err := client.DialDevice(f, client.KeepDeviceFile(path))
	if err != nil {
		t.Fatal(err)
	}
	tab, err := outbox.Open(filepath.Join(filepath.Dir(path), "outbox.db"), c, outbox.WithBackoff(20*time.Millisecond, 100*time.Millisecond),
		outbox.WithProbe(50*time.Millisecond), outbox.WithCallTimeout(10*time.Second))
	if err != nil {
		c.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() { tab.Close() })
	return tab
}

// listsHubs reports whether the device file at path lists exactly urls.
func listsHubs(t *testing.T, path string, urls ...string) func() bool {
	return func() bool {
		f, err := client.LoadDeviceFile(path)
		if err != nil {
			t.Fatalf("the device file: %v", err)
		}
		got := slices.Clone(f.Hubs)
		slices.Sort(got)
		want := slices.Sorted(slices.Values(urls))
		return slices.Equal(got, want)
	}
}

// checkInThroughAnyHub checks a child in and waits until the database has
// it: sent at once, or kept and sent when a hub answers.
func checkInThroughAnyHub(t *testing.T, tab *outbox.Store, tess data.Store, db data.Store, e data.DayEdit, at data.Clock) {
	t.Helper()
	if err := tess.CheckIn(t.Context(), e, at); err != nil {
		t.Fatalf("check-in: %v", err)
	}
	waitFor(t, "the check-in to reach a hub", func() bool {
		l, err := db.DayList(t.Context(), e.GroupID, e.Date)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range l.Rows {
			if r.Child.ID == e.ChildID {
				return r.Attendance.CheckIn != nil && *r.Attendance.CheckIn == at
			}
		}
		return false
	})
}

// TestHubs_ATabletLearnsAHubAddedAfterItWasPaired: a tablet paired while
// the organisation had one hub, opened after a second was added, keeps both
// in its device file and goes on through the second when the first goes.
func TestHubs_ATabletLearnsAHubAddedAfterItWasPaired(t *testing.T) {
	first, db := demoHub(t)
	path, f := pairedTablet(t, first, db, t.TempDir())
	second := first.Twin()
	first.ListHubs(first.URL(), second.URL())

	tab := openPaired(t, path, f)
	waitFor(t, "the device file to list both hubs", listsHubs(t, path, first.URL(), second.URL()))
	tess := signIn(t, tab)
	l := dayList(t, tess, 1)

	first.Stop()
	checkInThroughAnyHub(t, tab, tess, db, edit(l, 0), data.NewClock(8, 5))
	if !tab.Online() || tab.Pending() != 0 {
		t.Errorf("with the first hub gone: online %v, %d waiting; want online through the second, none waiting", tab.Online(), tab.Pending())
	}
}

// TestHubs_ATabletLearnsTheHubsWhenItsHubIsBack: a hub added while the
// tablet was open is learned when the tablet finds its hub back after an
// outage; after that the tablet outlives its first hub for good.
func TestHubs_ATabletLearnsTheHubsWhenItsHubIsBack(t *testing.T) {
	first, db := demoHub(t)
	path, f := pairedTablet(t, first, db, t.TempDir())
	tab := openPaired(t, path, f)
	tess := signIn(t, tab)
	l := dayList(t, tess, 1)

	second := first.Twin()
	first.ListHubs(first.URL(), second.URL())
	first.Stop()
	waitFor(t, "the hub to be missed", func() bool { return !tab.Online() })
	if !listsHubs(t, path, first.URL())() {
		t.Fatal("the device file changed while its only hub was away")
	}
	first.Resume()
	waitFor(t, "the device file to list both hubs", listsHubs(t, path, first.URL(), second.URL()))

	first.Stop()
	checkInThroughAnyHub(t, tab, tess, db, edit(l, 1), data.NewClock(8, 10))
	if !tab.Online() || tab.Pending() != 0 {
		t.Errorf("with the first hub gone for good: online %v, %d waiting; want online through the second, none waiting", tab.Online(), tab.Pending())
	}
}
