package data_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"locatiedesk/data"
)

func TestCheckHolidayContractDeadline_V2(t *testing.T) {
	// Meivakantie 2026 starts on Saturday 18 April: five weeks before is Saturday 14 March.
	may := data.SchoolHoliday{ID: 1, SchoolID: 1, Name: "Meivakantie", From: data.NewDate(2026, time.April, 18), To: data.NewDate(2026, time.May, 3)}
	tests := []struct {
		name         string
		weeks        int
		today        data.Date
		wantDeadline data.Date
		tooLate      bool
	}{
		{"a month before the deadline", 5, data.NewDate(2026, time.February, 14), data.NewDate(2026, time.March, 14), false},
		{"the day before the deadline", 5, data.NewDate(2026, time.March, 13), data.NewDate(2026, time.March, 14), false},
		{"on the deadline", 5, data.NewDate(2026, time.March, 14), data.NewDate(2026, time.March, 14), false},
		{"the day after the deadline", 5, data.NewDate(2026, time.March, 15), data.NewDate(2026, time.March, 14), true},
		{"in the holiday", 5, data.NewDate(2026, time.April, 20), data.NewDate(2026, time.March, 14), true},
		{"an organisation asking six weeks", 6, data.NewDate(2026, time.March, 8), data.NewDate(2026, time.March, 7), true},
		{"an organisation asking nothing ahead", 0, data.NewDate(2026, time.April, 18), data.NewDate(2026, time.April, 18), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := data.DefaultSettings()
			s.HolidayContractWeeks = tt.weeks
			if got := data.HolidayContractDeadline(may, s); got != tt.wantDeadline {
				t.Errorf("deadline %v, want %v", got, tt.wantDeadline)
			}
			err := data.CheckHolidayContractDeadline(tt.today, may, s)
			if (err != nil) != tt.tooLate {
				t.Fatalf("error %v, want too late %v", err, tt.tooLate)
			}
			if !tt.tooLate {
				return
			}
			var de *data.DeadlineError
			if !errors.Is(err, data.ErrTooLate) || !errors.As(err, &de) || de.Deadline != tt.wantDeadline {
				t.Errorf("error %v is not a DeadlineError for %v", err, tt.wantDeadline)
			}
			if !strings.Contains(err.Error(), tt.wantDeadline.String()) {
				t.Errorf("message %q does not name the deadline %v", err, tt.wantDeadline)
			}
		})
	}
}

// TestDeadlineError_V2_CarriesItsRefusal: a screen or a network client
// reads the late holiday contract as a code with the holiday and the day.
func TestDeadlineError_V2_CarriesItsRefusal(t *testing.T) {
	may := data.SchoolHoliday{ID: 1, SchoolID: 1, Name: "meivakantie", From: data.NewDate(2026, time.April, 18), To: data.NewDate(2026, time.May, 3)}
	err := data.CheckHolidayContractDeadline(data.NewDate(2026, time.March, 15), may, data.DefaultSettings())
	var r *data.Refusal
	if !errors.As(err, &r) || r.Code != data.RefuseHolidayTooLate || r.Args["Date"] != data.NewDate(2026, time.March, 14) || r.Args["Holiday"] != "meivakantie" {
		t.Fatalf("refusal %+v of %v", r, err)
	}
	if want := "Too late: a holiday contract for the meivakantie (from 2026-04-18) had to be arranged by 2026-03-14."; err.Error() != want {
		t.Errorf("message %q, want %q", err, want)
	}
}
