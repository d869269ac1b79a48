package reports

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWriteFile_WholeOrNotAtAll(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "lijst.pdf")
	if err := os.WriteFile(path, []byte("the sheet of yesterday"), 0o600); err != nil {
		t.Fatal(err)
	}
	full := errors.New("no space left on device")
	err := WriteFile(path, nil, func(w io.Writer) error {
		fmt.Fprint(w, "%PDF-1.4 half a sheet")
		return full
	})
	if !errors.Is(err, full) {
		t.Fatalf("error %v", err)
	}
	if got, _ := os.ReadFile(path); string(got) != "the sheet of yesterday" {
		t.Errorf("the old file became %q", got)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("left behind: %v", entries)
	}

	if err := WriteFile(path, nil, func(w io.Writer) error { _, err := fmt.Fprint(w, "%PDF-1.4 today"); return err }); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(path); string(got) != "%PDF-1.4 today" {
		t.Errorf("the file holds %q", got)
	}
}

func TestWriteFile_StandardOutputAndFolders(t *testing.T) {
	var out strings.Builder
	if err := WriteFile("-", &out, func(w io.Writer) error { _, err := fmt.Fprint(w, "a;b\r\n"); return err }); err != nil || out.String() != "a;b\r\n" {
		t.Fatalf("-: %q, %v", out.String(), err)
	}
	if err := WriteFile("-", nil, func(io.Writer) error { return nil }); err == nil {
		t.Fatal("a PDF to standard output was accepted")
	}
	if err := WriteFile(t.TempDir(), nil, func(io.Writer) error { return nil }); err == nil || !strings.Contains(err.Error(), "folder") {
		t.Fatalf("a folder: %v", err)
	}
}
