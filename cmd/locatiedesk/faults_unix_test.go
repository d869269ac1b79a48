//go:build unix

package main

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func TestOutputs_StandardOutputAndPipesAreWrittenNotReplaced(t *testing.T) {
	dbPath := demoFile(t)
	status, out, errText := runCLI(t, "export", "invoicing", "--db", dbPath, "--from", "2026-11-01", "--to", "2026-11-30", "-o", "-")
	if status != 0 || !strings.HasPrefix(out, "Factuurregel") && !strings.Contains(strings.SplitN(out, "\n", 2)[0], ";") && !strings.Contains(strings.SplitN(out, "\n", 2)[0], ",") || !strings.Contains(errText, "batch 1") {
		t.Fatalf("-o -: status %d, stdout %.200q, stderr %q", status, out, errText)
	}
	if status, _, errText := runCLI(t, "export", "invoicing", "--db", dbPath, "--batch", "1", "--format", "xlsx", "-o", "-"); status != 1 || !strings.Contains(errText, "not text") {
		t.Fatalf("xlsx to -: status %d, %q", status, errText)
	}

	fifo := filepath.Join(t.TempDir(), "pipe")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip("no named pipes here:", err)
	}
	read := make(chan string)
	go func() {
		f, err := os.Open(fifo)
		if err != nil {
			read <- err.Error()
			return
		}
		b, _ := io.ReadAll(f)
		f.Close()
		read <- string(b)
	}()
	if status, _, errText := runCLI(t, "export", "invoicing", "--db", dbPath, "--batch", "1", "-o", fifo); status != 0 {
		t.Fatalf("export into a pipe: %s", errText)
	}
	if got := <-read; !strings.Contains(got, "\n") {
		t.Errorf("the pipe read %q", got)
	}
	for _, args := range [][]string{{"backup", "--db", dbPath, "-o", fifo}, {"restore", "--db", fifo, dbPath}} {
		if status, _, errText := runCLI(t, args...); status != 1 || !strings.Contains(errText, "device") {
			t.Errorf("%s onto a pipe: status %d, %q", args[0], status, errText)
		}
	}
	if info, err := os.Lstat(fifo); err != nil || info.Mode()&os.ModeNamedPipe == 0 {
		t.Fatalf("the pipe was replaced: %v %v", info.Mode(), err)
	}
}
