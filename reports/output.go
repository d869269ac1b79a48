package reports

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
)

// Output is a file being written whole or not at all: a regular file is
// written beside its place under a temporary name, synced and renamed over
// it by Commit, so a full disk or a crash never leaves half a file. A
// device or a pipe (/dev/null, a FIFO) is written straight into: renaming
// over it would replace the device itself. "-" is standard output.
type Output struct {
	path   string
	target string   // the file Commit renames into; "" when written straight
	file   *os.File // the temporary file, the device or pipe; nil for standard output
	w      io.Writer
}

// CreateOutput opens path for writing; stdout is what "-" stands for ("" refuses "-").
// Nothing is in place until Commit.
func CreateOutput(path string, stdout io.Writer) (*Output, error) {
	if path == "-" {
		if stdout == nil {
			return nil, errors.New("this file is not text: name a file with -o instead of -")
		}
		return &Output{path: path, w: stdout}, nil
	}
	target := path
	if resolved, err := filepath.EvalSymlinks(path); err == nil {
		target = resolved // replace the file a link points at, not the link
	}
	info, err := os.Stat(target)
	switch {
	case err == nil && info.IsDir():
		return nil, fmt.Errorf("%s is a folder: name a file in it", path)
	case err == nil && !info.Mode().IsRegular():
		f, err := os.OpenFile(target, os.O_WRONLY, 0)
		if err != nil {
			return nil, err
		}
		return &Output{path: path, file: f, w: f}, nil
	case err != nil && !errors.Is(err, os.ErrNotExist):
		return nil, err
	}
	f, err := os.CreateTemp(filepath.Dir(target), ".locatiedesk-partial-*")
	if err != nil {
		return nil, fmt.Errorf("write %s: %w", path, err)
	}
	return &Output{path: path, target: target, file: f, w: f}, nil
}

// Writer is where the content goes.
func (o *Output) Writer() io.Writer { return o.w }

// Path is the output's name as given.
func (o *Output) Path() string { return o.path }

// Commit puts the written content in place: synced, then renamed over the
// old file (a regular file), or just closed (a device or pipe).
func (o *Output) Commit() error {
	if o.file == nil {
		return nil
	}
	if o.target == "" {
		return o.file.Close()
	}
	err := o.file.Sync()
	if cerr := o.file.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(o.file.Name(), o.target)
	}
	if err != nil {
		os.Remove(o.file.Name())
		return fmt.Errorf("write %s: %w", o.path, err)
	}
	syncDir(filepath.Dir(o.target))
	return nil
}

// Abort drops what was written: the temporary file goes, an existing file stays as it was.
func (o *Output) Abort() {
	if o.file == nil {
		return
	}
	o.file.Close()
	if o.target != "" {
		os.Remove(o.file.Name())
	}
}

// Remove takes a committed file away again (when what must follow its
// writing failed); a device, pipe or standard output cannot be taken back.
func (o *Output) Remove() {
	if o.target != "" {
		os.Remove(o.target)
	}
}

// WriteFile writes path whole or not at all with write (see Output).
func WriteFile(path string, stdout io.Writer, write func(io.Writer) error) error {
	out, err := CreateOutput(path, stdout)
	if err != nil {
		return err
	}
	if err := write(out.Writer()); err != nil {
		out.Abort()
		return err
	}
	return out.Commit()
}

// syncDir makes a rename in dir survive a power cut; Windows has no such call.
func syncDir(dir string) {
	if runtime.GOOS == "windows" {
		return
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}
