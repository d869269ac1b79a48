package ui

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"locatiedesk/data"
)

// memStore is an in-memory data.Store with exactly what the attendance and
// children screens read and write. The interface is embedded as nil: a
// call to any other method panics, so these tests fail the day a screen
// needs more than this, and show that the screens need nothing but the
// interface (no file, no bbolt).
type memStore struct {
	data.Store // nil: every method not below panics

	now      time.Time
	location data.Location
	group    data.Group
	mu       sync.Mutex
	children []data.Child
	// records are the day's attendance of testNow's date, by child.
	records map[data.ID]data.Attendance
	feed    map[int]func(data.Change)
	nextSub int
	seq     uint64
}

func newMemStore() *memStore {
	loc := data.Location{ID: 1, Name: "De Speeltuin"}
	return &memStore{
		now:      testNow,
		location: loc,
		group:    data.Group{ID: 10, LocationID: loc.ID, Name: "Dolfijnen", Care: data.KDV, Capacity: 12},
		children: []data.Child{
			{ID: 100, LocationID: loc.ID, FirstName: "Anouk", LastName: "Bakker", BirthDate: data.NewDate(2024, 3, 1)},
			{ID: 101, LocationID: loc.ID, FirstName: "Bram", LastName: "de Vries", BirthDate: data.NewDate(2023, 11, 20)},
		},
		records: map[data.ID]data.Attendance{},
		feed:    map[int]func(data.Change){},
	}
}

func (m *memStore) Today() data.Date         { return data.DateOf(m.now) }
func (m *memStore) Now() time.Time           { return m.now }
func (m *memStore) As(data.Actor) data.Store { return m }

func (m *memStore) Subscribe(_ context.Context, _ uint64, fn func(data.Change)) (func(), error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	id := m.nextSub
	m.nextSub++
	m.feed[id] = fn
	return func() {
		m.mu.Lock()
		defer m.mu.Unlock()
		delete(m.feed, id)
	}, nil
}

// publish tells every subscriber of a change, as a store does after a commit.
func (m *memStore) publish(c data.Change) {
	m.mu.Lock()
	m.seq++
	c.Seq = m.seq
	subs := make([]func(data.Change), 0, len(m.feed))
	for _, fn := range m.feed {
		subs = append(subs, fn)
	}
	m.mu.Unlock()
	for _, fn := range subs {
		fn(c)
	}
}

func (m *memStore) Locations(ctx context.Context) ([]data.Location, error) {
	return []data.Location{m.location}, ctx.Err()
}

func (m *memStore) Groups(ctx context.Context, locationID data.ID) ([]data.Group, error) {
	if locationID != m.location.ID {
		return nil, ctx.Err()
	}
	return []data.Group{m.group}, ctx.Err()
}

func (m *memStore) Children(ctx context.Context, locationID data.ID) ([]data.Child, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]data.Child(nil), m.children...), ctx.Err()
}

// DayList expects every child from 8:00 to 17:30 on weekdays; the weekend is closed.
func (m *memStore) DayList(ctx context.Context, groupID data.ID, d data.Date) (data.DayList, error) {
	if err := ctx.Err(); err != nil {
		return data.DayList{}, err
	}
	list := data.DayList{Date: d, Group: m.group}
	if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday {
		list.Closed, list.ClosedReason = true, "weekend"
		return list, nil
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, c := range m.children {
		row := data.DayRow{Child: c, Expected: data.TimeRange{From: data.NewClock(8, 0), Until: data.NewClock(17, 30)}, Source: data.SourceContract}
		if d == m.Today() {
			row.Attendance = m.records[c.ID]
		}
		list.Rows = append(list.Rows, row)
	}
	return list, nil
}

func (m *memStore) CheckIn(ctx context.Context, e data.DayEdit, at data.Clock) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	a := m.records[e.ChildID]
	a.CheckIn, a.UpdatedBy = &at, e.By
	m.records[e.ChildID] = a
	m.mu.Unlock()
	m.publish(data.Change{Kind: data.ChangeAttendance, Date: e.Date, GroupID: e.GroupID, ChildID: e.ChildID})
	return nil
}

// addChild is another device adding a child: the store commits and tells the feed.
func (m *memStore) addChild(c data.Child) {
	m.mu.Lock()
	m.children = append(m.children, c)
	m.mu.Unlock()
	m.publish(data.Change{Kind: data.ChangeCatalog, ChildID: c.ID})
}

// newMemWindow is a test window in English for a screen on the memStore.
func newMemWindow(t *testing.T) fyne.Window {
	t.Helper()
	test.NewTempApp(t)
	if err := UseLanguage(LanguageEnglish); err != nil {
		t.Fatal(err)
	}
	w := fyne.CurrentApp().NewWindow("test")
	w.Resize(fyne.NewSize(1000, 700))
	return w
}

func rowFor(t *testing.T, s *attendanceScreen, childID data.ID) *childRow {
	t.Helper()
	row, ok := s.rows[childID]
	if !ok {
		t.Fatalf("child %d is not on the list", childID)
	}
	return row
}

