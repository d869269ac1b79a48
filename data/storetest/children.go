package storetest

import (
	"testing"
	"time"

	"locatiedesk/data"
)

// contractOf is the child's one contract running on d.
func (f *fixture) contractOf(c data.Child, d data.Date) data.Contract {
	f.t.Helper()
	all, err := f.sys.Contracts(f.t.Context(), c.ID)
	f.must(err, "Contracts")
	var running []data.Contract
	for _, k := range all {
		if k.Runs(d) {
			running = append(running, k)
		}
	}
	if len(running) != 1 {
		f.t.Fatalf("%s has %d contracts on %s, want 1: %+v", c.FirstName, len(running), d, all)
	}
	return running[0]
}

func children(t *testing.T, newStore Factory) {
	run(t, "M1_AddChildAndContract", newStore, func(t *testing.T, f *fixture) {
		office := f.as(f.office)
		var gijs data.Child
		f.written(f.office, data.AuditAddChild, func() error {
			var err error
			gijs, err = office.AddChild(t.Context(), data.Child{LocationID: f.vlinder.ID, FirstName: "Gijs", LastName: "Conform", BirthDate: data.NewDate(2025, time.January, 2)})
			return err
		})
		stored, err := f.sys.Child(t.Context(), gijs.ID)
		f.must(err, "Child")
		if gijs.ID == 0 || stored.Name() != "Gijs Conform" || stored.BirthDate != data.NewDate(2025, time.January, 2) {
			t.Fatalf("stored child %+v", stored)
		}
		f.written(f.office, data.AuditAddContract, func() error {
			_, err := office.AddContract(t.Context(), data.Contract{ChildID: gijs.ID, GroupID: f.rupsjes.ID, Product: data.ProductKDV, Start: wednesday,
				Days: []data.ContractDay{{Weekday: time.Wednesday, Times: morning}}})
			return err
		})
		if !f.onList(f.rupsjes, gijs, wednesday) || f.onList(f.rupsjes, gijs, wednesday.AddDays(-7)) {
			t.Error("Gijs's contract does not put him on Wednesdays from its start only")
		}
		f.refused(data.ErrInvalid, func() error {
			_, err := office.AddContract(t.Context(), data.Contract{ChildID: gijs.ID, GroupID: f.rupsjes.ID, Product: "onbekend", Start: wednesday})
			return err
		})
	})

	run(t, "M2_ChangeContractFromADate", newStore, func(t *testing.T, f *fixture) {
		old := f.contractOf(f.dewi, today)
		next := old
		next.ID = 0
		next.Days = []data.ContractDay{{Weekday: time.Wednesday, Times: morning}}
		f.written(f.office, data.AuditChangeContract, func() error {
			_, err := f.as(f.office).ChangeContract(t.Context(), old.ID, nextWeek, next)
			return err
		})
		if f.contractOf(f.dewi, today).End != nextWeek.AddDays(-1) {
			t.Errorf("the old version ends on %s, want the day before %s", f.contractOf(f.dewi, today).End, nextWeek)
		}
		if !f.onList(f.rupsjes, f.dewi, friday) || f.onList(f.rupsjes, f.dewi, wednesday) {
			t.Error("this week's days changed")
		}
		if f.onList(f.rupsjes, f.dewi, nextWeek.AddDays(4)) || !f.onList(f.rupsjes, f.dewi, nextWeek.AddDays(1)) {
			t.Error("from the change on, Dewi is not expected on Wednesdays only")
		}
	})

	run(t, "M2_MoveChild", newStore, func(t *testing.T, f *fixture) {
		f.written(f.manager, data.AuditMoveChild, func() error {
			return f.as(f.manager).MoveChild(t.Context(), f.anna.ID, f.vlindertjes.ID, nextWeek)
		})
		if !f.onList(f.rupsjes, f.anna, today) || f.onList(f.vlindertjes, f.anna, today) {
			t.Error("the move changed today")
		}
		if f.onList(f.rupsjes, f.anna, nextWeek) || !f.onList(f.vlindertjes, f.anna, nextWeek) {
			t.Error("after the move Anna is not in Vlindertjes")
		}
		f.refused(data.ErrForbidden, func() error { // to a group at a location the manager does not serve
			return f.as(f.manager).MoveChild(t.Context(), f.anna.ID, f.egeltjes.ID, nextWeek.AddDays(7))
		})
	})

	run(t, "M2_EndCare", newStore, func(t *testing.T, f *fixture) {
		f.written(f.office, data.AuditEndCare, func() error {
			return f.as(f.office).EndCare(t.Context(), f.bram.ID, thursday)
		})
		if !f.onList(f.rupsjes, f.bram, thursday) || f.onList(f.rupsjes, f.bram, nextWeek) {
			t.Error("Bram is not expected up to his last day only")
		}
	})

	run(t, "C1_RecordConsent", newStore, func(t *testing.T, f *fixture) {
		f.written(f.manager, data.AuditRecordConsent, func() error {
			return f.as(f.manager).RecordConsent(t.Context(), data.ConsentChange{ChildID: f.anna.ID, Level: data.ConsentNone, Given: yesterday,
				Source: data.ConsentFromPhone, RecordedBy: f.manager.Name})
		})
		c, err := f.sys.Consent(t.Context(), f.anna.ID)
		f.must(err, "Consent")
		if c.Level != data.ConsentNone || c.Since != yesterday || len(c.History) != 1 || c.History[0].RecordedBy != f.manager.Name {
			t.Errorf("Anna's consent %+v", c)
		}
		if r := f.row(f.rupsjes, f.anna, today); r.Consent != data.ConsentNone {
			t.Errorf("the list shows Anna's consent as %q (C2)", r.Consent)
		}
		f.refused(data.ErrForbidden, func() error {
			return f.as(f.tess).RecordConsent(t.Context(), data.ConsentChange{ChildID: f.anna.ID, Level: data.ConsentPublic, Given: today,
				Source: data.ConsentFromPhone, RecordedBy: f.tess.Name})
		})
	})
}

