package pgstore_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"locatiedesk/data"
	"locatiedesk/data/datatest"
)

// The set-up tests of boltstore (organisation_test.go), through the Store
// interface on PostgreSQL: what the conformance suite's fixture does not
// refuse or check.

func newOrganisation() data.OrganisationSetup {
	return data.OrganisationSetup{
		Organisation: "Kinderopvang Het Zonnetje",
		Location:     "De Zonnebloem",
		Groups:       []data.GroupSetup{{Name: "Peuters", Care: data.KDV, Capacity: 16}, {Name: "Bengels", Care: data.BSO, Capacity: 22}},
		Manager:      "Fatma Yılmaz",
		Secret:       "zonnebloem2026",
	}
}

func TestSetUp_M1_RefusesBadInputAndWritesNothing(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(*data.OrganisationSetup)
	}{
		{"no organisation name", func(s *data.OrganisationSetup) { s.Organisation = " " }},
		{"short password", func(s *data.OrganisationSetup) { s.Secret = "abc" }},
		{"no places", func(s *data.OrganisationSetup) { s.Groups[0].Capacity = 0 }},
		{"two groups of one name", func(s *data.OrganisationSetup) { s.Groups[1].Name = "peuters" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db := open(t, func() time.Time { return catalogStart })
			s := newOrganisation()
			tc.change(&s)
			if _, err := db.SetUp(t.Context(), s); !errors.Is(err, data.ErrInvalid) {
				t.Fatalf("SetUp = %v, want ErrInvalid", err)
			}
			if empty, err := db.IsEmpty(t.Context()); err != nil || !empty {
				t.Errorf("after a refused set-up the database is empty: %v (%v)", empty, err)
			}
			if name, err := db.OrganisationName(t.Context()); err != nil || name != "" {
				t.Errorf("a refused set-up named the organisation %q (%v)", name, err)
			}
		})
	}
	t.Run("set up twice", func(t *testing.T) {
		db := open(t, func() time.Time { return catalogStart })
		if empty, err := db.IsEmpty(t.Context()); err != nil || !empty {
			t.Fatalf("a new database is empty: %v (%v)", empty, err)
		}
		if _, err := db.SetUp(t.Context(), newOrganisation()); err != nil {
			t.Fatal(err)
		}
		if _, err := db.SetUp(t.Context(), newOrganisation()); !errors.Is(err, data.ErrNotEmpty) {
			t.Fatalf("second SetUp = %v, want ErrNotEmpty", err)
		}
		entries, err := db.Audit(t.Context(), data.AuditFilter{Action: data.AuditSetUp})
		if err != nil || len(entries) != 1 || !strings.Contains(entries[0].Detail, "De Zonnebloem") {
			t.Errorf("audit of the set-up: %+v, %v", entries, err)
		}
	})
}

// Settings saved before the set-up (by a tool) keep the organisation's row
// nameless until the set-up names it.
func TestSaveSettings_BeforeSetUp(t *testing.T) {
	db := open(t, func() time.Time { return catalogStart })
	s := data.DefaultSettings()
	s.CreditExpiryDays = 35
	if err := db.SaveSettings(t.Context(), s); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SetUp(t.Context(), newOrganisation()); err != nil {
		t.Fatal(err)
	}
	if got, err := db.Settings(t.Context()); err != nil || got != s {
		t.Errorf("settings after the set-up %+v (%v), want those saved before", got, err)
	}
	if name, err := db.OrganisationName(t.Context()); err != nil || name != "Kinderopvang Het Zonnetje" {
		t.Errorf("organisation %q (%v)", name, err)
	}
}

