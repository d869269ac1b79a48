package main

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"locatiedesk/data/demo"
)

// runCLI runs the command line as a user would and returns status and output.
func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	status := run(args, &stdout, &stderr)
	return status, stdout.String(), stderr.String()
}

func demoFile(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "demo.db")
	if status, _, errText := runCLI(t, "demo", "--db", path); status != 0 {
		t.Fatalf("demo: status %d: %s", status, errText)
	}
	return path
}

func TestAttendanceCommand_PrintsTheDaysList(t *testing.T) {
	path := demoFile(t)
	status, out, errText := runCLI(t, "attendance", "--db", path, "--group", demo.GroupBabies, "--date", "2026-11-24")
	if status != 0 {
		t.Fatalf("status %d: %s", status, errText)
	}
	if !strings.Contains(out, "Rupsjes 2026-11-24: expected") || !strings.Contains(out, "check-in") {
		t.Fatalf("text output lacks the heading or columns:\n%s", out)
	}

	status, out, errText = runCLI(t, "attendance", "--db", path, "--group", "de vlinder/rupsjes", "--date", "2026-11-24", "--format", "csv")
	if status != 0 {
		t.Fatalf("csv: status %d: %s", status, errText)
	}
	records, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatalf("csv output does not parse: %v", err)
	}
	if len(records) < 2 || records[0][2] != "child" || records[1][0] != "2026-11-24" || records[1][1] != demo.GroupBabies {
		t.Fatalf("unexpected csv:\n%s", out)
	}
}

func TestAttendanceCommand_ClearErrors(t *testing.T) {
	path := demoFile(t)
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"unknown group", []string{"--group", "Bestaat niet", "--date", "2026-11-24"}, `group "Bestaat niet": not found`},
		{"malformed date", []string{"--group", demo.GroupBabies, "--date", "24-11-2026"}, "expected YYYY-MM-DD"},
		{"impossible date", []string{"--group", demo.GroupBabies, "--date", "2026-02-30"}, `"2026-02-30" is not a date`},
		{"unknown format", []string{"--group", demo.GroupBabies, "--format", "xml"}, "unknown format"},
		{"no group", []string{"--date", "2026-11-24"}, "--group"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, out, errText := runCLI(t, append([]string{"attendance", "--db", path}, tc.args...)...)
			if status != 1 || !strings.Contains(errText, tc.want) || out != "" {
				t.Fatalf("status %d, stderr %q, stdout %q; want 1 and %q", status, errText, out, tc.want)
			}
		})
	}
}

func TestDemoCommand_RefusesAFileWithData(t *testing.T) {
	path := demoFile(t)
	status, _, errText := runCLI(t, "demo", "--db", path)
	if status != 1 || !strings.Contains(errText, "already holds data") {
		t.Fatalf("second demo: status %d, %q", status, errText)
	}
}

func TestUnknownCommand(t *testing.T) {
	status, _, errText := runCLI(t, "frobnicate")
	if status != 1 || !strings.Contains(errText, "unknown command") {
		t.Fatalf("status %d, %q", status, errText)
	}
}

func TestBackupRestoreCheckCommands(t *testing.T) {
	path := demoFile(t)
	backup := filepath.Join(t.TempDir(), "backup.db")
	if status, out, errText := runCLI(t, "backup", "--db", path, "-o", backup); status != 0 || !strings.Contains(out, "verified") {
		t.Fatalf("backup: status %d, %q %q", status, out, errText)
	}
	if status, out, _ := runCLI(t, "check", "--db", backup); status != 0 || !strings.Contains(out, "no damage") {
		t.Fatalf("check of a good backup: status %d, %q", status, out)
	}
	status, out, errText := runCLI(t, "restore", "--db", path, backup)
	if status != 0 || !strings.Contains(out, "kept as") {
		t.Fatalf("restore: status %d, %q %q", status, out, errText)
	}

	broken := filepath.Join(t.TempDir(), "broken.db")
	os.WriteFile(broken, []byte("not a data file"), 0o600)
	if status, _, errText := runCLI(t, "check", "--db", broken); status != 1 || !strings.Contains(errText, "not a usable Locatiedesk data file") {
		t.Fatalf("check of a broken file: status %d, %q", status, errText)
	}
	if status, _, errText := runCLI(t, "restore", "--db", path, broken); status != 1 || !strings.Contains(errText, "not a usable") {
		t.Fatalf("restore from a broken file: status %d, %q", status, errText)
	}
	if status, _, errText := runCLI(t, "backup", "--db", path); status != 1 || !strings.Contains(errText, "-o FILE") {
		t.Fatalf("backup without -o: status %d, %q", status, errText)
	}
}

func TestGenerateCommand(t *testing.T) {
	path := filepath.Join(t.TempDir(), "org.db")
	status, out, errText := runCLI(t, "generate", "--db", path, "--locations", "2", "--children-per-location", "20", "--years", "1")
	if status != 0 || !strings.Contains(out, "2 locations of 20 children with 1 years of history") {
		t.Fatalf("status %d, %q %q", status, out, errText)
	}
	status, out, _ = runCLI(t, "attendance", "--db", path, "--group", "Locatie 002/Rupsjes", "--format", "csv")
	if status != 0 || strings.Count(out, "\n") < 2 {
		t.Fatalf("generated group has no list today: status %d\n%s", status, out)
	}
	if status, _, errText := runCLI(t, "generate", "--db", path, "--locations", "0"); status != 1 || !strings.Contains(errText, "locations must be") {
		t.Fatalf("zero locations: status %d, %q", status, errText)
	}
}
