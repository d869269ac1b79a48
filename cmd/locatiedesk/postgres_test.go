package main

import (
	"context"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"locatiedesk/data"
	"locatiedesk/data/pgstore"
	"locatiedesk/data/pgstore/pgtest"
)

// serveStore runs `serve --store` on 127.0.0.1 and gives its address and
// fingerprint; the hub stops when the test ends.
func serveStore(t *testing.T, address string) (hubURL, fingerprint string) {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	var out syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- runServe(ctx, []string{"--store", address, "--listen", "127.0.0.1:0", "--announce=false"}, &out)
	}()
	m := waitFor(t, &out, regexp.MustCompile(`at (https://\S+)\ncertificate fingerprint \(SHA-256\): (\S+)\n`))
	t.Cleanup(func() { cancel(); <-done })
	return m[1], m[2]
}

// TestPostgres_AnOrganisationOnItsOwnDatabase: an organisation starts on
// its PostgreSQL database from the command line, adds staff, makes a
// pairing code and a role for one location's hub, all with --store; a
// database newer than the program and a mistyped address are refused
// with a clear message.
func TestPostgres_AnOrganisationOnItsOwnDatabase(t *testing.T) {
	address := pgtest.Database(t)
	status, said, errText := runCLI(t, "setup", "--store", address, "--organisation", "Kinderopvang Zuid", "--location", "De Vlinder",
		"--manager", "Marieke de Boer", "--password", "wachtwoord-1", "--group", "Rupsjes:KDV:12")
	if status != 0 || !strings.Contains(said, `"Kinderopvang Zuid" set up in postgres://`) {
		t.Fatalf("setup --store: %d %q %q", status, said, errText)
	}
	status, _, errText = runCLI(t, "setup", "--store", address, "--organisation", "Nog een", "--location", "X",
		"--manager", "Iemand", "--password", "wachtwoord-2")
	if status != 1 || !strings.Contains(errText, "already holds data") {
		t.Errorf("setup on a database that holds an organisation: %d %q", status, errText)
	}
	manager := []string{"--store", address, "--user", "Marieke de Boer", "--password", "wachtwoord-1"}
	status, said, errText = runCLI(t, append([]string{"account", "add", "--name", "Tess Janssen", "--role", "staff", "--group", "Rupsjes", "--secret", "2222"}, manager...)...)
	if status != 0 || !strings.Contains(said, `account "Tess Janssen" added as staff`) {
		t.Fatalf("account add --store: %d %q %q", status, said, errText)
	}
	status, said, errText = runCLI(t, append([]string{"pair-code", "--name", "Rupsjes tablet"}, manager...)...)
	code := regexp.MustCompile(`^pairing code ([2-9A-Z]{5}-[2-9A-Z]{5}), valid until`).FindStringSubmatch(said)
	if status != 0 || code == nil {
		t.Fatalf("pair-code --store: %d %q %q", status, said, errText)
	}
	status, said, errText = runCLI(t, "location-role", "--store", address, "--role", "hub_vlinder_test", "--location", "De Vlinder")
	if status != 0 || !strings.Contains(said, "role hub_vlinder_test sees De Vlinder only") {
		t.Fatalf("location-role: %d %q %q", status, said, errText)
	}
	status, _, errText = runCLI(t, "location-role", "--store", address, "--role", "hub_x", "--location", "Bestaat Niet")
	if status != 1 || !strings.Contains(errText, "Bestaat Niet") {
		t.Errorf("location-role for a location that does not exist: %d %q", status, errText)
	}

	// A hub on the database, as the location's role; a tablet pairs with
	// the code and works through it.
	u, _ := url.Parse(address)
	u.User = url.User("hub_vlinder_test")
	hubURL, fingerprint := serveStore(t, u.String())
	device := filepath.Join(t.TempDir(), "device.json")
	status, said, errText = runCLI(t, "pair", "--server", hubURL, "--code", code[1], "--device-file", device)
	if status != 0 || !strings.Contains(said, "paired with Kinderopvang Zuid — De Vlinder") || !strings.Contains(said, fingerprint) {
		t.Fatalf("pair with the hub on the database: %d %q %q", status, said, errText)
	}
	status, said, errText = runCLI(t, "attendance", "--server", hubURL, "--device-file", device, "--user", "Tess Janssen", "--pin", "2222", "--group", "Rupsjes")
	if status != 0 || !strings.Contains(said, "Rupsjes ") {
		t.Errorf("attendance through the hub on the database: %d %q %q", status, said, errText)
	}

	status, _, errText = runCLI(t, "attendance", "--store", "postgres://nobody@127.0.0.1:1/nothing?connect_timeout=2", "--group", "Rupsjes")
	if status != 1 || !strings.Contains(errText, "connect to postgres://nobody@127.0.0.1:1/nothing") {
		t.Errorf("an unreachable database: %d %q", status, errText)
	}
}