func TestLocationsAndGroups_M1_ClosedVanishFromPickersHistoryStays(t *testing.T) {
	db, manager := setUp(t)
	ctx := t.Context()
	vlinder := manager.Locations[0]
	extra, err := db.AddGroup(ctx, data.Group{LocationID: vlinder, Name: "Dolfijnen", Care: data.KDV, Capacity: 12,
		Hours: data.OpeningHours{Day: data.TimeRange{From: data.NewClock(7, 0), Until: data.NewClock(18, 30)}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.AddGroup(ctx, data.Group{LocationID: vlinder, Name: "dolfijnen", Care: data.BSO, Capacity: 12}); !errors.Is(err, data.ErrInvalid) {
		t.Errorf("a second group of the same name = %v, want ErrInvalid", err)
	}
	if err := db.CloseGroup(ctx, extra.ID); err != nil {
		t.Fatalf("closing an empty group: %v", err)
	}
	if err := db.CloseGroup(ctx, extra.ID); !errors.Is(err, data.ErrInvalid) {
		t.Errorf("closing it again = %v, want ErrInvalid", err)
	}
	groups, _ := db.Groups(ctx, vlinder)
	for _, g := range groups {
		if g.ID == extra.ID {
			t.Error("a closed group is still in the picker")
		}
	}
	if g, err := db.Group(ctx, extra.ID); err != nil || g.ClosedOn != data.DateOf(catalogStart) || g.Hours.Day.From != data.NewClock(7, 0) {
		t.Errorf("the closed group itself: %+v, %v", g, err)
	}
	if org, err := db.Organisation(ctx); err != nil || len(org.Groups) != 3 {
		t.Errorf("Organisation lists %d groups, want 3 with the closed one: %v", len(org.Groups), err)
	}
	if err := db.RenameLocation(ctx, vlinder, "De Vlinder-Oost"); err != nil {
		t.Fatal(err)
	}
	if err := db.CloseLocation(ctx, vlinder); !errors.Is(err, data.ErrInvalid) {
		t.Errorf("closing a location with open groups = %v, want ErrInvalid", err)
	}
	loc, err := db.AddLocation(ctx, "De Tweede")
	if err != nil {
		t.Fatal(err)
	}
	if err := db.CloseLocation(ctx, loc.ID); err != nil {
		t.Fatal(err)
	}
	if locations, _ := db.Locations(ctx); len(locations) != 1 || locations[0].Name != "De Vlinder-Oost" {
		t.Errorf("pickers' locations %+v, want only the renamed open one", locations)
	}
	if _, err := db.AddGroup(ctx, data.Group{LocationID: loc.ID, Name: "Nieuw", Care: data.KDV, Capacity: 4}); !errors.Is(err, data.ErrInvalid) {
		t.Errorf("a group at a closed location = %v, want ErrInvalid", err)
	}
	if _, err := db.AddLocation(ctx, "De Tweede"); err != nil {
		t.Errorf("the name of a closed location for a new one: %v", err)
	}
	if err := db.UpdateGroup(ctx, data.Group{ID: groups[0].ID, Name: groups[0].Name, Care: data.BSO, Capacity: 5}); !errors.Is(err, data.ErrInvalid) {
		t.Errorf("a group changing its care type = %v, want ErrInvalid", err)
	}
}

func TestStaffAccounts_M1_AddEditDeactivate(t *testing.T) {
	db, boss := setUp(t)
	ctx := t.Context()
	manager := db.As(boss)
	org, _ := manager.Organisation(ctx)
	rupsjes := org.Groups[0].ID
	staff, err := manager.AddUser(ctx, data.NewUser{User: data.User{Name: "Noor", Role: data.RoleStaff, GroupIDs: []data.ID{rupsjes}}, Secret: "4321"})
	if err != nil {
		t.Fatal(err)
	}
	if staff.PINHash != nil || staff.SecretHash != nil {
		t.Error("AddUser returned a hash")
	}
	noor, err := db.SignIn(ctx, staff.ID, "4321")
	if err != nil {
		t.Fatalf("new staff cannot sign in: %v", err)
	}
	if _, err := manager.AddUser(ctx, data.NewUser{User: data.User{Name: "noor", Role: data.RoleStaff, GroupIDs: []data.ID{rupsjes}}, Secret: "1111"}); !errors.Is(err, data.ErrInvalid) {
		t.Errorf("a second active Noor = %v, want ErrInvalid", err)
	}
	if _, err := db.As(noor).AddUser(ctx, data.NewUser{User: data.User{Name: "X", Role: data.RoleStaff, GroupIDs: []data.ID{rupsjes}}, Secret: "1111"}); !errors.Is(err, data.ErrForbidden) {
		t.Errorf("staff adds an account = %v, want ErrForbidden", err)
	}
	// A password beside the PIN: both sign in.
	if err := manager.SetSecret(ctx, staff.ID, "noor-kantoor"); err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{"4321", "noor-kantoor"} {
		if _, err := db.SignIn(ctx, staff.ID, secret); err != nil {
			t.Errorf("sign in with %q: %v", secret, err)
		}
	}
	// She changes her own PIN; the old one is required.
	if err := db.As(noor).ChangeOwnSecret(ctx, "0000", "2468"); !errors.Is(err, data.ErrWrongSecret) {
		t.Errorf("change own PIN with a wrong current one = %v", err)
	}
	if err := db.As(noor).ChangeOwnSecret(ctx, "4321", "2468"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SignIn(ctx, staff.ID, "4321"); !errors.Is(err, data.ErrWrongSecret) {
		t.Errorf("the old PIN still signs in: %v", err)
	}
	// Made an office user at the location, then deactivated: off the
	// sign-in list, cannot sign in, still an account.
	staff.Role, staff.GroupIDs, staff.LocationIDs = data.RoleOffice, nil, []data.ID{org.Locations[0].ID}
	if err := manager.UpdateUser(ctx, staff); err != nil {
		t.Fatal(err)
	}
	if a, err := db.ActorFor(ctx, staff.ID); err != nil || a.Role != data.RoleOffice || len(a.Groups) != 0 || len(a.Locations) != 1 {
		t.Errorf("after UpdateUser: %+v, %v", a, err)
	}
	if err := manager.DeactivateUser(ctx, staff.ID); err != nil {
		t.Fatal(err)
	}
	users, _ := db.Users(ctx)
	for _, u := range users {
		if u.ID == staff.ID {
			t.Error("a deactivated account is on the sign-in list")
		}
	}
	if _, err := db.SignIn(ctx, staff.ID, "2468"); !errors.Is(err, data.ErrDeactivated) {
		t.Errorf("deactivated sign-in = %v, want ErrDeactivated", err)
	}
	if _, err := db.ActorFor(ctx, staff.ID); !errors.Is(err, data.ErrDeactivated) {
		t.Errorf("ActorFor a deactivated account = %v, want ErrDeactivated", err)
	}
	accounts, _ := manager.StaffAccounts(ctx)
	if len(accounts) != 2 || accounts[1].Name != "Noor" || accounts[1].Active() || !accounts[1].HasPIN || !accounts[1].HasPassword {
		t.Errorf("accounts %+v", accounts)
	}
	if err := manager.ReactivateUser(ctx, staff.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SignIn(ctx, staff.ID, "2468"); err != nil {
		t.Errorf("reactivated sign-in: %v", err)
	}
	entries, _ := db.Audit(ctx, data.AuditFilter{Action: data.AuditUpdateUser})
	if len(entries) != 1 || !strings.Contains(entries[0].Detail, "role staff → office") {
		t.Errorf("audit %+v", entries)
	}
	if _, err := db.SignIn(ctx, 999, "1234"); !errors.Is(err, data.ErrNotFound) {
		t.Errorf("unknown user: %v, want ErrNotFound", err)
	}
}

func TestStaffAccounts_M1_LastManagerStays(t *testing.T) {
	db, boss := setUp(t)
	ctx := t.Context()
	manager := db.As(boss)
	users, _ := db.Users(ctx)
	me := users[0]
	if err := manager.DeactivateUser(ctx, me.ID); !errors.Is(err, data.ErrInvalid) {
		t.Errorf("deactivating the last manager = %v, want ErrInvalid", err)
	}
	demoted := me
	demoted.Role = data.RoleOffice
	if err := manager.UpdateUser(ctx, demoted); !errors.Is(err, data.ErrInvalid) {
		t.Errorf("demoting the last manager = %v, want ErrInvalid", err)
	}
	second, err := manager.AddUser(ctx, data.NewUser{User: data.User{Name: "Joost", Role: data.RoleManager, LocationIDs: me.LocationIDs}, Secret: "joost-2026"})
	if err != nil {
		t.Fatal(err)
	}
	if err := manager.DeactivateUser(ctx, me.ID); err != nil {
		t.Errorf("with a second manager, the first may go: %v", err)
	}
	if err := manager.DeactivateUser(ctx, second.ID); !errors.Is(err, data.ErrInvalid) {
		t.Errorf("deactivating the now last manager = %v, want ErrInvalid", err)
	}
}

func TestSaveSettings_R1_AuditsBeforeAndAfter(t *testing.T) {
	db, boss := setUp(t)
	s := data.DefaultSettings()
	s.ParentRequestFromDays, s.CreditExpiryDays = 21, 35
	if err := db.As(boss).SaveSettings(t.Context(), s); err != nil {
		t.Fatal(err)
	}
	entries, _ := db.Audit(t.Context(), data.AuditFilter{Action: data.AuditSaveSettings})
	want := "settings: creditExpiryDays 28 → 35; parentRequestFromDays 28 → 21"
	if len(entries) != 1 || entries[0].Detail != want || entries[0].Who != boss.Name {
		t.Errorf("audit %+v, want %q by the manager", entries, want)
	}
}

// A write by a person on a paired device names the device in its audit
// entry; the store keeps the credential's hash for the hub's check.
func TestDevices_TheLogNamesTheDeviceAndTheHashIsKept(t *testing.T) {
	db, manager := setUp(t)
	datatest.PairedDeviceInTheStore(t, db, manager)
}
