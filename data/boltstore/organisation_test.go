package boltstore_test

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"locatiedesk/data/boltstore"

	"locatiedesk/data"
	"locatiedesk/data/datatest"
)

// newOrganisation is the set-up a location manager types on first start.
func newOrganisation() data.OrganisationSetup {
	return data.OrganisationSetup{
		Organisation: "Kinderopvang Het Zonnetje",
		Location:     "De Zonnebloem",
		Groups: []data.GroupSetup{
			{Name: "Peuters", Care: data.KDV, Capacity: 16},
			{Name: "Bengels", Care: data.BSO, Capacity: 22},
		},
		Manager: "Fatma Yılmaz",
		Secret:  "zonnebloem2026",
	}
}

// setUpStore is an empty file on which the organisation has just been set up,
// with the manager signed in.
func setUpStore(t *testing.T) (*boltstore.DB, data.Store) {
	t.Helper()
	db, _ := newStore(t)
	actor, err := db.SetUp(t.Context(), newOrganisation())
	if err != nil {
		t.Fatalf("SetUp: %v", err)
	}
	return db, db.As(actor)
}

func TestSetUp_M1_EmptyFileBecomesAWorkingLocation(t *testing.T) {
	db, manager := setUpStore(t)
	if name, _ := db.OrganisationName(t.Context()); name != "Kinderopvang Het Zonnetje" {
		t.Errorf("organisation name %q", name)
	}
	locations, err := manager.Locations(t.Context())
	if err != nil || len(locations) != 1 || locations[0].Name != "De Zonnebloem" {
		t.Fatalf("manager's locations %+v, %v", locations, err)
	}
	groups, err := manager.Groups(t.Context(), locations[0].ID)
	if err != nil || len(groups) != 2 {
		t.Fatalf("groups %+v, %v", groups, err)
	}
	for _, g := range groups {
		list, err := manager.DayList(t.Context(), g.ID, storeToday)
		if err != nil {
			t.Fatalf("%s: DayList on an empty location: %v", g.Name, err)
		}
		if len(list.Rows) != 0 {
			t.Errorf("%s: %d children on a new location's list", g.Name, len(list.Rows))
		}
	}
	users, err := db.Users(t.Context())
	if err != nil || len(users) != 1 || users[0].Role != data.RoleManager {
		t.Fatalf("users %+v, %v", users, err)
	}
	if _, err := db.SignIn(t.Context(), users[0].ID, "zonnebloem2026"); err != nil {
		t.Errorf("the manager cannot sign in with her password: %v", err)
	}
	if children, _ := db.Children(t.Context(), 0); len(children) != 0 {
		t.Errorf("a new organisation holds %d children: the demo leaked in", len(children))
	}
	entries, err := db.Audit(t.Context(), data.AuditFilter{Action: "SetUp"})
	if err != nil || len(entries) != 1 || !strings.Contains(entries[0].Detail, "De Zonnebloem") {
		t.Errorf("audit of the set-up: %+v, %v", entries, err)
	}
}

func TestSetUp_M1_RefusesBadInputAndFullFiles(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(*data.OrganisationSetup)
		want   error
	}{
		{"no organisation name", func(s *data.OrganisationSetup) { s.Organisation = " " }, data.ErrInvalid},
		{"no location", func(s *data.OrganisationSetup) { s.Location = "" }, data.ErrInvalid},
		{"no manager", func(s *data.OrganisationSetup) { s.Manager = "" }, data.ErrInvalid},
		{"short password", func(s *data.OrganisationSetup) { s.Secret = "abc" }, data.ErrInvalid},
		{"unknown care type", func(s *data.OrganisationSetup) { s.Groups[1].Care = "TSO" }, data.ErrInvalid},
		{"no places", func(s *data.OrganisationSetup) { s.Groups[0].Capacity = 0 }, data.ErrInvalid},
		{"two groups of one name", func(s *data.OrganisationSetup) { s.Groups[1].Name = "peuters" }, data.ErrInvalid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db, _ := newStore(t)
			s := newOrganisation()
			tc.change(&s)
			if _, err := db.SetUp(t.Context(), s); !errors.Is(err, tc.want) {
				t.Fatalf("SetUp = %v, want %v", err, tc.want)
			}
			if empty, _ := db.IsEmpty(t.Context()); !empty {
				t.Error("a refused set-up wrote a location")
			}
			if users, _ := db.Users(t.Context()); len(users) != 0 {
				t.Error("a refused set-up wrote a user")
			}
		})
	}
	t.Run("a file with data", func(t *testing.T) {
		db, _ := newStore(t, datatest.Seeded(smallDataset()))
		if _, err := db.SetUp(t.Context(), newOrganisation()); !errors.Is(err, data.ErrNotEmpty) {
			t.Fatalf("SetUp on a seeded file = %v, want ErrNotEmpty", err)
		}
		if locations, _ := db.Locations(t.Context()); len(locations) != 1 {
			t.Errorf("locations after a refused set-up: %+v", locations)
		}
	})
	t.Run("set up twice", func(t *testing.T) {
		db, _ := setUpStore(t)
		if _, err := db.SetUp(t.Context(), newOrganisation()); !errors.Is(err, data.ErrNotEmpty) {
			t.Fatalf("second SetUp = %v, want ErrNotEmpty", err)
		}
	})
}

