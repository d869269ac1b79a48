package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"locatiedesk/data/boltstore"

	"locatiedesk/data"
	"locatiedesk/data/datatest"
)

// demoChild returns the demo file's first child by name.
func demoChild(t *testing.T, path string) data.Child {
	t.Helper()
	db, err := boltstore.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	children, err := db.Children(t.Context(), 0)
	if err != nil || len(children) == 0 {
		t.Fatalf("demo children: %v, %v", children, err)
	}
	return children[0]
}

func TestExportChildCommand_AVG_JSONAndPDF(t *testing.T) {
	t.Setenv("DISPLAY", "")
	path := demoFile(t)
	child := demoChild(t, path)
	id := strconv.FormatUint(uint64(child.ID), 10)
	dir := t.TempDir()

	status, out, errText := runCLI(t, "export", "child", "--db", path, "--child", id, "-o", filepath.Join(dir, "kind.json"))
	if status != 0 {
		t.Fatalf("json: status %d: %s", status, errText)
	}
	raw, err := os.ReadFile(filepath.Join(dir, "kind.json"))
	if err != nil {
		t.Fatal(err)
	}
	var rec data.ChildRecord
	if err := json.Unmarshal(raw, &rec); err != nil {
		t.Fatal(err)
	}
	if rec.Child.ID != child.ID || rec.Child.Name() != child.Name() || len(rec.Contracts) == 0 || !strings.Contains(out, child.Name()) {
		t.Errorf("exported %+v; stdout %q", rec.Child, out)
	}

	status, _, errText = runCLI(t, "export", "child", "--db", path, "--child", strings.ToUpper(child.Name()), "-o", filepath.Join(dir, "kind.PDF"))
	if status != 0 {
		t.Fatalf("pdf: status %d: %s", status, errText)
	}
	text, err := exec.Command("pdftotext", "-enc", "UTF-8", filepath.Join(dir, "kind.PDF"), "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	if !strings.Contains(string(text), child.Name()) || !strings.Contains(string(text), "Contracten · Contracts") {
		t.Errorf("the PDF does not look like the child's data:\n%.500s", text)
	}
}

func TestExportChildCommand_AVG_ClearErrors(t *testing.T) {
	path := demoFile(t)
	out := filepath.Join(t.TempDir(), "kind.json")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"what to export", []string{"export", "--db", path}, "locatiedesk export child --db PATH"},
		{"no child", []string{"export", "child", "--db", path, "-o", out}, "--child NAME or --child ID"},
		{"unknown name", []string{"export", "child", "--db", path, "--child", "Niemand Bekend", "-o", out}, `child "Niemand Bekend": not found`},
		{"no file", []string{"export", "child", "--db", path, "--child", "1"}, "-o FILE.json"},
		{"other format", []string{"export", "child", "--db", path, "--child", "1", "-o", "kind.csv"}, "write a .json or a .pdf file"},
		{"unknown child", []string{"export", "child", "--db", path, "--child", "9999", "-o", out}, "not found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, _, errText := runCLI(t, tt.args...)
			if status == 0 || !strings.Contains(errText, tt.want) {
				t.Errorf("status %d, stderr %q; want it to say %q", status, errText, tt.want)
			}
		})
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("a failed export left %s behind", out)
	}
}

func TestPurgeCommand_AVG_RemovesExpiredAndCompacts(t *testing.T) {
	// Care that ended in 2020 is long past any retention period.
	db, path := datatest.Open(t, datatest.Seeded(data.Dataset{
		Settings:  data.DefaultSettings(),
		Locations: []data.Location{{ID: 1, Name: "Het Klavertje"}},
		Groups:    []data.Group{{ID: 1, LocationID: 1, Name: "Egeltjes", Care: data.KDV, Capacity: 12}},
		Children:  []data.Child{{ID: 1, LocationID: 1, FirstName: "Łukasz", LastName: "Wiśniewski", BirthDate: data.NewDate(2017, time.May, 1)}},
		Contracts: []data.Contract{{ID: 1, ChildID: 1, GroupID: 1, Product: data.ProductKDV, Start: data.NewDate(2018, time.January, 1), End: data.NewDate(2020, time.December, 31)}},
	}))

	status, _, errText := runCLI(t, "purge", "--db", path)
	if status == 0 || !strings.Contains(errText, "close Locatiedesk first") {
		t.Errorf("purge with the file open: status %d, %q", status, errText)
	}
	db.Close()

	status, out, errText := runCLI(t, "purge", "--db", path)
	if status != 0 || !strings.Contains(out, "retention period: 1 child;") || !strings.Contains(out, "compacted") {
		t.Fatalf("status %d, stdout %q, stderr %q", status, out, errText)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(raw), "Wiśniewski") {
		t.Error("the name is still in the file")
	}
	status, out, _ = runCLI(t, "purge", "--db", path)
	if status != 0 || !strings.Contains(out, "retention period: 0 children") || strings.Contains(out, "compacted") {
		t.Errorf("a second purge: status %d, %q", status, out)
	}
}
