package boltstore_test

import (
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"locatiedesk/data/boltstore"
	"locatiedesk/data/datatest"

	bolt "go.etcd.io/bbolt"

	"locatiedesk/data"
	"locatiedesk/data/demo"
)

// The store tests run on Tuesday 10 March 2026, 09:00: an ordinary school day.
var (
	storeNow   = time.Date(2026, time.March, 10, 9, 0, 0, 0, time.Local)
	storeToday = data.DateOf(storeNow)
	yesterday  = storeToday.AddDays(-1) // Monday 9 March
)

func fixedClock() time.Time { return storeNow }

// newStore opens a store of the kit with the clock at storeNow.
func newStore(t *testing.T, opts ...datatest.Option) (*boltstore.DB, string) {
	t.Helper()
	return datatest.Open(t, append([]datatest.Option{datatest.At(storeNow)}, opts...)...)
}

// Children of smallDataset.
const (
	idAnna  data.ID = 1 // KDV Egeltjes, every weekday
	idBram  data.ID = 2 // KDV Egeltjes, every weekday
	idCas   data.ID = 3 // BSO Uilen, school weeks, every weekday
	idDewi  data.ID = 4 // KDV Egeltjes, Fridays only: not on Tuesday's list
	groupEg data.ID = 1
	groupUi data.ID = 2
)

// The contract times of the test data: a KDV day and BSO after school.
var (
	kdvTimes = data.TimeRange{From: data.NewClock(7, 30), Until: data.NewClock(18, 0)}
	bsoTimes = data.TimeRange{From: data.NewClock(15, 0), Until: data.NewClock(18, 30)}
)

var weekdaysAll = []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday}

// days is a contract's days, each with the same times.
func days(times data.TimeRange, wds ...time.Weekday) []data.ContractDay {
	out := make([]data.ContractDay, len(wds))
	for i, wd := range wds {
		out[i] = data.ContractDay{Weekday: wd, Times: times}
	}
	return out
}

// smallDataset is a location small enough to reason about in every test.
func smallDataset() data.Dataset {
	every := days(kdvTimes, weekdaysAll...)
	start := data.NewDate(2025, time.September, 1)
	return data.Dataset{
		Settings:  data.DefaultSettings(),
		Locations: []data.Location{{ID: 1, Name: "Het Klavertje"}},
		Groups: []data.Group{
			{ID: groupEg, LocationID: 1, Name: "Egeltjes", Care: data.KDV, Capacity: 12},
			{ID: groupUi, LocationID: 1, Name: "Uilen", Care: data.BSO, Capacity: 20},
		},
		Schools: []data.School{{ID: 1, Name: "De Wilgen"}},
		Children: []data.Child{
			{ID: idAnna, LocationID: 1, FirstName: "Anna", LastName: "Bakker", BirthDate: data.NewDate(2024, time.May, 1)},
			{ID: idBram, LocationID: 1, FirstName: "Bram", LastName: "de Vries", BirthDate: data.NewDate(2023, time.June, 2)},
			{ID: idCas, LocationID: 1, FirstName: "Cas", LastName: "Jansen", BirthDate: data.NewDate(2019, time.July, 3), SchoolID: 1},
			{ID: idDewi, LocationID: 1, FirstName: "Dewi", LastName: "Smit", BirthDate: data.NewDate(2024, time.August, 4)},
		},
		Contracts: []data.Contract{
			{ID: 1, ChildID: idAnna, GroupID: groupEg, Product: data.ProductKDV, Days: every, Start: start},
			{ID: 2, ChildID: idBram, GroupID: groupEg, Product: data.ProductKDV, Days: every, Start: start},
			{ID: 3, ChildID: idCas, GroupID: groupUi, Product: data.ProductBSOSchoolWeeks, Days: days(bsoTimes, weekdaysAll...), Start: start},
			{ID: 4, ChildID: idDewi, GroupID: groupEg, Product: data.ProductKDV, Days: days(kdvTimes, time.Friday), Start: start},
		},
		Holidays: []data.SchoolHoliday{
			{ID: 1, SchoolID: 1, Name: "Voorjaarsvakantie", From: data.NewDate(2026, time.February, 14), To: data.NewDate(2026, time.February, 22)},
		},
		ClosingDays: data.PublicHolidays(2026),
	}
}

func rowOf(l data.DayList, child data.ID) (data.DayRow, bool) {
	for _, r := range l.Rows {
		if r.Child.ID == child {
			return r, true
		}
	}
	return data.DayRow{}, false
}

