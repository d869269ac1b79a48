package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"locatiedesk/data/boltstore"

	"locatiedesk/data"
	"locatiedesk/data/boltstore/generate"
	"locatiedesk/data/datatest"
)

// TestImportChildren_M1_Command runs `locatiedesk import children` and
// `export children` as an office would: a dry run writes nothing, the
// import brings in 40 children, the same file again changes nothing, the
// export imports again unchanged, and a bad file prints its lines and exits 1.
func TestImportChildren_M1_Command(t *testing.T) {
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "locatiedesk.db")
	groups := []data.Group{{ID: 1, LocationID: 1, Name: "Dolfijnen", Care: data.KDV, Capacity: 16}, {ID: 2, LocationID: 1, Name: "Zeesterren", Care: data.BSO, Capacity: 20}}
	store, _ := datatest.Open(t, datatest.Path(dbPath), datatest.Seeded(data.Dataset{Settings: data.DefaultSettings(), Locations: []data.Location{{ID: 1, Name: "De Haven"}}, Groups: groups}))
	store.Close()
	var file bytes.Buffer
	start := data.DateOf(time.Now()).AddDays(-30)
	if _, err := generate.ChildrenFile(&file, generate.ChildrenFileOptions{Location: "De Haven", Groups: groups, Children: 40, Start: start, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	planning := filepath.Join(dir, "planning.csv")
	if err := os.WriteFile(planning, file.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	children := func() int {
		t.Helper()
		s, err := boltstore.Open(dbPath)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		all, err := s.Children(t.Context(), 0)
		if err != nil {
			t.Fatal(err)
		}
		return len(all)
	}
	runOK := func(args ...string) string {
		t.Helper()
		var out, errOut bytes.Buffer
		if code := run(args, &out, &errOut); code != 0 {
			t.Fatalf("%v: exit %d\n%s", args, code, errOut.String())
		}
		return out.String()
	}

	out := runOK("import", "children", "--db", dbPath, planning, "--dry-run")
	if !strings.Contains(out, "children: 40 new, 0 changed, 0 unchanged") || !strings.Contains(out, "dry run: nothing was imported") ||
		!strings.Contains(out, "line 2: 00001 ") || children() != 0 {
		t.Fatalf("dry run:\n%s", out)
	}
	out = runOK("import", "children", "--db", dbPath, planning)
	if !strings.Contains(out, "children: 40 new") || children() != 40 {
		t.Fatalf("import:\n%s", out)
	}
	if out = runOK("import", "children", "--db", dbPath, planning); !strings.Contains(out, "nothing changes") {
		t.Errorf("the same file again:\n%s", out)
	}
	exported := filepath.Join(dir, "export.csv")
	if out = runOK("export", "children", "--db", dbPath, "--location", "De Haven", "-o", exported); !strings.Contains(out, "contract lines written to") {
		t.Errorf("export:\n%s", out)
	}
	if out = runOK("import", "children", "--db", dbPath, exported); !strings.Contains(out, "nothing changes") {
		t.Errorf("the export imported again:\n%s", out)
	}

	// Their own headers, mapped; an unknown group on line 3.
	own := "Kind nr;voornaam;achternaam;geboortedatum;locatie;groep;product;dagen;begintijd;eindtijd;ingangsdatum\n" +
		"N-1;Ayşe;Yılmaz;2024-02-01;De Haven;Dolfijnen;kdv;ma;07:30;18:00;" + start.String() + "\n" +
		"N-2;Ömer;Yılmaz;2024-02-01;De Haven;Walvissen;kdv;ma;07:30;18:00;" + start.String() + "\n"
	bad := filepath.Join(dir, "own.csv")
	if err := os.WriteFile(bad, []byte(own), 0o600); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if code := run([]string{"import", "children", "--db", dbPath, bad, "--map", "Kind nr=kindnummer"}, &stdout, &stderr); code != 1 {
		t.Fatalf("bad file: exit %d\n%s", code, stdout.String())
	}
	if !strings.Contains(stderr.String(), bad+`:3: unknown group "Walvissen" at this location`) || !strings.Contains(stderr.String(), "nothing was imported") || children() != 40 {
		t.Errorf("bad file:\n%s", stderr.String())
	}
	stderr.Reset()
	if code := run([]string{"import", "children", "--db", dbPath, bad}, &stdout, &stderr); code != 1 || !strings.Contains(stderr.String(), `the header line has no column "kindnummer"`) {
		t.Errorf("unmapped header: exit %d\n%s", code, stderr.String())
	}
}
