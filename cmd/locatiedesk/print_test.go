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

// demoFileWithStudyDay writes the demo location as built on 25 November 2026 and returns its study day.
func demoFileWithStudyDay(t *testing.T) (string, data.StudyDay) {
	t.Helper()
	ds := demo.Build(data.NewDate(2026, time.November, 25))
	db, path := datatest.Open(t, datatest.Seeded(ds))
	db.Close()
	return path, ds.StudyDays[0]
}

func TestRunPrintStudyDay_S1_WritesTheSheetWithoutDisplay(t *testing.T) {
	t.Setenv("DISPLAY", "")
	dbPath, sd := demoFileWithStudyDay(t)
	out := filepath.Join(t.TempDir(), "intekenlijst.pdf")
	var stdout, stderr bytes.Buffer
	code := run([]string{"print", "studyday", "--db", dbPath, "--school", "obs de regenboog", "--date", sd.Date.String(), "-o", out}, &stdout, &stderr)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	text, err := exec.Command("pdftotext", "-enc", "UTF-8", out, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	if !strings.Contains(string(text), demo.SchoolRegenbog) || !strings.Contains(string(text), "Intekenlijst studiedag") {
		t.Errorf("the PDF does not look like the sheet:\n%s", text)
	}
	if !strings.Contains(stdout.String(), out) {
		t.Errorf("stdout %q does not say where the sheet went", stdout.String())
	}
}

func TestRunPrintStudyDay_S1_ClearErrors(t *testing.T) {
	dbPath, sd := demoFileWithStudyDay(t)
	out := filepath.Join(t.TempDir(), "sheet.pdf")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"unknown school", []string{"--school", "De Toverfluit", "--date", sd.Date.String(), "-o", out}, `school "De Toverfluit": not found`},
		{"not a study day", []string{"--school", demo.SchoolRegenbog, "--date", sd.Date.AddDays(1).String(), "-o", out}, "has no study day on " + sd.Date.AddDays(1).String()},
		{"malformed date", []string{"--school", demo.SchoolRegenbog, "--date", "3-12-2026", "-o", out}, "expected YYYY-MM-DD"},
		{"no output file", []string{"--school", demo.SchoolRegenbog, "--date", sd.Date.String()}, "-o FILE.pdf"},
		{"unknown location", []string{"--school", demo.SchoolRegenbog, "--date", sd.Date.String(), "-o", out, "--location", "De Eik"}, `location "De Eik": not found`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			args := append([]string{"print", "studyday", "--db", dbPath}, tt.args...)
			if code := run(args, &stdout, &stderr); code != 1 || !strings.Contains(stderr.String(), tt.want) {
				t.Errorf("exit %d, stderr %q; want 1 and %q", code, stderr.String(), tt.want)
			}
			if _, err := os.Stat(out); err == nil {
				t.Error("a PDF was written despite the error")
			}
		})
	}
}

// S2: once the planner cancelled a study day, the notice for its parents
// prints from the command line; before that there is no notice to print.
func TestRunPrintStudyDayNotice_S2(t *testing.T) {
	t.Setenv("DISPLAY", "")
	dbPath, sd := demoFileWithStudyDay(t)
	out := filepath.Join(t.TempDir(), "bericht.pdf")
	args := []string{"print", "studyday-notice", "--db", dbPath, "--school", demo.SchoolRegenbog, "--date", sd.Date.String(), "-o", out}
	var stdout, stderr bytes.Buffer
	if code := run(args, &stdout, &stderr); code != 1 || !strings.Contains(stderr.String(), "not cancelled") {
		t.Fatalf("before a decision: exit %d, %q; want a clear refusal", code, stderr.String())
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Fatalf("a refused notice left a file: %v", err)
	}
	db, err := boltstore.Open(dbPath, boltstore.WithClock(func() time.Time { return time.Date(2026, time.November, 25, 9, 0, 0, 0, time.Local) }))
	if err != nil {
		t.Fatal(err)
	}
	if err := db.DecideStudyDay(t.Context(), 1, sd.SchoolID, sd.Date, data.OutcomeCancelled, "Priya Ramdin"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	stdout.Reset()
	stderr.Reset()
	if code := run(args, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	text, err := exec.Command("pdftotext", "-enc", "UTF-8", out, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	if !strings.Contains(string(text), "Studiedag: geen opvang") || !strings.Contains(string(text), "Study day: no care") ||
		strings.Count(string(text), "Beste ouders van ") != 2 || !strings.Contains(stdout.String(), "2 children") {
		t.Errorf("the notice for the demo's two sign-ups:\n%s\nstdout %q", text, stdout.String())
	}
}
