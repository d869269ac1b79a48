package data

import (
	"bytes"
	"errors"
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

// The refusals of a calendar file; each is ErrNotCalendar, and nothing of
// the file is imported.
const (
	RefuseCalendarFileTooLarge    = "calendar-file-too-large"
	RefuseCalendarFileNotUTF8     = "calendar-file-not-utf8"
	RefuseCalendarFileCutOff      = "calendar-file-cut-off"
	RefuseCalendarFileUnreadable  = "calendar-file-unreadable" // the parser's own words (Detail)
	RefuseCalendarFileUIDTwice    = "calendar-file-uid-twice"
	RefuseCalendarFileNoDays      = "calendar-file-no-days" // no whole-day events
	RefuseCalendarEventNoStart    = "calendar-event-no-start"
	RefuseCalendarEventStart      = "calendar-event-start" // DTSTART neither a date nor a date-time
	RefuseCalendarEventNoUID      = "calendar-event-no-uid"
	RefuseCalendarEventNoName     = "calendar-event-no-name"
	RefuseCalendarEventDate       = "calendar-event-date" // a start or end the parser refuses (Detail)
	RefuseCalendarEventEndsBefore = "calendar-event-ends-before"
	RefuseCalendarEventDuration   = "calendar-event-duration"
)

var calendarFileRefusals = map[string]RefusalText{
	RefuseCalendarFileTooLarge:    {Text: "The file is larger than {{.MB}} MB.", Kind: ErrNotCalendar},
	RefuseCalendarFileNotUTF8:     {Text: "It is not UTF-8 text; save it as UTF-8 and try again.", Kind: ErrNotCalendar},
	RefuseCalendarFileCutOff:      {Text: "It does not end with END:VCALENDAR: it is damaged, or not a calendar.", Kind: ErrNotCalendar},
	RefuseCalendarFileUnreadable:  {Text: "It is not in iCalendar form ({{.Detail}}).", Kind: ErrNotCalendar},
	RefuseCalendarFileUIDTwice:    {Text: "Two events share the UID {{.UID}}.", Kind: ErrNotCalendar},
	RefuseCalendarFileNoDays:      {Text: "It holds no whole-day events, so no holidays or study days.", Kind: ErrNotCalendar},
	RefuseCalendarEventNoStart:    {Text: "The event {{.Name}} has no start date.", Kind: ErrNotCalendar},
	RefuseCalendarEventStart:      {Text: "The event {{.Name}} starts at {{.Value}}, which is not a date or a date and time.", Kind: ErrNotCalendar},
	RefuseCalendarEventNoUID:      {Text: "The event {{.Name}} has no UID.", Kind: ErrNotCalendar},
	RefuseCalendarEventNoName:     {Text: "The event {{.UID}} has no name (SUMMARY).", Kind: ErrNotCalendar},
	RefuseCalendarEventDate:       {Text: "The event {{.Name}} has a date that cannot be read ({{.Detail}}).", Kind: ErrNotCalendar},
	RefuseCalendarEventEndsBefore: {Text: "The event {{.Name}} ends ({{.End}}) before it starts ({{.Start}}).", Kind: ErrNotCalendar},
	RefuseCalendarEventDuration:   {Text: "The event {{.Name}} lasts {{.Value}}, which is not a number of days or weeks.", Kind: ErrNotCalendar},
}

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
		return out, Refuse(RefuseCalendarFileTooLarge, Args{"MB": maxCalendarBytes >> 20})
	}
	// The parser would put U+FFFD in the names of a Latin-1 file: refuse it,
	// as the consent import does.
	if !utf8.Valid(raw) {
		return out, Refuse(RefuseCalendarFileNotUTF8, nil)
	}
	// The parser accepts a file cut off before its end; a cut-off file may
	// miss holidays, so it is refused.
	if !bytes.HasSuffix(bytes.ToUpper(bytes.TrimSpace(raw)), []byte("END:VCALENDAR")) {
		return out, Refuse(RefuseCalendarFileCutOff, nil)
	}
	cal, err := ics.ParseCalendar(bytes.NewReader(raw))
	if err != nil {
		return out, Refuse(RefuseCalendarFileUnreadable, Args{"Detail": err.Error()})
	}
	seen := map[string]bool{}
	for _, ev := range cal.Events() {
		e, allDay, err := calendarEvent(ev)
		if err != nil {
			return CalendarFile{}, err
		}
		if !allDay {
			out.Skipped++
			continue
		}
		if seen[e.UID] {
			return CalendarFile{}, Refuse(RefuseCalendarFileUIDTwice, Args{"UID": e.UID})
		}
		seen[e.UID] = true
		out.Events = append(out.Events, e)
	}
	if len(out.Events) == 0 {
		return CalendarFile{}, Refuse(RefuseCalendarFileNoDays, nil)
	}
	return out, nil
}

