package demo_test

import (
	"path/filepath"
	"reflect"
	"slices"
	"testing"
	"time"

	"locatiedesk/data/boltstore"

	"locatiedesk/data"
	"locatiedesk/data/demo"
)

func TestBuild_A1_Deterministic(t *testing.T) {
	tests := []struct {
		name  string
		today data.Date
	}{
		{"school day", data.NewDate(2026, time.March, 10)},
		{"summer holiday", data.NewDate(2026, time.July, 22)},
		{"new year", data.NewDate(2027, time.January, 4)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b := demo.Build(tt.today), demo.Build(tt.today)
			if !reflect.DeepEqual(a, b) {
				t.Fatal("two builds for the same date differ")
			}
			if len(a.Records) == 0 {
				t.Error("no absences in the demo")
			}
		})
	}
}

func TestBuild_A1_Shape(t *testing.T) {
	today := data.NewDate(2026, time.March, 10)
	ds := demo.Build(today)

	care := map[data.CareType]int{}
	groupCare := map[data.ID]data.CareType{}
	for _, g := range ds.Groups {
		care[g.Care]++
		groupCare[g.ID] = g.Care
	}
	if care[data.KDV] < 2 || care[data.BSO] < 2 {
		t.Errorf("groups per care type %v, want at least 2 KDV and 2 BSO", care)
	}
	if len(ds.Children) < 60 {
		t.Errorf("%d children, want at least 60", len(ds.Children))
	}

	t.Run("names", func(t *testing.T) {
		first := map[string]bool{}
		for _, c := range ds.Children {
			first[c.FirstName] = true
		}
		for _, name := range []string{"Zoë", "Daniël", "Łukasz", "Ayşe", "Noë"} {
			if !first[name] {
				t.Errorf("no child named %s", name)
			}
		}
	})

	t.Run("every product", func(t *testing.T) {
		seen := map[data.Product]bool{}
		for _, c := range ds.Contracts {
			seen[c.Product] = true
		}
		for _, p := range data.Products {
			if !seen[p] {
				t.Errorf("no contract for product %s", p)
			}
		}
	})

	t.Run("references and IDs", func(t *testing.T) {
		children := map[data.ID]data.Child{}
		for _, c := range ds.Children {
			if _, dup := children[c.ID]; dup || c.ID == 0 {
				t.Errorf("child ID %d repeated or zero", c.ID)
			}
			children[c.ID] = c
		}
		ids := map[data.ID]bool{}
		for _, c := range ds.Contracts {
			if ids[c.ID] || c.ID == 0 {
				t.Errorf("contract ID %d repeated or zero", c.ID)
			}
			ids[c.ID] = true
			child, ok := children[c.ChildID]
			if !ok {
				t.Errorf("contract %d: unknown child %d", c.ID, c.ChildID)
			}
			if err := c.Validate(); err != nil {
				t.Errorf("contract %d: %v", c.ID, err)
			}
			if groupCare[c.GroupID] == data.BSO && child.SchoolID == 0 {
				t.Errorf("BSO child %s has no school", child.Name())
			}
		}
	})

	t.Run("a child moved group two weeks ago", func(t *testing.T) {
		// Child 4 (Ayşe) was in the babies' group until 15 days ago.
		var before, now []data.ID
		for _, c := range ds.Contracts {
			if c.ChildID == 4 && c.Runs(today) {
				now = append(now, c.GroupID)
			}
			if c.ChildID == 4 && c.Runs(today.AddDays(-15)) {
				before = append(before, c.GroupID)
			}
		}
		if !slices.Equal(before, []data.ID{1}) || !slices.Equal(now, []data.ID{2}) {
			t.Errorf("child 4 in groups %v 15 days ago and %v today, want [1] and [2]", before, now)
		}
	})

	t.Run("absences only for expected children", func(t *testing.T) {
		children := map[data.ID]data.Child{}
		for _, c := range ds.Children {
			children[c.ID] = c
		}
		cal := data.Calendar{ClosingDays: ds.ClosingDays, Holidays: ds.Holidays}
		for _, r := range ds.Records {
			if r.Date.After(today) || r.Date.Before(today.AddDays(-14)) {
				t.Errorf("record on %v, outside the last two weeks", r.Date)
			}
			var g data.Group
			for _, gr := range ds.Groups {
				if gr.ID == r.GroupID {
					g = gr
				}
			}
			p := data.PlanDay(r.Date, g, ds.Contracts, nil, children, cal, ds.Settings)
			if !slices.ContainsFunc(p.Expected, func(e data.Expectation) bool { return e.ChildID == r.ChildID }) {
				t.Errorf("absence of child %d on %v in group %d, not expected there", r.ChildID, r.Date, r.GroupID)
			}
			if !r.Attendance.Absent || !r.Attendance.AbsenceReason.Valid() {
				t.Errorf("record %+v is not an absence with a reason", r)
			}
		}
	})
}

