package storetest

import (
	"testing"

	"locatiedesk/data"
)

func audit(t *testing.T, newStore Factory) {
	run(t, "Audit_EveryWriteOneEntryByItsActor", newStore, func(t *testing.T, f *fixture) {
		ctx := t.Context()
		for _, w := range []struct {
			action string
			who    data.Actor
			write  func() error
		}{
			{data.AuditCheckIn, f.tess, func() error {
				return f.as(f.tess).CheckIn(ctx, edit(f.tess, f.rupsjes, f.anna, today), data.NewClock(8, 0))
			}},
			{data.AuditReportAbsence, f.tess, func() error {
				_, err := f.as(f.tess).ReportAbsence(ctx, data.AbsenceReport{ChildID: f.dewi.ID, Date: friday, Reason: data.AbsenceSick, By: f.tess.Name})
				return err
			}},
			{data.AuditPrint, f.sven, func() error { return f.as(f.sven).LogPrint(ctx, "lijst Avonturiers") }},
			{data.AuditRenameOrganisation, f.manager, func() error { return f.as(f.manager).RenameOrganisation(ctx, "Kinderopvang Hernoemd") }},
			{data.AuditRenameLocation, f.manager, func() error { return f.as(f.manager).RenameLocation(ctx, f.vlinder.ID, "De Vlinder-Oost") }},
			{data.AuditUpdateGroup, f.manager, func() error {
				g := f.rupsjes
				g.Capacity = 4
				return f.as(f.manager).UpdateGroup(ctx, g)
			}},
			{data.AuditUpdateChild, f.office, func() error {
				c := f.cas
				c.Number = "K-17"
				return f.as(f.office).UpdateChild(ctx, c)
			}},
		} {
			f.sub(w.action, func() { f.written(w.who, w.action, w.write) })
		}
		if g, err := f.sys.Group(ctx, f.rupsjes.ID); err != nil || g.Capacity != 4 {
			t.Errorf("Rupsjes after UpdateGroup: %+v, %v", g, err)
		}
		if name, err := f.sys.OrganisationName(ctx); err != nil || name != "Kinderopvang Hernoemd" {
			t.Errorf("organisation name %q, %v", name, err)
		}
	})

	run(t, "Audit_FilterByChildUserAndDate", newStore, func(t *testing.T, f *fixture) {
		ctx := t.Context()
		staff := f.as(f.tess)
		f.must(staff.CheckIn(ctx, edit(f.tess, f.rupsjes, f.anna, today), data.NewClock(8, 0)), "CheckIn")
		f.must(staff.SetNote(ctx, edit(f.tess, f.rupsjes, f.bram, today), "x"), "SetNote")
		f.must(f.as(f.manager).SetNote(ctx, edit(f.manager, f.rupsjes, f.anna, today), "y"), "SetNote")
		byChild, err := f.sys.Audit(ctx, data.AuditFilter{ChildID: f.anna.ID})
		f.must(err, "Audit")
		if len(byChild) != 4 || byChild[0].Who != f.manager.Name || byChild[1].Action != data.AuditCheckIn || byChild[3].Action != data.AuditAddChild {
			t.Errorf("Anna's entries %+v, want the manager's note, Tess's check-in, her contract and herself, newest first", byChild)
		}
		byUser, err := f.sys.Audit(ctx, data.AuditFilter{UserID: f.tess.UserID, Actions: []string{data.AuditCheckIn, data.AuditSetNote}})
		f.must(err, "Audit")
		if len(byUser) != 2 {
			t.Errorf("Tess's entries %+v, want 2", byUser)
		}
		byDate, err := f.sys.Audit(ctx, data.AuditFilter{Date: yesterday})
		f.must(err, "Audit")
		if len(byDate) != 0 {
			t.Errorf("entries about yesterday %+v, want none", byDate)
		}
	})
}