func rowIDs(l data.DayList) []data.ID {
	var ids []data.ID
	for _, r := range l.Rows {
		ids = append(ids, r.Child.ID)
	}
	return ids
}

func TestOpen_A2_SecondCopyIsRefused(t *testing.T) {
	db, path := newStore(t)
	if db.Today() != storeToday {
		t.Fatalf("Today() = %v, want %v from the fixed clock", db.Today(), storeToday)
	}
	tests := []struct{ name string }{{"first attempt"}, {"second attempt"}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			second, err := boltstore.Open(path, boltstore.WithClock(fixedClock))
			elapsed := time.Since(start)
			if err == nil {
				second.Close()
				t.Fatal("second Open of an open file succeeded")
			}
			if !errors.Is(err, data.ErrInUse) {
				t.Fatalf("error = %v, want ErrInUse", err)
			}
			if !strings.Contains(err.Error(), "another copy") || !strings.Contains(err.Error(), "open") {
				t.Errorf("message %q does not say another copy has the file open", err)
			}
			if elapsed > 2*time.Second {
				t.Errorf("refusal took %v, want within ~2s", elapsed)
			}
		})
	}
}

func TestOpen_A1_ReopenKeepsData(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "folder", "locatiedesk.db") // folders are created
	db, err := boltstore.Open(path, boltstore.WithClock(fixedClock))
	if err != nil {
		t.Fatal(err)
	}
	if db.Path() != path {
		t.Errorf("Path() = %q, want %q", db.Path(), path)
	}
	if err := db.Seed(t.Context(), smallDataset()); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db, _ = newStore(t, datatest.Path(path))
	tests := []struct {
		name  string
		check func() error
	}{
		{"not empty", func() error {
			empty, err := db.IsEmpty(t.Context())
			if err == nil && empty {
				err = errors.New("store is empty after reopen")
			}
			return err
		}},
		{"group by name", func() error {
			g, err := db.GroupByName(t.Context(), "uilen")
			if err == nil && (g.ID != groupUi || g.Care != data.BSO) {
				err = errors.New("wrong group " + g.Name)
			}
			return err
		}},
		{"child", func() error {
			c, err := db.Child(t.Context(), idCas)
			if err == nil && (c.Name() != "Cas Jansen" || c.SchoolID != 1 || c.BirthDate != data.NewDate(2019, time.July, 3)) {
				err = errors.New("wrong child " + c.Name())
			}
			return err
		}},
		{"today's list", func() error {
			l, err := db.DayList(t.Context(), groupEg, storeToday)
			if err == nil && !slices.Equal(rowIDs(l), []data.ID{idAnna, idBram}) {
				err = errors.New("wrong list after reopen")
			}
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.check(); err != nil {
				t.Error(err)
			}
		})
	}
}

func TestSeed_A1_OnlyIntoEmptyStore(t *testing.T) {
	db, _ := newStore(t)
	empty, err := db.IsEmpty(t.Context())
	if err != nil || !empty {
		t.Fatalf("new store IsEmpty = %v, %v; want true", empty, err)
	}
	if err := db.Seed(t.Context(), smallDataset()); err != nil {
		t.Fatalf("first Seed: %v", err)
	}
	if err := db.Seed(t.Context(), smallDataset()); !errors.Is(err, data.ErrNotEmpty) {
		t.Fatalf("second Seed error = %v, want ErrNotEmpty", err)
	}
	children, err := db.Children(t.Context(), 1)
	if err != nil || len(children) != 4 {
		t.Errorf("after a refused second seed: %d children, %v; want 4", len(children), err)
	}
}

