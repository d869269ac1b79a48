package data_test

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"locatiedesk/data"
)

func TestParseDate_A3_DatesStaffType(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    data.Date
		wantErr bool
	}{
		{name: "valid", in: "2026-03-10", want: data.Date{Year: 2026, Month: time.March, Day: 10}},
		{name: "leap day", in: "2028-02-29", want: data.Date{Year: 2028, Month: time.February, Day: 29}},
		{name: "first of year", in: "2027-01-01", want: data.Date{Year: 2027, Month: time.January, Day: 1}},
		{name: "february 30 does not exist", in: "2026-02-30", wantErr: true},
		{name: "february 29 in a common year", in: "2026-02-29", wantErr: true},
		{name: "month 13", in: "2026-13-01", wantErr: true},
		{name: "garbage", in: "gisteren", wantErr: true},
		{name: "dutch order", in: "10-03-2026", wantErr: true},
		{name: "trailing text", in: "2026-03-10x", wantErr: true},
		{name: "empty", in: "", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := data.ParseDate(tt.in)
			if tt.wantErr {
				if !errors.Is(err, data.ErrInvalidDate) {
					t.Fatalf("ParseDate(%q) = %v, %v; want ErrInvalidDate", tt.in, got, err)
				}
				if !got.IsZero() {
					t.Errorf("ParseDate(%q) returned %v with the error; want the zero date", tt.in, got)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseDate(%q): %v", tt.in, err)
			}
			if got != tt.want {
				t.Errorf("ParseDate(%q) = %+v, want %+v", tt.in, got, tt.want)
			}
			if got.String() != tt.in {
				t.Errorf("String() = %q, want %q", got.String(), tt.in)
			}
		})
	}
}

func TestParseClock_A4_CheckInTimes(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    data.Clock
		wantErr bool
	}{
		{name: "HH:MM", in: "07:30", want: data.NewClock(7, 30)},
		{name: "H:MM", in: "7:30", want: data.NewClock(7, 30)},
		{name: "midnight", in: "00:00", want: 0},
		{name: "last minute", in: "23:59", want: data.NewClock(23, 59)},
		{name: "24:00 is not a time of day", in: "24:00", wantErr: true},
		{name: "minute 60", in: "12:60", wantErr: true},
		{name: "letters", in: "ab", wantErr: true},
		{name: "empty", in: "", wantErr: true},
		{name: "no colon", in: "0730", wantErr: true},
		{name: "trailing text", in: "7:30u", wantErr: true},
		{name: "negative", in: "-1:30", wantErr: true},
		{name: "one-digit minute", in: "7:3", wantErr: true},
		{name: "trailing space", in: "07:30 ", wantErr: true},
		// Lenient parsing once read these as times; a typo must not become a time.
		{name: "one-digit minute after two-digit hour", in: "07:5", wantErr: true},
		{name: "signed hour", in: "+7:30", wantErr: true},
		{name: "minus zero hour", in: "-0:30", wantErr: true},
		{name: "space after colon", in: "7: 30", wantErr: true},
		{name: "leading space", in: " 7:30", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := data.ParseClock(tt.in)
			if tt.wantErr {
				if !errors.Is(err, data.ErrInvalidClock) {
					t.Fatalf("ParseClock(%q) = %v, %v; want ErrInvalidClock", tt.in, got, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseClock(%q): %v", tt.in, err)
			}
			if got != tt.want {
				t.Errorf("ParseClock(%q) = %d (%s), want %d (%s)", tt.in, got, got, tt.want, tt.want)
			}
		})
	}
}

func TestClock_A4_HourMinuteString(t *testing.T) {
	tests := []struct {
		name         string
		c            data.Clock
		hour, minute int
		str          string
	}{
		{"morning", data.NewClock(7, 5), 7, 5, "07:05"},
		{"evening", data.NewClock(18, 30), 18, 30, "18:30"},
		{"midnight", 0, 0, 0, "00:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.c.Hour() != tt.hour || tt.c.Minute() != tt.minute || tt.c.String() != tt.str {
				t.Errorf("got %d, %d, %q; want %d, %d, %q", tt.c.Hour(), tt.c.Minute(), tt.c.String(), tt.hour, tt.minute, tt.str)
			}
		})
	}
}

func TestDateAddDays_A3_MovingBetweenDates(t *testing.T) {
	tests := []struct {
		name string
		from data.Date
		n    int
		want data.Date
	}{
		{"same month", data.NewDate(2026, time.March, 10), 1, data.NewDate(2026, time.March, 11)},
		{"across month end", data.NewDate(2026, time.January, 31), 1, data.NewDate(2026, time.February, 1)},
		{"end of february", data.NewDate(2026, time.February, 28), 1, data.NewDate(2026, time.March, 1)},
		{"leap year february", data.NewDate(2028, time.February, 28), 1, data.NewDate(2028, time.February, 29)},
		{"across year end", data.NewDate(2026, time.December, 31), 1, data.NewDate(2027, time.January, 1)},
		{"back across year", data.NewDate(2027, time.January, 1), -1, data.NewDate(2026, time.December, 31)},
		{"back across month", data.NewDate(2026, time.March, 1), -1, data.NewDate(2026, time.February, 28)},
		{"over the DST change", data.NewDate(2026, time.March, 28), 2, data.NewDate(2026, time.March, 30)},
		{"a whole year", data.NewDate(2026, time.March, 10), 365, data.NewDate(2027, time.March, 10)},
		{"zero", data.NewDate(2026, time.March, 10), 0, data.NewDate(2026, time.March, 10)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.from.AddDays(tt.n); got != tt.want {
				t.Errorf("%v.AddDays(%d) = %v, want %v", tt.from, tt.n, got, tt.want)
			}
		})
	}
}

