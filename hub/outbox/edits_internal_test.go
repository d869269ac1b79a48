package outbox

import (
	"testing"
	"time"

	"locatiedesk/data"
)

// TestOverlay_D2_KeptActionsInOrder: the kept actions are made on the list
// in the order made, by the rules of package data; one the rules refuse on
// the newer list is left out, actions of other lists are not applied, and
// the kept copy itself is not changed.
func TestOverlay_D2_KeptActionsInOrder(t *testing.T) {
	day := data.NewDate(2026, 11, 23)
	clock := func(h, m int) *data.Clock { c := data.NewClock(h, m); return &c }
	list := data.DayList{Date: day, Group: data.Group{ID: 1}, Rows: []data.DayRow{
		{Child: data.Child{ID: 10}}, {Child: data.Child{ID: 11}}, {Child: data.Child{ID: 12}},
	}}
	edit := func(child data.ID) data.DayEdit {
		return data.DayEdit{Date: day, GroupID: 1, ChildID: child, By: "Tess"}
	}
	kept := []keptItem{
		{1, keptJSON{Action: data.KeptCheckIn, Edit: edit(10), At: clock(8, 0)}},
		{2, keptJSON{Action: data.KeptCheckOut, Edit: edit(10), At: clock(12, 0)}},
		{3, keptJSON{Action: data.KeptCheckOut, Edit: edit(11), At: clock(12, 0)}}, // not checked in: left out
		{4, keptJSON{Action: data.KeptAbsent, Edit: edit(12), Reason: data.AbsenceSick}},
		{5, keptJSON{Action: data.KeptNote, Edit: edit(12), Text: "  belt om 10 uur  "}},
		{6, keptJSON{Action: data.KeptCheckIn, Edit: data.DayEdit{Date: day, GroupID: 2, ChildID: 11}, At: clock(8, 0)}},
		{7, keptJSON{Action: data.KeptCheckIn, Edit: data.DayEdit{Date: day.AddDays(-1), GroupID: 1, ChildID: 11}, At: clock(8, 0)}},
		{8, keptJSON{Action: data.KeptPrint, Text: "who is here"}},
	}
	got := overlay(list, kept, time.Date(2026, 11, 23, 13, 0, 0, 0, time.Local))

	if a := got.Rows[0].Attendance; a.CheckIn == nil || *a.CheckIn != *clock(8, 0) || a.CheckOut == nil || *a.CheckOut != *clock(12, 0) || a.UpdatedBy != "Tess" {
		t.Errorf("child 10: %+v, want in 08:00 and out 12:00 by Tess", a)
	}
	if a := got.Rows[1].Attendance; a.CheckIn != nil || a.CheckOut != nil {
		t.Errorf("child 11: %+v, want untouched (a check-out without check-in; the others are other lists)", a)
	}
	if a := got.Rows[2].Attendance; !a.Absent || a.AbsenceReason != data.AbsenceSick || a.Note != "belt om 10 uur" {
		t.Errorf("child 12: %+v, want sick with the note trimmed", a)
	}
	if list.Rows[0].Attendance.CheckIn != nil {
		t.Error("the kept copy itself was changed")
	}
}

// TestApply_D2_RefusesWhatTheHubWould: a check-out later than now is
// refused on the tablet at once, as the hub would.
func TestApply_D2_RefusesWhatTheHubWould(t *testing.T) {
	day := data.NewDate(2026, 11, 23)
	in, out := data.NewClock(8, 0), data.NewClock(14, 0)
	a := data.Attendance{CheckIn: &in}
	k := keptJSON{Action: data.KeptCheckOut, Edit: data.DayEdit{Date: day}, At: &out}
	if _, err := apply(a, k, time.Date(2026, 11, 23, 13, 0, 0, 0, time.Local)); err == nil {
		t.Error("a check-out at 14:00 at 13:00 was taken")
	}
	if _, err := apply(a, k, time.Date(2026, 11, 23, 15, 0, 0, 0, time.Local)); err != nil {
		t.Errorf("a check-out at 14:00 at 15:00: %v", err)
	}
}