func TestSeed_A1_AllOrNothing(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*data.Dataset)
	}{
		{"contract in an unknown group", func(ds *data.Dataset) { ds.Contracts[2].GroupID = 99 }},
		{"contract for an unknown child", func(ds *data.Dataset) { ds.Contracts[3].ChildID = 99 }},
		{"BSO product in a KDV group", func(ds *data.Dataset) { ds.Contracts[0].Product = data.ProductBSO52Weeks }},
		{"holiday of an unknown school", func(ds *data.Dataset) { ds.Holidays[0].SchoolID = 42 }},
		{"record for an unknown group", func(ds *data.Dataset) {
			ds.Records = []data.DayRecord{{Date: storeToday, GroupID: 77, ChildID: idAnna}}
		}},
		{"invalid settings", func(ds *data.Dataset) { ds.Settings.ParentRequestFromDays = 2 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, _ := newStore(t)
			ds := smallDataset()
			tt.mutate(&ds)
			if err := db.Seed(t.Context(), ds); !errors.Is(err, data.ErrInvalid) {
				t.Fatalf("Seed error = %v, want ErrInvalid", err)
			}
			empty, err := db.IsEmpty(t.Context())
			if err != nil || !empty {
				t.Errorf("IsEmpty = %v, %v after a failed seed; want true", empty, err)
			}
			for name, n := range map[string]func() (int, error){
				"groups":   func() (int, error) { g, err := db.Groups(t.Context(), 0); return len(g), err },
				"children": func() (int, error) { c, err := db.Children(t.Context(), 0); return len(c), err },
				"schools":  func() (int, error) { s, err := db.Schools(t.Context()); return len(s), err },
			} {
				if got, err := n(); err != nil || got != 0 {
					t.Errorf("%s after a failed seed: %d, %v; want 0", name, got, err)
				}
			}
			// Nothing half-stored: the good dataset still goes in afterwards.
			if err := db.Seed(t.Context(), smallDataset()); err != nil {
				t.Errorf("Seed after a failed seed: %v", err)
			}
		})
	}
}

func TestDayList_A1_DemoGroups(t *testing.T) {
	db, _ := newStore(t)
	if err := db.Seed(t.Context(), demo.Build(storeToday)); err != nil {
		t.Fatalf("Seed demo: %v", err)
	}
	groups, err := db.Groups(t.Context(), 0)
	if err != nil || len(groups) != 4 {
		t.Fatalf("Groups = %d, %v; want 4", len(groups), err)
	}
	holidays := map[data.Date]bool{}
	for _, cd := range data.PublicHolidays(storeToday.Year) {
		holidays[cd.Date] = true
	}
	// Every weekday of the current week and the one before; none is a public holiday.
	var dates []data.Date
	for d := storeToday.AddDays(-8); !d.After(storeToday.AddDays(3)); d = d.AddDays(1) {
		if wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday && !holidays[d] {
			dates = append(dates, d)
		}
	}
	if len(dates) != 10 {
		t.Fatalf("test setup: %d weekdays, want 10", len(dates))
	}
	for _, g := range groups {
		for _, d := range dates {
			t.Run(g.Name+"/"+d.String(), func(t *testing.T) {
				l, err := db.DayList(t.Context(), g.ID, d)
				if err != nil {
					t.Fatal(err)
				}
				if l.Closed {
					t.Fatalf("closed (%q) on a weekday that is not a public holiday", l.ClosedReason)
				}
				if len(l.Rows) == 0 {
					t.Fatal("empty list")
				}
				if l.Group.ID != g.ID || l.Date != d {
					t.Errorf("list is of group %d on %v", l.Group.ID, l.Date)
				}
				for _, r := range l.Rows {
					if r.Child.ID == 0 || r.Source != data.SourceContract || r.Expected.Until <= r.Expected.From {
						t.Errorf("row %+v: want a child expected by contract with times", r)
					}
				}
				c := l.Counts()
				if c.Present+c.Absent+c.ToCome != c.Expected || c.Expected != len(l.Rows) {
					t.Errorf("counts %+v do not add up to %d rows", c, len(l.Rows))
				}
			})
		}
	}
	t.Run("public holiday is closed", func(t *testing.T) {
		l, err := db.DayList(t.Context(), groups[0].ID, data.NewDate(2026, time.April, 6))
		if err != nil || !l.Closed || l.ClosedReason != "Tweede Paasdag" || len(l.Rows) != 0 {
			t.Errorf("Tweede Paasdag: closed %v %q rows %d err %v", l.Closed, l.ClosedReason, len(l.Rows), err)
		}
	})
}

