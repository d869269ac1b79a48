package ui

import (
	"io"
	"os"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"

	"locatiedesk/reports"
)

// askSaveFile lets the user choose where to save a file named name with one
// of extensions, then hands the chosen file to chosen; a dialog error goes
// to failed, and a cancelled choice does nothing.
func askSaveFile(w fyne.Window, name string, extensions []string, chosen func(fyne.URIWriteCloser), failed func(error)) {
	d := dialog.NewFileSave(func(f fyne.URIWriteCloser, err error) {
		switch {
		case err != nil:
			failed(err)
		case f != nil:
			chosen(f)
		}
	}, w)
	d.SetFileName(name)
	d.SetFilter(storage.NewExtensionFileFilter(extensions))
	d.Show()
}

// savingFile is a file the user chose in a save dialog, written whole or
// not at all: a file on disk goes through reports.Output (a temporary file
// beside it, renamed when complete), so a full disk leaves no half PDF.
// Other destinations are written straight into.
type savingFile struct {
	w    io.WriteCloser
	out  *reports.Output // set for a file on disk
	path string
}

// saving takes the writer a save dialog hands over.
func saving(w io.WriteCloser) *savingFile {
	s := &savingFile{w: w}
	if u, ok := w.(fyne.URIWriteCloser); ok && u.URI().Scheme() == "file" {
		// The dialog has created (or emptied) the file already; the content
		// goes to a temporary file that replaces it once complete.
		if out, err := reports.CreateOutput(u.URI().Path(), nil); err == nil {
			u.Close()
			s.out, s.path = out, u.URI().Path()
		}
	}
	return s
}

func (s *savingFile) Write(p []byte) (int, error) {
	if s.out != nil {
		return s.out.Writer().Write(p)
	}
	return s.w.Write(p)
}

// finish puts the file in place when err is nil; otherwise it leaves none
// (not even the empty file the dialog made) and returns err.
func (s *savingFile) finish(err error) error {
	if s.out == nil {
		if cerr := s.w.Close(); err == nil {
			err = cerr
		}
		return err
	}
	if err == nil {
		return s.out.Commit()
	}
	s.out.Abort()
	if info, serr := os.Stat(s.path); serr == nil && info.Size() == 0 {
		os.Remove(s.path)
	}
	return err
}
