package reports

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// writeSample makes a two-page PDF with names no core font can print.
func writeSample(t *testing.T) []byte {
	t.Helper()
	pdf := newDocument("P", "Test", time.Date(2026, 11, 25, 8, 0, 0, 0, time.UTC), "Locatiedesk")
	pdf.AddPage()
	pdf.SetFont(fontFamily, "", 12)
	for _, name := range []string{"Łukasz Kowalski", "Ayşe Yılmaz", "Zoë Nguyễn", "Ŝtefan Dvořák"} {
		pdf.CellFormat(0, 8, name, "", 1, "L", false, 0, "")
	}
	pdf.AddPage()
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestNewDocument_SameInputSameBytes(t *testing.T) {
	if a, b := writeSample(t), writeSample(t); !bytes.Equal(a, b) {
		t.Fatal("two PDFs of the same input differ")
	}
}

// TestNewDocument_Diacritics extracts the text again (pdftotext, from
// poppler-utils, which scripts/test.sh installs) and finds every name whole.
func TestNewDocument_Diacritics(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sample.pdf")
	if err := os.WriteFile(path, writeSample(t), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v (install poppler-utils)", err)
	}
	text := string(out)
	for _, want := range []string{"Łukasz Kowalski", "Ayşe Yılmaz", "Zoë Nguyễn", "Ŝtefan Dvořák", "1/2", "2/2"} {
		if !strings.Contains(text, want) {
			t.Errorf("extracted text lacks %q:\n%s", want, text)
		}
	}
}
