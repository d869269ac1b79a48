package boltstore_test

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"slices"
	"testing"
	"time"

	"locatiedesk/data/datatest"

	bolt "go.etcd.io/bbolt"

	"locatiedesk/data"
	"locatiedesk/data/demo"
)

func TestRegisterHolidayContract_V2_InStore(t *testing.T) {
	db, _ := newStore(t, datatest.Seeded(studyDataset()))
	t.Run("too late: refused, naming the deadline, nothing stored", func(t *testing.T) {
		_, err := db.RegisterHolidayContract(t.Context(), data.HolidayContractRequest{ChildID: idCas, HolidayID: holEarly, CreditDays: 5})
		var de *data.DeadlineError
		if !errors.As(err, &de) || de.Deadline != data.NewDate(2026, time.February, 27) {
			t.Fatalf("error %v, want a deadline of 27 February", err)
		}
		if cs, _ := db.Contracts(t.Context(), idCas); len(cs) != 1 {
			t.Errorf("Cas has %d contracts after a refused one", len(cs))
		}
	})
	t.Run("in time: a year's credit from the holiday on, in the child's group", func(t *testing.T) {
		c, err := db.RegisterHolidayContract(t.Context(), data.HolidayContractRequest{ChildID: idCas, HolidayID: holMay, CreditDays: 10})
		if err != nil {
			t.Fatal(err)
		}
		want := data.Contract{ID: c.ID, ChildID: idCas, GroupID: groupUi, Product: data.ProductBSOHoliday,
			Start: data.NewDate(2026, time.April, 18), End: data.NewDate(2027, time.April, 17), CreditDays: 10}
		if c.ID == 0 || !contractEqual(c, want) {
			t.Errorf("contract %+v, want %+v", c, want)
		}
		cs, _ := db.Contracts(t.Context(), idCas)
		if len(cs) != 2 || !contractEqual(cs[1], want) {
			t.Errorf("stored contracts %+v", cs)
		}
		// A holiday contract gives credit, not fixed days: the school-weeks child stays off the holiday's list.
		if l, _ := db.DayList(t.Context(), groupUi, data.NewDate(2026, time.April, 21)); slices.Contains(rowIDs(l), idCas) {
			t.Error("Cas expected in the holiday without a booked day")
		}
	})
	refusals := []struct {
		name string
		req  data.HolidayContractRequest
	}{
		{"a second one over the same holiday", data.HolidayContractRequest{ChildID: idCas, HolidayID: holMay, CreditDays: 3}},
		{"a 52-weeks child", data.HolidayContractRequest{ChildID: idEva, HolidayID: holMay, CreditDays: 3}},
		{"a holiday of another school", data.HolidayContractRequest{ChildID: idFinn, HolidayID: holMay, CreditDays: 3}},
		{"a daycare child", data.HolidayContractRequest{ChildID: idAnna, HolidayID: holMay, CreditDays: 3}},
		{"no days", data.HolidayContractRequest{ChildID: idGijs, HolidayID: holMay, CreditDays: 0}},
	}
	for _, tt := range refusals {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := db.RegisterHolidayContract(t.Context(), tt.req); !errors.Is(err, data.ErrInvalid) {
				t.Errorf("error %v, want ErrInvalid", err)
			}
		})
	}
}

func contractEqual(a, b data.Contract) bool {
	return a.ID == b.ID && a.ChildID == b.ChildID && a.GroupID == b.GroupID && a.Product == b.Product &&
		a.Start == b.Start && a.End == b.End && a.CreditDays == b.CreditDays && len(a.Days) == 0 && len(b.Days) == 0
}

