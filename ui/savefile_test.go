package ui

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"
)

// chosenFile is what a save dialog hands over: the chosen file, created empty.
type chosenFile struct {
	*os.File
	uri fyne.URI
}

func (f chosenFile) URI() fyne.URI { return f.uri }

func choose(t *testing.T, path string) chosenFile {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	return chosenFile{File: f, uri: storage.NewFileURI(path)}
}

func TestSaving_WholeFileOrNone(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "intekenlijst.pdf")

	file := saving(choose(t, path))
	fmt.Fprint(file, "%PDF-1.4 half a sheet")
	full := errors.New("no space left on device")
	if err := file.finish(full); !errors.Is(err, full) {
		t.Fatalf("finish: %v", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("a failed save left %v", entries)
	}

	file = saving(choose(t, path))
	fmt.Fprint(file, "%PDF-1.4 the whole sheet")
	if err := file.finish(nil); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(path); string(got) != "%PDF-1.4 the whole sheet" {
		t.Errorf("saved %q", got)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("left beside it: %v", entries)
	}
}
