package data_test

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"locatiedesk/data"
	"locatiedesk/data/demo"
)

// The benchmarks read a location of 200 children in 8 groups with an
// attendance record for every expected child on every open day of 1 or 5
// years of history. Building such a file takes seconds, so each is built
// once per test binary and removed by TestMain.

var (
	benchNow   = time.Date(2026, time.March, 10, 9, 0, 0, 0, time.Local)
	benchToday = data.DateOf(benchNow)
	benchDate  = benchToday.AddDays(-7) // Tuesday 3 March 2026: a school day in the last month
	benchGroup = data.ID(5)             // a BSO group: reads contracts, records and school holidays
)

type benchFile struct {
	path      string
	records   int // attendance records in the whole file
	contracts int // contracts of benchGroup, over all years
	dayKeys   int // attendance records of benchGroup on benchDate
}

var bench struct {
	mu    sync.Mutex
	dir   string
	files map[int]benchFile
}

func TestMain(m *testing.M) {
	code := m.Run()
	if bench.dir != "" {
		os.RemoveAll(bench.dir)
	}
	os.Exit(code)
}

// benchFixture returns the data file with the given years of history, building it once.
func benchFixture(b *testing.B, years int) benchFile {
	b.Helper()
	bench.mu.Lock()
	defer bench.mu.Unlock()
	if f, ok := bench.files[years]; ok {
		return f
	}
	if bench.dir == "" {
		dir, err := os.MkdirTemp("", "locatiedesk-bench-")
		if err != nil {
			b.Fatal(err)
		}
		bench.dir, bench.files = dir, map[int]benchFile{}
	}
	start := time.Now()
	ds := benchDataset(years)
	f := benchFile{path: filepath.Join(bench.dir, fmt.Sprintf("years-%d.db", years)), records: len(ds.Records)}
	for _, c := range ds.Contracts {
		if c.GroupID == benchGroup {
			f.contracts++
		}
	}
	for _, r := range ds.Records {
		if r.Date == benchDate && r.GroupID == benchGroup {
			f.dayKeys++
		}
	}
	db, err := data.Open(f.path, data.WithClock(func() time.Time { return benchNow }))
	if err != nil {
		b.Fatal(err)
	}
	if err := db.Seed(ds); err != nil {
		db.Close()
		b.Fatal(err)
	}
	if err := db.Close(); err != nil {
		b.Fatal(err)
	}
	info, _ := os.Stat(f.path)
	b.Logf("years=%d: %d records, %d contracts in group %d, %d on the list of %s, file %.1f MB, built in %v",
		years, f.records, f.contracts, benchGroup, f.dayKeys, benchDate, float64(info.Size())/1e6, time.Since(start).Round(time.Millisecond))
	if f.dayKeys == 0 {
		b.Fatalf("no records on %s in group %d", benchDate, benchGroup)
	}
	bench.files[years] = f
	return f
}

