package data_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"locatiedesk/data"
)

// refusedWith reports whether err is the refusal code (code "" means no error).
func clock(h, m int) *data.Clock {
	c := data.NewClock(h, m)
	return &c
}

func TestEditableDay_A3_OnlyTodayOrTheUnlockedDate(t *testing.T) {
	today := data.NewDate(2026, time.March, 10)
	yesterday, tomorrow := today.AddDays(-1), today.AddDays(1)
	tests := []struct {
		name     string
		d        data.Date
		unlock   *data.Unlock
		presence bool
		want     string
	}{
		{"today, no unlock", today, nil, true, ""},
		{"yesterday locked", yesterday, nil, false, data.RefuseAttendanceLocked},
		{"yesterday unlocked", yesterday, data.NewUnlock(yesterday, "Ilse"), true, ""},
		{"an unlock of another date opens nothing", yesterday, data.NewUnlock(yesterday.AddDays(-1), "Ilse"), false, data.RefuseAttendanceLocked},
		{"tomorrow locked", tomorrow, nil, false, data.RefuseAttendanceLocked},
		{"tomorrow unlocked takes an absence", tomorrow, data.NewUnlock(tomorrow, "Ilse"), false, ""},
		{"tomorrow unlocked takes no check-in", tomorrow, data.NewUnlock(tomorrow, "Ilse"), true, data.RefuseAttendanceDayToCome},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := data.EditableDay(today, tt.d, tt.unlock, tt.presence)
			refusedWith(t, err, tt.want)
			if tt.want == data.RefuseAttendanceLocked && !errors.Is(err, data.ErrLocked) {
				t.Errorf("%v is not ErrLocked", err)
			}
		})
	}
}

func TestOpenDay_A1_NoEditOnAClosingDay(t *testing.T) {
	d := data.NewDate(2026, time.April, 27)
	refusedWith(t, data.OpenDay(d, false, ""), "")
	err := data.OpenDay(d, true, "Koningsdag")
	refusedWith(t, err, data.RefuseDateClosed)
	if !errors.Is(err, data.ErrClosedDay) || !strings.Contains(err.Error(), "Koningsdag") || !strings.Contains(err.Error(), "2026-04-27") {
		t.Errorf("closed day: %v, want ErrClosedDay naming the date and why", err)
	}
}

func TestNotLaterThanNow_A4_TimesHaveHappened(t *testing.T) {
	now := time.Date(2026, time.March, 10, 15, 30, 45, 0, time.UTC)
	today := data.DateOf(now)
	tests := []struct {
		name  string
		d     data.Date
		times []*data.Clock
		want  string
	}{
		{"a minute ago", today, []*data.Clock{clock(15, 29)}, ""},
		{"this very minute", today, []*data.Clock{clock(15, 30)}, ""},
		{"a minute to come", today, []*data.Clock{clock(15, 31)}, data.RefuseAttendanceLaterThanNow},
		{"no time", today, []*data.Clock{nil}, ""},
		{"the second time to come", today, []*data.Clock{clock(8, 0), clock(17, 0)}, data.RefuseAttendanceLaterThanNow},
		{"yesterday takes any time", today.AddDays(-1), []*data.Clock{clock(18, 30)}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := data.NotLaterThanNow(now, tt.d, tt.times...)
			refusedWith(t, err, tt.want)
			if err != nil && err.Error() != "17:00 is later than now (15:30); a time is recorded when it has happened." &&
				err.Error() != "15:31 is later than now (15:30); a time is recorded when it has happened." {
				t.Errorf("sentence %q", err)
			}
		})
	}
}

func TestRecordCheckIn_A4(t *testing.T) {
	tests := []struct {
		name   string
		before data.Attendance
		at     data.Clock
		want   string
	}{
		{"nothing recorded", data.Attendance{}, data.NewClock(8, 10), ""},
		{"absent: the child came after all", data.Attendance{Absent: true, AbsenceReason: data.AbsenceOther, AbsenceText: "bus"}, data.NewClock(9, 0), ""},
		{"at the check-out", data.Attendance{CheckIn: clock(8, 0), CheckOut: clock(12, 0)}, data.NewClock(12, 0), ""},
		{"after the check-out", data.Attendance{CheckIn: clock(8, 0), CheckOut: clock(12, 0)}, data.NewClock(12, 1), data.RefuseAttendanceInAfterOut},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := data.RecordCheckIn(tt.before, tt.at)
			refusedWith(t, err, tt.want)
			if err != nil {
				if *got.CheckIn != *tt.before.CheckIn {
					t.Errorf("refused check-in changed the record: %+v", got)
				}
				return
			}
			if got.CheckIn == nil || *got.CheckIn != tt.at || got.Absent || got.AbsenceReason != "" || got.AbsenceText != "" {
				t.Errorf("record %+v, want in at %s and no absence", got, tt.at)
			}
		})
	}
}