// The attendance screen works on nothing but the Store interface: it shows
// the list, checks a child in, and redraws when another device checks in.
func TestMemStore_AttendanceNeedsOnlyTheInterface(t *testing.T) {
	w := newMemWindow(t)
	store := newMemStore()
	s := newAttendanceScreen(store, w, "Marieke", inlineJobs())
	w.SetContent(s.buildUI())
	t.Cleanup(s.close)

	if s.groupSelect.Selected != "Dolfijnen" || len(s.rows) != 2 {
		t.Fatalf("group %q with %d rows, want Dolfijnen with 2", s.groupSelect.Selected, len(s.rows))
	}
	if want := "Expected 2 · Present 0 · Absent 0 · Still to come 2"; s.counts.Text != want {
		t.Fatalf("counts %q, want %q", s.counts.Text, want)
	}

	anouk := rowFor(t, s, 100)
	test.Tap(anouk.primary)
	if anouk.status.Text != "Present" || anouk.times.Text != "09:30 –" {
		t.Fatalf("after check-in Anouk shows %q at %q", anouk.status.Text, anouk.times.Text)
	}
	if got := store.records[100]; got.CheckIn == nil || got.UpdatedBy != "Marieke" {
		t.Fatalf("stored %+v, want a check-in by Marieke", got)
	}

	// Another tablet checks Bram in; the feed alone redraws this list.
	if err := store.CheckIn(context.Background(), data.DayEdit{Date: store.Today(), GroupID: 10, ChildID: 101, By: "Ilse"}, data.NewClock(9, 45)); err != nil {
		t.Fatal(err)
	}
	if bram := rowFor(t, s, 101); bram.status.Text != "Present" || bram.times.Text != "09:45 –" {
		t.Fatalf("after a check-in elsewhere Bram shows %q at %q", bram.status.Text, bram.times.Text)
	}
	if want := "Expected 2 · Present 2 · Absent 0 · Still to come 0"; s.counts.Text != want {
		t.Fatalf("counts %q, want %q", s.counts.Text, want)
	}
}

// The children screen works on the interface too, and lists a child added
// on another device as soon as the feed tells.
func TestMemStore_ChildrenNeedsOnlyTheInterface(t *testing.T) {
	w := newMemWindow(t)
	store := newMemStore()
	s := newChildrenScreen(store, w, inlineJobs(), nil)
	w.SetContent(s.buildUI())
	t.Cleanup(s.close)

	if len(s.shown) != 2 || s.count.Text != "2 children" {
		t.Fatalf("shows %d children, count %q", len(s.shown), s.count.Text)
	}
	store.addChild(data.Child{ID: 102, LocationID: 1, FirstName: "Cas", LastName: "Jansen", BirthDate: data.NewDate(2022, 6, 5)})
	if len(s.shown) != 3 || s.shown[2].FirstName != "Cas" {
		t.Fatalf("after a child was added elsewhere the list holds %d children", len(s.shown))
	}
	test.Type(s.search, "cas")
	if len(s.shown) != 1 || s.count.Text != "1 child" {
		t.Fatalf("searching cas shows %d, count %q", len(s.shown), s.count.Text)
	}
}

// inlineJobs runs a screen's work at once on the test's goroutine, so a
// tap's effect is drawn when the tap returns.
func inlineJobs() *jobs { return newJobs(context.Background(), func(f func()) { f() }, nil) }

// heldJobs queues the screen's work instead of running it, so a test
// decides in which order loads finish, as goroutines might.
type heldJobs struct{ queued []func() }

func (h *heldJobs) jobs() *jobs {
	return newJobs(context.Background(), func(f func()) { h.queued = append(h.queued, f) }, nil)
}

// runAll finishes the queued work newest first, the order that would draw a
// stale result last if nothing stopped it.
func (h *heldJobs) runAll() {
	for len(h.queued) > 0 {
		q := h.queued
		h.queued = nil
		for i := len(q) - 1; i >= 0; i-- {
			q[i]()
		}
	}
}

// A fast date change never draws an older day's list over the newer one,
// however the loads finish (the list loads off the UI goroutine).
func TestMemStore_FastDateChangeDrawsTheNewestDay(t *testing.T) {
	w := newMemWindow(t)
	store := newMemStore()
	held := &heldJobs{}
	s := newAttendanceScreen(store, w, "Marieke", held.jobs())
	w.SetContent(s.buildUI())
	t.Cleanup(s.close)
	held.runAll()
	if len(s.rows) != 2 {
		t.Fatalf("%d rows before changing the date", len(s.rows))
	}

	saturday := store.Today().AddDays(3) // testNow is a Wednesday
	s.setDate(saturday)
	s.setDate(store.Today()) // back before Saturday's list arrived
	if len(held.queued) != 2 {
		t.Fatalf("%d loads queued, want the two days'", len(held.queued))
	}
	held.runAll() // today's list first, Saturday's after it

	if !s.message.Hidden || strings.Contains(s.message.Text, "Closed") || len(s.list.Rows) != 2 || s.list.Date != store.Today() {
		t.Fatalf("shows %q (%d rows of %s) after coming back to today", s.message.Text, len(s.list.Rows), s.list.Date)
	}
}

// A screen closed (the user signed out) draws nothing a load brings later,
// and the load's context tells the store to stop; a write started before
// is still carried out.
func TestJobs_ClosedScreenDrawsNothing(t *testing.T) {
	test.NewTempApp(t)
	held := &heldJobs{}
	j := held.jobs()
	var readCtx context.Context
	drawn := false
	load(j, nil, func(ctx context.Context) (int, error) { readCtx = ctx; return 1, nil }, func(int, error) { drawn = true })
	var writeErr error
	j.write(func(ctx context.Context) { writeErr = ctx.Err() })
	j.close()
	held.runAll()
	if drawn || readCtx.Err() == nil {
		t.Fatalf("after close: drawn %v, load's context %v", drawn, readCtx.Err())
	}
	if writeErr != nil {
		t.Fatalf("a write started before close got a cancelled context: %v", writeErr)
	}
}
