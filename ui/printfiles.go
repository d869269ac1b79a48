package ui

import (
	"os"
	"path/filepath"

	"fyne.io/fyne/v2"
)

// PDFs opened for printing hold children's names, so they live in a folder
// of their own in the user's (private) cache and are removed when the app
// stops. The system's PDF viewer may still hold one open then: Linux and
// macOS let the file go anyway, Windows refuses, so whatever is left is
// removed on the next start too (as is what a crash leaves behind).

// defaultPrintDir is the folder of the PDFs opened for printing.
func defaultPrintDir() string {
	base, err := os.UserCacheDir()
	if err != nil {
		base = os.TempDir()
	}
	return filepath.Join(base, "Locatiedesk", "print")
}

// removePrintFiles deletes the PDFs in dir; a file still open in a viewer on
// Windows stays until the next call.
func removePrintFiles(dir string) {
	files, err := filepath.Glob(filepath.Join(dir, "*.pdf"))
	if err != nil {
		return
	}
	for _, f := range files {
		if err := os.Remove(f); err != nil && !os.IsNotExist(err) {
			fyne.LogError("remove printed PDF", err)
		}
	}
}
