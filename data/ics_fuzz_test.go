package data_test

import (
	"bytes"
	"errors"
	"testing"

	"locatiedesk/data"
)

// FuzzParseCalendarFile feeds the .ics import any bytes: it must never
// crash, and what it accepts must be whole events (a name and UID, From not
// after To), or else refuse the file as ErrNotCalendar.
func FuzzParseCalendarFile(f *testing.F) {
	f.Add([]byte("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//school//NL\r\nBEGIN:VEVENT\r\nUID:kerst-2026@regenboog\r\n" +
		"DTSTART;VALUE=DATE:20261219\r\nDTEND;VALUE=DATE:20270104\r\nSUMMARY:Kerstvakantie\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"))
	f.Add([]byte("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\nDTSTART;VALUE=DATE:20261203\r\nSUMMARY:Studiedag\r\nEND:VEVENT\r\nEND:VCALENDAR"))
	f.Add([]byte("BEGIN:VCARD\r\nFN:Not a calendar\r\nEND:VCARD\r\n"))
	f.Add([]byte("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:cut"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		file, err := data.ParseCalendarFile(bytes.NewReader(raw))
		if err != nil {
			if !errors.Is(err, data.ErrNotCalendar) {
				t.Fatalf("error %v is not ErrNotCalendar", err)
			}
			return
		}
		if len(file.Events) == 0 {
			t.Fatal("accepted a file without events")
		}
		for _, e := range file.Events {
			if e.UID == "" || e.From.IsZero() || e.To.Before(e.From) {
				t.Fatalf("accepted a broken event %+v", e)
			}
		}
	})
}