func TestHolidayOverview_V2_ParentsToReach(t *testing.T) {
	db, path := newStore(t, datatest.Seeded(studyDataset()))
	if _, err := db.RegisterHolidayContract(t.Context(), data.HolidayContractRequest{ChildID: idGijs, HolidayID: holMay, CreditDays: 10}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	// Inès (the other location) has a holiday day booked: an approved request in the extras.
	putExtra(t, path, data.Extra{ChildID: idIns, GroupID: groupSp, Date: data.NewDate(2026, time.April, 22),
		Times: data.DefaultSettings().HolidayDay, Source: data.SourceRequest})
	db, _ = newStore(t, datatest.Path(path))

	o, err := db.HolidayOverview(t.Context(), wilgen, holMay)
	if err != nil {
		t.Fatal(err)
	}
	if o.Deadline != data.NewDate(2026, time.March, 14) || o.DaysLeft != 4 {
		t.Errorf("deadline %v in %d days, want 14 March in 4 days", o.Deadline, o.DaysLeft)
	}
	type row struct {
		id    data.ID
		cover data.HolidayCover
	}
	var got []row
	for _, c := range o.Children {
		got = append(got, row{c.Child.ID, c.Cover})
	}
	// Cas first (no cover: reach his parents), then by name; Eva (52 weeks)
	// and Finn (another school) are not in it.
	want := []row{{idCas, data.CoverNone}, {idGijs, data.CoverContract}, {idIns, data.CoverBooking}}
	if !slices.Equal(got, want) || o.Uncovered() != 1 {
		t.Errorf("children %+v (uncovered %d), want %+v", got, o.Uncovered(), want)
	}
	early, err := db.HolidayOverview(t.Context(), wilgen, holEarly)
	if err != nil || early.DaysLeft != -11 {
		t.Errorf("Goede Vrijdag: %d days left (%v), want -11: the deadline passed 11 days ago", early.DaysLeft, err)
	}
}

// TestDayList_A1_DemoHolidayDay checks the BSO lists on a day of the demo's
// Christmas holiday: school-weeks children are not expected, 52-weeks
// children are with whole-day times, and a booked day is.
func TestDayList_A1_DemoHolidayDay(t *testing.T) {
	today := data.NewDate(2026, time.November, 25)
	day := data.NewDate(2026, time.December, 22) // a Tuesday in the Kerstvakantie
	ds := demo.Build(today)
	db, path := datatest.Open(t, datatest.At(today.Time(data.NewClock(9, 0), time.Local)), datatest.Seeded(ds))
	db.Close()

	product := map[data.ID]data.Product{}
	hasTuesday := map[data.ID]bool{}
	var booked data.Contract
	for _, c := range ds.Contracts {
		if c.Product != data.ProductBSOSchoolWeeks && c.Product != data.ProductBSO52Weeks || !c.Runs(day) {
			continue
		}
		product[c.ChildID] = c.Product
		hasTuesday[c.ChildID] = slices.ContainsFunc(c.Days, func(d data.ContractDay) bool { return d.Weekday == time.Tuesday })
		if c.Product == data.ProductBSOSchoolWeeks && booked.ID == 0 {
			booked = c
		}
	}
	bookedTimes := data.TimeRange{From: data.NewClock(8, 0), Until: data.NewClock(16, 30)}
	putExtra(t, path, data.Extra{ChildID: booked.ChildID, GroupID: booked.GroupID, Date: day, Times: bookedTimes, Source: data.SourceRequest})
	db, _ = datatest.Open(t, datatest.Path(path))

	fiftyTwo := 0
	for _, g := range []data.ID{3, 4} {
		l, err := db.DayList(t.Context(), g, day)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range l.Rows {
			switch {
			case r.Child.ID == booked.ChildID:
				if r.Source != data.SourceRequest || r.Expected != bookedTimes {
					t.Errorf("booked child %s: %+v", r.Child.Name(), r)
				}
			case product[r.Child.ID] == data.ProductBSO52Weeks:
				fiftyTwo++
				if r.Expected != ds.Settings.HolidayDay || !hasTuesday[r.Child.ID] {
					t.Errorf("52-weeks child %s expected %v (Tuesday contract %v), want the whole day %v", r.Child.Name(), r.Expected, hasTuesday[r.Child.ID], ds.Settings.HolidayDay)
				}
			default:
				t.Errorf("%s (%s) on the list of a holiday day", r.Child.Name(), product[r.Child.ID])
			}
		}
	}
	want := 0
	for id, p := range product {
		if p == data.ProductBSO52Weeks && hasTuesday[id] {
			want++
		}
	}
	if fiftyTwo != want || want == 0 {
		t.Errorf("%d 52-weeks children on the lists, want %d (all with a Tuesday)", fiftyTwo, want)
	}
	if _, ok := product[booked.ChildID]; !ok || booked.ID == 0 {
		t.Fatal("the demo has no school-weeks child to book")
	}
}

// putExtra writes an extra straight into a closed data file, as an approved
// holiday-day request will (built by another feature).
func putExtra(t *testing.T, path string, e data.Extra) {
	t.Helper()
	b, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	key := func(id data.ID) []byte {
		k := make([]byte, 8)
		binary.BigEndian.PutUint64(k, uint64(id))
		return k
	}
	err = b.Update(func(tx *bolt.Tx) error {
		day, err := tx.Bucket([]byte("extras")).CreateBucketIfNotExists([]byte(e.Date.String()))
		if err != nil {
			return err
		}
		group, err := day.CreateBucketIfNotExists(key(e.GroupID))
		if err != nil {
			return err
		}
		raw, err := json.Marshal(e)
		if err != nil {
			return err
		}
		return group.Put(key(e.ChildID), raw)
	})
	if err != nil {
		t.Fatal(err)
	}
}
