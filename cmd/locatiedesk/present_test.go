package main

import (
	"bytes"
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

// demoFileWithChildHere writes the demo location with one child checked in
// at midnight today, so it is here whatever the time the test runs.
func demoFileWithChildHere(t *testing.T) (string, data.Child) {
	t.Helper()
	db, path := datatest.Open(t, datatest.WithDemo())
	defer db.Close()
	child := demo.Build(db.Today()).Children[0]
	midnight := data.NewClock(0, 0)
	err := db.ImportRecords(t.Context(), []data.DayRecord{{Date: db.Today(), GroupID: 1, ChildID: child.ID,
		Attendance: data.Attendance{CheckIn: &midnight, UpdatedBy: "test", UpdatedAt: time.Now()}}})
	if err != nil {
		t.Fatal(err)
	}
	return path, child
}

func TestRunPrintPresent_WritesTheListAndLogsIt(t *testing.T) {
	t.Setenv("DISPLAY", "")
	dbPath, child := demoFileWithChildHere(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "wie-is-er.pdf")
	var stdout, stderr bytes.Buffer
	if code := run([]string{"print", "present", "--db", dbPath, "--group", demo.GroupBabies, "-o", out}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	text, err := exec.Command("pdftotext", "-enc", "UTF-8", "-layout", out, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	for _, want := range []string{"Wie is er nu?", "Who is here now?", demo.LocationName, child.Name(), "00:00"} {
		if !strings.Contains(string(text), want) {
			t.Errorf("the PDF lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(string(text), demo.GroupToddlers) {
		t.Error("a list of one group shows another")
	}
	if !strings.Contains(stdout.String(), out) {
		t.Errorf("stdout %q does not say where the list went", stdout.String())
	}
	if files, _ := os.ReadDir(dir); len(files) != 1 {
		t.Errorf("the folder holds %d files, want only the PDF", len(files))
	}
	db, err := boltstore.Open(dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	entries, err := db.Audit(t.Context(), data.AuditFilter{Action: "LogPrint"})
	if err != nil || len(entries) != 1 || !strings.Contains(entries[0].Detail, "who-is-here list of "+demo.LocationName) ||
		!strings.Contains(entries[0].Detail, currentUser()) {
		t.Fatalf("print log %+v, %v", entries, err)
	}
}

func TestRunPrintPresent_ClearErrors(t *testing.T) {
	dbPath, _ := demoFileWithChildHere(t)
	out := filepath.Join(t.TempDir(), "list.pdf")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no output file", []string{"--location", demo.LocationName}, "-o FILE.pdf"},
		{"unknown location", []string{"--location", "De Eik", "-o", out}, `location "De Eik": not found`},
		{"unknown group", []string{"--group", "Kikkers", "-o", out}, `group "Kikkers": not found`},
		{"folder missing", []string{"-o", filepath.Join(t.TempDir(), "gone", "list.pdf")}, "no such file or directory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			args := append([]string{"print", "present", "--db", dbPath}, tt.args...)
			if code := run(args, &stdout, &stderr); code != 1 || !strings.Contains(stderr.String(), tt.want) {
				t.Errorf("exit %d, stderr %q; want 1 and %q", code, stderr.String(), tt.want)
			}
			if _, err := os.Stat(out); err == nil {
				t.Error("a PDF was written despite the error")
			}
		})
	}
}
