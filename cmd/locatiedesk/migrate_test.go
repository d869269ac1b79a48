package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"locatiedesk/data/boltstore"
	"locatiedesk/data/pgstore/pgtest"
)

// count is the number of rows of table in the database at address.
func count(t *testing.T, address, table string) int {
	t.Helper()
	conn, err := pgx.Connect(t.Context(), address)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(t.Context())
	var n int
	if err := conn.QueryRow(t.Context(), `SELECT count(*) FROM `+pgx.Identifier{table}.Sanitize()).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// oneLineError fails the test unless the command failed with one line
// on stderr that says want.
func oneLineError(t *testing.T, what string, status int, errText, want string) {
	t.Helper()
	if status != 1 || !strings.Contains(errText, want) || strings.Count(errText, "\n") != 1 || strings.Contains(errText, "panic") {
		t.Errorf("%s: status %d, %q; want one line saying %q", what, status, errText, want)
	}
}

// TestMigrate_ALocationsFileIntoTheOrganisationsDatabase: the demo file
// moves into an empty database with every table checked; the same file
// again, a missing or damaged file, an unreachable or newer database are
// refused with one line each, and nothing is written.
func TestMigrate_ALocationsFileIntoTheOrganisationsDatabase(t *testing.T) {
	file := demoFile(t)
	address := pgtest.Database(t)
	status, said, errText := runCLI(t, "migrate", "--from", file, "--to", address)
	if status != 0 || !strings.Contains(said, `moved "De Vlinder" from `+file+` into postgres://`) ||
		!strings.Contains(said, "every table checked: the moved rows read back with the rows and checksum expected") {
		t.Fatalf("migrate: %d %q %q", status, said, errText)
	}
	for _, table := range []string{"children", "contracts", "consent_changes"} {
		n := count(t, address, table)
		if n == 0 || !strings.Contains(said, table) {
			t.Errorf("%s: %d rows moved; said %q", table, n, said)
		}
	}
	logged := count(t, address, "audit_log")

	status, _, errText = runCLI(t, "migrate", "--from", file, "--to", address)
	oneLineError(t, "the same file again", status, errText, `already holds a location of that name: "De Vlinder"`)
	if n := count(t, address, "audit_log"); n != logged || count(t, address, "locations") != 1 {
		t.Errorf("a refused move wrote: %d log entries, was %d", n, logged)
	}

	status, _, errText = runCLI(t, "migrate", "--from", filepath.Join(t.TempDir(), "nergens.db"), "--to", address)
	oneLineError(t, "a missing file", status, errText, "no data file at")
	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	cut := filepath.Join(t.TempDir(), "cut.db")
	if err := os.WriteFile(cut, raw[:len(raw)/3], 0o600); err != nil {
		t.Fatal(err)
	}
	status, _, errText = runCLI(t, "migrate", "--from", cut, "--to", address)
	oneLineError(t, "a damaged file", status, errText, "is damaged")
	status, _, errText = runCLI(t, "migrate", "--from", file, "--to", "postgres://nobody@127.0.0.1:1/nothing?connect_timeout=2")
	oneLineError(t, "an unreachable database", status, errText, "connect to postgres://nobody@127.0.0.1:1/nothing")
	status, _, errText = runCLI(t, "migrate", "--from", file, "--to", "postgress:/typo")
	oneLineError(t, "a mistyped address", status, errText, `database address "postgress:/typo"`)

	newer := pgtest.Database(t)
	if status, _, errText := runCLI(t, "migrate", "--from", file, "--to", newer); status != 0 {
		t.Fatalf("migrate: %d %q", status, errText)
	}
	conn, err := pgx.Connect(t.Context(), newer)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(t.Context())
	if _, err := conn.Exec(t.Context(), `INSERT INTO goose_db_version (version_id, is_applied) VALUES (999, true)`); err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(t.TempDir(), "other.db")
	if status, _, errText := runCLI(t, "setup", "--db", other, "--organisation", "Zuid", "--location", "De Egel", "--manager", "Ans", "--password", "wachtwoord-1"); status != 0 {
		t.Fatalf("setup: %q", errText)
	}
	status, _, errText = runCLI(t, "migrate", "--from", other, "--to", newer)
	oneLineError(t, "a database newer than the program", status, errText, "newer Locatiedesk")
	if n := count(t, newer, "locations"); n != 1 {
		t.Errorf("the newer database holds %d locations after a refused move", n)
	}
}

// TestMigrate_ABackupThroughAHubOnTheDatabaseRestoresAsAFile: once the
// location is on the organisation's database, a backup made through a hub
// on it is an ordinary data file, which restore puts in place and the
// commands open.
func TestMigrate_ABackupThroughAHubOnTheDatabaseRestoresAsAFile(t *testing.T) {
	file := demoFile(t)
	address := pgtest.Database(t)
	if status, _, errText := runCLI(t, "migrate", "--from", file, "--to", address); status != 0 {
		t.Fatalf("migrate: %q", errText)
	}
	manager := []string{"--user", "Marieke de Boer", "--pin", "1234"}
	status, said, errText := runCLI(t, append([]string{"pair-code", "--store", address, "--name", "Kantoor"}, manager...)...)
	code := regexp.MustCompile(`^pairing code ([2-9A-Z]{5}-[2-9A-Z]{5}), valid until`).FindStringSubmatch(said)
	if status != 0 || code == nil {
		t.Fatalf("pair-code --store: %d %q %q", status, said, errText)
	}
	hubURL, _ := serveStore(t, address)
	device := filepath.Join(t.TempDir(), "device.json")
	if status, said, errText := runCLI(t, "pair", "--server", hubURL, "--code", code[1], "--device-file", device); status != 0 {
		t.Fatalf("pair: %d %q %q", status, said, errText)
	}
	backup := filepath.Join(t.TempDir(), "backup.db")
	status, said, errText = runCLI(t, append([]string{"backup", "--server", hubURL, "--device-file", device, "-o", backup}, manager...)...)
	if status != 0 || !strings.Contains(said, "written to "+backup+" and verified") {
		t.Fatalf("backup --server of a hub on PostgreSQL: %d %q %q", status, said, errText)
	}
	restored := filepath.Join(t.TempDir(), "restored.db")
	if status, _, errText := runCLI(t, "restore", "--db", restored, backup); status != 0 {
		t.Fatalf("restore: %q", errText)
	}
	status, said, errText = runCLI(t, "attendance", "--db", restored, "--group", "Rupsjes", "--date", "2026-11-25")
	if status != 0 || !strings.Contains(said, "Rupsjes") {
		t.Errorf("attendance on the restored file: %d %q %q", status, said, errText)
	}
	db, err := boltstore.OpenExisting(restored)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	children, err := db.Children(t.Context(), 0)
	if err != nil || len(children) != count(t, address, "children") {
		t.Errorf("the restored file holds %d children (%v), the database %d", len(children), err, count(t, address, "children"))
	}
}
