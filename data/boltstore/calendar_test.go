package boltstore_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"locatiedesk/data"
)

// schoolICS is a school year's calendar as a school's website publishes it:
// CRLF lines, a folded line, escaped text, holidays with an exclusive DTEND,
// study days with and without DTEND, and events that are neither.
const schoolICS = "BEGIN:VCALENDAR\r\n" +
	"VERSION:2.0\r\n" +
	"PRODID:-//De Wilgen//Schoolkalender//NL\r\n" +
	"X-WR-CALNAME:Schoolkalender De Wilgen\r\n" +
	"BEGIN:VEVENT\r\n" +
	"UID:meivakantie-2026@dewilgen.nl\r\n" +
	"DTSTAMP:20260105T080000Z\r\n" +
	"DTSTART;VALUE=DATE:20260418\r\n" +
	"DTEND;VALUE=DATE:20260504\r\n" +
	"SUMMARY:Meivakantie\r\n" +
	"END:VEVENT\r\n" +
	"BEGIN:VEVENT\r\n" +
	"UID:studiedag-maart@dewilgen.nl\r\n" +
	"DTSTAMP:20260105T080000Z\r\n" +
	"DTSTART;VALUE=DATE:20260326\r\n" +
	"SUMMARY:Studiedag team\\, alle leerlingen vrij\r\n" +
	"END:VEVENT\r\n" +
	"BEGIN:VEVENT\r\n" +
	"UID:margedagen-juni@dewilgen.nl\r\n" +
	"DTSTAMP:20260105T080000Z\r\n" +
	"DTSTART;VALUE=DATE:20260612\r\n" +
	"DURATION:P4D\r\n" +
	"SUMMARY:Margedagen\r\n" +
	"  (groep 1-8)\r\n" +
	"END:VEVENT\r\n" +
	"BEGIN:VEVENT\r\n" +
	"UID:ouderavond@dewilgen.nl\r\n" +
	"DTSTAMP:20260105T080000Z\r\n" +
	"DTSTART;TZID=Europe/Amsterdam:20260324T193000\r\n" +
	"DTEND;TZID=Europe/Amsterdam:20260324T210000\r\n" +
	"SUMMARY:Ouderavond\r\n" +
	"END:VEVENT\r\n" +
	"BEGIN:VEVENT\r\n" +
	"UID:gym@dewilgen.nl\r\n" +
	"DTSTAMP:20260105T080000Z\r\n" +
	"DTSTART;VALUE=DATE:20260302\r\n" +
	"RRULE:FREQ=WEEKLY;COUNT=10\r\n" +
	"SUMMARY:Gymweek\r\n" +
	"END:VEVENT\r\n" +
	"END:VCALENDAR\r\n"

func TestParseCalendarFile_S1_SchoolCalendar(t *testing.T) {
	f, err := data.ParseCalendarFile(strings.NewReader(schoolICS))
	if err != nil {
		t.Fatal(err)
	}
	want := []data.CalendarEvent{
		{UID: "meivakantie-2026@dewilgen.nl", Name: "Meivakantie", From: data.NewDate(2026, time.April, 18), To: data.NewDate(2026, time.May, 3)},
		{UID: "studiedag-maart@dewilgen.nl", Name: "Studiedag team, alle leerlingen vrij", From: data.NewDate(2026, time.March, 26), To: data.NewDate(2026, time.March, 26), StudyDay: true},
		{UID: "margedagen-juni@dewilgen.nl", Name: "Margedagen (groep 1-8)", From: data.NewDate(2026, time.June, 12), To: data.NewDate(2026, time.June, 15), StudyDay: true},
	}
	if !reflect.DeepEqual(f.Events, want) {
		t.Errorf("events\n%+v\nwant\n%+v", f.Events, want)
	}
	if f.Skipped != 2 {
		t.Errorf("skipped %d, want 2 (the parents' evening and the repeating event)", f.Skipped)
	}
}

func TestParseCalendarFile_S1_DamagedOrForeign(t *testing.T) {
	event := func(lines ...string) string {
		return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//y//NL\r\nBEGIN:VEVENT\r\n" + strings.Join(lines, "\r\n") + "\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
	}
	tests := []struct {
		name string
		file string
	}{
		{"empty file", ""},
		{"cut off halfway", schoolICS[:len(schoolICS)/2]},
		{"cut off before the end line", strings.TrimSuffix(schoolICS, "END:VCALENDAR\r\n")},
		{"a picture", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00"},
		{"a contact card", "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Juf Anja\r\nEND:VCARD\r\n"},
		{"a spreadsheet", "datum;vakantie\r\n2026-04-18;Meivakantie\r\n"},
		{"a broken property", event("UID:a@b", "DTSTART;VALUE=DATE", "SUMMARY:Meivakantie")},
		{"no UID", event("DTSTART;VALUE=DATE:20260418", "DTEND;VALUE=DATE:20260504", "SUMMARY:Meivakantie")},
		{"no name", event("UID:a@b", "DTSTART;VALUE=DATE:20260418")},
		{"ends before it starts", event("UID:a@b", "DTSTART;VALUE=DATE:20260418", "DTEND;VALUE=DATE:20260410", "SUMMARY:Meivakantie")},
		{"a date that does not exist", event("UID:a@b", "DTSTART;VALUE=DATE:20260231", "SUMMARY:Studiedag")},
		{"only events with a time of day", event("UID:a@b", "DTSTART:20260324T193000", "SUMMARY:Ouderavond")},
		{"two events with one UID", strings.Replace(schoolICS, "studiedag-maart@dewilgen.nl", "meivakantie-2026@dewilgen.nl", 1)},
		{"Latin-1 text", strings.Replace(schoolICS, "SUMMARY:Meivakantie", "SUMMARY:Meivakantie Zo\xeb", 1)},
		{"a damaged date-time", strings.Replace(schoolICS, "DTSTART;TZID=Europe/Amsterdam:20260324T193000", "DTSTART;TZID=Europe/Amsterdam:garbage", 1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := data.ParseCalendarFile(strings.NewReader(tt.file))
			if !errors.Is(err, data.ErrNotCalendar) {
				t.Fatalf("error %v, want ErrNotCalendar", err)
			}
			if len(f.Events) != 0 {
				t.Errorf("%d events returned with the error", len(f.Events))
			}
		})
	}
}

func TestImportCalendar_S1_SameFileTwiceChangesNothing(t *testing.T) {
	db := seededStore(t) // De Wilgen (school 1) has its Voorjaarsvakantie entered by hand
	f, err := data.ParseCalendarFile(strings.NewReader(schoolICS))
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
	moved, _ := data.ParseCalendarFile(strings.NewReader(strings.Replace(schoolICS, "DTSTART;VALUE=DATE:20260326", "DTSTART;VALUE=DATE:20260327", 1)))
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
	db := seededStore(t)
	before, _ := db.SchoolCalendar(t.Context(), 1)
	// Its study day falls on Ascension Day (14 May 2026), when the location is closed.
	file := strings.Replace(schoolICS, "DTSTART;VALUE=DATE:20260326", "DTSTART;VALUE=DATE:20260514", 1)
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
	db := seededStore(t)
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
