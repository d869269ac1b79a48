package main

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"locatiedesk/data/boltstore"

	"locatiedesk/data"
)

func setupArgs(path string, extra ...string) []string {
	return append([]string{"setup", "--db", path, "--organisation", "Kinderopvang Het Zonnetje", "--location", "De Zonnebloem",
		"--manager", "Fatma Yılmaz", "--password", "zonnebloem2026"}, extra...)
}

func TestSetupCommand_M1_NewOrganisation(t *testing.T) {
	path := filepath.Join(t.TempDir(), "new.db")
	status, out, errText := runCLI(t, setupArgs(path, "--group", "Peuters:KDV:16", "--group", "Bengels:bso:22")...)
	if status != 0 {
		t.Fatalf("status %d: %s", status, errText)
	}
	if !strings.Contains(out, "De Zonnebloem") || !strings.Contains(out, "2 groups") {
		t.Errorf("output %q", out)
	}
	db, err := boltstore.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	org, err := db.Organisation(t.Context())
	if err != nil || org.Name != "Kinderopvang Het Zonnetje" || len(org.Locations) != 1 || len(org.Groups) != 2 {
		t.Fatalf("organisation %+v, %v", org, err)
	}
	if g := org.Groups[1]; g.Name != "Bengels" || g.Care != data.BSO || g.Capacity != 22 {
		t.Errorf("second group %+v", g)
	}
	users, _ := db.Users(t.Context())
	if len(users) != 1 || users[0].Name != "Fatma Yılmaz" || users[0].Role != data.RoleManager {
		t.Fatalf("users %+v", users)
	}
	if _, err := db.SignIn(t.Context(), users[0].ID, "zonnebloem2026"); err != nil {
		t.Errorf("the manager cannot sign in: %v", err)
	}
	if children, _ := db.Children(t.Context(), 0); len(children) != 0 {
		t.Errorf("%d children in a new organisation", len(children))
	}
}

func TestSetupCommand_M1_Refusals(t *testing.T) {
	for _, tc := range []struct {
		name string
		args func(path string) []string
		want string
	}{
		{"a group without capacity", func(p string) []string { return setupArgs(p, "--group", "Peuters:KDV") }, "NAME:KDV:CAPACITY"},
		{"capacity not a number", func(p string) []string { return setupArgs(p, "--group", "Peuters:KDV:veel") }, "not a number"},
		{"unknown care type", func(p string) []string { return setupArgs(p, "--group", "Peuters:TSO:10") }, "KDV or BSO"},
		{"a bad second group", func(p string) []string {
			return setupArgs(p, "--group", "Peuters:KDV:16", "--group", "Bengels:BSO:0")
		}, "places must be 1 to"},
		{"short password", func(p string) []string {
			return []string{"setup", "--db", p, "--organisation", "O", "--location", "L", "--manager", "M", "--password", "kort"}
		}, "a password at least 8 characters"},
		{"missing parts", func(p string) []string { return []string{"setup", "--db", p, "--organisation", "O"} }, "--location, --manager, --password"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "new.db")
			status, _, errText := runCLI(t, tc.args(path)...)
			if status != 1 || !strings.Contains(errText, tc.want) {
				t.Fatalf("status %d, stderr %q; want 1 and %q", status, errText, tc.want)
			}
			db, err := boltstore.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if empty, _ := db.IsEmpty(t.Context()); !empty {
				t.Error("a refused setup wrote something")
			}
		})
	}
	t.Run("a file that holds data", func(t *testing.T) {
		path := demoFile(t)
		status, _, errText := runCLI(t, setupArgs(path)...)
		if status != 1 || !strings.Contains(errText, "already holds data") {
			t.Fatalf("status %d, stderr %q", status, errText)
		}
		db, err := boltstore.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if name, _ := db.OrganisationName(t.Context()); name != "" {
			t.Errorf("the demo file got an organisation name %q", name)
		}
	})
}

func TestOpenForWindow_M1_EmptyFileStaysEmpty(t *testing.T) {
	path := filepath.Join(t.TempDir(), "new.db")
	db, err := openForWindow(t.Context(), path, false)
	if err != nil {
		t.Fatal(err)
	}
	empty, _ := db.IsEmpty(t.Context())
	db.Close()
	if !empty {
		t.Fatal("opening a new file for the window put data in it: the demo must be chosen")
	}
	db, err = openForWindow(t.Context(), path, true)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if locations, _ := db.Locations(t.Context()); len(locations) != 1 {
		t.Errorf("--demo on an empty file: locations %+v", locations)
	}
}

func TestAccountCommand_M1_StaffAfterSetup(t *testing.T) {
	path := filepath.Join(t.TempDir(), "new.db")
	if status, _, errText := runCLI(t, setupArgs(path, "--group", "Peuters:KDV:16", "--group", "Bengels:BSO:22")...); status != 0 {
		t.Fatalf("setup: %s", errText)
	}
	for _, args := range [][]string{
		{"--name", "Noor de Wit", "--role", "staff", "--group", "Peuters", "--group", "De Zonnebloem/Bengels", "--secret", "2468"},
		{"--name", "Priya Ramdin", "--role", "office", "--location", "de zonnebloem", "--secret", "planning2026"},
	} {
		status, out, errText := runCLI(t, append([]string{"account", "add", "--db", path}, args...)...)
		if status != 0 || !strings.Contains(out, "added") {
			t.Fatalf("account add %v: status %d, %s%s", args, status, out, errText)
		}
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--name", "X", "--role", "baas", "--secret", "1234"}, "use staff, manager or office"},
		{[]string{"--name", "X", "--role", "staff", "--group", "Onbekend", "--secret", "1234"}, "not found"},
		{[]string{"--name", "X", "--role", "staff", "--secret", "1234"}, "at least one group"},
		{[]string{"--name", "noor de wit", "--role", "staff", "--group", "Peuters", "--secret", "1234"}, "in use already"},
		{[]string{"--name", "X", "--role", "staff", "--group", "Peuters", "--secret", "12"}, "PIN has 4 to 6 digits"},
	} {
		status, _, errText := runCLI(t, append([]string{"account", "add", "--db", path}, tc.args...)...)
		if status != 1 || !strings.Contains(errText, tc.want) {
			t.Errorf("account add %v: status %d, %q; want %q", tc.args, status, errText, tc.want)
		}
	}
	db, err := boltstore.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	users, _ := db.Users(t.Context())
	if len(users) != 3 {
		t.Fatalf("users %+v, want the manager and two accounts", users)
	}
	noor := users[slices.IndexFunc(users, func(u data.User) bool { return u.Name == "Noor de Wit" })]
	if len(noor.GroupIDs) != 2 {
		t.Errorf("Noor's groups %v", noor.GroupIDs)
	}
	if _, err := db.SignIn(t.Context(), noor.ID, "2468"); err != nil {
		t.Errorf("Noor cannot sign in: %v", err)
	}
}
