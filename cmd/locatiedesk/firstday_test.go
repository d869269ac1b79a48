package main

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"locatiedesk/data/boltstore"

	"locatiedesk/data"
	"locatiedesk/data/boltstore/generate"
	"locatiedesk/data/demo"
)

// TestFirstDay_M1_SetupImportAccountsList is a real organisation's first day
// on the command line alone: set up, import 40 children from the planning
// system, add three staff accounts, and the next working day's attendance
// lists hold exactly the children whose contracts give care that weekday.
func TestFirstDay_M1_SetupImportAccountsList(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "zonnebloem.db")
	if status, _, errText := runCLI(t, setupArgs(path, "--group", "Peuters:KDV:16", "--group", "Bengels:BSO:22")...); status != 0 {
		t.Fatalf("setup: %s", errText)
	}
	groups := []data.Group{{Name: "Peuters", Care: data.KDV}, {Name: "Bengels", Care: data.BSO}}
	today := data.DateOf(time.Now())
	var file bytes.Buffer
	lines, err := generate.ChildrenFile(&file, generate.ChildrenFileOptions{Location: "De Zonnebloem", Groups: groups, Children: 40, Start: today.AddDays(-30), Seed: 11})
	if err != nil {
		t.Fatal(err)
	}
	importFile := filepath.Join(dir, "kinderen.csv")
	if err := os.WriteFile(importFile, file.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	if status, out, errText := runCLI(t, "import", "children", "--db", path, importFile); status != 0 {
		t.Fatalf("import: status %d: %s%s", status, out, errText)
	}
	for _, account := range [][]string{
		{"--name", "Noor de Wit", "--role", "staff", "--group", "Peuters", "--secret", "2468"},
		{"--name", "Sven Öztürk", "--role", "staff", "--group", "Bengels", "--secret", "3579"},
		{"--name", "Priya Ramdin", "--role", "office", "--location", "De Zonnebloem", "--secret", "planning2026"},
	} {
		if status, _, errText := runCLI(t, append([]string{"account", "add", "--db", path}, account...)...); status != 0 {
			t.Fatalf("account add %v: %s", account, errText)
		}
	}

	// The next weekday: a new organisation has no closing days, and the
	// planning system's contracts run on weekdays only.
	day := today.AddDays(1)
	for day.Weekday() == time.Saturday || day.Weekday() == time.Sunday {
		day = day.AddDays(1)
	}
	for _, g := range groups {
		var want []string
		for _, l := range lines {
			if l.Group == g.Name && slices.ContainsFunc(l.Days, func(d data.ContractDay) bool { return d.Weekday == day.Weekday() }) {
				want = append(want, l.FirstName+" "+l.LastName)
			}
		}
		status, out, errText := runCLI(t, "attendance", "--db", path, "--group", g.Name, "--date", day.String(), "--format", "csv")
		if status != 0 {
			t.Fatalf("attendance %s: %s", g.Name, errText)
		}
		rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
		if err != nil || len(rows) == 0 {
			t.Fatalf("attendance %s: %q: %v", g.Name, out, err)
		}
		var got []string
		for _, row := range rows[1:] {
			got = append(got, row[2]) // date, group, child, …
		}
		slices.Sort(want)
		slices.Sort(got)
		if len(want) == 0 || !slices.Equal(got, want) {
			t.Errorf("%s on %s: %v, want %v", g.Name, day, got, want)
		}
	}

	db, err := boltstore.OpenExisting(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if users, _ := db.Users(t.Context()); len(users) != 4 {
		t.Errorf("%d accounts, want the manager and three", len(users))
	}
	locations, _ := db.Locations(t.Context())
	children, _ := db.Children(t.Context(), 0)
	if len(locations) != 1 || locations[0].Name == demo.LocationName || len(children) != 40 {
		t.Errorf("locations %+v and %d children: the demo or something else crept in", locations, len(children))
	}
}