func organisation(t *testing.T, newStore Factory) {
	run(t, "M1_SetUpOnlyOnce", newStore, func(t *testing.T, f *fixture) {
		empty, err := f.sys.IsEmpty(t.Context())
		f.must(err, "IsEmpty")
		if empty {
			t.Error("a set-up store says it is empty")
		}
		name, err := f.sys.OrganisationName(t.Context())
		f.must(err, "OrganisationName")
		if name != "Kinderopvang Conform" {
			t.Errorf("organisation %q", name)
		}
		f.refused(data.ErrNotEmpty, func() error {
			_, err := f.sys.SetUp(t.Context(), data.OrganisationSetup{Organisation: "Tweede", Location: "Elders", Manager: "Iemand", Secret: "wachtwoord-twee"})
			return err
		})
	})

	run(t, "M1_Settings", newStore, func(t *testing.T, f *fixture) {
		s, err := f.sys.Settings(t.Context())
		f.must(err, "Settings")
		if s != data.DefaultSettings() {
			t.Errorf("a new organisation's settings %+v, want the defaults", s)
		}
		s.StudyDayMinimum, s.ParentRequestUntilDays = 5, 3
		f.written(f.manager, data.AuditSaveSettings, func() error { return f.as(f.manager).SaveSettings(t.Context(), s) })
		got, err := f.sys.Settings(t.Context())
		f.must(err, "Settings")
		if got != s {
			t.Errorf("saved settings read back as %+v", got)
		}
		bad := s
		bad.ParentRequestFromDays = 2 // the window must run downwards
		f.refused(data.ErrInvalid, func() error { return f.as(f.manager).SaveSettings(t.Context(), bad) })
	})

	run(t, "M1_StaffAccounts", newStore, func(t *testing.T, f *fixture) {
		manager := f.as(f.manager)
		var u data.User
		f.written(f.manager, data.AuditAddUser, func() error {
			var err error
			u, err = manager.AddUser(t.Context(), data.NewUser{User: data.User{Name: "Noor Nieuw", Role: data.RoleStaff,
				LocationIDs: []data.ID{f.vlinder.ID}, GroupIDs: []data.ID{f.rupsjes.ID}}, Secret: "2468"})
			return err
		})
		if _, err := f.sys.SignIn(t.Context(), u.ID, "2468"); err != nil {
			t.Fatalf("the new account cannot sign in: %v", err)
		}
		f.written(f.manager, data.AuditSetSecret, func() error { return manager.SetSecret(t.Context(), u.ID, "1357") })
		if _, err := f.sys.SignIn(t.Context(), u.ID, "2468"); err == nil {
			t.Error("the old PIN still signs in")
		}
		f.written(f.manager, data.AuditDeactivateUser, func() error { return manager.DeactivateUser(t.Context(), u.ID) })
		if _, err := f.sys.SignIn(t.Context(), u.ID, "1357"); err == nil {
			t.Error("a deactivated account signs in")
		}
		accounts, err := manager.StaffAccounts(t.Context())
		f.must(err, "StaffAccounts")
		found := false
		for _, a := range accounts {
			if a.ID == u.ID {
				found = true
				if a.Active() || !a.HasPIN || a.HasPassword {
					t.Errorf("account %+v, want deactivated with a PIN", a)
				}
			}
		}
		if !found {
			t.Error("the deactivated account is not listed")
		}
	})
}
