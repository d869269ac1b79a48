package pgstore_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"locatiedesk/data"
	"locatiedesk/data/pgstore"
)

var catalogStart = time.Date(2026, time.March, 10, 9, 0, 0, 0, time.Local)

// setUp is a fresh database with De Vlinder (Rupsjes, Avonturiers) and its manager.
func setUp(t *testing.T) (*pgstore.DB, data.Actor) {
	t.Helper()
	db := open(t, func() time.Time { return catalogStart })
	manager, err := db.SetUp(t.Context(), data.OrganisationSetup{Organisation: "Kinderopvang Test", Location: "De Vlinder",
		Groups:  []data.GroupSetup{{Name: "Rupsjes", Care: data.KDV, Capacity: 12}, {Name: "Avonturiers", Care: data.BSO, Capacity: 20}},
		Manager: "Marieke", Secret: "wachtwoord-manager"})
	if err != nil {
		t.Fatal(err)
	}
	return db, manager
}

// A location a manager adds is theirs from then on, after their first one:
// a user's locations keep the order they were given in.
func TestAddLocationJoinsTheManagersLocations(t *testing.T) {
	db, manager := setUp(t)
	ctx := t.Context()
	egel, err := db.As(manager).AddLocation(ctx, "De Egel")
	if err != nil {
		t.Fatal(err)
	}
	again, err := db.ActorFor(ctx, manager.UserID)
	if err != nil {
		t.Fatal(err)
	}
	if want := append(slices.Clone(manager.Locations), egel.ID); !slices.Equal(again.Locations, want) {
		t.Errorf("the manager's locations %v, want %v", again.Locations, want)
	}
	var r *data.Refusal
	if _, err := db.AddLocation(ctx, "de egel"); !errors.As(err, &r) || r.Code != data.RefuseNameTaken {
		t.Errorf("a second De Egel: %v, want the name refused", err)
	}
	office, err := db.AddUser(ctx, data.NewUser{User: data.User{Name: "Priya", Role: data.RoleOffice,
		LocationIDs: []data.ID{egel.ID, manager.Locations[0]}}, Secret: "wachtwoord-kantoor"})
	if err != nil {
		t.Fatal(err)
	}
	a, err := db.ActorFor(ctx, office.ID)
	if err != nil || !slices.Equal(a.Locations, []data.ID{egel.ID, manager.Locations[0]}) {
		t.Errorf("the planner's locations %v (%v), want De Egel then De Vlinder", a.Locations, err)
	}
}

// A group name two locations use is found by "Location/Group"; a closed
// group leaves its name to the open one.
func TestGroupByName(t *testing.T) {
	db, _ := setUp(t)
	ctx := t.Context()
	egel, err := db.AddLocation(ctx, "De Egel")
	if err != nil {
		t.Fatal(err)
	}
	egelRupsjes, err := db.AddGroup(ctx, data.Group{LocationID: egel.ID, Name: "Rupsjes", Care: data.KDV, Capacity: 8})
	if err != nil {
		t.Fatal(err)
	}
	var r *data.Refusal
	if _, err := db.GroupByName(ctx, "rupsjes"); !errors.As(err, &r) || r.Code != data.RefuseGroupAmbiguous {
		t.Errorf("an ambiguous name: %v, want refused as ambiguous", err)
	}
	if g, err := db.GroupByName(ctx, "de egel/ RUPSJES "); err != nil || g.ID != egelRupsjes.ID {
		t.Errorf("De Egel/Rupsjes found %+v, %v", g, err)
	}
	if err := db.CloseGroup(ctx, egelRupsjes.ID); err != nil {
		t.Fatal(err)
	}
	if g, err := db.GroupByName(ctx, "Rupsjes"); err != nil || g.LocationID == egel.ID {
		t.Errorf("Rupsjes after De Egel's closed: %+v, %v; want De Vlinder's", g, err)
	}
	if _, err := db.GroupByName(ctx, "Vlindertjes"); !errors.Is(err, data.ErrNotFound) {
		t.Errorf("an unknown group: %v, want ErrNotFound", err)
	}
}

// Last seen only moves forward, and an unknown device is not found.
func TestDeviceSeenOnlyMovesForward(t *testing.T) {
	db, manager := setUp(t)
	ctx := t.Context()
	code, err := db.As(manager).CreatePairingCode(ctx, "Tablet")
	if err != nil {
		t.Fatal(err)
	}
	d, err := db.PairDevice(ctx, code.ID, "", data.HashCredential("geheim"))
	if err != nil {
		t.Fatal(err)
	}
	later := catalogStart.Add(time.Hour)
	for _, at := range []time.Time{later, catalogStart.Add(time.Minute)} {
		if err := db.DeviceSeen(ctx, d.ID, at); err != nil {
			t.Fatal(err)
		}
	}
	if got, err := db.Device(ctx, d.ID); err != nil || !got.LastSeen.Equal(later) {
		t.Errorf("last seen %s (%v), want %s", got.LastSeen, err, later)
	}
	if err := db.DeviceSeen(ctx, d.ID+100, later); !errors.Is(err, data.ErrNotFound) {
		t.Errorf("an unknown device seen: %v, want ErrNotFound", err)
	}
}

// The audit log is read newest first, at most Limit entries, with each
// entry's changes in the order the write made them.
func TestAuditNewestFirstWithItsChanges(t *testing.T) {
	db, manager := setUp(t)
	ctx := t.Context()
	rupsjes, err := db.GroupByName(ctx, "Rupsjes")
	if err != nil {
		t.Fatal(err)
	}
	rupsjes.Capacity = 14
	if err := db.As(manager).UpdateGroup(ctx, rupsjes); err != nil {
		t.Fatal(err)
	}
	for _, what := range []string{"lijst 1", "lijst 2"} {
		if err := db.LogPrint(ctx, what); err != nil {
			t.Fatal(err)
		}
	}
	got, err := db.Audit(ctx, data.AuditFilter{Limit: 3})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || got[0].Detail != "lijst 2" || got[1].Detail != "lijst 1" || got[2].Action != data.AuditUpdateGroup {
		t.Fatalf("the last three entries %+v", got)
	}
	if cs := got[2].Changes; len(cs) != 2 || cs[0].Kind != data.ChangeCatalog || cs[1].Kind != data.ChangePlanning || cs[0].GroupID != rupsjes.ID {
		t.Errorf("UpdateGroup's changes %+v, want catalog then planning of Rupsjes", cs)
	}
	if got[2].UserID != manager.UserID || got[2].Who != manager.Name {
		t.Errorf("UpdateGroup logged by %q (%d), want the manager", got[2].Who, got[2].UserID)
	}
	mine, err := db.Audit(ctx, data.AuditFilter{UserID: manager.UserID})
	if err != nil || len(mine) != 1 || mine[0].Seq != got[2].Seq {
		t.Errorf("the manager's entries %+v (%v), want UpdateGroup only", mine, err)
	}
}
