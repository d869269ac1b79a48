package data_test

import (
	"errors"
	"testing"
	"time"

	"locatiedesk/data"
)

func TestCheckHoliday_S1(t *testing.T) {
	first := data.NewDate(2026, time.December, 19)
	tests := []struct {
		name string
		h    data.SchoolHoliday
		want string
	}{
		{"two weeks", data.SchoolHoliday{Name: "Kerstvakantie", From: first, To: first.AddDays(15)}, ""},
		{"one day", data.SchoolHoliday{Name: "Goede Vrijdag", From: first, To: first}, ""},
		{"no name", data.SchoolHoliday{Name: "  ", From: first, To: first}, data.RefuseCalendarNoHolidayName},
		{"no first day", data.SchoolHoliday{Name: "Kerstvakantie", To: first}, data.RefuseCalendarHolidayDates},
		{"ends the day before it starts", data.SchoolHoliday{Name: "Kerstvakantie", From: first, To: first.AddDays(-1)}, data.RefuseCalendarHolidayDates},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { refusedWith(t, data.CheckHoliday(tt.h), tt.want) })
	}
}

func TestCheckStudyDay_S1_OnASchoolDayTheLocationIsOpen(t *testing.T) {
	wednesday := data.NewDate(2026, time.March, 4)
	sd := data.StudyDay{SchoolID: 1, Name: "Studiedag", Date: wednesday}
	known := data.StudyDayFacts{SchoolKnown: true}
	spring := data.SchoolHoliday{Name: "Voorjaarsvakantie", From: wednesday.AddDays(-2), To: wednesday.AddDays(2)}
	tests := []struct {
		name  string
		sd    data.StudyDay
		facts data.StudyDayFacts
		want  string
	}{
		{"a Wednesday", sd, known, ""},
		{"a Friday", data.StudyDay{SchoolID: 1, Name: "Studiedag", Date: wednesday.AddDays(2)}, known, ""},
		{"no name", data.StudyDay{SchoolID: 1, Name: " ", Date: wednesday}, known, data.RefuseCalendarNoStudyDayName},
		{"an unknown school", sd, data.StudyDayFacts{}, data.RefuseCalendarUnknownSchool},
		{"no date", data.StudyDay{SchoolID: 1, Name: "Studiedag"}, known, data.RefuseCalendarNoStudyDayDate},
		{"a Saturday", data.StudyDay{SchoolID: 1, Name: "Studiedag", Date: wednesday.AddDays(3)}, known, data.RefuseCalendarWeekend},
		{"a Sunday", data.StudyDay{SchoolID: 1, Name: "Studiedag", Date: wednesday.AddDays(4)}, known, data.RefuseCalendarWeekend},
		{"a closing day", sd, data.StudyDayFacts{SchoolKnown: true, Closed: &data.ClosingDay{Date: wednesday, Name: "Teamdag"}}, data.RefuseDateClosed},
		{"the holiday's first day", sd, data.StudyDayFacts{SchoolKnown: true, Holidays: []data.SchoolHoliday{{Name: "Voorjaarsvakantie", From: wednesday, To: wednesday.AddDays(4)}}}, data.RefuseCalendarInHoliday},
		{"the holiday's last day", sd, data.StudyDayFacts{SchoolKnown: true, Holidays: []data.SchoolHoliday{{Name: "Voorjaarsvakantie", From: wednesday.AddDays(-5), To: wednesday}}}, data.RefuseCalendarInHoliday},
		{"the day after the holiday", sd, data.StudyDayFacts{SchoolKnown: true, Holidays: []data.SchoolHoliday{{Name: "Voorjaarsvakantie", From: wednesday.AddDays(-5), To: wednesday.AddDays(-1)}}}, ""},
		{"a study day already", sd, data.StudyDayFacts{SchoolKnown: true, Exists: true}, data.RefuseCalendarStudyDayTwice},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { refusedWith(t, data.CheckStudyDay(tt.sd, tt.facts), tt.want) })
	}
	err := data.CheckStudyDay(sd, data.StudyDayFacts{SchoolKnown: true, Holidays: []data.SchoolHoliday{spring}})
	if want := "2026-03-04 falls in the Voorjaarsvakantie of this school."; err.Error() != want {
		t.Errorf("sentence %q, want %q", err, want)
	}
	closed := data.CheckStudyDay(sd, data.StudyDayFacts{SchoolKnown: true, Closed: &data.ClosingDay{Name: "Teamdag"}})
	if !errors.Is(closed, data.ErrClosedDay) {
		t.Errorf("a closing day: %v is not ErrClosedDay", closed)
	}
}

func TestStudyDayWeekdays_S1_AnEventMakesOneStudyDayPerSchoolDay(t *testing.T) {
	friday := data.NewDate(2026, time.March, 6)
	tests := []struct {
		name     string
		from, to data.Date
		want     []data.Date
	}{
		{"one Friday", friday, friday, []data.Date{friday}},
		{"Friday to Monday", friday, friday.AddDays(3), []data.Date{friday, friday.AddDays(3)}},
		{"a weekend only", friday.AddDays(1), friday.AddDays(2), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := data.StudyDayWeekdays(data.CalendarEvent{Name: "Studiedagen", From: tt.from, To: tt.to})
			if tt.want == nil {
				refusedWith(t, err, data.RefuseCalendarEventWeekend)
				return
			}
			refusedWith(t, err, "")
			if len(got) != len(tt.want) {
				t.Fatalf("%v, want %v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("%v, want %v", got, tt.want)
				}
			}
		})
	}
}

func TestRemovableStudyDay_S1_SignUpsGoFirst(t *testing.T) {
	d := data.NewDate(2026, time.March, 4)
	refusedWith(t, data.RemovableStudyDay(d, 0), "")
	err := data.RemovableStudyDay(d, 1)
	refusedWith(t, err, data.RefuseCalendarStudyDaySignUps)
	if want := "The study day of 2026-03-04 has sign-ups (1); take them off the sheet first."; err.Error() != want {
		t.Errorf("sentence %q, want %q", err, want)
	}
}
