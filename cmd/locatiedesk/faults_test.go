package main

import (
	"encoding/binary"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"locatiedesk/data/boltstore"

	"locatiedesk/data"
	"locatiedesk/data/datatest"
	"locatiedesk/data/demo"
)

// damagePages gives every page of a data file but its meta pages, root and
// freelist a page type that does not exist, as a bad disk sector would:
// bbolt panics on the first of them a command reads.
func damagePages(t *testing.T, path string) {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	meta := raw[16:]
	pageSize := int(binary.NativeEndian.Uint32(meta[8:]))
	if other := raw[pageSize+16:]; binary.NativeEndian.Uint64(other[48:]) > binary.NativeEndian.Uint64(meta[48:]) {
		meta = other // the newer meta page is the one bbolt reads
	}
	root, freelist := binary.NativeEndian.Uint64(meta[16:]), binary.NativeEndian.Uint64(meta[32:])
	for id := uint64(2); int(id)*pageSize < len(raw); id++ {
		if id != root && id != freelist {
			binary.NativeEndian.PutUint16(raw[int(id)*pageSize+8:], 0x20)
		}
	}
	if err := os.WriteFile(path, raw, 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestDamagedFile_EveryCommandNamesTheFileAndTheRestore(t *testing.T) {
	dbPath, sd := demoFileWithStudyDay(t)
	backup := filepath.Join(boltstore.BackupDir(dbPath), "locatiedesk-2026-11-24.db")
	if status, _, errText := runCLI(t, "backup", "--db", dbPath, "-o", backup); status != 0 {
		t.Fatalf("backup: %s", errText)
	}
	damagePages(t, dbPath)
	out := t.TempDir()
	for _, args := range [][]string{
		{"attendance", "--group", demo.GroupBabies, "--date", "2026-11-24"},
		{"print", "studyday", "--school", demo.SchoolRegenbog, "--date", sd.Date.String(), "-o", filepath.Join(out, "s.pdf")},
		{"export", "child", "--child", "1", "-o", filepath.Join(out, "c.json")},
		{"export", "invoicing", "--from", "2026-11-01", "--to", "2026-11-30", "-o", filepath.Join(out, "i.csv")},
		{"backup", "-o", filepath.Join(out, "b.db")},
		{"check"},
	} {
		if args[0] == "print" || args[0] == "export" {
			args = append(args[:2:2], append([]string{"--db", dbPath}, args[2:]...)...)
		} else {
			args = append([]string{args[0], "--db", dbPath}, args[1:]...)
		}
		status, _, errText := runCLI(t, args...)
		want := "locatiedesk restore --db " + dbPath + " " + backup
		if status != 1 || !strings.Contains(errText, "is damaged") || !strings.Contains(errText, want) {
			t.Errorf("%s: status %d, %q; want 1 and %q", strings.Join(args[:2], " "), status, errText, want)
		}
	}
	if entries, _ := os.ReadDir(out); len(entries) != 0 {
		t.Errorf("outputs of a damaged file were left: %v", entries)
	}
}

func TestMissingDataFile_EveryCommandRefusesAndCreatesNothing(t *testing.T) {
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "typo", "locatiedesk.db")
	other := filepath.Join(dir, "other.csv")
	os.WriteFile(other, []byte("x"), 0o600)
	for _, args := range [][]string{
		{"attendance", "--db", dbPath, "--group", demo.GroupBabies},
		{"backup", "--db", dbPath, "-o", filepath.Join(dir, "b.db")},
		{"check", "--db", dbPath},
		{"purge", "--db", dbPath},
		{"import", "consent", "--db", dbPath, other},
		{"export", "child", "--db", dbPath, "--child", "1", "-o", filepath.Join(dir, "c.json")},
		{"export", "invoicing", "--db", dbPath, "--from", "2026-11-01", "--to", "2026-11-30", "-o", filepath.Join(dir, "i.csv")},
		{"print", "studyday", "--db", dbPath, "--school", "X", "--date", "2026-11-24", "-o", filepath.Join(dir, "s.pdf")},
	} {
		status, _, errText := runCLI(t, args...)
		if status != 1 || !strings.Contains(errText, "no data file") {
			t.Errorf("%s: status %d, %q; want 1 and no data file", args[0], status, errText)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("the commands left %v", entries)
	}
}

func TestPrintToAMissingFolder_NotLoggedAsWritten(t *testing.T) {
	dbPath, sd := demoFileWithStudyDay(t)
	status, _, errText := runCLI(t, "print", "studyday", "--db", dbPath, "--school", demo.SchoolRegenbog, "--date", sd.Date.String(), "-o", filepath.Join(t.TempDir(), "nope", "s.pdf"))
	if status != 1 || !strings.Contains(errText, "nope") {
		t.Fatalf("status %d, %q; want 1 and the missing folder", status, errText)
	}
	db, err := boltstore.OpenExisting(dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	entries, err := db.Audit(t.Context(), data.AuditFilter{Action: "LogPrint"})
	if err != nil || len(entries) != 0 {
		t.Fatalf("audit %v, %v: a print that was not written is logged", entries, err)
	}
}

func TestRestoreOntoAFolder_RefusedWithoutStrayFiles(t *testing.T) {
	dbPath := demoFile(t)
	backup := filepath.Join(t.TempDir(), "b.db")
	runCLI(t, "backup", "--db", dbPath, "-o", backup)
	parent := t.TempDir()
	folder := filepath.Join(parent, "data")
	os.Mkdir(folder, 0o700)
	if status, _, errText := runCLI(t, "restore", "--db", folder, backup); status != 1 || !strings.Contains(errText, "folder") {
		t.Fatalf("status %d, %q", status, errText)
	}
	if entries, _ := os.ReadDir(parent); len(entries) != 1 {
		t.Errorf("left behind: %v", entries)
	}
}

func TestStoppedGenerate_NextGenerateSaysItIsIncomplete(t *testing.T) {
	path := filepath.Join(t.TempDir(), "org.db")
	ds := demo.Build(data.NewDate(2026, time.November, 25))
	ds.Unfinished = "generate (started 2026-11-25 09:00)" // as Generate marks it; then killed
	db, _ := datatest.Open(t, datatest.Path(path), datatest.Seeded(ds))
	db.Close()
	status, _, errText := runCLI(t, "generate", "--db", path, "--locations", "1", "--children-per-location", "10", "--years", "0")
	if status != 1 || !strings.Contains(errText, "incomplete organisation") {
		t.Fatalf("status %d, %q", status, errText)
	}
}

func TestMistypedInputs_ClearAnswers(t *testing.T) {
	dbPath := demoFile(t)
	if status, _, errText := runCLI(t, "attendance", "--db", dbPath, "--group", demo.GroupBabies, "--date", ""); status != 1 || !strings.Contains(errText, "date") {
		t.Errorf(`--date "": status %d, %q`, status, errText)
	}
	if status, _, _ := runCLI(t, "generate", "--help"); status != 0 {
		t.Errorf("generate --help: status %d", status)
	}
	if status, _, errText := runCLI(t, "import", "consent", "--db", dbPath, t.TempDir()); status != 1 || !strings.Contains(errText, "is a folder") {
		t.Errorf("import of a folder: status %d, %q", status, errText)
	}
	var zoe data.Child
	db, _ := boltstore.OpenExisting(dbPath)
	children, _ := db.Children(t.Context(), 0)
	db.Close()
	for _, c := range children {
		if c.FirstName == "Zoë" {
			zoe = c
		}
	}
	decomposed := strings.Replace(zoe.Name(), "ë", "e\u0308", 1)
	status, out, errText := runCLI(t, "export", "child", "--db", dbPath, "--child", decomposed, "-o", "-")
	if zoe.ID == 0 || status != 0 || !strings.Contains(out, `"firstName": "Zoë"`) && !strings.Contains(out, `"firstName":"Zoë"`) {
		t.Errorf("Zoë typed with a combining diaeresis: status %d, %q, %.200q", status, errText, out)
	}
}

func TestWindowWithoutDisplay_SaysSo(t *testing.T) {
	t.Setenv("DISPLAY", "")
	t.Setenv("WAYLAND_DISPLAY", "")
	status, _, errText := runCLI(t, "--db", filepath.Join(t.TempDir(), "x.db"))
	if status != 1 || !strings.Contains(errText, "no display") {
		t.Fatalf("status %d, %q", status, errText)
	}
}

// TestCommandUnderCLocale runs a command in a fresh process of this test
// binary under LANG=C.UTF-8: Fyne's locale errors would show before main.
func TestCommandUnderCLocale(t *testing.T) {
	if path := os.Getenv("LOCATIEDESK_LOCALE_CHILD"); path != "" {
		os.Exit(run([]string{"attendance", "--db", path, "--group", demo.GroupBabies}, io.Discard, os.Stderr))
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestCommandUnderCLocale$")
	cmd.Env = append(os.Environ(), "LANG=C.UTF-8", "LC_ALL=", "LC_MESSAGES=", "LOCATIEDESK_LOCALE_CHILD="+demoFile(t))
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil || stderr.Len() != 0 {
		t.Fatalf("%v; stderr:\n%s", err, stderr.String())
	}
}
