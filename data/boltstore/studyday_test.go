package boltstore_test

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"path/filepath"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"locatiedesk/data/boltstore"
	"locatiedesk/data/datatest"

	bolt "go.etcd.io/bbolt"

	"locatiedesk/data"
)

// Children and places the study-day and holiday tests add to smallDataset.
const (
	idEva    data.ID = 5 // BSO Uilen, 52 weeks, De Wilgen
	idFinn   data.ID = 6 // BSO Uilen, school weeks, De Linde (no study day)
	idGijs   data.ID = 7 // BSO Uilen, school weeks, De Wilgen, Tuesdays only
	idIns    data.ID = 8 // BSO Spechten at the other location, school weeks, De Wilgen
	idHajar  data.ID = 9 // BSO Uilen, school weeks, De Linde, Tuesdays only
	groupSp  data.ID = 3
	wilgen   data.ID = 1
	linde    data.ID = 2
	locEik   data.ID = 2
	holMay   data.ID = 2 // Meivakantie of De Wilgen: its deadline (14 March) is still to come
	holEarly data.ID = 3 // Goede Vrijdag of De Wilgen: its deadline (27 February) has passed
)

// studyDay is Thursday 19 March 2026, a study day of De Wilgen.
var studyDay = data.NewDate(2026, time.March, 19)

func studyDataset() data.Dataset {
	ds := smallDataset()
	start := data.NewDate(2025, time.September, 1)
	ds.Locations = append(ds.Locations, data.Location{ID: locEik, Name: "De Eik"})
	ds.Groups = append(ds.Groups, data.Group{ID: groupSp, LocationID: locEik, Name: "Spechten", Care: data.BSO, Capacity: 20})
	ds.Schools = append(ds.Schools, data.School{ID: linde, Name: "De Linde"})
	ds.Children = append(ds.Children,
		data.Child{ID: idEva, LocationID: 1, FirstName: "Eva", LastName: "Dvořák", BirthDate: data.NewDate(2018, time.May, 5), SchoolID: wilgen},
		data.Child{ID: idFinn, LocationID: 1, FirstName: "Finn", LastName: "Öztürk", BirthDate: data.NewDate(2017, time.June, 6), SchoolID: linde},
		data.Child{ID: idGijs, LocationID: 1, FirstName: "Gijs", LastName: "Łukasik", BirthDate: data.NewDate(2019, time.July, 7), SchoolID: wilgen},
		data.Child{ID: idIns, LocationID: locEik, FirstName: "Inès", LastName: "García", BirthDate: data.NewDate(2018, time.August, 8), SchoolID: wilgen},
		data.Child{ID: idHajar, LocationID: 1, FirstName: "Hajar", LastName: "El Amrani", BirthDate: data.NewDate(2017, time.September, 9), SchoolID: linde},
	)
	ds.Contracts = append(ds.Contracts,
		data.Contract{ID: 5, ChildID: idEva, GroupID: groupUi, Product: data.ProductBSO52Weeks, Days: days(bsoTimes, weekdaysAll...), Start: start},
		data.Contract{ID: 6, ChildID: idFinn, GroupID: groupUi, Product: data.ProductBSOSchoolWeeks, Days: days(bsoTimes, weekdaysAll...), Start: start},
		data.Contract{ID: 7, ChildID: idGijs, GroupID: groupUi, Product: data.ProductBSOSchoolWeeks, Days: days(bsoTimes, time.Tuesday), Start: start},
		data.Contract{ID: 8, ChildID: idIns, GroupID: groupSp, Product: data.ProductBSOSchoolWeeks, Days: days(bsoTimes, weekdaysAll...), Start: start},
		data.Contract{ID: 9, ChildID: idHajar, GroupID: groupUi, Product: data.ProductBSOSchoolWeeks, Days: days(bsoTimes, time.Tuesday), Start: start},
	)
	ds.Holidays = append(ds.Holidays,
		data.SchoolHoliday{ID: holMay, SchoolID: wilgen, Name: "Meivakantie", From: data.NewDate(2026, time.April, 18), To: data.NewDate(2026, time.May, 3)},
		data.SchoolHoliday{ID: holEarly, SchoolID: wilgen, Name: "Goede Vrijdag", From: data.NewDate(2026, time.April, 3), To: data.NewDate(2026, time.April, 3)},
	)
	ds.StudyDays = []data.StudyDay{{SchoolID: wilgen, Date: studyDay, Name: "Studiedag"}}
	return ds
}

