package ui

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"locatiedesk/data"
)

// TestChildCard_AVG_ExportSavesTheChildsData taps "Gegevens exporteren" on
// the card: a save dialog opens with a suggested name; what it does with the
// chosen file (exportTo) writes the PDF or, for a .json name, the JSON.
func TestChildCard_AVG_ExportSavesTheChildsData(t *testing.T) {
	sh, _ := newTestShell(t, LanguageDutch)
	row := firstRowWithStatus(t, sh.attendance, data.StatusToCome)
	openCard(t, row)
	c := sh.card
	name := row.row.Child.Name()
	if c.exportButton.Text != "Gegevens exporteren" || c.exportButton.Disabled() {
		t.Fatalf("export button %q (disabled %v)", c.exportButton.Text, c.exportButton.Disabled())
	}
	if h := c.exportButton.Size().Height; h < touchSize {
		t.Errorf("export button is %.0f high, want at least %.0f", h, touchSize)
	}

	card := sh.window.Canvas().Overlays().Top()
	test.Tap(c.exportButton)
	if top := sh.window.Canvas().Overlays().Top(); top == nil || top == card {
		t.Fatal("no save dialog opened")
	}
	want := "gegevens-" + strings.ReplaceAll(strings.ToLower(name), " ", "-") + "-2026-11-25.pdf"
	if got := exportFileName(row.row.Child, sh.store.Today()); got != want {
		t.Errorf("suggested name %q, want %q", got, want)
	}
	sh.window.Canvas().Overlays().Top().Hide()

	dir := t.TempDir()
	for _, file := range []string{"kind.pdf", "kind.json"} {
		f, err := os.Create(filepath.Join(dir, file))
		if err != nil {
			t.Fatal(err)
		}
		c.exportTo(f, file)
		if got := dialogText(t, sh.window); !strings.Contains(got, "De gegevens van "+name+" zijn opgeslagen als "+file+".") {
			t.Errorf("message %q", got)
		}
		sh.window.Canvas().Overlays().Top().Hide()
	}
	text, err := exec.Command("pdftotext", "-enc", "UTF-8", filepath.Join(dir, "kind.pdf"), "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	if !strings.Contains(string(text), name) || !strings.Contains(string(text), "Aanwezigheid en afwezigheid") {
		t.Errorf("the PDF lacks the child's name or attendance:\n%.400s", text)
	}
	raw, err := os.ReadFile(filepath.Join(dir, "kind.json"))
	if err != nil {
		t.Fatal(err)
	}
	var rec data.ChildRecord
	if err := json.Unmarshal(raw, &rec); err != nil || rec.Child.ID != row.childID || len(rec.Contracts) == 0 {
		t.Errorf("JSON export: %v, child %+v", err, rec.Child)
	}
}
