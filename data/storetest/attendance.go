package storetest

import (
	"testing"

	"locatiedesk/data"
)

func attendance(t *testing.T, newStore Factory) {
	run(t, "A1_ListHoldsTheContractDays", newStore, func(t *testing.T, f *fixture) {
		l := f.list(f.rupsjes, today)
		var names []string
		for _, r := range l.Rows {
			names = append(names, r.Child.FirstName)
		}
		if len(names) != 3 || !containsAll(names, "Anna", "Bram", "Cas") || l.Closed {
			t.Fatalf("Tuesday's Rupsjes list %v (closed %v), want Anna, Bram and Cas", names, l.Closed)
		}
		r := f.row(f.rupsjes, f.anna, today)
		if r.Expected != (data.TimeRange{From: data.NewClock(7, 30), Until: data.NewClock(18, 0)}) || r.Source != data.SourceContract {
			t.Errorf("Anna's row expects %v from %q, want 07:30–18:00 from her contract", r.Expected, r.Source)
		}
		if f.onList(f.rupsjes, f.dewi, today) || !f.onList(f.rupsjes, f.dewi, friday) {
			t.Error("Dewi (Mondays and Fridays) is on Tuesday's list or missing from Friday's")
		}
		if l := f.list(f.rupsjes, saturday); !l.Closed || len(l.Rows) != 0 {
			t.Errorf("Saturday's list: closed %v with %d rows, want closed and empty", l.Closed, len(l.Rows))
		}
	})

	run(t, "A4_CheckInOutAbsenceNote", newStore, func(t *testing.T, f *fixture) {
		staff := f.as(f.tess)
		ctx := t.Context()
		f.written(f.tess, data.AuditCheckIn, func() error {
			return staff.CheckIn(ctx, edit(f.tess, f.rupsjes, f.anna, today), data.NewClock(8, 15))
		})
		f.refused(data.ErrInvalid, func() error { // a check-out that has not happened yet
			return staff.CheckOut(ctx, edit(f.tess, f.rupsjes, f.anna, today), data.NewClock(9, 30))
		})
		f.written(f.tess, data.AuditCheckOut, func() error {
			return staff.CheckOut(ctx, edit(f.tess, f.rupsjes, f.anna, today), data.NewClock(8, 55))
		})
		a := f.row(f.rupsjes, f.anna, today).Attendance
		if a.CheckIn == nil || *a.CheckIn != data.NewClock(8, 15) || a.CheckOut == nil || *a.CheckOut != data.NewClock(8, 55) || a.UpdatedBy != f.tess.Name {
			t.Errorf("Anna's record %+v, want in 08:15, out 08:55 by Tess", a)
		}

		f.written(f.tess, data.AuditMarkAbsent, func() error {
			return staff.MarkAbsent(ctx, edit(f.tess, f.rupsjes, f.bram, today), data.AbsenceSick)
		})
		if a := f.row(f.rupsjes, f.bram, today).Attendance; !a.Absent || a.AbsenceReason != data.AbsenceSick {
			t.Errorf("Bram's record %+v, want absent, sick", a)
		}
		f.written(f.tess, data.AuditMarkAbsentOther, func() error {
			return staff.MarkAbsentOther(ctx, edit(f.tess, f.rupsjes, f.bram, today), "bij oma")
		})
		if a := f.row(f.rupsjes, f.bram, today).Attendance; !a.Absent || a.AbsenceReason != data.AbsenceOther || a.AbsenceText != "bij oma" {
			t.Errorf("Bram's record %+v, want absent, other: bij oma", a)
		}
		f.written(f.tess, data.AuditClearAbsence, func() error {
			return staff.ClearAbsence(ctx, edit(f.tess, f.rupsjes, f.bram, today))
		})
		if a := f.row(f.rupsjes, f.bram, today).Attendance; a.Absent {
			t.Errorf("Bram's record %+v, want the absence cleared", a)
		}
		f.written(f.tess, data.AuditSetNote, func() error {
			return staff.SetNote(ctx, edit(f.tess, f.rupsjes, f.cas, today), "opa haalt op")
		})
		if a := f.row(f.rupsjes, f.cas, today).Attendance; a.Note != "opa haalt op" {
			t.Errorf("Cas's note %q", a.Note)
		}
		in, out := data.NewClock(7, 45), data.NewClock(8, 30)
		f.written(f.tess, data.AuditSetTimes, func() error {
			return staff.SetTimes(ctx, edit(f.tess, f.rupsjes, f.cas, today), &in, &out)
		})
		if a := f.row(f.rupsjes, f.cas, today).Attendance; a.CheckIn == nil || *a.CheckIn != in || a.CheckOut == nil || *a.CheckOut != out || a.Note != "opa haalt op" {
			t.Errorf("Cas's record %+v, want 07:45–08:30 and the note kept", a)
		}
	})

	run(t, "A3_AnotherDateNeedsAnUnlock", newStore, func(t *testing.T, f *fixture) {
		staff := f.as(f.tess)
		ctx := t.Context()
		f.refused(data.ErrLocked, func() error {
			return staff.CheckIn(ctx, edit(f.tess, f.rupsjes, f.anna, yesterday), data.NewClock(8, 0))
		})
		var u *data.Unlock
		e := f.written(f.tess, data.AuditUnlock, func() error {
			var err error
			u, err = staff.Unlock(ctx, yesterday, f.tess.Name)
			return err
		})
		if u == nil || u.Date() != yesterday || len(e.Changes) == 0 || e.Changes[0].Date != yesterday {
			t.Fatalf("unlock %+v, entry %+v: want one for %s", u, e, yesterday)
		}
		unlocked := edit(f.tess, f.rupsjes, f.anna, yesterday)
		unlocked.Unlock = u
		f.written(f.tess, data.AuditCheckIn, func() error { return staff.CheckIn(ctx, unlocked, data.NewClock(8, 0)) })
		if a := f.row(f.rupsjes, f.anna, yesterday).Attendance; a.CheckIn == nil || *a.CheckIn != data.NewClock(8, 0) {
			t.Errorf("Anna's record of yesterday %+v, want in 08:00", a)
		}
		// An unlock opens its own date only.
		other := edit(f.tess, f.rupsjes, f.anna, today.AddDays(-7))
		other.Unlock = u
		f.refused(data.ErrLocked, func() error { return staff.CheckIn(ctx, other, data.NewClock(8, 0)) })
	})

	run(t, "A1_ClosedDayTakesNoEdits", newStore, func(t *testing.T, f *fixture) {
		staff := f.as(f.tess)
		u, err := staff.Unlock(t.Context(), saturday, f.tess.Name)
		f.must(err, "Unlock")
		e := edit(f.tess, f.rupsjes, f.anna, saturday)
		e.Unlock = u
		f.refused(data.ErrClosedDay, func() error { return staff.SetNote(t.Context(), e, "zaterdag") })
	})

	run(t, "A2_PresentNow", newStore, func(t *testing.T, f *fixture) {
		staff := f.as(f.tess)
		f.must(staff.CheckIn(t.Context(), edit(f.tess, f.rupsjes, f.anna, today), data.NewClock(8, 0)), "CheckIn")
		f.must(staff.CheckIn(t.Context(), edit(f.tess, f.rupsjes, f.bram, today), data.NewClock(8, 10)), "CheckIn")
		f.must(staff.CheckOut(t.Context(), edit(f.tess, f.rupsjes, f.bram, today), data.NewClock(8, 50)), "CheckOut")
		p, err := staff.PresentNow(t.Context(), f.vlinder.ID, f.rupsjes.ID)
		f.must(err, "PresentNow")
		var here []data.ID
		for _, g := range p.Groups {
			for _, c := range g.Here {
				here = append(here, c.ChildID)
			}
		}
		if len(here) != 1 || here[0] != f.anna.ID {
			t.Errorf("present now %v, want Anna (%d) only", here, f.anna.ID)
		}
	})
}

func containsAll(have []string, want ...string) bool {
	for _, w := range want {
		found := false
		for _, h := range have {
			found = found || h == w
		}
		if !found {
			return false
		}
	}
	return true
}