func TestAddStudyDay_S1_Refusals(t *testing.T) {
	db, _ := newStore(t, datatest.Seeded(studyDataset()))
	tests := []struct {
		name string
		sd   data.StudyDay
		want error
	}{
		{"weekend", data.StudyDay{SchoolID: wilgen, Date: data.NewDate(2026, time.March, 21), Name: "Studiedag"}, data.ErrInvalid},
		{"public holiday", data.StudyDay{SchoolID: wilgen, Date: data.NewDate(2026, time.April, 6), Name: "Studiedag"}, data.ErrClosedDay},
		{"in a school holiday", data.StudyDay{SchoolID: wilgen, Date: data.NewDate(2026, time.April, 21), Name: "Studiedag"}, data.ErrInvalid},
		{"already a study day", data.StudyDay{SchoolID: wilgen, Date: studyDay, Name: "Nog een"}, data.ErrInvalid},
		{"unknown school", data.StudyDay{SchoolID: 99, Date: studyDay.AddDays(1), Name: "Studiedag"}, data.ErrInvalid},
		{"no name", data.StudyDay{SchoolID: wilgen, Date: studyDay.AddDays(1), Name: "  "}, data.ErrInvalid},
		{"a good one", data.StudyDay{SchoolID: linde, Date: studyDay, Name: "Studiedag"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := db.AddStudyDay(t.Context(), tt.sd)
			if !errors.Is(err, tt.want) || (tt.want == nil && err != nil) {
				t.Fatalf("AddStudyDay: %v, want %v", err, tt.want)
			}
		})
	}
	got, err := db.StudyDays(t.Context(), studyDay.AddDays(-30), studyDay.AddDays(30))
	if err != nil {
		t.Fatal(err)
	}
	want := []data.StudyDay{{SchoolID: wilgen, Date: studyDay, Name: "Studiedag"}, {SchoolID: linde, Date: studyDay, Name: "Studiedag"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("study days %+v, want only the good one added: %+v", got, want)
	}
}

func TestStudyDaySheet_S1_ChildrenWhoMayNeedCare(t *testing.T) {
	db, _ := newStore(t, datatest.Seeded(studyDataset()))
	sheet, err := db.StudyDaySheet(t.Context(), 1, wilgen, studyDay)
	if err != nil {
		t.Fatal(err)
	}
	var ids []data.ID
	for _, r := range sheet.Rows {
		ids = append(ids, r.Child.ID)
		if r.Group.ID != groupUi || r.SignUp != nil {
			t.Errorf("row %s: group %d, sign-up %v", r.Child.Name(), r.Group.ID, r.SignUp)
		}
	}
	// Cas and Gijs go to De Wilgen in school weeks; Eva (52 weeks) is expected
	// anyway, Finn goes to another school, Inès to this school but another location.
	if !slices.Equal(ids, []data.ID{idCas, idGijs}) {
		t.Errorf("rows %v, want Cas and Gijs", ids)
	}
	if sheet.Location.Name != "Het Klavertje" || sheet.School.Name != "De Wilgen" || sheet.Hours != data.DefaultSettings().HolidayDay {
		t.Errorf("sheet heading %q %q %v", sheet.Location.Name, sheet.School.Name, sheet.Hours)
	}
	if sheet.Minimum != 3 || sheet.SignedUp() != 0 || sheet.State() != data.StateBelowMinimum {
		t.Errorf("minimum %d, signed up %d, state %q", sheet.Minimum, sheet.SignedUp(), sheet.State())
	}
	// Hajar goes to another school and has no contract on Thursdays: she can
	// come from a blank row. Finn cannot: his school has lessons and his
	// contract brings him after school.
	if len(sheet.Others) != 1 || sheet.Others[0].Child.ID != idHajar {
		t.Errorf("others %+v, want Hajar for a blank row", sheet.Others)
	}
	other, err := db.StudyDaySheet(t.Context(), locEik, wilgen, studyDay)
	if err != nil || len(other.Rows) != 1 || other.Rows[0].Child.ID != idIns {
		t.Errorf("the other location's sheet: %+v, %v; want Inès only", other.Rows, err)
	}
	if _, err := db.StudyDaySheet(t.Context(), 1, wilgen, studyDay.AddDays(1)); !errors.Is(err, data.ErrNotFound) {
		t.Errorf("sheet for a day that is no study day: %v, want ErrNotFound", err)
	}
}

func TestRegisterSignUps_S1_OnTheDayListAtOnce(t *testing.T) {
	db, path := newStore(t, datatest.Seeded(studyDataset()))
	var mu sync.Mutex
	var changes []data.Change
	datatest.Subscribe(t, db, func(c data.Change) { mu.Lock(); changes = append(changes, c); mu.Unlock() })

	casTimes := data.TimeRange{From: data.NewClock(8, 0), Until: data.NewClock(17, 0)}
	finnTimes := data.TimeRange{From: data.NewClock(9, 0), Until: data.NewClock(13, 0)}
	reg := data.SignUpRegistration{LocationID: 1, SchoolID: wilgen, Date: studyDay, By: "Planner Petra", Children: []data.SignUpEntry{
		{ChildID: idCas, Times: casTimes},
		{ChildID: idGijs, Times: casTimes},
	}}
	if err := db.RegisterSignUps(t.Context(), reg); err != nil {
		t.Fatal(err)
	}
	list, err := db.DayList(t.Context(), groupUi, studyDay)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []data.ID{idCas, idGijs} {
		r, ok := rowOf(list, id)
		if !ok || r.Source != data.SourceStudyDay || r.Expected != casTimes {
			t.Errorf("child %d on the list: %v, %+v; want a study-day row %v", id, ok, r, casTimes)
		}
	}
	if r, _ := rowOf(list, idEva); r.Source != data.SourceContract {
		t.Errorf("Eva (52 weeks) source %q, want contract", r.Source)
	}
	mu.Lock()
	want := data.Change{Kind: data.ChangePlanning, Date: studyDay, GroupID: groupUi}
	if len(changes) == 1 && changes[0].Seq == 0 {
		t.Error("the change has no number in the feed")
	} else if len(changes) == 1 {
		want.Seq = changes[0].Seq
	}
	if len(changes) != 1 || changes[0] != want {
		t.Errorf("changes %+v, want [%+v]", changes, want)
	}
	mu.Unlock()

	sheet, err := db.StudyDaySheet(t.Context(), 1, wilgen, studyDay)
	if err != nil {
		t.Fatal(err)
	}
	if sheet.SignedUp() != 2 || sheet.State() != data.StateBelowMinimum {
		t.Errorf("signed up %d, state %q; want 2 and below the minimum of 3", sheet.SignedUp(), sheet.State())
	}
	casID := sheet.Rows[0].SignUp.ID

	// The same sheet again changes nothing; Gijs dropped, Cas's times changed
	// and Finn from a blank row: one transaction.
	if err := db.RegisterSignUps(t.Context(), reg); err != nil {
		t.Fatal(err)
	}
	reg.Children = []data.SignUpEntry{{ChildID: idCas, Times: finnTimes}, {ChildID: idFinn, Times: finnTimes}}
	if err := db.RegisterSignUps(t.Context(), reg); !errors.Is(err, data.ErrInvalid) {
		t.Fatalf("Finn is expected under his contract (his school has lessons): %v, want ErrInvalid", err)
	}
	reg.Children = reg.Children[:1]
	if err := db.RegisterSignUps(t.Context(), reg); err != nil {
		t.Fatal(err)
	}
	list, _ = db.DayList(t.Context(), groupUi, studyDay)
	if r, ok := rowOf(list, idCas); !ok || r.Expected != finnTimes {
		t.Errorf("Cas after the change: %+v", r)
	}
	if _, ok := rowOf(list, idGijs); ok {
		t.Error("Gijs still on the list after his sign-up was cancelled")
	}
	db.Close()

	// Invoicing reads the sign-ups bucket: three records by ID, the cancelled one kept.
	stored := readSignUps(t, path)
	if len(stored) != 2 {
		t.Fatalf("%d sign-ups stored, want 2 (Cas once, Gijs cancelled)", len(stored))
	}
	for _, su := range stored {
		switch su.ChildID {
		case idCas:
			if su.ID != casID || su.Cancelled || su.Times != finnTimes || su.RegisteredBy != "Planner Petra" || !su.RegisteredAt.Equal(storeNow) {
				t.Errorf("Cas's sign-up %+v", su)
			}
		case idGijs:
			if !su.Cancelled {
				t.Errorf("Gijs's sign-up %+v, want cancelled", su)
			}
		default:
			t.Errorf("unexpected sign-up %+v", su)
		}
	}
}

func TestRegisterSignUps_S1_RefusedSheetStoresNothing(t *testing.T) {
	db, _ := newStore(t, datatest.Seeded(studyDataset()))
	good := data.SignUpEntry{ChildID: idCas, Times: data.TimeRange{From: data.NewClock(8, 0), Until: data.NewClock(17, 0)}}
	tests := []struct {
		name string
		reg  data.SignUpRegistration
		want error
	}{
		{"52-weeks child", data.SignUpRegistration{Children: []data.SignUpEntry{good, {ChildID: idEva, Times: good.Times}}}, data.ErrInvalid},
		{"child of another location", data.SignUpRegistration{Children: []data.SignUpEntry{good, {ChildID: idIns, Times: good.Times}}}, data.ErrInvalid},
		{"KDV child", data.SignUpRegistration{Children: []data.SignUpEntry{good, {ChildID: idAnna, Times: good.Times}}}, data.ErrInvalid},
		{"twice on the sheet", data.SignUpRegistration{Children: []data.SignUpEntry{good, good}}, data.ErrInvalid},
		{"before opening time", data.SignUpRegistration{Children: []data.SignUpEntry{good,
			{ChildID: idGijs, Times: data.TimeRange{From: data.NewClock(6, 0), Until: data.NewClock(12, 0)}}}}, data.ErrInvalid},
		{"ends before it starts", data.SignUpRegistration{Children: []data.SignUpEntry{good,
			{ChildID: idGijs, Times: data.TimeRange{From: data.NewClock(12, 0), Until: data.NewClock(9, 0)}}}}, data.ErrInvalid},
		{"no study day", data.SignUpRegistration{Date: studyDay.AddDays(1), Children: []data.SignUpEntry{good}}, data.ErrNotFound},
		{"nobody named", data.SignUpRegistration{By: " ", Children: []data.SignUpEntry{good}}, data.ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reg := tt.reg
			reg.LocationID, reg.SchoolID = 1, wilgen
			if reg.Date.IsZero() {
				reg.Date = studyDay
			}
			if reg.By == "" {
				reg.By = "Planner Petra"
			}
			if err := db.RegisterSignUps(t.Context(), reg); !errors.Is(err, tt.want) {
				t.Fatalf("RegisterSignUps: %v, want %v", err, tt.want)
			}
			sheet, err := db.StudyDaySheet(t.Context(), 1, wilgen, studyDay)
			if err != nil || sheet.SignedUp() != 0 {
				t.Errorf("after a refused sheet %d signed up (%v), want none", sheet.SignedUp(), err)
			}
		})
	}
}

