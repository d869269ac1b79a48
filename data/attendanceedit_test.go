package data_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"locatiedesk/data"
)

func TestAttendanceEditCheck_A3(t *testing.T) {
	now := time.Date(2026, time.December, 1, 9, 30, 0, 0, time.Local)
	today := data.DateOf(now)
	tomorrow := today.AddDays(1)
	e := data.DayEdit{Date: today, GroupID: 1, ChildID: 2, By: "Anna"}
	at := func(d data.Date) data.DayEdit {
		x := e
		x.Date, x.Unlock = d, data.NewUnlock(d, "Anna")
		return x
	}
	nobody := e
	nobody.By = " "
	tests := []struct {
		name string
		edit data.AttendanceEdit
		e    data.DayEdit
		want string
	}{
		{"check-in now", data.CheckInEdit(now, today, 9*60+30), e, ""},
		{"check-in later today", data.CheckInEdit(now, today, 9*60+31), e, data.RefuseAttendanceLaterThanNow},
		{"arguments before editor", data.CheckInEdit(now, today, 18*60), nobody, data.RefuseAttendanceLaterThanNow},
		{"check-out by nobody", data.CheckOutEdit(now, today, 9*60), nobody, data.RefuseAttendanceNoEditor},
		{"times on another day, locked", data.SetTimesEdit(now, tomorrow, nil, nil), data.DayEdit{Date: tomorrow, By: "Anna"}, data.RefuseAttendanceLocked},
		{"times on a day to come, unlocked", data.SetTimesEdit(now, tomorrow, nil, nil), at(tomorrow), data.RefuseAttendanceDayToCome},
		{"absent on a day to come, unlocked", data.MarkAbsentEdit(data.AbsenceSick), at(tomorrow), ""},
		{"absent for no reason", data.MarkAbsentEdit("bored"), e, data.RefuseAttendanceAbsenceReason},
		{"absent, other, no words", data.MarkAbsentOtherEdit("  "), e, data.RefuseAttendanceNoAbsenceText},
		{"note too long", data.SetNoteEdit(strings.Repeat("x", data.MaxNoteBytes+1)), e, data.RefuseAttendanceNoteLen},
		{"clear absence yesterday, unlocked", data.ClearAbsenceEdit(), at(today.AddDays(-1)), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			refusedWith(t, tt.edit.Check(today, tt.e), tt.want)
		})
	}
}

func TestAttendanceEditChange(t *testing.T) {
	in := data.Clock(8 * 60)
	absent, err := data.MarkAbsentOtherEdit(" op vakantie ").Change(data.Attendance{Note: "allergie"})
	if err != nil || !absent.Absent || absent.AbsenceReason != data.AbsenceOther || absent.AbsenceText != "op vakantie" {
		t.Fatalf("marked absent: %+v, %v", absent, err)
	}
	if _, err := data.CheckInEdit(time.Now(), data.Date{}, in).Change(data.Attendance{CheckOut: new(data.Clock(7 * 60))}); err == nil {
		t.Error("check-in after the check-out accepted")
	}
	cleared, err := data.ClearAbsenceEdit().Change(absent)
	if err != nil || cleared.Absent || cleared.AbsenceReason != "" || cleared.AbsenceText != "" || cleared.Note != "allergie" {
		t.Errorf("cleared: %+v, %v", cleared, err)
	}
	noted, err := data.SetNoteEdit(" haalt oma ").Change(cleared)
	if err != nil || noted.Note != "haalt oma" {
		t.Errorf("noted: %+v, %v", noted, err)
	}
	e := data.DayEdit{Date: data.NewDate(2026, time.December, 1), GroupID: 1, ChildID: 2}
	c := data.AttendanceChange(e, cleared, noted)
	if c.Kind != data.ChangeAttendance || c.Date != e.Date || c.GroupID != 1 || c.ChildID != 2 || c.Detail != cleared.Summary()+" → "+noted.Summary() {
		t.Errorf("change %+v", c)
	}
}

func TestOnEditableList(t *testing.T) {
	e := data.DayEdit{Date: data.NewDate(2026, time.December, 25), ChildID: 2}
	refusedWith(t, data.OnEditableList(e, "Rups", true, true, "Kerstmis"), data.RefuseDateClosed)
	if err := data.OnEditableList(e, "Rups", false, false, ""); !errors.Is(err, data.ErrNotFound) || !strings.Contains(err.Error(), "Rups") {
		t.Errorf("not listed: %v, want not found in Rups", err)
	}
	refusedWith(t, data.OnEditableList(e, "Rups", true, false, ""), "")
}