func TestRecordCheckOut_A4(t *testing.T) {
	tests := []struct {
		name   string
		before data.Attendance
		at     data.Clock
		want   string
	}{
		{"not checked in", data.Attendance{}, data.NewClock(17, 0), data.RefuseAttendanceNotCheckedIn},
		{"absent, not checked in", data.Attendance{Absent: true, AbsenceReason: data.AbsenceSick}, data.NewClock(17, 0), data.RefuseAttendanceNotCheckedIn},
		{"before the check-in", data.Attendance{CheckIn: clock(8, 0)}, data.NewClock(7, 59), data.RefuseAttendanceOutBeforeIn},
		{"at the check-in", data.Attendance{CheckIn: clock(8, 0)}, data.NewClock(8, 0), ""},
		{"corrects an earlier check-out", data.Attendance{CheckIn: clock(8, 0), CheckOut: clock(12, 0)}, data.NewClock(17, 30), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := data.RecordCheckOut(tt.before, tt.at)
			refusedWith(t, err, tt.want)
			if err == nil && (got.CheckOut == nil || *got.CheckOut != tt.at || *got.CheckIn != *tt.before.CheckIn) {
				t.Errorf("record %+v, want out at %s", got, tt.at)
			}
		})
	}
}

func TestCorrectTimes_A4(t *testing.T) {
	absent := data.Attendance{Absent: true, AbsenceReason: data.AbsenceSick}
	tests := []struct {
		name    string
		before  data.Attendance
		in, out *data.Clock
		want    string
	}{
		{"both times", data.Attendance{}, clock(8, 0), clock(17, 0), ""},
		{"equal times", data.Attendance{}, clock(8, 0), clock(8, 0), ""},
		{"out before in", data.Attendance{}, clock(8, 0), clock(7, 59), data.RefuseAttendanceOutBeforeIn},
		{"out without in", data.Attendance{}, nil, clock(17, 0), data.RefuseAttendanceOutWithoutIn},
		{"a tap by mistake undone", data.Attendance{CheckIn: clock(8, 0)}, nil, nil, ""},
		{"a check-in lifts the absence", absent, clock(9, 0), nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := data.CorrectTimes(tt.before, tt.in, tt.out)
			refusedWith(t, err, tt.want)
			if err != nil {
				return
			}
			if got.CheckIn != tt.in || got.CheckOut != tt.out {
				t.Errorf("times %v–%v, want %v–%v", got.CheckIn, got.CheckOut, tt.in, tt.out)
			}
			if wantAbsent := tt.before.Absent && tt.in == nil; got.Absent != wantAbsent {
				t.Errorf("absent %v, want %v", got.Absent, wantAbsent)
			}
		})
	}
}

func TestRecordAbsence_A4(t *testing.T) {
	got, err := data.RecordAbsence(data.Attendance{Note: "jas vergeten"}, data.AbsenceOther, "bruiloft")
	refusedWith(t, err, "")
	if !got.Absent || got.AbsenceReason != data.AbsenceOther || got.AbsenceText != "bruiloft" || got.Note != "jas vergeten" {
		t.Errorf("record %+v", got)
	}
	_, err = data.RecordAbsence(data.Attendance{CheckIn: clock(8, 0)}, data.AbsenceSick, "")
	refusedWith(t, err, data.RefuseAttendanceCheckedIn)
}

func TestCheckAbsenceReason_A4(t *testing.T) {
	for _, r := range data.AbsenceReasons {
		refusedWith(t, data.CheckAbsenceReason(r), "")
	}
	for _, r := range []data.AbsenceReason{"", "holiday", "Sick"} {
		refusedWith(t, data.CheckAbsenceReason(r), data.RefuseAttendanceAbsenceReason)
	}
}

func TestAbsenceOtherText_A4(t *testing.T) {
	tests := []struct {
		name, in, want, code string
	}{
		{"trimmed", "  naar oma  ", "naar oma", ""},
		{"empty", "   ", "", data.RefuseAttendanceNoAbsenceText},
		{"exactly the maximum", strings.Repeat("é", data.MaxAbsenceText), strings.Repeat("é", data.MaxAbsenceText), ""},
		{"one over the maximum", strings.Repeat("é", data.MaxAbsenceText+1), "", data.RefuseAttendanceAbsenceTextLen},
		{"two lines", "naar oma\nen opa", "", data.RefuseAttendanceAbsenceLines},
		{"a carriage return", "naar oma\ren opa", "", data.RefuseAttendanceAbsenceLines},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := data.AbsenceOtherText(tt.in)
			refusedWith(t, err, tt.code)
			if got != tt.want {
				t.Errorf("%q, want %q", got, tt.want)
			}
		})
	}
}

func TestAttendanceNote_A4(t *testing.T) {
	if got, err := data.AttendanceNote("  " + strings.Repeat("x", data.MaxNoteBytes) + "\n"); err != nil || len(got) != data.MaxNoteBytes {
		t.Errorf("a note of exactly the maximum: %d bytes, %v", len(got), err)
	}
	_, err := data.AttendanceNote(strings.Repeat("x", data.MaxNoteBytes+1))
	refusedWith(t, err, data.RefuseAttendanceNoteLen)
	if err.Error() != "A note holds at most 2000 characters." {
		t.Errorf("sentence %q", err)
	}
}