func TestRemoveStudyDay_S1_NotWithSignUps(t *testing.T) {
	db, _ := newStore(t, datatest.Seeded(studyDataset()))
	err := db.RegisterSignUps(t.Context(), data.SignUpRegistration{LocationID: 1, SchoolID: wilgen, Date: studyDay, By: "Petra",
		Children: []data.SignUpEntry{{ChildID: idCas, Times: data.DefaultSettings().HolidayDay}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.RemoveStudyDay(t.Context(), wilgen, studyDay); !errors.Is(err, data.ErrInvalid) {
		t.Fatalf("removing a study day with a sign-up: %v, want ErrInvalid", err)
	}
	if err := db.RegisterSignUps(t.Context(), data.SignUpRegistration{LocationID: 1, SchoolID: wilgen, Date: studyDay, By: "Petra"}); err != nil {
		t.Fatal(err)
	}
	if err := db.RemoveStudyDay(t.Context(), wilgen, studyDay); err != nil {
		t.Fatalf("removing it once the sign-up is cancelled: %v", err)
	}
	if sds, _ := db.StudyDays(t.Context(), studyDay, studyDay); len(sds) != 0 {
		t.Errorf("study days left: %+v", sds)
	}
}

// TestOpen_S1_MigratesSchemaOne opens a file as the first release wrote it
// (schema 1, no study-day buckets) and uses study days on it.
func TestOpen_S1_MigratesSchemaOne(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v1.db")
	db, err := boltstore.Open(path, boltstore.WithClock(fixedClock))
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Seed(t.Context(), smallDataset()); err != nil {
		t.Fatal(err)
	}
	db.Close()
	b, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = b.Update(func(tx *bolt.Tx) error {
		for _, name := range []string{"study-days", "signups", "signups-by-date"} {
			if err := tx.DeleteBucket([]byte(name)); err != nil {
				return err
			}
		}
		v := make([]byte, 8)
		binary.BigEndian.PutUint64(v, 1)
		return tx.Bucket([]byte("meta")).Put([]byte("version"), v)
	})
	b.Close()
	if err != nil {
		t.Fatal(err)
	}
	db, _ = newStore(t, datatest.Path(path))
	if err := db.AddStudyDay(t.Context(), data.StudyDay{SchoolID: 1, Date: studyDay, Name: "Studiedag"}); err != nil {
		t.Fatalf("AddStudyDay after migrating: %v", err)
	}
	if l, err := db.DayList(t.Context(), groupUi, studyDay); err != nil || len(l.Rows) != 0 {
		t.Errorf("Cas (school weeks) on the list of his study day: %+v, %v", l.Rows, err)
	}
}

// readSignUps reads the sign-ups bucket as the invoicing export will.
func readSignUps(t *testing.T, path string) []data.SignUp {
	t.Helper()
	b, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	var out []data.SignUp
	err = b.View(func(tx *bolt.Tx) error {
		return tx.Bucket([]byte("signups")).ForEach(func(k, v []byte) error {
			var su data.SignUp
			if err := json.Unmarshal(v, &su); err != nil {
				return err
			}
			if data.ID(binary.BigEndian.Uint64(k)) != su.ID {
				t.Errorf("sign-up %d stored under key %x", su.ID, k)
			}
			out = append(out, su)
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestRegisterSignUps_S1_ChildFromBlankRow(t *testing.T) {
	db, _ := newStore(t, datatest.Seeded(studyDataset()))
	times := data.TimeRange{From: data.NewClock(8, 0), Until: data.NewClock(12, 30)}
	err := db.RegisterSignUps(t.Context(), data.SignUpRegistration{LocationID: 1, SchoolID: wilgen, Date: studyDay, By: "Petra",
		Children: []data.SignUpEntry{{ChildID: idHajar, Times: times}}})
	if err != nil {
		t.Fatal(err)
	}
	sheet, err := db.StudyDaySheet(t.Context(), 1, wilgen, studyDay)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(sheet.Rows, func(r data.StudyDayRow) bool { return r.Child.ID == idHajar })
	if i < 0 || sheet.Rows[i].SignUp == nil || len(sheet.Others) != 0 {
		t.Fatalf("Hajar not on the sheet as signed up: rows %+v, others %+v", sheet.Rows, sheet.Others)
	}
	if r, ok := rowOf(must(db.DayList(t.Context(), groupUi, studyDay)), idHajar); !ok || r.Source != data.SourceStudyDay || r.Expected != times {
		t.Errorf("Hajar on the list: %v %+v", ok, r)
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// TestRegisterSignUps_S1_GroupHolidayHours: a study day has no school, so a
// sign-up lies within the group's own holiday hours where it has them.
func TestRegisterSignUps_S1_GroupHolidayHours(t *testing.T) {
	db, _ := newStore(t, datatest.Seeded(studyDataset()))
	g, err := db.Group(t.Context(), groupUi)
	if err != nil {
		t.Fatal(err)
	}
	g.Hours.HolidayDay = data.TimeRange{From: data.NewClock(9, 0), Until: data.NewClock(17, 0)}
	if err := db.UpdateGroup(t.Context(), g); err != nil {
		t.Fatal(err)
	}
	reg := func(from data.Clock) data.SignUpRegistration {
		return data.SignUpRegistration{LocationID: 1, SchoolID: wilgen, Date: studyDay, By: "Planner Petra",
			Children: []data.SignUpEntry{{ChildID: idCas, Times: data.TimeRange{From: from, Until: data.NewClock(17, 0)}}}}
	}
	if err := db.RegisterSignUps(t.Context(), reg(data.NewClock(8, 0))); !errors.Is(err, data.ErrInvalid) {
		t.Errorf("08:00 in a group opening at 09:00 in the holidays = %v, want ErrInvalid", err)
	}
	if err := db.RegisterSignUps(t.Context(), reg(data.NewClock(9, 0))); err != nil {
		t.Errorf("09:00: %v", err)
	}
}
