package boltstore_test

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"locatiedesk/data"
	"locatiedesk/data/datatest"
)

// schoolICS is a school year's calendar as a school's website publishes it:
// CRLF lines, a folded line, escaped text, holidays with an exclusive DTEND,
// study days with and without DTEND, and events that are neither.
func schoolICS(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", "school.ics"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestImportCalendar_S1_SameFileTwiceChangesNothing(t *testing.T) {
	db, _ := newStore(t, datatest.Seeded(smallDataset())) // De Wilgen (school 1) has its Voorjaarsvakantie entered by hand
	f, err := data.ParseCalendarFile(strings.NewReader(schoolICS(t)))
	if err != nil {
		t.Fatal(err)
	}
	res, err := db.ImportCalendar(t.Context(), 1, f)
	if err != nil {
		t.Fatal(err)
	}
	if res != (data.CalendarImportResult{Added: 3, Skipped: 2}) {
		t.Errorf("first import %+v, want 3 added, 2 skipped", res)
	}
	first, err := db.SchoolCalendar(t.Context(), 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(first.Holidays) != 2 || len(first.StudyDays) != 3 {
		t.Fatalf("%d holidays and %d study days, want 2 (one by hand) and 3 (26 March, 12 and 15 June)", len(first.Holidays), len(first.StudyDays))
	}

	res, err = db.ImportCalendar(t.Context(), 1, f)
	if err != nil {
		t.Fatal(err)
	}
	if res != (data.CalendarImportResult{Unchanged: 3, Skipped: 2}) {
		t.Errorf("second import %+v, want all 3 unchanged", res)
	}
	second, _ := db.SchoolCalendar(t.Context(), 1)
	if !reflect.DeepEqual(first, second) {
		t.Errorf("second import changed the calendar:\n%+v\n%+v", first, second)
	}

	// The school moves its study day from 26 to 27 March: the same UID, one record moved.
	moved, _ := data.ParseCalendarFile(strings.NewReader(strings.Replace(schoolICS(t), "DTSTART;VALUE=DATE:20260326", "DTSTART;VALUE=DATE:20260327", 1)))
	if res, err = db.ImportCalendar(t.Context(), 1, moved); err != nil || res.Updated != 1 || res.Unchanged != 2 {
		t.Fatalf("corrected file: %+v, %v; want 1 updated", res, err)
	}
	third, _ := db.SchoolCalendar(t.Context(), 1)
	if len(third.StudyDays) != 3 || third.StudyDays[0].Date != data.NewDate(2026, time.March, 27) {
		t.Errorf("study days after the correction %+v", third.StudyDays)
	}
	if l, _ := db.DayList(t.Context(), groupUi, data.NewDate(2026, time.March, 27)); len(l.Rows) != 0 {
		t.Errorf("Cas (school weeks) expected on the imported study day: %v", rowIDs(l))
	}
}

func TestImportCalendar_S1_RefusedEventImportsNothing(t *testing.T) {
	db, _ := newStore(t, datatest.Seeded(smallDataset()))
	before, _ := db.SchoolCalendar(t.Context(), 1)
	// Its study day falls on Ascension Day (14 May 2026), when the location is closed.
	file := strings.Replace(schoolICS(t), "DTSTART;VALUE=DATE:20260326", "DTSTART;VALUE=DATE:20260514", 1)
	f, err := data.ParseCalendarFile(strings.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.ImportCalendar(t.Context(), 1, f); !errors.Is(err, data.ErrClosedDay) || !strings.Contains(err.Error(), "Studiedag team") {
		t.Fatalf("error %v, want ErrClosedDay naming the event", err)
	}
	after, _ := db.SchoolCalendar(t.Context(), 1)
	if !reflect.DeepEqual(before, after) {
		t.Errorf("a refused import stored something:\n%+v\n%+v", before, after)
	}
	if _, err := db.ImportCalendar(t.Context(), 99, f); !errors.Is(err, data.ErrNotFound) {
		t.Errorf("import for an unknown school: %v", err)
	}
}

func TestAddHoliday_A1_ByHand(t *testing.T) {
	db, _ := newStore(t, datatest.Seeded(smallDataset()))
	h, err := db.AddHoliday(t.Context(), data.SchoolHoliday{SchoolID: 1, Name: " Paasvakantie ", From: data.NewDate(2026, time.April, 3), To: data.NewDate(2026, time.April, 6)})
	if err != nil || h.ID == 0 || h.Name != "Paasvakantie" {
		t.Fatalf("AddHoliday: %+v, %v", h, err)
	}
	if l, _ := db.DayList(t.Context(), groupUi, data.NewDate(2026, time.April, 3)); len(l.Rows) != 0 {
		t.Errorf("Cas expected in his holiday: %v", rowIDs(l))
	}
	for _, bad := range []data.SchoolHoliday{
		{SchoolID: 1, Name: "Achterstevoren", From: data.NewDate(2026, time.April, 6), To: data.NewDate(2026, time.April, 3)},
		{SchoolID: 1, Name: "", From: data.NewDate(2026, time.April, 3), To: data.NewDate(2026, time.April, 6)},
		{SchoolID: 9, Name: "Onbekend", From: data.NewDate(2026, time.April, 3), To: data.NewDate(2026, time.April, 6)},
	} {
		if _, err := db.AddHoliday(t.Context(), bad); !errors.Is(err, data.ErrInvalid) {
			t.Errorf("AddHoliday(%+v): %v, want ErrInvalid", bad, err)
		}
	}
	if err := db.RemoveHoliday(t.Context(), 1, h.ID); err != nil {
		t.Fatal(err)
	}
	if l, _ := db.DayList(t.Context(), groupUi, data.NewDate(2026, time.April, 3)); len(l.Rows) != 1 {
		t.Errorf("after removing the holiday the list holds %v, want Cas", rowIDs(l))
	}
	if err := db.RemoveHoliday(t.Context(), 1, h.ID); !errors.Is(err, data.ErrNotFound) {
		t.Errorf("removing it twice: %v", err)
	}
}
