package ui

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"locatiedesk/data"
	"locatiedesk/reports"
)

// onExport lets the user save everything held about the child (AVG/GDPR),
// for a parent who asks for it: a PDF to read, or JSON when the chosen
// name ends in .json.
func (c *childCard) onExport() {
	askSaveFile(c.window, exportFileName(c.child, c.store.Today()), []string{".pdf", ".json"},
		func(w fyne.URIWriteCloser) { c.exportTo(w, w.URI().Name()) }, c.showError)
}

// exportTo gathers the child's record and writes it into w off the UI
// goroutine (years of attendance make a long PDF), then closes w.
func (c *childCard) exportTo(w io.WriteCloser, name string) {
	childID, childName := c.childID, c.child.Name()
	c.jobs.write(func(ctx context.Context) {
		file := saving(w)
		rec, err := c.store.ChildRecord(ctx, childID)
		if err == nil {
			if strings.EqualFold(filepath.Ext(name), ".json") {
				err = reports.ChildRecordJSON(file, rec)
			} else {
				err = reports.ChildRecordPDF(file, rec)
			}
		}
		err = file.finish(err)
		fyne.Do(func() {
			if err != nil {
				c.showError(err)
				return
			}
			showInfo(lang.L("Saved"), lang.L("The data of {{.Name}} are saved as {{.File}}.",
				map[string]any{"Name": childName, "File": name}), c.window)
		})
	})
}

// exportFileName suggests "gegevens-<name>-<date>.pdf", without characters
// a file system refuses.
func exportFileName(child data.Child, today data.Date) string {
	name := strings.Join(strings.Fields(strings.ToLower(child.Name())), "-")
	name = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`/\:*?"<>|#`, r) {
			return '-'
		}
		return r
	}, name)
	return fmt.Sprintf("%s-%s-%s.pdf", lang.L("personal-data"), name, today)
}
