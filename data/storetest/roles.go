package storetest

import (
	"errors"
	"io"
	"slices"
	"testing"
	"time"

	"locatiedesk/data"
)

func roles(t *testing.T, newStore Factory) {
	run(t, "Roles_StaffWriteOnlyInTheirGroup", newStore, func(t *testing.T, f *fixture) {
		staff := f.as(f.tess)
		ctx := t.Context()
		f.refused(data.ErrForbidden, func() error {
			return staff.CheckIn(ctx, edit(f.tess, f.avonturiers, f.eva, today), data.NewClock(8, 30))
		})
		f.refused(data.ErrForbidden, func() error {
			return staff.SetNote(ctx, edit(f.tess, f.avonturiers, f.eva, today), "niet mijn groep")
		})
		f.refused(data.ErrForbidden, func() error {
			_, err := staff.ReportAbsence(ctx, data.AbsenceReport{ChildID: f.eva.ID, Date: friday, Reason: data.AbsenceSick, By: f.tess.Name})
			return err
		})
		evaDraft := data.RequestDraft{ChildID: f.eva.ID, GroupID: f.avonturiers.ID, Date: wednesday,
			Times: data.TimeRange{From: data.NewClock(12, 0), Until: data.NewClock(15, 0)}, Product: data.ProductBSOSchoolDay, By: f.tess.Name}
		f.refused(data.ErrForbidden, func() error {
			_, err := staff.SubmitRequest(ctx, evaDraft, data.Payment{InvoiceMinutes: 180, InvoiceProduct: data.ProductBSOSchoolDay})
			return err
		})
		// Sven, of that group, may.
		evaDraft.By = f.sven.Name
		p, err := f.as(f.sven).PreviewRequest(ctx, evaDraft)
		f.must(err, "PreviewRequest")
		if p.Problem != nil {
			t.Fatalf("Sven's preview: %v", p.Problem)
		}
		r, err := f.as(f.sven).SubmitRequest(ctx, evaDraft, p.Proposal.Payment)
		f.must(err, "SubmitRequest")
		f.refused(data.ErrForbidden, func() error { return staff.ApproveRequest(ctx, r.ID, f.tess.Name) })
		f.wantStatus(r.ID, data.StatusOpen)
		f.written(f.sven, data.AuditCheckIn, func() error {
			return f.as(f.sven).CheckIn(ctx, edit(f.sven, f.avonturiers, f.eva, today), data.NewClock(8, 30))
		})
	})

	run(t, "Roles_StaffSeeTheirOwnGroups", newStore, func(t *testing.T, f *fixture) {
		ctx := t.Context()
		groups, err := f.as(f.tess).Groups(ctx, f.vlinder.ID)
		f.must(err, "Groups")
		if len(groups) != 1 || groups[0].ID != f.rupsjes.ID {
			t.Errorf("Tess's groups %+v, want Rupsjes only", groups)
		}
		if _, err := f.as(f.tess).DayList(ctx, f.avonturiers.ID, today); !errors.Is(err, data.ErrForbidden) {
			t.Errorf("Tess reads Avonturiers' list: %v, want ErrForbidden", err)
		}
		if _, err := f.as(f.egelManager).DayList(ctx, f.rupsjes.ID, today); !errors.Is(err, data.ErrForbidden) {
			t.Errorf("De Egel's manager reads Rupsjes' list: %v, want ErrForbidden", err)
		}
		for _, who := range []data.Actor{f.tess, f.manager, f.office} {
			if l, err := f.as(who).DayList(ctx, f.rupsjes.ID, today); err != nil || len(l.Rows) != 3 {
				t.Errorf("%s reads Rupsjes' list: %d rows, %v", who.Name, len(l.Rows), err)
			}
		}
		present, err := f.as(f.tess).PresentNow(ctx, f.vlinder.ID, 0)
		f.must(err, "PresentNow")
		if len(present.Groups) != 1 || present.Groups[0].Group.ID != f.rupsjes.ID {
			t.Errorf("Tess's present list has %d groups, want Rupsjes only", len(present.Groups))
		}
		// Requests of another group stay out of the staff's queue.
		f.submit(f.tess, f.dewiDraft(wednesday), data.CreditEntry{})
		evaDraft := data.RequestDraft{ChildID: f.eva.ID, GroupID: f.avonturiers.ID, Date: wednesday,
			Times: data.TimeRange{From: data.NewClock(12, 0), Until: data.NewClock(15, 0)}, Product: data.ProductBSOSchoolDay, By: f.sven.Name}
		f.submit(f.sven, evaDraft, data.CreditEntry{})
		queue, err := f.as(f.tess).LocationQueue(ctx, f.vlinder.ID)
		f.must(err, "LocationQueue")
		if len(queue) != 1 || queue[0].Request.ChildID != f.dewi.ID {
			t.Errorf("Tess's queue %+v, want Dewi's request only", queue)
		}
		all, err := f.as(f.manager).LocationQueue(ctx, f.vlinder.ID)
		f.must(err, "LocationQueue")
		if len(all) != 2 {
			t.Errorf("the manager's queue has %d requests, want both", len(all))
		}
	})

	run(t, "Roles_OfficeAndManagerScope", newStore, func(t *testing.T, f *fixture) {
		ctx := t.Context()
		office := f.as(f.office)
		f.refused(data.ErrForbidden, func() error { // the office does no attendance
			return office.SetNote(ctx, edit(f.office, f.rupsjes, f.anna, today), "x")
		})
		f.refused(data.ErrForbidden, func() error { return office.SaveSettings(ctx, data.DefaultSettings()) })
		f.refused(data.ErrForbidden, func() error { // nor contracts at another location
			_, err := office.AddChild(ctx, data.Child{LocationID: f.egel.ID, FirstName: "Gijs", LastName: "Conform", BirthDate: data.NewDate(2025, time.January, 1)})
			return err
		})
		f.written(f.office, data.AuditRecordConsent, func() error {
			return office.RecordConsent(ctx, data.ConsentChange{ChildID: f.anna.ID, Level: data.ConsentPortal, Given: today, Source: data.ConsentFromForm, RecordedBy: f.office.Name})
		})
		egel := f.as(f.egelManager)
		f.refused(data.ErrForbidden, func() error { // a manager of another location
			return egel.CheckIn(ctx, edit(f.egelManager, f.rupsjes, f.anna, today), data.NewClock(8, 0))
		})
		f.refused(data.ErrForbidden, func() error {
			return egel.RenameLocation(ctx, f.vlinder.ID, "Niet de mijne")
		})
		f.written(f.egelManager, data.AuditCheckIn, func() error {
			return egel.CheckIn(ctx, edit(f.egelManager, f.egeltjes, f.finn, today), data.NewClock(8, 0))
		})
		staff := f.as(f.tess)
		f.refused(data.ErrForbidden, func() error { return staff.SaveSettings(ctx, data.DefaultSettings()) })
		f.refused(data.ErrForbidden, func() error {
			_, err := staff.AddUser(ctx, data.NewUser{User: data.User{Name: "Nieuw", Role: data.RoleStaff, LocationIDs: []data.ID{f.vlinder.ID}, GroupIDs: []data.ID{f.rupsjes.ID}}, Secret: "4321"})
			return err
		})
		accounts, err := f.as(f.egelManager).StaffAccounts(ctx)
		f.must(err, "StaffAccounts")
		for _, a := range accounts {
			if a.Name == f.tess.Name {
				t.Errorf("the manager of De Egel sees De Vlinder's account %q", a.Name)
			}
		}
	})

	run(t, "Roles_WrongPINLocksOut", newStore, func(t *testing.T, f *fixture) {
		ctx := t.Context()
		s, err := f.sys.Settings(ctx)
		f.must(err, "Settings")
		for i := 1; i < s.SignInAttempts; i++ {
			if _, err := f.sys.SignIn(ctx, f.tess.UserID, "0000"); !errors.Is(err, data.ErrWrongSecret) {
				t.Fatalf("wrong PIN %d: %v, want ErrWrongSecret", i, err)
			}
		}
		if _, err := f.sys.SignIn(ctx, f.tess.UserID, "0000"); !errors.Is(err, data.ErrLockedOut) {
			t.Fatalf("wrong PIN %d: %v, want ErrLockedOut", s.SignInAttempts, err)
		}
		if _, err := f.sys.SignIn(ctx, f.tess.UserID, tessPIN); !errors.Is(err, data.ErrLockedOut) {
			t.Fatalf("the right PIN while locked out: %v, want ErrLockedOut", err)
		}
		wrong, err := f.sys.Audit(ctx, data.AuditFilter{Action: data.AuditSignIn, UserID: 0, Limit: 1000})
		f.must(err, "Audit")
		if n := countDetail(wrong, "wrong"); n != s.SignInAttempts {
			t.Errorf("%d wrong sign-ins logged, want %d", n, s.SignInAttempts)
		}
		f.clock.add(time.Duration(s.LockoutMinutes)*time.Minute + time.Second)
		actor, err := f.sys.SignIn(ctx, f.tess.UserID, tessPIN)
		f.must(err, "SignIn after the lock-out")
		if actor.UserID != f.tess.UserID || !slices.Equal(actor.Groups, []data.ID{f.rupsjes.ID}) {
			t.Errorf("signed in as %+v", actor)
		}
	})

	run(t, "Roles_ChildDataStaysAtItsLocation", newStore, func(t *testing.T, f *fixture) {
		ctx := t.Context()
		egel := f.as(f.egelManager)
		reads := map[string]func(s data.Store, id data.ID) error{
			"Child":         func(s data.Store, id data.ID) error { _, err := s.Child(ctx, id); return err },
			"Contracts":     func(s data.Store, id data.ID) error { _, err := s.Contracts(ctx, id); return err },
			"Ledger":        func(s data.Store, id data.ID) error { _, err := s.Ledger(ctx, id); return err },
			"ChildRequests": func(s data.Store, id data.ID) error { _, err := s.ChildRequests(ctx, id); return err },
			"Consent":       func(s data.Store, id data.ID) error { _, err := s.Consent(ctx, id); return err },
		}
		for name, read := range reads {
			if err := read(egel, f.anna.ID); !errors.Is(err, data.ErrForbidden) {
				t.Errorf("De Egel's manager: %s of Anna (De Vlinder): %v, want ErrForbidden", name, err)
			}
			if err := read(egel, f.finn.ID); err != nil {
				t.Errorf("De Egel's manager: %s of Finn (De Egel): %v", name, err)
			}
			// Tess works in Rupsjes; Eva is in Avonturiers, in the same building.
			if err := read(f.as(f.tess), f.eva.ID); err != nil {
				t.Errorf("Tess: %s of Eva at her own location: %v", name, err)
			}
		}
		if _, err := egel.Children(ctx, f.vlinder.ID); !errors.Is(err, data.ErrForbidden) {
			t.Errorf("De Egel's manager lists De Vlinder's children: %v, want ErrForbidden", err)
		}
		all, err := egel.Children(ctx, 0)
		f.must(err, "Children(0)")
		if len(all) != 1 || all[0].ID != f.finn.ID {
			t.Errorf("De Egel's manager lists %+v, want Finn only", all)
		}
	})

	run(t, "Roles_BackupIsForManagersOfEveryLocation", newStore, func(t *testing.T, f *fixture) {
		ctx := t.Context()
		// The file holds De Vlinder and De Egel: a manager of one of them
		// may not take the other's children home on a memory stick.
		for _, who := range []data.Actor{f.tess, f.office, f.manager} {
			f.refused(data.ErrForbidden, func() error {
				_, err := f.as(who).WriteBackup(ctx, io.Discard)
				return err
			})
		}
		n, err := f.sys.WriteBackup(ctx, io.Discard)
		f.must(err, "WriteBackup")
		if n == 0 {
			t.Error("the system's backup is empty")
		}
	})
}

func countDetail(entries []data.AuditEntry, word string) int {
	n := 0
	for _, e := range entries {
		for _, c := range e.Changes {
			if c.Kind == data.ChangeSignIn && len(c.Detail) >= len(word) && c.Detail[:len(word)] == word {
				n++
			}
		}
	}
	return n
}
