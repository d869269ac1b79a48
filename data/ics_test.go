package data_test

import (
	"errors"
	"strings"
	"testing"

	"locatiedesk/data"
)

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