// calendarEvent reads one VEVENT; allDay is false for events Locatiedesk skips.
func calendarEvent(ev *ics.VEvent) (e CalendarEvent, allDay bool, err error) {
	e.Name = strings.TrimSpace(propertyText(ev, ics.ComponentPropertySummary))
	start := ev.GetProperty(ics.ComponentPropertyDtStart)
	if start == nil {
		return e, false, Refuse(RefuseCalendarEventNoStart, Args{"Name": e.Name})
	}
	if !isDateValue(start) {
		// Skipped, but only a real date-time: a damaged one may be a holiday's date.
		if !dateTimeValue.MatchString(strings.TrimSpace(start.Value)) {
			return e, false, Refuse(RefuseCalendarEventStart, Args{"Name": e.Name, "Value": start.Value})
		}
		return e, false, nil
	}
	if ev.GetProperty(ics.ComponentPropertyRrule) != nil {
		return e, false, nil
	}
	e.UID = strings.TrimSpace(ev.Id())
	if e.UID == "" {
		return e, false, Refuse(RefuseCalendarEventNoUID, Args{"Name": e.Name})
	}
	if e.Name == "" {
		return e, false, Refuse(RefuseCalendarEventNoName, Args{"UID": e.UID})
	}
	t, err := ev.GetAllDayStartAt()
	if err != nil {
		return e, false, Refuse(RefuseCalendarEventDate, Args{"Name": e.Name, "Detail": err.Error()})
	}
	e.From, e.To = DateOf(t), DateOf(t)
	switch {
	case ev.GetProperty(ics.ComponentPropertyDtEnd) != nil:
		end, err := ev.GetAllDayEndAt()
		if err != nil {
			return e, false, Refuse(RefuseCalendarEventDate, Args{"Name": e.Name, "Detail": err.Error()})
		}
		// An all-day DTEND is the day after the last day (RFC 5545); some
		// programs write the start date again for a single day.
		if endDay := DateOf(end); endDay.After(e.From) {
			e.To = endDay.AddDays(-1)
		} else if endDay.Before(e.From) {
			return e, false, Refuse(RefuseCalendarEventEndsBefore, Args{"Name": e.Name, "End": endDay, "Start": e.From})
		}
	case ev.GetProperty(ics.ComponentPropertyDuration) != nil:
		duration := propertyText(ev, ics.ComponentPropertyDuration)
		days, ok := durationDays(duration)
		if !ok {
			return e, false, Refuse(RefuseCalendarEventDuration, Args{"Name": e.Name, "Value": duration})
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

// durationDays reads the whole-day durations all-day events use: P3D, P1W;
// ok is false for anything else, and for a duration of no days.
func durationDays(s string) (days int, ok bool) {
	m := wholeDays.FindStringSubmatch(strings.ToUpper(strings.TrimSpace(s)))
	if m == nil {
		return 0, false
	}
	n, _ := strconv.Atoi(m[1])
	if m[2] == "W" {
		n *= 7
	}
	return n, n >= 1
}