func TestSchoolHolidays_A1_RegionMidden(t *testing.T) {
	tests := []struct {
		name  string
		today data.Date
		// want names the first day of some holidays: Saturday before the first Monday.
		want map[string]data.Date
	}{
		{"school year 2025/26", data.NewDate(2026, time.March, 10), map[string]data.Date{
			"Herfstvakantie":    data.NewDate(2025, time.October, 18),
			"Kerstvakantie":     data.NewDate(2025, time.December, 20),
			"Voorjaarsvakantie": data.NewDate(2026, time.February, 14),
			"Meivakantie":       data.NewDate(2026, time.April, 18),
		}},
		{"school year 2026/27", data.NewDate(2026, time.September, 1), map[string]data.Date{
			"Herfstvakantie":    data.NewDate(2026, time.October, 17),
			"Voorjaarsvakantie": data.NewDate(2027, time.February, 20),
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := map[string]data.Date{}
			for _, h := range demo.SchoolHolidays(tt.today) {
				if h.From.Weekday() != time.Saturday || h.To.Weekday() != time.Sunday {
					t.Errorf("%s runs %v (%v) to %v (%v), want Saturday to Sunday", h.Name, h.From, h.From.Weekday(), h.To, h.To.Weekday())
				}
				if _, ok := got[h.Name]; !ok {
					got[h.Name] = h.From
				}
			}
			for name, from := range tt.want {
				if got[name] != from {
					t.Errorf("%s starts %v, want %v", name, got[name], from)
				}
			}
		})
	}
}

func TestBuild_A1_SeedsIntoStore(t *testing.T) {
	today := data.NewDate(2026, time.March, 10)
	now := today.Time(data.NewClock(9, 0), time.Local)
	db, err := boltstore.Open(filepath.Join(t.TempDir(), "demo.db"), boltstore.WithClock(func() time.Time { return now }))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ds := demo.Build(today)
	if err := db.Seed(t.Context(), ds); err != nil {
		t.Fatalf("Seed demo: %v", err)
	}
	tests := []struct {
		name string
		got  func() (int, error)
		want int
	}{
		{"locations", func() (int, error) { l, err := db.Locations(t.Context()); return len(l), err }, len(ds.Locations)},
		{"groups", func() (int, error) { g, err := db.Groups(t.Context(), 1); return len(g), err }, len(ds.Groups)},
		{"children", func() (int, error) { c, err := db.Children(t.Context(), 1); return len(c), err }, len(ds.Children)},
		{"schools", func() (int, error) { s, err := db.Schools(t.Context()); return len(s), err }, len(ds.Schools)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, err := tt.got()
			if err != nil || n != tt.want {
				t.Errorf("%d, %v; want %d", n, err, tt.want)
			}
		})
	}
	t.Run("group by name", func(t *testing.T) {
		g, err := db.GroupByName(t.Context(), demo.LocationName+"/"+demo.GroupBSOOld)
		if err != nil || g.Care != data.BSO {
			t.Errorf("GroupByName: %+v, %v", g, err)
		}
	})
	t.Run("today's absences show on the lists", func(t *testing.T) {
		for _, r := range ds.Records {
			if r.Date != today {
				continue
			}
			l, err := db.DayList(t.Context(), r.GroupID, today)
			if err != nil {
				t.Fatal(err)
			}
			i := slices.IndexFunc(l.Rows, func(row data.DayRow) bool { return row.Child.ID == r.ChildID })
			if i < 0 || l.Rows[i].Attendance.Status() != data.StatusAbsent || l.Rows[i].Attendance.AbsenceReason != r.Attendance.AbsenceReason {
				t.Errorf("child %d not shown absent (%s) in group %d", r.ChildID, r.Attendance.AbsenceReason, r.GroupID)
			}
		}
	})
}

func TestBuild_S1_StudyDayWithSignUps(t *testing.T) {
	for _, today := range []data.Date{data.NewDate(2026, time.March, 10), data.NewDate(2026, time.November, 25), data.NewDate(2027, time.January, 4)} {
		t.Run(today.String(), func(t *testing.T) {
			ds := demo.Build(today)
			if len(ds.StudyDays) != 1 || len(ds.SignUps) != 2 {
				t.Fatalf("%d study days and %d sign-ups, want 1 and 2", len(ds.StudyDays), len(ds.SignUps))
			}
			sd := ds.StudyDays[0]
			if days := today.DaysUntil(sd.Date); days < 1 || days > 14 {
				t.Errorf("study day %v is %d days away, want within the next two weeks", sd.Date, days)
			}
			now := today.Time(data.NewClock(9, 0), time.Local)
			db, err := boltstore.Open(filepath.Join(t.TempDir(), "demo.db"), boltstore.WithClock(func() time.Time { return now }))
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if err := db.Seed(t.Context(), ds); err != nil {
				t.Fatalf("Seed: %v", err)
			}
			sheet, err := db.StudyDaySheet(t.Context(), 1, sd.SchoolID, sd.Date)
			if err != nil || sheet.SignedUp() != 2 || sheet.State() != data.StateBelowMinimum {
				t.Fatalf("sheet: %d signed up, state %q (%v); want 2, below the minimum", sheet.SignedUp(), sheet.State(), err)
			}
			for _, su := range ds.SignUps {
				l, err := db.DayList(t.Context(), su.GroupID, sd.Date)
				if err != nil {
					t.Fatal(err)
				}
				i := slices.IndexFunc(l.Rows, func(r data.DayRow) bool { return r.Child.ID == su.ChildID })
				if i < 0 || l.Rows[i].Source != data.SourceStudyDay || l.Rows[i].Expected != su.Times {
					t.Errorf("signed-up child %d not on the list of group %d as a study-day child", su.ChildID, su.GroupID)
				}
			}
		})
	}
}
