package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestGenerated_UpToDate fails when data.Store (or a type it uses) changed
// and go generate ./hub was not run: the schema and code would drift.
func TestGenerated_UpToDate(t *testing.T) {
	for name, want := range generate() {
		got, err := os.ReadFile(filepath.Join("..", "..", name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("hub/%s is out of date: run go generate ./hub", name)
		}
	}
}
