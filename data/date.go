package data

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Date is a calendar day without time or zone. Its zero value means "no date"
// (an open contract end, for instance).
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// ErrInvalidDate is returned for text that is not a real YYYY-MM-DD date.
var ErrInvalidDate = errors.New("invalid date")

// The refusals of dates and times of day.
const (
	RefuseDateInvalid = "date-invalid" // not a real YYYY-MM-DD date (Text: as given)
	RefuseDateClock   = "date-clock"   // not a time of day HH:MM (Text: as given)
	RefuseDateClosed  = "date-closed"  // the location is closed that day (Reason: why)
)

var dateRefusals = map[string]RefusalText{
	RefuseDateInvalid: {Text: "\"{{.Text}}\" is not a date: expected YYYY-MM-DD.", Kind: ErrInvalidDate},
	RefuseDateClock:   {Text: "\"{{.Text}}\" is not a time of day: expected HH:MM.", Kind: ErrInvalidClock},
	RefuseDateClosed:  {Text: "The location is closed on {{.Date}} ({{.Reason}}).", Kind: ErrClosedDay},
}

// OpenDay refuses what happens on a day the location is closed, a closing
// day (A1: nobody is expected, so nothing is recorded, signed up or planned).
func OpenDay(d Date, closed bool, reason string) error {
	if closed {
		return Refuse(RefuseDateClosed, Args{"Date": d, "Reason": reason})
	}
	return nil
}

// DateOf returns the calendar day of t in t's own location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// NewDate builds a Date; it panics on impossible days, so use it for literals only.
func NewDate(y int, m time.Month, d int) Date {
	dt := Date{y, m, d}
	if !dt.valid() {
		panic(fmt.Sprintf("impossible date %04d-%02d-%02d", y, m, d))
	}
	return dt
}

// ParseDate reads YYYY-MM-DD and refuses days that do not exist (2026-02-30).
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, Refuse(RefuseDateInvalid, Args{"Text": s})
	}
	return DateOf(t), nil
}

func (d Date) valid() bool {
	return d.Month >= 1 && d.Month <= 12 && d.Day >= 1 && d == DateOf(d.Midnight())
}

func (d Date) Midnight() time.Time { return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC) }

// IsZero reports whether d is the "no date" value.
func (d Date) IsZero() bool { return d == Date{} }

// String formats as YYYY-MM-DD, which also sorts correctly as bytes (store keys).
func (d Date) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day) }

// Weekday of the date.
func (d Date) Weekday() time.Weekday { return d.Midnight().Weekday() }

// AddDays moves n days forward (or back for negative n).
func (d Date) AddDays(n int) Date { return DateOf(d.Midnight().AddDate(0, 0, n)) }

// DaysUntil counts the days from d to other (negative when other is earlier).
func (d Date) DaysUntil(other Date) int {
	return int(other.Midnight().Sub(d.Midnight()).Hours() / 24)
}

// Before reports whether d is strictly earlier than other.
func (d Date) Before(other Date) bool { return d.Compare(other) < 0 }

// After reports whether d is strictly later than other.
func (d Date) After(other Date) bool { return d.Compare(other) > 0 }

// Compare returns -1, 0 or +1.
func (d Date) Compare(other Date) int { return d.Midnight().Compare(other.Midnight()) }

// Time returns the moment on date d at clock time c in loc.
func (d Date) Time(c Clock, loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, c.Hour(), c.Minute(), 0, 0, loc)
}

// MarshalText stores dates as YYYY-MM-DD ("" for the zero date).
func (d Date) MarshalText() ([]byte, error) {
	if d.IsZero() {
		return []byte{}, nil
	}
	return []byte(d.String()), nil
}

// UnmarshalText is the inverse of MarshalText.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	parsed, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = parsed
	return nil
}

// Clock is a time of day in minutes after midnight.
type Clock int

// ErrInvalidClock is returned for text that is not a time of day HH:MM.
var ErrInvalidClock = errors.New("invalid time of day")

// NewClock builds a Clock from hours and minutes.
func NewClock(h, m int) Clock { return Clock(h*60 + m) }

// ClockOf returns the time of day of t, to the minute.
func ClockOf(t time.Time) Clock { return NewClock(t.Hour(), t.Minute()) }

// ParseClock reads H:MM or HH:MM (00:00 to 23:59), digits only: "07:5" is
// refused rather than read as 07:05.
func ParseClock(s string) (Clock, error) {
	hours, minutes, ok := strings.Cut(s, ":")
	h, hOK := digits(hours, 1, 2)
	m, mOK := digits(minutes, 2, 2)
	if !ok || !hOK || !mOK || h > 23 || m > 59 {
		return 0, Refuse(RefuseDateClock, Args{"Text": s})
	}
	return NewClock(h, m), nil
}

// digits reads a number of minLen to maxLen ASCII digits.
func digits(s string, minLen, maxLen int) (int, bool) {
	if len(s) < minLen || len(s) > maxLen {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, true
}

// Hour of the day.
func (c Clock) Hour() int { return int(c) / 60 }

// Minute within the hour.
func (c Clock) Minute() int { return int(c) % 60 }

// String formats as HH:MM.
func (c Clock) String() string { return fmt.Sprintf("%02d:%02d", c.Hour(), c.Minute()) }

// MarshalText stores clock times as HH:MM.
func (c Clock) MarshalText() ([]byte, error) { return []byte(c.String()), nil }

// UnmarshalText is the inverse of MarshalText.
func (c *Clock) UnmarshalText(b []byte) error {
	parsed, err := ParseClock(string(b))
	if err != nil {
		return err
	}
	*c = parsed
	return nil
}

// TimeRange is a span within one day, From inclusive, Until exclusive.
type TimeRange struct {
	From  Clock `json:"from"`
	Until Clock `json:"until"`
}

// Hours is the length of the range in hours.
func (r TimeRange) Hours() float64 { return float64(r.Until-r.From) / 60 }

// String formats as "HH:MM–HH:MM".
func (r TimeRange) String() string { return r.From.String() + "–" + r.Until.String() }