func TestDateDaysUntil_R1_DaysBeforeTheDay(t *testing.T) {
	tests := []struct {
		name     string
		from, to data.Date
		want     int
	}{
		{"same day", data.NewDate(2026, time.March, 10), data.NewDate(2026, time.March, 10), 0},
		{"tomorrow", data.NewDate(2026, time.March, 10), data.NewDate(2026, time.March, 11), 1},
		{"yesterday", data.NewDate(2026, time.March, 10), data.NewDate(2026, time.March, 9), -1},
		{"four weeks", data.NewDate(2026, time.March, 10), data.NewDate(2026, time.April, 7), 28},
		{"over spring DST change", data.NewDate(2026, time.March, 28), data.NewDate(2026, time.March, 30), 2},
		{"over autumn DST change", data.NewDate(2026, time.October, 24), data.NewDate(2026, time.October, 26), 2},
		{"across a leap year", data.NewDate(2028, time.January, 1), data.NewDate(2029, time.January, 1), 366},
		{"back across year", data.NewDate(2027, time.January, 2), data.NewDate(2026, time.December, 30), -3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.from.DaysUntil(tt.to); got != tt.want {
				t.Errorf("%v.DaysUntil(%v) = %d, want %d", tt.from, tt.to, got, tt.want)
			}
		})
	}
}

func TestDateCompare_A1_ContractBounds(t *testing.T) {
	a, b := data.NewDate(2026, time.March, 10), data.NewDate(2026, time.March, 11)
	tests := []struct {
		name          string
		x, y          data.Date
		before, after bool
		compare       int
	}{
		{"earlier", a, b, true, false, -1},
		{"later", b, a, false, true, 1},
		{"same", a, a, false, false, 0},
		{"across years", data.NewDate(2025, time.December, 31), data.NewDate(2026, time.January, 1), true, false, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.x.Before(tt.y) != tt.before || tt.x.After(tt.y) != tt.after || tt.x.Compare(tt.y) != tt.compare {
				t.Errorf("%v vs %v: Before %v After %v Compare %d; want %v %v %d", tt.x, tt.y,
					tt.x.Before(tt.y), tt.x.After(tt.y), tt.x.Compare(tt.y), tt.before, tt.after, tt.compare)
			}
		})
	}
}

func TestDateJSON_A1_RoundTrip(t *testing.T) {
	type holder struct {
		Start data.Date  `json:"start"`
		End   data.Date  `json:"end"`
		At    data.Clock `json:"at"`
	}
	tests := []struct {
		name string
		in   holder
		json string
	}{
		{"dates and clock", holder{data.NewDate(2026, time.March, 10), data.NewDate(2027, time.January, 1), data.NewClock(7, 30)},
			`{"start":"2026-03-10","end":"2027-01-01","at":"07:30"}`},
		{"zero end date (open-ended)", holder{data.NewDate(2026, time.March, 10), data.Date{}, data.NewClock(18, 5)},
			`{"start":"2026-03-10","end":"","at":"18:05"}`},
		{"all zero", holder{}, `{"start":"","end":"","at":"00:00"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw, err := json.Marshal(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if string(raw) != tt.json {
				t.Errorf("Marshal = %s, want %s", raw, tt.json)
			}
			var back holder
			if err := json.Unmarshal(raw, &back); err != nil {
				t.Fatal(err)
			}
			if back != tt.in {
				t.Errorf("round trip = %+v, want %+v", back, tt.in)
			}
		})
	}
}

func TestDateJSON_A1_RefusesBadText(t *testing.T) {
	tests := []struct {
		name    string
		json    string
		wantErr error
	}{
		{"impossible date", `{"d":"2026-02-30"}`, data.ErrInvalidDate},
		{"garbage date", `{"d":"morgen"}`, data.ErrInvalidDate},
		{"impossible clock", `{"c":"24:00"}`, data.ErrInvalidClock},
		{"garbage clock", `{"c":"ab"}`, data.ErrInvalidClock},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var v struct {
				D data.Date  `json:"d"`
				C data.Clock `json:"c"`
			}
			err := json.Unmarshal([]byte(tt.json), &v)
			if !errors.Is(err, tt.wantErr) {
				t.Errorf("Unmarshal(%s) error = %v, want %v", tt.json, err, tt.wantErr)
			}
		})
	}
}

func TestDateOfAndTime_A4_LocalDay(t *testing.T) {
	ams, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		t.Skipf("no zone data: %v", err)
	}
	tests := []struct {
		name string
		t    time.Time
		want data.Date
	}{
		{"just after midnight local", time.Date(2026, time.March, 10, 0, 30, 0, 0, ams), data.NewDate(2026, time.March, 10)},
		{"late evening local", time.Date(2026, time.March, 10, 23, 59, 0, 0, ams), data.NewDate(2026, time.March, 10)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := data.DateOf(tt.t); got != tt.want {
				t.Errorf("DateOf(%v) = %v, want %v", tt.t, got, tt.want)
			}
			c := data.ClockOf(tt.t)
			if back := tt.want.Time(c, ams); !back.Equal(tt.t.Truncate(time.Minute)) {
				t.Errorf("Time(%s) = %v, want %v", c, back, tt.t)
			}
		})
	}
}

func TestTimeRange_A1_Hours(t *testing.T) {
	r := data.TimeRange{From: data.NewClock(7, 30), Until: data.NewClock(18, 0)}
	if got := r.Hours(); got != 10.5 {
		t.Errorf("Hours() = %v, want 10.5", got)
	}
	if got := r.String(); got != "07:30–18:00" {
		t.Errorf("String() = %q", got)
	}
}