func TestCheckIn_A3_TodayAndUnlockedDates(t *testing.T) {
	db, _ := newStore(t, datatest.Seeded(smallDataset()))
	at := data.NewClock(8, 5)

	t.Run("today works and shows on the list", func(t *testing.T) {
		err := db.CheckIn(t.Context(), data.DayEdit{Date: storeToday, GroupID: groupEg, ChildID: idAnna, By: "Mirjam"}, at)
		if err != nil {
			t.Fatal(err)
		}
		l, err := db.DayList(t.Context(), groupEg, storeToday)
		if err != nil {
			t.Fatal(err)
		}
		r, ok := rowOf(l, idAnna)
		if !ok || r.Attendance.CheckIn == nil || *r.Attendance.CheckIn != at || r.Attendance.Status() != data.StatusPresent {
			t.Fatalf("row %+v, want checked in at %s", r, at)
		}
		if r.Attendance.UpdatedBy != "Mirjam" || !r.Attendance.UpdatedAt.Equal(storeNow) {
			t.Errorf("updated by %q at %v, want Mirjam at %v", r.Attendance.UpdatedBy, r.Attendance.UpdatedAt, storeNow)
		}
		if c := l.Counts(); c != (data.Counts{Expected: 2, Present: 1, ToCome: 1}) {
			t.Errorf("counts %+v", c)
		}
	})

	other, err := db.Unlock(t.Context(), storeToday.AddDays(-2), "Mirjam")
	if err != nil {
		t.Fatal(err)
	}
	yest, err := db.Unlock(t.Context(), yesterday, "x")
	if err != nil {
		t.Fatal(err)
	}
	if yest.Date() != yesterday {
		t.Fatalf("Unlock.Date() = %v, want %v", yest.Date(), yesterday)
	}
	tests := []struct {
		name    string
		unlock  *data.Unlock
		wantErr error
	}{
		{"yesterday without unlock is locked", nil, data.ErrLocked},
		{"yesterday with an unlock of another date is locked", other, data.ErrLocked},
		{"yesterday unlocked works", yest, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := db.CheckIn(t.Context(), data.DayEdit{Date: yesterday, GroupID: groupEg, ChildID: idBram, By: "Mirjam", Unlock: tt.unlock}, at)
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil) != (err == nil) {
				t.Fatalf("CheckIn error = %v, want %v", err, tt.wantErr)
			}
			l, err := db.DayList(t.Context(), groupEg, yesterday)
			if err != nil {
				t.Fatal(err)
			}
			r, _ := rowOf(l, idBram)
			stored := r.Attendance.CheckIn != nil
			if stored != (tt.wantErr == nil) {
				t.Errorf("check-in stored = %v after error %v", stored, tt.wantErr)
			}
		})
	}

	t.Run("unlock needs a name", func(t *testing.T) {
		if _, err := db.Unlock(t.Context(), yesterday, "  "); !errors.Is(err, data.ErrInvalid) {
			t.Errorf("Unlock without a name: %v, want ErrInvalid", err)
		}
	})
}

