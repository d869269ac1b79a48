package pgstore_test

import (
	"context"
	"net/url"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"locatiedesk/data"
	"locatiedesk/data/pgstore"
	"locatiedesk/data/pgstore/pgtest"
)

// asRole is address with role as the user it connects as.
func asRole(t *testing.T, address, role string) string {
	t.Helper()
	u, err := url.Parse(address)
	if err != nil {
		t.Fatal(err)
	}
	u.User = url.User(role)
	return u.String()
}

// TestLocationRole_SeesAndWritesOnlyItsLocations: a hub for De Vlinder
// connects with a role that row-level security keeps away from De Egel,
// whatever the hub's own code asks.
func TestLocationRole_SeesAndWritesOnlyItsLocations(t *testing.T) {
	ctx := t.Context()
	address := pgtest.Database(t)
	now := func() time.Time { return time.Date(2026, time.March, 10, 9, 0, 0, 0, time.Local) }
	owner, err := pgstore.Open(ctx, address, pgstore.WithClock(now))
	if err != nil {
		t.Fatal(err)
	}
	defer owner.Close()
	if _, err := owner.SetUp(ctx, data.OrganisationSetup{Organisation: "Kinderopvang Twee", Location: "De Vlinder",
		Groups: []data.GroupSetup{{Name: "Rupsjes", Care: data.KDV, Capacity: 12}}, Manager: "Marieke de Boer", Secret: "wachtwoord-marieke"}); err != nil {
		t.Fatal(err)
	}
	rupsjes, err := owner.GroupByName(ctx, "Rupsjes")
	if err != nil {
		t.Fatal(err)
	}
	egel, err := owner.AddLocation(ctx, "De Egel")
	if err != nil {
		t.Fatal(err)
	}
	egeltjes, err := owner.AddGroup(ctx, data.Group{LocationID: egel.ID, Name: "Egeltjes", Care: data.KDV, Capacity: 12})
	if err != nil {
		t.Fatal(err)
	}
	anna, err := owner.AddChild(ctx, data.Child{LocationID: rupsjes.LocationID, FirstName: "Anna", LastName: "de Wit", BirthDate: data.NewDate(2024, time.May, 1)})
	if err != nil {
		t.Fatal(err)
	}
	finn, err := owner.AddChild(ctx, data.Child{LocationID: egel.ID, FirstName: "Finn", LastName: "Egel", BirthDate: data.NewDate(2024, time.June, 2)})
	if err != nil {
		t.Fatal(err)
	}
	day := data.TimeRange{From: data.NewClock(8, 0), Until: data.NewClock(17, 0)}
	for _, c := range []data.Contract{
		{ChildID: anna.ID, GroupID: rupsjes.ID, Product: data.ProductKDV, Days: []data.ContractDay{{Weekday: time.Tuesday, Times: day}}, Start: data.NewDate(2026, time.January, 5)},
		{ChildID: finn.ID, GroupID: egeltjes.ID, Product: data.ProductKDV, Days: []data.ContractDay{{Weekday: time.Tuesday, Times: day}}, Start: data.NewDate(2026, time.January, 5)},
	} {
		if _, err := owner.AddContract(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := owner.LocationRole(ctx, "hub_vlinder", "", []string{"de vlinder"}); err != nil {
		t.Fatal(err)
	}

	hub, err := pgstore.Open(ctx, asRole(t, address, "hub_vlinder"), pgstore.WithClock(now))
	if err != nil {
		t.Fatalf("open as the location's role: %v", err)
	}
	defer hub.Close()
	locations, err := hub.Locations(ctx)
	if err != nil || len(locations) != 1 || locations[0].ID != rupsjes.LocationID {
		t.Fatalf("the role's locations: %+v, %v; want De Vlinder only", locations, err)
	}
	if children, err := hub.Children(ctx, egel.ID); err != nil || len(children) != 0 {
		t.Errorf("De Egel's children through the role: %+v, %v; want none", children, err)
	}
	if children, err := hub.Children(ctx, rupsjes.LocationID); err != nil || len(children) != 1 || children[0].ID != anna.ID {
		t.Errorf("De Vlinder's children through the role: %+v, %v; want Anna", children, err)
	}
	if _, err := hub.Child(ctx, finn.ID); err == nil {
		t.Error("the role read Finn of De Egel")
	}
	list, err := hub.DayList(ctx, rupsjes.ID, data.DateOf(now()))
	if err != nil || len(list.Rows) != 1 {
		t.Errorf("the Rupsjes' list through the role: %d rows, %v; want Anna", len(list.Rows), err)
	}
	if err := hub.CheckIn(ctx, data.DayEdit{Date: data.DateOf(now()), GroupID: rupsjes.ID, ChildID: anna.ID, By: "Tess"}, data.NewClock(8, 15)); err != nil {
		t.Errorf("a check-in at the role's own location: %v", err)
	}
	// The hub's code is the system here and would let anything through:
	// the database refuses what lies outside the role's locations.
	if err := hub.CheckIn(ctx, data.DayEdit{Date: data.DateOf(now()), GroupID: egeltjes.ID, ChildID: finn.ID, By: "Tess"}, data.NewClock(8, 15)); err == nil {
		t.Error("the role checked in Finn at De Egel")
	}
	if _, err := hub.AddChild(ctx, data.Child{LocationID: egel.ID, FirstName: "Gijs", LastName: "Egel", BirthDate: data.NewDate(2024, time.July, 3)}); err == nil {
		t.Error("the role added a child at De Egel")
	}

	// Straight SQL as the role sees no more, and cannot widen its own view.
	conn, err := pgx.Connect(ctx, asRole(t, address, "hub_vlinder"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	for table, want := range map[string]int{"children": 1, "contracts": 1, "groups": 1, "attendance": 1} {
		var n int
		if err := conn.QueryRow(ctx, "SELECT count(*) FROM "+table).Scan(&n); err != nil || n != want {
			t.Errorf("%s as the role: %d rows, %v; want %d", table, n, err, want)
		}
	}
	var leaked int
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM changes WHERE child_id = $1`, int64(finn.ID)).Scan(&leaked); err != nil || leaked != 0 {
		t.Errorf("the log's changes about Finn as the role: %d, %v; want none", leaked, err)
	}
	if _, err := conn.Exec(ctx, `INSERT INTO role_locations (role_name, location_id) VALUES ('hub_vlinder', $1)`, int64(egel.ID)); err == nil {
		t.Error("the role granted itself De Egel")
	}
	entries, err := hub.Audit(ctx, data.AuditFilter{ChildID: finn.ID})
	if err != nil || len(entries) != 0 {
		t.Errorf("the log about Finn through the role: %d entries, %v; want none", len(entries), err)
	}
	// The owner still sees both locations, and Finn is not checked in.
	list, err = owner.DayList(ctx, egeltjes.ID, data.DateOf(now()))
	if err != nil || len(list.Rows) != 1 || list.Rows[0].Attendance.CheckIn != nil {
		t.Errorf("Finn's row for the owner: %+v, %v; want him, not checked in", list.Rows, err)
	}
}
