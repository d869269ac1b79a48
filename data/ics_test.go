package data_test

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"locatiedesk/data"
)

// schoolICS is a school year's calendar as a school's website publishes it:
// CRLF lines, a folded line, escaped text, holidays with an exclusive DTEND,
// study days with and without DTEND, and events that are neither.
func schoolICS(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "school.ics"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestParseCalendarFile_S1_SchoolCalendar(t *testing.T) {
	f, err := data.ParseCalendarFile(strings.NewReader(schoolICS(t)))
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
	ics := schoolICS(t)
	event := func(lines ...string) string {
		return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//y//NL\r\nBEGIN:VEVENT\r\n" + strings.Join(lines, "\r\n") + "\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
	}
	tests := []struct {
		name string
		file string
	}{
		{"empty file", ""},
		{"cut off halfway", ics[:len(ics)/2]},
		{"cut off before the end line", strings.TrimSuffix(ics, "END:VCALENDAR\r\n")},
		{"a picture", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00"},
		{"a contact card", "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Juf Anja\r\nEND:VCARD\r\n"},
		{"a spreadsheet", "datum;vakantie\r\n2026-04-18;Meivakantie\r\n"},
		{"a broken property", event("UID:a@b", "DTSTART;VALUE=DATE", "SUMMARY:Meivakantie")},
		{"no UID", event("DTSTART;VALUE=DATE:20260418", "DTEND;VALUE=DATE:20260504", "SUMMARY:Meivakantie")},
		{"no name", event("UID:a@b", "DTSTART;VALUE=DATE:20260418")},
		{"ends before it starts", event("UID:a@b", "DTSTART;VALUE=DATE:20260418", "DTEND;VALUE=DATE:20260410", "SUMMARY:Meivakantie")},
		{"a date that does not exist", event("UID:a@b", "DTSTART;VALUE=DATE:20260231", "SUMMARY:Studiedag")},
		{"only events with a time of day", event("UID:a@b", "DTSTART:20260324T193000", "SUMMARY:Ouderavond")},
		{"two events with one UID", strings.Replace(ics, "studiedag-maart@dewilgen.nl", "meivakantie-2026@dewilgen.nl", 1)},
		{"Latin-1 text", strings.Replace(ics, "SUMMARY:Meivakantie", "SUMMARY:Meivakantie Zo\xeb", 1)},
		{"a damaged date-time", strings.Replace(ics, "DTSTART;TZID=Europe/Amsterdam:20260324T193000", "DTSTART;TZID=Europe/Amsterdam:garbage", 1)},
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

// TestParseCalendarFile_S1_RefusalsNameTheEvent: a file that cannot be
// imported is refused whole, with a code that says which event and why.
func TestParseCalendarFile_S1_RefusalsNameTheEvent(t *testing.T) {
	calendar := func(lines ...string) string {
		return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//y//NL\r\nBEGIN:VEVENT\r\n" + strings.Join(lines, "\r\n") + "\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
	}
	tests := []struct {
		name, file, code, sentence string
	}{
		{"ends before it starts", calendar("UID:a@b", "SUMMARY:Meivakantie", "DTSTART;VALUE=DATE:20260418", "DTEND;VALUE=DATE:20260410"),
			data.RefuseCalendarEventEndsBefore, "The event Meivakantie ends (2026-04-10) before it starts (2026-04-18)."},
		{"a duration of hours", calendar("UID:a@b", "SUMMARY:Meivakantie", "DTSTART;VALUE=DATE:20260418", "DURATION:PT4H"),
			data.RefuseCalendarEventDuration, "The event Meivakantie lasts PT4H, which is not a number of days or weeks."},
		{"a duration of no days", calendar("UID:a@b", "SUMMARY:Meivakantie", "DTSTART;VALUE=DATE:20260418", "DURATION:P0D"),
			data.RefuseCalendarEventDuration, "The event Meivakantie lasts P0D, which is not a number of days or weeks."},
		{"no UID", calendar("SUMMARY:Meivakantie", "DTSTART;VALUE=DATE:20260418"), data.RefuseCalendarEventNoUID, "The event Meivakantie has no UID."},
		{"only a parents' evening", calendar("UID:a@b", "SUMMARY:Ouderavond", "DTSTART:20260418T190000"), data.RefuseCalendarFileNoDays,
			"It holds no whole-day events, so no holidays or study days."},
		{"cut off", strings.TrimSuffix(calendar("UID:a@b", "SUMMARY:Meivakantie", "DTSTART;VALUE=DATE:20260418"), "END:VCALENDAR\r\n"),
			data.RefuseCalendarFileCutOff, "It does not end with END:VCALENDAR: it is damaged, or not a calendar."},
		{"Latin-1", calendar("UID:a@b", "SUMMARY:Kerstvakantie \xe9", "DTSTART;VALUE=DATE:20261219"), data.RefuseCalendarFileNotUTF8,
			"It is not UTF-8 text; save it as UTF-8 and try again."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := data.ParseCalendarFile(strings.NewReader(tt.file))
			refusedWith(t, err, tt.code)
			if !errors.Is(err, data.ErrNotCalendar) || err.Error() != tt.sentence {
				t.Errorf("%v (ErrNotCalendar %v), want %q", err, errors.Is(err, data.ErrNotCalendar), tt.sentence)
			}
		})
	}
	f, err := data.ParseCalendarFile(strings.NewReader(calendar("UID:a@b", "SUMMARY:Voorjaarsvakantie", "DTSTART;VALUE=DATE:20260216", "DURATION:P1W")))
	if err != nil || len(f.Events) != 1 || f.Events[0].To != f.Events[0].From.AddDays(6) {
		t.Errorf("a week's holiday: %+v, %v", f, err)
	}
}