func TestLocationsAndGroups_M1_ClosedVanishFromPickersHistoryStays(t *testing.T) {
	db, _ := newStore(t, datatest.Seeded(smallDataset())) // Het Klavertje: Egeltjes (KDV, contracts) and Uilen (BSO, Cas)
	if err := db.CloseGroup(t.Context(), groupEg); !errors.Is(err, data.ErrInvalid) {
		t.Fatalf("closing a group with running contracts = %v, want ErrInvalid", err)
	}
	extra, err := db.AddGroup(t.Context(), data.Group{LocationID: 1, Name: "Dolfijnen", Care: data.KDV, Capacity: 12,
		Hours: data.OpeningHours{Day: data.TimeRange{From: data.NewClock(7, 0), Until: data.NewClock(18, 30)}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.AddGroup(t.Context(), data.Group{LocationID: 1, Name: "dolfijnen", Care: data.BSO, Capacity: 12}); !errors.Is(err, data.ErrInvalid) {
		t.Errorf("a second group of the same name = %v, want ErrInvalid", err)
	}
	if err := db.CloseGroup(t.Context(), extra.ID); err != nil {
		t.Fatalf("closing an empty group: %v", err)
	}
	groups, _ := db.Groups(t.Context(), 1)
	for _, g := range groups {
		if g.ID == extra.ID {
			t.Error("a closed group is still in the picker")
		}
	}
	if g, err := db.Group(t.Context(), extra.ID); err != nil || g.ClosedOn != storeToday {
		t.Errorf("the closed group itself: %+v, %v", g, err)
	}
	org, err := db.Organisation(t.Context())
	if err != nil || len(org.Groups) != 3 {
		t.Errorf("Organisation lists %d groups, want 3 with the closed one: %v", len(org.Groups), err)
	}
	// A contract in the closed group is refused, wherever it is written from.
	ds := smallDataset()
	ds.Groups = append(ds.Groups, data.Group{ID: 9, LocationID: 1, Name: "Oud", Care: data.KDV, Capacity: 5, ClosedOn: storeToday.AddDays(-30)})
	ds.Contracts = append(ds.Contracts, data.Contract{ID: 9, ChildID: idAnna, GroupID: 9, Product: data.ProductKDV,
		Days: days(kdvTimes, time.Monday), Start: storeToday})
	fresh, _ := newStore(t)
	if err := fresh.Seed(t.Context(), ds); !errors.Is(err, data.ErrInvalid) {
		t.Errorf("a contract in a closed group = %v, want ErrInvalid", err)
	}

	if err := db.RenameLocation(t.Context(), 1, "Het Klaverblad"); err != nil {
		t.Fatal(err)
	}
	if err := db.CloseLocation(t.Context(), 1); !errors.Is(err, data.ErrInvalid) {
		t.Errorf("closing a location with open groups = %v, want ErrInvalid", err)
	}
	loc, err := db.AddLocation(t.Context(), "De Tweede")
	if err != nil {
		t.Fatal(err)
	}
	if err := db.CloseLocation(t.Context(), loc.ID); err != nil {
		t.Fatal(err)
	}
	if locations, _ := db.Locations(t.Context()); len(locations) != 1 || locations[0].Name != "Het Klaverblad" {
		t.Errorf("pickers' locations %+v, want only the renamed open one", locations)
	}
	if _, err := db.AddGroup(t.Context(), data.Group{LocationID: loc.ID, Name: "Nieuw", Care: data.KDV, Capacity: 4}); !errors.Is(err, data.ErrInvalid) {
		t.Errorf("a group at a closed location = %v, want ErrInvalid", err)
	}
}

func TestUpdateGroup_M1_HoursRulesAndAudit(t *testing.T) {
	db, _ := newStore(t, datatest.Seeded(smallDataset()))
	g, _ := db.Group(t.Context(), groupUi)
	holiday := data.TimeRange{From: data.NewClock(8, 0), Until: data.NewClock(18, 0)}
	g.Capacity, g.Hours.HolidayDay = 24, holiday
	if err := db.UpdateGroup(t.Context(), g); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.Group(t.Context(), groupUi); got.Capacity != 24 || got.HolidayHours(data.DefaultSettings()) != holiday {
		t.Errorf("stored %+v", got)
	}
	entries, _ := db.Audit(t.Context(), data.AuditFilter{Action: "UpdateGroup"})
	if len(entries) != 1 || !strings.Contains(entries[0].Detail, "capacity 20 → 24") {
		t.Errorf("audit %+v", entries)
	}
	for _, tc := range []struct {
		name   string
		change func(*data.Group)
	}{
		{"care type", func(g *data.Group) { g.Care = data.KDV }},
		{"hours backwards", func(g *data.Group) {
			g.Hours.Day = data.TimeRange{From: data.NewClock(18, 0), Until: data.NewClock(15, 0)}
		}},
		{"capacity 0", func(g *data.Group) { g.Capacity = 0 }},
		{"name of the other group", func(g *data.Group) { g.Name = "Egeltjes" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bad := g
			tc.change(&bad)
			if err := db.UpdateGroup(t.Context(), bad); !errors.Is(err, data.ErrInvalid) {
				t.Errorf("UpdateGroup = %v, want ErrInvalid", err)
			}
		})
	}
}

// TestPlanDay_A1_GroupHolidayHours: a 52-weeks child is expected for the
// group's own holiday hours, or the organisation's where the group has none.
func TestPlanDay_A1_GroupHolidayHours(t *testing.T) {
	s := data.DefaultSettings()
	day := data.NewDate(2026, time.February, 16) // Monday in the holiday
	cal := data.Calendar{Holidays: []data.SchoolHoliday{{SchoolID: 1, From: day, To: day}}}
	child := data.Child{ID: 1, FirstName: "Cas", SchoolID: 1}
	c := data.Contract{ChildID: 1, GroupID: 2, Product: data.ProductBSO52Weeks, Start: day.AddDays(-10), Days: days(bsoTimes, time.Monday)}
	own := data.TimeRange{From: data.NewClock(8, 0), Until: data.NewClock(17, 0)}
	for _, tc := range []struct {
		hours data.OpeningHours
		want  data.TimeRange
	}{{data.OpeningHours{}, s.HolidayDay}, {data.OpeningHours{HolidayDay: own}, own}} {
		g := data.Group{ID: 2, Care: data.BSO, Hours: tc.hours}
		plan := data.PlanDay(day, g, []data.Contract{c}, nil, map[data.ID]data.Child{1: child}, cal, s)
		if len(plan.Expected) != 1 || plan.Expected[0].Times != tc.want {
			t.Errorf("hours %+v: expected %+v, want times %s", tc.hours, plan.Expected, tc.want)
		}
	}
}

func TestStaffAccounts_M1_AddEditDeactivate(t *testing.T) {
	db, manager := setUpStore(t)
	org, _ := manager.Organisation(t.Context())
	peuters := org.Groups[0].ID
	staff, err := manager.AddUser(t.Context(), data.NewUser{User: data.User{Name: "Noor", Role: data.RoleStaff, GroupIDs: []data.ID{peuters}}, Secret: "4321"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.SignIn(t.Context(), staff.ID, "4321"); err != nil {
		t.Fatalf("new staff cannot sign in: %v", err)
	}
	if _, err := manager.AddUser(t.Context(), data.NewUser{User: data.User{Name: "noor", Role: data.RoleStaff, GroupIDs: []data.ID{peuters}}, Secret: "1111"}); !errors.Is(err, data.ErrInvalid) {
		t.Errorf("a second active Noor = %v, want ErrInvalid", err)
	}
	if _, err := manager.AddUser(t.Context(), data.NewUser{User: data.User{Name: "Zonder", Role: data.RoleStaff}, Secret: "1111"}); !errors.Is(err, data.ErrInvalid) {
		t.Errorf("staff without a group = %v, want ErrInvalid", err)
	}
	// Staff may not manage accounts.
	noor, _ := db.SignIn(t.Context(), staff.ID, "4321")
	if _, err := db.As(noor).AddUser(t.Context(), data.NewUser{User: data.User{Name: "X", Role: data.RoleStaff, GroupIDs: []data.ID{peuters}}, Secret: "1111"}); !errors.Is(err, data.ErrForbidden) {
		t.Errorf("staff adds an account = %v, want ErrForbidden", err)
	}
	// A password beside the PIN: both sign in.
	if err := manager.SetSecret(t.Context(), staff.ID, "noor-kantoor"); err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{"4321", "noor-kantoor"} {
		if _, err := db.SignIn(t.Context(), staff.ID, secret); err != nil {
			t.Errorf("sign in with %q: %v", secret, err)
		}
	}
	// She changes her own PIN; the old one is required.
	if err := db.As(noor).ChangeOwnSecret(t.Context(), "0000", "2468"); !errors.Is(err, data.ErrWrongSecret) {
		t.Errorf("change own PIN with a wrong current one = %v", err)
	}
	if err := db.As(noor).ChangeOwnSecret(t.Context(), "4321", "2468"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SignIn(t.Context(), staff.ID, "4321"); !errors.Is(err, data.ErrWrongSecret) {
		t.Errorf("the old PIN still signs in: %v", err)
	}
	// Made an office user at the location, then deactivated: off the sign-in list, cannot sign in, still in the log.
	staff.Role, staff.GroupIDs, staff.LocationIDs = data.RoleOffice, nil, []data.ID{org.Locations[0].ID}
	if err := manager.UpdateUser(t.Context(), staff); err != nil {
		t.Fatal(err)
	}
	if err := manager.DeactivateUser(t.Context(), staff.ID); err != nil {
		t.Fatal(err)
	}
	users, _ := db.Users(t.Context())
	for _, u := range users {
		if u.ID == staff.ID {
			t.Error("a deactivated account is on the sign-in list")
		}
	}
	if _, err := db.SignIn(t.Context(), staff.ID, "2468"); !errors.Is(err, data.ErrDeactivated) {
		t.Errorf("deactivated sign-in = %v, want ErrDeactivated", err)
	}
	accounts, _ := manager.StaffAccounts(t.Context())
	if len(accounts) != 2 || accounts[1].Name != "Noor" || accounts[1].Active() || !accounts[1].HasPIN || !accounts[1].HasPassword {
		t.Errorf("accounts %+v", accounts)
	}
	entries, _ := db.Audit(t.Context(), data.AuditFilter{Action: "UpdateUser"})
	if len(entries) != 1 || !strings.Contains(entries[0].Detail, "role staff → office") {
		t.Errorf("audit %+v", entries)
	}
	for _, e := range entries {
		if strings.Contains(e.Detail, "2468") || strings.Contains(e.Detail, "kantoor") {
			t.Errorf("a secret in the log: %q", e.Detail)
		}
	}
}

func TestStaffAccounts_M1_LastManagerStays(t *testing.T) {
	db, manager := setUpStore(t)
	users, _ := db.Users(t.Context())
	me := users[0]
	if err := manager.DeactivateUser(t.Context(), me.ID); !errors.Is(err, data.ErrInvalid) {
		t.Errorf("deactivating the last manager = %v, want ErrInvalid", err)
	}
	demoted := me
	demoted.Role = data.RoleOffice
	if err := manager.UpdateUser(t.Context(), demoted); !errors.Is(err, data.ErrInvalid) {
		t.Errorf("demoting the last manager = %v, want ErrInvalid", err)
	}
	second, err := manager.AddUser(t.Context(), data.NewUser{User: data.User{Name: "Joost", Role: data.RoleManager, LocationIDs: me.LocationIDs}, Secret: "joost-2026"})
	if err != nil {
		t.Fatal(err)
	}
	if err := manager.DeactivateUser(t.Context(), me.ID); err != nil {
		t.Errorf("with a second manager, the first may go: %v", err)
	}
	if err := manager.DeactivateUser(t.Context(), second.ID); !errors.Is(err, data.ErrInvalid) {
		t.Errorf("deactivating the now last manager = %v, want ErrInvalid", err)
	}
}

func TestAddLocation_M1_TheManagerLeadsIt(t *testing.T) {
	db, manager := setUpStore(t)
	loc, err := manager.AddLocation(t.Context(), "De Regenboog")
	if err != nil {
		t.Fatal(err)
	}
	users, _ := db.Users(t.Context())
	again, err := db.ActorFor(t.Context(), users[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.As(again).AddGroup(t.Context(), data.Group{LocationID: loc.ID, Name: "Kanjers", Care: data.BSO, Capacity: 20}); err != nil {
		t.Errorf("the manager cannot add a group to the location she added: %v", err)
	}
}

func TestSaveSettings_R1_AuditsBeforeAndAfter(t *testing.T) {
	db, manager := setUpStore(t)
	s := data.DefaultSettings()
	s.ParentRequestFromDays, s.CreditExpiryDays = 21, 35
	if err := manager.SaveSettings(t.Context(), s); err != nil {
		t.Fatal(err)
	}
	entries, _ := db.Audit(t.Context(), data.AuditFilter{Action: "SaveSettings"})
	want := "settings: creditExpiryDays 28 → 35; parentRequestFromDays 28 → 21"
	if len(entries) != 1 || entries[0].Detail != want || entries[0].Who != "Fatma Yılmaz" {
		t.Errorf("audit %+v, want %q by the manager", entries, want)
	}
	// The rule reads the new setting: 25 days ahead is no longer the parents'.
	err := data.RequestWindow(storeToday, storeToday.AddDays(25), data.ChannelParent, s)
	if !errors.Is(err, data.ErrOutsideWindow) {
		t.Errorf("25 days ahead with a 21-day window = %v, want outside the window", err)
	}
}

// TestGroupByName_M1_OpenGroupWinsOverClosedNamesake: a group closed and
// made again under its name is found by that name, by the command line and imports.
func TestGroupByName_M1_OpenGroupWinsOverClosedNamesake(t *testing.T) {
	db, manager := setUpStore(t)
	org, _ := manager.Organisation(t.Context())
	old := org.Groups[0]
	if err := manager.CloseGroup(t.Context(), old.ID); err != nil {
		t.Fatal(err)
	}
	again, err := manager.AddGroup(t.Context(), data.Group{LocationID: old.LocationID, Name: old.Name, Care: data.KDV, Capacity: 10})
	if err != nil {
		t.Fatal(err)
	}
	if g, err := db.GroupByName(t.Context(), old.Name); err != nil || g.ID != again.ID {
		t.Errorf("GroupByName(%q) = %+v, %v; want the open group %d", old.Name, g, err, again.ID)
	}
}

// TestSetUp_M1_FileStaysSound: the damage check knows every record a set-up
// writes, so a new organisation's file is not taken for a damaged one.
func TestSetUp_M1_FileStaysSound(t *testing.T) {
	path := filepath.Join(t.TempDir(), "new.db")
	db, err := boltstore.Open(path, boltstore.WithClock(fixedClock))
	if err != nil {
		t.Fatal(err)
	}
	actor, err := db.SetUp(t.Context(), newOrganisation())
	if err == nil {
		err = db.As(actor).RenameOrganisation(t.Context(), "Kinderopvang De Zon")
	}
	if name, _ := db.OrganisationName(t.Context()); name != "Kinderopvang De Zon" {
		t.Errorf("name %q after renaming", name)
	}
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	if err := boltstore.VerifyFile(path); err != nil {
		t.Fatalf("a set-up file fails the damage check: %v", err)
	}
}
