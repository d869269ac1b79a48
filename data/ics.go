package data

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	ics "github.com/arran4/golang-ical"
)

// ErrNotCalendar is returned for a file that is not a usable iCalendar file:
// damaged, of another kind, or without any holiday in it.
var ErrNotCalendar = errors.New("not a usable school calendar (.ics) file")

// maxCalendarBytes guards against opening a huge file by mistake; a school
// year's calendar is a few kilobytes.
const maxCalendarBytes = 4 << 20

// studyDayWords mark an event as a study day rather than a holiday; schools
// write "Studiedag", "studiedagen team", "Margedag" or, in English, "Study day".
var studyDayWords = []string{"studiedag", "studie dag", "margedag", "study day"}

// CalendarEvent is one all-day event of a school's published calendar: a
// holiday, or (one or more) study days.
type CalendarEvent struct {
	UID      string
	Name     string
	From, To Date // inclusive
	StudyDay bool
}

// CalendarFile is what a school's .ics file holds for Locatiedesk.
type CalendarFile struct {
	Events []CalendarEvent
	// Skipped counts events with a time of day (a parents' evening) or that
	// repeat: neither is a holiday or a study day.
	Skipped int
}

// ParseCalendarFile reads an iCalendar file as schools publish it. A damaged
// or foreign file, or one without any all-day event, gives ErrNotCalendar.
func ParseCalendarFile(r io.Reader) (CalendarFile, error) {
	var out CalendarFile
	raw, err := io.ReadAll(io.LimitReader(r, maxCalendarBytes+1))
	if err != nil {
		return out, err
	}
	if len(raw) > maxCalendarBytes {
		return out, fmt.Errorf("%w: the file is larger than %d MB", ErrNotCalendar, maxCalendarBytes>>20)
	}
	// The parser would put U+FFFD in the names of a Latin-1 file: refuse it,
	// as the consent import does.
	if !utf8.Valid(raw) {
		return out, fmt.Errorf("%w: it is not UTF-8 text; save it as UTF-8 and try again", ErrNotCalendar)
	}
	// The parser accepts a file cut off before its end; a cut-off file may
	// miss holidays, so it is refused.
	if !bytes.HasSuffix(bytes.ToUpper(bytes.TrimSpace(raw)), []byte("END:VCALENDAR")) {
		return out, fmt.Errorf("%w: it does not end with END:VCALENDAR (damaged, or not a calendar)", ErrNotCalendar)
	}
	cal, err := ics.ParseCalendar(bytes.NewReader(raw))
	if err != nil {
		return out, fmt.Errorf("%w: %v", ErrNotCalendar, err)
	}
	seen := map[string]bool{}
	for _, ev := range cal.Events() {
		e, allDay, err := calendarEvent(ev)
		if err != nil {
			return CalendarFile{}, fmt.Errorf("%w: %v", ErrNotCalendar, err)
		}
		if !allDay {
			out.Skipped++
			continue
		}
		if seen[e.UID] {
			return CalendarFile{}, fmt.Errorf("%w: two events share the UID %q", ErrNotCalendar, e.UID)
		}
		seen[e.UID] = true
		out.Events = append(out.Events, e)
	}
	if len(out.Events) == 0 {
		return CalendarFile{}, fmt.Errorf("%w: it holds no whole-day events, so no holidays or study days", ErrNotCalendar)
	}
	return out, nil
}

// calendarEvent reads one VEVENT; allDay is false for events Locatiedesk skips.
func calendarEvent(ev *ics.VEvent) (e CalendarEvent, allDay bool, err error) {
	e.Name = strings.TrimSpace(propertyText(ev, ics.ComponentPropertySummary))
	start := ev.GetProperty(ics.ComponentPropertyDtStart)
	if start == nil {
		return e, false, fmt.Errorf("event %q has no start date", e.Name)
	}
	if !isDateValue(start) {
		// Skipped, but only a real date-time: a damaged one may be a holiday's date.
		if !dateTimeValue.MatchString(strings.TrimSpace(start.Value)) {
			return e, false, fmt.Errorf("event %q starts at %q, which is not a date or a date and time", e.Name, start.Value)
		}
		return e, false, nil
	}
	if ev.GetProperty(ics.ComponentPropertyRrule) != nil {
		return e, false, nil
	}
	e.UID = strings.TrimSpace(ev.Id())
	if e.UID == "" {
		return e, false, fmt.Errorf("event %q has no UID", e.Name)
	}
	if e.Name == "" {
		return e, false, fmt.Errorf("event %q has no name (SUMMARY)", e.UID)
	}
	t, err := ev.GetAllDayStartAt()
	if err != nil {
		return e, false, fmt.Errorf("event %q: start %v", e.Name, err)
	}
	e.From, e.To = DateOf(t), DateOf(t)
	switch {
	case ev.GetProperty(ics.ComponentPropertyDtEnd) != nil:
		end, err := ev.GetAllDayEndAt()
		if err != nil {
			return e, false, fmt.Errorf("event %q: end %v", e.Name, err)
		}
		// An all-day DTEND is the day after the last day (RFC 5545); some
		// programs write the start date again for a single day.
		if endDay := DateOf(end); endDay.After(e.From) {
			e.To = endDay.AddDays(-1)
		} else if endDay.Before(e.From) {
			return e, false, fmt.Errorf("event %q ends (%s) before it starts (%s)", e.Name, endDay, e.From)
		}
	case ev.GetProperty(ics.ComponentPropertyDuration) != nil:
		days, err := durationDays(propertyText(ev, ics.ComponentPropertyDuration))
		if err != nil {
			return e, false, fmt.Errorf("event %q: %v", e.Name, err)
		}
		e.To = e.From.AddDays(days - 1)
	}
	name := strings.ToLower(e.Name)
	for _, w := range studyDayWords {
		e.StudyDay = e.StudyDay || strings.Contains(name, w)
	}
	return e, true, nil
}

func propertyText(ev *ics.VEvent, p ics.ComponentProperty) string {
	if prop := ev.GetProperty(p); prop != nil {
		return prop.Value
	}
	return ""
}

// isDateValue tells an all-day DTSTART (VALUE=DATE, YYYYMMDD) from a date-time.
func isDateValue(p *ics.IANAProperty) bool {
	for _, v := range p.ICalParameters["VALUE"] {
		if strings.EqualFold(v, "DATE") {
			return true
		}
	}
	return len(strings.TrimSpace(p.Value)) == len("20060102")
}

// dateTimeValue is an iCalendar DATE-TIME: local, or UTC with a Z.
var dateTimeValue = regexp.MustCompile(`^\d{8}T\d{6}Z?$`)

var wholeDays = regexp.MustCompile(`^P(\d{1,3})([DW])$`)

// durationDays reads the whole-day durations all-day events use: P3D, P1W.
func durationDays(s string) (int, error) {
	m := wholeDays.FindStringSubmatch(strings.ToUpper(strings.TrimSpace(s)))
	if m == nil {
		return 0, fmt.Errorf("duration %q is not a number of days or weeks", s)
	}
	n, _ := strconv.Atoi(m[1])
	if m[2] == "W" {
		n *= 7
	}
	if n < 1 {
		return 0, fmt.Errorf("duration %q is empty", s)
	}
	return n, nil
}