// TestPurgeCommand_AVG_OnTheOrganisationsDatabase: a hub on the database
// removes the personal data whose retention has ended when it starts, and
// `purge --store` does it between starts and vacuums the tables.
func TestPurgeCommand_AVG_OnTheOrganisationsDatabase(t *testing.T) {
	ctx := t.Context()
	address := pgtest.Database(t)
	db, err := pgstore.Open(ctx, address)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.SetUp(ctx, data.OrganisationSetup{Organisation: "Kinderopvang Zuid", Location: "De Vlinder",
		Groups: []data.GroupSetup{{Name: "Rupsjes", Care: data.KDV, Capacity: 12}}, Manager: "Marieke de Boer", Secret: "wachtwoord-1"}); err != nil {
		t.Fatal(err)
	}
	rupsjes, err := db.GroupByName(ctx, "Rupsjes")
	if err != nil {
		t.Fatal(err)
	}
	// Care that ended in 2020 is long past any retention period.
	endedLongAgo := func(first string) data.Child {
		c, err := db.AddChild(ctx, data.Child{LocationID: rupsjes.LocationID, FirstName: first, LastName: "Wiśniewski", BirthDate: data.NewDate(2017, time.May, 1)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.AddContract(ctx, data.Contract{ChildID: c.ID, GroupID: rupsjes.ID, Product: data.ProductKDV,
			Days:  []data.ContractDay{{Weekday: time.Monday, Times: data.TimeRange{From: data.NewClock(8, 0), Until: data.NewClock(17, 0)}}},
			Start: data.NewDate(2018, time.January, 1), End: data.NewDate(2020, time.December, 31)}); err != nil {
			t.Fatal(err)
		}
		return c
	}
	removed := func(c data.Child) bool {
		t.Helper()
		got, err := db.Child(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		return got.Name() == data.RemovedChildFirstName+" #"+strconv.FormatUint(uint64(c.ID), 10) && !got.RemovedOn.IsZero()
	}
	lukasz := endedLongAgo("Łukasz")

	serveCtx, stop := context.WithCancel(ctx)
	var out syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- runServe(serveCtx, []string{"--store", address, "--listen", "127.0.0.1:0", "--announce=false"}, &out)
	}()
	waitFor(t, &out, regexp.MustCompile(`personal data removed after the retention period: 1 child\n(.|\n)*serving `))
	stop()
	<-done
	if !removed(lukasz) {
		t.Error("the hub's start left Łukasz's data")
	}

	agata := endedLongAgo("Agata")
	status, said, errText := runCLI(t, "purge", "--store", address)
	if status != 0 || !strings.Contains(said, "retention period: 1 child; the changed tables are vacuumed") || strings.Contains(said, "wachtwoord") {
		t.Fatalf("purge --store: %d %q %q", status, said, errText)
	}
	if !removed(agata) {
		t.Error("purge --store left Agata's data")
	}
	status, said, _ = runCLI(t, "purge", "--store", address)
	if status != 0 || !strings.Contains(said, "retention period: 0 children") || strings.Contains(said, "vacuumed") {
		t.Errorf("a second purge --store: %d %q", status, said)
	}
	status, _, errText = runCLI(t, "purge", "--store", address, "--db", filepath.Join(t.TempDir(), "x.db"))
	if status != 1 || !strings.Contains(errText, "not both") {
		t.Errorf("purge with --store and --db: %d %q", status, errText)
	}
}
