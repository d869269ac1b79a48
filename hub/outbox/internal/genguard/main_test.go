package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestGenerated_UpToDate fails when data.Store changed and go generate
// ./hub/outbox was not run.
func TestGenerated_UpToDate(t *testing.T) {
	got, err := os.ReadFile(filepath.Join("..", "..", "guard_gen.go"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, generate()) {
		t.Error("hub/outbox/guard_gen.go is out of date: run go generate ./hub/outbox")
	}
}