func TestAttendanceEdits_A4_Errors(t *testing.T) {
	at := data.NewClock(8, 0)
	today := func(child data.ID) data.DayEdit {
		return data.DayEdit{Date: storeToday, GroupID: groupEg, ChildID: child, By: "Mirjam"}
	}
	tests := []struct {
		name    string
		edit    func(db *boltstore.DB) error
		wantErr error
	}{
		{"check-out before check-in", func(db *boltstore.DB) error { return db.CheckOut(t.Context(), today(idAnna), at) }, data.ErrInvalid},
		{"check-out earlier than check-in", func(db *boltstore.DB) error {
			if err := db.CheckIn(t.Context(), today(idAnna), data.NewClock(9, 0)); err != nil {
				return err
			}
			return db.CheckOut(t.Context(), today(idAnna), data.NewClock(8, 59))
		}, data.ErrInvalid},
		{"check-in on a closing day", func(db *boltstore.DB) error {
			newYear := data.NewDate(2026, time.January, 1)
			u, err := db.Unlock(t.Context(), newYear, "Mirjam")
			if err != nil {
				return err
			}
			e := today(idAnna)
			e.Date, e.Unlock = newYear, u
			return db.CheckIn(t.Context(), e, at)
		}, data.ErrClosedDay},
		{"check-in on a weekend day", func(db *boltstore.DB) error {
			sunday := storeToday.AddDays(-2)
			u, _ := db.Unlock(t.Context(), sunday, "Mirjam")
			e := today(idAnna)
			e.Date, e.Unlock = sunday, u
			return db.CheckIn(t.Context(), e, at)
		}, data.ErrClosedDay},
		{"child not on the list (Fridays only)", func(db *boltstore.DB) error { return db.CheckIn(t.Context(), today(idDewi), at) }, data.ErrNotFound},
		{"child of another group", func(db *boltstore.DB) error { return db.CheckIn(t.Context(), today(idCas), at) }, data.ErrNotFound},
		{"unknown group", func(db *boltstore.DB) error {
			e := today(idAnna)
			e.GroupID = 99
			return db.CheckIn(t.Context(), e, at)
		}, data.ErrNotFound},
		{"no name", func(db *boltstore.DB) error {
			e := today(idAnna)
			e.By = " "
			return db.CheckIn(t.Context(), e, at)
		}, data.ErrInvalid},
		{"check-in tomorrow even unlocked", func(db *boltstore.DB) error {
			tomorrow := storeToday.AddDays(1)
			u, _ := db.Unlock(t.Context(), tomorrow, "Mirjam")
			e := today(idAnna)
			e.Date, e.Unlock = tomorrow, u
			return db.CheckIn(t.Context(), e, at)
		}, data.ErrInvalid},
		{"unknown absence reason", func(db *boltstore.DB) error { return db.MarkAbsent(t.Context(), today(idAnna), "vakantie") }, data.ErrInvalid},
		{"absent while checked in", func(db *boltstore.DB) error {
			if err := db.CheckIn(t.Context(), today(idAnna), at); err != nil {
				return err
			}
			return db.MarkAbsent(t.Context(), today(idAnna), data.AbsenceSick)
		}, data.ErrInvalid},
		{"note too long", func(db *boltstore.DB) error { return db.SetNote(t.Context(), today(idAnna), strings.Repeat("x", 2001)) }, data.ErrInvalid},
		{"set a check-out without check-in", func(db *boltstore.DB) error { return db.SetTimes(t.Context(), today(idAnna), nil, clock(17, 0)) }, data.ErrInvalid},
		{"set times out before in", func(db *boltstore.DB) error { return db.SetTimes(t.Context(), today(idAnna), clock(9, 0), clock(8, 0)) }, data.ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, _ := newStore(t, datatest.Seeded(smallDataset()))
			err := tt.edit(db)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("error = %v, want %v", err, tt.wantErr)
			}
		})
	}
}

func TestMarkAbsent_A1_ChildStaysOnList(t *testing.T) {
	tests := []struct {
		name   string
		reason data.AbsenceReason
		note   string
	}{
		{"sick", data.AbsenceSick, "Koorts"},
		{"day off", data.AbsenceDayOff, ""},
		{"other", data.AbsenceOther, "Bij oma"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, _ := newStore(t, datatest.Seeded(smallDataset()))
			e := data.DayEdit{Date: storeToday, GroupID: groupEg, ChildID: idBram, By: "Mirjam"}
			if err := db.MarkAbsent(t.Context(), e, tt.reason); err != nil {
				t.Fatal(err)
			}
			if tt.note != "" {
				if err := db.SetNote(t.Context(), e, "  "+tt.note+" "); err != nil {
					t.Fatal(err)
				}
			}
			l, err := db.DayList(t.Context(), groupEg, storeToday)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(rowIDs(l), []data.ID{idAnna, idBram}) {
				t.Fatalf("rows %v, want Anna and Bram", rowIDs(l))
			}
			r, _ := rowOf(l, idBram)
			a := r.Attendance
			if !a.Absent || a.AbsenceReason != tt.reason || a.Status() != data.StatusAbsent || a.Note != tt.note {
				t.Errorf("attendance %+v, want absent %q with note %q", a, tt.reason, tt.note)
			}
			if r.Source != data.SourceContract || r.Expected != kdvTimes {
				t.Errorf("row lost its expectation: %+v", r)
			}
			if c := l.Counts(); c != (data.Counts{Expected: 2, Absent: 1, ToCome: 1}) {
				t.Errorf("counts %+v", c)
			}
			// Coming after all lifts the absence.
			if err := db.CheckIn(t.Context(), e, data.NewClock(9, 0)); err != nil {
				t.Fatal(err)
			}
			l, _ = db.DayList(t.Context(), groupEg, storeToday)
			r, _ = rowOf(l, idBram)
			if r.Attendance.Absent || r.Attendance.AbsenceReason != "" || r.Attendance.Status() != data.StatusPresent {
				t.Errorf("after check-in: %+v, want present", r.Attendance)
			}
		})
	}
}

func clock(h, m int) *data.Clock { c := data.NewClock(h, m); return &c }

