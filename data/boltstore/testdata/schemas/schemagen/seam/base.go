// Command schemagen (for the builds since the store seam: package
// boltstore, a context on every call) writes a small data file with this build's schema, for
// the upgrade tests of later builds (data/testdata/schemas/README).
package main

import (
	"context"
	"fmt"
	"os"
	"time"

	bolt "go.etcd.io/bbolt"

	"locatiedesk/data"
	"locatiedesk/data/boltstore"
)

// ctx is the context of every call: nothing here is cancelled.
var ctx = context.Background()

var (
	now    = time.Date(2026, 11, 16, 10, 0, 0, 0, time.UTC) // a Monday
	monday = data.NewDate(2026, time.November, 16)
	friday = data.NewDate(2026, time.November, 13)
)

func clock(h, m int) *data.Clock { c := data.NewClock(h, m); return &c }

func days(from, until data.Clock, wd ...time.Weekday) []data.ContractDay {
	var out []data.ContractDay
	for _, d := range wd {
		out = append(out, data.ContractDay{Weekday: d, Times: data.TimeRange{From: from, Until: until}})
	}
	return out
}

// dataset: two locations, three groups, four children, a school with a
// holiday, a closing day, and attendance on two days.
func dataset() data.Dataset {
	kdvFrom, kdvUntil := data.NewClock(7, 30), data.NewClock(18, 0)
	bsoFrom, bsoUntil := data.NewClock(15, 0), data.NewClock(18, 30)
	start := data.NewDate(2026, time.January, 5)
	ds := data.Dataset{
		Settings:  data.DefaultSettings(),
		Locations: []data.Location{{ID: 1, Name: "De Vlinder"}, {ID: 2, Name: "Het Anker"}},
		Groups: []data.Group{
			{ID: 1, LocationID: 1, Name: "Rupsjes", Care: data.KDV, Capacity: 12},
			{ID: 2, LocationID: 1, Name: "Avonturiers", Care: data.BSO, Capacity: 20},
			{ID: 3, LocationID: 2, Name: "Zeehondjes", Care: data.KDV, Capacity: 14},
		},
		Schools: []data.School{{ID: 1, Name: "OBS De Regenboog", Region: "midden"}},
		Holidays: []data.SchoolHoliday{{ID: 1, SchoolID: 1, Name: "Kerstvakantie",
			From: data.NewDate(2026, time.December, 19), To: data.NewDate(2027, time.January, 3)}},
		ClosingDays: []data.ClosingDay{{Date: data.NewDate(2026, time.December, 25), Name: "Eerste Kerstdag"}},
		Children: []data.Child{
			{ID: 1, LocationID: 1, FirstName: "Zoë", LastName: "de Vries", BirthDate: data.NewDate(2024, time.March, 2)},
			{ID: 2, LocationID: 1, FirstName: "Daniël", LastName: "Dvořák", BirthDate: data.NewDate(2025, time.June, 20)},
			{ID: 3, LocationID: 1, FirstName: "Ayşe", LastName: "Yılmaz", BirthDate: data.NewDate(2019, time.May, 11), SchoolID: 1},
			{ID: 4, LocationID: 2, FirstName: "Łukasz", LastName: "Kowalski", BirthDate: data.NewDate(2024, time.September, 30)},
		},
		Contracts: []data.Contract{
			{ID: 1, ChildID: 1, GroupID: 1, Product: data.ProductKDV, Start: start,
				Days: days(kdvFrom, kdvUntil, time.Monday, time.Tuesday, time.Thursday, time.Friday)},
			{ID: 2, ChildID: 2, GroupID: 1, Product: data.ProductKDV, Start: start,
				Days: days(kdvFrom, kdvUntil, time.Monday, time.Wednesday, time.Friday)},
			{ID: 3, ChildID: 3, GroupID: 2, Product: data.ProductBSOSchoolWeeks, Start: start,
				Days: days(bsoFrom, bsoUntil, time.Monday, time.Thursday)},
			{ID: 4, ChildID: 4, GroupID: 3, Product: data.ProductKDV, Start: start,
				Days: days(kdvFrom, kdvUntil, time.Monday, time.Tuesday)},
			{ID: 5, ChildID: 1, GroupID: 1, Product: data.ProductQflexibel, Start: start, CreditHours: 40},
		},
	}
	at := func(d data.Date, h int) time.Time { return time.Date(d.Year, d.Month, d.Day, h, 0, 0, 0, time.UTC) }
	ds.Records = []data.DayRecord{
		{Date: friday, GroupID: 1, ChildID: 1, Attendance: data.Attendance{CheckIn: clock(8, 5), CheckOut: clock(17, 30), UpdatedBy: "Sanne", UpdatedAt: at(friday, 17)}},
		{Date: friday, GroupID: 1, ChildID: 2, Attendance: data.Attendance{Absent: true, AbsenceReason: data.AbsenceSick, UpdatedBy: "Sanne", UpdatedAt: at(friday, 8)}},
		{Date: monday, GroupID: 1, ChildID: 1, Attendance: data.Attendance{CheckIn: clock(7, 45), UpdatedBy: "Sanne", UpdatedAt: at(monday, 8)}},
		{Date: monday, GroupID: 1, ChildID: 2, Attendance: data.Attendance{Absent: true, AbsenceReason: data.AbsenceDayOff, UpdatedBy: "Sanne", UpdatedAt: at(monday, 7)}},
		{Date: monday, GroupID: 3, ChildID: 4, Attendance: data.Attendance{CheckIn: clock(8, 15), Note: "slaapt slecht", UpdatedBy: "Bram", UpdatedAt: at(monday, 8)}},
	}
	return ds
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: schemagen FILE")
		os.Exit(2)
	}
	written := os.Args[1] + ".uncompacted"
	db, err := boltstore.Open(written, boltstore.WithClock(func() time.Time { return now }))
	if err == nil {
		ds := dataset()
		prepare(&ds)
		err = db.Seed(ctx, ds)
	}
	if err == nil {
		err = extras(db)
	}
	if err == nil {
		err = db.Close()
	}
	if err == nil {
		err = compact(written, os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// compact copies the file written by many small transactions into a fresh
// one without their free pages, so the saved file stays small.
func compact(from, to string) error {
	src, err := bolt.Open(from, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := bolt.Open(to, 0o600, nil)
	if err != nil {
		return err
	}
	if err := bolt.Compact(dst, src, 0); err != nil {
		dst.Close()
		return err
	}
	if err := dst.Close(); err != nil {
		return err
	}
	return os.Remove(from)
}

// run adds the schema's other data, step by step.
func run(db *boltstore.DB, steps ...func(*boltstore.DB) error) error {
	for _, step := range steps {
		if err := step(db); err != nil {
			return err
		}
	}
	return nil
}
