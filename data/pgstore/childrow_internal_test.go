package pgstore

import (
	"reflect"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"locatiedesk/data"
	"locatiedesk/data/pgstore/pgtest"
)

// listFixture is a location with a KDV group, Rupsjes, and a BSO group,
// Avonturiers, on Tuesday 10 March 2026 at 09:00: three weeks with contracts
// of every kind, school holidays, a study day, a closing day, extras and
// records of children not expected.
type listFixture struct {
	address  string
	db       *DB
	now      time.Time
	kdv, bso data.Group
	children []data.Child
}

func newListFixture(t *testing.T) listFixture {
	t.Helper()
	f := listFixture{address: pgtest.Database(t), now: time.Date(2026, time.March, 10, 9, 0, 0, 0, time.Local)}
	var err error
	f.db, err = Open(t.Context(), f.address, WithClock(func() time.Time { return f.now }))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.db.Close() })
	db, ctx := f.db, t.Context()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	_, err = db.SetUp(ctx, data.OrganisationSetup{Organisation: "Kinderopvang Rij", Location: "De Vlinder", Manager: "Marieke", Secret: "wachtwoord-manager",
		Groups: []data.GroupSetup{{Name: "Rupsjes", Care: data.KDV, Capacity: 12}, {Name: "Avonturiers", Care: data.BSO, Capacity: 20}}})
	must(err)
	kdv, err := db.GroupByName(ctx, "Rupsjes")
	must(err)
	bso, err := db.GroupByName(ctx, "Avonturiers")
	must(err)
	f.kdv, f.bso = kdv, bso
	conn, err := pgx.Connect(ctx, f.address)
	must(err)
	defer conn.Close(ctx)
	exec := func(sql string, args ...any) {
		t.Helper()
		if _, err := conn.Exec(ctx, sql, args...); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	exec(`INSERT INTO schools (id, name) VALUES (1, 'De Regenboog'), (2, 'Het Anker')`)
	exec(`INSERT INTO school_holidays (school_id, name, first_day, last_day) VALUES (1, 'Voorjaarsvakantie', '2026-03-16', '2026-03-20')`)
	exec(`INSERT INTO study_days (school_id, day, name) VALUES (2, '2026-03-12', 'Studiedag')`)
	exec(`INSERT INTO closing_days (day, name) VALUES ('2026-03-25', 'Teamdag')`)

	morning := data.TimeRange{From: data.NewClock(7, 30), Until: data.NewClock(13, 0)}
	afternoon := data.TimeRange{From: data.NewClock(15, 0), Until: data.NewClock(18, 30)}
	add := func(name string, school data.ID, g data.Group, p data.Product, times data.TimeRange, days ...time.Weekday) data.Child {
		t.Helper()
		c, err := db.AddChild(ctx, data.Child{LocationID: g.LocationID, FirstName: name, LastName: "Rij", SchoolID: school, BirthDate: data.NewDate(2020, time.May, 1)})
		must(err)
		contract := data.Contract{ChildID: c.ID, GroupID: g.ID, Product: p, Start: data.NewDate(2025, time.September, 1)}
		for _, d := range days {
			contract.Days = append(contract.Days, data.ContractDay{Weekday: d, Times: times})
		}
		_, err = db.AddContract(ctx, contract)
		must(err)
		return c
	}
	weekdays := []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday}
	f.children = []data.Child{
		add("Anna", 0, kdv, data.ProductKDV, morning, weekdays...),
		add("Bram", 0, kdv, data.ProductKDV, morning, time.Tuesday, time.Thursday),
		add("Eva", 1, bso, data.ProductBSOSchoolWeeks, afternoon, time.Monday, time.Tuesday, time.Thursday),
		add("Finn", 1, bso, data.ProductBSO52Weeks, afternoon, weekdays...),
		add("Gijs", 2, bso, data.ProductBSOSchoolWeeks, afternoon, time.Monday, time.Thursday),
	}
	anna, bram, eva, gijs := f.children[0], f.children[1], f.children[2], f.children[4]
	exec(`INSERT INTO extras (day, group_id, child_id, from_min, until_min, source) VALUES
		('2026-03-11', $1, $3, 450, 780, 'request'), ('2026-03-12', $2, $4, 480, 1080, 'study-day')`, int64(kdv.ID), int64(bso.ID), int64(bram.ID), int64(gijs.ID))
	// Records: Anna in her own group, Eva in the KDV group she is not
	// expected in, Bram in the BSO group on a day of his own list.
	exec(`INSERT INTO attendance (day, group_id, child_id, check_in, updated_by, updated_at) VALUES
		('2026-03-10', $1, $3, 480, 'test', now()), ('2026-03-09', $1, $4, 500, 'test', now()), ('2026-03-10', $2, $5, 510, 'test', now())`,
		int64(kdv.ID), int64(bso.ID), int64(anna.ID), int64(eva.ID), int64(bram.ID))
	exec(`INSERT INTO consent_changes (child_id, seq, level, given, source, recorded_by, recorded_at) VALUES ($1, 1, 'portal', '2026-01-01', 'form', 'test', now())`, int64(anna.ID))
	return f
}

// TestChildRow_A1_SameAsTheWholeList: the one-child row an edit reads is
// the child's row of the whole list, for every child, group and day of
// the fixture's three weeks.
func TestChildRow_A1_SameAsTheWholeList(t *testing.T) {
	f := newListFixture(t)
	db, ctx, kdv, bso, children := f.db, t.Context(), f.kdv, f.bso, f.children
	listed, unplanned, closed := 0, 0, 0
	err := db.view(ctx, func(tx pgx.Tx) error {
		for d := data.NewDate(2026, time.March, 9); d.Before(data.NewDate(2026, time.March, 30)); d = d.AddDays(1) {
			for _, g := range []data.Group{kdv, bso} {
				list, err := readDayList(ctx, tx, g.ID, d)
				if err != nil {
					return err
				}
				if list.Closed {
					closed++
				}
				for _, c := range children {
					cr, err := readChildRow(ctx, tx, g.ID, c.ID, d)
					if err != nil {
						return err
					}
					want, wantOn := list.Row(c.ID)
					if cr.closed != list.Closed || cr.closedReason != list.ClosedReason || cr.listed != wantOn || (wantOn && !reflect.DeepEqual(cr.row, want)) {
						t.Fatalf("%s in %s on %s: row %+v on %v closed %v; the list says %+v on %v closed %v",
							c.FirstName, g.Name, d, cr.row, cr.listed, cr.closed, want, wantOn, list.Closed)
					}
					if wantOn {
						listed++
						if want.Source == "" {
							unplanned++
						}
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Weekends and the closing day, in both groups.
	if listed < 40 || unplanned != 2 || closed != 2*(6+1) {
		t.Errorf("compared %d rows, %d of them with a record only, on %d closed lists", listed, unplanned, closed)
	}
}
