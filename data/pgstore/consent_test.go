package pgstore_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"locatiedesk/data"
	"locatiedesk/data/pgstore/pgtest"
)

// consentChildren adds Anna, Bram and Cas to Het Klavertje's Egeltjes from
// September; Cas's care ended in February.
func consentChildren(t *testing.T, db data.Store, egeltjes data.Group) (anna, bram, cas data.Child) {
	t.Helper()
	add := func(first, last string, born data.Date, end data.Date) data.Child {
		c, err := db.AddChild(t.Context(), data.Child{LocationID: egeltjes.LocationID, FirstName: first, LastName: last, BirthDate: born})
		if err != nil {
			t.Fatal(err)
		}
		_, err = db.AddContract(t.Context(), data.Contract{ChildID: c.ID, GroupID: egeltjes.ID, Product: data.ProductKDV,
			Start: data.NewDate(2025, time.September, 1), End: end,
			Days: []data.ContractDay{{Weekday: time.Tuesday, Times: data.TimeRange{From: data.NewClock(8, 0), Until: data.NewClock(17, 0)}}}})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	return add("Anna", "Bakker", data.NewDate(2024, time.May, 1), data.Date{}),
		add("Bram", "de Vries", data.NewDate(2023, time.June, 2), data.Date{}),
		add("Cas", "Jansen", data.NewDate(2023, time.July, 3), data.NewDate(2026, time.February, 27))
}

func TestImportConsent_C1_ByIDOrNameOnceOnly(t *testing.T) {
	db, groups := klavertje(t)
	ctx := t.Context()
	anna, bram, cas := consentChildren(t, db, groups["Egeltjes"])
	file := "child_id;name;birth_date;level;date\n" +
		fmt.Sprintf("%d;Anna Bakker;2024-05-01;none;2026-01-10\n", anna.ID) +
		";BRAM DE VRIES;02-06-2023;portal;2026-01-11\n" +
		fmt.Sprintf("%d;;;public;2026-01-13\n", cas.ID) +
		fmt.Sprintf("%d;;;portal;2026-03-01\n", cas.ID)
	res, err := db.ImportConsent(ctx, strings.NewReader(file), "Marieke", "ouders.csv")
	if err != nil || res.Imported != 4 || res.Unchanged != 0 {
		t.Fatalf("import %+v, %v; want 4 imported", res, err)
	}
	for _, tc := range []struct {
		child data.Child
		want  data.ConsentLevel
	}{{anna, data.ConsentNone}, {bram, data.ConsentPortal}, {cas, data.ConsentPortal}} {
		child, want := tc.child, tc.want
		c, err := db.Consent(ctx, child.ID)
		if err != nil {
			t.Fatal(err)
		}
		last := c.History[len(c.History)-1]
		if c.Level != want || last.Source != data.ConsentFromParentApp || last.RecordedBy != "Marieke" || last.Note != "ouders.csv" {
			t.Errorf("%s: %s, last recorded %+v; want %s from the parent app", child.FirstName, c.Level, last, want)
		}
	}
	if res, err := db.ImportConsent(ctx, strings.NewReader(file), "Marieke", "again"); err != nil || res.Imported != 0 || res.Unchanged != 4 {
		t.Errorf("the same file again: %+v, %v; want 4 unchanged", res, err)
	}

	before := auditCount(t, db)
	bad := "child_id;name;birth_date;level;date\n" + fmt.Sprintf("%d;;;public;2026-02-01\n", anna.ID) + "999;;;none;2026-01-10\n"
	var ie *data.ImportError
	if _, err := db.ImportConsent(ctx, strings.NewReader(bad), "Marieke", ""); !errors.As(err, &ie) || len(ie.Lines) != 1 || ie.Lines[0].Problem != data.ProblemUnknownChild {
		t.Errorf("a file naming an unknown child: %v", err)
	}
	if c, _ := db.Consent(ctx, anna.ID); c.Level != data.ConsentNone || auditCount(t, db) != before {
		t.Errorf("a refused file changed Anna's consent to %s or wrote", c.Level)
	}
}

func TestConsentOverview_C2_GroupTodayLocationAll(t *testing.T) {
	db, groups := klavertje(t)
	ctx := t.Context()
	anna, bram, cas := consentChildren(t, db, groups["Egeltjes"])
	if err := db.RecordConsent(ctx, data.ConsentChange{ChildID: bram.ID, Level: data.ConsentPublic, Given: data.NewDate(2026, time.March, 2),
		Source: data.ConsentFromForm, RecordedBy: "Marieke"}); err != nil {
		t.Fatal(err)
	}
	// An older form typed in later does not undo the newer answer (C1).
	if err := db.RecordConsent(ctx, data.ConsentChange{ChildID: bram.ID, Level: data.ConsentNone, Given: data.NewDate(2026, time.January, 5),
		Source: data.ConsentFromForm, RecordedBy: "Marieke"}); err != nil {
		t.Fatal(err)
	}
	group, err := db.ConsentOverview(ctx, 0, groups["Egeltjes"].ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(group) != 2 || group[0].Child.ID != anna.ID || group[1].Child.ID != bram.ID || group[0].Level != data.ConsentNotAnswered ||
		group[1].Level != data.ConsentPublic || group[1].Since != data.NewDate(2026, time.March, 2) || group[1].Group.ID != groups["Egeltjes"].ID {
		t.Errorf("Egeltjes today: %+v; want Anna not answered, Bram public since 2 March", group)
	}
	all, err := db.ConsentOverview(ctx, groups["Egeltjes"].LocationID, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 3 || all[2].Child.ID != cas.ID || all[2].EndedOn != data.NewDate(2026, time.February, 27) || all[2].Group.ID != groups["Egeltjes"].ID || all[0].Ended() {
		t.Errorf("the location: %+v; want Cas's care ended on 27 February in Egeltjes", all)
	}
}

func TestChildRecord_AVG_HoldsWhatTheStoreKeeps(t *testing.T) {
	db, groups := klavertje(t)
	ctx := t.Context()
	anna, _, _ := consentChildren(t, db, groups["Egeltjes"])
	if err := db.CheckIn(ctx, data.DayEdit{Date: data.DateOf(childrenDay), GroupID: groups["Egeltjes"].ID, ChildID: anna.ID, By: "Marieke"}, data.NewClock(8, 5)); err != nil {
		t.Fatal(err)
	}
	if err := db.RecordConsent(ctx, data.ConsentChange{ChildID: anna.ID, Level: data.ConsentPortal, Given: data.NewDate(2026, time.March, 2),
		Source: data.ConsentFromPhone, RecordedBy: "Marieke"}); err != nil {
		t.Fatal(err)
	}
	before := auditCount(t, db)
	rec, err := db.ChildRecord(ctx, anna.ID)
	if err != nil {
		t.Fatal(err)
	}
	if rec.Child.ID != anna.ID || rec.Location.Name != "Het Klavertje" || len(rec.Contracts) != 1 || len(rec.Attendance) != 1 ||
		rec.Attendance[0].Date != data.DateOf(childrenDay) || rec.Attendance[0].Attendance.CheckIn == nil || len(rec.Consent) != 1 ||
		len(rec.Groups) != 1 || rec.Groups[0].Name != "Egeltjes" || !rec.ExportedAt.Equal(childrenDay) {
		t.Errorf("Anna's record %+v", rec)
	}
	if auditCount(t, db) != before+1 {
		t.Error("the export of personal data is not in the audit log")
	}
	staff := db.As(data.Actor{UserID: 5, Name: "Tess", Role: data.RoleStaff, Locations: []data.ID{groups["Egeltjes"].LocationID}, Groups: []data.ID{groups["Egeltjes"].ID}})
	if _, err := staff.ChildRecord(ctx, anna.ID); !errors.Is(err, data.ErrForbidden) {
		t.Errorf("staff export a child's record: %v", err)
	}
}

// Answers recorded at once through two hubs on one database each get their
// own number in the child's history: none is lost, none refused.
func TestRecordConsent_C1_TwoHubsAtOnce(t *testing.T) {
	address := pgtest.Database(t)
	db, groups := klavertjeAt(t, address)
	other := hubAt(t, address)
	ctx := t.Context()
	anna, _, _ := consentChildren(t, db, groups["Egeltjes"])
	const each = 8
	errs := make(chan error, 2*each)
	for _, hub := range []data.Store{db, other} {
		go func() {
			for range each {
				errs <- hub.RecordConsent(ctx, data.ConsentChange{ChildID: anna.ID, Level: data.ConsentPortal, Given: data.DateOf(childrenDay),
					Source: data.ConsentFromPhone, RecordedBy: "Marieke"})
			}
		}()
	}
	for range 2 * each {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	c, err := db.Consent(ctx, anna.ID)
	if err != nil {
		t.Fatal(err)
	}
	for i, h := range c.History {
		if h.Seq != uint64(i+1) {
			t.Fatalf("history numbered %d at place %d", h.Seq, i+1)
		}
	}
	if len(c.History) != 2*each {
		t.Errorf("%d answers in the history, want %d", len(c.History), 2*each)
	}
}