// benchDataset builds the location: 8 groups (4 KDV, 4 BSO) of 25 children,
// each child with a contract per year of history (days change each year),
// some Qflexibel and holiday contracts, two schools with their holidays, the
// public holidays, and a record for every child PlanDay expects on every open day.
func benchDataset(years int) data.Dataset {
	rng := rand.New(rand.NewPCG(uint64(years), 2026))
	from := benchToday.AddDays(-365 * years)
	ds := data.Dataset{
		Settings:  data.DefaultSettings(),
		Locations: []data.Location{{ID: 1, Name: "Benchmark"}},
		Schools:   []data.School{{ID: 1, Name: "School A"}, {ID: 2, Name: "School B"}},
	}
	for g := 1; g <= 8; g++ {
		care := data.KDV
		if g > 4 {
			care = data.BSO
		}
		ds.Groups = append(ds.Groups, data.Group{ID: data.ID(g), LocationID: 1, Name: fmt.Sprintf("Groep %d", g), Care: care, Capacity: 30})
	}
	for y := from.Year; y <= benchToday.Year; y++ {
		ds.ClosingDays = append(ds.ClosingDays, data.PublicHolidays(y)...)
	}
	seenHoliday := map[data.Date]bool{}
	var holidays []data.SchoolHoliday
	for y := from.Year - 1; y <= benchToday.Year; y++ {
		for _, h := range demo.SchoolHolidays(data.NewDate(y, time.September, 1)) {
			if !seenHoliday[h.From] {
				seenHoliday[h.From] = true
				holidays = append(holidays, h)
			}
		}
	}
	for _, s := range ds.Schools {
		for i, h := range holidays {
			h.SchoolID = s.ID
			h.ID = data.ID(len(ds.Holidays) + 1)
			if s.ID == 2 && i%2 == 0 { // school B's holidays start a week later now and then
				h.From, h.To = h.From.AddDays(7), h.To.AddDays(7)
			}
			ds.Holidays = append(ds.Holidays, h)
		}
	}

	all := []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday}
	for i := range 200 {
		id := data.ID(i + 1)
		group := data.ID(i%8 + 1)
		child := data.Child{ID: id, LocationID: 1, FirstName: fmt.Sprintf("Kind%03d", i), LastName: "Test",
			BirthDate: benchToday.AddDays(-400 - i*10)}
		bso := group > 4
		if bso {
			child.SchoolID = data.ID(1 + i%2)
		}
		ds.Children = append(ds.Children, child)
		for y := range years {
			rng.Shuffle(len(all), func(a, b int) { all[a], all[b] = all[b], all[a] })
			n := 2 + rng.IntN(3)
			var cdays []data.ContractDay
			for _, wd := range all[:n] {
				times := kdvTimes
				if bso {
					times = bsoTimes
				}
				cdays = append(cdays, data.ContractDay{Weekday: wd, Times: times})
			}
			c := data.Contract{ChildID: id, GroupID: group, Product: data.ProductKDV, Days: cdays,
				Start: from.AddDays(365 * y), End: from.AddDays(365*(y+1) - 1)}
			if y == years-1 {
				c.End = data.Date{} // the running contract is open-ended
			}
			if bso {
				c.Product = data.ProductBSOSchoolWeeks
				if i%3 == 0 {
					c.Product = data.ProductBSO52Weeks
				}
			}
			c.ID = data.ID(len(ds.Contracts) + 1)
			ds.Contracts = append(ds.Contracts, c)
			if i%5 == 0 { // a credit contract beside it
				credit := data.Contract{ID: data.ID(len(ds.Contracts) + 1), ChildID: id, GroupID: group, Start: c.Start, End: c.End}
				if bso {
					credit.Product, credit.CreditDays = data.ProductBSOHoliday, 10
				} else {
					credit.Product, credit.CreditHours = data.ProductQflexibel, 40
				}
				ds.Contracts = append(ds.Contracts, credit)
			}
		}
	}

	// Every child has a few consent answers, so the list reads a real current level.
	levels := []data.ConsentLevel{data.ConsentPortal, data.ConsentPublic, data.ConsentNone}
	for i, c := range ds.Children {
		for k := range 1 + i%3 {
			given := from.AddDays(30 + 100*k)
			ds.Consents = append(ds.Consents, data.ConsentChange{ChildID: c.ID, Level: levels[(i+k)%3], Given: given,
				Source: data.ConsentFromParentApp, RecordedBy: "ouderportaal", RecordedAt: given.Time(data.NewClock(10, 0), time.Local)})
		}
	}

	children := map[data.ID]data.Child{}
	for _, c := range ds.Children {
		children[c.ID] = c
	}
	byGroup := map[data.ID][]data.Contract{}
	for _, c := range ds.Contracts {
		byGroup[c.GroupID] = append(byGroup[c.GroupID], c)
	}
	cal := data.Calendar{ClosingDays: ds.ClosingDays, Holidays: ds.Holidays}
	updatedAt := benchNow.Add(-time.Hour)
	for d := from; !d.After(benchToday); d = d.AddDays(1) {
		for _, g := range ds.Groups {
			plan := data.PlanDay(d, g, byGroup[g.ID], nil, children, cal, ds.Settings)
			for _, e := range plan.Expected {
				var a data.Attendance
				if rng.IntN(15) == 0 {
					a = data.Attendance{Absent: true, AbsenceReason: data.AbsenceSick, Note: "Ziek gemeld"}
				} else {
					in, out := e.Times.From+data.Clock(rng.IntN(20)), e.Times.Until-data.Clock(rng.IntN(40))
					a = data.Attendance{CheckIn: &in, CheckOut: &out}
				}
				a.UpdatedBy, a.UpdatedAt = "pm-er", updatedAt
				ds.Records = append(ds.Records, data.DayRecord{Date: d, GroupID: g.ID, ChildID: e.ChildID, Attendance: a})
			}
		}
	}
	return ds
}

func BenchmarkDayList(b *testing.B) {
	for _, years := range []int{1, 5} {
		b.Run(fmt.Sprintf("years=%d", years), func(b *testing.B) {
			f := benchFixture(b, years)
			db, err := data.Open(f.path, data.WithClock(func() time.Time { return benchNow }))
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			l, err := db.DayList(benchGroup, benchDate)
			if err != nil {
				b.Fatal(err)
			}
			if l.Closed || len(l.Rows) != f.dayKeys {
				b.Fatalf("list of %s: closed %v, %d rows; want open with %d", benchDate, l.Closed, len(l.Rows), f.dayKeys)
			}
			for _, r := range l.Rows {
				if r.Source != data.SourceContract || r.Attendance.UpdatedBy != "pm-er" || !r.Consent.IsAnswer() {
					b.Fatalf("row %+v: want a contract child with a record", r)
				}
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := db.DayList(benchGroup, benchDate); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkBareBoltRead_DayKeys is the floor under BenchmarkDayList: one read
// transaction that walks the same attendance records, without decoding.
func BenchmarkBareBoltRead_DayKeys(b *testing.B) {
	dateKey := []byte(benchDate.String())
	groupKey := make([]byte, 8)
	for i, v := 7, uint64(benchGroup); i >= 0; i, v = i-1, v>>8 {
		groupKey[i] = byte(v)
	}
	for _, years := range []int{1, 5} {
		b.Run(fmt.Sprintf("years=%d", years), func(b *testing.B) {
			f := benchFixture(b, years) // the fixture's data.DB is closed: bbolt can take the file
			db, err := bolt.Open(f.path, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			read := func() (int, int, error) {
				keys, size := 0, 0
				err := db.View(func(tx *bolt.Tx) error {
					bucket := tx.Bucket([]byte("attendance")).Bucket(dateKey).Bucket(groupKey)
					if bucket == nil {
						return fmt.Errorf("no attendance bucket for %s group %d", benchDate, benchGroup)
					}
					return bucket.ForEach(func(k, v []byte) error {
						keys++
						size += len(k) + len(v)
						return nil
					})
				})
				return keys, size, err
			}
			if keys, _, err := read(); err != nil || keys != f.dayKeys {
				b.Fatalf("read %d keys, %v; want %d", keys, err, f.dayKeys)
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, _, err := read(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