func TestCheckOut_A4_Flow(t *testing.T) {
	db, _ := newStore(t, datatest.Seeded(smallDataset()))
	e := data.DayEdit{Date: storeToday, GroupID: groupEg, ChildID: idAnna, By: "Mirjam"}
	steps := []struct {
		name    string
		do      func() error
		want    data.Status
		in, out *data.Clock
	}{
		{"check in", func() error { return db.CheckIn(t.Context(), e, data.NewClock(7, 45)) }, data.StatusPresent, clock(7, 45), nil},
		{"check out", func() error { return db.CheckOut(t.Context(), e, data.NewClock(8, 30)) }, data.StatusCheckedOut, clock(7, 45), clock(8, 30)},
		{"correct times", func() error { return db.SetTimes(t.Context(), e, clock(7, 40), clock(8, 35)) }, data.StatusCheckedOut, clock(7, 40), clock(8, 35)},
		{"clear check-out", func() error { return db.SetTimes(t.Context(), e, clock(7, 40), nil) }, data.StatusPresent, clock(7, 40), nil},
		{"clear check-in", func() error { return db.SetTimes(t.Context(), e, nil, nil) }, data.StatusToCome, nil, nil},
	}
	same := func(a, b *data.Clock) bool { return (a == nil) == (b == nil) && (a == nil || *a == *b) }
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			if err := s.do(); err != nil {
				t.Fatal(err)
			}
			l, err := db.DayList(t.Context(), groupEg, storeToday)
			if err != nil {
				t.Fatal(err)
			}
			r, _ := rowOf(l, idAnna)
			a := r.Attendance
			if got := a.Status(); got != s.want {
				t.Errorf("status %q, want %q", got, s.want)
			}
			if !same(a.CheckIn, s.in) || !same(a.CheckOut, s.out) {
				t.Errorf("times %v–%v, want %v–%v", a.CheckIn, a.CheckOut, s.in, s.out)
			}
		})
	}
}

func TestSubscribe_A2_OneChangePerEdit(t *testing.T) {
	db, _ := newStore(t, datatest.Seeded(smallDataset()))
	var mu sync.Mutex
	var got []data.Change
	cancel := datatest.Subscribe(t, db, func(c data.Change) {
		mu.Lock()
		defer mu.Unlock()
		got = append(got, c)
	})
	take := func() []data.Change {
		mu.Lock()
		defer mu.Unlock()
		out := got
		got = nil
		return out
	}
	edit := data.DayEdit{Date: storeToday, GroupID: groupEg, ChildID: idAnna, By: "Mirjam"}
	want := data.Change{Kind: data.ChangeAttendance, Date: storeToday, GroupID: groupEg}
	tests := []struct {
		name string
		do   func() error
		ok   bool
	}{
		{"successful check-in", func() error { return db.CheckIn(t.Context(), edit, data.NewClock(8, 0)) }, true},
		{"failed check-out (before check-in)", func() error { return db.CheckOut(t.Context(), edit, data.NewClock(7, 0)) }, false},
		{"failed edit on a locked date", func() error {
			e := edit
			e.Date = yesterday
			return db.CheckIn(t.Context(), e, data.NewClock(8, 0))
		}, false},
		{"failed edit for a child not on the list", func() error {
			e := edit
			e.ChildID = idDewi
			return db.CheckIn(t.Context(), e, data.NewClock(8, 0))
		}, false},
		{"successful note", func() error { return db.SetNote(t.Context(), edit, "Knuffel vergeten") }, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.do()
			if (err == nil) != tt.ok {
				t.Fatalf("error = %v, want success %v", err, tt.ok)
			}
			changes := take()
			if tt.ok {
				if len(changes) != 1 || changes[0].Kind != want.Kind || changes[0].Date != want.Date || changes[0].GroupID != want.GroupID || changes[0].ChildID != edit.ChildID {
					t.Errorf("changes %+v, want exactly [%+v]", changes, want)
				}
				if !changes[0].Affects(groupEg, storeToday) || changes[0].Affects(groupUi, storeToday) || changes[0].Affects(groupEg, yesterday) {
					t.Errorf("Affects wrong for %+v", changes[0])
				}
			} else if len(changes) != 0 {
				t.Errorf("failed edit published %+v", changes)
			}
		})
	}
	t.Run("nothing after cancel", func(t *testing.T) {
		cancel()
		if err := db.SetNote(t.Context(), edit, "Opgehaald door opa"); err != nil {
			t.Fatal(err)
		}
		if changes := take(); len(changes) != 0 {
			t.Errorf("cancelled subscriber got %+v", changes)
		}
	})
}

