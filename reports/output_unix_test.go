//go:build unix

package reports

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// A pipe (like a device: /dev/null) is written into; renaming a file over
// it would replace it.
func TestWriteFile_PipeWrittenIntoNotReplaced(t *testing.T) {
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
	if err := WriteFile(fifo, nil, func(w io.Writer) error { _, err := fmt.Fprint(w, "Batch;Soort"); return err }); err != nil {
		t.Fatal(err)
	}
	if got := <-read; got != "Batch;Soort" {
		t.Errorf("the pipe read %q", got)
	}
	if info, err := os.Lstat(fifo); err != nil || info.Mode()&os.ModeNamedPipe == 0 {
		t.Fatalf("the pipe is now %v (%v)", info.Mode(), err)
	}
}