func TestOpen_A1_RefusesNewerSchema(t *testing.T) {
	db, path := newStore(t)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	raw, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	err = raw.Update(func(tx *bolt.Tx) error {
		v := make([]byte, 8)
		n := boltstore.SchemaVersion + 1
		for i := 7; i >= 0; i-- {
			v[i] = byte(n)
			n >>= 8
		}
		return tx.Bucket([]byte("meta")).Put([]byte("version"), v)
	})
	if closeErr := raw.Close(); err != nil || closeErr != nil {
		t.Fatal(err, closeErr)
	}
	tests := []struct{ name string }{{"first attempt"}, {"again: the failed open released the file"}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, err := boltstore.Open(path, boltstore.WithClock(fixedClock))
			if err == nil {
				db.Close()
				t.Fatal("Open of a newer file succeeded")
			}
			if !errors.Is(err, data.ErrTooNew) {
				t.Errorf("error = %v, want ErrTooNew", err)
			}
		})
	}
}

func TestSaveSettings_R1_WindowMustRunDownwards(t *testing.T) {
	tests := []struct {
		name    string
		mutate  func(*data.Settings)
		wantErr error
	}{
		{"defaults", func(*data.Settings) {}, nil},
		{"other valid window", func(s *data.Settings) { s.ParentRequestFromDays, s.ParentRequestUntilDays = 21, 2 }, nil},
		{"window upwards", func(s *data.Settings) { s.ParentRequestFromDays, s.ParentRequestUntilDays = 4, 28 }, data.ErrInvalid},
		{"negative until", func(s *data.Settings) { s.ParentRequestUntilDays = -1 }, data.ErrInvalid},
		{"credit expiring at once", func(s *data.Settings) { s.CreditExpiryDays = 0 }, data.ErrInvalid},
		{"holiday day ending before it starts", func(s *data.Settings) {
			s.HolidayDay = data.TimeRange{From: data.NewClock(18, 0), Until: data.NewClock(8, 0)}
		}, data.ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, _ := newStore(t)
			s := data.DefaultSettings()
			tt.mutate(&s)
			err := db.SaveSettings(t.Context(), s)
			if !errors.Is(err, tt.wantErr) || (err == nil) != (tt.wantErr == nil) {
				t.Fatalf("SaveSettings error = %v, want %v", err, tt.wantErr)
			}
			stored, err := db.Settings(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			want := s
			if tt.wantErr != nil {
				want = data.DefaultSettings()
			}
			if stored != want {
				t.Errorf("stored settings %+v, want %+v", stored, want)
			}
		})
	}
}

func TestDayList_A1_RecordsWithoutExpectationStay(t *testing.T) {
	// A record for a child no longer expected (the Fridays-only child was recorded on
	// Tuesday before the contract changed) stays on the list: nothing recorded disappears.
	db, _ := newStore(t)
	ds := smallDataset()
	ds.Records = []data.DayRecord{{Date: storeToday, GroupID: groupEg, ChildID: idDewi,
		Attendance: data.Attendance{Note: "kwam toch", UpdatedBy: "Mirjam", UpdatedAt: storeNow}}}
	if err := db.Seed(t.Context(), ds); err != nil {
		t.Fatal(err)
	}
	l, err := db.DayList(t.Context(), groupEg, storeToday)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(rowIDs(l), []data.ID{idAnna, idBram, idDewi}) {
		t.Fatalf("rows %v, want Anna, Bram, then the recorded Dewi", rowIDs(l))
	}
	r, _ := rowOf(l, idDewi)
	if r.Source != "" || r.Attendance.Note != "kwam toch" {
		t.Errorf("unplanned row %+v", r)
	}
}

func TestDayList_A1_SchoolHolidayInStore(t *testing.T) {
	db, _ := newStore(t, datatest.Seeded(smallDataset()))
	tests := []struct {
		name string
		d    data.Date
		want []data.ID
	}{
		{"school day", storeToday, []data.ID{idCas}},
		{"spring holiday of Cas's school", data.NewDate(2026, time.February, 17), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := db.DayList(t.Context(), groupUi, tt.d)
			if err != nil {
				t.Fatal(err)
			}
			if l.Closed || !slices.Equal(rowIDs(l), tt.want) {
				t.Errorf("closed %v rows %v, want open with %v", l.Closed, rowIDs(l), tt.want)
			}
		})
	}
}
